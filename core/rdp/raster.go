package rdp

// The rasterizer: every primitive (triangles, and rectangles turned into
// edge coefficients) goes through one edge walker that produces a span per
// scanline, then the spans are drawn in the current cycle mode. The walk,
// the span ends, the coverage mask and the attribute sampling follow
// angrylion-rdp-plus (rasterizer.c edgewalker_for_prims, render_spans_*,
// coverage.c compute_cvg_*), the pixel-exact reference.

// Attribute slots of a primitive: shade RGBA, texture S, T, W, and Z.
const (
	attrR = iota
	attrG
	attrB
	attrA
	attrS
	attrT
	attrW
	attrZ
	numAttrs
)

// attr is one interpolated attribute in s15.16: its value at the major
// edge on the primitive's first line and its derivatives along x, along
// the major edge and along y.
type attr struct{ v, dx, de, dy int32 }

// prim is a decoded triangle, or a rectangle expressed as one.
type prim struct {
	flip                bool   // left major: the H edge is on the left
	level               uint32 // mip levels - 1 (LOD)
	tile                uint32
	textured            bool
	yl, ym, yh          int32 // s11.2
	xl, xh, xm          int32 // s15.16
	dxldy, dxhdy, dxmdy int32
	a                   [numAttrs]attr
}

// span is one scanline of a primitive: the pixel range between lx and rx
// (rx is where the major edge is), the edges on each sub-scanline in
// eighths of a pixel, and the attributes at the unclipped major-edge
// pixel unscrx.
type span struct {
	lx, rx, unscrx int32
	major, minor   [4]int32
	inval          [4]bool
	valid          bool
	v              [numAttrs]int32
}

func sext(v uint64, bits uint) int32 {
	return int32(uint32(v)<<(32-bits)) >> (32 - bits)
}

// triangle decodes one of the eight triangle commands (n64brew
// "Triangle"): YL/YM/YH in s11.2, XL/XH/XM and their slopes in s15.16,
// then the optional shade, texture and z coefficients.
func (r *raster) triangle(op uint32, w []uint64) {
	w0 := w[0]
	p := prim{
		flip: w0>>55&1 != 0, level: uint32(w0>>51) & 7, tile: uint32(w0>>48) & 7, textured: op&2 != 0,
		yl: sext(w0>>32, 14), ym: sext(w0>>16, 14), yh: sext(w0, 14),
		xl: sext(w[1]>>32, 28), dxldy: sext(w[1], 30),
		xh: sext(w[2]>>32, 28), dxhdy: sext(w[2], 30),
		xm: sext(w[3]>>32, 28), dxmdy: sext(w[3], 30),
	}
	n := 4
	if op&4 != 0 {
		decodeAttrs(p.a[attrR:attrR+4], w[n:n+8])
		n += 8
	}
	if op&2 != 0 {
		var st [4]attr // S, T, W and an unused fourth
		decodeAttrs(st[:], w[n:n+8])
		copy(p.a[attrS:attrW+1], st[:3])
		n += 8
	}
	if op&1 != 0 {
		p.a[attrZ] = attr{v: int32(w[n] >> 32), dx: int32(w[n]), de: int32(w[n+1] >> 32), dy: int32(w[n+1])}
	}
	r.draw(&p)
}

// decodeAttrs splits the 8 doublewords of shade or texture coefficients
// (integer parts, then fractions: n64brew "Shade Coefficients") into four
// attributes.
func decodeAttrs(a []attr, w []uint64) {
	for i := range a {
		sh := uint(48 - 16*i)
		join := func(hi, lo uint64) int32 {
			return int32(uint32(hi>>sh)&0xFFFF<<16 | uint32(lo>>sh)&0xFFFF)
		}
		a[i] = attr{v: join(w[0], w[2]), dx: join(w[1], w[3]), de: join(w[4], w[6]), dy: join(w[5], w[7])}
	}
}

// rectangle draws a FILL_RECTANGLE (tex nil) or TEXTURE_RECTANGLE with
// corners (xh, yh)-(xl, yl) in 10.2 as a left-major primitive with
// vertical edges. In fill and copy mode YL's fraction is forced to 3, so
// the last line is drawn; the spans (not the coverage) decide the
// pixels there, which makes the right column inclusive too (angrylion
// rdp_fill_rect, rdp_tex_rect).
func (r *raster) rectangle(xh, yh, xl, yl uint32, tex []uint64) {
	if r.modes.cycleType >= cycleCopy {
		yl |= 3
	}
	// XL and XH as s15.16: the integer and the two fraction bits.
	fx := func(x uint32) int32 { return int32(x>>2)<<16 | int32(x&3)<<14 }
	p := prim{
		flip: true,
		yl:   int32(yl), ym: int32(yl), yh: int32(yh),
		xl: fx(xl), xh: fx(xh), xm: fx(xl),
	}
	if tex != nil {
		c, t := tex[0], tex[1]
		p.tile, p.textured = uint32(c>>24)&7, true
		s, tt := int32(int16(t>>48)), int32(int16(t>>32))
		// S, T s10.5 and DsDx, DtDy s5.10: a step of DsDx is DsDx/32
		// s10.5 units, DsDx<<11 in s15.16.
		dsdx, dtdy := int32(int16(t>>16))<<11, int32(int16(t))<<11
		p.a[attrS].v, p.a[attrT].v = s<<16, tt<<16
		if uint32(c>>56)&0x3F == opTexRectFlip {
			// Flipped: S steps down the lines and T across them.
			dsdx, dtdy = dtdy, dsdx
			p.a[attrT].dx, p.a[attrS].de, p.a[attrS].dy = dsdx, dtdy, dtdy
		} else {
			p.a[attrS].dx, p.a[attrT].de, p.a[attrT].dy = dsdx, dtdy, dtdy
		}
	}
	r.draw(&p)
}

// clipEdge converts an edge's s15.16 x to eighths of a pixel, the low bit
// sticky (set when any lower bit is), and clamps it to the scissor
// [lo, hi] (eighths). under and over tell whether it was clamped.
func clipEdge(x, lo, hi int32) (e int32, under, over bool) {
	sticky := int32(0)
	if x>>1&0x1FFF != 0 {
		sticky = 1
	}
	e = x>>13&0x1FFE | sticky
	under = x&0x800_0000 != 0 || (e < lo && x&0x400_0000 == 0)
	if under {
		e = lo
	} else {
		e = x>>13&0x3FFE | sticky
	}
	over = e&0x2000 != 0 || e&0x1FFF >= hi
	if over {
		e = hi
	}
	return e & 0x1FFF, under, over
}

// crossed reports that the left edge lies right of the right one at
// quarter-pixel precision (s15.16 values, compared as offset binary).
func crossed(left, right int32) bool {
	const m = 0x3FFF << 14
	return (right^1<<27)&m < (left^1<<27)&m
}

// draw walks the primitive's edges and draws its spans.
func (r *raster) draw(p *prim) {
	// Y limits: the primitive's YH/YL clipped to the scissor; a negative
	// YH starts at the scissor, a YL past line 1023 ends there.
	sYH, sYL := int32(r.scYH), int32(r.scYL)
	yhLimit := sYH
	if p.yh&0x2000 == 0 && (p.yh&0x1000 != 0 || p.yh >= sYH) {
		yhLimit = p.yh
	}
	ylLimit := sYL
	if p.yl&0x2000 != 0 || (p.yl&0x1000 == 0 && p.yl&0xFFF < sYL) {
		ylLimit = p.yl
	}
	first, last := yhLimit>>2, ylLimit>>2
	if last < first {
		return
	}
	if n := int(last-first) + 1; cap(r.spans) < n {
		r.spans = make([]span, n)
	} else {
		r.spans = r.spans[:n]
	}

	copyMode := r.modes.cycleType == cycleCopy
	// Attributes are sampled where the major edge crosses sub-scanline 3,
	// or 0 when the edge leans away from the span direction; sampled on
	// 3 they carry 3/4 line of (d/de - d/dy) (angrylion ldflag, do_offset).
	ldflag := int32(0)
	if (p.dxhdy < 0) == p.flip {
		ldflag = 3
	}
	var diff, dxh [numAttrs]int32
	for i := range p.a {
		a := &p.a[i]
		if ldflag == 3 {
			de, dy := a.de&^0x1FF, a.dy&^0x1FF
			diff[i] = de - de>>2 - dy + dy>>2
		}
		if !copyMode {
			dxh[i] = a.dx >> 8 &^ 1
		}
	}
	cur := [numAttrs]int32{}
	for i := range p.a {
		cur[i] = p.a[i].v
	}

	clipLo, clipHi := int32(r.scXH)<<1, int32(r.scXL)<<1
	major, minor := p.xh&^1, p.xm&^1
	majorInc, minorInc := p.dxhdy>>2&^1, p.dxmdy>>2&^1
	yhClose := yhLimit &^ 3
	var lo, hi int32
	allOver, allUnder, allInval := true, true, true
	for k := p.yh &^ 3; k <= ylLimit|3; k++ {
		if k == p.ym {
			minor, minorInc = p.xl&^1, p.dxldy>>2&^1
		}
		spix := k & 3
		if k >= yhClose && k>>2 <= last {
			sp := &r.spans[k>>2-first]
			if spix == 0 {
				lo, hi = 0xFFF, 0
				allOver, allUnder, allInval = true, true, true
			}
			mj, mjUnder, mjOver := clipEdge(major, clipLo, clipHi)
			mn, mnUnder, mnOver := clipEdge(minor, clipLo, clipHi)
			sp.major[spix], sp.minor[spix] = mj, mn
			allOver = allOver && mjOver && mnOver
			allUnder = allUnder && mjUnder && mnUnder
			inval := k < yhLimit || k >= ylLimit
			if p.flip {
				inval = inval || crossed(major, minor)
			} else {
				inval = inval || crossed(minor, major)
			}
			sp.inval[spix] = inval
			allInval = allInval && inval
			if !inval {
				// lo/hi: the leftmost and rightmost pixel of either edge
				// over the valid sub-scanlines, as seen from the major
				// edge's side.
				l, h := mj>>3&0xFFF, mn>>3&0xFFF
				if !p.flip {
					l, h = h, l
				}
				lo, hi = min(lo, l), max(hi, h)
			}
			if spix == ldflag {
				sp.unscrx = major << 4 >> 20 // s11 integer part
				xfrac := major >> 8 & 0xFF
				for i := range cur {
					sp.v[i] = (cur[i]&^0x1FF + diff[i] - xfrac*dxh[i]) &^ 0x3FF
				}
			}
			if spix == 3 {
				if p.flip {
					sp.lx, sp.rx = hi, lo
				} else {
					sp.lx, sp.rx = lo, hi
				}
				y := k >> 2
				sp.valid = !allInval && !allOver && !allUnder &&
					(r.scField == 0 || uint32(y&1) == r.scOdd)
			}
		}
		if spix == 3 {
			for i := range cur {
				cur[i] += p.a[i].de
			}
		}
		major += majorInc
		minor += minorInc
	}

	switch r.modes.cycleType {
	case cycleFill:
		for i := range r.spans {
			sp := &r.spans[i]
			// Both ends are drawn; a span whose ends crossed draws nothing.
			if sp.valid && (sp.lx-sp.rx)*xdir(p.flip) >= 0 {
				r.fillSpan(first+int32(i), min(sp.lx, sp.rx), max(sp.lx, sp.rx)+1)
			}
		}
	case cycleCopy:
		r.copySpans(p, first)
	default:
		r.drawSpans(p, first)
	}
}

// xdir is the direction spans are drawn in, from the major edge: right
// for left-major primitives, left otherwise.
func xdir(flip bool) int32 {
	if flip {
		return 1
	}
	return -1
}

// fillSpan writes the fill color to pixels [x0, x1) of line y: a 16-bit
// pixel takes the upper halfword at an even halfword address and the
// lower at an odd one, an 8-bit pixel the byte a&3 of the word (n64brew
// "Set Fill Color"; angrylion fbfill_16 selects by address).
//
// Every byte of a fill is the fill color's byte at its address modulo 4,
// whatever the size, so a run that is aligned and inside RDRAM is filled
// as bytes.
func (r *raster) fillSpan(y, x0, x1 int32) {
	c := &r.color
	if x0 >= x1 {
		return
	}
	start := (uint32(y)*c.width + uint32(x0)) << c.size >> 1
	end := (uint32(y)*c.width + uint32(x1)) << c.size >> 1
	if align := uint32(1)<<c.size>>1 - 1; c.size != size4 && c.addr&align == 0 &&
		uint64(c.addr)+uint64(end) <= uint64(len(r.rdram)) && len(r.rdram) <= 1<<24 {
		b := r.rdram[c.addr+start : c.addr+end]
		for k := range b[:min(4, len(b))] {
			b[k] = byte(r.fill >> (8 * (3 - (c.addr+start+uint32(k))&3)))
		}
		for n := 4; n < len(b); n *= 2 {
			copy(b[n:], b[:n])
		}
		return
	}
	for x := x0; x < x1; x++ {
		i := uint32(y)*c.width + uint32(x)
		switch c.size {
		case size32:
			r.write32(c.addr+i*4, r.fill)
		case size16:
			a := c.addr + i*2
			r.write16(a, r.fill>>(16*(1-a>>1&1))&0xFFFF)
		case size8:
			a := c.addr + i
			if int(a&0xFF_FFFF) < len(r.rdram) {
				r.rdram[a&0xFF_FFFF] = byte(r.fill >> (8 * (3 - a&3)))
			}
		}
	}
}

// copySpans draws the spans in copy mode: from the major edge, each
// texture fetch covers 64 bits of the color image (8 pixels of 8 bits, 4
// of 16, 2 of 32); S and T step once per fetch (angrylion
// render_spans_copy, tc_pipeline_copy).
func (r *raster) copySpans(p *prim, first int32) {
	xinc := xdir(p.flip)
	ds, dt, dw := p.a[attrS].dx&^0x1F*xinc, p.a[attrT].dx&^0x1F*xinc, p.a[attrW].dx&^0x1F*xinc
	for i := range r.spans {
		sp := &r.spans[i]
		n := (sp.lx - sp.rx) * xinc
		if !sp.valid || n < 0 {
			continue
		}
		y := first + int32(i)
		s, t, w := sp.v[attrS], sp.v[attrT], sp.v[attrW]
		if r.color.size <= size16 {
			r.copyQwords(p, sp.rx, sp.lx, y, [3]int32{s, t, w}, [3]int32{ds, dt, dw})
			continue
		}
		r.copyTexels32(p, sp.rx, n, y, [3]int32{s, t, w}, [3]int32{ds, dt, dw})
	}
}

// copyTexels32 draws one copy-mode span of a 32-bit color image, n+1
// pixels from the major edge x0: each fetch gives two consecutive texels
// from S, so T (and S's origin) are run through the tile once per fetch.
// The texel goes straight to the color image; with alpha compare, texels
// whose alpha is 0 are skipped. (angrylion draws nothing in this case and
// flags a pipeline crash; what the hardware stores is not known.)
func (r *raster) copyTexels32(p *prim, x0, n, y int32, stw, d [3]int32) {
	xinc := xdir(p.flip)
	tl := &r.tiles[p.tile&7]
	var ss int32
	var at texAxis
	for j := int32(0); j <= n; j++ {
		if j&1 == 0 { // a new fetch
			st := int32(0)
			ss, st = tileCoord(stw[0], stw[1], stw[2], r.modes.perspTex)
			at = tileAxis(st, tl.shiftT, tl.tl, tl.th, tl.ct, tl.mt, tl.maskT, true)
			for c := range stw {
				stw[c] += d[c]
			}
		}
		as := tileAxis(ss+j&1<<5, tl.shiftS, tl.sl, tl.sh, tl.cs, tl.ms, tl.maskS, true)
		c := r.pointTexel(tl, as.idx, at.idx&0xFF)
		if r.modes.alphaCmp && c.a == 0 {
			continue
		}
		i := uint32(y)*r.color.width + uint32(x0+j*xinc)
		r.write32(r.color.addr+i*4, uint32(c.r)<<24|uint32(c.g)<<16|uint32(c.b)<<8|uint32(c.a))
	}
}

// copyQwords draws one copy-mode span of an 8-bit (or 4-bit) or 16-bit
// color image from the major edge x0 to x1: each fetch (copyQword) writes
// its 8 bytes one after the other from the pixel's first byte, in the
// span's direction, and stops at the span's last pixel. With alpha
// compare a 16-bit pixel is kept when its bit 0 is set; on an 8-bit image
// byte pairs are kept by comparing the low four bytes with the threshold
// (bytes 7-6 by byte 3, down to bytes 1-0 by byte 0; a random threshold
// is rotated right by 2 bits for each next byte) (angrylion
// render_spans_copy).
func (r *raster) copyQwords(p *prim, x0, x1, y int32, stw, d [3]int32) {
	xinc := xdir(p.flip)
	tl := &r.tiles[p.tile]
	bpp := int32(1)
	if r.color.size == size16 {
		bpp = 2
	}
	row := int32(y) * int32(r.color.width)
	ptr, end := (row+x0)*bpp, (row+x1)*bpp // byte offsets of the first and last pixel
	for j := int32(0); j <= (x1-x0)*xinc; j += 8 / bpp {
		ss, st := tileCoord(stw[0], stw[1], stw[2], r.modes.perspTex)
		q := r.copyQword(tl, ss, st)
		mask := uint32(0xFF)
		switch {
		case !r.modes.alphaCmp:
		case bpp == 2:
			mask = 0
			for k := 3; k >= 0; k-- {
				if q>>(16*k)&1 != 0 {
					mask |= 3 << (2 * k)
				}
			}
		default:
			th := uint32(r.blend.a)
			if r.modes.ditherAlpha {
				th = pixelHash(x0+j*xinc, y, 1) & 0xFF
			}
			mask = 0
			for k := 3; k >= 0; k-- {
				if uint32(q>>(8*k))&0xFF >= th {
					mask |= 3 << (2 * k)
				}
				if r.modes.ditherAlpha {
					th = (th&3)<<6 | th>>2
				}
			}
		}
		left := min((end-ptr)*xinc+bpp, 8)
		for k := int32(0); k < left; k++ {
			if mask>>(7-k)&1 == 0 {
				continue
			}
			a := (r.color.addr + uint32(ptr+k*xinc)) & 0xFF_FFFF
			if int(a) < len(r.rdram) {
				r.rdram[a] = byte(q >> (56 - 8*k))
			}
		}
		ptr += 8 * xinc
		for c := range stw {
			stw[c] += d[c]
		}
	}
}

// drawSpans draws the spans in 1- and 2-cycle mode: pixels from the major
// edge toward the minor one, each with its coverage mask in cvgBuf.
// Shade and z of a partly covered pixel are taken at its first covered
// sample (angrylion rgba_correct, z_correct).
func (r *raster) drawSpans(p *prim, first int32) {
	xinc := xdir(p.flip)
	var inc [numAttrs]int32
	for i := range inc {
		d := p.a[i].dx
		if i != attrZ {
			d &^= 0x1F
		}
		inc[i] = d * xinc
	}
	// Per-sample corrections: d/dx and d/dy at the scale of the value's
	// fixed point (shade 9.2 bits, z 22 bits).
	var cdx, cdy [4]int32
	for i := range cdx {
		cdx[i] = sext(uint64(p.a[attrR+i].dx&^0x1F>>14), 13)
		cdy[i] = sext(uint64(p.a[attrR+i].dy>>14), 13)
	}
	cdz, dzdy := sext(uint64(p.a[attrZ].dx>>10), 22), sext(uint64(p.a[attrZ].dy>>10), 22)
	shaded := p.a[attrR] != attr{} || p.a[attrG] != attr{} || p.a[attrB] != attr{} || p.a[attrA] != attr{}
	r.cplan = planCombine(r.comb)
	r.ci.setConstants(r)

	lodOn := r.modeBit(modeTexLOD) || r.modeBit(modeSharpen) || r.modeBit(modeDetail)
	px := pixel{tile: p.tile, tile1: (p.tile + 1) & 7, ntile: p.tile, lodFrac: noLODFrac,
		textured: p.textured, dzpix: dzPixel(p.a[attrZ].dx, p.a[attrZ].dy)}
	var v [numAttrs]int32
	for i := range r.spans {
		sp := &r.spans[i]
		n := (sp.lx - sp.rx) * xinc
		if !sp.valid || n < 0 {
			continue
		}
		y := first + int32(i)
		r.coverage(sp, p.flip)
		v = sp.v
		lodLen := n // the span's length counting scissored pixels
		if sc := (sp.rx - sp.unscrx) * xinc; sc != 0 {
			sc &= 0xFFF // the hardware's 12-bit pixel offset
			for k := range v {
				v[k] += inc[k] * sc
			}
			lodLen += sc
		}
		for j := int32(0); j <= n; j++ {
			x := sp.rx + j*xinc
			c := cvgTable[r.cvgBuf[x&1023]]
			// A pixel without a covered sample is never written; drawPixel
			// decides the rest (the first sample, or any with antialiasing).
			if c.cvg != 0 {
				if shaded {
					px.shade = rgba{
						shadeAt(v[attrR], cdx[0], cdy[0], c),
						shadeAt(v[attrG], cdx[1], cdy[1], c),
						shadeAt(v[attrB], cdx[2], cdy[2], c),
						shadeAt(v[attrA], cdx[3], cdy[3], c),
					}
				}
				px.z = zAt(v[attrZ], cdz, dzdy, c)
				if p.textured {
					r.texturePixel(p, &px, i, j, n, lodLen, &v, &inc, lodOn)
				}
				r.drawPixel(x, y, &px)
			}
			addAttrs(&v, &inc)
		}
	}
}

// texturePixel sets the texture coordinates of pixel j of span i (n+1
// pixels, lodLen the length counting scissored ones) from its S, T, W in
// v (inc: one pixel's step), and with LOD, sharpen or detail on
// (lodOn) its tiles and LOD fraction. In 1-cycle mode the last pixel of a
// long span followed by another line reads TEXEL1 at that line's first
// pixel (angrylion get_texel1_1cycle).
func (r *raster) texturePixel(p *prim, px *pixel, i int, j, n, lodLen int32, v, inc *[numAttrs]int32, lodOn bool) {
	persp := r.modes.perspTex
	px.s, px.t = tileCoord(v[attrS], v[attrT], v[attrW], persp)
	if r.cplan.texel1 { // only then is the next pixel's texel read
		nv, k := v, int32(1) // the next texel: one pixel on
		if j == n && lodLen > 7 && r.modes.cycleType == cycle1 && i+1 < len(r.spans) && r.spans[i+1].valid {
			nv, k = &r.spans[i+1].v, 0
		}
		px.ns, px.nt = tileCoord(nv[attrS]+k*inc[attrS], nv[attrT]+k*inc[attrT], nv[attrW]+k*inc[attrW], persp)
	}
	if lodOn {
		r.pixelLOD(p, px, i, j, n, lodLen, v, inc)
	}
}

// pixelLOD runs the LOD unit for texturePixel. In 1-cycle mode the LOD
// of pixel j compares the coordinates of pixels j+1 and j+2, as the
// texture unit works a pixel ahead; near the end of a span followed by
// another line it compares j+1 with j-1, or uses the next line's first
// pixels. In 2-cycle mode it compares the pixel with its neighbours in x
// and y (angrylion tclod_1cycle_current/next, tclod_2cycle).
func (r *raster) pixelLOD(p *prim, px *pixel, i int, j, n, lodLen int32, v, inc *[numAttrs]int32) {
	persp := r.modes.perspTex
	at := func(k int32) [2]int32 { // coordinates k pixels on
		s, t := texCoord(v[attrS]+k*inc[attrS], v[attrT]+k*inc[attrT], v[attrW]+k*inc[attrW], persp)
		return [2]int32{s, t}
	}
	nextLine := i+1 < len(r.spans) && r.spans[i+1].valid
	lineAt := func(k int32) [2]int32 { // k pixels into the next line
		nv := &r.spans[i+1].v
		s, t := texCoord(nv[attrS]+k*inc[attrS], nv[attrT]+k*inc[attrT], nv[attrW]+k*inc[attrW], persp)
		return [2]int32{s, t}
	}
	if r.modes.cycleType != cycle1 {
		dy := func(a int32) int32 { return v[a] + p.a[a].dy&^0x7FFF }
		ys, yt := texCoord(dy(attrS), dy(attrT), dy(attrW), persp)
		next := at(1)
		res := r.lodOf(p.tile, p.level, at(0), next, [2]int32{ys, yt})
		px.tile, px.tile1, px.lodFrac = res.tile0, res.tile1, res.frac
		// The next pixel's first texel, TEXEL1 of the second cycle.
		ys, yt = texCoord(dy(attrS)+inc[attrS], dy(attrT)+inc[attrT], dy(attrW)+inc[attrW], persp)
		px.ntile = r.lodOf(p.tile, p.level, next, at(2), [2]int32{ys, yt}).tile0
		return
	}
	long, mid := lodLen > 7, lodLen == 7
	// lod1 is the 1-cycle LOD of pixel k (j or j+1).
	lod1 := func(k int32) lodResult {
		d := k - j
		nx, far := at(d+1), at(d+2)
		switch {
		case !nextLine:
		case k == n+1 && long: // past the end: the next line's pixels
			nx, far = lineAt(1), lineAt(2)
		case k == n+1 && mid:
			nx, far = lineAt(0), lineAt(1)
		case k == n+1 && lodLen == 6:
			far = at(d - 1)
		case k == n && long:
			nx, far = lineAt(0), lineAt(1)
		case k == n-1 && long, k == n && mid:
			far = at(d - 1)
		}
		return r.lodOf(p.tile, p.level, nx, far, far)
	}
	res := lod1(j)
	px.tile, px.lodFrac = res.tile0, res.frac
	px.ntile = lod1(j + 1).tile0
}

// addAttrs steps every attribute by one pixel (unrolled: this runs per
// pixel; the constants below fail to compile if numAttrs changes).
const (
	_ = uint(numAttrs - 8)
	_ = uint(8 - numAttrs)
)

func addAttrs(v, inc *[numAttrs]int32) {
	v[0] += inc[0]
	v[1] += inc[1]
	v[2] += inc[2]
	v[3] += inc[3]
	v[4] += inc[4]
	v[5] += inc[5]
	v[6] += inc[6]
	v[7] += inc[7]
}

// shadeAt is a shade channel (s15.16) at the pixel: its 9.2 value, moved
// to the first covered sample when the pixel is partly covered, clamped
// to 8 bits (0x100-0x17F saturate, 0x180-0x1FF are negative).
func shadeAt(v, cdx, cdy int32, c cvgInfo) int32 {
	v >>= 14
	if c.cvg == 8 {
		v >>= 2
	} else {
		v = (v<<2 + int32(c.offx)*cdx + int32(c.offy)*cdy) >> 4
	}
	return clamp9(v)
}

// zAt is the 18-bit z at the pixel, moved to the first covered sample of
// a partly covered pixel; bit 18 saturates, bit 19 (negative) gives 0.
func zAt(z, cdz, dzdy int32, c cvgInfo) uint32 {
	v := z >> 10 & 0x3F_FFFF
	if c.cvg == 8 {
		v >>= 3
	} else {
		v = (v<<2 + int32(c.offx)*cdz + int32(c.offy)*dzdy) >> 5
	}
	switch v & 0x6_0000 >> 17 {
	case 2:
		return 0x3FFFF
	case 3:
		return 0
	}
	return uint32(v) & 0x3FFFF
}

// cvgInfo describes one 8-bit coverage mask: the number of covered
// samples, whether the first sample is covered, and the position (in
// quarter pixels) of the first covered sample.
type cvgInfo struct {
	cvg        uint8
	cvbit      bool
	offx, offy uint8
}

// cvgTable decodes every coverage mask. Bits 7-4 are sub-scanlines 0
// and 1, bits 3-0 sub-scanlines 2 and 3; even sub-scanlines sample x
// quarters 0 and 2 (bits 3, 1 of their nibble), odd ones 1 and 3 (bits
// 2, 0). offy is the first sub-scanline with a covered sample, offx the
// first covered quarter on it (angrylion coverage_init_lut).
var cvgTable = func() (t [256]cvgInfo) {
	for m := range t {
		c := &t[m]
		for b := 0; b < 8; b++ {
			c.cvg += uint8(m >> b & 1)
		}
		c.cvbit = m&0x80 != 0
		row := func(sub int) int { // the 4 quarter samples of a sub-scanline
			nib := m >> (4 - sub&2*2) & 0xF
			if sub&1 == 0 {
				return nib & 0xA
			}
			return nib & 0x5
		}
		for sub := 0; sub < 4; sub++ {
			if q := row(sub); q != 0 {
				c.offy = uint8(sub)
				for x := 0; x < 4; x++ {
					if q&(8>>x) != 0 {
						c.offx = uint8(x)
						break
					}
				}
				break
			}
		}
	}
	return
}()

// coverage computes the coverage mask of every pixel of the span into
// cvgBuf: on each valid sub-scanline the samples between the two edges
// are set. An edge at eighth e of its pixel covers the samples at
// quarters q with 2q >= e (left edge) or 2q < e (right edge), counting
// the sticky bit (angrylion compute_cvg_flip/noflip, leftcvghex,
// rightcvghex).
func (r *raster) coverage(sp *span, flip bool) {
	start, end := min(sp.lx, sp.rx), max(sp.lx, sp.rx)
	buf := r.cvgBuf[:]
	for x := start; x <= end; x++ {
		buf[x] = 0xFF
	}
	for i := 0; i < 4; i++ {
		fmask := uint8(0xA >> (i & 1))
		shift := uint(4 - i&2*2)
		fm := fmask << shift
		if sp.inval[i] {
			for x := start; x <= end; x++ {
				buf[x] &^= fm
			}
			continue
		}
		left, right := sp.minor[i], sp.major[i]
		if flip {
			left, right = right, left
		}
		li, ri := left>>3, right>>3
		for x := start; x <= li && x < 1024; x++ {
			buf[x] &^= fm
		}
		for x := max(ri, 0); x <= end; x++ {
			buf[x] &^= fm
		}
		lc := uint8(0xF>>((left&7+1)>>1)) & fmask
		rc := uint8(0xF0>>((right&7+1)>>1)) & fmask
		switch {
		case ri > li:
			buf[ri&1023] |= rc << shift
			buf[li&1023] |= lc << shift
		case ri == li:
			buf[li&1023] |= lc & rc << shift
		}
	}
}

// tcDivPersp divides S and T (s10.5) by W (s0.15 in the integer part) the
// way the hardware does: a normalized W's reciprocal from a 64-entry
// table with linear interpolation, then a shift; results that overflow 17
// bits are flagged in bits 17/18 (angrylion tcdiv_persp).
func tcDivPersp(ss, st, sw int32) (int32, int32) {
	wCarry := int16(sw) <= 0
	e := tcDivTable[sw&0x7FFF]
	rcp, shift := e>>4, e&0xF
	div := func(c int32) int32 {
		prod := int32(int16(c)) * rcp
		mask := int32(1<<30-1) & -(int32(1<<29) >> shift)
		oob := prod & mask
		var out int32
		if shift != 0xE {
			prod >>= 13 - shift
			out = prod
		} else {
			out = prod << 1
		}
		var flags int32
		if oob != mask && oob != 0 {
			if prod&(1<<29) == 0 {
				flags = 2 << 17
			} else {
				flags = 1 << 17
			}
		}
		if wCarry {
			flags |= 2 << 17
		}
		return out&0x1FFFF | flags
	}
	return div(ss), div(st)
}

// tcDivTable holds, per 15-bit W, the normalizing shift (low 4 bits) and
// the reciprocal of the normalized W (angrylion tcoord_init_lut, from the
// hardware's norm_point/norm_slope tables).
var tcDivTable = func() (t [0x8000]int32) {
	point := [64]int32{
		0x4000, 0x3f04, 0x3e10, 0x3d22, 0x3c3c, 0x3b5d, 0x3a83, 0x39b1,
		0x38e4, 0x381c, 0x375a, 0x369d, 0x35e5, 0x3532, 0x3483, 0x33d9,
		0x3333, 0x3291, 0x31f4, 0x3159, 0x30c3, 0x3030, 0x2fa1, 0x2f15,
		0x2e8c, 0x2e06, 0x2d83, 0x2d03, 0x2c86, 0x2c0b, 0x2b93, 0x2b1e,
		0x2aab, 0x2a3a, 0x29cc, 0x2960, 0x28f6, 0x288e, 0x2828, 0x27c4,
		0x2762, 0x2702, 0x26a4, 0x2648, 0x25ed, 0x2594, 0x253d, 0x24e7,
		0x2492, 0x243f, 0x23ee, 0x239e, 0x234f, 0x2302, 0x22b6, 0x226c,
		0x2222, 0x21da, 0x2193, 0x214d, 0x2108, 0x20c5, 0x2082, 0x2041,
	}
	slope := [64]int32{
		0xf03, 0xf0b, 0xf11, 0xf19, 0xf20, 0xf25, 0xf2d, 0xf32,
		0xf37, 0xf3d, 0xf42, 0xf47, 0xf4c, 0xf50, 0xf55, 0xf59,
		0xf5d, 0xf62, 0xf64, 0xf69, 0xf6c, 0xf70, 0xf73, 0xf76,
		0xf79, 0xf7c, 0xf7f, 0xf82, 0xf84, 0xf87, 0xf8a, 0xf8c,
		0xf8e, 0xf91, 0xf93, 0xf95, 0xf97, 0xf99, 0xf9b, 0xf9d,
		0xf9f, 0xfa1, 0xfa3, 0xfa4, 0xfa6, 0xfa8, 0xfa9, 0xfaa,
		0xfac, 0xfae, 0xfaf, 0xfb0, 0xfb2, 0xfb3, 0xfb5, 0xfb5,
		0xfb7, 0xfb8, 0xfb9, 0xfba, 0xfbc, 0xfbc, 0xfbe, 0xfbe,
	}
	for i := range t {
		k := int32(1)
		for k <= 14 && int32(i)<<k&0x8000 == 0 {
			k++
		}
		shift := k - 1
		norm := int32(i) << shift & 0x3FFF
		frac := norm & 0xFF << 2
		idx := norm >> 8
		sl := slope[idx] | ^0x3FF + 1
		rcp := (sl*frac>>10 + point[idx]) & 0x7FFF
		t[i] = shift | rcp<<4
	}
	return
}()

// clamp9 clamps a 9-bit channel: 0x100-0x17F saturate to 0xFF,
// 0x180-0x1FF (negative) to 0.
func clamp9(v int32) int32 {
	// Written for conditional moves: shade and combiner values vary.
	v &= 0x1FF
	c := v
	if v >= 0x100 {
		c = 0xFF
	}
	if v >= 0x180 {
		c = 0
	}
	return c
}
