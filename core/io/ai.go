package io

import (
	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
	"github.com/n64go/n64/core/state"
)

// AI register offsets from 0x0450_0000 (n64brew "Audio Interface").
const (
	AIDRAMAddr = 0x00 // AI_DRAM_ADDR (write-only)
	AILength   = 0x04 // AI_LENGTH: write queues a buffer, read gives what is left of the playing one
	AIControl  = 0x08 // AI_CONTROL (write-only): [0] DMA enable
	AIStatus   = 0x0C // AI_STATUS (read-only): write clears the AI interrupt
	AIDACRate  = 0x10 // AI_DACRATE (write-only)
	AIBitRate  = 0x14 // AI_BITRATE (write-only)

	aiDRAMMask = 0x00FF_FFF8
	aiLenMask  = 0x0003_FFF8
)

// AI_STATUS bits, as ares reports them: [31] and [0] FIFO full, [30] DMA
// busy, [25] DMA enabled; [24] and [20] always read 1.
const (
	AIStatusFull    = 1<<31 | 1<<0
	AIStatusBusy    = 1 << 30
	AIStatusEnabled = 1 << 25
	aiStatusAlways  = 1<<24 | 1<<20
)

// aiBuffer is one queued DMA.
type aiBuffer struct{ addr, length uint32 }

// AI is the Audio Interface: a two-entry FIFO of sample buffers played at
// the DAC rate.
//
// A buffer of n bytes holds n/4 stereo 16-bit big-endian samples played at
// videoClock/(AI_DACRATE+1) Hz, so it lasts
// floor(n/4 × 93.75 MHz × (DACRATE+1) / videoClock) CPU cycles.
// Writing AI_LENGTH queues a buffer (ignored when the FIFO is full or the
// length is 0); a buffer queued into an idle AI starts at once. The AI
// interrupt is raised when a buffer starts from idle and whenever a buffer
// ends (the next queued one starting then), as ares and mupen64plus do;
// n64brew's "the interrupt fires when a DMA starts" gives the same moments
// except that we also raise it when the last buffer runs dry. AI_CONTROL's
// enable bit is stored and reported but, as in ares, does not hold
// playback back.
//
// Each buffer's samples are read from RDRAM when it starts playing and
// handed to Samples. A later issue refines audio.
type AI struct {
	dramAddr uint32
	fifo     [2]aiBuffer
	count    uint32 // buffers queued, the first one playing
	start    uint64 // cycle fifo[0] started playing
	dur      uint64 // its length in cycles
	playRate uint32 // the DACRATE fifo[0] plays at
	control  uint32
	dacRate  uint32
	bitRate  uint32

	// Samples receives each buffer as it starts playing: the sample rate
	// in Hz and interleaved left/right samples, valid only during the
	// call. Nil drops them.
	Samples func(rate int, stereo []int16)
	scratch []int16 // host-side buffer for Samples, not state

	s   *sched.Scheduler
	mi  *memory.MI
	bus *memory.Bus
	std Standard
}

// NewAI returns an idle AI for an NTSC or PAL console.
func NewAI(s *sched.Scheduler, mi *memory.MI, bus *memory.Bus, pal bool) *AI {
	return NewAIStandard(s, mi, bus, StandardOf(pal))
}

// NewAIStandard is NewAI for any television standard.
func NewAIStandard(s *sched.Scheduler, mi *memory.MI, bus *memory.Bus, std Standard) *AI {
	return &AI{s: s, mi: mi, bus: bus, std: std}
}

// SampleRate is the DAC's current rate in Hz.
func (a *AI) SampleRate() int { return int(a.std.Clock() / (uint64(a.dacRate) + 1)) }

// remaining is how many bytes of the playing buffer are left.
func (a *AI) remaining() uint32 {
	if a.count == 0 {
		return 0
	}
	elapsed := uint64(0)
	if a.s.Now > a.start {
		elapsed = a.s.Now - a.start
	}
	played := elapsed * a.std.Clock() / (cpuClock * (uint64(a.playRate) + 1)) * 4
	if played >= uint64(a.fifo[0].length) {
		return 0
	}
	return a.fifo[0].length - uint32(played)
}

// Read32 implements memory.Device. The write-only registers read as a
// mirror of AI_LENGTH (n64brew "Audio Interface").
func (a *AI) Read32(paddr uint32) uint32 {
	if paddr&0x1F == AIStatus {
		v := uint32(aiStatusAlways)
		if a.count > 1 {
			v |= AIStatusFull
		}
		if a.count > 0 {
			v |= AIStatusBusy
		}
		if a.control&1 != 0 {
			v |= AIStatusEnabled
		}
		return v
	}
	return a.remaining()
}

// Write32 implements memory.Device.
func (a *AI) Write32(paddr, value, mask uint32) {
	v := value & mask
	switch paddr & 0x1F {
	case AIDRAMAddr:
		a.dramAddr = v & aiDRAMMask
	case AILength:
		n := v & aiLenMask
		if n == 0 || a.count == 2 {
			return
		}
		a.fifo[a.count] = aiBuffer{a.dramAddr, n}
		a.count++
		if a.count == 1 {
			a.play(a.s.Now)
			a.mi.Raise(memory.IntrAI)
		}
	case AIControl:
		a.control = v & 1
	case AIStatus:
		a.mi.Lower(memory.IntrAI)
	case AIDACRate:
		a.dacRate = v & 0x3FFF
	case AIBitRate:
		a.bitRate = v & 0xF
	}
}

// play starts fifo[0] at cycle at, schedules its end and delivers its samples.
func (a *AI) play(at uint64) {
	b := a.fifo[0]
	a.start = at
	a.playRate = a.dacRate
	a.dur = uint64(b.length/4) * cpuClock * (uint64(a.dacRate) + 1) / a.std.Clock()
	if a.dur == 0 {
		a.dur = 1
	}
	a.s.Schedule(sched.AI, at+a.dur)
	if a.Samples == nil {
		return
	}
	n := int(b.length / 2)
	if cap(a.scratch) < n {
		a.scratch = make([]int16, n)
	}
	out := a.scratch[:n]
	for i := range out {
		out[i] = int16(rdramRead16(a.bus.RDRAM, (b.addr+uint32(2*i))&0xFF_FFFF))
	}
	a.Samples(a.SampleRate(), out)
}

// Event runs when sched.AI fires: the playing buffer has ended.
func (a *AI) Event() {
	end := a.start + a.dur
	a.mi.Raise(memory.IntrAI)
	if a.count == 0 {
		return
	}
	a.fifo[0], a.fifo[1] = a.fifo[1], aiBuffer{}
	a.count--
	if a.count > 0 {
		a.play(end)
	}
}

// Serialize saves or restores the AI.
func (a *AI) Serialize(s *state.S) {
	s.U32(&a.dramAddr)
	for i := range a.fifo {
		s.U32(&a.fifo[i].addr)
		s.U32(&a.fifo[i].length)
	}
	s.U32(&a.count)
	s.U64(&a.start)
	s.U64(&a.dur)
	s.U32(&a.playRate)
	s.U32(&a.control)
	s.U32(&a.dacRate)
	s.U32(&a.bitRate)
	if s.Loading() {
		// As the register writes mask them, so a damaged state cannot ask
		// play for gigabytes of samples.
		a.count = min(a.count, 2)
		a.dramAddr &= aiDRAMMask
		for i := range a.fifo {
			a.fifo[i].addr &= aiDRAMMask
			a.fifo[i].length &= aiLenMask
		}
		a.control &= 1
		a.dacRate &= 0x3FFF
		a.playRate &= 0x3FFF
		a.bitRate &= 0xF
	}
}
