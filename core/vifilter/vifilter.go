// Package vifilter applies the Video Interface's own output filters —
// anti-aliasing, the dither (restore) filter, divot and gamma with its
// dither — to the framebuffer the VI scans out. io.VI.Frame stays
// unfiltered so tests compare exact framebuffer pixels (DESIGN.md §6);
// this package is an option for display (n64 play --vi-filters).
//
// The filters follow angrylion-rdp-plus (src/core/n64video/vi/*.c), the
// pixel-exact reference, at the framebuffer's own resolution: nothing is
// resampled, so the VI's lerp between lines and pixels (X/Y_SCALE) and the
// fetch quirks tied to it are not applied.
//
// Coverage: a 32-bit pixel keeps its 3 coverage bits in alpha bits 7:5. A
// 16-bit pixel keeps bit 2 in its low bit and bits 1:0 in the two hidden
// RDRAM bits, which this emulator does not model; core/rdp reads them as
// copies of the low bit (as a fill writes them), and so does this package:
// a 16-bit pixel is fully covered (7) when its low bit is set, else 0.
// RDP coverage 4-6 therefore shows as full and 1-3 as none.
package vifilter

import (
	"image"

	"github.com/n64go/n64/core/io"
)

// VI_CTRL bits (n64brew "Video Interface"; angrylion vi.c vi_reg_ctrl).
const (
	ctrlType         = 3       // [1:0] 0 blank, 2 RGBA5551, 3 RGBA8888
	ctrlGammaDither  = 1 << 2  // add a random low bit before gamma
	ctrlGamma        = 1 << 3  // square-root gamma curve
	ctrlDivot        = 1 << 4  // median of 3 across partly covered pixels
	ctrlAAShift      = 8       // [9:8] anti-alias mode
	ctrlDitherFilter = 1 << 16 // restore 16-bit dithered colour
)

// Anti-alias modes (VI_CTRL bits 9:8): 0 and 1 anti-alias and resample
// (they differ only in when extra lines are fetched), 2 resamples only and
// treats every pixel as fully covered, 3 replicates pixels.
const (
	aaResampleOnly = 2
)

// Regs are the VI registers the filters read.
type Regs struct {
	Ctrl   uint32 // VI_CTRL
	Origin uint32 // VI_ORIGIN: byte address of the framebuffer
	Width  uint32 // VI_WIDTH: framebuffer row length in pixels
}

// RegsOf reads the registers from a VI (plain register reads, no side
// effect).
func RegsOf(v *io.VI) Regs {
	const base = 0x0440_0000
	return Regs{
		Ctrl:   v.Read32(base + io.VICtrl),
		Origin: v.Read32(base + io.VIOrigin),
		Width:  v.Read32(base + io.VIWidth),
	}
}

// pixel is one fetched pixel: 8-bit colour and 3-bit coverage.
type pixel struct{ r, g, b, cvg uint8 }

// Filter keeps the buffers of Apply between frames. The zero value is
// ready to use.
type Filter struct {
	row []pixel // fetched pixels of one line, x = -1 … w (divot's neighbours)
	out *image.RGBA
}

// Active reports whether ctrl enables any filter that changes pixels at
// native resolution: gamma, gamma dither, the dither filter, or
// anti-aliasing (modes 0 and 1; divot only acts on partly covered pixels,
// which exist only then).
func Active(ctrl uint32) bool {
	if ctrl&2 == 0 {
		return false // blank
	}
	return ctrl&(ctrlGamma|ctrlGammaDither|ctrlDitherFilter) != 0 || ctrl>>ctrlAAShift&3 < aaResampleOnly
}

// Apply filters the picture src (io.VI.Frame's output: it gives the size)
// reading the framebuffer from rdram as the VI does, and returns the
// result in an image reused by the next call. When no filter is enabled
// (see Active) it returns src itself, untouched. field selects the gamma
// dither pattern: angrylion draws it from a random generator, here it is a
// hash of (x, y, field), so the output is deterministic.
//
// Colour channels are the VI's 8-bit values: a 16-bit channel is its 5
// bits shifted left by 3 (angrylion RGBA16_R), not io.VI.Frame's
// bit-replicated expansion; the dither filter is what fills the low bits.
func (f *Filter) Apply(src *image.RGBA, rdram []byte, regs Regs, field uint64) *image.RGBA {
	if !Active(regs.Ctrl) {
		return src
	}
	w, h := src.Rect.Dx(), src.Rect.Dy()
	if f.out == nil || f.out.Rect != image.Rect(0, 0, w, h) {
		f.out = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	if cap(f.row) < w+2 {
		f.row = make([]pixel, w+2)
	}
	row := f.row[:w+2]
	fb := framebuffer{ram: rdram, origin: int64(regs.Origin), stride: int64(regs.Width),
		bits32: regs.Ctrl&1 != 0}
	ctrl := regs.Ctrl
	aa := ctrl>>ctrlAAShift&3 < aaResampleOnly
	restore := ctrl&ctrlDitherFilter != 0
	divot := ctrl&ctrlDivot != 0 && aa
	for y := 0; y < h; y++ {
		base := int64(y) * fb.stride
		for x := range row {
			row[x] = fb.fetch(base+int64(x)-1, aa, restore)
		}
		out := f.out.Pix[y*f.out.Stride:]
		for x := 0; x < w; x++ {
			c := row[x+1]
			if divot {
				c = divotFilter(c, row[x], row[x+2])
			}
			c = gammaFilter(c, ctrl, x, y, field)
			p := out[x*4 : x*4+4 : x*4+4]
			p[0], p[1], p[2], p[3] = c.r, c.g, c.b, 255
		}
	}
	return f.out
}

// framebuffer reads pixels by index (row × stride + column) from the
// origin; addresses outside RDRAM read as 0, as in io.VI.Frame. The
// filters read neighbours outside the picture from RDRAM like the VI.
type framebuffer struct {
	ram            []byte
	origin, stride int64
	bits32         bool
}

// raw returns pixel i's colour and coverage (the coverage is 7 for a
// 16-bit pixel with its low bit set, else 0: see the package comment).
func (fb *framebuffer) raw(i int64) pixel {
	if fb.bits32 {
		a := fb.origin + i*4
		if a < 0 || a+3 >= int64(len(fb.ram)) {
			return pixel{}
		}
		return pixel{fb.ram[a], fb.ram[a+1], fb.ram[a+2], fb.ram[a+3] >> 5}
	}
	a := fb.origin + i*2
	if a < 0 || a+1 >= int64(len(fb.ram)) {
		return pixel{}
	}
	v := uint16(fb.ram[a])<<8 | uint16(fb.ram[a+1])
	return pixel{uint8(v >> 8 & 0xF8), uint8(v >> 3 & 0xF8), uint8(v << 2 & 0xF8), uint8(v & 1 * 7)}
}

// fetch is the VI's fetch of pixel i (angrylion vi_fetch_filter16/32):
// with anti-aliasing a partly covered pixel is blended toward its
// neighbours (video filter); a fully covered one — every pixel without
// anti-aliasing — goes through the dither filter when enabled.
func (fb *framebuffer) fetch(i int64, aa, restore bool) pixel {
	p := fb.raw(i)
	if !aa {
		p.cvg = 7
	}
	switch {
	case p.cvg != 7:
		return fb.antiAlias(p, i)
	case restore:
		return fb.restore(p, i)
	}
	return p
}

// restore is the dither filter (angrylion restore_filter16/32): each
// channel moves by one step toward every one of the 8 neighbours whose
// top 5 bits are larger (+1) or smaller (−1) than its own, recovering
// the low bits a 3-bit dither removed. A pixel with 8 larger neighbours
// becomes c+8, never above 255 (larger neighbours mean c ≤ 0xF7).
func (fb *framebuffer) restore(p pixel, i int64) pixel {
	s := fb.stride
	r, g, b := int(p.r), int(p.g), int(p.b)
	for _, n := range [8]int64{i - s - 1, i - s, i - s + 1, i - 1, i + 1, i + s - 1, i + s, i + s + 1} {
		q := fb.raw(n)
		r += step(p.r, q.r)
		g += step(p.g, q.g)
		b += step(p.b, q.b)
	}
	return pixel{uint8(r), uint8(g), uint8(b), p.cvg}
}

// step compares the top 5 bits of a neighbour with the centre's.
func step(c, n uint8) int {
	switch c, n = c>>3, n>>3; {
	case n > c:
		return 1
	case n < c:
		return -1
	}
	return 0
}

// antiAlias is the VI's edge filter (angrylion video_filter16/32). The
// background behind a partly covered pixel is estimated from the fully
// covered ones of six neighbours (up-left, up-right, two left, two right,
// down-left, down-right): per channel, with the centre first in the list,
// the penultimate maximum plus the penultimate minimum minus the centre
// gives the background, and the pixel moves toward it by
// (7 − coverage)/8. The result keeps 8 bits (it wraps, as in angrylion).
func (fb *framebuffer) antiAlias(p pixel, i int64) pixel {
	s := fb.stride
	var rs, gs, bs [7]uint8
	rs[0], gs[0], bs[0] = p.r, p.g, p.b
	n := 1
	for _, j := range [6]int64{i - s - 1, i - s + 1, i - 2, i + 2, i + s - 1, i + s + 1} {
		if q := fb.raw(j); q.cvg == 7 {
			rs[n], gs[n], bs[n] = q.r, q.g, q.b
			n++
		}
	}
	k := int32(7 - p.cvg)
	blend := func(c uint8, v []uint8) uint8 {
		lo, hi := penultimate(v)
		d := int32(lo) + int32(hi) - 2*int32(c)
		return uint8((d*k+4)>>3 + int32(c))
	}
	return pixel{blend(p.r, rs[:n]), blend(p.g, gs[:n]), blend(p.b, bs[:n]), p.cvg}
}

// penultimate returns the second smallest and second largest of v
// (duplicates count) as angrylion's video_max_optimized finds them: when
// the extreme is v[0] itself (the centre pixel), v[0] is returned for it.
func penultimate(v []uint8) (lo, hi uint8) {
	imax, imin := 0, 0
	for i := range v {
		if v[i] > v[imax] {
			imax = i
		}
		if v[i] < v[imin] {
			imin = i
		}
	}
	lo, hi = v[0], v[0]
	if imin != 0 {
		lo = 255
		for i := range v {
			if i != imin && v[i] < lo {
				lo = v[i]
			}
		}
	}
	if imax != 0 {
		hi = 0
		for i := range v {
			if i != imax && v[i] > hi {
				hi = v[i]
			}
		}
	}
	return lo, hi
}

// divotFilter replaces each channel of a pixel by the median of it and
// its left and right neighbours unless all three are fully covered
// (angrylion divot_filter): it removes the one-pixel notches
// anti-aliasing leaves where edges cross.
func divotFilter(c, l, r pixel) pixel {
	if c.cvg&l.cvg&r.cvg == 7 {
		return c
	}
	return pixel{median(c.r, l.r, r.r), median(c.g, l.g, r.g), median(c.b, l.b, r.b), c.cvg}
}

func median(a, b, c uint8) uint8 {
	return max(min(a, b), min(max(a, b), c))
}

// Gamma tables (angrylion vi_gamma_init): the VI's gamma is a square root,
// out = 2·⌊√(64·in)⌋; with gamma dither a 6-bit random value joins the
// input below its 8 bits first: 2·⌊√(64·in + d)⌋.
var gammaTable = func() (t [0x4000]uint8) {
	s := 0
	for i := range t {
		for (s+1)*(s+1) <= i {
			s++
		}
		t[i] = uint8(s << 1)
	}
	return t
}()

// gammaFilter applies gamma and gamma dither (angrylion gamma_filters).
// Dither without gamma adds a random 0 or 1 to each channel below 255.
// The random bits come from noise(x, y, field), not a generator.
func gammaFilter(c pixel, ctrl uint32, x, y int, field uint64) pixel {
	gamma, dither := ctrl&ctrlGamma != 0, ctrl&ctrlGammaDither != 0
	switch {
	case gamma && dither:
		d := noise(x, y, field)
		c.r = gammaTable[int(c.r)<<6|int(d&0x3F)]
		c.g = gammaTable[int(c.g)<<6|int(d>>6&0x3F)]
		c.b = gammaTable[int(c.b)<<6|int(d>>9&0x38|d&7)]
	case gamma:
		c.r, c.g, c.b = gammaTable[int(c.r)<<6], gammaTable[int(c.g)<<6], gammaTable[int(c.b)<<6]
	case dither:
		d := noise(x, y, field)
		c.r = addBit(c.r, d)
		c.g = addBit(c.g, d>>1)
		c.b = addBit(c.b, d>>2)
	}
	return c
}

// addBit adds bit 0 of d to c unless c is 255.
func addBit(c uint8, d uint32) uint8 {
	if c == 255 {
		return c
	}
	return c + uint8(d&1)
}

// noise is 15 pseudo-random bits for pixel (x, y) of a field (the
// splitmix64 finaliser), standing in for angrylion's irand.
func noise(x, y int, field uint64) uint32 {
	z := uint64(uint32(x)) | uint64(uint32(y))<<20 ^ field<<40 ^ field>>24
	z ^= z >> 30
	z *= 0xBF58476D1CE4E5B9
	z ^= z >> 27
	z *= 0x94D049BB133111EB
	z ^= z >> 31
	return uint32(z) & 0x7FFF
}
