package memory

import "github.com/n64go/n64/core/state"

// RI register offsets from 0x0470_0000 (n64brew "RDRAM Interface").
const (
	RIMode        = 0x00
	RIConfig      = 0x04
	RICurrentLoad = 0x08
	RISelect      = 0x0C
	RIRefresh     = 0x10
	RILatency     = 0x14
	RIRError      = 0x18
	RIWError      = 0x1C
	riNumRegs     = 8
)

// RI is the RDRAM Interface. We do not model RDRAM timing, so its
// registers are storage the boot code and games can read back; the IPL3
// checks RI_SELECT to tell whether RDRAM was already initialised.
type RI struct {
	Regs [riNumRegs]uint32
}

// Read32 implements Device.
func (r *RI) Read32(paddr uint32) uint32 {
	i := paddr >> 2 & 0xF
	if i >= riNumRegs {
		return 0
	}
	return r.Regs[i]
}

// Write32 implements Device. RI_CURRENT_LOAD is write-only (a strobe).
func (r *RI) Write32(paddr, v, _ uint32) {
	i := paddr >> 2 & 0xF
	if i < riNumRegs && i != RICurrentLoad>>2 {
		r.Regs[i] = v
	}
}

// Serialize saves or restores the RI registers.
func (r *RI) Serialize(s *state.S) { s.U32s(r.Regs[:]) }

// RDRAMRegs is the RDRAM chips' own register space at 0x03F0_0000, used by
// the IPL3 to configure and size memory. Each RDRAM chip has ten
// registers; we keep one bank of them as storage.
type RDRAMRegs struct {
	Regs [10]uint32
}

// Read32 implements Device.
func (r *RDRAMRegs) Read32(paddr uint32) uint32 {
	i := paddr >> 2 & 0xFF
	if i >= uint32(len(r.Regs)) {
		return 0
	}
	return r.Regs[i]
}

// Write32 implements Device.
func (r *RDRAMRegs) Write32(paddr, v, _ uint32) {
	i := paddr >> 2 & 0xFF
	if i < uint32(len(r.Regs)) {
		r.Regs[i] = v
	}
}

// Serialize saves or restores the RDRAM registers.
func (r *RDRAMRegs) Serialize(s *state.S) { s.U32s(r.Regs[:]) }
