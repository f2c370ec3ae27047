package cart

import (
	"bytes"
	"testing"
)

// statusByte is the low byte of the status word at 0x0800_0000, which
// libultra tests (osFlashSectorErase, osFlashWriteArray).
func statusByte(f *Flash) byte { return byte(readWord(f, 0x0800_0000)) }

// Erase and program keep the chip busy for the MX29L1100's times in ares'
// flash model (85 ms per erase, 3.5 ms per page program, in CPU cycles at
// 93.75 MHz): the busy bit (libultra os_flash.h: erase 0x02, program 0x01)
// is set until then and the OK bit (0x08, 0x04) after; commands sent
// meanwhile are ignored; the data itself changes when the command arrives.
func TestFlashBusyTiming(t *testing.T) {
	if FlashEraseCycles != 7_968_750 || FlashProgramCycles != 328_125 {
		t.Fatalf("busy times %d, %d cycles; want 85 ms = 7968750 and 3.5 ms = 328125", FlashEraseCycles, FlashProgramCycles)
	}
	for _, tc := range []struct {
		name     string
		cmds     []uint32
		cycles   uint64
		busy, ok byte
		check    func(f *Flash) bool
	}{
		{"sector erase", []uint32{0x4B00_0080, 0x7800_0000}, FlashEraseCycles, 0x02, 0x08,
			func(f *Flash) bool {
				return bytes.Equal(f.Data()[128*128:256*128], bytes.Repeat([]byte{0xFF}, 16384)) && f.Data()[127*128] == 0
			}},
		{"chip erase", []uint32{0x3C00_0000, 0x7800_0000}, FlashEraseCycles, 0x02, 0x08,
			func(f *Flash) bool { return bytes.Equal(f.Data(), bytes.Repeat([]byte{0xFF}, FlashSize)) }},
		{"program", []uint32{0xB400_0000, 0xA500_0005}, FlashProgramCycles, 0x01, 0x04,
			func(f *Flash) bool {
				return f.Data()[5*128] == 0x12 && f.Data()[5*128+1] == 0xFF && f.Data()[4*128] == 0xFF
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := make([]byte, FlashSize) // zeros, to see erases
			if tc.busy == 0x01 {
				mem = nil // erased, to see programming
			}
			f := NewSaveMemory(SaveFlash1M, mem).(*Flash)
			var now uint64 = 1000
			f.SetClock(func() uint64 { return now })
			for _, c := range tc.cmds {
				cmd(f, c)
				if c>>24 == 0xB4 {
					f.StartBurst(0x0800_0000)
					f.WriteHalf(0x0800_0000, 0x12FF)
				}
			}
			if !tc.check(f) {
				t.Errorf("data not changed by the command")
			}
			if got := statusByte(f); got != tc.busy {
				t.Errorf("status right after = %#02x, want busy %#02x", got, tc.busy)
			}
			// Ignored while busy: read mode would show the array.
			cmd(f, 0xF000_0000)
			now += tc.cycles - 1
			if got := statusByte(f); got != tc.busy {
				t.Errorf("status one cycle before the end = %#02x, want busy %#02x", got, tc.busy)
			}
			now++
			if got := statusByte(f); got != tc.ok {
				t.Errorf("status at the end = %#02x, want %#02x", got, tc.ok)
			}
			if hi := readWord(f, 0x0800_0000); hi != 0x1111_8000|uint32(tc.ok) {
				t.Errorf("status word = %08X", hi)
			}
			cmd(f, 0xF000_0000)
			if got := readWord(f, 0x0800_0000); got == 0x1111_8000|uint32(tc.ok) {
				t.Errorf("read mode refused after the operation ended")
			}
		})
	}

	// 0x78 without a 0x4B or 0x3C first erases nothing.
	f := NewSaveMemory(SaveFlash1M, make([]byte, FlashSize)).(*Flash)
	cmd(f, 0x7800_0000)
	if f.Data()[0] != 0 || f.Writes() != 0 {
		t.Errorf("erase without setup changed the array")
	}
}
