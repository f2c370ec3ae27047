package core

import (
	"encoding/binary"
	"os"
	"testing"

	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/state"
)

// FuzzLoadState: a savestate someone hands us may be well-formed gzip
// around hostile register values (DESIGN.md §5: bad input is an error, never
// a panic). The fuzzer patches bytes of a real uncompressed state outside
// RDRAM (RDRAM is plain data the CPU may hold anything in); whatever loads
// must then run and hash without panicking.
func FuzzLoadState(f *testing.F) {
	data, err := os.ReadFile("../roms/testdata/alu.z64")
	if err != nil {
		f.Fatal(err)
	}
	rom, err := cart.Parse(data)
	if err != nil {
		f.Fatal(err)
	}
	m, err := New(rom, DefaultOptions())
	if err != nil {
		f.Fatal(err)
	}
	if err := m.RunCycles(200_000); err != nil {
		f.Fatal(err)
	}
	w := state.NewWriter()
	m.Serialize(w)
	good := append([]byte(nil), w.Bytes()...)
	// RDRAM's bytes: the "rdram" section's body after its 4-byte length.
	rdramFrom, rdramLen := rdramSpan(f, good)
	patchable := len(good) - rdramLen
	before := m.Hash()

	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 40, 0xFF})
	f.Add(binary.BigEndian.AppendUint32(nil, uint32(rdramFrom+100)))
	f.Fuzz(func(t *testing.T, patches []byte) {
		raw := append([]byte(nil), good...)
		// Each patch is 5 bytes: an offset into the non-RDRAM bytes and a
		// value XORed there.
		for ; len(patches) >= 5; patches = patches[5:] {
			off := int(binary.BigEndian.Uint32(patches) % uint32(patchable))
			if off >= rdramFrom {
				off += rdramLen
			}
			raw[off] ^= patches[4]
		}
		target := *m // shares m's memories: a failed load must not touch them
		if err := target.loadRaw(raw); err != nil {
			if target.Hash() != before {
				t.Fatal("a failed load changed the machine")
			}
			return
		}
		// Loaded: the machine must run on (errors are fine, panics not).
		_ = target.RunCycles(100_000)
		target.Hash()
	})
}

// rdramSpan finds where RDRAM's bytes lie in a serialized machine.
func rdramSpan(f *testing.F, raw []byte) (from, n int) {
	for pos := 0; pos < len(raw); {
		tl := int(raw[pos])
		tag := string(raw[pos+1 : pos+1+tl])
		body := pos + 1 + tl + 4
		size := int(binary.BigEndian.Uint32(raw[pos+1+tl:]))
		if tag == "rdram" {
			return body + 4, size - 4 // Raw's own length word first
		}
		pos = body + size
	}
	f.Fatal("no rdram section")
	return 0, 0
}
