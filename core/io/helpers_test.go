package io

import (
	"testing"

	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
	"github.com/n64go/n64/core/state"
)

// rig is a minimal machine: a clock, the MI, 8 MiB of RDRAM and the event
// handlers of the devices under test.
type rig struct {
	s       *sched.Scheduler
	mi      *memory.MI
	bus     *memory.Bus
	handler [sched.NumKinds]func()
}

func newRig() *rig {
	return &rig{s: sched.New(), mi: &memory.MI{}, bus: memory.NewBus(memory.RDRAMSize8M)}
}

// runTo advances the clock to cycle t, firing every event due on the way.
func (r *rig) runTo(t uint64) {
	for r.s.Next() <= t {
		if r.s.Next() > r.s.Now {
			r.s.Now = r.s.Next()
		}
		k, _ := r.s.Pop()
		if h := r.handler[k]; h != nil {
			h()
		}
	}
	if t > r.s.Now {
		r.s.Now = t
	}
}

// intr reports whether MI_INTR has bit b.
func (r *rig) intr(b uint32) bool { return r.mi.Intr&b != 0 }

// roundTrip serializes a, checks that loading it into b and serializing b
// gives the same bytes, and that a reader consumes exactly what was written.
func roundTrip(t *testing.T, save, load func(*state.S)) {
	t.Helper()
	w := state.NewWriter()
	save(w)
	first := append([]byte(nil), w.Bytes()...)
	rd := state.NewReader(first)
	load(rd)
	if err := rd.Done(); err != nil {
		t.Fatalf("load: %v", err)
	}
	w2 := state.NewWriter()
	load(w2) // the loaded object, saved again
	if string(w2.Bytes()) != string(first) {
		t.Fatalf("state changed across save/load: %d vs %d bytes", len(w2.Bytes()), len(first))
	}
}

func put32(ram []byte, a uint32, v uint32) {
	ram[a], ram[a+1], ram[a+2], ram[a+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}

func put16(ram []byte, a uint32, v uint16) { ram[a], ram[a+1] = byte(v>>8), byte(v) }
