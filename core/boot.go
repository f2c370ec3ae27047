package core

import (
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/cpu"
	"github.com/n64go/n64/core/memory"
)

// The high-level PIF boot of DESIGN.md §4: leave the machine as the PIF ROM
// leaves it, so that the cartridge's own IPL3 (copied to SP DMEM) runs next.
// Register values follow n64brew "PIF-NUS" / "Initial state" and what
// mupen64plus' HLE boot sets.
const (
	bootPC      = 0xFFFF_FFFF_A400_0040 // IPL3 entry in SP DMEM, via kseg1
	bootSP      = 0xFFFF_FFFF_A400_1FF0 // top of SP IMEM, minus a small frame
	bootStatus  = 0x2410_00E0           // CU1 | FR | SR | KX | SX | UX (see boot)
	bootConfig  = 0x7006_E463           // EP/BE/cache settings the PIF leaves
	bootContext = 0x007F_FFF0           // Context.BadVPN2 all ones
	allOnes     = 0xFFFF_FFFF_FFFF_FFFF
	ipl3Size    = 0x1000 // header + IPL3, copied to DMEM
	regS3       = 19     // $s3: ROM type (0 = cartridge)
	regS4       = 20     // $s4: TV type (0 PAL, 1 NTSC, 2 MPAL)
	regS5       = 21     // $s5: reset type (0 = cold)
	regS6       = 22     // $s6: CIC seed
	regS7       = 23     // $s7: version (0)
	regT3       = 11     // $t3: IPL3 entry, as the PIF jumps through it
	regSP       = 29
	osMemSize   = 0x318 // where libultra's IPL3 leaves the RDRAM size
	osMemSize05 = 0x3F0 // the same for CIC-6105
)

// RI values the PIF/IPL2 leave; a non-zero RI_SELECT tells the IPL3 that
// RDRAM is already initialised, so it skips sizing and relies on the size
// word we store at osMemSize (mupen64plus' HLE boot does the same).
var bootRI = [...]struct{ reg, value uint32 }{
	{memory.RIMode, 0x0E},
	{memory.RIConfig, 0x40},
	{memory.RISelect, 0x14},
	{memory.RIRefresh, 0x0006_3634},
}

// bootCP0 are the CP0 registers nothing initialises: after power-on they
// hold what the chip powers up with. Where hardware captures agree, the
// value is fact; where they vary between consoles and boots (the bits
// marked "undefined"), the value is the one krom's captures show most
// often, so the screens that print them match the common case.
var bootCP0 = [...]struct {
	reg   int
	value uint64
}{
	{cpu.CP0BadVAddr, allOnes}, // krom Exception*, COP0Register; n64-systemtest StartupTest note
	{cpu.CP0Context, bootContext},
	// XContext as an all-ones BadVAddr leaves it: R = 3, BadVPN2 all ones
	// (COP0Register reads its low word 0xFFFFFFF0; n64-systemtest's
	// StartupTest note gives 0x1_FFFF_FFF0).
	{cpu.CP0XContext, 0x1_FFFF_FFF0},
	// Cause: CE = 3 is checked by krom's COP0Cause (Cause & 0x7FFFFF03 =
	// 0x3000_0000 after boot) and shown by every Exception capture; BD and
	// ExcCode are undefined, most often 0xB000007C (COP0Cause,
	// ExceptionUnaligned, ExceptionTLBReadMissDelay…). IP is clear.
	{cpu.CP0Cause, 0xB000_007C},
	// Index: "usually 63" (n64-systemtest StartupTest; COP0Register 0x3F).
	{cpu.CP0Index, 0x3F},
	// EntryHi/EntryLo0/EntryLo1: undefined; the most frequent values of
	// krom's ExceptionTLB* and COP0Register captures (ASID 0xAB in most).
	{cpu.CP0EntryHi, 0xFEF5_E0AB},
	{cpu.CP0EntryLo0, 0x01FB_FFE3},
	{cpu.CP0EntryLo1, 0x19BE_FF3F},
}

func (m *Machine) boot() {
	copy(m.RSP.DMEM[:], m.ROM.Data[:min(ipl3Size, len(m.ROM.Data))])

	c := m.CPU
	c.Reset()
	tv := uint64(1)
	if m.Opts.PAL {
		tv = 0
	}
	c.GPR[regS3] = 0
	c.GPR[regS4] = tv
	c.GPR[regS5] = 0
	c.GPR[regS6] = uint64(m.ROM.CIC.BootAs().Seed())
	c.GPR[regS7] = 0
	c.GPR[regT3] = bootPC
	c.GPR[regSP] = bootSP
	// The CP0 state a game finds when the IPL3 jumps to it, as krom's
	// Exception tests show it on hardware ("before" column): Status
	// 0x241000E0, EPC/ErrorEPC/BadVAddr all ones, Context with BadVPN2 all
	// ones. The IPL3 does not write these, so the PIF leaves them.
	c.SetCP0(cpu.CP0Status, bootStatus)
	c.SetCP0(cpu.CP0Config, bootConfig)
	c.SetCP0(cpu.CP0EPC, allOnes)
	c.SetCP0(cpu.CP0ErrorEPC, allOnes)
	// Registers with read-only fields are set directly.
	for _, r := range bootCP0 {
		c.CP0[r.reg] = r.value
	}
	c.PC = bootPC

	for _, r := range bootRI {
		m.RI.Regs[r.reg>>2] = r.value
	}
	sizeAt := uint32(osMemSize)
	if m.ROM.CIC.BootAs() == cart.CIC6105 {
		sizeAt = osMemSize05
	}
	m.Bus.Write32(sizeAt, uint32(len(m.Bus.RDRAM)))
}
