package audio

import (
	"sync/atomic"
)

// Stream is what the sound device pulls: 16-bit little-endian stereo at the
// device rate, read from a Ring and scaled by the volume. It never blocks
// and never reports an end, so the device keeps playing (silence when the
// ring is empty).
type Stream struct {
	ring    *Ring
	volume  atomic.Int32 // percent, 0-100
	scratch []int16
}

// NewStream reads from ring at full volume.
func NewStream(ring *Ring) *Stream {
	s := &Stream{ring: ring}
	s.volume.Store(100)
	return s
}

// SetVolume sets the volume in percent, clamped to 0-100.
func (s *Stream) SetVolume(percent int) { s.volume.Store(int32(max(0, min(100, percent)))) }

// Volume is the volume in percent.
func (s *Stream) Volume() int { return int(s.volume.Load()) }

// Read implements io.Reader: len(p)/4 frames, each sample v·volume/100
// (rounded towards zero), little-endian.
func (s *Stream) Read(p []byte) (int, error) {
	frames := len(p) / 4
	if frames == 0 {
		return 0, nil
	}
	if cap(s.scratch) < 2*frames {
		s.scratch = make([]int16, 2*frames)
	}
	buf := s.scratch[:2*frames]
	s.ring.Read(buf)
	vol := s.volume.Load()
	for i, v := range buf {
		v = int16(int32(v) * vol / 100)
		p[2*i], p[2*i+1] = byte(v), byte(uint16(v)>>8)
	}
	return 4 * frames, nil
}

// Pipe connects the machine's audio sink to a Ring at the device rate:
// Push resamples each AI buffer and writes it; Adjust, called once per
// frame, steers the resampling ratio towards the target fill.
type Pipe struct {
	Ring   *Ring
	Rate   int // the device rate in Hz
	Target int // the ring fill to aim for, in frames

	res    Resampler
	inRate int
	ppm    int
	out    []int16
}

// NewPipe returns a pipe into a ring of capacity frames at the device rate,
// aiming at target frames of latency (and priming the ring to it).
func NewPipe(rate, capacity, target int) *Pipe {
	r := NewRing(capacity)
	r.Prime = target
	return &Pipe{Ring: r, Rate: rate, Target: target}
}

// Push is the machine's audio sink: rate is the AI's sample rate.
func (p *Pipe) Push(rate int, stereo []int16) {
	if rate != p.inRate {
		p.inRate = rate
		p.res.SetRates(rate, p.Rate, p.ppm)
	}
	p.out = p.res.Process(p.out[:0], stereo)
	p.Ring.Write(p.out)
}

// MaxAdjustPPM is the largest rate correction Adjust makes: 0.5%, well
// under what an ear notices as pitch.
const MaxAdjustPPM = 5000

// Adjust sets the rate correction from the ring's fill: proportional to how
// far it is from Target, MaxAdjustPPM when empty.
func (p *Pipe) Adjust() int {
	fill := p.Ring.Len()
	ppm := AdjustPPM(fill, p.Target)
	if ppm != p.ppm {
		p.ppm = ppm
		p.res.SetRates(p.inRate, p.Rate, ppm)
	}
	return ppm
}

// AdjustPPM is the correction for a ring holding fill frames when target is
// wanted: (target − fill) · MaxAdjustPPM / target, clamped to
// ±MaxAdjustPPM.
func AdjustPPM(fill, target int) int {
	if target <= 0 {
		return 0
	}
	ppm := (target - fill) * MaxAdjustPPM / target
	return max(-MaxAdjustPPM, min(MaxAdjustPPM, ppm))
}
