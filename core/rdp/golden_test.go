package rdp

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/n64go/n64/core/memory"
)

// The golden images guard the renderer's speed work: any change to the
// per-pixel pipeline must leave every byte of RDRAM and TMEM as it was.
// The SHA-256 constants were recorded from main's renderer at commit
// 0d0b3d0 (after the copy-mode and LOD changes, before the prepared-state
// fast paths), and the merge of the speed work reproduced them; they are
// not produced by the code they check. A deliberate change of output (an
// accuracy fix) must re-record them from a renderer whose output was
// validated by other means (the krom reference screens).

const (
	goldenColor = 0x100000 // color image
	goldenZ     = 0x200000 // z buffer
	goldenTex   = 0x300000 // texture source for loads
)

// xorshift is a small deterministic generator for the random scenes
// (core/ does not import math/rand).
type xorshift uint64

func (x *xorshift) next() uint64 {
	v := uint64(*x)
	v ^= v << 13
	v ^= v >> 7
	v ^= v << 17
	*x = xorshift(v)
	return v
}

// n is a value in [0, k).
func (x *xorshift) n(k uint64) uint64 { return x.next() % k }

// in is a value in [lo, hi].
func (x *xorshift) in(lo, hi int64) int64 { return lo + int64(x.n(uint64(hi-lo+1))) }

// goldenRaster is a raster over 4 MiB of RDRAM whose texture source area
// and TMEM hold seeded noise.
func goldenRaster(seed uint64) *raster {
	r := &raster{rdram: make([]byte, memory.RDRAMSize4M)}
	g := xorshift(seed)
	for i := range r.tmem {
		r.tmem[i] = byte(g.next() >> 24)
	}
	for i := goldenTex; i < goldenTex+0x10000; i++ {
		r.rdram[i] = byte(g.next() >> 24)
	}
	return r
}

// w32 is v as a 32-bit command field.
func w32(v int64) uint64 { return uint64(uint32(int32(v))) }

func goldenHash(r *raster) string {
	h := sha256.New()
	h.Write(r.rdram)
	h.Write(r.tmem[:])
	return hex.EncodeToString(h.Sum(nil))
}

// structuredScene is the benchmark's scene (2-cycle, perspective,
// bilinear, z-buffered shaded triangle) followed by fill rectangles,
// copy-mode and 1-cycle texture rectangles, a 1-cycle shaded triangle
// and two coplanar z-only triangles in interpenetrating mode, into 16-,
// 32- and 8-bit color images.
func structuredScene() []uint64 {
	tri := []uint64{
		0x0F<<56 | 1<<55 | (192<<2)<<32 | (192<<2)<<16,
		0, 0,
		256<<48 | w32(-(256<<16)/192),
		200<<48 | 150<<32 | 100<<16 | 255, 0, 0, 0x4000 << 48,
		0, 0xFFFF << 32, 0, 0xC000 << 32,
		0x7FFF << 16, 32 << 48, 0, 0, 0, 32 << 32, 0, 0,
		0x1000<<48 | 1<<16, 0,
	}
	// A shaded 1-cycle triangle (0x0C), right major, with a sloped left
	// edge: partial coverage at the edges.
	shadeTri := []uint64{
		0x0C<<56 | (200<<2)<<32 | (100<<2)<<16 | 10<<2,
		uint64(uint32(300<<16))<<32 | w32(-(1<<16)/3),
		uint64(uint32(310<<16))<<32 | w32(-(3<<16)/4),
		uint64(uint32(310<<16))<<32 | w32(-(5<<16)/2),
		10<<48 | 250<<32 | 30<<16 | 200, 1<<48 | 0xFFFF<<32 | 2<<16, 0x8000 << 48, 0,
		0, 0x0001<<48 | 0xFFFF<<16, 0, 0,
	}
	var cmds []uint64
	add := func(w ...uint64) { cmds = append(cmds, w...) }
	for _, size := range []uint64{2, 3, 1} {
		add(0x3F<<56|size<<51|319<<32|goldenColor,
			0x3E<<56|goldenZ,
			0x2D<<56|(320<<2)<<12|240<<2,
			// Fill the z buffer with the far plane and clear the image.
			0x2F<<56|3<<52,
			0x3F<<56|2<<51|319<<32|goldenZ,
			0x37<<56|0xFFFC_FFFC,
			0x36<<56|(319<<2)<<44|(239<<2)<<32,
			0x3F<<56|size<<51|319<<32|goldenColor,
			0x37<<56|0x0842_1084,
			0x36<<56|(319<<2)<<44|(239<<2)<<32,
			// The benchmark's modes, combiner and tile.
			0x2F<<56|1<<52|1<<51|1<<45|1<<43|1<<42|1<<5|1<<4,
			0x3C<<56|1<<52|4<<47|1<<44|4<<41|15<<37|31<<32|15<<28|15<<24|7<<21|7<<18|7<<15|7<<12|7<<9|7<<3,
			0x35<<56|2<<51|8<<41|5<<14|5<<4)
		add(tri...)
		// Fill rectangles with fractional edges.
		add(0x2F<<56|3<<52, 0x37<<56|0xF00F_0FF0,
			0x36<<56|(300<<2)<<44|(30<<2)<<32|(200<<2)<<12|5<<2,
			0x36<<56|(31<<2|3)<<44|(231<<2)<<32|(3<<2|1)<<12|(210<<2|2))
		// Copy mode: an RGBA16 and an I8 texture rectangle, alpha compare on.
		add(0x2F<<56|2<<52|1,
			0x35<<56|2<<51|8<<41|5<<14|5<<4,
			0x24<<56|(120<<2)<<44|(140<<2)<<32|(40<<2)<<12|100<<2, 4<<26|8<<16|4<<10,
			0x35<<56|1<<24|4<<53|1<<51|4<<41|0x80<<32|4<<14|6<<4|1<<8,
			0x24<<56|(250<<2)<<44|(60<<2)<<32|1<<24|(180<<2)<<12|20<<2, uint64(0xFFE0)<<48|4<<10)
		// 1-cycle texture rectangles: point-sampled IA16 with clamp, a
		// bilinear RGBA32 flipped one with mirror, blended over memory
		// (P = pixel, A = pixel alpha, M = memory, B = 1-A) with
		// antialiasing and magic-square dither.
		add(0x2F<<56|1<<6|1<<3|1<<14|0<<30|1<<22,
			0x3C<<56|0xF<<52|0x1F<<47|7<<44|7<<41|0xF<<37|0x1F<<32|0xF<<28|0xF<<24|7<<21|7<<18|1<<15|7<<12|1<<9|1<<6|7<<3|1,
			0x35<<56|2<<24|3<<53|2<<51|8<<41|0x40<<32|1<<19|3<<14|1<<9|3<<4,
			0x32<<56|2<<24|(20<<2)<<12|20<<2,
			0x25<<56|(140<<2)<<44|(200<<2)<<32|2<<24|(60<<2)<<12|150<<2, 3<<48|5<<32|(1<<10)<<16|1<<9,
			0x2F<<56|1<<45|1<<6|1<<3|1<<14|1<<22|1<<18|1<<24|1<<38,
			0x35<<56|3<<24|0<<53|3<<51|16<<41|0x20<<32|1<<18|4<<14|1<<8|4<<4,
			0x24<<56|(310<<2)<<44|(235<<2)<<32|3<<24|(220<<2|1)<<12|(180<<2|2), uint64(0x10)<<48|0x18<<32|(3<<9)<<16|3<<8)
		// The shaded 1-cycle triangle with z compare and update, Bayer dither,
		// combiner = shade, into the z buffer the first triangle wrote.
		add(0x2F<<56|1<<4|1<<5|1<<38|1<<3|1<<6,
			0x3C<<56|0xF<<52|0x1F<<47|7<<44|7<<41|0xF<<37|0x1F<<32|0xF<<28|0xF<<24|7<<21|7<<18|4<<15|7<<12|4<<9|4<<6|7<<3|4)
		add(shadeTri...)
		// Two z-only triangles (0x09) in interpenetrating mode, the second
		// one z unit nearer: antialiased, over a read-back image, the
		// coverage overflows and is scaled.
		add(0x2F<<56|3<<52,
			0x3F<<56|2<<51|319<<32|goldenZ,
			0x37<<56|0xFFFC_FFFC,
			0x36<<56|(319<<2)<<44|(239<<2)<<32,
			0x3F<<56|size<<51|319<<32|goldenColor,
			0x2F<<56|1<<4|1<<5|1<<10|1<<3|1<<6|1<<14,
			0x3C<<56|0xF<<52|0x1F<<47|7<<44|7<<41|0xF<<37|0x1F<<32|0xF<<28|0xF<<24|7<<21|7<<18|3<<15|7<<12|3<<9|3<<6|7<<3|3)
		for _, z := range []uint64{0x2000, 0x1FFF} {
			add(0x09<<56|1<<55|(150<<2)<<32|(150<<2)<<16|(20<<2|1),
				uint64(10<<16)<<32, uint64(10<<16)<<32, 200<<48|w32(-(190<<16)/130),
				z<<48, 0)
		}
	}
	return cmds
}

// randomScene returns n random primitives, each after random state
// commands: every cycle type, other-modes and combine word, tile layout,
// color image size and scissor the generator picks.
func randomScene(g *xorshift, n int) []uint64 {
	var cmds []uint64
	add := func(w ...uint64) { cmds = append(cmds, w...) }
	for range n {
		if g.n(4) == 0 {
			size := []uint64{1, 2, 2, 3}[g.n(4)]
			format := []uint64{0, 0, 4, 3}[g.n(4)]
			add(0x3F<<56 | format<<53 | size<<51 | 319<<32 | goldenColor)
		}
		if g.n(6) == 0 {
			xh, yh := g.in(0, 40), g.in(0, 40)
			xl, yl := g.in(200, 1280), g.in(160, 960)
			field := g.n(4) &^ 1 * uint64(g.n(2))
			add(0x2D<<56 | uint64(xh)<<44 | uint64(yh)<<32 | field<<24 | uint64(xl)<<12 | uint64(yl))
		}
		cycle := []uint64{0, 0, 1, 1, 1, 2, 3}[g.n(7)]
		modes := g.next()&^(3<<52|0xFF<<56) | cycle<<52 | 0x2F<<56
		add(modes, 0x3C<<56|g.next()&(1<<56-1))
		switch g.n(3) {
		case 0:
			add(0x37<<56|g.next()&0xFFFF_FFFF, 0x38<<56|g.next()&0xFFFF_FFFF,
				0x39<<56|g.next()&0xFFFF_FFFF, 0x3B<<56|g.next()&0xFFFF_FFFF)
		case 1:
			add(0x3A<<56|g.next()&(1<<56-1), 0x2E<<56|g.next()&0xFFFF_FFFF,
				0x2A<<56|g.next()&(1<<56-1), 0x2B<<56|g.next()&(1<<56-1), 0x2C<<56|g.next()&(1<<56-1))
		}
		if g.n(3) == 0 {
			// A load from the noise area into TMEM.
			size := g.n(4)
			add(0x3D<<56 | g.n(5)<<53 | size<<51 | uint64(g.in(7, 63))<<32 | goldenTex)
			t := g.n(8)
			add(0x35<<56 | g.n(5)<<53 | size<<51 | g.n(16)<<41 | g.n(512)<<32 | t<<24)
			switch g.n(3) {
			case 0:
				sl, tl := g.in(0, 8), g.in(0, 8)
				add(0x34<<56 | uint64(sl)<<46 | uint64(tl)<<34 | t<<24 | uint64(sl+g.in(0, 40))<<14 | uint64(tl+g.in(0, 20))<<2)
			case 1:
				add(0x33<<56 | g.n(16)<<44 | g.n(16)<<32 | t<<24 | g.n(512)<<12 | g.n(0x1000))
			default:
				add(0x30<<56 | t<<24 | g.n(256)<<14 | g.n(8)<<46)
			}
		}
		for range g.n(3) {
			add(0x35<<56 | g.next()&(1<<56-1)&^(7<<24) | g.n(8)<<24)
			add(0x32<<56 | g.n(0x400)<<44 | g.n(0x400)<<32 | g.n(8)<<24 | g.n(0x400)<<12 | g.n(0x400))
		}
		switch g.n(4) {
		case 0: // FILL_RECTANGLE
			xh, yh := g.in(0, 1200), g.in(0, 900)
			add(0x36<<56 | uint64(min(xh+g.in(0, 400), 0xFFF))<<44 | uint64(min(yh+g.in(0, 300), 0xFFF))<<32 | uint64(xh)<<12 | uint64(yh))
		case 1: // TEXTURE_RECTANGLE (flipped half the time)
			xh, yh := g.in(0, 1200), g.in(0, 900)
			op := 0x24 + g.n(2)
			add(op<<56|uint64(min(xh+g.in(0, 400), 0xFFF))<<44|uint64(min(yh+g.in(0, 300), 0xFFF))<<32|g.n(8)<<24|uint64(xh)<<12|uint64(yh),
				g.next()&0xFFFF_FFFF_0000_0000|w32(g.in(-0x800, 0x800))&0xFFFF<<16|w32(g.in(-0x800, 0x800))&0xFFFF)
		default: // a triangle with random coefficients
			op := 8 + g.n(8)
			yh := g.in(-8, 900)
			ym := yh + g.in(0, 300)
			yl := ym + g.in(0, 300)
			w := []uint64{
				op<<56 | g.n(2)<<55 | g.n(8)<<48 | w32(yl)&0x3FFF<<32 | w32(ym)&0x3FFF<<16 | w32(yh)&0x3FFF,
				w32(g.in(-20, 340)<<16|g.in(0, 0xFFFF))<<32 | w32(g.in(-4<<16, 4<<16)),
				w32(g.in(-20, 340)<<16|g.in(0, 0xFFFF))<<32 | w32(g.in(-4<<16, 4<<16)),
				w32(g.in(-20, 340)<<16|g.in(0, 0xFFFF))<<32 | w32(g.in(-4<<16, 4<<16)),
			}
			attrs := func(lo, hi, dlo, dhi int64) {
				// Integer parts of value, d/dx, then fractions, then
				// d/de, d/dy integer parts and fractions.
				var ints, dxs, des, dys uint64
				for i := range 4 {
					sh := uint(48 - 16*i)
					ints |= w32(g.in(lo, hi)) & 0xFFFF << sh
					dxs |= w32(g.in(dlo, dhi)) & 0xFFFF << sh
					des |= w32(g.in(dlo, dhi)) & 0xFFFF << sh
					dys |= w32(g.in(dlo, dhi)) & 0xFFFF << sh
				}
				w = append(w, ints, dxs, g.next(), g.next(), des, dys, g.next(), g.next())
			}
			if op&4 != 0 {
				attrs(-20, 280, -3, 3)
			}
			if op&2 != 0 {
				attrs(-0x400, 0x7FFF, -64, 64)
			}
			if op&1 != 0 {
				w = append(w, w32(g.in(-0x1000, 0x9FFF)<<16|g.in(0, 0xFFFF))<<32|w32(g.in(-0x40000, 0x40000)),
					w32(g.in(-0x40000, 0x40000))<<32|w32(g.in(-0x40000, 0x40000)))
			}
			add(w...)
		}
	}
	return cmds
}

// TestGoldenImages renders the structured scene and eight random scenes
// of 400 primitives and compares the SHA-256 of RDRAM and TMEM with the
// constants recorded before the speed work (see the top of the file).
// It checks that output is unchanged, not that it is right.
func TestGoldenImages(t *testing.T) {
	for _, tc := range []struct {
		name string
		seed uint64
		want string
	}{
		{"structured", 0, "b3e6a2be3a453ba0a8480ea858ec10ff9505525a6fd9228f4a892a048bef8a2c"},
		{"random1", 1, "dc02cb43a74f5a280cccbf7a40d4bca0fe2407fa997f1810532965c8d63c247b"},
		{"random2", 2, "f0ae214e93e0e79fd5d13a2c0f477d881aa36549483a0ceae014c4bdc355fd5f"},
		{"random3", 3, "79baecf78824fb94fb8f362dfa3a15fc0ebef1be94ca0547d57949de240b701a"},
		{"random4", 4, "717ef64492bd40cb35e744c1d3424348e10eca66e7c88591807077be99416bec"},
		{"random5", 5, "7fb3d869a07e74c9eb56479dec98368173b9e99af96c53cc1d1d043b520917d0"},
		{"random6", 6, "c9194f456d450e284e4751c89f59859e6e01bb6d2d510c95620017a0c779cf53"},
		{"random7", 7, "8ddd99dd7e1278874e1adb10517ee1398c38835739beeee5184b497859a1083d"},
		{"random8", 8, "4ebebf1f4e0ddb385d09e6543dc289ce96f5c6fe9811d01a7a4af62ec04d1f1b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := goldenRaster(tc.seed + 0x9E3779B97F4A7C15)
			if tc.seed == 0 {
				run(r, structuredScene()...)
			} else {
				run(r, 0x3F<<56|2<<51|319<<32|goldenColor, 0x3E<<56|goldenZ, 0x2D<<56|(320<<2)<<12|240<<2)
				g := xorshift(tc.seed * 0x2545F4914F6CDD1D)
				run(r, randomScene(&g, 400)...)
			}
			if got := goldenHash(r); got != tc.want {
				t.Errorf("SHA-256 of RDRAM and TMEM = %s, want %s", got, tc.want)
			}
		})
	}
}
