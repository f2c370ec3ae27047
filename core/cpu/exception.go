package cpu

// Exception codes of Cause.ExcCode (manual ch. 6, Cause register).
const (
	ExcInt   = 0  // interrupt
	ExcMod   = 1  // TLB modification
	ExcTLBL  = 2  // TLB miss or invalid, load or fetch
	ExcTLBS  = 3  // TLB miss or invalid, store
	ExcAdEL  = 4  // address error, load or fetch
	ExcAdES  = 5  // address error, store
	ExcIBE   = 6  // bus error, fetch
	ExcDBE   = 7  // bus error, data
	ExcSys   = 8  // SYSCALL
	ExcBp    = 9  // BREAK
	ExcRI    = 10 // reserved instruction
	ExcCpU   = 11 // coprocessor unusable
	ExcOv    = 12 // integer overflow
	ExcTr    = 13 // trap
	ExcFPE   = 15 // floating-point
	ExcWatch = 23 // WatchLo/WatchHi match (not raised: watchpoints are not modelled)
)

// Exception vectors (manual ch. 6): the base is kseg0 0x8000_0000, or
// 0xBFC0_0200 in kseg1 with Status.BEV; TLB refill uses offset 0x000 (0x080
// for 64-bit addressing), everything else 0x180.
const (
	resetVector  = 0xFFFF_FFFF_BFC0_0000
	vectorBase   = 0xFFFF_FFFF_8000_0000
	vectorBEV    = 0xFFFF_FFFF_BFC0_0200
	offsetTLB    = 0x000
	offsetXTLB   = 0x080
	offsetCommon = 0x180
)

// exceptionAt enters the exception handler (manual ch. 6): unless EXL is
// already set, EPC gets the address of the faulting instruction — of the
// branch, with Cause.BD set, when it sits in a delay slot — and EXL is set;
// ExcCode and CE are written in every case, and execution continues at the
// vector. inDelay says whether the instruction at PC is in a delay slot.
func (c *CPU) exceptionAt(code, ce uint32, inDelay bool, offset uint64) {
	st := c.CP0[CP0Status]
	cause := c.CP0[CP0Cause] &^ (CauseExcCode | CauseCE)
	if st&StatusEXL == 0 {
		epc := c.PC
		cause &^= CauseBD
		if inDelay {
			epc -= 4
			cause |= CauseBD
		}
		c.CP0[CP0EPC] = epc
		c.CP0[CP0Status] = st | StatusEXL
	} else if offset == offsetTLB || offset == offsetXTLB {
		// A TLB miss with EXL set goes to the common vector (manual ch. 6).
		offset = offsetCommon
	}
	c.CP0[CP0Cause] = cause | uint64(code)<<2 | uint64(ce)<<28
	base := uint64(vectorBase)
	if st&StatusBEV != 0 {
		base = vectorBEV
	}
	c.PC = base + offset
	c.slot = slotJumped
	c.updateMode()
}

// exception raises code for the instruction executing now.
func (c *CPU) exception(code uint32) { c.exceptionAt(code, 0, c.curDelay, offsetCommon) }

// copUnusable raises a coprocessor unusable exception for coprocessor n.
func (c *CPU) copUnusable(n uint32) { c.exceptionAt(ExcCpU, n, c.curDelay, offsetCommon) }

// interrupt takes the pending interrupt before the instruction at PC.
func (c *CPU) interrupt() {
	c.exceptionAt(ExcInt, 0, c.slot != slotNone, offsetCommon)
	c.slot = slotNone
}

// addressError raises AdEL/AdES for vaddr (manual ch. 6): BadVAddr gets
// the address; like ares, Context, XContext and EntryHi get its page too.
func (c *CPU) addressError(vaddr uint64, store bool) {
	c.setBadVAddr(vaddr)
	code := uint32(ExcAdEL)
	if store {
		code = ExcAdES
	}
	c.exception(code)
}

// setBadVAddr records a faulting address in BadVAddr, Context.BadVPN2,
// XContext.R/BadVPN2 and EntryHi.R/VPN2 (manual ch. 6).
func (c *CPU) setBadVAddr(vaddr uint64) {
	c.CP0[CP0BadVAddr] = vaddr
	vpn2 := vaddr >> 13
	c.CP0[CP0Context] = c.CP0[CP0Context]&^contextBadVPN2 | vpn2<<4&contextBadVPN2
	c.CP0[CP0XContext] = c.CP0[CP0XContext]&^xcontextBadVPN2 |
		vpn2<<4&0x7FFF_FFF0 | (vaddr>>62)<<31
	c.CP0[CP0EntryHi] = c.CP0[CP0EntryHi]&0xFF | vaddr&0xC000_00FF_FFFF_E000
}
