package rdp

import "testing"

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

// Texel formats without TLUT (n64brew "Reality Display Processor/Texture
// formats"; angrylion fetch_texel for the 16-bit I/CI and 4-bit CI cases).
func TestTexelFormats(t *testing.T) {
	for _, tc := range []struct {
		name         string
		format, size uint32
		palette      uint32
		tmem         []byte
		s            int32
		want         rgba
	}{
		{"RGBA16 red opaque", fmtRGBA, size16, 0, []byte{0xF8, 0x01}, 0, rgba{0xFF, 0, 0, 0xFF}},
		{"RGBA16 blue clear", fmtRGBA, size16, 0, []byte{0, 0, 0x00, 0x3E}, 1, rgba{0, 0, 0xFF, 0}},
		{"IA16", fmtIA, size16, 0, []byte{0x80, 0x40}, 0, rgba{0x80, 0x80, 0x80, 0x40}},
		{"I16 high byte to r/b, low to g/a", fmtI, size16, 0, []byte{0x12, 0x34}, 0, rgba{0x12, 0x34, 0x12, 0x34}},
		{"IA8", fmtIA, size8, 0, []byte{0x00, 0xA5}, 1, rgba{0xAA, 0xAA, 0xAA, 0x55}},
		{"IA4 high nibble", fmtIA, size4, 0, []byte{0xF0}, 0, rgba{0xFF, 0xFF, 0xFF, 0xFF}},
		{"IA4 low nibble", fmtIA, size4, 0, []byte{0x0A}, 1, rgba{0xB6, 0xB6, 0xB6, 0}},
		{"I8", fmtI, size8, 0, []byte{0x12, 0x34}, 1, rgba{0x34, 0x34, 0x34, 0x34}},
		{"I4", fmtI, size4, 0, []byte{0x3C}, 1, rgba{0xCC, 0xCC, 0xCC, 0xCC}},
		{"CI4 without TLUT is palette:index", fmtCI, size4, 5, []byte{0x3C}, 1, rgba{0x5C, 0x5C, 0x5C, 0x5C}},
		{"RGBA8 reads as I8", fmtRGBA, size8, 0, []byte{0x77}, 0, rgba{0x77, 0x77, 0x77, 0x77}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRaster(size16)
			copy(r.tmem[:], tc.tmem)
			tl := &tile{format: tc.format, size: tc.size, palette: tc.palette}
			if got := r.texel(tl, tc.s, 0, tc.s); got != tc.want {
				t.Errorf("texel = %+v, want %+v", got, tc.want)
			}
		})
	}
	// Odd rows read with the 32-bit halves of each word swapped.
	r := newRaster(size16)
	r.tmem[8+4] = 0x99 // row 1 (line 1 word), byte 0 after the swap
	if got := r.texel(&tile{format: fmtI, size: size8, line: 1}, 0, 1, 0); got.r != 0x99 {
		t.Errorf("odd row I8 = %+v, want 0x99", got)
	}
}

// The 64-bit load words of RGBA32 and YUV16 are split between the two
// TMEM halves (n64brew "TMEM"): RGBA32 puts R,G in the low half and B,A
// in the high half; YUV16 (U Y0 V Y1 in RDRAM) puts U,V low and the Ys
// high.
func TestLoadSplitFormats(t *testing.T) {
	for _, tc := range []struct {
		name         string
		format, size uint32
		sh           uint64 // last texel loaded
		rdram        []byte
		s            int32
		want         rgba
	}{
		{"RGBA32 texel 1", fmtRGBA, size32, 1, []byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}, 1,
			rgba{0x55, 0x66, 0x77, 0x88}},
		// Texel 1: its pair's U=0x40, V=0xC0 (stored -0x80), Y1=0x60.
		{"YUV16 texel 1", fmtYUV, size16, 3, []byte{0x40, 0x50, 0xC0, 0x60, 0x41, 0x51, 0xC1, 0x61}, 1,
			rgba{-0x40, 0x40, 0x60, 0x60}},
		{"YUV16 texel 2", fmtYUV, size16, 3, []byte{0x40, 0x50, 0xC0, 0x60, 0x41, 0x51, 0xC1, 0x61}, 2,
			rgba{-0x3F, 0x41, 0x51, 0x51}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRaster(size16)
			copy(r.rdram[0x2000:], tc.rdram)
			run(r, 0x3D<<56|uint64(tc.size)<<51|7<<32|0x2000,
				0x35<<56|uint64(tc.format)<<53|uint64(tc.size)<<51|1<<41,
				0x34<<56|tc.sh<<2<<12)
			if got := r.texel(&r.tiles[0], tc.s, 0, tc.s); got != tc.want {
				t.Errorf("texel = %+v, want %+v", got, tc.want)
			}
		})
	}
	r := newRaster(size16)
	copy(r.rdram[0x2000:], []byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88})
	run(r, 0x3D<<56|size32<<51|7<<32|0x2000, 0x35<<56|size32<<51|1<<41, 0x34<<56|1<<2<<12)
	if r.tmemShort(0) != 0x1122 || r.tmemShort(1) != 0x5566 || r.tmemShort(0x400) != 0x3344 || r.tmemShort(0x401) != 0x7788 {
		t.Errorf("RGBA32 TMEM words %#x %#x %#x %#x", r.tmemShort(0), r.tmemShort(1), r.tmemShort(0x400), r.tmemShort(0x401))
	}
}

// LOAD_TLUT reads one 16-bit entry per step and writes it to all four
// banks of the tile's word; the tile's size sets the entry stride: 1 word
// for 4-bit tiles, 2 for 8-bit (the krom LoadTLUT_b16_b4 / _b16_b8
// screens; angrylion loading_pipeline).
func TestLoadTLUT(t *testing.T) {
	for _, tc := range []struct {
		name   string
		size   uint64
		stride uint32 // words between entries
	}{
		{"4-bit tile", size4, 1},
		{"8-bit tile", size8, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRaster(size16)
			copy(r.rdram[0x2000:], []byte{0xAA, 0xBB, 0xCC, 0xDD})
			// TLUT at TMEM word 0x100 (byte 0x800), entries 0 and 1.
			run(r, 0x3D<<56|size16<<51|0x2000, 0x35<<56|tc.size<<51|0x100<<32, 0x30<<56|1<<2<<12)
			for e, want := range []uint32{0xAABB, 0xCCDD} {
				for k := uint32(0); k < 4; k++ {
					w := 0x400 + uint32(e)*tc.stride*4 + k
					if got := r.tmemShort(w); got != want {
						t.Errorf("entry %d bank %d (word %#x) = %#x, want %#x", e, k, w, got, want)
					}
				}
			}
			if tc.stride == 2 && r.tmemShort(0x404) != 0 {
				t.Errorf("8-bit tile: word 0x404 = %#x, want untouched", r.tmemShort(0x404))
			}
		})
	}
}

// TLUT lookups read the palette entry from the bank of the texel's place
// in the 2x2 quad, mirrored (bank ^ 3) in the upper triangle (angrylion
// fetch_texel_entlut_quadro).
func TestTLUTBanks(t *testing.T) {
	r := newRaster(size16)
	r.modes.tlutEn = true
	r.tmem[0] = 2 // CI8 texel 0 = index 2
	for k := uint32(0); k < 4; k++ {
		r.setTmemShort(0x400+2*4+k, (k+1)<<11|1) // red = k+1, opaque
	}
	tl := &tile{format: fmtCI, size: size8}
	for _, tc := range []struct {
		upper bool
		want  [4]int32 // red of each quad texel
	}{
		{false, [4]int32{expand5(1), expand5(2), expand5(3), expand5(4)}},
		{true, [4]int32{expand5(4), expand5(3), expand5(2), expand5(1)}},
	} {
		q := r.tlutQuad(tl, 0, 0, 0, 0, tc.upper, tc.upper)
		for k := range q {
			if q[k].r != tc.want[k] || q[k].a != 0xFF {
				t.Errorf("upper=%v texel %d = %+v, want red %d", tc.upper, k, q[k], tc.want[k])
			}
		}
	}
}

// Tile coordinate pipeline (n64brew "Set Tile"/"Set Tile Size"): shift,
// origin subtraction, clamp to [SL, SH] (when clamp is set or the mask is
// 0; the fraction is dropped when clamped), wrap/mirror by the mask, and
// the bilinear neighbour step.
func TestTileAxis(t *testing.T) {
	for _, tc := range []struct {
		name                               string
		c                                  int32 // s10.5
		shift, lo, hi, clamp, mirror, mask uint32
		copyMode                           bool
		want                               texAxis
	}{
		{"in range", 2<<5 | 8, 0, 0, 7 << 2, 1, 0, 0, false, texAxis{2, 8, 1}},
		{"clamp high drops fraction", 9<<5 | 16, 0, 0, 7 << 2, 1, 0, 0, false, texAxis{7, 0, 1}},
		{"clamp at SH", 7 << 5, 0, 0, 7 << 2, 1, 0, 0, false, texAxis{7, 0, 1}},
		{"clamp low", -3 << 5, 0, 0, 7 << 2, 1, 0, 0, false, texAxis{0, 0, 1}},
		{"copy mode never clamps", 9 << 5, 0, 0, 7 << 2, 1, 0, 0, true, texAxis{9, 0, 1}},
		{"origin SL=2", 5 << 5, 0, 2 << 2, 31 << 2, 0, 0, 0, false, texAxis{3, 0, 1}},
		{"wrap mask 2", 5 << 5, 0, 0, 0, 0, 0, 2, false, texAxis{1, 0, 1}},
		{"wrap at mask edge steps to 0", 3 << 5, 0, 0, 0, 0, 0, 2, false, texAxis{3, 0, -3}},
		{"mirror mask 2", 5 << 5, 0, 0, 0, 0, 1, 2, false, texAxis{2, 0, -1}},
		{"mirror edge repeats the texel", 3 << 5, 0, 0, 0, 0, 1, 2, false, texAxis{3, 0, 0}},
		{"shift 1 halves", 6 << 5, 1, 0, 0, 0, 0, 3, false, texAxis{3, 0, 1}},
		{"shift 15 doubles", 3 << 5, 15, 0, 0, 0, 0, 3, false, texAxis{6, 0, 1}},
	} {
		got := tileAxis(tc.c, tc.shift, tc.lo, tc.hi, tc.clamp, tc.mirror, tc.mask, tc.copyMode)
		if got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// The 3-point filter on a plane t(s,t) = 32s + 64t (texels 0, 32, 64,
// 96): both triangles reproduce the plane, and MID_TEXEL at the centre
// averages all four.
func TestFilter3(t *testing.T) {
	for _, tc := range []struct {
		name          string
		sf, tf        int32
		upper, center bool
		want          int32
	}{
		{"corner", 0, 0, false, false, 0},
		{"lower triangle", 8, 4, false, false, 16},
		{"upper triangle", 20, 20, true, false, 60},
		{"mid texel average", 16, 16, true, true, 48},
	} {
		if got := filter3(0, 32, 64, 96, tc.sf, tc.tf, tc.upper, tc.center); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

// YUV to RGB in the texture filter (n64brew "Set Convert"): R = Y +
// K0*V, G = Y + K1*U + K2*V, B = Y + K3*U with U, V less 128 and the K
// terms as (2K+1)/256. krom's coefficients 175, -43, -89, 222 and the
// texel Y=0x51 U=0x35 V=0xC1: R = 81 + 89, G = 81 - 20, B = 81 - 130.
func TestYUVConvert(t *testing.T) {
	r := newRaster(size16)
	run(r, 0x2C<<56|uint64(175)<<45|uint64(0x1FF&-43)<<36|uint64(0x1FF&-89)<<27|uint64(222)<<18)
	c := rgba{0x35 - 0x80, 0xC1 - 0x80, 0x51, 0x51}
	if got, want := r.yuvConvert(c, c), (rgba{170, 61, -49, 0x51}); got != want {
		t.Errorf("convert = %+v, want %+v", got, want)
	}
}

// LOD (n64brew "Texture LOD"): the level is log2 of the largest texel
// step between neighbouring pixels (deltas in s10.5, 32 = one texel), the
// fraction the bits below it; at or past the last level the texture is
// "distant" and the fraction full; under one texel per pixel it
// magnifies, and sharpen/detail report the magnification (sharpen's
// 0x100 flag, PRIM_MIN_LEVEL as the floor).
func TestTexLOD(t *testing.T) {
	const (
		lodEn   = 1 << modeTexLOD
		sharpen = 1 << modeSharpen
		detail  = 1 << modeDetail
	)
	for _, tc := range []struct {
		name     string
		modes    uint64
		maxLevel uint32
		minLevel uint32
		ds, dt   int32
		want     lodResult
	}{
		{"LOD off: tile, tile+1, full fraction", 0, 0, 0, 96, 0, lodResult{2, 3, 0xFF}},
		{"1 texel/pixel: level 0", lodEn, 3, 0, 32, 0, lodResult{2, 3, 0}},
		{"1.5 texels/pixel: level 0 and a half", lodEn, 3, 0, 0, 48, lodResult{2, 3, 0x80}},
		{"negative step counts by magnitude", lodEn, 3, 0, -49, 0, lodResult{2, 3, 0x80}},
		{"3 texels/pixel: level 1 and a half", lodEn, 3, 0, 96, 0, lodResult{3, 4, 0x80}},
		{"past the last level: distant", lodEn, 1, 0, 128, 0, lodResult{3, 3, 0xFF}},
		{"magnified, no mip levels: full fraction", lodEn, 0, 0, 16, 0, lodResult{2, 2, 0xFF}},
		{"magnified with levels: zero fraction", lodEn, 3, 0, 16, 0, lodResult{2, 2, 0}},
		{"sharpen magnified", lodEn | sharpen, 3, 0, 16, 0, lodResult{2, 3, 0x100 | 16<<3}},
		{"sharpen under the minimum level", lodEn | sharpen, 3, 20, 16, 0, lodResult{2, 3, 0x100 | 20<<3}},
		{"detail magnified: detail tile follows", lodEn | detail, 3, 0, 16, 0, lodResult{2, 3, 16 << 3}},
		{"detail minified: levels start after the detail tile", lodEn | detail, 3, 0, 64, 0, lodResult{4, 5, 0}},
		{"sharpen without LOD: fraction only", sharpen, 0, 0, 8, 0, lodResult{2, 3, 0x100 | 8<<3}},
	} {
		r := newRaster(size16)
		r.modeWord = tc.modes
		r.primMinLOD = tc.minLevel
		if got := r.texLOD(2, tc.maxLevel, tc.ds, tc.dt, 0, 0); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// CONVERT_ONE (n64brew "Set Other Modes"): in 2-cycle mode the second
// texture unit converts the first texture instead of reading texels:
// without BI_LERP_1 by the K0-K3 color conversion, with it by weighting
// the 2x2 texels with the first texture's red/green over its blue.
func TestConvertOne(t *testing.T) {
	r := newRaster(size16)
	run(r, 0x2C<<56|uint64(175)<<45|uint64(0x1FF&-43)<<36|uint64(0x1FF&-89)<<27|uint64(222)<<18)
	r.modes.cycleType = cycle2
	r.modeWord = 1<<modeConvertOne | 1<<modeBiLerp0
	yuv := rgba{0x35 - 0x80, 0xC1 - 0x80, 0x51, 0x51}
	if got, want := r.sample1(1, 0, 0, yuv), (rgba{170, 61, -49, 0x51}); got != want {
		t.Errorf("convert without BI_LERP_1 = %+v, want %+v", got, want)
	}
	// Texels 0, 32, 64, 96 in every channel; red 128/256 and green
	// 64/256 weigh (t1-t0) and (t2-t0) over the base 10: 10 + 16 + 16.
	q := [4]rgba{{0, 0, 0, 0}, {32, 32, 32, 32}, {64, 64, 64, 64}, {96, 96, 96, 96}}
	if got := convertLerp(q, rgba{128, 64, 10, 0}, false, false); got != (rgba{42, 42, 42, 42}) {
		t.Errorf("convert with BI_LERP_1 = %+v, want 42s", got)
	}
}

// With BI_LERP_0 off the filter converts instead of interpolating, and it
// converts the texel at (s, t) at any fraction: krom's YUV16 screens
// (Cycle1TextureRectangle*YUV16B, hardware captures at half-texel steps)
// never show the (s+1, t+1) texel the 3-point rule would pick.
func TestYUVPointConvert(t *testing.T) {
	r := newRaster(size16)
	r.modes.sampleType = true
	r.tiles[0] = tile{format: fmtYUV, size: size16, line: 1, sh: 7 << 2, th: 7 << 2}
	for w := uint32(0); w < 8; w++ {
		r.setTmemShort(w, 0x8080) // U = V = 0x80: gray
	}
	r.tmem[0x800] = 0x40         // Y of texel (0, 0)
	r.tmem[0x800|(8+1)^4] = 0xC0 // Y of texel (1, 1), an odd row
	// K0-K3 = 0: each term is (2K+1)/256 of a zero U/V, so RGB = Y.
	if got, want := r.sample(0, 24, 24), (rgba{0x40, 0x40, 0x40, 0x40}); got != want {
		t.Errorf("s=t=0.75: %+v, want %+v", got, want)
	}
	// Filtering instead (the output stays U, V, Y, Y): the upper triangle
	// of Ys 0x40, 0, 0, 0xC0 at 0.75, 0.75 is 0xC0 - (8*0xC0*2 - 16)/32.
	r.modeWord = 1 << modeBiLerp0
	if got, want := r.sample(0, 24, 24), (rgba{0, 0, 0x60, 0x60}); got != want {
		t.Errorf("bilinear s=t=0.75: %+v, want %+v", got, want)
	}
}
