package asm

import (
	"encoding/binary"
	"fmt"
)

// ROMOrigin is where a program placed at ROM offset 0x1000 is seen by the
// CPU: cartridge ROM (physical 0x10000000) through uncached kseg1.
const ROMOrigin = 0xB0001000

// BuildROM wraps p in a minimal big-endian (.z64) cartridge image. The
// emulator's high-level PIF boot copies ROM[0:0x1000] to SP DMEM and starts
// at 0xA4000040 (DESIGN §4), so a stub at offset 0x40 stands in for IPL3: it
// jumps to the program at offset 0x1000 if p was assembled at ROMOrigin, or
// copies it to RDRAM at p.Origin first. CRCs are left zero.
//
// BuildROM panics if p.Origin is neither ROMOrigin nor a word-aligned kseg0
// or kseg1 address with room for the program in the first 8 MiB of RDRAM.
func BuildROM(p *Program, title string) []byte {
	rom := make([]byte, 0x1000+(len(p.Code)+0xFFF)&^0xFFF)
	be := binary.BigEndian
	be.PutUint32(rom[0x00:], 0x80371240) // PI timing; the .z64 byte-order mark
	be.PutUint32(rom[0x04:], 0x0000000F) // clock rate
	be.PutUint32(rom[0x08:], p.Origin)   // entry point
	be.PutUint32(rom[0x0C:], 0x0000144C) // release (libultra 2.0L)
	copy(rom[0x20:0x34], fmt.Sprintf("%-20.20s", title))
	copy(rom[0x3B:0x3F], "NTEE") // category N, game id "TE", region E
	copy(rom[0x40:0x1000], stub(p).Code)
	copy(rom[0x1000:], p.Code)
	return rom
}

func stub(p *Program) *Program {
	src := fmt.Sprintf(`
		lui   $t0, 0x%04X
		ori   $t0, $t0, 0x%04X
		jr    $t0
		nop`, ROMOrigin>>16, ROMOrigin&0xFFFF)
	if p.Origin != ROMOrigin {
		// The copy writes through kseg1: nothing has initialised the caches
		// that IPL3 would have.
		n := uint32(max(4, (len(p.Code)+3)&^3))
		phys := p.Origin & 0x1FFFFFFF
		if seg := p.Origin >> 29; seg != 4 && seg != 5 || p.Origin%4 != 0 || phys+n > 8<<20 {
			panic(fmt.Sprintf("asm: BuildROM: origin 0x%08x with %d bytes is not in kseg0/kseg1 RDRAM", p.Origin, n))
		}
		src = fmt.Sprintf(`
			la    $t0, 0x%08X   # source: the program in cartridge ROM
			la    $t1, 0x%08X   # destination, uncached
			la    $t2, %d       # bytes left
		loop:
			lw    $t3, 0($t0)
			sw    $t3, 0($t1)
			addiu $t0, $t0, 4
			addiu $t2, $t2, -4
			bnez  $t2, loop
			addiu $t1, $t1, 4
			la    $t0, 0x%08X
			jr    $t0
			nop`, ROMOrigin, 0xA0000000|phys, n, p.Origin)
	}
	s, err := Assemble(src, 0xA4000040)
	if err != nil {
		panic("asm: BuildROM stub: " + err.Error())
	}
	return s
}
