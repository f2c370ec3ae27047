package cpu

// The FPU (CP1): its registers, the moves between them and the GPRs, its
// control registers, loads/stores, the BC1 branches and the decoding of
// COP1. The computational instructions are in fpu.go, their arithmetic in
// fpu_arith.go.

// FPU control registers (manual ch. 7).
const (
	// fcr0 is FCR0, the implementation/revision register: 0x0A00 on the
	// VR4300 (n64brew "COP1").
	fcr0 = 0x0000_0A00
	// FCR31Writable: RM (1..0), Flags (6..2), Enables (11..7), Cause
	// (17..12), C (23), FS (24).
	FCR31Writable = 0x0183_FFFF
	FCR31C        = 1 << 23 // the compare condition BC1T/BC1F test
	fcr31CauseE   = 1 << 17 // unimplemented operation
)

// fpr32 reads the 32-bit FPU register i: with Status.FR = 0 an odd number
// is the upper half of the even register (manual ch. 7).
func (c *CPU) fpr32(i uint32) uint32 {
	if c.CP0[CP0Status]&StatusFR != 0 {
		return uint32(c.FPR[i])
	}
	if i&1 != 0 {
		return uint32(c.FPR[i&^1] >> 32)
	}
	return uint32(c.FPR[i])
}

// setFPR32 writes the 32-bit FPU register i, keeping the other half of the
// 64-bit register that holds it.
func (c *CPU) setFPR32(i, v uint32) {
	switch {
	case c.CP0[CP0Status]&StatusFR != 0:
		c.FPR[i] = c.FPR[i]&^0xFFFF_FFFF | uint64(v)
	case i&1 != 0:
		c.FPR[i&^1] = c.FPR[i&^1]&0xFFFF_FFFF | uint64(v)<<32
	default:
		c.FPR[i] = c.FPR[i]&^0xFFFF_FFFF | uint64(v)
	}
}

// fpr64 reads the 64-bit FPU register i; with FR = 0 an odd number names
// its even register (ares).
func (c *CPU) fpr64(i uint32) uint64 {
	if c.CP0[CP0Status]&StatusFR == 0 {
		i &^= 1
	}
	return c.FPR[i]
}

func (c *CPU) setFPR64(i uint32, v uint64) {
	if c.CP0[CP0Status]&StatusFR == 0 {
		i &^= 1
	}
	c.FPR[i] = v
}

// cop1Usable raises coprocessor unusable (CE = 1) when Status.CU1 is clear
// (manual ch. 6).
func (c *CPU) cop1Usable() bool {
	if c.CP0[CP0Status]&StatusCU1 == 0 {
		c.copUnusable(1)
		return false
	}
	return true
}

// cop1 executes COP1 (opcode 0x11).
func (c *CPU) cop1(w uint32) {
	if !c.cop1Usable() {
		return
	}
	rt := w >> 16 & 31
	fs := w >> 11 & 31
	switch w >> 21 & 31 {
	case 0x00: // MFC1
		c.GPR[rt] = sext32(c.fpr32(fs))
	case 0x01: // DMFC1
		c.GPR[rt] = c.fpr64(fs)
	case 0x02: // CFC1
		switch fs {
		case 0:
			c.GPR[rt] = fcr0
		case 31:
			c.GPR[rt] = sext32(c.FCR31)
		default:
			c.GPR[rt] = 0
		}
	case 0x04: // MTC1
		c.setFPR32(fs, uint32(c.GPR[rt]))
	case 0x05: // DMTC1
		c.setFPR64(fs, c.GPR[rt])
	case 0x06: // CTC1: only FCR31 is writable
		if fs == 31 {
			c.FCR31 = uint32(c.GPR[rt]) & FCR31Writable
			// A cause bit whose exception is enabled, or the
			// unimplemented-operation cause, raises the exception at once
			// (manual ch. 7; ares).
			if (c.FCR31>>5)&c.FCR31&(0x1F<<7) != 0 || c.FCR31&fcr31CauseE != 0 {
				c.exception(ExcFPE)
			}
		}
	case 0x08: // BC1F, BC1T, BC1FL, BC1TL: nd (bit 17), tf (bit 16)
		if rt >= 4 {
			c.FCR31 &^= fcr31Cause
			c.fpuUnimplemented() // ares
			return
		}
		taken := (c.FCR31&FCR31C != 0) == (rt&1 != 0)
		if rt&2 != 0 {
			c.branchLikely(taken, w)
		} else {
			c.branch(taken, w)
		}
	case 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
		0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F:
		c.fpuOp(w)
	default:
		// DCFC1 (0x03), DCTC1 (0x07) and the undefined rs values raise the
		// unimplemented operation, Cause keeping only E (n64-systemtest
		// "COP1Usable (DCFC1)"; ares).
		c.FCR31 &^= fcr31Cause
		c.fpuUnimplemented()
	}
}

// loadFPU is LWC1 (size 4) and LDC1 (size 8).
func (c *CPU) loadFPU(w uint32, size uint64) {
	if !c.cop1Usable() {
		return
	}
	p, ok := c.addr(c.ea(w), size, accLoad)
	if !ok {
		return
	}
	ft := w >> 16 & 31
	if size == 4 {
		c.setFPR32(ft, c.bus.Read32(p))
	} else {
		c.setFPR64(ft, c.bus.Read64(p))
	}
}

// storeFPU is SWC1 (size 4) and SDC1 (size 8).
func (c *CPU) storeFPU(w uint32, size uint64) {
	if !c.cop1Usable() {
		return
	}
	p, ok := c.addr(c.ea(w), size, accStore)
	if !ok {
		return
	}
	ft := w >> 16 & 31
	if size == 4 {
		c.bus.Write32(p, c.fpr32(ft))
	} else {
		c.bus.Write64(p, c.fpr64(ft))
	}
}
