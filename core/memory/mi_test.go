package memory

import "testing"

func TestMIInterruptLine(t *testing.T) {
	var line []bool
	m := &MI{OnLine: func(on bool) { line = append(line, on) }}
	m.Raise(IntrVI)
	if m.Line() {
		t.Fatal("line asserted while VI is masked")
	}
	// MI_INTR_MASK: bit 7 sets the VI mask (n64brew "MIPS Interface").
	m.Write32(0x0430_000C, 1<<7, 0xFFFF_FFFF)
	if !m.Line() || line[len(line)-1] != true {
		t.Fatal("line not asserted after unmasking a pending VI interrupt")
	}
	if got := m.Read32(0x0430_000C); got != IntrVI {
		t.Fatalf("MI_INTR_MASK reads %#x, want %#x", got, IntrVI)
	}
	// Bit 6 clears the VI mask.
	m.Write32(0x0430_000C, 1<<6, 0xFFFF_FFFF)
	if m.Line() {
		t.Fatal("line still asserted after masking VI")
	}
	if got := m.Read32(0x0430_0008); got != IntrVI {
		t.Fatalf("MI_INTR reads %#x, want VI still pending", got)
	}
}

func TestMIRegisters(t *testing.T) {
	m := &MI{}
	tests := []struct {
		name  string
		write uint32
		reg   uint32
		want  uint32
	}{
		{"init length", 0x7F, MIMode, 0x7F},
		{"set init mode", 1 << 8, MIMode, 0x7F | 1<<7},
		{"clear init mode", 1 << 7, MIMode, 0x7F},
		{"set rdram mode", 1 << 13, MIMode, 0x7F | 1<<9},
		{"set and clear both: set wins", 1<<9 | 1<<10, MIMode, 0x7F | 1<<9 | 1<<8},
	}
	for _, tt := range tests {
		m.Write32(0x0430_0000|MIMode, tt.write|m.Mode&0x7F, 0xFFFF_FFFF)
		if got := m.Read32(0x0430_0000 | tt.reg); got != tt.want {
			t.Errorf("%s: reg %#x = %#x, want %#x", tt.name, tt.reg, got, tt.want)
		}
	}
	if got := m.Read32(0x0430_0004); got != 0x0202_0102 {
		t.Errorf("MI_VERSION = %#x, want 0x02020102", got)
	}
	m.Raise(IntrDP)
	m.Write32(0x0430_0000, 1<<11, 0xFFFF_FFFF)
	if m.Intr&IntrDP != 0 {
		t.Error("MI_MODE bit 11 did not clear the DP interrupt")
	}
}
