package rdp

import "testing"

// combineWord builds SET_COMBINE_MODE with the same RGB selectors a, b,
// c, d and alpha selectors aa, ab, ac, ad in both cycles (n64brew "Set
// Combine Mode" bit layout).
func combineWord(a, b, c, d, aa, ab, ac, ad uint64) uint64 {
	return 0x3C<<56 | a<<52 | c<<47 | aa<<44 | ac<<41 | a<<37 | c<<32 | b<<28 | b<<24 |
		aa<<21 | ac<<18 | d<<15 | ab<<12 | ad<<9 | d<<6 | ab<<3 | ad
}

// A textured triangle whose S steps 3 texels per pixel in x: 3 = 2^1 *
// 1.5, so the LOD unit picks mip level 1 (the primitive's tile + 1) and a
// fraction of (3-2)/2 = 0.5, 0x80 (n64brew "Set Other Modes": tex_lod_en;
// angrylion lodfrac_lodtile_signals). With 1 texel per pixel the level is
// 0 and the fraction 0; past the last level it is full (0xFF) at that
// level; without LOD the tile is the primitive's and the fraction full.
// 1-cycle mode measures the step along x only; 2-cycle mode takes the
// larger of the x and y steps.
func TestTriangleLOD(t *testing.T) {
	const (
		lodEn      = 1 << modeTexLOD
		noDither   = 3<<38 | 3<<36
		lodFrac    = 13 // RGB multiplier: LOD fraction
		rgbOne     = 6  // RGB sub A: 1.0
		rgbZero    = 15
		texel0     = 1
		alphaZero  = 7
		alphaOne   = 6 // alpha add: 1.0
		cycle2Mode = 1 << 52
	)
	red, green, blue := uint32(0xF801), uint32(0x07C1), uint32(0x003F) // RGBA5551
	for _, tc := range []struct {
		name   string
		modes  uint64
		level  uint64 // mip levels - 1
		dsdx   uint64 // s10.5 per pixel
		dtdy   uint64 // s10.5 per line
		comb   uint64
		want   uint32 // the pixel's RGB555 (the 16-bit word >> 1)
		wantOK string
	}{
		{"fraction, 3 texels/pixel", lodEn, 3, 96, 0, combineWord(rgbOne, rgbZero, lodFrac, rgbZero, alphaZero, alphaZero, alphaZero, alphaOne), 0x8420 >> 1, "0x80 grey"},
		{"fraction, 1 texel/pixel", lodEn, 3, 32, 0, combineWord(rgbOne, rgbZero, lodFrac, rgbZero, alphaZero, alphaZero, alphaZero, alphaOne), 0, "black"},
		{"fraction, no LOD", 0, 3, 96, 0, combineWord(rgbOne, rgbZero, lodFrac, rgbZero, alphaZero, alphaZero, alphaZero, alphaOne), 0xFFFE >> 1, "white"},
		{"tile, 3 texels/pixel", lodEn, 3, 96, 0, combineWord(rgbZero, rgbZero, 31, texel0, alphaZero, alphaZero, alphaZero, texel0), green >> 1, "tile 1 (green)"},
		{"tile, 5 texels/pixel", lodEn, 3, 160, 0, combineWord(rgbZero, rgbZero, 31, texel0, alphaZero, alphaZero, alphaZero, texel0), blue >> 1, "tile 2 (blue)"},
		{"tile, past the last level", lodEn, 1, 160, 0, combineWord(rgbZero, rgbZero, 31, texel0, alphaZero, alphaZero, alphaZero, texel0), green >> 1, "tile 1 (green)"},
		{"2-cycle fraction, 3 texels/line", lodEn | cycle2Mode, 3, 32, 96, combineWord(rgbOne, rgbZero, lodFrac, rgbZero, alphaZero, alphaZero, alphaZero, alphaOne), 0x8420 >> 1, "0x80 grey"},
		{"1-cycle ignores the y step", lodEn, 3, 32, 96, combineWord(rgbOne, rgbZero, lodFrac, rgbZero, alphaZero, alphaZero, alphaZero, alphaOne), 0, "black"},
		{"tile, no LOD", 0, 3, 96, 0, combineWord(rgbZero, rgbZero, 31, texel0, alphaZero, alphaZero, alphaZero, texel0), red >> 1, "tile 0 (red)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRaster(size16)
			// Tiles 0, 1, 2: 4x4 RGBA16 (mask 2, one 64-bit word per
			// row) at TMEM words 0, 0x10, 0x20, filled red, green, blue.
			for k, c := range []uint32{red, green, blue} {
				for w := uint32(0); w < 0x40; w++ {
					r.setTmemShort(uint32(k)*0x40+w, c)
				}
				run(r, 0x35<<56|size16<<51|1<<41|uint64(k)*0x10<<32|uint64(k)<<24|2<<14|2<<4)
			}
			run(r, 0x2F<<56|1<<modeBiLerp0|tc.modes|noDither, tc.comb)
			// Left-major textured triangle (0x0A) covering x 0..7, y 0..3:
			// vertical edges at x 0 and 8, tile 0; S starts at 0 and steps
			// dsdx per pixel, T is 0.
			run(r,
				0x0A<<56|1<<55|tc.level<<51|(4<<2)<<32|(4<<2)<<16, // YL 4, YM 4, YH 0
				8<<16<<32, // XL 8
				0,         // XH 0
				8<<16<<32, // XM 8
				// S, T, W; DsDx; fractions; DtDe = DtDy (the major edge is vertical).
				0, tc.dsdx<<48, 0, 0, tc.dtdy<<32, tc.dtdy<<32, 0, 0)
			for x := 0; x < 6; x++ {
				if got := pix16(r, x, 1) >> 1; got != tc.want {
					t.Errorf("pixel (%d,1) = %#x, want %#x (%s)", x, got, tc.want, tc.wantOK)
				}
			}
		})
	}
}
