package cart

import "github.com/n64go/n64/core/state"

// Flash is the 1 Mbit FlashRAM (Macronix MX29L1100 family) on the PI bus
// (n64brew "Flash RAM"; libultra's osFlash* calls). The CPU writes 32-bit
// commands to 0x0801_0000; reads and DMAs at 0x0800_0000 give the status
// register, or the array in read mode. Commands (top byte):
//
//	0xF0 read array mode        0xE1 status mode (status/identify)
//	0x4B set the page (low 16 bits) whose sector 0x78 then erases
//	0x3C chip erase mode        0x78 erase mode (status 0x08)
//	0xA5 set program page        0xB4 program mode: DMAs to 0x0800_0000
//	                             fill the 128-byte page buffer
//	0xD2 execute the erase or program
//
// Erasing works on whole 16 KiB sectors (128 pages): "data are erased in
// one-sector units (16 Kbytes)" (N64 programming manual 28.1, "Flash
// ROM"; n64brew: 8 sectors of 128 pages of 128 bytes).
//
// The status register is 64 bits: 0x1111_8001_00C2_001E in status mode,
// whose high word is the identify code (0x1111_8001: FlashRAM) and low
// word the Macronix MX29L1100 silicon ID 0x00C2_001E; its low byte of the
// high word reports the mode (0x08 erase, 0x04 program/read). In read mode
// the bus address counts 16-bit units, so the byte offset is twice the
// address offset (libultra reads page n at 0x0800_0000 + n×64).
//
// Erase and program complete at once: the chip's busy time is not
// modelled, the status reads as done immediately (as in mupen64plus).
type Flash struct {
	data   []byte
	page   [flashPage]byte
	mode   uint8
	status uint64
	offset uint32 // erase/program byte offset (page × 128)
	cursor uint32 // read mode: next byte offset
	cmdHi  uint16 // high half of a command being written
	chip   bool   // the erase is a chip erase (0x3C), not a sector erase
	writes uint64
}

const (
	flashPage = 128

	flashCmdReg = 0x0801_0000
)

// Flash modes.
const (
	flashRead uint8 = iota
	flashStatus
	flashErase
	flashProgram
	flashModes
)

const (
	flashID               = 0x1111_8001_00C2_001E
	flashStatusRead       = 0x1111_8004_F000_0000 // read mode (mupen64plus' value)
	flashStatusErase      = 0x1111_8008_00C2_001E
	flashStatusProgram    = 0x1111_8004_00C2_001E
	flashSector           = 16 << 10
	flashCmdEraseOffset   = 0x4B
	flashCmdChipErase     = 0x3C
	flashCmdEraseMode     = 0x78
	flashCmdProgramOffset = 0xA5
	flashCmdProgramMode   = 0xB4
	flashCmdExecute       = 0xD2
	flashCmdStatus        = 0xE1
	flashCmdRead          = 0xF0
)

// StartBurst implements SaveMemory: in read mode the array address is
// latched at the start of each transfer.
func (f *Flash) StartBurst(addr uint32) {
	f.cursor = (addr & 0xFFFF) * 2 % FlashSize
}

// ReadHalf reads a halfword: array data in read mode, the status register
// otherwise.
func (f *Flash) ReadHalf(addr uint32) uint16 {
	if f.mode == flashRead {
		c := f.cursor
		f.cursor = (c + 2) % FlashSize
		return uint16(f.data[c])<<8 | uint16(f.data[c+1])
	}
	shift := 48 - 16*(addr>>1&3)
	return uint16(f.status >> shift)
}

// WriteHalf takes command halves at 0x0801_0000 and page-buffer data
// elsewhere (in program mode).
func (f *Flash) WriteHalf(addr uint32, v uint16) {
	switch {
	case addr&^3 == flashCmdReg:
		if addr&2 == 0 {
			f.cmdHi = v
			return
		}
		f.command(uint32(f.cmdHi)<<16 | uint32(v))
	case f.mode == flashProgram && addr < flashCmdReg:
		o := addr & (flashPage - 2)
		f.page[o], f.page[o+1] = byte(v>>8), byte(v)
	}
}

func (f *Flash) command(c uint32) {
	switch c >> 24 {
	case flashCmdEraseOffset:
		f.offset = (c & 0xFFFF) * flashPage % FlashSize
		f.chip = false
	case flashCmdChipErase:
		f.chip = true
		f.mode, f.status = flashErase, flashStatusErase
	case flashCmdEraseMode:
		f.mode, f.status = flashErase, flashStatusErase
	case flashCmdProgramOffset:
		f.offset = (c & 0xFFFF) * flashPage % FlashSize
		f.status = flashStatusProgram
	case flashCmdProgramMode:
		f.mode = flashProgram
		for i := range f.page {
			f.page[i] = 0xFF
		}
	case flashCmdExecute:
		switch f.mode {
		case flashErase:
			lo, hi := f.offset&^(flashSector-1), f.offset&^(flashSector-1)+flashSector
			if f.chip {
				lo, hi = 0, FlashSize
			}
			for i := lo; i < hi; i++ {
				f.data[i] = 0xFF
			}
			f.writes++
		case flashProgram:
			// Programming can only clear bits: the page is ANDed in.
			for i, b := range f.page {
				f.data[f.offset+uint32(i)] &= b
			}
			f.writes++
		}
	case flashCmdStatus:
		f.mode, f.status = flashStatus, flashID
	case flashCmdRead:
		f.mode, f.status = flashRead, flashStatusRead
	}
}

// Data implements SaveMemory.
func (f *Flash) Data() []byte { return f.data }

// Writes implements SaveMemory.
func (f *Flash) Writes() uint64 { return f.writes }

// Serialize implements SaveMemory: contents, page buffer and command state.
func (f *Flash) Serialize(s *state.S) {
	s.Raw(f.data)
	s.Raw(f.page[:])
	s.U8(&f.mode)
	s.U64(&f.status)
	s.U32(&f.offset)
	s.U32(&f.cursor)
	s.U16(&f.cmdHi)
	s.Bool(&f.chip)
	if s.Loading() {
		f.mode %= flashModes
		f.offset %= FlashSize
		f.offset &^= flashPage - 1
		f.cursor %= FlashSize
		f.cursor &^= 1
	}
}
