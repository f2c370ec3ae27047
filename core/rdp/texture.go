package rdp

// The texture unit: tile coordinates (shift, clamp, mirror, mask), texel
// fetch for every format with and without TLUT, and the filter (point,
// the 3-point bilinear, and the YUV color conversion). The stages and
// their bit widths follow angrylion-rdp-plus (tcoord.c tcshift_cycle,
// tcclamp_cycle, tcmask_coupled; tex.c texture_pipeline_cycle; tmem.c
// fetch_texel*).

// Other-modes bits of the texture unit (n64brew "Set Other Modes").
const (
	modeMidTexel   = 44
	modeBiLerp0    = 43
	modeBiLerp1    = 42
	modeConvertOne = 41
)

func (r *raster) modeBit(n uint) bool { return r.modeWord>>n&1 != 0 }

// texAxis is one tile coordinate after the coordinate pipeline: the texel
// index relative to the tile origin, the 5-bit fraction, and the step to
// the neighbouring texel the bilinear filter reads (1, or another value
// at a mask or mirror edge).
type texAxis struct{ idx, frac, diff int32 }

// tileAxis runs one coordinate (s10.5) through the tile's shift, the
// subtraction of the tile origin (10.2), clamp and mask/mirror.
func tileAxis(c int32, shift, lo, hi, clamp, mirror, mask uint32, copyMode bool) texAxis {
	// Shift 1-10 divides, 11-15 multiplies by 2^(16-shift); the datapath
	// is 16 bits wide (angrylion tcshift_cycle).
	if shift < 11 {
		c = int32(int16(c)) >> shift
	} else {
		c = int32(int16(c << (16 - shift)))
	}
	atMax := c>>3 >= int32(hi)
	rel := c - int32(lo)<<3
	a := texAxis{idx: rel >> 5, frac: rel & 0x1F, diff: 1}
	// Clamp applies when asked for or when there is no mask; copy mode
	// never clamps (angrylion tc_pipeline_copy).
	if !copyMode && (clamp != 0 || mask == 0) {
		switch {
		case atMax:
			a.idx, a.frac = int32(hi>>2-lo>>2)&0x3FF, 0
		case rel&0x10000 != 0: // negative in the 17-bit datapath
			a.idx, a.frac = 0, 0
		}
	}
	if mask == 0 {
		return a
	}
	m := mask
	if m > 10 {
		m = 10
	}
	bits := int32(1)<<m - 1
	if mirror != 0 {
		wrap := a.idx >> m & 1
		a.idx = (a.idx ^ -wrap) & bits
		// The neighbour of the last texel before a mirror edge is itself.
		if (a.idx-wrap)&bits == bits {
			a.diff = 0
		} else {
			a.diff = 1 - wrap<<1
		}
		return a
	}
	a.idx &= bits
	if a.idx == bits {
		a.diff = -a.idx // wraps back to texel 0
	}
	return a
}

// ext9 is the combiner's view of a 9-bit texel channel: 0x180-0x1FF are
// negative, 0x100-0x17F stay positive (angrylion special_9bit_exttable).
func ext9(v int32) int32 {
	v &= 0x1FF
	return v - (v+0x80)&0x200 // 0x180-0x1FF carry into bit 9
}

// sign9 sign-extends a 9-bit value.
func sign9(v int32) int32 { return v << 23 >> 23 }

// sample returns the filtered texel of tile ti at (s, t) in s10.5: the
// texture of 1-cycle mode or of the first cycle of 2-cycle mode.
func (r *raster) sample(ti uint32, s, t int32) rgba {
	return r.sampleCycle(ti, s, t, 0, rgba{})
}

// sample1 is the second texture of 2-cycle mode; t0 is the first one,
// which CONVERT_ONE feeds through this cycle's filter instead of texels
// (n64brew "Set Other Modes": convert_one).
func (r *raster) sample1(ti uint32, s, t int32, t0 rgba) rgba {
	return r.sampleCycle(ti, s, t, 1, t0)
}

func (r *raster) sampleCycle(ti uint32, s, t int32, cycle int, prev rgba) rgba {
	tl := &r.tiles[ti&7]
	copyMode := r.modes.cycleType == cycleCopy
	as := tileAxis(s, tl.shiftS, tl.sl, tl.sh, tl.cs, tl.ms, tl.maskS, copyMode)
	at := tileAxis(t, tl.shiftT, tl.tl, tl.th, tl.ct, tl.mt, tl.maskT, copyMode)
	if copyMode {
		return r.pointTexel(tl, as.idx, at.idx&0xFF)
	}
	// Texture unit 0 (1-cycle, or cycle 0 of 2-cycle) uses BI_LERP_0;
	// the second texture of 2-cycle mode uses BI_LERP_1.
	bilerp := r.modeBit(modeBiLerp0)
	if cycle == 1 {
		bilerp = r.modeBit(modeBiLerp1)
	}
	convert := cycle == 1 && r.modeBit(modeConvertOne)
	if convert {
		// The first texture enters as signed 9-bit values.
		prev = rgba{sign9(prev.r), sign9(prev.g), sign9(prev.b), sign9(prev.a)}
	}
	if !bilerp {
		// Color conversion instead of filtering: it converts the texel at
		// (s, t) whatever the fractions. krom's YUV16 screens (hardware
		// captures) show no triangle selection here; angrylion instead
		// takes the Y and U/V of texel (s+1, t+1) in the upper triangle.
		if convert {
			return r.yuvConvert(prev, prev)
		}
		c := r.pointTexel(tl, as.idx, at.idx&0xFF)
		return r.yuvConvert(c, c)
	}
	if !r.modes.sampleType && !r.modes.tlutEn {
		if convert {
			return rgba{prev.b, prev.b, prev.b, prev.b}
		}
		c := r.texel(tl, as.idx, at.idx&0xFF, as.idx)
		return rgba{ext9(c.r), ext9(c.g), ext9(c.b), ext9(c.a)}
	}
	sf, tf := as.frac, at.frac
	upper := sf+tf >= 0x20
	// YUV: U and V are shared by two texels, so their fraction spans two
	// texels and picks its own triangle (angrylion sfracrg/upperrg).
	sfrg, upperRG := sf, upper
	if tl.format == fmtYUV {
		sfrg = sf>>1 | (as.idx&1)<<4
		upperRG = sfrg+tf >= 0x20
	}
	if !convert && sf == 0 && tf == 0 && !r.modes.tlutEn && tl.format != fmtYUV {
		// The lower triangle at zero fractions is texel (s, t) itself.
		c := r.texel(tl, as.idx, at.idx&0xFF, as.idx)
		return rgba{ext9(c.r), ext9(c.g), ext9(c.b), ext9(c.a)}
	}
	sd, td := as.diff, at.diff
	if !r.modes.sampleType {
		sd, td = 0, 0 // TLUT point sampling still reads the four banks
	}
	q := r.texelQuad(tl, as.idx, sd, at.idx&0xFF, td, upper, upperRG)
	if convert {
		return convertLerp(q, prev, upper, upperRG)
	}
	var out rgba
	midTexel := r.modeBit(modeMidTexel)
	out.r, out.g = filter3(q[0].r, q[1].r, q[2].r, q[3].r, sfrg, tf, upperRG, midTexel && sfrg == 0x10 && tf == 0x10),
		filter3(q[0].g, q[1].g, q[2].g, q[3].g, sfrg, tf, upperRG, midTexel && sfrg == 0x10 && tf == 0x10)
	center := midTexel && sf == 0x10 && tf == 0x10
	out.b, out.a = filter3(q[0].b, q[1].b, q[2].b, q[3].b, sf, tf, upper, center),
		filter3(q[0].a, q[1].a, q[2].a, q[3].a, sf, tf, upper, center)
	return rgba{ext9(out.r), ext9(out.g), ext9(out.b), ext9(out.a)}
}

// pointTexel is the texel at (s, t), through the TLUT when it is on.
func (r *raster) pointTexel(tl *tile, s, t int32) rgba {
	if r.modes.tlutEn {
		return r.tlutTexel(tl, s, t)
	}
	return r.texel(tl, s, t, s)
}

// convertLerp is the second cycle's filter with CONVERT_ONE and BI_LERP_1:
// the first texture's signed red and green replace the fractions and
// its blue is the base (angrylion texture_pipeline_cycle, convert case).
func convertLerp(q [4]rgba, prev rgba, upper, upperRG bool) rgba {
	fr, fg, base := prev.r, prev.g, prev.b
	lerp := func(c0, c1, c2, c3 int32, up bool) int32 {
		if up {
			return base + (fr*(c2-c3)+fg*(c1-c3)+0x80)>>8
		}
		return base + (fr*(c1-c0)+fg*(c2-c0)+0x80)>>8
	}
	return rgba{
		ext9(lerp(q[0].r, q[1].r, q[2].r, q[3].r, upperRG)),
		ext9(lerp(q[0].g, q[1].g, q[2].g, q[3].g, upperRG)),
		ext9(lerp(q[0].b, q[1].b, q[2].b, q[3].b, upper)),
		ext9(lerp(q[0].a, q[1].a, q[2].a, q[3].a, upper)),
	}
}

// filter3 is the RDP's bilinear: of the 2x2 texels t0 (s,t), t1 (s+1,t),
// t2 (s,t+1), t3 (s+1,t+1) it interpolates the triangle that holds the
// sample point; with MID_TEXEL at the exact centre it averages all four
// (angrylion texture_pipeline_cycle).
func filter3(t0, t1, t2, t3, sf, tf int32, upper, center bool) int32 {
	switch {
	case center:
		return t3 + ((t1+t2)<<6-t3<<7+(^t3+t0)<<6+0xC0)>>8
	case upper:
		return t3 + ((0x20-sf)*(t2-t3)+(0x20-tf)*(t1-t3)+0x10)>>5
	}
	return t0 + (sf*(t1-t0)+tf*(t2-t0)+0x10)>>5
}

// yuvConvert is the filter's color-conversion mode (BI_LERP off): U, V
// in r, g (signed, as fetched) and Y in b become RGB with K0-K3 (n64brew "Set
// Convert"); alpha is Y. rg and ba are the texels that provide U/V and Y.
func (r *raster) yuvConvert(rg, ba rgba) rgba {
	k := func(v int32) int32 { return v<<1 + 1 } // angrylion k*_tf
	u, v, y := rg.r, rg.g, ba.b
	return rgba{
		ext9(y + (k(r.k0)*v+0x80)>>8),
		ext9(y + (k(r.k1)*u+k(r.k2)*v+0x80)>>8),
		ext9(y + (k(r.k3)*u+0x80)>>8),
		ext9(y),
	}
}

// Other-modes bits of the LOD unit (n64brew "Set Other Modes").
const (
	modeTexLOD  = 48
	modeSharpen = 49
	modeDetail  = 50
)

// lodResult is the LOD unit's output: the tiles of texture cycles 0 and
// 1 and the LOD fraction the combiner sees (9 bits: sharpen sets 0x100).
type lodResult struct {
	tile0, tile1 uint32
	frac         int32
}

// texLOD selects the mip tiles and the LOD fraction of a pixel from the
// texture coordinate deltas (s10.5) to its neighbours in x (dsx, dtx) and
// y (dsy, dty). maxLevel is the primitive's mip level count - 1, primTile
// its tile. The LOD is the largest delta; its integer log2 (above one
// texel per pixel) is the level and the bits below it the fraction;
// below one texel per pixel the texture magnifies (detail/sharpen use the
// fraction there, with PRIM_MIN_LEVEL as its floor) (angrylion tcoord.c
// tclod_4x17_to_15, lodfrac_lodtile_signals, tclod_2cycle).
func (r *raster) texLOD(primTile, maxLevel uint32, dsx, dtx, dsy, dty int32) lodResult {
	res := lodResult{tile0: primTile & 7, tile1: (primTile + 1) & 7, frac: 0xFF}
	sharpen, detail := r.modeBit(modeSharpen), r.modeBit(modeDetail)
	if !r.modeBit(modeTexLOD) && !sharpen && !detail {
		return res
	}
	mag17 := func(d int32) int32 { // |d| in the 17-bit datapath (one's complement)
		d &= 0x3FFFF
		if d&0x20000 != 0 {
			d = ^d & 0x1FFFF
		}
		return d
	}
	lod := max(mag17(dsx), mag17(dtx), mag17(dsy), mag17(dty))
	if lod&0x1C000 != 0 {
		lod = lod&0x3FFF | 0x4000
	}
	minLevel := int32(r.primMinLOD)
	var lTile int32
	var magnify, distant bool
	switch {
	case lod&0x4000 != 0:
		distant = true
	case lod < 32:
		magnify, distant = true, maxLevel == 0
		switch {
		case sharpen || detail:
			res.frac = max(lod, minLevel) << 3
			if sharpen {
				res.frac |= 0x100
			}
		case !distant:
			res.frac = 0
		}
	default:
		for v := (lod >> 5) & 0xFF; v > 1; v >>= 1 {
			lTile++
		}
		distant = maxLevel == 0 || lod&0x6000 != 0 || lTile >= int32(maxLevel)
		if sharpen || detail || !distant {
			res.frac = (lod << 3 >> lTile) & 0xFF
		}
	}
	if !r.modeBit(modeTexLOD) {
		return res
	}
	if distant {
		lTile = int32(maxLevel)
	}
	base := primTile + uint32(lTile)
	switch {
	case !detail:
		res.tile0 = base & 7
		res.tile1 = res.tile0
		if !distant && (sharpen || !magnify) {
			res.tile1 = (base + 1) & 7
		}
	case magnify:
		res.tile0, res.tile1 = base&7, (base+1)&7
	default:
		res.tile0 = (base + 1) & 7
		res.tile1 = (base + 1) & 7
		if !distant {
			res.tile1 = (base + 2) & 7
		}
	}
	return res
}

// copyQword is the 64 bits one copy-mode fetch hands the color image for
// texels s..s+3 of row t (angrylion fetch_qword_copy, read_tmem_copy,
// replicate_for_copy). With TLUT it is the four palette entries, entry k
// read from bank k. Without, the low 32 bits are the raw TMEM words of
// texels s+2 and s+3 and the high 32 bits those of s and s+1 (16-bit
// texels) or the four texels as bytes (smaller ones; an RGBA32 texel
// gives its red byte). RGBA32 and YUV read only the low (red/green, U/V)
// half of TMEM; angrylion's separate second-texel address for YUV is not
// modelled. An 8-bit color image takes the 8 bytes as 8 pixels, so with
// TLUT each entry's two bytes land in neighbouring pixels.
func (r *raster) copyQword(tl *tile, s, t int32) uint64 {
	as := tileAxis(s, tl.shiftS, tl.sl, tl.sh, 0, 0, 0, true) // origin and shift; masked per texel below
	at := tileAxis(t, tl.shiftT, tl.tl, tl.th, tl.ct, tl.mt, tl.maskT, true)
	tbase := (uint32(int32(tl.line)*at.idx)&0x1FF + tl.tmem) << 4 // in nibbles
	large := tl.format == fmtYUV || tl.format == fmtRGBA && tl.size == size32
	var short, nib [4]uint32
	for k := range short {
		si := as.idx + int32(k)
		if tl.maskS != 0 {
			m := min(tl.maskS, 10)
			if tl.ms != 0 {
				si ^= -(si >> m & 1)
			}
			si &= 1<<m - 1
		}
		var off uint32
		switch {
		case tl.size == size8 || tl.format == fmtYUV:
			off = uint32(si) << 1
		case tl.size >= size16:
			off = uint32(si) << 2
		default:
			off = uint32(si)
		}
		n := (tbase + off&0x1FFF) & 0x1FFF
		if at.idx&1 != 0 {
			n ^= 8 // odd rows: 32-bit halves swapped
		}
		nib[k] = n & 0xF
		w := n >> 2
		if large || r.modes.tlutEn {
			w &= 0x3FF
		}
		short[k] = r.tmemShort(w)
	}
	if r.modes.tlutEn {
		for k := range short {
			var idx uint32
			switch {
			case tl.size == size4:
				idx = tl.palette<<4 | short[k]>>((nib[k]&3^3)<<2)&0xF
			case nib[k]&2 == 0:
				idx = short[k] >> 8
			default:
				idx = short[k] & 0xFF
			}
			short[k] = r.tmemShort(0x400 | idx<<2 | uint32(k))
		}
		return uint64(short[0])<<48 | uint64(short[1])<<32 | uint64(short[2])<<16 | uint64(short[3])
	}
	lo := uint64(short[2])<<16 | uint64(short[3])
	if tl.size == size16 {
		return uint64(short[0])<<48 | uint64(short[1])<<32 | lo
	}
	var hi uint64
	for k := range short {
		hi = hi<<8 | uint64(copyByte(tl, short[k], nib[k]&3))
	}
	return hi<<32 | lo
}

// copyByte is the byte a copy fetch makes of a texel smaller than 16 bits
// (or the high byte of a 32-bit one) from the TMEM word v holding it, off
// the texel's nibble in v: a 4-bit CI texel takes the tile palette as its
// high nibble, 4-bit IA expands its 3-bit intensity, 8-bit IA repeats
// its intensity nibble, other 4-bit texels repeat the nibble.
func copyByte(tl *tile, v, off uint32) uint32 {
	switch tl.size {
	case size4:
		n := v >> ((off ^ 3) << 2) & 0xF
		switch tl.format {
		case fmtCI:
			return tl.palette<<4 | n
		case fmtIA:
			i := (n<<4 | n) & 0xE0
			return i | i>>3 | i>>6
		}
		return n<<4 | n
	case size8:
		sh := ((off ^ 3) | 1) << 2
		if tl.format == fmtIA {
			n := v >> sh & 0xF
			return n<<4 | n
		}
		return v >> (sh &^ 4) & 0xFF
	}
	return v >> 8 & 0xFF
}
