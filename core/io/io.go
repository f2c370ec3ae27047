// Package io holds the RCP's interfaces to the world outside the chip
// (DESIGN.md §3): the Video Interface (vi.go), Audio Interface (ai.go),
// Peripheral Interface with the cartridge bus behind it (pi.go), the
// ISViewer debug port on that bus (isviewer.go) and the Serial Interface
// to the PIF (si.go).
//
// Each interface is a struct that implements memory.Device for its
// registers, has an Event method the machine calls when the interface's
// sched kind fires, and a Serialize method (DESIGN.md §5). Timing is in
// CPU cycles of core/sched; every conversion from another clock is integer
// arithmetic so the result is the same on every host (DESIGN.md §7).
//
// The devices read sched.Scheduler.Now when the CPU touches them (VI_V_CURRENT,
// AI_LENGTH, the PI write latch): the machine keeps Now current before each
// device access.
package io

import "github.com/n64go/n64/core/sched"

// Standard is the television standard the console was built for; it picks
// the video clock that VI timing and the AI sample rate derive from.
type Standard uint8

// Television standards.
const (
	NTSC Standard = iota
	PAL
	MPAL
)

// StandardOf maps the machine's PAL flag to a Standard.
func StandardOf(pal bool) Standard {
	if pal {
		return PAL
	}
	return NTSC
}

// Clock is the video clock in Hz: NTSC 48.681812 MHz (the figure
// mupen64plus uses; 315/88 MHz × 17/5), PAL 49.656530 MHz, MPAL 48.628322
// MHz (n64brew "Video Interface", MX8330 clock table).
func (t Standard) Clock() uint64 {
	switch t {
	case PAL:
		return 49_656_530
	case MPAL:
		return 48_628_322
	}
	return 48_681_812
}

// defaults are the VI_V_SYNC and VI_H_SYNC line/field lengths used while
// the registers are still 0 (before the boot code programs the VI), taken
// from the standard modes libultra and libdragon program: NTSC 0x20D/0xC15,
// PAL 0x271/0xC69, MPAL 0x20D/0xC11.
func (t Standard) defaults() (vsync, hsync uint32) {
	switch t {
	case PAL:
		return 0x271, 0xC69
	case MPAL:
		return 0x20D, 0xC11
	}
	return 0x20D, 0xC15
}

// cpuClock is the scheduler's clock, as a uint64 for the conversions.
const cpuClock = uint64(sched.ClockRate)

// merge applies a masked (possibly narrow) write to a register value.
func merge(old, v, mask uint32) uint32 { return old&^mask | v&mask }

// rdramRead16 reads a big-endian halfword from RDRAM; beyond the installed
// memory it reads 0 (DESIGN.md §3: no mirroring).
func rdramRead16(ram []byte, addr uint32) uint16 {
	if uint64(addr)+1 < uint64(len(ram)) {
		return uint16(ram[addr])<<8 | uint16(ram[addr+1])
	}
	return 0
}
