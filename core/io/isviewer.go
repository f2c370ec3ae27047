package io

import "github.com/n64go/n64/core/state"

// ISViewer window on the cartridge bus (IS-Viewer 64, the debug port
// libultra and libdragon print through; ../shared/roms/README.md).
const (
	isvBase   = 0x13FF_0000 // window base: magic 'IS64' and registers
	isvWindow = 0x1000      // 0x13FF_0000–0x13FF_0FFF
	// ISVLength is the offset of the length register: writing it emits
	// that many bytes of the buffer.
	ISVLength = 0x14
	// ISVBuffer is the offset of the text buffer (0x13FF_0020–0x13FF_021F
	// as programs use it; the whole window is memory here).
	ISVBuffer = 0x20
	// isvROMLimit: a ROM larger than this reaches into the window, which
	// then belongs to the ROM (as in ares' cartridge/board/generic.cpp).
	isvROMLimit = 0x03FF_0000
)

// ISViewer is the IS-Viewer 64 debug port in cartridge space. The window
// is plain memory: writes store bytes and reads give them back (so the
// magic 'IS64' a program writes at 0x13FF_0000 reads back). A write to
// the length register at 0x13FF_0014 is the flush: it emits that many
// bytes (low 16 bits of the value) from the buffer at 0x13FF_0020 through
// Output and is not stored, so libultra, which treats the word as a
// pointer, also works (ares does the same).
type ISViewer struct {
	mem [isvWindow]byte

	// Output receives each flushed message; the slice is only valid during
	// the call. Nil drops the output.
	Output func([]byte)
}

// Read32 reads the aligned word at paddr in the window.
func (v *ISViewer) Read32(paddr uint32) uint32 {
	o := paddr & (isvWindow - 1) &^ 3
	m := v.mem[o : o+4 : o+4]
	return uint32(m[0])<<24 | uint32(m[1])<<16 | uint32(m[2])<<8 | uint32(m[3])
}

// Write32 stores the bytes of value selected by mask, or flushes when the
// length register is written.
func (v *ISViewer) Write32(paddr, value, mask uint32) {
	o := paddr & (isvWindow - 1) &^ 3
	if o == ISVLength {
		v.flush(int(value & mask & 0xFFFF))
		return
	}
	for i := uint32(0); i < 4; i++ {
		shift := 24 - 8*i
		if mask>>shift&0xFF != 0 {
			v.mem[o+i] = byte(value >> shift)
		}
	}
}

// read16 and write16 are the 16-bit bus accesses PI DMA makes.
func (v *ISViewer) read16(addr uint32) uint16 {
	w := v.Read32(addr)
	if addr&2 == 0 {
		return uint16(w >> 16)
	}
	return uint16(w)
}

func (v *ISViewer) write16(addr uint32, h uint16) {
	if addr&2 == 0 {
		v.Write32(addr, uint32(h)<<16, 0xFFFF_0000)
	} else {
		v.Write32(addr, uint32(h), 0x0000_FFFF)
	}
}

// flush emits n bytes from the buffer (clamped to the window).
func (v *ISViewer) flush(n int) {
	n = min(n, isvWindow-ISVBuffer)
	if v.Output != nil && n > 0 {
		v.Output(v.mem[ISVBuffer : ISVBuffer+n])
	}
}

// Serialize saves or restores the window's contents.
func (v *ISViewer) Serialize(s *state.S) { s.Raw(v.mem[:]) }
