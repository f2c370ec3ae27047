package audio

import "sync"

// fadeIn is how many frames the reader takes to fade back in after the
// ring ran dry.
const fadeIn = 64

// Ring is a fixed-size FIFO of stereo int16 frames between the emulator
// (Write) and the sound device (Read), safe for one writer and one reader
// on different goroutines.
type Ring struct {
	mu   sync.Mutex
	buf  []int16 // 2 × capacity samples
	r, n int     // first frame, frames held

	last [2]int16 // the last frame Read returned
	ramp int      // frames left of the fade-in after an underrun

	// Prime is how many frames the ring must hold before Read starts
	// taking them, at first and again after each underrun, so that
	// playback resumes with a full cushion rather than at the edge of the
	// next underrun. 0 reads whatever is there.
	Prime  int
	primed bool

	// Underruns counts reads the ring could not fill; Dropped the frames
	// Write discarded (the oldest) because the ring was full.
	Underruns, Dropped uint64
}

// NewRing returns a ring holding up to frames stereo frames.
func NewRing(frames int) *Ring {
	return &Ring{buf: make([]int16, 2*max(frames, 1))}
}

// Cap is the ring's capacity in frames.
func (g *Ring) Cap() int { return len(g.buf) / 2 }

// Counters returns Underruns and Dropped, safely against the audio thread.
func (g *Ring) Counters() (underruns, dropped uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.Underruns, g.Dropped
}

// Len is the number of frames held.
func (g *Ring) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n
}

// Write appends the interleaved stereo frames of src. When they do not fit,
// the oldest frames are dropped: the latency stays bounded by the capacity.
func (g *Ring) Write(src []int16) {
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.Cap()
	frames := len(src) / 2
	if frames > c { // only the newest capacity frames can stay
		g.Dropped += uint64(frames - c)
		src = src[2*(frames-c):]
		frames = c
	}
	if over := g.n + frames - c; over > 0 {
		g.r = (g.r + over) % c
		g.n -= over
		g.Dropped += uint64(over)
	}
	w := (g.r + g.n) % c
	for i := 0; i < frames; i++ {
		g.buf[2*w], g.buf[2*w+1] = src[2*i], src[2*i+1]
		w++
		if w == c {
			w = 0
		}
	}
	g.n += frames
}

// Clear drops every frame held.
func (g *Ring) Clear() {
	g.mu.Lock()
	g.r, g.n = 0, 0
	g.mu.Unlock()
}

// Read fills dst (interleaved stereo) and returns how many frames came
// from the ring (none while it is priming: see Prime). When the ring runs
// dry the rest of dst continues from the
// last frame played, decaying to zero (each frame 15/16 of the one before,
// rounded towards zero), and the first fadeIn frames after that are scaled
// up linearly (k/fadeIn for the k-th), so an underrun is not a click.
func (g *Ring) Read(dst []int16) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	frames := len(dst) / 2
	if !g.primed && g.n >= min(g.Prime, g.Cap()) {
		g.primed = true
	}
	got := 0
	if g.primed {
		got = min(frames, g.n)
	}
	c := g.Cap()
	for i := 0; i < got; i++ {
		l, r := g.buf[2*g.r], g.buf[2*g.r+1]
		if g.ramp > 0 {
			k := int32(fadeIn - g.ramp + 1)
			l, r = int16(int32(l)*k/fadeIn), int16(int32(r)*k/fadeIn)
			g.ramp--
		}
		dst[2*i], dst[2*i+1] = l, r
		g.last = [2]int16{l, r}
		g.r++
		if g.r == c {
			g.r = 0
		}
	}
	g.n -= got
	if got < frames {
		if g.primed {
			g.Underruns++
			g.primed = false
		}
		g.ramp = fadeIn
		for i := got; i < frames; i++ {
			g.last[0] = int16(int32(g.last[0]) * 15 / 16)
			g.last[1] = int16(int32(g.last[1]) * 15 / 16)
			dst[2*i], dst[2*i+1] = g.last[0], g.last[1]
		}
	}
	return got
}
