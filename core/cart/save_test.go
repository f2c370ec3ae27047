package cart

import (
	"bytes"
	"testing"
)

// SRAM banking (n64brew "SRAM"): bank n at 0x0800_0000 + n×0x4_0000, each
// 32 KiB; a 256 Kbit chip mirrors its one bank; the 1 Mbit type is 128 KiB
// contiguous (SummerCart64's memory map).
func TestSRAMBanking(t *testing.T) {
	tests := []struct {
		typ     SaveType
		addr    uint32
		wantOff int // byte offset into Data the write lands at
	}{
		{SaveSRAM256K, 0x0800_0000, 0},
		{SaveSRAM256K, 0x0800_7FFE, 0x7FFE},
		{SaveSRAM256K, 0x0800_8002, 2},      // mirrors within the bank
		{SaveSRAM256K, 0x0804_0010, 0x10},   // no bank 1: bank 0
		{SaveSRAM768K, 0x0804_0010, 0x8010}, // bank 1
		{SaveSRAM768K, 0x0808_0020, 0x10020},
		{SaveSRAM768K, 0x080C_0020, 0x20}, // no bank 3: bank 0
		{SaveSRAM1M, 0x0801_8020, 0x18020},
		{SaveSRAM1M, 0x0804_0002, 0x2}, // 128 KiB mirrors
	}
	for _, tc := range tests {
		m := NewSaveMemory(tc.typ, nil)
		if len(m.Data()) != tc.typ.Size() {
			t.Fatalf("%v: size %d", tc.typ, len(m.Data()))
		}
		m.StartBurst(tc.addr)
		m.WriteHalf(tc.addr, 0xBEEF)
		d := m.Data()
		if d[tc.wantOff] != 0xBE || d[tc.wantOff+1] != 0xEF {
			t.Errorf("%v write at %#x: not at offset %#x", tc.typ, tc.addr, tc.wantOff)
		}
		if got := m.ReadHalf(tc.addr); got != 0xBEEF {
			t.Errorf("%v read at %#x = %#04x", tc.typ, tc.addr, got)
		}
		if m.Writes() != 1 {
			t.Errorf("%v: Writes = %d, want 1", tc.typ, m.Writes())
		}
	}
}

func cmd(f *Flash, c uint32) {
	f.StartBurst(flashCmdReg)
	f.WriteHalf(flashCmdReg, uint16(c>>16))
	f.WriteHalf(flashCmdReg+2, uint16(c))
}

func readWord(f *Flash, addr uint32) uint32 {
	f.StartBurst(addr)
	return uint32(f.ReadHalf(addr))<<16 | uint32(f.ReadHalf(addr+2))
}

// The FlashRAM sequence libultra uses (osFlashReadId, osFlashSectorErase,
// osFlashWriteBuffer/WriteArray, osFlashReadArray): identify gives
// 0x11118001 then the Macronix silicon ID 0x00C2001E.
func TestFlashStateMachine(t *testing.T) {
	f := NewSaveMemory(SaveFlash1M, nil).(*Flash)
	if f.Data()[0] != 0xFF || f.Data()[FlashSize-1] != 0xFF {
		t.Fatalf("fresh flash is not erased")
	}
	cmd(f, 0xE100_0000)
	if hi, lo := readWord(f, 0x0800_0000), readWord(f, 0x0800_0004); hi != 0x1111_8001 || lo != 0x00C2_001E {
		t.Errorf("identify = %08X %08X, want 11118001 00C2001E", hi, lo)
	}
	// Program page 3 with 0x00..0x7F.
	cmd(f, 0xB400_0000)
	f.StartBurst(0x0800_0000)
	for i := uint32(0); i < 128; i += 2 {
		f.WriteHalf(0x0800_0000+i, uint16(i)<<8|uint16(i+1))
	}
	cmd(f, 0xA500_0003)
	cmd(f, 0xD200_0000)
	if st := readWord(f, 0x0800_0000); st != 0x1111_8004 {
		t.Errorf("status after program = %08X, want 11118004", st)
	}
	want := make([]byte, 128)
	for i := range want {
		want[i] = byte(i)
	}
	if !bytes.Equal(f.Data()[3*128:4*128], want) {
		t.Errorf("page 3 not programmed")
	}
	if f.Writes() != 1 {
		t.Errorf("Writes = %d", f.Writes())
	}
	// Read mode: page 3 is at bus 0x0800_0000 + 3×64 (halfword addressing).
	cmd(f, 0xF000_0000)
	if got := readWord(f, 0x0800_0000+3*64); got != 0x0001_0203 {
		t.Errorf("read page 3 = %08X, want 00010203", got)
	}
	// Erasing page 3 erases its whole 16 KiB sector (pages 0-127).
	f.Data()[127*128] = 0x00
	f.Data()[128*128] = 0x00
	cmd(f, 0x4B00_0003)
	cmd(f, 0x7800_0000)
	if st := readWord(f, 0x0800_0000); st != 0x1111_8008 {
		t.Errorf("status in erase mode = %08X, want 11118008", st)
	}
	cmd(f, 0xD200_0000)
	if !bytes.Equal(f.Data()[3*128:4*128], bytes.Repeat([]byte{0xFF}, 128)) || f.Data()[127*128] != 0xFF {
		t.Errorf("sector 0 not erased")
	}
	if f.Data()[128*128] != 0x00 {
		t.Errorf("sector 1 erased too")
	}
	// Chip erase.
	cmd(f, 0x3C00_0000)
	cmd(f, 0x7800_0000)
	cmd(f, 0xD200_0000)
	if f.Data()[128*128] != 0xFF {
		t.Errorf("chip erase left sector 1")
	}
	// Programming without erasing can only clear bits.
	f.Data()[0] = 0xF0
	cmd(f, 0xB400_0000)
	f.StartBurst(0x0800_0000)
	f.WriteHalf(0x0800_0000, 0x0FFF)
	cmd(f, 0xA500_0000)
	cmd(f, 0xD200_0000)
	if f.Data()[0] != 0x00 {
		t.Errorf("program ANDs: got %#02x, want 0x00", f.Data()[0])
	}
}

func TestParseAndDetectSaveType(t *testing.T) {
	for i, name := range SaveTypeNames() {
		if st, err := ParseSaveType(name); err != nil || st != saveTypeNames[i].t {
			t.Fatalf("%s: %v %v", name, st, err)
		}
	}
	if st, err := ParseSaveType("SRAM768K"); err != nil || st != SaveSRAM768K {
		t.Errorf("case-insensitive parse: %v %v", st, err)
	}
	if _, err := ParseSaveType("floppy"); err == nil {
		t.Errorf("unknown name accepted")
	}
	for _, tc := range []struct {
		code string
		want SaveType
		ok   bool
	}{{"NSME", SaveEEPROM4K, true}, {"CZLE", SaveSRAM256K, true}, {"NZSP", SaveFlash1M, true}, {"NPDE", SaveEEPROM16K, true}, {"NXXE", SaveNone, false}} {
		r := &ROM{Header: Header{GameCode: tc.code}}
		if got, ok := r.DetectSaveType(); got != tc.want || ok != tc.ok {
			t.Errorf("%s: %v %v, want %v %v", tc.code, got, ok, tc.want, tc.ok)
		}
	}
	r := &ROM{Header: Header{GameCode: "NSME", HasSaveType: true, SaveType: SaveSRAM768K}}
	if got, _ := r.DetectSaveType(); got != SaveSRAM768K {
		t.Errorf("header save type not preferred: %v", got)
	}
}
