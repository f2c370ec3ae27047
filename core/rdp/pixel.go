package rdp

// pixel is the per-pixel input of the pipeline.
type pixel struct {
	shade    rgba
	s, t     int32  // s10.5 texture coordinates
	z        uint32 // 18-bit depth
	tile     uint32
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

// sample fetches the texel of tile ti at (s, t): point-sampled, or with
// SAMPLE_TYPE set (outside copy mode) filtered by the RDP's 3-texel
// bilinear: the triangle of the 2x2 footprint that holds the sample
// point, weighted by the 5-bit fractions (n64brew "Texture filtering";
// angrylion's 3-point filter).
func (r *raster) sample(ti uint32, s, t int32) rgba {
	tl := &r.tiles[ti&7]
	ss := wrapCoord(s, tl.shiftS, tl.sl, tl.sh, tl.cs, tl.ms, tl.maskS)
	tt := wrapCoord(t, tl.shiftT, tl.tl, tl.th, tl.ct, tl.mt, tl.maskT)
	t00 := r.texel(tl, ss, tt)
	if !r.modes.sampleType || r.modes.cycleType == cycleCopy {
		return t00
	}
	sf, tf := shifted(s, tl.shiftS)&31, shifted(t, tl.shiftT)&31
	if sf == 0 && tf == 0 {
		return t00
	}
	s1 := wrapCoord(s+texelStep(tl.shiftS), tl.shiftS, tl.sl, tl.sh, tl.cs, tl.ms, tl.maskS)
	t1 := wrapCoord(t+texelStep(tl.shiftT), tl.shiftT, tl.tl, tl.th, tl.ct, tl.mt, tl.maskT)
	t10 := r.texel(tl, s1, tt)
	t01 := r.texel(tl, ss, t1)
	lerp3 := func(base, a, b, fa, fb int32) int32 {
		return base + ((a-base)*fa+(b-base)*fb+0x10)>>5
	}
	if sf+tf < 32 {
		return rgba{lerp3(t00.r, t10.r, t01.r, sf, tf), lerp3(t00.g, t10.g, t01.g, sf, tf),
			lerp3(t00.b, t10.b, t01.b, sf, tf), lerp3(t00.a, t10.a, t01.a, sf, tf)}
	}
	t11 := r.texel(tl, s1, t1)
	return rgba{lerp3(t11.r, t01.r, t10.r, 32-sf, 32-tf), lerp3(t11.g, t01.g, t10.g, 32-sf, 32-tf),
		lerp3(t11.b, t01.b, t10.b, 32-sf, 32-tf), lerp3(t11.a, t01.a, t10.a, 32-sf, 32-tf)}
}

// shifted applies a tile shift to a coordinate (as wrapCoord does).
func shifted(c int32, shift uint32) int32 {
	if shift < 11 {
		return c >> shift
	}
	return c << (16 - shift)
}

// texelStep is the coordinate step (before the tile shift) that moves one
// texel after it.
func texelStep(shift uint32) int32 {
	if shift < 11 {
		return 32 << shift
	}
	if v := int32(32) >> (16 - shift); v > 0 {
		return v
	}
	return 1
}

// copyPixel is copy mode: the texel goes straight to the color image;
// with alpha compare on, texels whose alpha is 0 are skipped.
func (r *raster) copyPixel(x, y int32, px *pixel) {
	c := r.sample(px.tile, px.s, px.t)
	if r.modes.alphaCmp && c.a == 0 {
		return
	}
	r.writeColor(x, y, c)
}

func (r *raster) writeColor(x, y int32, c rgba) {
	ci := &r.color
	i := uint32(y)*ci.width + uint32(x)
	switch ci.size {
	case size16:
		v := uint32(c.r>>3)<<11 | uint32(c.g>>3)<<6 | uint32(c.b>>3)<<1
		if c.a >= 0x80 {
			v |= 1
		}
		r.write16(ci.addr+i*2, v)
	case size32:
		r.write32(ci.addr+i*4, uint32(c.r)<<24|uint32(c.g)<<16|uint32(c.b)<<8|uint32(c.a))
	case size8:
		a := (ci.addr + i) & 0xFF_FFFF
		if int(a) < len(r.rdram) {
			r.rdram[a] = byte(c.r)
		}
	}
}

func (r *raster) readColor(x, y int32) rgba {
	ci := &r.color
	i := uint32(y)*ci.width + uint32(x)
	switch ci.size {
	case size16:
		return rgba16(r.read16(ci.addr + i*2))
	case size32:
		return colorOf(r.read32(ci.addr + i*4))
	}
	return rgba{}
}

// drawPixel runs one pixel through texture, combiner, alpha compare,
// depth test, blender and dither in 1- or 2-cycle mode.
func (r *raster) drawPixel(x, y int32, px *pixel) {
	var t0, t1 rgba
	if px.textured {
		t0 = r.sample(px.tile, px.s, px.t)
		if r.modes.cycleType == cycle2 {
			t1 = r.sample(px.tile+1, px.s, px.t)
		} else {
			t1 = t0
		}
	}
	var c rgba
	if r.modes.cycleType == cycle2 {
		c = r.combine(0, rgba{}, t0, t1, px.shade)
		c = r.combine(1, c, t0, t1, px.shade)
	} else {
		// 1-cycle mode uses the second cycle's selectors (angrylion's
		// combiner_1cycle; ares RDP::combinerCycle1).
		c = r.combine(1, rgba{}, t0, t1, px.shade)
	}
	if r.modes.alphaCmp && c.a < r.blend.a {
		return
	}
	z := px.z
	if r.modes.zSourcePrim {
		z = r.primZ << 3 & 0x3FFFF
	}
	za := r.depth.addr + (uint32(y)*r.color.width+uint32(x))*2
	if r.modes.zCompare {
		old := zDecompress(r.read16(za) >> 2)
		if z >= old && r.modes.zMode != 3 {
			return
		}
	}
	var mem rgba
	if r.modes.imageRead || r.modes.forceBlend {
		mem = r.readColor(x, y)
	}
	out := r.blendPixel(c, mem, px.shade)
	if r.color.size == size16 && r.modes.rgbDither < 2 {
		out = dither(out, x, y, r.modes.rgbDither)
	}
	r.writeColor(x, y, out)
	if r.modes.zUpdate {
		r.write16(za, zCompress(z)<<2)
	}
}

// lodFrac is the LOD fraction the combiner sees. Without mip-mapping it
// reads as full: krom's Cycle1TextureRectangle tests multiply texel alpha
// by it and show opaque texels on hardware.
const lodFrac = 0xFF

// rgbInput picks a color for the (A-B)*C+D equation (n64brew "Set
// Combine Mode" tables). which: 0 sub A, 1 sub B, 2 mul, 3 add.
func (r *raster) rgbInput(which int, sel uint32, comb, t0, t1, shade *rgba) rgba {
	switch sel {
	case 0:
		return *comb
	case 1:
		return *t0
	case 2:
		return *t1
	case 3:
		return r.prim
	case 4:
		return *shade
	case 5:
		return r.env
	}
	switch which {
	case 0: // sub A: 6 one, 7 noise, else 0
		if sel == 6 {
			return rgba{0x100, 0x100, 0x100, 0x100}
		}
	case 1: // sub B: 6 key center, 7 K4
		if sel == 6 {
			return r.keyCenter
		}
		if sel == 7 {
			return rgba{r.k4, r.k4, r.k4, r.k4}
		}
	case 2: // mul
		var v int32
		switch sel {
		case 6:
			return r.keyScale
		case 7:
			v = comb.a
		case 8:
			v = t0.a
		case 9:
			v = t1.a
		case 10:
			v = r.prim.a
		case 11:
			v = shade.a
		case 12:
			v = r.env.a
		case 13:
			v = lodFrac
		case 14:
			v = int32(r.primLOD)
		case 15:
			v = r.k5
		}
		return rgba{v, v, v, v}
	case 3: // add: 6 one
		if sel == 6 {
			return rgba{0x100, 0x100, 0x100, 0x100}
		}
	}
	return rgba{}
}

// alphaInput picks an alpha: 0 combined (LOD fraction for C), 1 texel 0,
// 2 texel 1, 3 primitive, 4 shade, 5 environment, 6 one (primitive LOD
// fraction for C), 7 zero.
func (r *raster) alphaInput(which int, sel uint32, comb, t0, t1, shade *rgba) int32 {
	switch sel {
	case 0:
		if which == 2 {
			return lodFrac
		}
		return comb.a
	case 1:
		return t0.a
	case 2:
		return t1.a
	case 3:
		return r.prim.a
	case 4:
		return shade.a
	case 5:
		return r.env.a
	case 6:
		if which == 2 {
			return int32(r.primLOD)
		}
		return 0x100
	}
	return 0
}

func combineChannel(a, b, c, d int32) int32 {
	return clamp9(((a-b)*c + d<<8 + 0x80) >> 8)
}

// combine evaluates cycle cyc of the color combiner.
func (r *raster) combine(cyc int, comb, t0, t1, shade rgba) rgba {
	m := &r.comb
	a := r.rgbInput(0, m.subARGB[cyc], &comb, &t0, &t1, &shade)
	b := r.rgbInput(1, m.subBRGB[cyc], &comb, &t0, &t1, &shade)
	c := r.rgbInput(2, m.mulRGB[cyc], &comb, &t0, &t1, &shade)
	d := r.rgbInput(3, m.addRGB[cyc], &comb, &t0, &t1, &shade)
	aa := r.alphaInput(0, m.subAA[cyc], &comb, &t0, &t1, &shade)
	ab := r.alphaInput(1, m.subBA[cyc], &comb, &t0, &t1, &shade)
	ac := r.alphaInput(2, m.mulA[cyc], &comb, &t0, &t1, &shade)
	ad := r.alphaInput(3, m.addA[cyc], &comb, &t0, &t1, &shade)
	return rgba{
		combineChannel(a.r, b.r, c.r, d.r),
		combineChannel(a.g, b.g, c.g, d.g),
		combineChannel(a.b, b.b, c.b, d.b),
		combineChannel(aa, ab, ac, ad),
	}
}

// blendPixel runs the blender: P*A + M*B with A, B reduced to 5 bits
// (n64brew "Set Other Modes" blender inputs). Without FORCE_BLEND the
// first input P passes through.
func (r *raster) blendPixel(c, mem, shade rgba) rgba {
	m := &r.modes
	if m.cycleType == cycle2 {
		c = r.blendCycle(m.blendM1A0, m.blendM1B0, m.blendM2A0, m.blendM2B0, c, c, mem, shade, true)
		return r.blendCycle(m.blendM1A1, m.blendM1B1, m.blendM2A1, m.blendM2B1, c, c, mem, shade, m.forceBlend)
	}
	return r.blendCycle(m.blendM1A0, m.blendM1B0, m.blendM2A0, m.blendM2B0, c, c, mem, shade, m.forceBlend)
}

// blendColor is a P or M input: 0 pixel, 1 memory, 2 blend, 3 fog color.
func (r *raster) blendColor(sel uint32, pix, mem rgba) rgba {
	switch sel {
	case 0:
		return pix
	case 1:
		return mem
	case 2:
		return r.blend
	}
	return r.fog
}

func (r *raster) blendCycle(p, a, mSel, b uint32, pix, comb, mem, shade rgba, blend bool) rgba {
	pc := r.blendColor(p, pix, mem)
	if !blend {
		pc.a = comb.a
		return pc
	}
	mc := r.blendColor(mSel, pix, mem)
	var av int32
	switch a {
	case 0:
		av = comb.a
	case 1:
		av = r.fog.a
	case 2:
		av = shade.a
	}
	var bv int32
	switch b {
	case 0:
		bv = ^av & 0xFF
	case 1:
		bv = mem.a
	case 2:
		bv = 0xFF
	}
	a5, b5 := av>>3, bv>>3
	mix := func(x, y int32) int32 {
		v := (x*a5 + y*(b5+1)) >> 5
		if v > 0xFF {
			v = 0xFF
		}
		return v
	}
	return rgba{mix(pc.r, mc.r), mix(pc.g, mc.g), mix(pc.b, mc.b), comb.a}
}

// zCompress packs an 18-bit z into the 14-bit floating format of the
// Z buffer: a 3-bit exponent counting leading ones, 11 mantissa bits
// (n64brew "Reality Display Processor/Z-buffer").
func zCompress(z uint32) uint32 {
	z &= 0x3FFFF
	e := uint32(0)
	for e < 7 && z&(0x20000>>e) != 0 {
		e++
	}
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

// Dither matrices indexed by (y&3)<<2 | x&3 (n64brew "Set Other Modes",
// rgb_dither_sel: 0 magic square, 1 Bayer).
var ditherMatrix = [2][16]int32{
	{0, 6, 1, 7, 4, 2, 5, 3, 3, 5, 2, 4, 7, 1, 6, 0},
	{0, 4, 1, 5, 4, 0, 5, 1, 3, 7, 2, 6, 7, 3, 6, 2},
}

// dither rounds each channel up to the next 5-bit step when its three
// low bits exceed the matrix value, before the 16-bit write truncates.
func dither(c rgba, x, y int32, sel uint32) rgba {
	d := ditherMatrix[sel][(y&3)<<2|x&3]
	up := func(v int32) int32 {
		if v&7 > d {
			v = v&^7 + 8
			if v > 0xFF {
				v = 0xFF
			}
		}
		return v
	}
	return rgba{up(c.r), up(c.g), up(c.b), c.a}
}
