package memory

import "github.com/n64go/n64/core/state"

// MI interrupt bits, in MI_INTR and MI_INTR_MASK order (n64brew "MIPS Interface").
const (
	IntrSP uint32 = 1 << iota
	IntrSI
	IntrAI
	IntrVI
	IntrPI
	IntrDP
	intrAll = 1<<6 - 1
)

// MI register offsets from 0x0430_0000.
const (
	MIMode     = 0x00
	MIVersion  = 0x04
	MIIntr     = 0x08
	MIIntrMask = 0x0C
)

// miVersionValue is what MI_VERSION reads on retail consoles (RSP 02, RDP
// 02, RAC 01, IO 02), per n64brew "MIPS Interface".
const miVersionValue = 0x0202_0102

// MI is the MIPS Interface: the RCP's interrupt controller. Its output line
// is the CPU's interrupt IP2, delivered through OnLine.
type MI struct {
	Mode, Intr, Mask uint32

	// OnLine is called whenever the interrupt line (Intr & Mask != 0) may
	// have changed; the machine wires it to CPU Cause.IP2.
	OnLine func(asserted bool)
}

// Raise sets interrupt bits in MI_INTR.
func (m *MI) Raise(bits uint32) {
	m.Intr |= bits
	m.update()
}

// Lower clears interrupt bits in MI_INTR.
func (m *MI) Lower(bits uint32) {
	m.Intr &^= bits
	m.update()
}

// Line reports whether the MI is asserting the CPU's interrupt line.
func (m *MI) Line() bool { return m.Intr&m.Mask != 0 }

func (m *MI) update() {
	if m.OnLine != nil {
		m.OnLine(m.Line())
	}
}

// Read32 implements Device.
func (m *MI) Read32(paddr uint32) uint32 {
	switch paddr & 0xF {
	case MIMode:
		return m.Mode
	case MIVersion:
		return miVersionValue
	case MIIntr:
		return m.Intr
	default:
		return m.Mask
	}
}

// MI_MODE write bits: the init length and modes are set/cleared by bit
// pairs, bit 11 clears the DP interrupt (n64brew "MIPS Interface").
const (
	modeInitLength  = 0x7F
	modeClearInit   = 1 << 7
	modeSetInit     = 1 << 8
	modeClearEBus   = 1 << 9
	modeSetEBus     = 1 << 10
	modeClearDPIntr = 1 << 11
	modeClearRDRAM  = 1 << 12
	modeSetRDRAM    = 1 << 13
	modeInit        = 1 << 7
	modeEBus        = 1 << 8
	modeRDRAM       = 1 << 9
)

// Write32 implements Device.
func (m *MI) Write32(paddr, v, _ uint32) {
	switch paddr & 0xF {
	case MIMode:
		m.Mode = m.Mode&^modeInitLength | v&modeInitLength
		m.Mode = setClear(m.Mode, v, modeSetInit, modeClearInit, modeInit)
		m.Mode = setClear(m.Mode, v, modeSetEBus, modeClearEBus, modeEBus)
		m.Mode = setClear(m.Mode, v, modeSetRDRAM, modeClearRDRAM, modeRDRAM)
		if v&modeClearDPIntr != 0 {
			m.Lower(IntrDP)
		}
	case MIIntrMask:
		// Each mask bit has a clear (even) and set (odd) write bit.
		for i := uint32(0); i < 6; i++ {
			m.Mask = setClear(m.Mask, v, 1<<(2*i+1), 1<<(2*i), 1<<i)
		}
		m.update()
	}
}

// setClear applies a write with separate set and clear bits to flag in reg.
// When both bits are written, set wins (clear is applied first).
func setClear(reg, write, set, clear, flag uint32) uint32 {
	if write&clear != 0 {
		reg &^= flag
	}
	if write&set != 0 {
		reg |= flag
	}
	return reg
}

// Serialize saves or restores the MI registers.
func (m *MI) Serialize(s *state.S) {
	s.U32(&m.Mode)
	s.U32(&m.Intr)
	s.U32(&m.Mask)
	if s.Loading() {
		m.Intr &= intrAll
		m.Mask &= intrAll
	}
}
