package core

import (
	"encoding/binary"
	"os"
	"testing"

	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/state"
	"github.com/n64go/n64/roms/demo"
)

// FuzzLoadState: a savestate someone hands us may be well-formed gzip
// around hostile register values (DESIGN.md §5: bad input is an error, never
// a panic). The fuzzer patches bytes of a real uncompressed state outside
// RDRAM (RDRAM is plain data the CPU may hold anything in); whatever loads
// must then run and hash without panicking.
func FuzzLoadState(f *testing.F) {
	bases := []*fuzzBase{
		newFuzzBase(f, "../roms/testdata/alu.z64", nil, 0),   // CPU only
		newFuzzBase(f, "../roms/testdata/saves.z64", nil, 3), // PI, SI, cartridge saves
		newFuzzBase(f, "", demo.ROM, 5),                      // VI, joybus reads
	}
	for i := range bases {
		f.Add(uint8(i), []byte{})
		f.Add(uint8(i), []byte{0, 0, 0, 40, 0xFF})
		f.Add(uint8(i), binary.BigEndian.AppendUint32(nil, uint32(bases[i].rdramFrom+100)))
	}
	f.Fuzz(func(t *testing.T, which uint8, patches []byte) {
		b := bases[int(which)%len(bases)]
		raw := append([]byte(nil), b.good...)
		// Each patch is 5 bytes: an offset into the non-RDRAM bytes and a
		// value XORed there.
		for ; len(patches) >= 5; patches = patches[5:] {
			off := int(binary.BigEndian.Uint32(patches) % uint32(len(raw)-b.rdramLen))
			if off >= b.rdramFrom {
				off += b.rdramLen
			}
			raw[off] ^= patches[4]
		}
		target := *b.m // shares the machine's memories: a failed load must not touch them
		if err := target.loadRaw(raw); err != nil {
			if target.Hash() != b.hash {
				t.Fatal("a failed load changed the machine")
			}
			return
		}
		// Loaded: the machine must run on (errors are fine, panics not).
		_ = target.RunCycles(100_000)
		target.Hash()
	})
}

// fuzzBase is a machine, its serialized state and where RDRAM lies in it.
type fuzzBase struct {
	m                   *Machine
	good                []byte
	hash                [32]byte
	rdramFrom, rdramLen int
}

// newFuzzBase runs a ROM (read from path, or image) for frames frames, or
// 200,000 cycles when frames is 0.
func newFuzzBase(f *testing.F, path string, image []byte, frames int) *fuzzBase {
	if path != "" {
		var err error
		if image, err = os.ReadFile(path); err != nil {
			f.Fatal(err)
		}
	}
	rom, err := cart.Parse(image)
	if err != nil {
		f.Fatal(err)
	}
	m, err := New(rom, DefaultOptions())
	if err != nil {
		f.Fatal(err)
	}
	if frames == 0 {
		err = m.RunCycles(200_000)
	}
	for range frames {
		if err = m.RunFrame(); err != nil {
			break
		}
	}
	if err != nil {
		f.Fatal(err)
	}
	w := state.NewWriter()
	m.Serialize(w)
	b := &fuzzBase{m: m, good: append([]byte(nil), w.Bytes()...), hash: m.Hash()}
	b.rdramFrom, b.rdramLen = rdramSpan(f, b.good)
	return b
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
