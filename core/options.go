package core

import (
	"fmt"

	"github.com/n64go/n64/core/state"
)

// Options are the settings that change emulated timing or memory. The
// netplay protocol syncs exactly these before boot (NETPLAY.md §2.2), so
// they carry mupen64plus' names and meanings, and no other setting may
// change what the core computes (DESIGN.md §7).
type Options struct {
	// CountPerOp is how far CP0 Count advances per executed instruction
	// (mupen64plus "CountPerOp", default 2). Count runs at half the CPU
	// clock, so an instruction costs 2*CountPerOp CPU cycles.
	CountPerOp uint32
	// CountPerOpDenomPot divides CountPerOp by 2^pot, for fractional
	// costs (mupen64plus "CountPerOpDenomPot", default 0).
	CountPerOpDenomPot uint32
	// DisableExtraMem leaves out the Expansion Pak: 4 MiB of RDRAM
	// instead of 8 (mupen64plus "DisableExtraMem").
	DisableExtraMem bool
	// SIDMADuration is the SI DMA length in Count ticks (mupen64plus
	// "SiDmaDuration"; 0x900 by default).
	SIDMADuration uint32
	// EmuMode selects the CPU engine (mupen64plus "R4300Emulator": 0 pure
	// interpreter, 1 cached interpreter, 2 dynarec). Every engine must give
	// the interpreter's results; today all values run the interpreter.
	EmuMode uint32
	// NoCompiledJump is mupen64plus' "NoCompiledJump" for its recompiler;
	// it has no effect on the interpreter but is synced and hashed.
	NoCompiledJump bool
	// PAL boots the machine as a PAL console ($s4 = 0): a netplay session
	// follows the ROM's region, so this is derived, not user-chosen.
	PAL bool
}

// DefaultOptions are mupen64plus' defaults.
func DefaultOptions() Options {
	return Options{CountPerOp: 2, SIDMADuration: 0x900}
}

// Validate rejects settings the core cannot run.
func (o Options) Validate() error {
	switch {
	case o.CountPerOp == 0 || o.CountPerOp > 64:
		return fmt.Errorf("count_per_op %d out of range 1..64", o.CountPerOp)
	case o.CountPerOpDenomPot > 8:
		return fmt.Errorf("count_per_op_denom_pot %d out of range 0..8", o.CountPerOpDenomPot)
	case o.SIDMADuration > 0x10_0000:
		return fmt.Errorf("si_dma_duration %d out of range", o.SIDMADuration)
	case o.EmuMode > 2:
		return fmt.Errorf("emumode %d out of range 0..2", o.EmuMode)
	}
	return nil
}

// RDRAMSize is the installed memory these options give.
func (o Options) RDRAMSize() int {
	if o.DisableExtraMem {
		return 4 << 20
	}
	return 8 << 20
}

// Serialize saves or restores the options (they are part of a savestate
// and of Machine.Hash, so a netplay desync from mismatched settings shows).
func (o *Options) Serialize(s *state.S) {
	s.U32(&o.CountPerOp)
	s.U32(&o.CountPerOpDenomPot)
	s.Bool(&o.DisableExtraMem)
	s.U32(&o.SIDMADuration)
	s.U32(&o.EmuMode)
	s.Bool(&o.NoCompiledJump)
	s.Bool(&o.PAL)
}
