package cart

import "github.com/n64go/n64/core/state"

// Flash is the 1 Mbit FlashRAM (Macronix MX29L1100) on the PI bus
// (n64brew "Flash"; libultra os_flash.h and osFlash*.c). The CPU writes
// 32-bit commands to 0x0801_0000; reads and DMAs at 0x0800_0000 give the
// status word, the identification or, in read mode, the array. Commands
// (top byte):
//
//	0x4B set up a sector erase: the sector of the page in the low bits
//	0x3C set up a chip erase
//	0x78 erase what was set up; busy, then status mode
//	0xB4 page-buffer mode: writes (DMAs) to 0x0800_0000 fill the 128-byte
//	     page buffer
//	0xA5 program the page in the low bits from the page buffer (bits can
//	     only be cleared); busy, then status mode
//	0xD2 status mode   0xE1 identify mode   0xF0 read-array mode
//
// This is the sequence libultra sends (osFlashSectorErase: 0x4B|page,
// 0x78, then polls the status; osFlashWriteBuffer: 0xB4 and a DMA;
// osFlashWriteArray: 0xA5|page, then polls; osFlashReadStatus and
// osFlashClearStatus: 0xD2): 0x78 and 0xA5 start the operation and 0xD2
// only selects status mode, as in ares (ares/n64/cartridge/flash.cpp since
// commit 5c6607fa9), not mupen64plus, which erases and programs on 0xD2.
// Erasing works on whole 16 KiB sectors of 128 pages ("data are erased in
// one-sector units (16 Kbytes)", N64 programming manual 28.1).
//
// The status word's low byte (what libultra tests): bit 1 erase busy,
// bit 0 program busy, bit 3 erase OK, bit 2 program OK (os_flash.h
// FLASH_STATUS_ERASE_BUSY = 2, FLASH_STATUS_WRITE_BUSY = 1; osFlash*Erase
// accepts bit 3, osFlashWriteArray bit 2). The whole status register reads
// 0x1111_80SS_00C2_001E (SS that byte; 0x1111_8001 and the Macronix
// MX29L1100 silicon ID 0x00C2_001E in identify mode). In read mode the bus
// address counts 16-bit units, so the byte offset is twice the address
// offset (libultra __osFlashGetAddr reads page n of this chip at
// 0x0800_0000 + n×64).
//
// Erase and program take time: while one runs, the busy bit is set and
// commands are ignored (ares), for the MX29L1100's durations in ares'
// model table — 85 ms per sector or chip erase, 3.5 ms per page program —
// counted in CPU cycles on the clock SetClock gives. Without a clock they
// complete at once.
type Flash struct {
	data      []byte
	page      [flashPage]byte
	mode      uint8
	status    uint8  // status byte once the running operation is done
	busyBits  uint8  // status byte while it runs
	busyUntil uint64 // CPU cycle the running erase or program ends
	setup     uint8  // what 0x78 erases
	sector    uint32 // byte offset of the sector 0x4B chose
	cursor    uint32 // read mode: next byte offset
	cmdHi     uint16 // high half of a command being written
	writes    uint64
	now       func() uint64
}

const (
	flashPage   = 128
	flashSector = 16 << 10

	flashCmdReg = 0x0801_0000

	// The high word of the status register and the identification.
	flashIDHigh  = 0x1111_8001
	flashStatus  = 0x1111_8000
	flashSilicon = 0x00C2_001E

	// Status byte bits (libultra os_flash.h and osFlash*.c).
	flashProgramBusy = 0x01
	flashEraseBusy   = 0x02
	flashProgramOK   = 0x04
	flashEraseOK     = 0x08

	// Busy times of the MX29L1100 in CPU cycles (93.75 MHz): ares'
	// flash.cpp model table, in its 187.5 MHz clock: 85 ms erase, 3.5 ms
	// program.
	FlashEraseCycles   = 93_750_000 * 85 / 1000
	FlashProgramCycles = 93_750_000 * 35 / 10_000

	flashCmdSectorErase = 0x4B
	flashCmdChipErase   = 0x3C
	flashCmdErase       = 0x78
	flashCmdProgram     = 0xA5
	flashCmdPageBuffer  = 0xB4
	flashCmdStatus      = 0xD2
	flashCmdIdentify    = 0xE1
	flashCmdRead        = 0xF0
)

// Flash modes.
const (
	flashRead uint8 = iota
	flashStatusMode
	flashIdentify
	flashPageBuffer
	flashModes
)

// Erase setups.
const (
	flashSetupNone uint8 = iota
	flashSetupSector
	flashSetupChip
	flashSetups
)

func newFlash(data []byte) *Flash {
	f := &Flash{data: data, mode: flashRead}
	for i := range f.page {
		f.page[i] = 0xFF
	}
	return f
}

// SetClock sets where the flash reads the current CPU cycle, for the time
// an erase or program keeps it busy; nil makes them complete at once.
func (f *Flash) SetClock(now func() uint64) { f.now = now }

func (f *Flash) busy() bool { return f.now != nil && f.now() < f.busyUntil }

// start begins an erase or program: busy with busyBits for cycles, then
// status done.
func (f *Flash) start(busyBits, done uint8, cycles uint64) {
	f.mode = flashStatusMode
	f.busyBits, f.status = busyBits, done
	f.busyUntil = 0
	if f.now != nil {
		f.busyUntil = f.now() + cycles
	}
	f.writes++
}

// StartBurst implements SaveMemory: in read mode the array address is
// latched at the start of each transfer.
func (f *Flash) StartBurst(addr uint32) {
	f.cursor = (addr & 0xFFFF) * 2 % FlashSize
}

// ReadHalf reads a halfword: array data in read mode, the status register
// or the identification otherwise.
func (f *Flash) ReadHalf(addr uint32) uint16 {
	var reg uint64
	switch f.mode {
	case flashRead:
		c := f.cursor
		f.cursor = (c + 2) % FlashSize
		return uint16(f.data[c])<<8 | uint16(f.data[c+1])
	case flashIdentify:
		reg = flashIDHigh<<32 | flashSilicon
	default:
		s := f.status
		if f.busy() {
			s = f.busyBits
		}
		reg = (flashStatus|uint64(s))<<32 | flashSilicon
	}
	return uint16(reg >> (48 - 16*(addr>>1&3)))
}

// WriteHalf takes command halves at 0x0801_0000 and page-buffer data
// elsewhere (in page-buffer mode).
func (f *Flash) WriteHalf(addr uint32, v uint16) {
	switch {
	case addr&^3 == flashCmdReg:
		if addr&2 == 0 {
			f.cmdHi = v
			return
		}
		f.command(uint32(f.cmdHi)<<16 | uint32(v))
	case f.mode == flashPageBuffer && addr < flashCmdReg:
		o := addr & (flashPage - 2)
		f.page[o], f.page[o+1] = byte(v>>8), byte(v)
	}
}

func (f *Flash) command(c uint32) {
	if f.busy() {
		return
	}
	switch c >> 24 {
	case flashCmdSectorErase:
		f.setup = flashSetupSector
		f.sector = (c & 0x3FF) * flashPage &^ (flashSector - 1)
	case flashCmdChipErase:
		f.setup = flashSetupChip
	case flashCmdErase:
		lo, hi := f.sector, f.sector+flashSector
		switch f.setup {
		case flashSetupNone:
			return
		case flashSetupChip:
			lo, hi = 0, FlashSize
		}
		for i := lo; i < hi; i++ {
			f.data[i] = 0xFF
		}
		f.setup = flashSetupNone
		f.start(flashEraseBusy, flashEraseOK, FlashEraseCycles)
	case flashCmdProgram:
		// Programming can only clear bits: the page is ANDed in.
		at := (c & 0x3FF) * flashPage
		for i, b := range f.page {
			f.data[at+uint32(i)] &= b
			f.page[i] = 0xFF
		}
		f.start(flashProgramBusy, flashProgramOK, FlashProgramCycles)
	case flashCmdPageBuffer:
		f.mode = flashPageBuffer
	case flashCmdStatus:
		f.mode = flashStatusMode
	case flashCmdIdentify:
		f.mode = flashIdentify
	case flashCmdRead:
		f.mode = flashRead
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
	s.U8(&f.status)
	s.U8(&f.busyBits)
	s.U64(&f.busyUntil)
	s.U8(&f.setup)
	s.U32(&f.sector)
	s.U32(&f.cursor)
	s.U16(&f.cmdHi)
	if s.Loading() {
		f.mode %= flashModes
		f.setup %= flashSetups
		f.sector %= FlashSize
		f.sector &^= flashSector - 1
		f.cursor %= FlashSize
		f.cursor &^= 1
	}
}
