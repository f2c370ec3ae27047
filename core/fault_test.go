package core

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/n64go/n64/core/cart"
)

// faultyDevice stands for a bug inside the core: it panics when read.
type faultyDevice struct{}

func (faultyDevice) Read32(uint32) uint32           { panic("device bug") }
func (faultyDevice) Write32(uint32, uint32, uint32) {}

// A panic inside the core stops the run with an EmulatorError naming the
// guest PC and the instruction word there, instead of crashing the host.
func TestFaultBecomesEmulatorError(t *testing.T) {
	data, err := os.ReadFile("../roms/testdata/alu.z64")
	if err != nil {
		t.Fatal(err)
	}
	rom, err := cart.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(rom, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	m.Bus.Map(0x04A0_0000, 0x04A0_0000, faultyDevice{})
	// At 0x80001000: lui $t0, 0xA4A0 (0x3C08A4A0); lw $t1, 0($t0) (0x8D090000).
	m.Bus.Write32(0x1000, 0x3C08_A4A0)
	m.Bus.Write32(0x1004, 0x8D09_0000)
	m.CPU.PC = 0xFFFF_FFFF_8000_1000

	err = m.RunCycles(1000)
	var fault *EmulatorError
	if !errors.As(err, &fault) {
		t.Fatalf("RunCycles = %v, want an *EmulatorError", err)
	}
	if fault.PC != 0xFFFF_FFFF_8000_1004 || fault.Word != 0x8D09_0000 {
		t.Errorf("fault at PC %#x word %#x, want the lw at 0x80001004 (0x8d090000)", fault.PC, fault.Word)
	}
	if msg := err.Error(); !strings.Contains(msg, "FFFFFFFF80001004") || !strings.Contains(msg, "8D090000") || !strings.Contains(msg, "device bug") || strings.Contains(msg, "\n") {
		t.Errorf("message %q: want one line with PC, word and the fault", msg)
	}
}
