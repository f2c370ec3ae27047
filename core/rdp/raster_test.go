package rdp

import (
	"testing"

	"github.com/n64go/n64/core/memory"
)

// newRaster returns a raster over 4 MiB of RDRAM with a 16-bit 8-pixel
// wide color image at 0x1000 and a full-image scissor.
func newRaster(size uint32) *raster {
	r := &raster{rdram: make([]byte, memory.RDRAMSize4M)}
	r.color = image{addr: 0x1000, size: size, width: 8}
	r.scXL, r.scYL = 8<<2, 8<<2
	return r
}

func run(r *raster, cmds ...uint64) {
	for i := 0; i < len(cmds); {
		op := uint32(cmds[i]>>56) & 0x3F
		n := int(cmdWords[op])
		r.execute(op, cmds[i:i+n])
		i += n
	}
}

// pix16 is the 16-bit color image word at (x, y).
func pix16(r *raster, x, y int) uint32 {
	return r.read16(r.color.addr + uint32(y*int(r.color.width)+x)*2)
}

// Command word layouts from n64brew "Reality Display Processor/Commands".
func TestDecodeCommands(t *testing.T) {
	r := newRaster(size16)
	run(r,
		// Set Tile: fmt CI(2) 55:53, size 8b(1) 52:51, line 3 49:41,
		// tmem 0x100 40:32, tile 5 26:24, palette 7 23:20, ct 19, mt 18,
		// maskT 5 17:14, shiftT 2 13:10, cs 9, ms 8, maskS 4 7:4, shiftS 11 3:0.
		0x35<<56|2<<53|1<<51|3<<41|0x100<<32|5<<24|7<<20|1<<19|1<<18|5<<14|2<<10|1<<9|1<<8|4<<4|11,
		// Set Scissor: XH 8.0 YH 4.0 XL 320.0 YL 240.0.
		0x2D<<56|(8<<2)<<44|(4<<2)<<32|(320<<2)<<12|240<<2,
		// Set Color Image: RGBA 32b, width 320, address 0x100000.
		0x3F<<56|3<<51|319<<32|0x100000,
		// Set Other Modes: cycle type copy (2) in 53:52, en_tlut 47,
		// force_blend 14, z_compare 4, alpha_compare 0.
		0x2F<<56|2<<52|1<<47|1<<14|1<<4|1,
		// Set Tile Size: SL 1.0 TL 2.0 tile 5 SH 9.0 TH 10.0.
		0x32<<56|4<<44|8<<32|5<<24|36<<12|40,
	)
	tl := r.tiles[5]
	want := tile{format: 2, size: 1, line: 3, tmem: 0x100, palette: 7, ct: 1, mt: 1, maskT: 5, shiftT: 2,
		cs: 1, ms: 1, maskS: 4, shiftS: 11, sl: 4, tl: 8, sh: 36, th: 40}
	if tl != want {
		t.Errorf("tile = %+v, want %+v", tl, want)
	}
	if r.scXH != 32 || r.scYH != 16 || r.scXL != 1280 || r.scYL != 960 {
		t.Errorf("scissor %d %d %d %d", r.scXH, r.scYH, r.scXL, r.scYL)
	}
	if r.color != (image{addr: 0x100000, size: 3, width: 320}) {
		t.Errorf("color image %+v", r.color)
	}
	m := r.modes
	if m.cycleType != cycleCopy || !m.tlutEn || !m.forceBlend || !m.zCompare || !m.alphaCmp || m.zUpdate {
		t.Errorf("other modes %+v", m)
	}
}

// Set Combine Mode bit fields (n64brew "Set Combine Mode").
func TestDecodeCombine(t *testing.T) {
	w := uint64(0x3C)<<56 | 0xA<<52 | 0x13<<47 | 5<<44 | 6<<41 | 0x3<<37 | 0x1C<<32 |
		0x9<<28 | 0x4<<24 | 2<<21 | 1<<18 | 6<<15 | 3<<12 | 4<<9 | 5<<6 | 2<<3 | 1
	c := decodeCombine(w)
	want := combineMode{
		subARGB: [2]uint32{0xA, 3}, subBRGB: [2]uint32{9, 4}, mulRGB: [2]uint32{0x13, 0x1C}, addRGB: [2]uint32{6, 5},
		subAA: [2]uint32{5, 2}, subBA: [2]uint32{3, 2}, mulA: [2]uint32{6, 1}, addA: [2]uint32{4, 1},
	}
	if c != want {
		t.Errorf("combine %+v, want %+v", c, want)
	}
}

// Fill Rectangle coverage (n64brew "Fill Rectangle"): in fill mode the
// lower-right edge is inclusive, in 1-cycle mode exclusive. Rectangle
// XH,YH = 1.0,1.0 XL,YL = 3.0,2.0.
func TestFillRectCoverage(t *testing.T) {
	rect := uint64(0x36)<<56 | (3<<2)<<44 | (2<<2)<<32 | (1<<2)<<12 | 1<<2
	for _, tc := range []struct {
		name  string
		modes uint64
		want  [][2]int // covered pixels
	}{
		{"fill", 0x2F<<56 | 3<<52, [][2]int{{1, 1}, {2, 1}, {3, 1}, {1, 2}, {2, 2}, {3, 2}}},
		// 1-cycle, combiner D = primitive color, P = pixel, no blend.
		{"1cycle", 0x2F << 56, [][2]int{{1, 1}, {2, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRaster(size16)
			run(r, tc.modes, 0x37<<56|0xFFFF_FFFF, 0x3A<<56|0xFFFF_FFFF,
				0x3C<<56|0xF<<52|0x1F<<47|7<<44|7<<41|0xF<<37|0x1F<<32|0xF<<28|0xF<<24|7<<21|7<<18|3<<15|7<<12|3<<9|3<<6|7<<3|3, rect)
			got := map[[2]int]bool{}
			for y := 0; y < 8; y++ {
				for x := 0; x < 8; x++ {
					if pix16(r, x, y) != 0 {
						got[[2]int{x, y}] = true
					}
				}
			}
			if len(got) != len(tc.want) {
				t.Errorf("%d pixels covered, want %d: %v", len(got), len(tc.want), got)
			}
			for _, p := range tc.want {
				if !got[p] {
					t.Errorf("pixel %v not covered", p)
				}
			}
		})
	}
}

// Set Fill Color: a 16-bit image takes the upper halfword at even x and
// the lower at odd x; a 32-bit image the whole word (n64brew).
func TestFillColorHalves(t *testing.T) {
	r := newRaster(size16)
	run(r, 0x2F<<56|3<<52, 0x37<<56|0x1234_5678, 0x36<<56|(3<<2)<<44)
	for x, want := range []uint32{0x1234, 0x5678, 0x1234, 0x5678} {
		if got := pix16(r, x, 0); got != want {
			t.Errorf("x=%d: %#x, want %#x", x, got, want)
		}
	}
	r = newRaster(size32)
	run(r, 0x2F<<56|3<<52, 0x37<<56|0x1234_5678, 0x36<<56|(1<<2)<<44)
	if got := r.read32(0x1004); got != 0x1234_5678 {
		t.Errorf("32-bit: %#x", got)
	}
}

// LOAD_BLOCK (n64brew "Load Block"): 64-bit words go to TMEM in order;
// the 1.11 counter advances by dxt per word and words loaded while its
// integer part is odd have their 32-bit halves swapped. Width 4 words per
// line: dxt = 2048/4 = 0x200, so words 4-7 are swapped.
func TestLoadBlockDxt(t *testing.T) {
	r := newRaster(size16)
	for i := 0; i < 64; i++ {
		r.rdram[0x2000+i] = byte(i)
	}
	// Texture image 16b width 16 at 0x2000; tile 0 at TMEM 0; load 32
	// texels (64 bytes = 8 words) with dxt 0x200.
	run(r, 0x3D<<56|2<<51|15<<32|0x2000, 0x35<<56|2<<51, 0x33<<56|31<<12|0x200)
	for w := 0; w < 8; w++ {
		for b := 0; b < 8; b++ {
			src := w*8 + b
			if w >= 4 {
				src = w*8 + b ^ 4
			}
			if got := r.tmem[w*8+b]; got != byte(src) {
				t.Fatalf("tmem[%d] = %d, want %d", w*8+b, got, src)
			}
		}
	}
}

// LOAD_TILE: odd lines of the tile are stored with 32-bit halves swapped.
func TestLoadTileOddLines(t *testing.T) {
	r := newRaster(size16)
	for i := 0; i < 32; i++ {
		r.rdram[0x2000+i] = byte(i)
	}
	// 16b image width 8 (16 bytes/line), tile line 2 words; load 8x2.
	run(r, 0x3D<<56|2<<51|7<<32|0x2000, 0x35<<56|2<<51|2<<41, 0x34<<56|(7<<2)<<12|1<<2)
	for i := 0; i < 16; i++ {
		if r.tmem[i] != byte(i) {
			t.Fatalf("line 0 tmem[%d] = %d", i, r.tmem[i])
		}
		if got := r.tmem[16+i^4]; got != byte(16+i) {
			t.Fatalf("line 1 tmem[%d] = %d, want %d", 16+i^4, got, 16+i)
		}
	}
}

// Texel formats (n64brew "Reality Display Processor/Texture formats").
func TestTexelFormats(t *testing.T) {
	for _, tc := range []struct {
		name         string
		format, size uint32
		tmem         []byte
		s            uint32
		want         rgba
	}{
		{"RGBA16 red opaque", fmtRGBA, size16, []byte{0xF8, 0x01}, 0, rgba{0xFF, 0, 0, 0xFF}},
		{"RGBA16 blue clear", fmtRGBA, size16, []byte{0, 0, 0x00, 0x3E}, 1, rgba{0, 0, 0xFF, 0}},
		{"IA16", fmtIA, size16, []byte{0x80, 0x40}, 0, rgba{0x80, 0x80, 0x80, 0x40}},
		{"IA8", fmtIA, size8, []byte{0x00, 0xA5}, 1, rgba{0xAA, 0xAA, 0xAA, 0x55}},
		{"IA4 high nibble", fmtIA, size4, []byte{0xF0}, 0, rgba{0xFF, 0xFF, 0xFF, 0xFF}},
		{"IA4 low nibble", fmtIA, size4, []byte{0x0A}, 1, rgba{0xB6, 0xB6, 0xB6, 0}},
		{"I8", fmtI, size8, []byte{0x12, 0x34}, 1, rgba{0x34, 0x34, 0x34, 0x34}},
		{"I4", fmtI, size4, []byte{0x3C}, 1, rgba{0xCC, 0xCC, 0xCC, 0xCC}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRaster(size16)
			copy(r.tmem[:], tc.tmem)
			tl := &tile{format: tc.format, size: tc.size}
			if got := r.texel(tl, tc.s, 0); got != tc.want {
				t.Errorf("texel = %+v, want %+v", got, tc.want)
			}
		})
	}
	// RGBA32: red/green in the low half, blue/alpha at +0x800.
	r := newRaster(size16)
	r.tmem[0], r.tmem[1], r.tmem[0x800], r.tmem[0x801] = 1, 2, 3, 4
	if got := r.texel(&tile{size: size32}, 0, 0); got != (rgba{1, 2, 3, 4}) {
		t.Errorf("RGBA32 = %+v", got)
	}
	// CI8 through the TLUT (entries every 8 bytes from 0x800).
	r.modes.tlutEn = true
	r.tmem[5] = 2
	r.tmem[0x810], r.tmem[0x811] = 0x07, 0xC1 // green, opaque
	if got := r.texel(&tile{format: fmtCI, size: size8}, 5, 0); got != (rgba{0, 0xFF, 0, 0xFF}) {
		t.Errorf("CI8 = %+v", got)
	}
}

// Wrap, mirror and clamp of a tile coordinate (n64brew "Set Tile").
func TestWrapCoord(t *testing.T) {
	for _, tc := range []struct {
		name                           string
		s                              int32 // texels
		shift, clamp, mirror, mask, sh uint32
		want                           uint32
	}{
		{"wrap mask 2", 5, 0, 0, 0, 2, 0, 1},
		{"mirror mask 2", 5, 0, 0, 1, 2, 0, 2},
		{"clamp high", 9, 0, 1, 0, 0, 7 << 2, 7},
		{"clamp low", -3, 0, 1, 0, 0, 7 << 2, 0},
		{"shift 1 halves", 6, 1, 0, 0, 3, 0, 3},
		{"shift 15 doubles", 3, 15, 0, 0, 3, 0, 6},
	} {
		if got := wrapCoord(tc.s<<5, tc.shift, 0, tc.sh, tc.clamp, tc.mirror, tc.mask); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

// A small left-major triangle (n64brew "Triangle"): YH = YM = 0, YL =
// 4.0, the major edge x = 0 on the left, the minor edge XL = 0 with slope
// 1.0 on the right (x = y). In 1-cycle mode (no AA) a pixel is drawn when
// its top-left sample is inside, the right edge exclusive: line y covers
// x < y. In fill mode a line spans from the leftmost to the rightmost edge
// position over its four sub-scanlines, inclusive: x <= y.
func TestSmallTriangle(t *testing.T) {
	tri := []uint64{
		0x08<<56 | 1<<55 | (4<<2)<<32, // LFT, YL 4.0, YM 0, YH 0
		0<<32 | 1<<16,                 // XL 0, DxLDy 1.0
		0,                             // XH 0, DxHDy 0
		0,                             // XM 0, DxMDy 0
	}
	for _, tc := range []struct {
		name  string
		modes uint64
		inX   func(x, y int) bool
	}{
		{"1cycle", 0x2F << 56, func(x, y int) bool { return y < 4 && x < y }},
		{"fill", 0x2F<<56 | 3<<52, func(x, y int) bool { return y < 4 && x <= y }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRaster(size16)
			run(r, tc.modes, 0x37<<56|0xFFFF_FFFF, 0x3A<<56|0xFFFF_FFFF,
				0x3C<<56|0xF<<52|0x1F<<47|7<<44|7<<41|0xF<<37|0x1F<<32|0xF<<28|0xF<<24|7<<21|7<<18|3<<15|7<<12|3<<9|3<<6|7<<3|3)
			run(r, tri...)
			for y := 0; y < 8; y++ {
				for x := 0; x < 8; x++ {
					if got, want := pix16(r, x, y) != 0, tc.inX(x, y); got != want {
						t.Errorf("pixel (%d,%d) covered %v, want %v", x, y, got, want)
					}
				}
			}
		})
	}
}

// Z-buffer format (n64brew "Reality Display Processor/Z-buffer"):
// exponent = leading ones (max 7), 11 mantissa bits.
func TestZCompress(t *testing.T) {
	for _, tc := range []struct{ z, c uint32 }{
		{0, 0},
		{0x1FFFF, 0x7FF},         // exp 0: bits 16..6
		{0x20000, 1 << 11},       // exp 1
		{0x3FFFF, 7<<11 | 0x7FF}, // exp 7
		{0x3F800 | 0x123, 7<<11 | 0x123},
	} {
		if got := zCompress(tc.z); got != tc.c {
			t.Errorf("zCompress(%#x) = %#x, want %#x", tc.z, got, tc.c)
		}
		if got := zDecompress(tc.c); zCompress(got) != tc.c {
			t.Errorf("zDecompress(%#x) = %#x does not round-trip", tc.c, got)
		}
	}
}

func BenchmarkFillRect(b *testing.B) {
	r := newRaster(size16)
	r.color.width = 320
	r.scXL, r.scYL = 320<<2, 240<<2
	run(r, 0x2F<<56|3<<52, 0x37<<56|0x1234_5678)
	rect := []uint64{0x36<<56 | (319<<2)<<44 | (239<<2)<<32}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run(r, rect...)
	}
	b.ReportMetric(float64(320*240)*float64(b.N)/b.Elapsed().Seconds(), "pixels/s")
}

func BenchmarkTexRect(b *testing.B) {
	r := newRaster(size16)
	r.color.width = 320
	r.scXL, r.scYL = 320<<2, 240<<2
	// 1-cycle, combiner = texel0, 32x32 RGBA16 texture wrapped (mask 5).
	run(r, 0x2F<<56, 0x3C<<56|0xF<<52|0x1F<<47|7<<44|7<<41|0xF<<37|0x1F<<32|0xF<<28|0xF<<24|7<<21|7<<18|1<<15|7<<12|1<<9|1<<6|7<<3|1,
		0x35<<56|2<<51|8<<41|5<<14|5<<4)
	rect := []uint64{0x24<<56 | (320<<2)<<44 | (240<<2)<<32, 1<<10<<16 | 1<<10}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run(r, rect...)
	}
	b.ReportMetric(float64(320*240)*float64(b.N)/b.Elapsed().Seconds(), "pixels/s")
}
