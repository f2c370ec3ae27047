package audio

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"
)

func mono(vs ...int16) []int16 {
	out := make([]int16, 0, 2*len(vs))
	for _, v := range vs {
		out = append(out, v, -v)
	}
	return out
}

func TestResamplerDoubles(t *testing.T) {
	var r Resampler
	r.SetRates(1, 2, 0)
	if r.Step() != 1<<31 {
		t.Fatalf("step %#x, want 0.5 = 0x80000000", r.Step())
	}
	// The stream starts from silence: outputs at positions 0, 0.5, 1, ...
	// of 0, 10, 20, 30, stopping before the last frame's successor.
	got := r.Process(nil, mono(10, 20, 30))
	if want := mono(0, 5, 10, 15, 20, 25); !slices.Equal(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	// The next call continues from 30.
	got = r.Process(nil, mono(40))
	if want := mono(30, 35); !slices.Equal(got, want) {
		t.Fatalf("second call: got %v, want %v", got, want)
	}
}

func TestResamplerSameRateIsDelayByOne(t *testing.T) {
	var r Resampler
	r.SetRates(44100, 44100, 0)
	got := r.Process(nil, mono(7, -3, 1000, 32767))
	if want := mono(0, 7, -3, 1000); !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestResamplerDownAndFloor(t *testing.T) {
	var r Resampler
	r.SetRates(3, 2, 0) // step 1.5
	if r.Step() != 3<<31 {
		t.Fatalf("step %#x", r.Step())
	}
	// Positions 0, 1.5, 3, 4.5 over 0, 1, 2, 4, 8, 16: 0, 1.5→1 (floor),
	// 4, 8+(16-8)/2 = 12.
	got := r.Process(nil, mono(1, 2, 4, 8, 16))
	want := []int16{0, 0, 1, -2, 4, -4, 12, -12}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestResamplerRateCount(t *testing.T) {
	// 22048 Hz (the demo's AI rate) to 48000 Hz: one second in, one second
	// out, whatever the chunking.
	var r Resampler
	r.SetRates(22048, 48000, 0)
	in := make([]int16, 2*22048)
	n := 0
	for i := 0; i < 10; i++ { // chunks of 2204 frames, then the last 8
		n += len(r.Process(nil, in[i*4408:(i+1)*4408])) / 2
	}
	n += len(r.Process(nil, in[44080:])) / 2
	// Output frame j sits at j·step; those before input frame 22048 (the
	// last, whose successor has not come) are ceil(22048·2^32/step).
	step := r.Step()
	want := int((22048<<32 + step - 1) / step)
	if n != want || want < 48000 || want > 48001 {
		t.Fatalf("%d frames out, want %d (≈48000)", n, want)
	}
}

func TestResamplerPPM(t *testing.T) {
	var r Resampler
	r.SetRates(48000, 48000, 0)
	if r.Step() != 1<<32 {
		t.Fatalf("step %#x", r.Step())
	}
	r.SetRates(48000, 48000, 5000) // 0.5% more output
	if want := uint64((1 << 32) * 1_000_000 / 1_005_000); r.Step() != want {
		t.Fatalf("step %d, want %d", r.Step(), want)
	}
	r.SetRates(0, 48000, 0) // ignored
	if want := uint64((1 << 32) * 1_000_000 / 1_005_000); r.Step() != want {
		t.Fatal("a zero rate changed the step")
	}
}

func TestRingFIFOAndOverflow(t *testing.T) {
	g := NewRing(4)
	g.Write(mono(1, 2, 3))
	g.Write(mono(4, 5, 6)) // 2 oldest dropped
	if g.Len() != 4 || g.Dropped != 2 {
		t.Fatalf("len %d dropped %d", g.Len(), g.Dropped)
	}
	dst := make([]int16, 8)
	if n := g.Read(dst); n != 4 || !slices.Equal(dst, mono(3, 4, 5, 6)) {
		t.Fatalf("read %d: %v", n, dst)
	}
	g.Write(mono(1, 2, 3, 4, 5, 6, 7)) // larger than the ring
	if n := g.Read(dst); n != 4 || !slices.Equal(dst, mono(4, 5, 6, 7)) {
		t.Fatalf("read %d: %v", n, dst)
	}
}

func TestRingUnderrunFadesOutAndIn(t *testing.T) {
	g := NewRing(16)
	g.Write(mono(1000))
	dst := make([]int16, 8)
	if n := g.Read(dst); n != 1 {
		t.Fatalf("read %d", n)
	}
	// 1000, then 15/16 steps: 937, 878, 823.
	if want := mono(1000, 937, 878, 823); !slices.Equal(dst, want) {
		t.Fatalf("fade out %v, want %v", dst, want)
	}
	if g.Underruns != 1 {
		t.Fatalf("underruns %d", g.Underruns)
	}
	g.Write(mono(6400, 6400, 6400))
	g.Read(dst[:6])
	// 1/64, 2/64, 3/64 of 6400.
	if want := mono(100, 200, 300); !slices.Equal(dst[:6], want) {
		t.Fatalf("fade in %v, want %v", dst[:6], want)
	}
}

func TestRingPrimes(t *testing.T) {
	g := NewRing(16)
	g.Prime = 3
	g.Write(mono(500, 600))
	dst := make([]int16, 4)
	if n := g.Read(dst); n != 0 || !slices.Equal(dst, mono(0, 0)) || g.Len() != 2 {
		t.Fatalf("read %d while priming: %v (len %d)", n, dst, g.Len())
	}
	g.Write(mono(700))
	if n := g.Read(dst); n != 2 {
		t.Fatalf("read %d once primed", n)
	}
	// Fade-in after the priming silence: 1/64 and 2/64.
	if want := mono(7, 18); !slices.Equal(dst, want) {
		t.Fatalf("got %v, want %v", dst, want)
	}
	g.Read(dst) // 700, then an underrun: primes again
	g.Write(mono(1, 2))
	if n := g.Read(dst); n != 0 || g.Underruns != 1 {
		t.Fatalf("read %d after an underrun, underruns %d", n, g.Underruns)
	}
}

func TestStreamVolumeAndBytes(t *testing.T) {
	g := NewRing(8)
	s := NewStream(g)
	s.SetVolume(50)
	g.Write([]int16{1000, -1000, 3, 32767})
	p := make([]byte, 8)
	if n, err := s.Read(p); n != 8 || err != nil {
		t.Fatalf("read %d %v", n, err)
	}
	var got [4]int16
	binary.Read(bytes.NewReader(p), binary.LittleEndian, &got)
	if got != [4]int16{500, -500, 1, 16383} {
		t.Fatalf("got %v", got)
	}
	s.SetVolume(150)
	if s.Volume() != 100 {
		t.Fatalf("volume %d", s.Volume())
	}
}

func TestAdjustPPM(t *testing.T) {
	for _, c := range []struct{ fill, target, want int }{
		{0, 4000, 5000}, {2000, 4000, 2500}, {4000, 4000, 0},
		{6000, 4000, -2500}, {20000, 4000, -5000}, {10, 0, 0},
	} {
		if got := AdjustPPM(c.fill, c.target); got != c.want {
			t.Errorf("AdjustPPM(%d, %d) = %d, want %d", c.fill, c.target, got, c.want)
		}
	}
}

func TestPipe(t *testing.T) {
	p := NewPipe(48000, 48000, 4000)
	p.Ring.Prime = 0
	p.Push(24000, mono(100, 200))
	// 2× upsampling from silence: 0, 50, 100, 150.
	dst := make([]int16, 8)
	if n := p.Ring.Read(dst); n != 4 || !slices.Equal(dst, mono(0, 50, 100, 150)) {
		t.Fatalf("read %d: %v", n, dst)
	}
	if ppm := p.Adjust(); ppm != 5000 {
		t.Fatalf("empty ring: ppm %d", ppm)
	}
}
