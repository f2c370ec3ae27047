package rdp

import "testing"

// The combiner equation (A-B)*C+D with 9-bit inputs and a 17-bit result
// holding 8 fraction bits (angrylion color_combiner_equation); the
// expectations are worked out by hand below each case.
func TestCombineChannel(t *testing.T) {
	tests := []struct {
		name       string
		a, b, c, d int32
		want       int32 // the 9-bit integer part (result >> 8)
	}{
		// (255-0)*128 + 0x80 = 32768 -> 128.
		{"half of a texel", 0xFF, 0, 0x80, 0, 0x80},
		// ONE (0x100) times 0x40: 0x4000 + 0x80 -> 0x40.
		{"one times texel", 0x100, 0, 0x40, 0, 0x40},
		// C = 0: D passes, 0x37<<8 + 0x80 -> 0x37.
		{"add only", 0x12, 0x34, 0, 0x37, 0x37},
		// 255*255 + 255*256 + 0x80 = 130433 < 2^17 -> 509 = 0x1FD,
		// which the pixel clamp reads as negative (krom CombinerOverflow).
		{"overflow past 0x17F", 0xFF, 0, 0xFF, 0xFF, 0x1FD},
		// -255*255 + 0x80 = -64897, mod 2^17 = 66175 -> 0x102.
		{"underflow wraps", 0, 0xFF, 0xFF, 0, 0x102},
		// A = 0x180 reads as -128: (-128-0)*0x80 + 0x100<<8 + 0x80 =
		// -16384 + 65536 + 128 = 49280 -> 192.
		{"A 0x180 is negative", 0x180, 0, 0x80, 0x100, 0xC0},
		// A = 0x17F stays positive: 383*0x80 + 0x80 = 49152 -> 192.
		{"A 0x17F is positive", 0x17F, 0, 0x80, 0, 0xC0},
		// C is signed 9 bits: 0x1FF is -1: (16-0)*-1 + 32<<8 + 0x80 =
		// 8304 -> 32.
		{"C 0x1FF is -1", 0x10, 0, 0x1FF, 0x20, 0x20},
	}
	for _, tc := range tests {
		got := combineChannel(tc.a, tc.b, tc.c, tc.d) >> 8
		if got != tc.want {
			t.Errorf("%s: (%#x-%#x)*%#x+%#x = %#x, want %#x", tc.name, tc.a, tc.b, tc.c, tc.d, got, tc.want)
		}
	}
}

// TestCombineSelectors runs whole combiner cycles through the selectors
// with known inputs.
func TestCombineSelectors(t *testing.T) {
	r := &raster{
		prim: rgba{0x10, 0x20, 0x30, 0x40},
		env:  rgba{0x50, 0x60, 0x70, 0x80},
		k4:   0x7F, k5: -0x80, primLOD: 0x40,
	}
	var in combInputs
	in.setConstants(r)
	in.src[srcT0] = rgba{0xFF, 0x80, 0x00, 0xC0}
	in.src[srcT1] = rgba{0x00, 0x40, 0x80, 0x20}
	in.src[srcShade] = rgba{0x08, 0x08, 0x08, 0xFF}
	// SET_COMBINE word: a = sub A, b = sub B, c = mul, d = add for
	// cycle 1 RGB and alpha (n64brew "Set Combine Mode" bit positions).
	mode := func(a, b, c, d, aa, ab, ac, ad uint64) combineMode {
		return decodeCombine(a<<37 | c<<32 | b<<24 | aa<<21 | ac<<18 | d<<6 | ab<<3 | ad)
	}
	tests := []struct {
		name string
		m    combineMode
		want rgba // RGB integer parts, 9-bit alpha
	}{
		// (TEXEL0-0)*PRIM_ALPHA+0: 0xFF*0x40+0x80 = 16448 -> 0x40;
		// 0x80*0x40 -> 0x20; alpha (T0a-0)*PRIM_LOD_FRAC = 0xC0*0x40 -> 0x30.
		{"texel times prim alpha", mode(1, 8, 10, 7, 1, 7, 6, 7), rgba{0x40, 0x20, 0, 0x30}},
		// (ONE-K4)*K5+ENV: (256-127)*-128 + 0x50<<8 + 0x80 = -16512 +
		// 20480 + 128 = 4096 -> 0x10; G: -16512+24576+128 -> 0x20;
		// B -> 0x30. Alpha (ONE-0)*0+ENVa -> 0x80.
		{"one minus K4 times K5", mode(6, 7, 15, 5, 6, 7, 7, 5), rgba{0x10, 0x20, 0x30, 0x80}},
		// (TEXEL1-TEXEL0)*SHADE_ALPHA+TEXEL0 with shade alpha 0xFF:
		// R (0-255)*255+255*256+0x80 = 383 -> 1; G (64-128)*255 +
		// 128*256 + 0x80 = 16576 -> 0x40; B 128*255+0+0x80 = 32768 -> 0x80.
		// Alpha (T1a-T0a)*T1a + T0a: (32-192)*32+192*256+128 = 44160 -> 0xAC.
		{"lerp texels by shade alpha", mode(2, 1, 11, 1, 2, 1, 2, 1), rgba{0x01, 0x40, 0x80, 0xAC}},
	}
	for _, tc := range tests {
		r.cplan = planCombine(tc.m)
		in.splat(r.cplan.splats)
		c := r.combine(1, &in)
		got := rgba{c.r >> 8, c.g >> 8, c.b >> 8, c.a}
		if got != tc.want {
			t.Errorf("%s: got %#x, want %#x", tc.name, got, tc.want)
		}
	}
}

// The blender: P*A + M*(B+1) over 32 with FORCE_BLEND, divided by the
// sum of the 5-bit weights (+4/4 in quarters) without it (angrylion
// blender_equation_cycle0 and its divider table).
func TestBlendStep(t *testing.T) {
	tests := []struct {
		name       string
		pix, mem   rgba
		p, a, m, b uint32 // selectors
		fogA       int32
		divide     bool
		want       int32 // red channel
	}{
		// A = 0x80 -> 16, B = ~A = 0x7F -> 15, +1 = 16:
		// (200*16 + 100*16) >> 5 = 150.
		{"half and half", rgba{r: 200, a: 0x80}, rgba{r: 100}, 0, 0, 1, 0, 0, false, 150},
		// Same weights divided: (A&~3)+(B&~3)+4 = 16+12+4 = 32 = the
		// shift, 4800/32 = 150.
		{"half and half divided", rgba{r: 200, a: 0x80}, rgba{r: 100}, 0, 0, 1, 0, 0, true, 150},
		// A = fog alpha 0x20 -> 4, B = one 0xFF -> 31 (+1 = 32), M = 0:
		// shifted, 255*4 >> 5 = 31.
		{"fog alpha shifted", rgba{r: 255}, rgba{}, 0, 1, 1, 2, 0x20, false, 31},
		// A = 0xFF -> 31, B = ~A = 0: (A&~3)+(B&~3)+4 = 32, so the
		// divide is by 32 again: 255*31 = 7905, /32 = 247.
		{"opaque divided", rgba{r: 255, a: 0xFF}, rgba{}, 0, 0, 1, 0, 0, true, 247},
		// A = 0 selects zero weight for P: M*(B+1) = 100*32 >> 5 = 100.
		{"zero alpha keeps memory", rgba{r: 255}, rgba{r: 100}, 0, 3, 1, 2, 0, false, 100},
		// Shifted sum wraps at 8 bits: (255*31 + 255*32) >> 5 = 502 & 0xFF.
		{"additive wraps", rgba{r: 255, a: 0xFF}, rgba{r: 255}, 0, 0, 1, 2, 0, false, 502 & 0xFF},
	}
	for _, tc := range tests {
		r := &raster{fog: rgba{a: tc.fogA}}
		r.modes.blendM1A0, r.modes.blendM1B0, r.modes.blendM2A0, r.modes.blendM2B0 = tc.p, tc.a, tc.m, tc.b
		in := blendInputs{pix: tc.pix, mem: tc.mem}
		if got := r.blendStep(0, &in, tc.divide).r; got != tc.want {
			t.Errorf("%s: red %d, want %d", tc.name, got, tc.want)
		}
	}
}

// blendOut's pass-through cases (angrylion blender_1cycle).
func TestBlendOut(t *testing.T) {
	pix, mem := rgba{r: 10, a: 0xFF}, rgba{r: 20}
	tests := []struct {
		name        string
		colorOnCvg  bool
		blend, wrap bool
		pSel, aSel  uint32
		bSel, mSel  uint32
		want        int32
	}{
		{"blend off passes P", false, false, false, 0, 0, 0, 1, 10},
		{"color on cvg passes M", true, true, false, 0, 0, 0, 1, 20},
		// Overflow: the equation runs, P weight 0, M = memory weight 1/32.
		{"color on cvg with overflow blends", true, true, true, 0, 3, 3, 1, 20 >> 5},
		// A = pixel alpha, B = 1-A and an opaque pixel: P unblended.
		{"partial reject", false, true, false, 0, 0, 0, 1, 10},
	}
	for _, tc := range tests {
		r := &raster{}
		r.modes.colorOnCvg, r.modes.forceBlend = tc.colorOnCvg, true
		r.modes.blendM1A0, r.modes.blendM1B0, r.modes.blendM2A0, r.modes.blendM2B0 = tc.pSel, tc.aSel, tc.mSel, tc.bSel
		in := blendInputs{pix: pix, mem: mem}
		if got := r.blendOut(0, &in, tc.blend, tc.wrap).r; got != tc.want {
			t.Errorf("%s: red %d, want %d", tc.name, got, tc.want)
		}
	}
}

// Coverage written back per CVG_DEST (angrylion finalize_spanalpha).
func TestFinalCoverage(t *testing.T) {
	tests := []struct {
		dest     uint32
		blend    bool
		cvg, mem uint32
		want     uint32
	}{
		{cvgClamp, false, 8, 7, 7}, // cvg-1
		{cvgClamp, false, 3, 7, 2},
		{cvgClamp, true, 5, 4, 7}, // 9 saturates
		{cvgClamp, true, 2, 3, 5},
		{cvgWrap, true, 5, 4, 1}, // 9 mod 8
		{cvgZap, false, 1, 0, 7},
		{cvgSave, true, 8, 3, 3},
	}
	for _, tc := range tests {
		if got := finalCoverage(tc.dest, tc.blend, tc.cvg, tc.mem); got != tc.want {
			t.Errorf("dest %d blend %v cvg %d mem %d: %d, want %d", tc.dest, tc.blend, tc.cvg, tc.mem, got, tc.want)
		}
	}
}

// Color dither: a channel steps up to the next multiple of 8 when its
// low three bits exceed the dither value (angrylion rgb_dither).
func TestRGBDither(t *testing.T) {
	tests := []struct {
		in, d int32
		sel   uint32
		want  int32
	}{
		{0x41, 0, 0, 0x48},
		{0x41, 1, 0, 0x41},
		{0x47, 6, 1, 0x48},
		{0x40, 0, 0, 0x40},      // low bits 0 never round
		{0xF9, 0, 0, 0xFF},      // past 247 saturates
		{0x43, 2 << 0, 2, 0x48}, // noise: red uses bits 2:0
		{0x43, 5 << 0, 2, 0x43},
	}
	for _, tc := range tests {
		if got := rgbDither(rgba{r: tc.in}, tc.sel, tc.d).r; got != tc.want {
			t.Errorf("dither %#x by %d (sel %d) = %#x, want %#x", tc.in, tc.d, tc.sel, got, tc.want)
		}
	}
}

// The magic-square and Bayer patterns and their alpha complements
// (angrylion dither.c matrices).
func TestDitherValues(t *testing.T) {
	tests := []struct {
		rgbSel, aSel uint32
		x, y         int32
		c, a         int32
	}{
		{0, 0, 1, 0, 6, 6},
		{0, 1, 1, 0, 6, 1},
		{1, 0, 0, 2, 3, 3},
		{1, 3, 3, 3, 2, 0},
		{3, 0, 1, 0, 7, 4}, // no color dither: alpha keeps Bayer
	}
	for _, tc := range tests {
		r := &raster{}
		r.modes.rgbDither, r.modes.alphaDither = tc.rgbSel, tc.aSel
		c, a := r.ditherValues(tc.x, tc.y)
		if c != tc.c || a != tc.a {
			t.Errorf("sel %d/%d at (%d,%d): %d/%d, want %d/%d", tc.rgbSel, tc.aSel, tc.x, tc.y, c, a, tc.c, tc.a)
		}
	}
}

// Per-pixel delta Z: |DzDx|+|DzDy| integer parts rounded up to a power
// of two (angrylion normalize_dzpix), and its 4-bit encoding.
func TestDzPixel(t *testing.T) {
	tests := []struct {
		dzdx, dzdy int32
		want, enc  uint32
	}{
		{0, 0, 1, 0},
		{1 << 16, 0, 3, 1},        // sum 1 is special
		{3 << 16, -2 << 16, 8, 3}, // 3 + (^0xFFFE & 0x7FFF = 1) = 4 -> 8
		{0x4000 << 16, 0, 0x8000, 15},
		{0x100 << 16, 0x0FF << 16, 0x200, 9},
	}
	for _, tc := range tests {
		got := dzPixel(tc.dzdx, tc.dzdy)
		if got != tc.want {
			t.Errorf("dzPixel(%#x, %#x) = %#x, want %#x", tc.dzdx, tc.dzdy, got, tc.want)
		}
		if e := dzCompress(got); e != tc.enc {
			t.Errorf("dzCompress(%#x) = %d, want %d", got, e, tc.enc)
		}
	}
}

// Z modes against a stored depth (angrylion z_compare): opaque and
// transparent need z in front, decal needs z within the deltas.
func TestZCompareModes(t *testing.T) {
	const stored = 0x20000 // compressed 0x0800 in the Z buffer
	tests := []struct {
		mode uint32
		z    uint32
		want bool
	}{
		{zOpaque, 0x1F000, true},
		{zOpaque, 0x21000, false},
		{zTransparent, 0x1FFFF, true},
		{zTransparent, 0x20000, false},
		{zDecal, 0x20000, true},
		{zDecal, 0x10000, false},
		{zDecal, 0x30000, false},
	}
	for _, tc := range tests {
		r := newRaster(size16)
		r.depth.addr = 0x8000
		r.write16(r.depth.addr, zCompress(stored)<<2)
		r.modes.zCompare, r.modes.zMode = true, tc.mode
		cvg := uint32(8)
		res := r.zCompare(r.depth.addr, tc.z, 1, 0, &cvg, 7)
		if res.write != tc.want {
			t.Errorf("mode %d z %#x: write %v, want %v", tc.mode, tc.z, res.write, tc.want)
		}
	}
}

// A 16-bit RGBA pixel keeps its coverage's top bit in bit 0; a 32-bit one
// its coverage in alpha bits 7:5 (angrylion fbwrite_16/32).
func TestWritePixelCoverage(t *testing.T) {
	c := rgba{0xFF, 0x80, 0x08, 0}
	r := newRaster(size16)
	r.writePixel(0, c, 4)
	r.writePixel(1, c, 3)
	if got := pix16(r, 0, 0); got != 0xFC03 {
		t.Errorf("16-bit cvg 4: %#04x, want 0xFC03", got)
	}
	if got := pix16(r, 1, 0); got != 0xFC02 {
		t.Errorf("16-bit cvg 3: %#04x, want 0xFC02", got)
	}
	r = newRaster(size32)
	r.writePixel(0, c, 7)
	if got := r.read32(r.color.addr); got != 0xFF8008E0 {
		t.Errorf("32-bit cvg 7: %#08x, want 0xFF8008E0", got)
	}
}
