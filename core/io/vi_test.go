package io

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
	"github.com/n64go/n64/core/state"
)

func newVIRig(std Standard) (*rig, *VI) {
	r := newRig()
	v := NewStandard(r.s, r.mi, r.bus, std)
	r.handler[sched.VI] = v.Event
	return r, v
}

func (v *VI) write(off, val uint32)  { v.Write32(0x0440_0000+off, val, 0xFFFF_FFFF) }
func (v *VI) read(off uint32) uint32 { return v.Read32(0x0440_0000 + off) }

// Writable bits per n64brew "Video Interface" (register widths).
func TestVIRegisterMasks(t *testing.T) {
	tests := []struct {
		name string
		off  uint32
		want uint32
	}{
		{"VI_CTRL", VICtrl, 0x0001_FFFF},
		{"VI_ORIGIN", VIOrigin, 0x00FF_FFFF},
		{"VI_WIDTH", VIWidth, 0x0000_0FFF},
		{"VI_V_INTR", VIVIntr, 0x0000_03FF},
		{"VI_BURST", VIBurst, 0x3FFF_FFFF},
		{"VI_V_SYNC", VIVSync, 0x0000_03FF},
		{"VI_H_SYNC", VIHSync, 0x001F_0FFF},
		{"VI_H_SYNC_LEAP", VIHSyncLeap, 0x0FFF_0FFF},
		{"VI_H_VIDEO", VIHVideo, 0x03FF_03FF},
		{"VI_V_VIDEO", VIVVideo, 0x03FF_03FF},
		{"VI_V_BURST", VIVBurst, 0x03FF_03FF},
		{"VI_X_SCALE", VIXScale, 0x0FFF_0FFF},
		{"VI_Y_SCALE", VIYScale, 0x0FFF_0FFF},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, v := newVIRig(NTSC)
			v.write(tc.off, 0xFFFF_FFFF)
			if got := v.read(tc.off); got != tc.want {
				t.Errorf("read back %#08x, want %#08x", got, tc.want)
			}
			v.write(tc.off, 0)
			if got := v.read(tc.off); got != 0 {
				t.Errorf("after writing 0: %#08x", got)
			}
		})
	}
}

func TestVINarrowWrite(t *testing.T) {
	_, v := newVIRig(NTSC)
	v.write(VIOrigin, 0x0012_3456)
	v.Write32(0x0440_0000+VIOrigin, 0x0000_AB00, 0x0000_FF00) // SB to byte 2
	if got := v.read(VIOrigin); got != 0x0012_AB56 {
		t.Fatalf("VI_ORIGIN = %#x, want 0x12AB56", got)
	}
}

// An NTSC line is 3094 video clocks (VI_H_SYNC 0xC15 + 1) of the
// 48.681812 MHz clock: 63.56 µs, the NTSC line, ≈ 5958.33 CPU cycles.
const ntscLineCycles = 3094 * 93.75e6 / 48_681_812

// lines is the cycle n NTSC lines after power-on.
func lines(n float64) uint64 { return uint64(n * ntscLineCycles) }

func TestVICurrentAdvances(t *testing.T) {
	for _, line := range []int{0, 1, 10, 100, 200, 262} {
		r, v := newVIRig(NTSC)
		// Mid-line, far from either edge.
		r.runTo(uint64(float64(line)*ntscLineCycles + ntscLineCycles/2))
		if got, want := v.read(VIVCurrent), uint32(2*line); got != want {
			t.Errorf("line %d: V_CURRENT = %d, want %d", line, got, want)
		}
	}
	// Line 263 is line 0 of the next field (263-line fields for V_SYNC 0x20D).
	r, v := newVIRig(NTSC)
	r.runTo(lines(263.5))
	if got := v.read(VIVCurrent); got != 0 || v.Fields != 1 {
		t.Errorf("after 263.5 lines: V_CURRENT %d, Fields %d; want 0, 1", got, v.Fields)
	}
}

// Field rates: NTSC progressive (V_SYNC 0x20D: 263 lines of 3094 clocks)
// is 59.826 Hz; NTSC interlaced (0x20C: 262.5 lines) 59.94 Hz; PAL
// progressive (0x271: 313 lines of 3178 clocks at 49.65653 MHz) 49.92 Hz.
// One second of emulated time holds the integer part of that many fields.
func TestVIFieldRate(t *testing.T) {
	tests := []struct {
		name       string
		std        Standard
		ctrl, sync uint32
		want       uint64
	}{
		{"NTSC default registers", NTSC, 0, 0, 59},
		{"NTSC 0x20D", NTSC, 0, 0x20D, 59},
		{"NTSC interlaced 0x20C", NTSC, viCtrlSerrate, 0x20C, 59},
		{"PAL default registers", PAL, 0, 0, 49},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, v := newVIRig(tc.std)
			calls := uint64(0)
			v.OnField = func() { calls++ }
			v.write(VICtrl, tc.ctrl)
			v.write(VIVSync, tc.sync)
			r.runTo(93_750_000)
			if v.Fields != tc.want || calls != tc.want {
				t.Errorf("Fields %d, OnField calls %d, want %d", v.Fields, calls, tc.want)
			}
		})
	}
	// The period itself: 263 × 3094 clocks at 48.681812 MHz is
	// 16.7152 ms = 1,567,041.9 CPU cycles.
	r, v := newVIRig(NTSC)
	r.runTo(1_567_040)
	if v.Fields != 0 {
		t.Errorf("field ended before 1,567,040 cycles")
	}
	r.runTo(1_567_043)
	if v.Fields != 1 {
		t.Errorf("field did not end by 1,567,043 cycles")
	}
}

// Interlaced V_CURRENT: 0,2,…,524 in field 0 then 1,3,…,523 in field 1
// (osViGetCurrentLine, n64brew "Video Interface").
func TestVIInterlacedField(t *testing.T) {
	r, v := newVIRig(NTSC)
	v.write(VICtrl, viCtrlSerrate)
	v.write(VIVSync, 0x20C)
	r.runTo(lines(262.5))
	if got := v.read(VIVCurrent); got != 524 {
		t.Fatalf("last line of field 0: V_CURRENT %d, want 524", got)
	}
	r.runTo(lines(263.5))
	if got := v.read(VIVCurrent); got != 1 || v.Fields != 1 {
		t.Fatalf("first line of field 1: V_CURRENT %d Fields %d, want 1, 1", got, v.Fields)
	}
	r.runTo(lines((263 + 261.5)))
	if got := v.read(VIVCurrent); got != 523 {
		t.Fatalf("last line of field 1: V_CURRENT %d, want 523", got)
	}
	r.runTo(lines((263 + 262.5)))
	if got := v.read(VIVCurrent); got != 0 || v.Fields != 2 {
		t.Fatalf("after 525 lines: V_CURRENT %d Fields %d, want 0, 2", got, v.Fields)
	}
}

// The VI interrupt is raised when the half-line counter reaches V_INTR:
// krom's 0x200 is line 256, starting 256 lines into the field.
func TestVIInterrupt(t *testing.T) {
	r, v := newVIRig(NTSC)
	v.write(VIVIntr, 0x200)
	at := 256 * ntscLineCycles
	r.runTo(uint64(at) - 100)
	if r.intr(memory.IntrVI) {
		t.Fatal("VI interrupt before line 256")
	}
	r.runTo(uint64(at) + 100)
	if !r.intr(memory.IntrVI) {
		t.Fatal("no VI interrupt at line 256")
	}
	if got := v.read(VIVCurrent); got != 0x200 {
		t.Errorf("V_CURRENT at the interrupt = %#x, want 0x200", got)
	}
	v.write(VIVCurrent, 0) // acknowledge
	if r.intr(memory.IntrVI) {
		t.Fatal("writing V_CURRENT did not clear the interrupt")
	}
	// Once per field: next at the same line of the next field.
	next := (263 + 256) * ntscLineCycles
	r.runTo(uint64(next) - 100)
	if r.intr(memory.IntrVI) {
		t.Fatal("second interrupt came early")
	}
	r.runTo(uint64(next) + 100)
	if !r.intr(memory.IntrVI) {
		t.Fatal("no interrupt in the second field")
	}
}

// In progressive mode only even half-lines are scanned, so an odd V_INTR
// never fires (libdragon, rasky in DragonMinded/libdragon#354).
func TestVIOddIntrNeverFires(t *testing.T) {
	r, v := newVIRig(NTSC)
	v.write(VIVIntr, 0x201)
	r.runTo(4 * 1_567_042)
	if r.intr(memory.IntrVI) {
		t.Fatal("odd V_INTR raised an interrupt")
	}
}

// V_INTR written for a line already passed fires in the next field, and
// rewriting timing registers mid-field keeps the current line.
func TestVIIntrRewrite(t *testing.T) {
	r, v := newVIRig(NTSC)
	r.runTo(lines(100.5))
	v.write(VIVIntr, 2*50) // line 50: passed
	v.write(VIHSync, 0xC15)
	if got := v.read(VIVCurrent); got != 200 {
		t.Fatalf("V_CURRENT after rewriting H_SYNC = %d, want 200", got)
	}
	r.runTo(lines(262.5))
	if r.intr(memory.IntrVI) {
		t.Fatal("interrupt for a passed line in the same field")
	}
	r.runTo(lines((263 + 50.5)))
	if !r.intr(memory.IntrVI) {
		t.Fatal("no interrupt at line 50 of the next field")
	}
}

// krom's ScreenNTSC register values (PeterLemon/N64 LIB/N64_GFX.INC):
// H_VIDEO 0x006C02EC, V_VIDEO 0x002501FF, X_SCALE 0x100·width/160,
// Y_SCALE 0x100·height/60; ScreenPAL: H_VIDEO 0x00800300, V_VIDEO 0x005F0239.
func setScreen(v *VI, ctrl, origin, width, height uint32, pal bool) {
	v.write(VICtrl, ctrl)
	v.write(VIOrigin, origin)
	v.write(VIWidth, width)
	v.write(VIVIntr, 0x200)
	if pal {
		v.write(VIVSync, 0x271)
		v.write(VIHSync, 0x150C69)
		v.write(VIHVideo, 0x00800300)
		v.write(VIVVideo, 0x005F0239)
	} else {
		v.write(VIVSync, 0x20D)
		v.write(VIHSync, 0xC15)
		v.write(VIHVideo, 0x006C02EC)
		v.write(VIVVideo, 0x002501FF)
	}
	v.write(VIXScale, 0x100*(width/160))
	v.write(VIYScale, 0x100*(height/60))
}

func TestVIFrameSize(t *testing.T) {
	tests := []struct {
		name         string
		pal          bool
		ctrl         uint32
		width, heigh uint32
		wantW, wantH int
	}{
		{"krom NTSC 320x240 16bpp", false, 0x0000_3202, 320, 240, 320, 240},
		{"krom NTSC 320x240 32bpp", false, 0x0000_3203, 320, 240, 320, 240},
		{"krom NTSC 640x480 32bpp interlaced", false, 0x0000_0243, 640, 480, 640, 480},
		{"krom NTSC 640x480 16bpp", false, 0x0000_0202, 640, 480, 640, 480},
		{"krom PAL 320x240", true, 0x0000_3202, 320, 240, 320, 240},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, v := newVIRig(StandardOf(tc.pal))
			setScreen(v, tc.ctrl, 0x10_0000, tc.width, tc.heigh, tc.pal)
			img := v.Frame(nil)
			if img.Rect.Dx() != tc.wantW || img.Rect.Dy() != tc.wantH {
				t.Errorf("size %v, want %dx%d", img.Rect.Size(), tc.wantW, tc.wantH)
			}
		})
	}
	// libdragon's NTSC preset (vi.h: H_VIDEO 0x006502F6, V_VIDEO
	// 0x00230205) with a 320x240 buffer: X_SCALE (1024·320+320)/640,
	// Y_SCALE (1024·240+120)/240.
	_, v := newVIRig(NTSC)
	v.write(VICtrl, 2)
	v.write(VIWidth, 320)
	v.write(VIHVideo, 0x006502F6)
	v.write(VIVVideo, 0x00230205)
	v.write(VIXScale, (1024*320+320)/640)
	v.write(VIYScale, (1024*240+120)/240)
	if s := v.Frame(nil).Rect.Size(); s != (image.Point{320, 240}) {
		t.Errorf("libdragon NTSC 320x240: size %v", s)
	}
}

func TestVIFrame16(t *testing.T) {
	r, v := newVIRig(NTSC)
	const origin = 0x10_0000
	setScreen(v, 0x0000_3202, origin, 320, 240, false)
	ram := r.bus.RDRAM
	px := func(x, y uint32, c uint16) { put16(ram, origin+(y*320+x)*2, c) }
	// RGBA5551: r [15:11], g [10:6], b [5:1], a [0]; 5→8 bits as c<<3|c>>2.
	px(0, 0, 0xF801)     // red 31
	px(319, 239, 0x07C1) // green 31
	px(10, 5, 0x003F)    // blue 31
	px(11, 5, 0x8421)    // 16,16,16 → 132
	px(12, 5, 0x0842)    // 1,1,1 → 8
	tests := []struct {
		x, y int
		want color.RGBA
	}{
		{0, 0, color.RGBA{255, 0, 0, 255}},
		{319, 239, color.RGBA{0, 255, 0, 255}},
		{10, 5, color.RGBA{0, 0, 255, 255}},
		{11, 5, color.RGBA{132, 132, 132, 255}},
		{12, 5, color.RGBA{8, 8, 8, 255}},
		{100, 100, color.RGBA{0, 0, 0, 255}},
	}
	img := v.Frame(nil)
	for _, tc := range tests {
		if got := img.RGBAAt(tc.x, tc.y); got != tc.want {
			t.Errorf("(%d,%d) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
	}
	// dst of the right size is reused.
	if again := v.Frame(img); again != img {
		t.Error("Frame did not reuse a same-sized dst")
	}
}

func TestVIFrame32(t *testing.T) {
	r, v := newVIRig(NTSC)
	const origin = 0x20_0000
	setScreen(v, 0x0000_0243, origin, 640, 480, false)
	ram := r.bus.RDRAM
	px := func(x, y uint32, c uint32) { put32(ram, origin+(y*640+x)*4, c) }
	px(0, 0, 0x11223344)
	px(639, 479, 0xFFEEDDCC)
	px(320, 1, 0x01020300)
	tests := []struct {
		x, y int
		want color.RGBA
	}{
		{0, 0, color.RGBA{0x11, 0x22, 0x33, 255}},
		{639, 479, color.RGBA{0xFF, 0xEE, 0xDD, 255}},
		{320, 1, color.RGBA{1, 2, 3, 255}},
		{1, 0, color.RGBA{0, 0, 0, 255}},
	}
	img := v.Frame(nil)
	if img.Rect.Size() != (image.Point{640, 480}) {
		t.Fatalf("size %v", img.Rect.Size())
	}
	for _, tc := range tests {
		if got := img.RGBAAt(tc.x, tc.y); got != tc.want {
			t.Errorf("(%d,%d) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
	}
}

func TestVIFrameBlankAndBeyondRDRAM(t *testing.T) {
	r, v := newVIRig(NTSC)
	img := v.Frame(nil)
	if img.Rect.Size() != (image.Point{320, 240}) || img.RGBAAt(5, 5) != (color.RGBA{0, 0, 0, 255}) {
		t.Fatalf("blank before any picture: %v %v", img.Rect.Size(), img.RGBAAt(5, 5))
	}
	// Show a 640x480 picture for a field, then blank: the size stays.
	setScreen(v, 0x0000_0203, 0, 640, 480, false)
	r.runTo(2_000_000)
	v.write(VICtrl, 0)
	if s := v.Frame(nil).Rect.Size(); s != (image.Point{640, 480}) {
		t.Errorf("blank after 640x480: size %v", s)
	}
	// A framebuffer running off the end of RDRAM reads 0 there.
	setScreen(v, 0x0000_3203, memory.RDRAMSize8M-320*4, 320, 240, false)
	for i := range r.bus.RDRAM[memory.RDRAMSize8M-320*4:] {
		r.bus.RDRAM[memory.RDRAMSize8M-320*4+i] = 0xFF
	}
	img = v.Frame(nil)
	if img.RGBAAt(0, 0) != (color.RGBA{255, 255, 255, 255}) || img.RGBAAt(0, 1) != (color.RGBA{0, 0, 0, 255}) {
		t.Errorf("row 0 %v (want white), row 1 %v (want black)", img.RGBAAt(0, 0), img.RGBAAt(0, 1))
	}
}

// A loaded scan position must be one running could reach; otherwise the VI
// would replay fields for ever to catch up with the clock (found by
// FuzzLoadState).
func TestVISerializeRejectsImpossibleScan(t *testing.T) {
	for _, tt := range []struct {
		name   string
		damage func(r *rig, v *VI)
	}{
		{"reference after the clock", func(r *rig, v *VI) { v.base = r.s.Now + 1 }},
		{"reference long before the clock", func(r *rig, v *VI) { v.base = 0 }},
		{"event line before the reference", func(r *rig, v *VI) { v.pending = v.baseLine }},
		{"event line past the field", func(r *rig, v *VI) { v.pending = v.fieldLines() + 1 }},
		{"event not scheduled", func(r *rig, v *VI) { r.s.Cancel(sched.VI) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, v := newVIRig(NTSC)
			r.runTo(5_000_123)
			tt.damage(r, v)
			w := state.NewWriter()
			r.s.Serialize(w)
			v.Serialize(w)
			r2, v2 := newVIRig(NTSC)
			rd := state.NewReader(w.Bytes())
			r2.s.Serialize(rd)
			v2.Serialize(rd)
			if err := rd.Done(); err == nil || !strings.Contains(err.Error(), "VI") {
				t.Fatalf("load error %v, want one naming the VI", err)
			}
		})
	}
}

func TestVISerialize(t *testing.T) {
	r, v := newVIRig(NTSC)
	setScreen(v, 0x0000_3242, 0x100000, 320, 240, false)
	r.runTo(5_000_123)
	r2, v2 := newVIRig(NTSC)
	// The VI's scan position is checked against the clock and its event,
	// so the scheduler travels with it.
	roundTrip(t, func(s *state.S) { r.s.Serialize(s); v.Serialize(s) },
		func(s *state.S) { r2.s.Serialize(s); v2.Serialize(s) })
	if v2.Fields != v.Fields || v2.read(VIVCurrent) != v.read(VIVCurrent) {
		t.Errorf("restored VI differs: Fields %d/%d", v2.Fields, v.Fields)
	}
}
