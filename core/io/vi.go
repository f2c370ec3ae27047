package io

import (
	"fmt"
	"image"
	"math"

	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
	"github.com/n64go/n64/core/state"
)

// VI register offsets from 0x0440_0000 (n64brew "Video Interface").
const (
	VICtrl      = 0x00 // VI_CTRL (VI_STATUS)
	VIOrigin    = 0x04 // VI_ORIGIN (VI_DRAM_ADDR)
	VIWidth     = 0x08 // VI_WIDTH
	VIVIntr     = 0x0C // VI_V_INTR
	VIVCurrent  = 0x10 // VI_V_CURRENT
	VIBurst     = 0x14 // VI_BURST (VI_TIMING)
	VIVSync     = 0x18 // VI_V_SYNC
	VIHSync     = 0x1C // VI_H_SYNC
	VIHSyncLeap = 0x20 // VI_H_SYNC_LEAP
	VIHVideo    = 0x24 // VI_H_VIDEO (VI_H_START)
	VIVVideo    = 0x28 // VI_V_VIDEO (VI_V_START)
	VIVBurst    = 0x2C // VI_V_BURST
	VIXScale    = 0x30 // VI_X_SCALE
	VIYScale    = 0x34 // VI_Y_SCALE
	viNumRegs   = 14
)

// Register indices (offset / 4).
const (
	viCtrl = iota
	viOrigin
	viWidth
	viVIntr
	viVCurrent
	viBurst
	viVSync
	viHSync
	viHSyncLeap
	viHVideo
	viVVideo
	viVBurst
	viXScale
	viYScale
)

// viWritable are the bits each register keeps (n64brew "Video Interface";
// the same widths as ares' vi/io.cpp).
var viWritable = [viNumRegs]uint32{
	viCtrl:      0x0001_FFFF, // [16] dedither, [15:12] pixel advance, [11:8] aa/diag, [7:0] modes, [1:0] type
	viOrigin:    0x00FF_FFFF, // [23:0] framebuffer address
	viWidth:     0x0000_0FFF, // [11:0] framebuffer line width in pixels
	viVIntr:     0x0000_03FF, // [9:0] half-line of the VI interrupt
	viVCurrent:  0,           // read-only: a write clears the interrupt
	viBurst:     0x3FFF_FFFF, // [29:20] burst start, [19:16] vsync width, [15:8] burst width, [7:0] hsync width
	viVSync:     0x0000_03FF, // [9:0] half-lines per field (minus one)
	viHSync:     0x001F_0FFF, // [20:16] PAL leap pattern, [11:0] line length in 1/4 pixels (minus one)
	viHSyncLeap: 0x0FFF_0FFF, // two alternate line lengths
	viHVideo:    0x03FF_03FF, // [25:16] start, [9:0] end of active video, in pixels
	viVVideo:    0x03FF_03FF, // [25:16] start, [9:0] end of active video, in half-lines
	viVBurst:    0x03FF_03FF,
	viXScale:    0x0FFF_0FFF, // [27:16] subpixel offset, [11:0] 1/scale in 2.10
	viYScale:    0x0FFF_0FFF,
}

// VI_CTRL bits.
const (
	viCtrlType    = 3      // [1:0] 0 blank, 2 RGBA5551, 3 RGBA8888
	viCtrlSerrate = 1 << 6 // interlaced output
)

// VI is the Video Interface: the registers, the raster position (half-line
// counter) advancing with emulated time, the VI interrupt and the video
// output read from the framebuffer.
//
// Timing: a line lasts (VI_H_SYNC[11:0]+1) video clocks (NTSC 0xC15 →
// 3094 clocks = 63.56 µs at 48.68 MHz, the NTSC line); a field has
// VI_V_SYNC+1 half-lines, i.e. (V_SYNC+2-field)/2 lines, so NTSC
// progressive (0x20D) has 263-line fields at 59.83 Hz, and interlaced
// (0x20C) alternates 263- and 262-line fields (0,2,…,524 then 1,3,…,523,
// per osViGetCurrentLine). Line k of a field starts at cycle
// base + floor((frac + k·(H_SYNC+1)·93.75 MHz) / videoClock), exactly, with
// the fraction carried from field to field so nothing drifts. The PAL leap
// pattern (VI_H_SYNC_LEAP) is not modelled: a fraction of a pixel per line.
//
// Only two moments are scheduled: the next line whose half-line equals
// VI_V_INTR and the end of the field.
type VI struct {
	regs [viNumRegs]uint32

	field    uint32 // current field (0/1; toggles each field while serrate is set)
	base     uint64 // cycle at which line baseLine of the current field started
	baseLine uint32
	baseFrac uint64 // remainder of base in 1/videoClock units, < videoClock
	pending  uint32 // line at which the scheduled VI event falls

	// lineCache remembers currentLine's answer and the cycles over which it
	// holds: games poll VI_V_CURRENT in tight loops (N64NICCC spent 14 % of
	// its run time in the division). Anything that moves the raster's
	// reference point or changes the timing registers clears it.
	lineCache struct {
		line        uint32
		from, until uint64 // valid while from <= s.Now < until
	}

	// Fields counts completed fields since power-on.
	Fields uint64
	// lastW, lastH are the size of the last non-blank picture, the size
	// a blank picture keeps.
	lastW, lastH uint32

	// OnField is called at the end of every field (the machine renders the
	// frame then). Nil means nothing is called.
	OnField func()

	s   *sched.Scheduler
	mi  *memory.MI
	bus *memory.Bus
	std Standard
}

// New returns a VI for an NTSC or PAL console at the scheduler's current
// cycle, with every register 0.
func New(s *sched.Scheduler, mi *memory.MI, bus *memory.Bus, pal bool) *VI {
	return NewStandard(s, mi, bus, StandardOf(pal))
}

// NewStandard is New for any television standard (MPAL included).
func NewStandard(s *sched.Scheduler, mi *memory.MI, bus *memory.Bus, std Standard) *VI {
	v := &VI{s: s, mi: mi, bus: bus, std: std, base: s.Now}
	v.schedule(0)
	return v
}

// lineClocks is the length of a line in video clocks.
func (v *VI) lineClocks() uint64 {
	h := v.regs[viHSync] & 0xFFF
	if h == 0 {
		_, h = v.std.defaults()
	}
	return uint64(h) + 1
}

// lineNum is the length of a line in CPU cycles × videoClock.
func (v *VI) lineNum() uint64 { return v.lineClocks() * cpuClock }

// fieldLines is the number of lines in the current field.
func (v *VI) fieldLines() uint32 {
	h := v.regs[viVSync] & 0x3FF
	if h == 0 {
		h, _ = v.std.defaults()
	}
	n := (h + 2 - v.field) / 2
	if n == 0 {
		n = 1
	}
	return n
}

// intrLine is the line whose half-line number matches VI_V_INTR. As in
// ares (vi.cpp: "field is not compared") the field bit takes no part, so
// an even V_INTR fires every field and an odd one never does.
func (v *VI) intrLine() (uint32, bool) {
	h := v.regs[viVIntr]
	return h >> 1, h&1 == 0
}

// lineStart is the cycle at which line k (k ≥ baseLine) of the field starts.
func (v *VI) lineStart(k uint32) uint64 {
	return v.base + (v.baseFrac+uint64(k-v.baseLine)*v.lineNum())/v.std.Clock()
}

// rebase moves the reference point to the start of line k (k ≥ baseLine).
func (v *VI) rebase(k uint32) {
	v.lineCache.until = 0
	num := v.baseFrac + uint64(k-v.baseLine)*v.lineNum()
	d := v.std.Clock()
	v.base += num / d
	v.baseFrac = num % d
	v.baseLine = k
}

// currentLine is the line of the current field being scanned at s.Now.
func (v *VI) currentLine() uint32 {
	now := v.s.Now
	if c := &v.lineCache; now >= c.from && now < c.until {
		return c.line
	}
	line, from, until := v.scanLine(now)
	v.lineCache.line, v.lineCache.from, v.lineCache.until = line, from, until
	return line
}

// scanLine is the line of the current field being scanned at cycle now,
// and the cycles [from, until) over which that stays the answer while the
// registers and the reference point stay as they are.
func (v *VI) scanLine(now uint64) (line uint32, from, until uint64) {
	if now < v.base {
		return v.baseLine, 0, v.base
	}
	// The largest k with lineStart(k) <= now.
	n := ((now-v.base+1)*v.std.Clock() - v.baseFrac - 1) / v.lineNum()
	k := uint64(v.baseLine) + n
	limit := uint64(v.fieldLines()) - 1
	if limit < uint64(v.baseLine) {
		limit = uint64(v.baseLine)
	}
	if k >= limit { // the last line; past it the field-end event is due but has not run yet
		return uint32(limit), v.lineStart(uint32(limit)), math.MaxUint64
	}
	return uint32(k), v.lineStart(uint32(k)), v.lineStart(uint32(k) + 1)
}

// schedule sets the VI event to the next interesting line after line cur:
// the V_INTR line or the end of the field.
func (v *VI) schedule(cur uint32) {
	end := v.fieldLines()
	if end <= cur { // the field was shortened under the beam: it ends with this line
		end = cur + 1
	}
	next := end
	if l, ok := v.intrLine(); ok && l > cur && l < end {
		next = l
	}
	v.pending = next
	v.s.Schedule(sched.VI, v.lineStart(next))
}

// Event runs when sched.VI fires: the V_INTR line or the end of a field.
func (v *VI) Event() {
	line := v.pending
	if line >= v.fieldLines() {
		v.rebase(line)
		v.baseLine = 0
		v.Fields++
		if v.regs[viCtrl]&viCtrlSerrate != 0 {
			v.field ^= 1
		} else {
			v.field = 0
		}
		line = 0
		if v.regs[viCtrl]&viCtrlType >= 2 {
			if w, h := v.frameSize(); w != 0 && h != 0 {
				v.lastW, v.lastH = w, h
			}
		}
		if v.OnField != nil {
			v.OnField()
		}
	}
	if l, ok := v.intrLine(); ok && l == line {
		v.mi.Raise(memory.IntrVI)
	}
	v.schedule(line)
}

// Read32 implements memory.Device.
func (v *VI) Read32(paddr uint32) uint32 {
	i := paddr & 0xFFFFF >> 2
	switch {
	case i == viVCurrent:
		return (v.currentLine()<<1 | v.field) & 0x3FF
	case i < viNumRegs:
		return v.regs[i]
	}
	return 0
}

// Write32 implements memory.Device. Writing VI_V_CURRENT clears the VI
// interrupt; writes to the timing registers re-plan the next VI event from
// the current line.
func (v *VI) Write32(paddr, value, mask uint32) {
	i := paddr & 0xFFFFF >> 2
	switch {
	case i == viVCurrent:
		v.mi.Lower(memory.IntrVI)
	case i == viCtrl || i == viVIntr || i == viVSync || i == viHSync:
		cur := v.currentLine()
		v.rebase(cur)
		v.regs[i] = merge(v.regs[i], value, mask) & viWritable[i]
		v.schedule(cur)
	case i < viNumRegs:
		v.regs[i] = merge(v.regs[i], value, mask) & viWritable[i]
	}
}

// Serialize saves or restores the VI.
func (v *VI) Serialize(s *state.S) {
	s.U32s(v.regs[:])
	s.U32(&v.field)
	s.U64(&v.base)
	s.U32(&v.baseLine)
	s.U64(&v.baseFrac)
	s.U32(&v.pending)
	s.U64(&v.Fields)
	s.U32(&v.lastW)
	s.U32(&v.lastH)
	if s.Loading() {
		for i := range v.regs {
			v.regs[i] &= viWritable[i]
		}
		v.field &= 1
		v.baseFrac %= v.std.Clock()
		v.lineCache.until = 0
		if err := v.checkScan(); err != nil {
			s.Fail(err)
		}
	}
}

// checkScan verifies a loaded scan position against what running keeps
// true: the reference line starts no later than now, the pending event's
// line lies after it and at most one line past the field's end, and the
// scheduler holds that line's start. A state breaking these would have the
// VI replay billions of fields to catch up.
func (v *VI) checkScan() error {
	end := max(v.fieldLines(), v.baseLine+1)
	at, ok := v.s.Pending(sched.VI)
	switch {
	case v.base > v.s.Now:
		return fmt.Errorf("state: VI line reference at cycle %d, after the clock's %d", v.base, v.s.Now)
	case v.pending <= v.baseLine || v.pending > end:
		return fmt.Errorf("state: VI event for line %d, outside lines %d..%d", v.pending, v.baseLine+1, end)
	case !ok || at != v.lineStart(v.pending):
		return fmt.Errorf("state: VI event not at the start of line %d", v.pending)
	}
	return nil
}

// Video output.
//
// Frame returns the picture the VI scans out, at the framebuffer's own
// resolution and unfiltered (DESIGN.md §6): output pixel (x, y) is
// framebuffer pixel (x, y) at VI_ORIGIN with a row stride of VI_WIDTH
// pixels. No resampling happens because the size is the part of the
// framebuffer the VI reads:
//
//	width  = (H_VIDEO end − start) × X_SCALE / 1024, rounded to the
//	         nearest pixel, at most VI_WIDTH (N64NICCC: 640 × 0x199/1024
//	         = 255.6 shows its 256-pixel framebuffer)
//	         (krom: 640 × 0x200/1024 = 320, 640 × 0x400/1024 = 640)
//	height = active lines × Y_SCALE / 1024, rounded to the nearest line,
//	         where active lines = (V_VIDEO end − start)/2 rounded to the
//	         nearest multiple of 8.
//
// The rounding of the active lines is the one judgement call: the usual
// 240-line modes open a window a few half-lines short of 480 (libultra and
// krom: V_VIDEO 0x025..0x1FF = 474 half-lines = 237 lines; libdragon:
// 0x023..0x205 = 241 lines), which is why GLideN64 and Glide64 stretch the
// height by 240/237 (their "1.0126582f"). Snapping to 8 lines gives the
// framebuffer's real height for all of these (krom 320x240 with Y_SCALE
// 0x400 → 240; 640x480 with Y_SCALE 0x800 → 480; libdragon PAL, 288 lines
// at Y_SCALE 0x355 → 240). Without H_VIDEO/X_SCALE the width is VI_WIDTH;
// without V_VIDEO/Y_SCALE the height is 240 (NTSC) or 288 (PAL).
//
// Type 2 is RGBA 5551 (each 5-bit channel expanded to 8 bits as
// c<<3 | c>>2), type 3 RGBA 8888; alpha is always 255. Types 0 and 1
// (blank) give a black picture of the last displayed size (320x240 before
// any). Framebuffer bytes beyond RDRAM read as 0. dst is reused when it
// has the right size.
func (v *VI) Frame(dst *image.RGBA) *image.RGBA {
	typ := v.regs[viCtrl] & viCtrlType
	w, h := v.frameSize()
	if typ < 2 || w == 0 || h == 0 {
		w, h = v.lastW, v.lastH
		if w == 0 || h == 0 {
			w, h = 320, 240
		}
		img := reuseRGBA(dst, int(w), int(h))
		for i := 0; i < len(img.Pix); i += 4 {
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = 0, 0, 0, 255
		}
		return img
	}
	img := reuseRGBA(dst, int(w), int(h))
	ram := v.bus.RDRAM
	origin := uint64(v.regs[viOrigin])
	stride := uint64(v.regs[viWidth])
	for y := uint64(0); y < uint64(h); y++ {
		row := img.Pix[y*uint64(img.Stride):]
		for x := uint64(0); x < uint64(w); x++ {
			p := row[x*4 : x*4+4 : x*4+4]
			if typ == 2 {
				a := origin + (y*stride+x)*2
				var c uint16
				if a+1 < uint64(len(ram)) {
					c = uint16(ram[a])<<8 | uint16(ram[a+1])
				}
				p[0], p[1], p[2] = expand5(c>>11), expand5(c>>6), expand5(c>>1)
			} else {
				a := origin + (y*stride+x)*4
				if a+3 < uint64(len(ram)) {
					p[0], p[1], p[2] = ram[a], ram[a+1], ram[a+2]
				} else {
					p[0], p[1], p[2] = 0, 0, 0
				}
			}
			p[3] = 255
		}
	}
	return img
}

// Framebuffer area limits: far above any real mode, they only bound the
// allocation when a program writes nonsense.
const maxFrameSide = 2048

// frameSize is the framebuffer area the VI reads (see Frame).
func (v *VI) frameSize() (w, h uint32) {
	width := v.regs[viWidth]
	hs, he := v.regs[viHVideo]>>16&0x3FF, v.regs[viHVideo]&0x3FF
	xs := v.regs[viXScale] & 0xFFF
	if he > hs && xs != 0 {
		w = ((he-hs)*xs + 512) / 1024
		if width != 0 && w > width {
			w = width
		}
	} else {
		w = width
	}
	vs, ve := v.regs[viVVideo]>>16&0x3FF, v.regs[viVVideo]&0x3FF
	ys := v.regs[viYScale] & 0xFFF
	if ve > vs && ys != 0 {
		lines := ((ve-vs)/2 + 4) / 8 * 8
		h = (lines*ys + 512) / 1024
	} else if v.std == PAL {
		h = 288
	} else {
		h = 240
	}
	return min(w, maxFrameSide), min(h, maxFrameSide)
}

// expand5 widens the low 5 bits of c to 8 bits.
func expand5(c uint16) uint8 {
	c &= 31
	return uint8(c<<3 | c>>2)
}

// reuseRGBA returns dst when it is w×h, else a new image.
func reuseRGBA(dst *image.RGBA, w, h int) *image.RGBA {
	if dst != nil && dst.Rect == image.Rect(0, 0, w, h) && dst.Stride == 4*w {
		return dst
	}
	return image.NewRGBA(image.Rect(0, 0, w, h))
}
