package audio

import "math/bits"

// Resampler converts interleaved stereo int16 frames from one sample rate to
// another by linear interpolation, with the position kept in 32.32 fixed
// point so that the output is an exact function of the input (the tests
// check it sample by sample).
//
// The input is one continuous stream across calls: the last frame of each
// call is kept and the next call interpolates from it. The stream starts
// from a silent frame.
type Resampler struct {
	step uint64   // input frames per output frame, 32.32
	pos  uint64   // position of the next output frame, 32.32, from prev
	prev [2]int16 // the input frame at position 0
}

// maxPPM bounds the rate adjustment SetRates accepts.
const maxPPM = 100_000

// SetRates sets the input and output rates in Hz and a rate adjustment in
// parts per million: ppm > 0 makes more output frames per input frame (the
// ring is filling too slowly), ppm < 0 fewer. The step is
// floor(2^32 · in · 10^6 / (out · (10^6 + ppm))). Rates ≤ 0 leave the
// resampler unchanged; ppm is clamped to ±100000.
func (r *Resampler) SetRates(in, out, ppm int) {
	if in <= 0 || out <= 0 {
		return
	}
	ppm = max(-maxPPM, min(maxPPM, ppm))
	hi, lo := bits.Mul64(uint64(in)<<32, 1_000_000)
	den := uint64(out) * uint64(1_000_000+ppm)
	if hi >= den { // a ratio over 2^32: not a real rate pair
		return
	}
	r.step, _ = bits.Div64(hi, lo, den)
}

// Step is the current step: input frames per output frame in 32.32.
func (r *Resampler) Step() uint64 { return r.step }

// Process appends to dst the output frames src (interleaved stereo) yields
// and returns dst. A trailing odd sample in src is ignored.
func (r *Resampler) Process(dst, src []int16) []int16 {
	n := uint64(len(src) / 2)
	if n == 0 || r.step == 0 {
		return dst
	}
	at := func(i uint64, c int) int64 {
		if i == 0 {
			return int64(r.prev[c])
		}
		return int64(src[2*(i-1)+uint64(c)])
	}
	// Frame i of the virtual stream is prev for i = 0 and src[i-1] after;
	// an output frame needs frames i and i+1, so i < n.
	for r.pos>>32 < n {
		i, frac := r.pos>>32, int64(r.pos&0xFFFF_FFFF)
		for c := 0; c < 2; c++ {
			a, b := at(i, c), at(i+1, c)
			dst = append(dst, int16(a+((b-a)*frac>>32)))
		}
		r.pos += r.step
	}
	r.pos -= n << 32
	r.prev = [2]int16{src[2*n-2], src[2*n-1]}
	return dst
}
