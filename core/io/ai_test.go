package io

import (
	"testing"

	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
	"github.com/n64go/n64/core/state"
)

func newAIRig() (*rig, *AI) {
	r := newRig()
	a := NewAI(r.s, r.mi, r.bus, false)
	r.handler[sched.AI] = a.Event
	return r, a
}

func (a *AI) write(off, v uint32)    { a.Write32(0x0450_0000+off, v, 0xFFFF_FFFF) }
func (a *AI) read(off uint32) uint32 { return a.Read32(0x0450_0000 + off) }

// libdragon's audio_init: DACRATE = round(videoClock / freq) − 1; for
// 32 kHz on NTSC that is 1520, a rate of 48681812/1521 ≈ 32006 Hz.
const dac32k = 1520

// bufferCycles is how long n bytes (n/4 stereo samples) play at DACRATE d:
// samples / (videoClock/(d+1)) seconds of the 93.75 MHz clock.
func bufferCycles(n, d int) float64 {
	return float64(n/4) * float64(d+1) / 48_681_812 * 93.75e6
}

func TestAIFIFO(t *testing.T) {
	_, a := newAIRig()
	a.write(AIDACRate, dac32k)
	if got := a.read(AIStatus); got&(AIStatusBusy|AIStatusFull) != 0 {
		t.Fatalf("idle STATUS %#x", got)
	}
	a.write(AIDRAMAddr, 0x1000)
	a.write(AILength, 1024)
	if got := a.read(AIStatus); got&AIStatusBusy == 0 || got&AIStatusFull != 0 {
		t.Fatalf("one buffer: STATUS %#x, want busy, not full", got)
	}
	a.write(AIDRAMAddr, 0x2000)
	a.write(AILength, 1024)
	if got := a.read(AIStatus); got&AIStatusFull != AIStatusFull || got&AIStatusBusy == 0 {
		t.Fatalf("two buffers: STATUS %#x, want full (bits 31 and 0) and busy", got)
	}
	a.write(AIDRAMAddr, 0x3000)
	a.write(AILength, 1024) // FIFO full: dropped
	if a.count != 2 || a.fifo[1].addr != 0x2000 {
		t.Fatalf("a third buffer entered the FIFO: %+v", a.fifo)
	}
}

func TestAIInterruptTiming(t *testing.T) {
	r, a := newAIRig()
	a.write(AIDACRate, dac32k)
	a.write(AIDRAMAddr, 0x1000)
	a.write(AILength, 1024)
	// The interrupt fires when a DMA starts (n64brew "Audio Interface").
	if !r.intr(memory.IntrAI) {
		t.Fatal("no interrupt when the first buffer started")
	}
	a.write(AIStatus, 0)
	if r.intr(memory.IntrAI) {
		t.Fatal("STATUS write did not clear the interrupt")
	}
	a.write(AIDRAMAddr, 0x2000)
	a.write(AILength, 2048)
	end1 := bufferCycles(1024, dac32k) // ≈ 749,856 cycles, 8 ms
	r.runTo(uint64(end1) - 2)
	if r.intr(memory.IntrAI) {
		t.Fatal("interrupt before the first buffer ended")
	}
	r.runTo(uint64(end1) + 2)
	if !r.intr(memory.IntrAI) {
		t.Fatal("no interrupt when the first buffer ended")
	}
	if got := a.read(AIStatus); got&AIStatusFull != 0 || got&AIStatusBusy == 0 {
		t.Fatalf("second buffer playing: STATUS %#x", got)
	}
	a.write(AIStatus, 0)
	end2 := end1 + bufferCycles(2048, dac32k)
	r.runTo(uint64(end2) - 2)
	if r.intr(memory.IntrAI) {
		t.Fatal("interrupt before the second buffer ended")
	}
	// Halfway through it, about half of it is left.
	r.s.Now = uint64(end1 + bufferCycles(1024, dac32k))
	if got := a.read(AILength); got < 1020 || got > 1028 {
		t.Errorf("AI_LENGTH halfway %d, want ≈1024", got)
	}
	r.runTo(uint64(end2) + 2)
	if !r.intr(memory.IntrAI) {
		t.Fatal("no interrupt when the second buffer ended")
	}
	if got := a.read(AIStatus); got&(AIStatusBusy|AIStatusFull) != 0 {
		t.Fatalf("idle again: STATUS %#x", got)
	}
	if got := a.read(AILength); got != 0 {
		t.Errorf("AI_LENGTH idle %d", got)
	}
}

func TestAISamples(t *testing.T) {
	r, a := newAIRig()
	var rate int
	var got []int16
	a.Samples = func(hz int, s []int16) { rate, got = hz, append([]int16(nil), s...) }
	put32(r.bus.RDRAM, 0x1000, 0x7FFF8000) // L=32767, R=-32768
	put32(r.bus.RDRAM, 0x1004, 0x0001FFFF) // L=1, R=-1
	a.write(AIDACRate, dac32k)
	a.write(AIDRAMAddr, 0x1000)
	a.write(AILength, 8)
	want := []int16{32767, -32768, 1, -1}
	if len(got) != len(want) {
		t.Fatalf("got %d samples, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sample %d = %d, want %d", i, got[i], want[i])
		}
	}
	if rate != 48_681_812/(dac32k+1) {
		t.Errorf("rate %d, want %d", rate, 48_681_812/(dac32k+1))
	}
}

func TestAIRegisters(t *testing.T) {
	_, a := newAIRig()
	a.write(AIControl, 1)
	if got := a.read(AIStatus); got&AIStatusEnabled == 0 {
		t.Errorf("STATUS %#x lacks the enabled bit", got)
	}
	a.write(AILength, 0) // ignored
	a.write(AILength, 0xFFFF_FFFF)
	if a.fifo[0].length != 0x3FFF8 {
		t.Errorf("length %#x, want 0x3FFF8", a.fifo[0].length)
	}
	// Write-only registers read as AI_LENGTH.
	if a.read(AIDRAMAddr) != a.read(AILength) || a.read(AIDACRate) != a.read(AILength) {
		t.Error("write-only registers do not mirror AI_LENGTH")
	}
}

func TestAISerialize(t *testing.T) {
	r, a := newAIRig()
	a.write(AIDACRate, dac32k)
	a.write(AIDRAMAddr, 0x1000)
	a.write(AILength, 1024)
	a.write(AILength, 512)
	r.runTo(1000)
	r2, a2 := newAIRig()
	r2.s.Now = r.s.Now
	roundTrip(t, a.Serialize, a2.Serialize)
	if a2.read(AIStatus) != a.read(AIStatus) || a2.read(AILength) != a.read(AILength) {
		t.Error("restored AI differs")
	}
}

// A loaded buffer length is masked as an AI_LENGTH write is: a damaged
// state plays at most 0x3FFF8 bytes, not gigabytes.
func TestAILoadMasksLengths(t *testing.T) {
	_, a := newAIRig()
	a.write(AIDRAMAddr, 0x1000)
	a.write(AILength, 1024)
	a.write(AILength, 512)
	a.fifo[1].length = 0xFFFF_FFF8
	w := state.NewWriter()
	a.Serialize(w)
	_, a2 := newAIRig()
	var played int
	a2.Samples = func(_ int, s []int16) { played = len(s) }
	rd := state.NewReader(w.Bytes())
	a2.Serialize(rd)
	if err := rd.Done(); err != nil {
		t.Fatal(err)
	}
	a2.Event() // the first buffer ends; the damaged one starts
	if played != 0x3FFF8/2 {
		t.Errorf("played %d samples, want %d", played, 0x3FFF8/2)
	}
}
