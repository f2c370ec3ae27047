package rdp

import "math/bits"

// pixel is the per-pixel input of the pipeline.
type pixel struct {
	shade    rgba
	s, t     int32  // s10.5 texture coordinates
	ns, nt   int32  // the next pixel's: the pipelined TEXEL1 reads there
	z        uint32 // 18-bit depth
	dzpix    uint32 // the primitive's per-pixel delta Z (dzPixel)
	tile     uint32 // the first texture's tile
	tile1    uint32 // 2-cycle: the second texture's tile
	ntile    uint32 // the tile of the next pixel's first texture
	lodFrac  int32  // the LOD fraction the combiner sees
	textured bool
}

func (r *raster) write16(a, v uint32) {
	a &= 0xFF_FFFE
	if int(a)+2 <= len(r.rdram) {
		r.rdram[a], r.rdram[a+1] = byte(v>>8), byte(v)
	}
}

func (r *raster) write32(a, v uint32) {
	a &= 0xFF_FFFC
	if int(a)+4 <= len(r.rdram) {
		r.rdram[a], r.rdram[a+1], r.rdram[a+2], r.rdram[a+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
}

func (r *raster) read16(a uint32) uint32 {
	a &= 0xFF_FFFE
	if int(a)+2 <= len(r.rdram) {
		return uint32(r.rdram[a])<<8 | uint32(r.rdram[a+1])
	}
	return 0
}

func (r *raster) read32(a uint32) uint32 {
	a &= 0xFF_FFFC
	if int(a)+4 <= len(r.rdram) {
		return uint32(r.rdram[a])<<24 | uint32(r.rdram[a+1])<<16 | uint32(r.rdram[a+2])<<8 | uint32(r.rdram[a+3])
	}
	return 0
}

// readMemory is the blender's memory color and the stored coverage of
// pixel i. Without IMAGE_READ the color reads as 0 and the coverage as
// full (7, alpha 0xE0). A 16-bit pixel keeps its 5-bit channels unscaled
// and its coverage in bit 0 plus two hidden RDRAM bits, which we do not
// model: they are taken as copies of bit 0, as a fill writes them
// (angrylion fbread_16, fbfill_16).
func (r *raster) readMemory(i uint32) (rgba, uint32) {
	ci := &r.color
	if !r.modes.imageRead {
		return rgba{a: 0xE0}, 7
	}
	switch ci.size {
	case size16:
		v := r.read16(ci.addr + i*2)
		var cvg uint32
		if ci.format == fmtRGBA {
			cvg = v & 1 * 7
			return rgba{int32(v >> 8 & 0xF8), int32(v >> 3 & 0xF8), int32(v << 2 & 0xF8), int32(cvg << 5)}, cvg
		}
		cvg = v >> 5 & 7
		g := int32(v >> 8)
		return rgba{g, g, g, int32(cvg << 5)}, cvg
	case size32:
		v := r.read32(ci.addr + i*4)
		return rgba{int32(v >> 24), int32(v >> 16 & 0xFF), int32(v >> 8 & 0xFF), int32(v & 0xE0)}, v >> 5 & 7
	case size8:
		a := (ci.addr + i) & 0xFF_FFFF
		if int(a) < len(r.rdram) {
			g := int32(r.rdram[a])
			return rgba{g, g, g, 0xE0}, 7
		}
	}
	return rgba{a: 0xE0}, 7
}

// writePixel stores a blended pixel with its final coverage: RGBA5551
// with coverage bit 2 as the low bit, an intensity image's byte with the
// coverage in bits 7:5, 32-bit RGB with the coverage in alpha bits 7:5;
// an 8-bit image takes red at even bytes and green at odd ones
// (angrylion fbwrite_8/16/32).
func (r *raster) writePixel(i uint32, c rgba, cvg uint32) {
	ci := &r.color
	switch ci.size {
	case size16:
		if ci.format == fmtRGBA {
			r.write16(ci.addr+i*2, uint32(c.r&^7)<<8|uint32(c.g&^7)<<3|uint32(c.b&^7)>>2|cvg>>2)
		} else {
			r.write16(ci.addr+i*2, uint32(c.r&0xFF)<<8|cvg<<5)
		}
	case size32:
		r.write32(ci.addr+i*4, uint32(c.r)<<24|uint32(c.g)<<16|uint32(c.b)<<8|cvg<<5)
	case size8:
		a := (ci.addr + i) & 0xFF_FFFF
		if int(a) < len(r.rdram) {
			v := c.r
			if a&1 != 0 {
				v = c.g
			}
			r.rdram[a] = byte(v)
		}
	}
}

// Coverage destination modes (SET_OTHER_MODES bits 9:8).
const (
	cvgClamp = iota
	cvgWrap
	cvgZap
	cvgSave
)

// finalCoverage is the 3-bit coverage written with a pixel (angrylion
// finalize_spanalpha): clamp adds the old coverage when blending (else
// stores cvg-1) and saturates at 7, wrap adds modulo 8, zap writes full
// coverage, save keeps memory's.
func finalCoverage(dest uint32, blend bool, cvg, mem uint32) uint32 {
	switch dest {
	case cvgClamp:
		v := cvg - 1
		if blend {
			v = cvg + mem
		}
		if v&8 != 0 {
			return 7
		}
		return v & 7
	case cvgWrap:
		return (cvg + mem) & 7
	case cvgZap:
		return 7
	}
	return mem
}

// pixelState is what the combiner hands the blender for one pixel.
type pixelState struct {
	color      rgba  // combiner output, 8 bits per channel; a may be 0x100
	shadeAlpha int32 // shade alpha with the alpha dither added
	cvg        uint32
}

// texCoord is the s10.5 texture coordinate pair of s, t, w in s15.16 as
// the divider outputs it: 17 bits, and with perspective the overflow
// flags in bits 17-18; without perspective the low 16 bits of the
// integers, sign-extended (angrylion tcdiv_nopersp, tcdiv_persp).
func texCoord(s, t, w int32, persp bool) (int32, int32) {
	ss, st := s>>16, t>>16
	if persp {
		return tcDivPersp(ss, st, w>>16)
	}
	return int32(int16(ss)) & 0x1FFFF, int32(int16(st)) & 0x1FFFF
}

// tcClamp saturates a texCoord output to the 16 bits the tile unit takes:
// an overflow flag or a value past 16 bits gives 0x7FFF or -0x8000
// (angrylion tclod_tcclamp).
func tcClamp(v int32) int32 {
	switch {
	case v&0x40000 != 0, v&0x38000 == 0x8000:
		return 0x7FFF
	case v&0x20000 != 0, v&0x18000 == 0x10000:
		return -0x8000
	}
	return int32(int16(v))
}

// tileCoord is texCoord saturated by tcClamp: the s10.5 coordinates the
// tile unit takes. Without perspective that is the 16-bit integer part.
func tileCoord(s, t, w int32, persp bool) (int32, int32) {
	if !persp {
		return int32(int16(s >> 16)), int32(int16(t >> 16))
	}
	ss, st := tcDivPersp(s>>16, t>>16, w>>16)
	return tcClamp(ss), tcClamp(st)
}

// sext17 is a texCoord output as a signed 17-bit value.
func sext17(v int32) int32 { return v << 15 >> 15 }

// lodOf runs the LOD unit for a pixel whose texture coordinates (texCoord
// outputs) are c, and cx, cy at the neighbours it compares with; an
// overflowed coordinate forces the last level (angrylion lodclamp).
func (r *raster) lodOf(tile, maxLevel uint32, c, cx, cy [2]int32) lodResult {
	if (c[0]|c[1]|cx[0]|cx[1]|cy[0]|cy[1])&0x60000 != 0 {
		return r.texLOD(tile, maxLevel, 0x4000, 0, 0, 0)
	}
	return r.texLOD(tile, maxLevel, sext17(cx[0])-sext17(c[0]), sext17(cx[1])-sext17(c[1]),
		sext17(cy[0])-sext17(c[0]), sext17(cy[1])-sext17(c[1]))
}

// drawPixel runs one pixel of a 1- or 2-cycle span through texture
// fetch, combiner, alpha compare, Z test, blender, dither and the color
// and Z writes (angrylion render_spans_1cycle/2cycle).
//
// The texture unit runs a pixel ahead: TEXEL1 of the 1-cycle combiner,
// and of the second 2-cycle pass, is the next pixel's first texel
// (angrylion: texel1_color / nexttexel_color; krom RDPTex0And1). One
// pipelining effect is approximated: in 2-cycle mode the hardware's
// alpha compare sees the next pixel's first-cycle alpha, here this
// pixel's.
func (r *raster) drawPixel(x, y int32, px *pixel) {
	m := &r.modes
	cv := cvgTable[r.cvgBuf[x&1023]]
	cvg := uint32(cv.cvg)
	cdith, adith := r.ditherValues(x, y)
	cp := &r.cplan
	in := &r.ci
	s := &in.src
	if cp.noise {
		s[srcNoise] = splat(ext9(r.noiseAt(x, y)))
	}

	var t0, t1 rgba
	if px.textured {
		t0 = r.sample(px.tile, px.s, px.t)
		switch {
		case m.cycleType == cycle2:
			t1 = r.sample1(px.tile1, px.s, px.t, t0)
			if r.modeBit(modeConvertOne) {
				t1 = ext9c(t1) // the conversion may pass signed values through
			}
		case cp.texel1:
			t1 = r.sample(px.ntile, px.ns, px.nt)
		default:
			t1 = t0
		}
	}
	s[srcT0], s[srcT1] = t0, t1
	// Only the multiplier C reads the LOD fraction, and it takes the low 9
	// bits, so the slot needs no ext9.
	s[srcLODFrac] = splat(px.lodFrac)
	sh := &s[srcShade] // by field, for the same reason as the blender inputs below
	sh.r, sh.g, sh.b, sh.a = px.shade.r, px.shade.g, px.shade.b, px.shade.a
	if cp.splats != 0 {
		in.splat(cp.splats)
	}
	acAlpha := int32(0)
	if m.cycleType == cycle2 {
		// COMBINED reads as zero in the first cycle.
		s[srcComb], s[srcCombA] = rgba{}, rgba{}
		c := r.combine(0, in)
		c.r >>= 8
		c.g >>= 8
		c.b >>= 8
		s[srcComb] = ext9c(c)
		acAlpha = r.coverageAlpha(clampAlpha(c.a), cvg, adith)
		// The second pass sees the second texel as TEXEL0, the next
		// pixel's first as TEXEL1.
		s[srcT0] = t1
		if px.textured && cp.texel1 {
			s[srcT1] = r.sample(px.ntile, px.ns, px.nt)
		}
		if cp.splats != 0 {
			in.splat(cp.splats)
		}
	}
	ps := r.finishCombine(in, cvg, adith)
	if m.cycleType != cycle2 {
		acAlpha = ps.color.a
	}

	i := uint32(y)*r.color.width + uint32(x)
	mem, memCvg := r.readMemory(i)

	z := px.z
	dzpix := px.dzpix
	if m.zSourcePrim {
		z = r.primZ << 3 & 0x3FFFF
		dzpix = r.primDZ
	}
	dzEnc := dzCompress(dzpix)
	za := r.depth.addr + i*2
	prewrap := (memCvg+ps.cvg)&8 != 0 // the coverage overflowed
	cvgOut := ps.cvg                  // a copy: taking ps's address would keep it in memory
	zr := r.zCompare(za, z, dzpix, dzEnc, &cvgOut, memCvg)
	ps.cvg = cvgOut
	if !zr.write {
		return
	}
	if m.alphaCmp && !r.alphaPasses(acAlpha, x, y) {
		return
	}
	if m.antialias && ps.cvg == 0 || !m.antialias && !cv.cvbit {
		return
	}
	// Field by field: a composite literal is built on the stack and
	// copied with wide loads that stall on its narrow stores.
	bl := &r.bl
	bl.pix, bl.mem, bl.shadeAlpha, bl.shiftA, bl.shiftB = ps.color, mem, ps.shadeAlpha, zr.shiftA, zr.shiftB
	var out rgba
	if m.cycleType == cycle2 {
		bl.pix = r.blendStep(0, bl, false)
		out = r.blendOut(1, bl, zr.blend, prewrap)
	} else {
		out = r.blendOut(0, bl, zr.blend, prewrap)
	}
	if m.rgbDither != 3 {
		out = rgbDither(out, m.rgbDither, cdith)
	}
	r.writePixel(i, out, finalCoverage(m.cvgDest, zr.blend, ps.cvg, memCvg))
	if m.zUpdate {
		r.write16(za, zCompress(z)<<2|dzEnc>>2)
	}
}

// clampAlpha is a combined alpha as the blender sees it: clamped to 8
// bits, with 0xFF read as 0x100 (angrylion combiner_*: pixel_color.a).
func clampAlpha(a int32) int32 {
	a = clamp9(a)
	if a == 0xFF {
		return 0x100
	}
	return a
}

// coverageAlpha applies ALPHA_CVG_SELECT to an alpha from clampAlpha:
// without it the alpha dither is added (saturating at 0xFF); with it the
// alpha is the coverage, times the alpha with CVG_X_ALPHA (angrylion
// combiner_2cycle_cycle0's alpha compare input).
func (r *raster) coverageAlpha(a int32, cvg uint32, adith int32) int32 {
	if !r.modes.alphaCvgSel {
		a += adith
		if a&0x100 != 0 {
			a = 0xFF
		}
		return a
	}
	if r.modes.cvgXAlpha {
		a = (a*int32(cvg) + 4) >> 3
	} else {
		a = int32(cvg) << 5
	}
	return min(a, 0xFF)
}

// finishCombine runs the last combiner cycle (cycle 1's selectors, also
// in 1-cycle mode: angrylion combiner_1cycle) and derives the pixel
// color, the alpha and coverage the blender uses, chroma keying and the
// dithered shade alpha.
func (r *raster) finishCombine(in *combInputs, cvg uint32, adith int32) pixelState {
	m := &r.modes
	var keyIn rgba
	if m.keyEn {
		keyIn = in.src[r.cplan.key&31]
	}
	c := r.combine(1, in)
	var ps pixelState
	ps.color.a = clampAlpha(c.a)
	keyAlpha := int32(0)
	if m.keyEn {
		keyAlpha = r.chromaKey(c)
		ps.color.r, ps.color.g, ps.color.b = clamp9(keyIn.r), clamp9(keyIn.g), clamp9(keyIn.b)
	} else {
		ps.color.r, ps.color.g, ps.color.b = clamp9(c.r>>8), clamp9(c.g>>8), clamp9(c.b>>8)
	}
	temp := int32(0)
	if m.cvgXAlpha {
		temp = (ps.color.a*int32(cvg) + 4) >> 3
		cvg = uint32(temp>>5) & 0xF
	}
	switch {
	case !m.alphaCvgSel && !m.keyEn:
		ps.color.a += adith
		if ps.color.a&0x100 != 0 {
			ps.color.a = 0xFF
		}
	case !m.alphaCvgSel:
		ps.color.a = keyAlpha
	case m.cvgXAlpha:
		ps.color.a = min(temp, 0xFF)
	default:
		ps.color.a = min(int32(cvg)<<5, 0xFF)
	}
	ps.cvg = cvg
	ps.shadeAlpha = in.src[srcShade].a + adith
	if ps.shadeAlpha&0x100 != 0 {
		ps.shadeAlpha = 0xFF
	}
	return ps
}

// chromaKey is the key alpha of a combined color (17-bit (A-B)*C+D per
// channel): the smallest of width<<4 minus the distance, clamped to
// 0..0xFF (angrylion chroma_key_min).
func (r *raster) chromaKey(c rgba) int32 {
	key := func(v, width int32) int32 {
		v = v << 15 >> 15 // sign-extend 17 bits
		if v > 0 {
			if v&0xF == 8 {
				v = -v + 0x10
			} else {
				v = -v
			}
		}
		return width<<4 + v
	}
	k := min(key(c.r, r.keyWidth.r), key(c.g, r.keyWidth.g), key(c.b, r.keyWidth.b))
	return max(0, min(k, 0xFF))
}

// alphaPasses is the alpha compare: the alpha must reach the blend color's
// alpha, or with DITHER_ALPHA_EN a pseudo-random threshold (angrylion
// alpha_compare).
func (r *raster) alphaPasses(a int32, x, y int32) bool {
	th := r.blend.a
	if r.modes.ditherAlpha {
		th = int32(pixelHash(x, y, 1) & 0xFF)
	}
	return a >= th
}

// pixelHash is a deterministic stand-in for the hardware's random
// source (noise, random alpha threshold), per screen position.
func pixelHash(x, y int32, salt uint32) uint32 {
	h := uint32(x)*0x9E3779B1 ^ uint32(y)*0x85EBCA77 ^ salt*0xC2B2AE3D
	h ^= h >> 15
	h *= 0x2C1B3C6D
	return h ^ h>>12
}

// noiseAt is the combiner's NOISE input: three random bits in 8:6 and
// bit 5 set (angrylion get_dither_noise).
func (r *raster) noiseAt(x, y int32) int32 {
	return int32(pixelHash(x, y, 2)&7)<<6 | 0x20
}

// Combiner input slots. The selectors of SET_COMBINE_MODE are mapped to
// slots when the mode is decoded (combineSlots), so a pixel indexes its
// inputs instead of switching on every selector: the per-pixel inputs
// come first, then the per-primitive constants setConstants copies in.
const (
	srcComb    = iota // the first cycle's result (zero in the first cycle)
	srcT0             // TEXEL0
	srcT1             // TEXEL1
	srcShade          // SHADE
	srcNoise          // NOISE, splatted
	srcLODFrac        // LOD_FRACTION, splatted (per pixel with LOD)
	srcCombA          // COMBINED alpha, splatted
	srcT0A            // TEXEL0 alpha, splatted
	srcT1A            // TEXEL1 alpha, splatted
	srcShadeA         // SHADE alpha, splatted
	srcPrim
	srcEnv
	srcOne
	srcKeyCenter
	srcK4
	srcKeyScale
	srcPrimA
	srcEnvA
	srcPrimLOD
	srcK5
	srcZero
	numSrc
)

// combInputs are the combiner's inputs by slot; the array has 32 entries
// so a slot masked with 31 needs no bounds check. Every value is kept
// as ext9 leaves it (-0x80..0x17F), which the texture unit's outputs and
// 8-bit colors already are, so the equation needs no ext9 per pixel (the
// LOD fraction, only ever C, is kept as the LOD unit gives it).
type combInputs struct {
	src [32]rgba
}

// noLODFrac is the LOD fraction without LOD, sharpen or detail: full.
// krom's Cycle1TextureRectangle tests multiply texel alpha by it and show
// opaque texels on hardware.
const noLODFrac = 0xFF

var one = rgba{0x100, 0x100, 0x100, 0x100}

func splat(v int32) rgba { return rgba{v, v, v, v} }

// splat copies the alphas of the per-pixel inputs the mode reads as
// colors (bits of combinePlan.splats) into their slots.
func (in *combInputs) splat(mask uint32) {
	s := &in.src
	if mask&(1<<srcCombA) != 0 {
		s[srcCombA] = splat(s[srcComb].a)
	}
	if mask&(1<<srcT0A) != 0 {
		s[srcT0A] = splat(s[srcT0].a)
	}
	if mask&(1<<srcT1A) != 0 {
		s[srcT1A] = splat(s[srcT1].a)
	}
	if mask&(1<<srcShadeA) != 0 {
		s[srcShadeA] = splat(s[srcShade].a)
	}
}

// setConstants copies the inputs that stay fixed during a primitive.
func (in *combInputs) setConstants(r *raster) {
	s := &in.src
	s[srcComb], s[srcCombA] = rgba{}, rgba{}
	s[srcPrim], s[srcEnv], s[srcOne] = r.prim, r.env, one
	s[srcKeyCenter], s[srcK4], s[srcKeyScale] = r.keyCenter, splat(r.k4&0x1FF), r.keyScale
	s[srcPrimA], s[srcEnvA] = splat(r.prim.a), splat(r.env.a)
	s[srcPrimLOD], s[srcK5] = splat(int32(r.primLOD)), splat(r.k5&0x1FF)
	s[srcZero] = rgba{}
	for k := srcPrim; k <= srcK5; k++ {
		s[k] = ext9c(s[k])
	}
}

// rgbSlot is the slot of a color for the (A-B)*C+D equation (n64brew
// "Set Combine Mode"; angrylion set_*_rgb_input). which: 0 sub A, 1 sub B,
// 2 mul, 3 add. Unlisted selectors are zero.
func rgbSlot(which int, sel uint32) uint8 {
	if sel <= 5 {
		return [6]uint8{srcComb, srcT0, srcT1, srcPrim, srcShade, srcEnv}[sel]
	}
	switch which {
	case 0: // sub A: 6 one, 7 noise
		switch sel {
		case 6:
			return srcOne
		case 7:
			return srcNoise
		}
	case 1: // sub B: 6 key center, 7 K4
		switch sel {
		case 6:
			return srcKeyCenter
		case 7:
			return srcK4
		}
	case 2: // mul: 6 key scale, 7-12 alphas, 13 LOD fraction, 14 prim LOD fraction, 15 K5
		if sel <= 15 {
			return [10]uint8{srcKeyScale, srcCombA, srcT0A, srcT1A, srcPrimA, srcShadeA, srcEnvA,
				srcLODFrac, srcPrimLOD, srcK5}[sel-6]
		}
	case 3: // add: 6 one
		if sel == 6 {
			return srcOne
		}
	}
	return srcZero
}

// alphaSlot is the slot whose alpha an alpha selector picks: 0 combined
// (LOD fraction for C), 1 texel 0, 2 texel 1, 3 primitive, 4 shade,
// 5 environment, 6 one (primitive LOD fraction for C), 7 zero.
func alphaSlot(which int, sel uint32) uint8 {
	switch {
	case sel == 0 && which == 2:
		return srcLODFrac
	case sel == 6 && which == 2:
		return srcPrimLOD
	case sel <= 6:
		return [7]uint8{srcComb, srcT0, srcT1, srcPrim, srcShade, srcEnv, srcOne}[sel]
	}
	return srcZero
}

// combineChannel is one channel of (A-B)*C+D with the hardware's
// widths: A, B and D are 9-bit values read with 0x180-0x1FF negative,
// C is a signed 9-bit value, and the 17-bit result keeps 8 fraction
// bits (angrylion color_combiner_equation). Wrapping at 17 bits is the
// overflow krom's CombinerOverflow shows.
func combineChannel(a, b, c, d int32) int32 {
	return combineExt(ext9(a), ext9(b), c, ext9(d))
}

// combineExt is combineChannel with A, B and D already through ext9, as
// the input slots hold them. C only needs its low 9 bits, which ext9
// keeps.
func combineExt(a, b, c, d int32) int32 {
	c = c << 23 >> 23
	return ((a-b)*c + d<<8 + 0x80) & 0x1FFFF
}

// ext9c is ext9 of every channel.
func ext9c(c rgba) rgba { return rgba{ext9(c.r), ext9(c.g), ext9(c.b), ext9(c.a)} }

// combine evaluates cycle cyc of the combiner: RGB as 17-bit values
// (8 fraction bits), alpha as a 9-bit value.
func (r *raster) combine(cyc int, in *combInputs) rgba {
	sl := &r.cplan.slots[cyc&1]
	s := &in.src
	var out rgba
	d := &s[sl.rgb[3]&31]
	if sl.rgbAdd {
		out.r, out.g, out.b = addChannel(d.r), addChannel(d.g), addChannel(d.b)
	} else {
		a, b, c := &s[sl.rgb[0]&31], &s[sl.rgb[1]&31], &s[sl.rgb[2]&31]
		out.r = combineExt(a.r, b.r, c.r, d.r)
		out.g = combineExt(a.g, b.g, c.g, d.g)
		out.b = combineExt(a.b, b.b, c.b, d.b)
	}
	if ad := s[sl.alpha[3]&31].a; sl.alphaAdd {
		out.a = addChannel(ad) >> 8 & 0x1FF
	} else {
		out.a = combineExt(s[sl.alpha[0]&31].a, s[sl.alpha[1]&31].a, s[sl.alpha[2]&31].a, ad) >> 8 & 0x1FF
	}
	return out
}

// addChannel is combineExt with a zero product: D alone.
func addChannel(d int32) int32 {
	return (d<<8 + 0x80) & 0x1FFFF
}

// blendInputs are the blender's per-pixel inputs: pix is the combiner's
// color in the first cycle and the first cycle's result in the second;
// shiftA/B scale the alphas when B is memory alpha (from the Z test).
type blendInputs struct {
	pix, mem       rgba
	shadeAlpha     int32
	shiftA, shiftB uint32
}

// blendSel returns a cycle's P, A, M, B selectors (n64brew "Set Other
// Modes" blender bits).
func (r *raster) blendSel(cyc int) (p, a, mm, b uint32) {
	m := &r.modes
	if cyc == 0 {
		return m.blendM1A0, m.blendM1B0, m.blendM2A0, m.blendM2B0
	}
	return m.blendM1A1, m.blendM1B1, m.blendM2A1, m.blendM2B1
}

// blendColor is a P or M input: 0 pixel, 1 memory, 2 blend, 3 fog color.
func (r *raster) blendColor(sel uint32, in *blendInputs) rgba {
	switch sel {
	case 0:
		return in.pix
	case 1:
		return in.mem
	case 2:
		return r.blend
	}
	return r.fog
}

// blendStep evaluates P*A + M*(B+1) with A and B reduced to 5 bits
// (angrylion blender_equation_*). With divide (the last cycle without
// FORCE_BLEND) the sum is divided by A+B by the hardware's bit-serial
// divider; otherwise it is shifted down by 5. B = memory alpha scales A and B by the
// depth-derived shifts.
func (r *raster) blendStep(cyc int, in *blendInputs, divide bool) rgba {
	p, a, mm, b := r.blendSel(cyc)
	pc, mc := r.blendColor(p, in), r.blendColor(mm, in)
	var av int32
	switch a {
	case 0:
		av = in.pix.a
	case 1:
		av = r.fog.a
	case 2:
		av = in.shadeAlpha
	}
	var bv int32
	switch b {
	case 0:
		bv = ^av & 0xFF
	case 1:
		bv = in.mem.a
	case 2:
		bv = 0xFF
	}
	a5, b5 := av>>3, bv>>3
	if b == 1 {
		a5 = a5 >> in.shiftA & 0x3C
		b5 = b5>>in.shiftB | 3
	}
	mix := func(x, y int32) int32 {
		v := x*a5 + y*(b5+1)
		if divide {
			sum := ((a5&^3)+(b5&^3)+4)<<9 | v>>2&0x7FF
			return int32(blendDiv[sum&0x7FFF])
		}
		return v >> 5 & 0xFF
	}
	return rgba{mix(pc.r, mc.r), mix(pc.g, mc.g), mix(pc.b, mc.b), in.pix.a}
}

// blendOut is the blender's last cycle (angrylion blender_1cycle,
// blender_2cycle_cycle1): with COLOR_ON_CVG and no coverage overflow the
// M input passes; a pixel that is not blended (blend off, or the
// partial-reject case A = pixel alpha, B = 1-A with an opaque pixel)
// passes P; otherwise the equation runs, dividing unless FORCE_BLEND.
func (r *raster) blendOut(cyc int, in *blendInputs, blend, prewrap bool) rgba {
	p, a, mm, b := r.blendSel(cyc)
	if r.modes.colorOnCvg && !prewrap {
		return r.blendColor(mm, in)
	}
	partial := a == 0 && b == 0 && in.pix.a >= 0xFF
	if !blend || partial {
		return r.blendColor(p, in)
	}
	return r.blendStep(cyc, in, !r.modes.forceBlend)
}

// blendDiv is the blender's divider: index (A+B)/4 in bits 14:11 and the
// 11-bit dividend; a bit-serial restoring divide as the hardware does it
// (angrylion bldiv_hwaccurate_table).
var blendDiv = func() (t [0x8000]uint8) {
	for i := range t {
		d := i >> 11 & 0xF
		n := i & 0x7FF
		invd := ^d & 0xF
		temp := invd + n>>8 + 1
		ps := temp & 7
		res := 0
		for k := 0; k < 8; k++ {
			nbit := n >> (7 - k) & 1
			if res&(0x100>>k) != 0 {
				temp = invd + ps<<1 + nbit + 1
			} else {
				temp = d + ps<<1 + nbit
			}
			ps = temp & 7
			if temp&0x10 != 0 {
				res |= 1 << (7 - k)
			}
		}
		t[i] = uint8(res)
	}
	return
}()

// zResult is the Z test's outcome: whether the pixel is written, whether
// it blends (FORCE_BLEND, or antialiased, not overflowing and not in
// front), and the blender's alpha shifts for B = memory alpha. (Four
// fields: the compiler keeps such a struct in registers.)
type zResult struct {
	write, blend   bool
	shiftA, shiftB uint32
}

// Z modes (SET_OTHER_MODES bits 11:10).
const (
	zOpaque = iota
	zInterpenetrating
	zTransparent
	zDecal
)

// zCompare tests z (18 bits) with its delta dzpix against the Z buffer
// word at za, which holds the compressed depth and in its low 2 bits the
// high bits of the encoded delta (the low 2 are hidden RDRAM bits we do
// not keep: taken as 0) (angrylion z_compare). Interpenetrating mode
// may scale the coverage.
func (r *raster) zCompare(za, z, dzpix uint32, dzEnc uint32, cvg *uint32, memCvg uint32) zResult {
	m := &r.modes
	overflow := (memCvg+*cvg)&8 != 0
	var res zResult
	if !m.zCompare {
		res.write = true
		res.blend = m.forceBlend || !overflow && m.antialias
		if dzEnc < 0xB {
			res.shiftB = 4
		} else {
			res.shiftB = 0xF - dzEnc
		}
		return res
	}
	zv := r.read16(za)
	oz := zDecompress(zv >> 2 & 0x3FFF)
	rawDz := (zv & 3) << 2
	res.shiftA = uint32(max(0, min(int32(dzEnc)-int32(rawDz), 4)))
	res.shiftB = uint32(max(0, min(int32(rawDz)-int32(dzEnc), 4)))
	dzmem := uint32(1) << rawDz
	coplanar := false
	if zv>>13&0xF < 3 {
		if dzmem != 0x8000 {
			mod := uint32(16) >> (zv >> 13 & 0xF)
			dzmem = max(dzmem<<1, mod)
		} else {
			coplanar = true
			dzmem = 0xFFFF
		}
	}
	dznew := topBit((dzpix | dzmem) & 0xFFFF)
	dzShift := dznew << 3
	farther := coplanar || z+dzShift >= oz
	res.blend = m.forceBlend || !overflow && m.antialias && farther
	nearer := coplanar || int32(z)-int32(dzShift) <= int32(oz)
	isMax := oz == 0x3FFFF
	infront := z < oz
	switch m.zMode {
	case zOpaque:
		res.write = isMax || (overflow && infront) || (!overflow && nearer)
	case zInterpenetrating:
		if !infront || !farther || !overflow {
			res.write = isMax || (overflow && infront) || (!overflow && nearer)
		} else {
			enc := dzCompress(dznew)
			coeff := (oz>>enc - z>>enc) & 0xF
			*cvg = coeff * *cvg >> 3 & 0xF
			res.write = true
		}
	case zTransparent:
		res.write = infront || isMax
	case zDecal:
		res.write = farther && nearer && !isMax
	}
	return res
}

// topBit keeps the highest set bit of v (0 for 0).
func topBit(v uint32) uint32 {
	return 1 << bits.Len32(v&0xFFFF) >> 1
}

// dzCompress encodes a power-of-two delta Z as its 4-bit log2 (angrylion
// dz_compress).
func dzCompress(v uint32) uint32 {
	j := uint32(0)
	if v&0xFF00 != 0 {
		j |= 8
	}
	if v&0xF0F0 != 0 {
		j |= 4
	}
	if v&0xCCCC != 0 {
		j |= 2
	}
	if v&0xAAAA != 0 {
		j |= 1
	}
	return j
}

// dzPixel is a primitive's per-pixel delta Z: |DzDx| + |DzDy| (integer
// parts, one's complement magnitude) rounded up to a power of two
// (angrylion normalize_dzpix).
func dzPixel(dzdx, dzdy int32) uint32 {
	mag := func(v int32) uint32 {
		u := uint32(v) >> 16 & 0xFFFF
		if u&0x8000 != 0 {
			return ^u & 0x7FFF
		}
		return u
	}
	sum := (mag(dzdx) + mag(dzdy)) & 0xFFFF
	switch {
	case sum&0xC000 != 0:
		return 0x8000
	case sum == 0:
		return 1
	case sum == 1:
		return 3
	}
	for c := uint32(0x2000); c > 0; c >>= 1 {
		if sum&c != 0 {
			return c << 1
		}
	}
	return 0
}

// zCompress packs an 18-bit z into the 14-bit floating format of the
// Z buffer: a 3-bit exponent counting leading ones, 11 mantissa bits
// (n64brew "Reality Display Processor/Z-buffer").
func zCompress(z uint32) uint32 {
	z &= 0x3FFFF
	e := uint32(min(bits.LeadingZeros32(^(z << 14)), 7)) // leading ones from bit 17
	shift := uint32(6) - e
	if e >= 6 {
		shift = 0
	}
	return e<<11 | z>>shift&0x7FF
}

// zDecompress is the inverse: the leading ones back, then the mantissa.
func zDecompress(v uint32) uint32 {
	e := v >> 11 & 7
	m := v & 0x7FF
	shift := uint32(6) - e
	if e >= 6 {
		shift = 0
	}
	ones := uint32(0x3FFFF) &^ (0x3FFFF >> e)
	return ones | m<<shift
}

// Dither matrices indexed by (y&3)<<2 | x&3 (angrylion dither.c).
var (
	magicMatrix = [16]int32{0, 6, 1, 7, 4, 2, 5, 3, 3, 5, 2, 4, 7, 1, 6, 0}
	bayerMatrix = [16]int32{0, 4, 1, 5, 4, 0, 5, 1, 3, 7, 2, 6, 7, 3, 6, 2}
)

// ditherValues returns the color and alpha dither values of a pixel from
// RGB_DITHER_SEL (0 magic square, 1 Bayer, 2 noise, 3 none) and
// ALPHA_DITHER_SEL (0 the color pattern, 1 its complement, 2 noise,
// 3 none); interlaced scissoring uses the field's line (angrylion
// get_dither_noise).
func (r *raster) ditherValues(x, y int32) (cdith, adith int32) {
	m := &r.modes
	if r.scField != 0 {
		y >>= 1
	}
	idx := (y&3)<<2 | x&3
	var pat int32
	switch m.rgbDither {
	case 0:
		pat = magicMatrix[idx]
		cdith = pat
	case 1:
		pat = bayerMatrix[idx]
		cdith = pat
	case 2:
		pat = magicMatrix[idx]
		cdith = int32(pixelHash(x, y, 3) & 0x1FF)
	default:
		pat = bayerMatrix[idx]
		cdith = 7
	}
	switch m.alphaDither {
	case 0:
		adith = pat
	case 1:
		adith = ^pat & 7
	case 2:
		adith = r.noiseAt(x, y) >> 6 & 7
	}
	return cdith, adith
}

// rgbDither rounds each channel up to the next 5-bit step when its three
// low bits exceed the dither value (with noise, three separate 3-bit
// values), before the write truncates (angrylion rgb_dither).
func rgbDither(c rgba, sel uint32, d int32) rgba {
	cr, cg, cb := d, d, d
	if sel == 2 {
		cr, cg, cb = d&7, d>>3&7, d>>6&7
	}
	return rgba{ditherUp(c.r, cr), ditherUp(c.g, cg), ditherUp(c.b, cb), c.a}
}

// ditherUp is one channel of rgbDither.
func ditherUp(v, comp int32) int32 {
	// Written for conditional moves: the comparisons are data-dependent.
	up := v&0xF8 + 8
	if v > 247 {
		up = 255
	}
	if comp < v&7 {
		v = up
	}
	return v
}
