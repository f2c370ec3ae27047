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

// primCombine makes the combiner output the primitive color (D = prim,
// everything else 0) so a drawn 1-cycle pixel is non-zero.
const primCombine = 0x3C<<56 | 0xF<<52 | 0x1F<<47 | 7<<44 | 7<<41 | 0xF<<37 | 0x1F<<32 | 0xF<<28 | 0xF<<24 | 7<<21 | 7<<18 | 3<<15 | 7<<12 | 3<<9 | 3<<6 | 7<<3 | 3

// covered draws cmds on a cleared 8x8 16-bit image in 1-cycle (modes 0)
// or fill mode and returns the set of written pixels.
func covered(t *testing.T, fill bool, cmds ...uint64) map[[2]int]bool {
	t.Helper()
	r := newRaster(size16)
	modes := uint64(0x2F << 56)
	if fill {
		modes |= 3 << 52
	}
	run(r, modes, 0x37<<56|0xFFFF_FFFF, 0x3A<<56|0xFFFF_FFFF, primCombine)
	run(r, cmds...)
	got := map[[2]int]bool{}
	for y := 0; y < 8; y++ {
		for x := 0; x < 8; x++ {
			if pix16(r, x, y) != 0 {
				got[[2]int{x, y}] = true
			}
		}
	}
	return got
}

// The edge walker's scanline rules (angrylion edgewalker_for_prims,
// compute_cvg_*): a line is in the span list when any of its 4
// sub-scanlines lies in [YH, YL); fill mode draws every listed line from
// the leftmost to the rightmost edge pixel, inclusive; 1-cycle mode
// without antialiasing draws a pixel only when its first sample (sub-
// scanline 0, the pixel's left edge) is inside.
func TestEdgeWalkerRules(t *testing.T) {
	// Left major, vertical edges at x = 1.0 and x = 4.0: YH and YL set
	// per case in s11.2.
	box := func(yh, yl uint64) []uint64 {
		return []uint64{0x08<<56 | 1<<55 | yl<<32 | yl<<16 | yh, 4 << 48, 1 << 48, 4 << 48}
	}
	// Right major mirror of the left-major test triangle: the major edge
	// x = 4.0 on the right, the minor edge from (4, 0) with slope -1.
	right := []uint64{0x08<<56 | 16<<32, 4<<48 | 0xFFFF_0000, 4 << 48, 4<<48 | 0xFFFF_0000}
	rows := func(y0, y1, x0, x1 int) map[[2]int]bool {
		m := map[[2]int]bool{}
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				m[[2]int{x, y}] = true
			}
		}
		return m
	}
	for _, tc := range []struct {
		name string
		fill bool
		cmds []uint64
		want map[[2]int]bool
	}{
		// YH 2.0 to YL 5.0: lines 2-4 in both modes; 1-cycle excludes
		// the right edge pixel 4, fill includes it.
		{"whole lines 1cycle", false, box(8, 20), rows(2, 5, 1, 4)},
		{"whole lines fill", true, box(8, 20), rows(2, 5, 1, 5)},
		// YH 2.25: line 2 keeps sub-scanlines 1-3, so fill mode draws
		// it; sub-scanline 0 is out, so 1-cycle starts at line 3.
		{"YH 2.25 1cycle", false, box(9, 20), rows(3, 5, 1, 4)},
		{"YH 2.25 fill", true, box(9, 20), rows(2, 5, 1, 5)},
		// YL 5.25: line 5's sub-scanline 0 is inside: drawn by both.
		{"YL 5.25 1cycle", false, box(8, 21), rows(2, 6, 1, 4)},
		{"YL 5.25 fill", true, box(8, 21), rows(2, 6, 1, 5)},
		// Right major: line y's left edge runs from 4-y to 3.25-y. 1-cycle
		// draws x in [4-y, 4); fill draws [3-y, 4].
		{"right major 1cycle", false, right, func() map[[2]int]bool {
			m := map[[2]int]bool{}
			for y := 0; y < 4; y++ {
				for x := 4 - y; x < 4; x++ {
					m[[2]int{x, y}] = true
				}
			}
			return m
		}()},
		{"right major fill", true, right, func() map[[2]int]bool {
			m := map[[2]int]bool{}
			for y := 0; y < 4; y++ {
				for x := 3 - y; x <= 4; x++ {
					m[[2]int{x, y}] = true
				}
			}
			return m
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := covered(t, tc.fill, tc.cmds...)
			for p := range got {
				if !tc.want[p] {
					t.Errorf("pixel %v drawn, want not", p)
				}
			}
			for p := range tc.want {
				if !got[p] {
					t.Errorf("pixel %v not drawn", p)
				}
			}
		})
	}
}

// Rectangles with fractional corners: fill mode draws from the pixel
// holding XH/YH to the one holding XL/YL; 1-cycle mode draws the pixels
// whose top-left corner lies in [XH, XL) x [YH, YL).
func TestRectFractions(t *testing.T) {
	// XH 1.5, YH 1.5, XL 4.5, YL 3.5.
	rect := uint64(0x36)<<56 | 18<<44 | 14<<32 | 6<<12 | 6
	for _, tc := range []struct {
		name           string
		fill           bool
		x0, x1, y0, y1 int // drawn: [x0, x1) x [y0, y1)
	}{
		{"fill", true, 1, 5, 1, 4},
		{"1cycle", false, 2, 5, 2, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := covered(t, tc.fill, rect)
			for y := 0; y < 8; y++ {
				for x := 0; x < 8; x++ {
					want := x >= tc.x0 && x < tc.x1 && y >= tc.y0 && y < tc.y1
					if got[[2]int{x, y}] != want {
						t.Errorf("pixel (%d,%d) drawn %v, want %v", x, y, !want, want)
					}
				}
			}
		})
	}
}

// A texture rectangle's S and T are those of its corner (XH, YH); a pixel
// samples them at its top-left corner. XH 2.5 with S 0, DsDx 1.0: the
// span starts at the major-edge pixel 2 with S = -0.5 texel (s10.5 -16),
// and the first drawn pixel, 3, gets S = 0.5 texel (+16). Flipped, S
// steps down the lines instead and T across.
func TestTexRectCoordinates(t *testing.T) {
	for _, tc := range []struct {
		name        string
		op          uint64
		s0, t0, dsx int32 // span 0 S and T at pixel 2, S step per pixel (s10.5)
	}{
		{"normal", 0x24, -16, 0, 32},
		{"flip", 0x25, 0, -16, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRaster(size16)
			run(r, 0x2F<<56)
			// XL 6.0, YL 4.0, tile 0, XH 2.5, YH 1.0; S 0, T 0, DsDx 1.0, DtDy 1.0.
			run(r, tc.op<<56|24<<44|16<<32|10<<12|4, 1<<10<<16|1<<10)
			sp := r.spans[0]
			if !sp.valid || sp.rx != 2 || sp.lx != 6 || sp.unscrx != 2 {
				t.Fatalf("span 0: valid %v rx %d lx %d unscrx %d, want true 2 6 2", sp.valid, sp.rx, sp.lx, sp.unscrx)
			}
			if s, tt := sp.v[attrS]>>16, sp.v[attrT]>>16; s != tc.s0 || tt != tc.t0 {
				t.Errorf("S, T at pixel 2 = %d, %d, want %d, %d", s, tt, tc.s0, tc.t0)
			}
			r.cvgBuf = [1024]uint8{}
			r.coverage(&sp, true)
			if first := cvgTable[r.cvgBuf[3]]; !first.cvbit || cvgTable[r.cvgBuf[2]].cvbit {
				t.Errorf("first covered pixel is not 3: masks %#x %#x", r.cvgBuf[2], r.cvgBuf[3])
			}
		})
	}
}

// Coverage masks (angrylion coverage_init_lut): bits 7-4 are sub-scanlines
// 0-1 and bits 3-0 sub-scanlines 2-3; even sub-scanlines sample quarters 0
// and 2, odd ones 1 and 3. offy/offx are the first covered sample.
func TestCoverageTable(t *testing.T) {
	for _, tc := range []struct {
		mask uint8
		want cvgInfo
	}{
		{0xFF, cvgInfo{cvg: 8, cvbit: true}},
		{0x80, cvgInfo{cvg: 1, cvbit: true}},
		{0x20, cvgInfo{cvg: 1, offx: 2}},          // sub 0, quarter 2
		{0x50, cvgInfo{cvg: 2, offy: 1, offx: 1}}, // sub 1, quarters 1, 3
		{0x0A, cvgInfo{cvg: 2, offy: 2}},          // sub 2, quarters 0, 2
		{0x01, cvgInfo{cvg: 1, offy: 3, offx: 3}}, // sub 3, quarter 3
		{0x00, cvgInfo{}},
	} {
		if got := cvgTable[tc.mask]; got != tc.want {
			t.Errorf("mask %#02x: %+v, want %+v", tc.mask, got, tc.want)
		}
	}
}

// Perspective division: S/W with W in s0.15 (0x4000 = 0.5 doubles S,
// 0x2000 = 0.25 quadruples it, 0x7FFF ~ 1.0 keeps it); results are 17
// bits, and W <= 0 flags overflow in bit 18 (angrylion tcdiv_persp).
func TestPerspectiveDivide(t *testing.T) {
	for _, tc := range []struct {
		s, t, w, ws, wt int32
	}{
		{100, 50, 0x4000, 200, 100},
		{100, 50, 0x2000, 400, 200},
		{100, 50, 0x7FFF, 100, 50},
		{100, -50, 0x4000, 200, -100 & 0x1FFFF},
		{100, 50, 0, 0, 0}, // W 0: flagged as overflow
	} {
		s, tt := tcDivPersp(tc.s, tc.t, tc.w)
		if tc.w <= 0 {
			if s&(2<<17) == 0 || tt&(2<<17) == 0 {
				t.Errorf("W %#x: S %#x T %#x lack the overflow flag", tc.w, s, tt)
			}
			continue
		}
		if s != tc.ws || tt != tc.wt {
			t.Errorf("W %#x: %d, %d, want %d, %d", tc.w, s, tt, tc.ws, tc.wt)
		}
	}
}

// The fill color's halfword is chosen by the RDRAM address, not the
// pixel's x: an image at 0x1002 starts with the lower halfword
// (angrylion fbfill_16).
func TestFillColorHalfwordAddress(t *testing.T) {
	r := newRaster(size16)
	r.color.addr = 0x1002
	run(r, 0x2F<<56|3<<52, 0x37<<56|0x1234_5678, 0x36<<56|(1<<2)<<44)
	for x, want := range []uint32{0x5678, 0x1234} {
		if got := pix16(r, x, 0); got != want {
			t.Errorf("x=%d: %#x, want %#x", x, got, want)
		}
	}
}
