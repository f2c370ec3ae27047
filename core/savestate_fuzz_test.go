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
// must then run without panicking.
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
		// Each patch is 5 bytes: an offset into the non-RDRAM bytes and a
		// value XORed there. The state is patched in place and restored
		// afterwards, in reverse order, which saves copying RDRAM.
		type patch struct {
			off int
			x   byte
		}
		var done []patch
		for ; len(patches) >= 5; patches = patches[5:] {
			off := int(binary.BigEndian.Uint32(patches) % uint32(len(b.good)-b.rdramLen))
			if off >= b.rdramFrom {
				off += b.rdramLen
			}
			b.good[off] ^= patches[4]
			done = append(done, patch{off, patches[4]})
		}
		defer func() {
			for i := len(done) - 1; i >= 0; i-- {
				b.good[done[i].off] ^= done[i].x
			}
		}()
		target := *b.m
		if err := target.loadRaw(b.good); err != nil {
			return // TestDamagedStates checks that a refused state changes nothing
		}
		// Loaded: the machine must run on. RunCycles turns a panic inside
		// the core into an *EmulatorError, so any error is a fault.
		if err := target.RunCycles(100_000); err != nil {
			t.Fatalf("a loaded state faults: %v", err)
		}
	})
}

// fuzzBase is a machine, its serialized state and where RDRAM lies in it.
type fuzzBase struct {
	m                   *Machine
	good                []byte
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
	// 4 MiB of RDRAM: RDRAM is never patched, and half of it makes each
	// run cheaper.
	opts := DefaultOptions()
	opts.DisableExtraMem = true
	m, err := New(rom, opts)
	if err != nil {
		f.Fatal(err)
	}
	m.SetAudioSink(func(int, []int16) {}) // so AI buffers are read out
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
	b := &fuzzBase{m: m, good: append([]byte(nil), w.Bytes()...)}
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
