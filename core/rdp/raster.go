package rdp

// texRect is a TEXTURE_RECTANGLE's texture part: S, T (s10.5) at the
// top-left corner, DsDx, DtDy (s5.10), the tile, and FLIP (swap s and t).
type texRect struct {
	tile       uint32
	s, t       int32
	dsdx, dtdy int32
	flip       bool
}

func ceil4(v int32) int32 { return (v + 3) >> 2 }

func max32(a, b int32) int32 {
	if a > b {
		return a
	}
	return b
}

func min32(a, b int32) int32 {
	if a < b {
		return a
	}
	return b
}

// rectangle draws a FILL_RECTANGLE (tr nil) or TEXTURE_RECTANGLE with
// corners (xh, yh)-(xl, yl) in 10.2. In fill and copy mode the right and
// bottom edges are inclusive, in 1/2-cycle mode exclusive (n64brew "Fill
// Rectangle": "in Fill and Copy mode ... the rectangle includes the pixels
// of the lower-right edge"). Pixels are drawn where the edge walker's
// sample point (the pixel's top-left quarter) lies inside.
func (r *raster) rectangle(xh, yh, xl, yl uint32, tr *texRect) {
	ct := r.modes.cycleType
	var x0, x1, y0, y1 int32 // drawn pixels: [x0, x1) x [y0, y1)
	sxh, syh, sxl, syl := int32(r.scXH), int32(r.scYH), int32(r.scXL), int32(r.scYL)
	if ct >= cycleCopy {
		y0 = max32(int32(yh), syh) >> 2
		ylast := min32(int32(yl|3), syl) - 1
		y1 = ylast>>2 + 1
		x0 = max32(int32(xh), sxh) >> 2
		if int32(xl) >= sxl {
			x1 = ceil4(sxl)
		} else {
			x1 = int32(xl)>>2 + 1
		}
	} else {
		y0, y1 = ceil4(max32(int32(yh), syh)), ceil4(min32(int32(yl), syl))
		x0, x1 = ceil4(max32(int32(xh), sxh)), ceil4(min32(int32(xl), sxl))
	}
	if x1 > int32(r.color.width) {
		x1 = int32(r.color.width)
	}
	if x0 >= x1 || y0 >= y1 {
		return
	}
	if ct == cycleFill {
		for y := y0; y < y1; y++ {
			r.fillSpan(y, x0, x1)
		}
		return
	}
	var px pixel
	px.shade = rgba{}
	px.z = r.primZ << 3 & 0x3FFFF
	zsave := r.modes.zSourcePrim
	r.modes.zSourcePrim = true
	defer func() { r.modes.zSourcePrim = zsave }()
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			if tr != nil {
				dx, dy := x*4-int32(xh), y-int32(yh>>2)
				ds, dt := tr.dsdx, tr.dtdy
				if ct == cycleCopy {
					ds >>= 2
				}
				// s10.5 plus 10 fraction bits: a pixel advances
				// DsDx (s5.10) = DsDx<<5 units, a quarter pixel DsDx<<3.
				if tr.flip {
					px.s = int32((int64(tr.s)<<10 + int64(dy)*int64(ds)<<5) >> 10)
					px.t = int32((int64(tr.t)<<10 + int64(dx)*int64(dt)<<3) >> 10)
				} else {
					px.s = int32((int64(tr.s)<<10 + int64(dx)*int64(ds)<<3) >> 10)
					px.t = int32((int64(tr.t)<<10 + int64(dy)*int64(dt)<<5) >> 10)
				}
				px.tile = tr.tile
				px.textured = true
			}
			if ct == cycleCopy {
				r.copyPixel(x, y, &px)
			} else {
				r.drawPixel(x, y, &px)
			}
		}
	}
}

// fillSpan writes the fill color to pixels [x0, x1) of line y: a 16-bit
// image takes the upper halfword at even x and the lower at odd x, an
// 8-bit image the byte x&3 of the word (n64brew "Set Fill Color").
func (r *raster) fillSpan(y, x0, x1 int32) {
	c := &r.color
	for x := x0; x < x1; x++ {
		i := uint32(y)*c.width + uint32(x)
		switch c.size {
		case size32:
			r.write32(c.addr+i*4, r.fill)
		case size16:
			r.write16(c.addr+i*2, r.fill>>(16*(1-i&1))&0xFFFF)
		case size8:
			a := c.addr + i
			if int(a&0xFF_FFFF) < len(r.rdram) {
				r.rdram[a&0xFF_FFFF] = byte(r.fill >> (8 * (3 - a&3)))
			}
		}
	}
}

// Edge walker state for one scanline: the major and minor edges' x in
// eighths of a pixel (the low bit sticky) on each of the 4 sub-scanlines.
type span struct {
	major, minor [4]int32
	valid        [4]bool
	majorX0      int32 // the major edge's s15.16 x on sub-scanline 0
}

func sext(v uint64, bits uint) int32 {
	return int32(uint32(v)<<(32-bits)) >> (32 - bits)
}

// triangle draws one of the eight triangle commands (n64brew "Triangle"):
// edge coefficients YL/YM/YH (s11.2), XL/XH/XM and their slopes (s15.16),
// then optional shade, texture and z coefficients. The walker steps the
// edges by a quarter of their slope per sub-scanline from YH rounded down
// to a whole line; the major edge (H) is on the left when LFT is set.
func (r *raster) triangle(op uint32, w []uint64) {
	w0 := w[0]
	lft := w0>>55&1 != 0
	tileIdx := uint32(w0>>48) & 7
	yl, ym, yh := sext(w0>>32, 14), sext(w0>>16, 14), sext(w0, 14)
	xl, dxldy := sext(w[1]>>32, 28), sext(w[1], 30)
	xh, dxhdy := sext(w[2]>>32, 28), sext(w[2], 30)
	xm, dxmdy := sext(w[3]>>32, 28), sext(w[3], 30)

	var shade, tex [4]attr
	var z attr
	n := 4
	hasShade, hasTex, hasZ := op&4 != 0, op&2 != 0, op&1 != 0
	if hasShade {
		shade = decodeAttrs(w[n : n+8])
		n += 8
	}
	if hasTex {
		tex = decodeAttrs(w[n : n+8])
		n += 8
	}
	if hasZ {
		z = attr{v: int32(w[n] >> 32), dx: int32(w[n]), de: int32(w[n+1] >> 32), dy: int32(w[n+1])}
	}

	sxh, syh, sxl, syl := int32(r.scXH)<<1, int32(r.scYH), int32(r.scXL)<<1, int32(r.scYL)
	yhLimit := max32(yh, syh)
	ylLimit := min32(yl, syl)
	ycur := yh &^ 3
	ylfar := yl | 3
	major, minor := xh&^1, xm&^1
	majorInc, minorInc := (dxhdy>>2)&^1, (dxmdy>>2)&^1
	fill := r.modes.cycleType == cycleFill
	var sp span
	var px pixel
	px.tile = tileIdx
	px.textured = hasTex
	yTop := yh >> 2
	// The attributes are sampled where the major edge crosses sub-scanline
	// 3, or 0 when the edge leans away from the span direction; sampled
	// at 3, they carry 3/4 of a line of (DxDe - DxDy) (angrylion's
	// ldflag/do_offset; krom's N64*MajorTriangleCalc.py compensates T by
	// -3/4 line in its coefficients).
	ldflag := int32(3)
	if (dxhdy < 0) != lft {
		ldflag = 0
	}
	if ldflag == 3 {
		for i := range shade {
			shade[i].offset()
			tex[i].offset()
		}
		z.offset()
	}
	for k := ycur; k <= ylfar; k++ {
		if k == ym {
			minor = xl &^ 1
			minorInc = (dxldy >> 2) &^ 1
		}
		spix := k & 3
		if spix == 0 {
			sp.valid = [4]bool{}
		}
		if spix == ldflag {
			sp.majorX0 = major
		}
		if k >= yhLimit && k < ylLimit {
			sp.valid[spix] = true
			sp.major[spix] = clipX(major, sxh, sxl)
			sp.minor[spix] = clipX(minor, sxh, sxl)
		}
		if spix == 3 {
			y := k >> 2
			if fill {
				r.fillTriSpan(y, &sp, lft)
			} else if sp.valid[0] {
				left, right := sp.minor[0], sp.major[0]
				if lft {
					left, right = right, left
				}
				x0 := (left>>1 + 3) >> 2
				x1 := (right>>1 + 3) >> 2
				if x1 > int32(r.color.width) {
					x1 = int32(r.color.width)
				}
				dy := y - yTop
				for x := max32(x0, 0); x < x1; x++ {
					dx := int64(x)<<16 - int64(sp.majorX0)
					if hasShade {
						px.shade = rgba{shade[0].at(dx, dy), shade[1].at(dx, dy), shade[2].at(dx, dy), shade[3].at(dx, dy)}
						px.shade.clampShade()
					}
					if hasTex {
						px.s = tex[0].at(dx, dy)
						px.t = tex[1].at(dx, dy)
						if r.modes.perspTex {
							px.s, px.t = perspective(px.s, px.t, tex[2].at(dx, dy))
						}
					}
					if hasZ {
						px.z = zClamp(z.atRaw(dx, dy))
					}
					if r.modes.cycleType == cycleCopy {
						r.copyPixel(x, y, &px)
					} else {
						r.drawPixel(x, y, &px)
					}
				}
			}
		}
		major += majorInc
		minor += minorInc
	}
}

// clipX converts an s15.16 edge x to eighths of a pixel with a sticky low
// bit, clamped to the scissor's [xh, xl] (in eighths).
func clipX(x, lo, hi int32) int32 {
	sticky := int32(0)
	if x&0x1FFF != 0 {
		sticky = 1
	}
	e := (x>>13)&^1 | sticky
	if e < lo {
		e = lo
	}
	if e > hi {
		e = hi
	}
	return e
}

// fillTriSpan fills the pixels from the leftmost to the rightmost edge
// position over the line's valid sub-scanlines (fill mode has no
// coverage; both ends are inclusive).
func (r *raster) fillTriSpan(y int32, sp *span, lft bool) {
	lx, rx := int32(1<<30), int32(-1)
	for i := 0; i < 4; i++ {
		if !sp.valid[i] {
			continue
		}
		left, right := sp.minor[i], sp.major[i]
		if lft {
			left, right = right, left
		}
		if left > right {
			continue
		}
		lx = min32(lx, left>>3)
		rx = max32(rx, right>>3)
	}
	if rx < lx {
		return
	}
	if rx >= int32(r.color.width) {
		rx = int32(r.color.width) - 1
	}
	r.fillSpan(y, max32(lx, 0), rx+1)
}

// attr is one interpolated attribute in s15.16: value at the major edge
// on the first line, and its derivatives along x, the major edge and y.
type attr struct{ v, dx, de, dy int32 }

// decodeAttrs splits the 8 doublewords of shade or texture coefficients
// (integer parts then fractions, n64brew "Shade Coefficients") into four
// attributes.
func decodeAttrs(w []uint64) (a [4]attr) {
	for i := 0; i < 4; i++ {
		sh := uint(48 - 16*i)
		join := func(hi, lo uint64) int32 {
			return int32(uint32(hi>>sh)&0xFFFF<<16 | uint32(lo>>sh)&0xFFFF)
		}
		a[i] = attr{v: join(w[0], w[2]), dx: join(w[1], w[3]), de: join(w[4], w[6]), dy: join(w[5], w[7])}
	}
	return
}

// offset adds 3/4 of a line of (DxDe - DxDy) to the start value.
func (a *attr) offset() {
	d := a.de - a.dy
	a.v += d - d>>2
}

// atRaw is the attribute's s15.16 value dy lines below the first and dx
// (s47.16) right of the major edge.
func (a *attr) atRaw(dx int64, dy int32) int32 {
	return a.v + a.de*dy + int32(dx*int64(a.dx)>>16)
}

// at is the integer part (the top 16 bits, sign-extended).
func (a *attr) at(dx int64, dy int32) int32 { return a.atRaw(dx, dy) >> 16 }

// clampShade clamps each 9-bit shade channel: 0x100-0x17F saturate to
// 0xFF, 0x180-0x1FF (negative) to 0.
func (c *rgba) clampShade() {
	c.r, c.g, c.b, c.a = clamp9(c.r), clamp9(c.g), clamp9(c.b), clamp9(c.a)
}

func clamp9(v int32) int32 {
	v &= 0x1FF
	switch {
	case v >= 0x180:
		return 0
	case v >= 0x100:
		return 0xFF
	}
	return v
}

// zClamp turns an s15.16 z into the 18-bit z the depth unit compares.
func zClamp(z int32) uint32 {
	v := z >> 13
	if v < 0 {
		return 0
	}
	if v > 0x3FFFF {
		return 0x3FFFF
	}
	return uint32(v)
}

// perspective divides s and t (s10.5) by w (s0.15 in the integer part).
func perspective(s, t, w int32) (int32, int32) {
	if w <= 0 {
		return s, t
	}
	return int32(int64(s) << 15 / int64(w)), int32(int64(t) << 15 / int64(w))
}
