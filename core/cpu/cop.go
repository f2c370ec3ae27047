package cpu

// cop0 executes the COP0 (opcode 0x10) instructions: the moves and, with
// the CO bit, the TLB operations and ERET (manual ch. 16, ch. 6). Outside kernel
// mode they need Status.CU0.
func (c *CPU) cop0(w uint32) {
	if !c.kernel && c.CP0[CP0Status]&StatusCU0 == 0 {
		c.copUnusable(0)
		return
	}
	rt := w >> 16 & 31
	rd := int(w >> 11 & 31)
	switch w >> 21 & 31 {
	case 0x00: // MFC0: the low word, sign-extended
		c.GPR[rt] = sext32(uint32(c.readCP0(rd)))
	case 0x01: // DMFC0
		if c.need64() {
			c.GPR[rt] = c.readCP0(rd)
		}
	case 0x04: // MTC0: on the VR4300 all 64 bits move (n64brew "COP0")
		c.writeCP0(rd, c.GPR[rt])
	case 0x05: // DMTC0
		if c.need64() {
			c.writeCP0(rd, c.GPR[rt])
		}
	case 0x02, 0x06, 0x08: // CFC0, CTC0, BC0: no effect (ares)
	case 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
		0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F: // CO
		switch w & 0x3F {
		case 0x01: // TLBR
			c.tlbRead()
		case 0x02: // TLBWI
			c.tlbWrite(uint32(c.CP0[CP0Index] & 0x3F))
		case 0x06: // TLBWR
			c.tlbWrite(c.random())
		case 0x08: // TLBP
			c.tlbProbe()
		case 0x18: // ERET
			c.eret()
		default:
			c.exception(ExcRI)
		}
	default:
		c.exception(ExcRI)
	}
}

// eret returns from an exception (manual ch. 16 ERET): to ErrorEPC clearing
// ERL when ERL is set, else to EPC clearing EXL. It has no delay slot and
// clears LLBit.
func (c *CPU) eret() {
	st := c.CP0[CP0Status]
	if st&StatusERL != 0 {
		c.PC = c.CP0[CP0ErrorEPC]
		st &^= StatusERL
	} else {
		c.PC = c.CP0[CP0EPC]
		st &^= StatusEXL
	}
	c.CP0[CP0Status] = st
	c.LLBit = false
	c.slot = slotJumped
	c.updateMode()
}

// cop2 executes COP2 (opcode 0x12). The VR4300 has no COP2, but with
// Status.CU2 set its moves reach a 64-bit latch; every other COP2 encoding
// is a reserved instruction with Cause.CE = 2 (n64-systemtest, as ares
// models it). With CU2 clear it is coprocessor unusable.
func (c *CPU) cop2(w uint32) {
	if c.CP0[CP0Status]&StatusCU2 == 0 {
		c.copUnusable(2)
		return
	}
	rt := w >> 16 & 31
	switch w >> 21 & 31 {
	case 0x00, 0x02: // MFC2, CFC2
		c.GPR[rt] = sext32(uint32(c.cop2Latch))
	case 0x01: // DMFC2
		c.GPR[rt] = c.cop2Latch
	case 0x04, 0x05, 0x06: // MTC2, DMTC2, CTC2
		c.cop2Latch = c.GPR[rt]
	default:
		c.exceptionAt(ExcRI, 2, c.curDelay, offsetCommon)
	}
}

// cop2LoadStore is LWC2/SWC2/LDC2/SDC2: unusable with CU2 clear, reserved
// otherwise.
func (c *CPU) cop2LoadStore() {
	if c.CP0[CP0Status]&StatusCU2 == 0 {
		c.copUnusable(2)
		return
	}
	c.exceptionAt(ExcRI, 2, c.curDelay, offsetCommon)
}
