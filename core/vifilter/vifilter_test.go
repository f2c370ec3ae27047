package vifilter

import (
	"image"
	"testing"

	"github.com/n64go/n64/core/io"
	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
)

// VI_CTRL values used below: type 2 (16-bit) or 3 (32-bit) with an
// anti-alias mode in bits 9:8.
const (
	aa16      = 2 | 1<<8 // 16-bit, AA + resample
	replicate = 2 | 3<<8 // 16-bit, no AA
	aa32      = 3 | 1<<8
)

// rgba5551 packs 5-bit channels and the coverage bit.
func rgba5551(r, g, b, a uint16) uint16 { return r<<11 | g<<6 | b<<1 | a }

// ram16 lays out 16-bit pixels big-endian from address 0.
func ram16(px ...uint16) []byte {
	b := make([]byte, 2*len(px))
	for i, p := range px {
		b[2*i], b[2*i+1] = byte(p>>8), byte(p)
	}
	return b
}

// ram32 lays out RGBA8888 pixels from address 0; a's bits 7:5 are the
// coverage.
func ram32(px ...[4]byte) []byte {
	var b []byte
	for _, p := range px {
		b = append(b, p[:]...)
	}
	return b
}

func apply(t *testing.T, ram []byte, regs Regs, w, h int) *image.RGBA {
	t.Helper()
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	var f Filter
	out := f.Apply(src, ram, regs, 0)
	if out == src {
		t.Fatalf("ctrl %#x: Apply returned the unfiltered picture", regs.Ctrl)
	}
	return out
}

func rgbAt(img *image.RGBA, x, y int) [3]uint8 {
	p := img.Pix[img.PixOffset(x, y):]
	return [3]uint8{p[0], p[1], p[2]}
}

// With no filter enabled the picture is the VI's own output, untouched:
// the same image as io.VI.Frame, pixel for pixel.
func TestOffReturnsInput(t *testing.T) {
	for _, ctrl := range []uint32{
		0,                     // blank
		2 | 3<<8,              // 16-bit, replicate
		2 | 2<<8,              // 16-bit, resample only
		3 | 3<<8 | 3<<12,      // 32-bit, replicate, pixel advance 3
		2 | 3<<8 | ctrlDivot,  // divot needs partial coverage: none without AA
		ctrlGamma | ctrlDivot, // blank with filters: nothing to filter
	} {
		bus := memory.NewBus(memory.RDRAMSize8M)
		v := io.New(sched.New(), &memory.MI{}, bus, false)
		for off, val := range map[uint32]uint32{io.VICtrl: ctrl, io.VIOrigin: 0x100, io.VIWidth: 4} {
			v.Write32(0x0440_0000+off, val, 0xFFFF_FFFF)
		}
		for i := range 64 {
			bus.RDRAM[0x100+i] = byte(i*37 + 5)
		}
		src := v.Frame(nil)
		want := append([]byte(nil), src.Pix...)
		var f Filter
		got := f.Apply(src, bus.RDRAM, RegsOf(v), 7)
		if got != src {
			t.Errorf("ctrl %#x: got a new image, want the input", ctrl)
		}
		if string(got.Pix) != string(want) {
			t.Errorf("ctrl %#x: pixels changed", ctrl)
		}
	}
}

// Gamma: out = 2·⌊√(64·in)⌋ (angrylion gamma_table), checked by hand:
// √(64·255)=127.7, √(64·248)=125.98, √(64·64)=64, √64=8, √128=11.3.
func TestGamma(t *testing.T) {
	ram := ram32([4]byte{255, 248, 64, 0xE0}, [4]byte{1, 2, 0, 0xE0})
	out := apply(t, ram, Regs{Ctrl: 3 | 3<<8 | ctrlGamma, Width: 2}, 2, 1)
	for x, want := range [][3]uint8{{254, 250, 128}, {16, 22, 0}} {
		if got := rgbAt(out, x, 0); got != want {
			t.Errorf("pixel %d = %v, want %v", x, got, want)
		}
	}
}

// Gamma dither adds 6 random bits below the input before the square root
// (2·⌊√(64·in + d)⌋, d < 64); without gamma it adds 0 or 1 to channels
// below 255. The noise is a function of (x, y, field).
func TestGammaDither(t *testing.T) {
	const w, h = 32, 32
	var px [][4]byte
	for i := range w * h {
		px = append(px, [4]byte{byte(i), 255, 0, 0xE0})
	}
	ram := ram32(px...)
	t.Run("no gamma", func(t *testing.T) {
		out := apply(t, ram, Regs{Ctrl: 3 | 3<<8 | ctrlGammaDither, Width: w}, w, h)
		ones := 0
		for i := range w * h {
			got := rgbAt(out, i%w, i/w)
			r := byte(i)
			if got[0] != r && (r == 255 || got[0] != r+1) {
				t.Fatalf("pixel %d: red %d from %d", i, got[0], r)
			}
			if got[1] != 255 || got[2] > 1 {
				t.Fatalf("pixel %d: green/blue %v from 255/0", i, got)
			}
			ones += int(got[2])
		}
		if ones < w*h/4 || ones > w*h*3/4 {
			t.Errorf("%d of %d blue channels dithered to 1, want about half", ones, w*h)
		}
	})
	t.Run("gamma", func(t *testing.T) {
		out := apply(t, ram, Regs{Ctrl: 3 | 3<<8 | ctrlGamma | ctrlGammaDither, Width: w}, w, h)
		seen := map[uint8]bool{}
		for i := range w * h {
			got := rgbAt(out, i%w, i/w)
			// green 255: √(16320…16383) = 127.7…127.99 → 254 always;
			// blue 0: √(0…63) → 0…7 → 0…14, even.
			if got[1] != 254 || got[2] > 14 || got[2]%2 != 0 {
				t.Fatalf("pixel %d: %v", i, got)
			}
			seen[got[2]] = true
		}
		if len(seen) < 6 {
			t.Errorf("blue from 0 took %d values, want most of 0,2,…,14", len(seen))
		}
	})
	t.Run("deterministic per field", func(t *testing.T) {
		regs := Regs{Ctrl: 3 | 3<<8 | ctrlGamma | ctrlGammaDither, Width: w}
		src := image.NewRGBA(image.Rect(0, 0, w, h))
		var f, g Filter
		a := string(f.Apply(src, ram, regs, 5).Pix)
		if b := string(g.Apply(src, ram, regs, 5).Pix); a != b {
			t.Error("same field, different output")
		}
		if b := string(g.Apply(src, ram, regs, 6).Pix); a == b {
			t.Error("next field, same dither pattern")
		}
	})
}

// The dither filter moves each channel of a fully covered pixel by +1 for
// every one of its 8 neighbours with larger top 5 bits and −1 for every
// smaller one (angrylion restore_filter16).
func TestDitherFilter(t *testing.T) {
	// Centre (1,1) of a 3×3 image: red 10, green 20, blue 0.
	// Red neighbours: 11 ×3 (+3), 9 ×2 (−2), 10 ×3 → 80+1 = 81.
	// Green: all 21 → 160+8 = 168. Blue: all 0 → 0.
	c := rgba5551(10, 20, 0, 1)
	px := []uint16{
		rgba5551(11, 21, 0, 1), rgba5551(11, 21, 0, 1), rgba5551(11, 21, 0, 1),
		rgba5551(9, 21, 0, 1), c, rgba5551(9, 21, 0, 1),
		rgba5551(10, 21, 0, 1), rgba5551(10, 21, 0, 1), rgba5551(10, 21, 0, 0),
	}
	for _, tc := range []struct {
		name string
		ctrl uint32
		want [3]uint8
	}{
		{"AA mode, covered", aa16 | ctrlDitherFilter, [3]uint8{81, 168, 0}},
		{"no AA", replicate | ctrlDitherFilter, [3]uint8{81, 168, 0}},
		// Without the dither filter the VI's 8-bit value is 5 bits << 3.
		{"off", aa16, [3]uint8{80, 160, 0}},
	} {
		out := apply(t, ram16(px...), Regs{Ctrl: tc.ctrl, Width: 3}, 3, 3)
		if got := rgbAt(out, 1, 1); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	// A flat area stays flat: 31 → 248 with every neighbour equal.
	flat := make([]uint16, 9)
	for i := range flat {
		flat[i] = rgba5551(31, 31, 31, 1)
	}
	out := apply(t, ram16(flat...), Regs{Ctrl: replicate | ctrlDitherFilter, Width: 3}, 3, 3)
	if got := rgbAt(out, 1, 1); got != [3]uint8{248, 248, 248} {
		t.Errorf("flat 31: %v, want 248", got)
	}
}

// Anti-aliasing blends a partly covered pixel toward the background
// estimated from its fully covered neighbours at up-left, up-right, two
// left, two right, down-left and down-right: c + ((lo+hi−2c)·(7−cvg)+4)>>3
// with lo, hi the penultimate minimum and maximum of the centre and those
// neighbours (the centre's own value when it is the extreme itself).
func TestAntiAlias(t *testing.T) {
	// 5×3 image, centre (2,1) uncovered (coverage 0: 16-bit low bit clear).
	layout := func(centre uint16, ul, ur, l, r, dl, dr uint16) []uint16 {
		return []uint16{
			0, ul, 0, ur, 0,
			l, 0, centre, 0, r,
			0, dl, 0, dr, 0,
		}
	}
	full := func(v uint16) uint16 { return rgba5551(v, v, v, 1) }
	part := func(v uint16) uint16 { return rgba5551(v, v, v, 0) }
	for _, tc := range []struct {
		name string
		px   []uint16
		ctrl uint32
		want uint8
	}{
		// [0, 160×6]: lo = 0 (the centre is the minimum), hi = 160:
		// 0 + (160·7+4)>>3 = 140.
		{"dark centre", layout(part(0), full(20), full(20), full(20), full(20), full(20), full(20)), aa16, 140},
		// [80, 160, 0, 40, 120, 200] (two-left 240 is not covered):
		// lo 40, hi 160: 80 + ((40+160−160)·7+4)>>3 = 80+35 = 115.
		{"mixed", layout(part(10), full(20), full(0), part(30), full(5), full(15), full(25)), aa16, 115},
		// [200, 40×6]: lo 40, hi 200 (centre): 200 + (−1116>>3) = 60.
		{"bright centre", layout(part(25), full(5), full(5), full(5), full(5), full(5), full(5)), aa16, 60},
		// No covered neighbour: nothing to blend with.
		{"alone", layout(part(25), part(5), part(5), part(5), part(5), part(5), part(5)), aa16, 200},
		// Mode 2 treats every pixel as covered: no blending, the dither
		// filter instead (4 of its 8 neighbours are above 0: 0+4).
		{"resample only", layout(part(0), full(20), full(20), full(20), full(20), full(20), full(20)), 2 | 2<<8 | ctrlDitherFilter, 4},
	} {
		out := apply(t, ram16(tc.px...), Regs{Ctrl: tc.ctrl, Width: 5}, 5, 3)
		if got := rgbAt(out, 2, 1); got != [3]uint8{tc.want, tc.want, tc.want} {
			t.Errorf("%s: %v, want %d", tc.name, got, tc.want)
		}
	}
	// 32-bit: coverage in alpha bits 7:5. Centre red 100 with coverage 3
	// (alpha 0x60) between covered 200s: lo 100 (centre), hi 200:
	// 100 + (100·4+4)>>3 = 150.
	var px [][4]byte
	for i := range 15 {
		px = append(px, [4]byte{200, 0, 0, 0xE0})
		if i == 7 {
			px[i] = [4]byte{100, 0, 0, 0x60}
		}
	}
	out := apply(t, ram32(px...), Regs{Ctrl: aa32, Width: 5}, 5, 3)
	if got := rgbAt(out, 2, 1); got != [3]uint8{150, 0, 0} {
		t.Errorf("32-bit coverage 3: %v, want [150 0 0]", got)
	}
}

// Divot takes the median of each channel with the left and right
// neighbours unless all three are fully covered; the neighbour left of
// the picture is the RDRAM pixel before it.
func TestDivot(t *testing.T) {
	// 32-bit, one row of 5 at origin 4; every pixel is partly covered
	// with no covered neighbour, so anti-aliasing leaves the colours.
	// Reds: [200] | 10 50 20 30 30 | [0 beyond RDRAM].
	reds := []byte{200, 10, 50, 20, 30, 30}
	var px [][4]byte
	for _, r := range reds {
		px = append(px, [4]byte{r, 0, 0, 0x20})
	}
	ram := ram32(px...)
	for _, tc := range []struct {
		name string
		ctrl uint32
		want []uint8
	}{
		{"on", aa32 | ctrlDivot, []uint8{50, 20, 30, 30, 30}},
		{"off", aa32, []uint8{10, 50, 20, 30, 30}},
	} {
		out := apply(t, ram, Regs{Ctrl: tc.ctrl, Origin: 4, Width: 5}, 5, 1)
		for x, want := range tc.want {
			if got := rgbAt(out, x, 0)[0]; got != want {
				t.Errorf("%s: pixel %d red %d, want %d", tc.name, x, got, want)
			}
		}
	}
	// All three covered: untouched.
	if got := divotFilter(pixel{50, 0, 0, 7}, pixel{10, 0, 0, 7}, pixel{20, 0, 0, 7}); got.r != 50 {
		t.Errorf("covered: red %d, want 50", got.r)
	}
}

// Bad register values must not panic: an origin or stride past RDRAM
// reads black.
func TestOutOfRange(t *testing.T) {
	for _, regs := range []Regs{
		{Ctrl: aa16 | ctrlDitherFilter | ctrlDivot | ctrlGamma, Origin: 0xFF_FFFF, Width: 0xFFF},
		{Ctrl: aa32 | ctrlDitherFilter | ctrlDivot, Origin: 0, Width: 0},
	} {
		out := apply(t, make([]byte, 64), regs, 8, 8)
		if got := rgbAt(out, 7, 7); got != [3]uint8{} {
			t.Errorf("%+v: %v, want black", regs, got)
		}
	}
}
