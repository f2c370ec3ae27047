package core

import (
	"testing"

	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/cpu"
)

// TestBootCP0 pins the CP0 state the boot leaves, as hardware shows it to
// a program started by the IPL3 (the IPL3 writes none of these).
func TestBootCP0(t *testing.T) {
	data := make([]byte, 1<<20)
	copy(data, []byte{0x80, 0x37, 0x12, 0x40})
	rom, err := cart.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(rom, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		reg        int
		mask, want uint32 // what MFC0 reads, masked
		source     string
	}{
		{cpu.CP0Cause, 0x7FFF_FF03, 0x3000_0000, "krom COP0Cause: \"Initial CAUSE\" check (CE = 3, no IP)"},
		{cpu.CP0Cause, 0xFFFF_FFFF, 0xB000_007C, "krom COP0Cause, ExceptionUnaligned, …: the usual capture"},
		{cpu.CP0Index, 0xFFFF_FFFF, 0x3F, "n64-systemtest StartupTest: usually 63; krom COP0Register"},
		{cpu.CP0XContext, 0xFFFF_FFFF, 0xFFFF_FFF0, "krom COP0Register"},
		{cpu.CP0BadVAddr, 0xFFFF_FFFF, 0xFFFF_FFFF, "krom Exception* \"before\" column"},
		{cpu.CP0Context, 0xFFFF_FFFF, 0x007F_FFF0, "krom Exception* \"before\" column"},
		{cpu.CP0Status, 0xFFFF_FFFF, 0x2410_00E0, "krom Exception* \"before\" column"},
		{cpu.CP0EntryHi, 0xFF, 0xAB, "krom ExceptionTLB*: ASID 0xAB in most captures"},
		{cpu.CP0EntryLo0, 0xFFFF_FFFF, 0x01FB_FFE3, "krom ExceptionTLBReadMiss, COP0Register"},
		{cpu.CP0EntryLo1, 0xFFFF_FFFF, 0x19BE_FF3F, "krom ExceptionTLBReadMiss(Nested)"},
	}
	for _, tt := range tests {
		if got := uint32(m.CPU.CP0Value(tt.reg)) & tt.mask; got != tt.want {
			t.Errorf("%s & %#x = %#x, want %#x (%s)", cpu.CP0Name(tt.reg), tt.mask, got, tt.want, tt.source)
		}
	}
}
