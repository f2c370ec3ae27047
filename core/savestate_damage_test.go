package core

import (
	"os"
	"testing"

	"github.com/n64go/n64/core/cart"
)

// A truncated or corrupted savestate is an error and leaves the machine as
// it was, wherever the damage is (DESIGN.md §5).
func TestDamagedStates(t *testing.T) {
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
	if err := m.RunCycles(10_000); err != nil {
		t.Fatal(err)
	}
	good, err := m.SaveState()
	if err != nil {
		t.Fatal(err)
	}
	before := m.Hash()
	const cuts = 40
	for i := 0; i < cuts; i++ {
		n := len(good) * i / cuts
		if err := m.LoadState(good[:n]); err == nil {
			t.Fatalf("state cut to %d of %d bytes loaded", n, len(good))
		}
		// gzip's CRC-32 and length trailer catch any flipped payload bit.
		flipped := append([]byte(nil), good...)
		flipped[len(flipped)-1-n%(len(flipped)-40)] ^= 0x10
		if err := m.LoadState(flipped); err == nil {
			t.Fatalf("state with a flipped bit at %d loaded", len(flipped)-1-n%(len(flipped)-40))
		}
	}
	if m.Hash() != before {
		t.Fatal("failed loads changed the machine")
	}
}
