package rdp

// TMEM is 4 KiB: 2048 16-bit words in four banks (word index & 3). A
// tile's row t starts at 64-bit word tmem + t*line; on odd rows the two
// 32-bit halves of every 64-bit word are swapped (byte address ^ 4).
// RGBA32 and YUV16 are split: red/green (U/V) in the low 2 KiB, blue/alpha
// (Y) in the high 2 KiB; TLUT entries live in the high half, each one
// read from the bank of the texel being looked up (n64brew "Reality
// Display Processor/TMEM"; angrylion-rdp-plus tmem.c, tex.c).

// rdram8 reads a byte of RDRAM (0 beyond its end).
func (r *raster) rdram8(a uint32) byte {
	a &= 0xFF_FFFF
	if int(a) < len(r.rdram) {
		return r.rdram[a]
	}
	return 0
}

// tmemShort is 16-bit word w of TMEM (big-endian).
func (r *raster) tmemShort(w uint32) uint32 {
	a := w & 0x7FF * 2
	return uint32(r.tmem[a])<<8 | uint32(r.tmem[a+1])
}

func (r *raster) setTmemShort(w, v uint32) {
	a := w & 0x7FF * 2
	r.tmem[a], r.tmem[a+1] = byte(v>>8), byte(v)
}

// loadWalk describes LOAD_TILE, LOAD_BLOCK and LOAD_TLUT, which the RDP
// runs alike: it walks image rows row0..row1 from column s0, n texels per
// row, one RDRAM read per step, and stores each read at the TMEM address
// of the step's tile coordinates (angrylion edgewalker_for_loads and
// loading_pipeline).
type loadWalk struct {
	t           *tile
	row0, row1  uint32 // image rows, inclusive
	s0, n       uint32 // first image column, texels per row
	quad        bool   // LOAD_BLOCK / LOAD_TLUT: coordinates in 10.2 units
	tlut        bool
	dsdx, dtdx  int32 // coordinate steps per read, 16.16 of s10.5
	tStart, tdy int32 // t at the first row and per row, 16.16 of s10.5
}

// runLoad performs a load. A read is 64 bits (8-bit images: 8 texels,
// 16-bit: 4, 32-bit: 2); a TLUT load from a 16-bit image reads one entry.
func (r *raster) runLoad(w loadWalk) {
	size := r.tex.size
	if size == size4 || (w.tlut && w.row1 > w.row0) {
		return // 4-bit images and multi-row TLUT loads hang the RDP
	}
	var tiAdvance, spanAdvance uint32
	switch size {
	case size8:
		tiAdvance, spanAdvance = 8, 8
	case size16:
		tiAdvance, spanAdvance = 8, 4
		if w.tlut {
			tiAdvance, spanAdvance = 2, 1
		}
	default:
		tiAdvance, spanAdvance = 8, 2
	}
	tl := w.t
	t := w.tStart
	for row := w.row0; row <= w.row1; row++ {
		ptr := r.tex.addr + (r.tex.width*row+w.s0)*bitsOf(size)/8
		s := int32(tl.sl) << 3 << 16
		tt := t
		for j := uint32(0); j < w.n; j += spanAdvance {
			ss := int32(int16(s>>16)) - int32(tl.sl)<<3
			st := int32(int16(tt>>16)) - int32(tl.tl)<<3
			if w.quad {
				ss, st = ss>>3, st>>3
			} else {
				ss, st = ss>>5, st>>5
			}
			r.storeWord(tl, r.readQword(ptr, w.tlut), uint32(ss), uint32(st))
			s = (s + w.dsdx&^0x1F) &^ 0x1F
			tt = (tt + w.dtdx&^0x1F) &^ 0x1F
			ptr += tiAdvance
		}
		t += w.tdy
	}
}

// readQword is the 64 bits of RDRAM at a (any alignment); a TLUT load of
// a 16-bit-aligned entry repeats that entry four times.
func (r *raster) readQword(a uint32, tlut bool) uint64 {
	if tlut && a&1 == 0 {
		e := uint64(r.rdram8(a))<<8 | uint64(r.rdram8(a+1))
		return e * 0x0001_0001_0001_0001
	}
	var q uint64
	for i := uint32(0); i < 8; i++ {
		q = q<<8 | uint64(r.rdram8(a+i))
	}
	return q
}

// storeWord writes one 64-bit load word at tile coordinates (s, t): four
// 16-bit words, one per bank, starting at the word of s (angrylion
// get_tmem_idx). RGBA32 and YUV put half of each word in the high TMEM.
func (r *raster) storeWord(tl *tile, q uint64, s, t uint32) {
	tbase := (tl.line*t)&0x1FF + tl.tmem
	var sshorts uint32
	switch {
	case tl.size == size8 || tl.format == fmtYUV:
		sshorts = s >> 1
	case tl.size >= size16:
		sshorts = s
	default:
		sshorts = s >> 2
	}
	sshorts &= 0x7FF
	odd := t & 1
	bit3 := (sshorts>>1)&1 ^ odd
	a := (tbase<<2 + sshorts) & 0x7FD
	hi := a & 0x400
	var idx [4]uint32 // word index per bank
	for k := uint32(0); k < 4; k++ {
		v := (a + k) & 0x7FF
		if odd != 0 {
			v ^= 2
		}
		idx[v&3] = v & 0x3FF
	}
	split := func(w0, w1 uint32) {
		b := uint32(0)
		if bit3 != 0 {
			b = 2
		}
		r.setTmemShort(idx[b], w0>>16)
		r.setTmemShort(idx[b+1], w0)
		r.setTmemShort(idx[b]|0x400, w1>>16)
		r.setTmemShort(idx[b+1]|0x400, w1)
	}
	switch {
	case tl.format == fmtYUV:
		// UYVY pairs: U and V to the low half, the Ys to the high half.
		byteAt := func(i uint) uint32 { return uint32(q >> (56 - 8*i) & 0xFF) }
		split(byteAt(0)<<24|byteAt(2)<<16|byteAt(4)<<8|byteAt(6),
			byteAt(1)<<24|byteAt(3)<<16|byteAt(5)<<8|byteAt(7))
	case tl.format == fmtRGBA && tl.size == size32:
		split(uint32(q>>48)<<16|uint32(q>>16)&0xFFFF, uint32(q>>32)&0xFFFF<<16|uint32(q)&0xFFFF)
	default:
		h := [4]uint32{uint32(q >> 48), uint32(q >> 32), uint32(q >> 16), uint32(q)}
		if odd != 0 {
			h[0], h[1], h[2], h[3] = h[2], h[3], h[0], h[1]
		}
		for k := range idx {
			r.setTmemShort(idx[k]|hi, h[k]&0xFFFF)
		}
	}
}

// loadTile is LOAD_TILE and loadTLUT LOAD_TLUT: rows tl..th, columns
// sl..sh of the image (10.2), one 64-bit read at a time; for LOAD_TLUT
// one 16-bit entry per read (angrylion tile_tlut_common_cs_decoder).
func (r *raster) loadTile(t *tile) { r.loadTileTLUT(t, false) }
func (r *raster) loadTLUT(t *tile) { r.loadTileTLUT(t, true) }
func (r *raster) loadTileTLUT(t *tile, tlut bool) {
	step := int32(0x200>>r.tex.size) << 16
	r.runLoad(loadWalk{
		t: t, row0: t.tl >> 2, row1: t.th >> 2, s0: t.sl >> 2,
		n:    (t.sh>>2 - t.sl>>2 + 1) & 0xFFF,
		quad: tlut, tlut: tlut, dsdx: step,
		tStart: int32(t.tl) << 3 << 16, tdy: 32 << 16,
	})
}

// loadBlock is LOAD_BLOCK: sh-sl+1 texels of row tl from column sl as
// consecutive 64-bit words; t advances by dxt (1.11 rows) per word, so
// the words of odd rows are stored swapped (n64brew "Load Block").
func (r *raster) loadBlock(c uint64) {
	t := &r.tiles[c>>24&7]
	sl, tl := uint32(c>>44)&0xFFF, uint32(c>>32)&0xFFF
	sh, dxt := uint32(c>>12)&0xFFF, uint32(c)&0xFFF
	t.sl, t.tl, t.sh, t.th = sl, tl, sh, dxt
	row := tl & 0x3FF
	r.runLoad(loadWalk{
		t: t, row0: row, row1: row, s0: sl,
		n:    (sh - sl + 1) & 0xFFF,
		quad: true, dsdx: int32(0x80>>r.tex.size) << 16, dtdx: int32(dxt) << 8,
		tStart: int32(tl) << 3 << 16,
	})
}

func bitsOf(size uint32) uint32 { return 4 << size }

func expand5(v uint32) int32 { return int32(v<<3 | v>>2) }

func rgba16(v uint32) rgba {
	a := int32(0)
	if v&1 != 0 {
		a = 0xFF
	}
	return rgba{expand5(v >> 11 & 0x1F), expand5(v >> 6 & 0x1F), expand5(v >> 1 & 0x1F), a}
}

func ia16(v uint32) rgba {
	i := int32(v >> 8)
	return rgba{i, i, i, int32(v & 0xFF)}
}

// texelQuad fetches the filter's four texels (s,t), (s+sd,t), (s,t+td),
// (s+sd,t+td) of tile tl; upper/upperRG say which triangle the filter
// uses (TLUT banks and YUV's Y swap depend on it).
func (r *raster) texelQuad(tl *tile, s, sd, t, td int32, upper, upperRG bool) [4]rgba {
	if r.modes.tlutEn {
		return r.tlutQuad(tl, s, sd, t, td, upper, upperRG)
	}
	s1, t1 := s+sd, t+td
	q := [4]rgba{r.texel(tl, s, t, s), r.texel(tl, s1, t, s1+sd), r.texel(tl, s, t1, s), r.texel(tl, s1, t1, s1+sd)}
	if tl.format == fmtYUV && upper != upperRG {
		q[0].b, q[0].a, q[3].b, q[3].a = q[3].b, q[3].a, q[0].b, q[0].a
		q[1].b, q[1].a, q[2].b, q[2].a = q[2].b, q[2].a, q[1].b, q[1].a
	}
	return q
}

// texel reads texel (s, t) of tile tl without TLUT (angrylion
// fetch_texel). sUV is the texel whose U/V a YUV16 texel uses.
func (r *raster) texel(tl *tile, s, t, sUV int32) rgba {
	tbase := uint32(int32(tl.line)*t + int32(tl.tmem))
	odd := uint32(t) & 1
	byteAt := func(a uint32) int32 { return int32(r.tmem[(a^odd<<2)&0xFFF]) }
	short := func(w uint32) uint32 { return r.tmemShort(w ^ odd<<1) }
	nibble := func() int32 {
		b := byteAt((tbase<<4 + uint32(s)) >> 1)
		if s&1 == 0 {
			return b >> 4
		}
		return b & 0xF
	}
	format := tl.format
	if format > fmtI {
		format = fmtI
	}
	switch tl.size {
	case size4:
		n := nibble()
		switch format {
		case fmtIA:
			i := n & 0xE
			i = i<<4 | i<<1 | i>>2
			return rgba{i, i, i, (n & 1) * 0xFF}
		case fmtCI:
			n |= int32(tl.palette) << 4
			return rgba{n, n, n, n}
		case fmtYUV:
			v := byteAt((tbase<<3+uint32(s))&0x7FF) & 0xF0
			v |= v >> 4
			return rgba{v - 0x80, v - 0x80, v, v}
		}
		n *= 0x11
		return rgba{n, n, n, n}
	case size8:
		b := byteAt(tbase<<3 + uint32(s))
		switch format {
		case fmtIA:
			i := b&0xF0 | b>>4
			return rgba{i, i, i, (b & 0xF) * 0x11}
		case fmtYUV:
			b = byteAt((tbase<<3 + uint32(s)) & 0x7FF)
			return rgba{b - 0x80, b - 0x80, b, b}
		}
		return rgba{b, b, b, b}
	}
	if format == fmtYUV {
		y := int32(r.tmem[((tbase<<3+uint32(s))^odd<<2)&0x7FF|0x800])
		uv := r.tmemShort(((tbase<<3+uint32(sUV))>>1 ^ odd<<1) & 0x3FF)
		return rgba{int32(uv>>8) - 0x80, int32(uv&0xFF) - 0x80, y, y}
	}
	w := tbase<<2 + uint32(s)
	if tl.size == size32 && format == fmtRGBA {
		w = (w ^ odd<<1) & 0x3FF
		rg, ba := r.tmemShort(w), r.tmemShort(w|0x400)
		return rgba{int32(rg >> 8), int32(rg & 0xFF), int32(ba >> 8), int32(ba & 0xFF)}
	}
	c := short(w)
	switch {
	case format == fmtRGBA && tl.size == size16:
		return rgba16(c)
	case format == fmtIA && tl.size == size16:
		return ia16(c)
	}
	// CI16/32, IA32, I16/32: high byte to red and blue, low to green/alpha.
	return rgba{int32(c >> 8), int32(c & 0xFF), int32(c >> 8), int32(c & 0xFF)}
}

// tlutQuad looks the four texels up in the palette: each texel's index
// (4-bit with the tile palette, else the byte or the high byte of the
// word) selects entry idx, read from bank k (the texel's position in the
// quad, mirrored in the upper triangle) at 16-bit word 0x400+idx*4+k
// (angrylion fetch_texel_entlut_quadro).
func (r *raster) tlutQuad(tl *tile, s, sd, t, td int32, upper, upperRG bool) [4]rgba {
	sStep := sd
	if tl.format == fmtYUV {
		sStep = sd << 1 // YUV indexes are bytes two texels apart
	}
	s1, t1 := s+sStep, t+td
	idx := [4]uint32{r.tlutIndex(tl, s, t), r.tlutIndex(tl, s1, t), r.tlutIndex(tl, s, t1), r.tlutIndex(tl, s1, t1)}
	x := uint32(0)
	if upperRG {
		x = 3
	}
	var c [4]uint32
	for k := range c {
		c[k] = r.tmemShort(0x400 + (idx[k]<<2 + uint32(k)) ^ x)
	}
	var q [4]rgba
	for k := range q {
		q[k] = r.tlutColor(c[k])
	}
	if upper != upperRG {
		for k := 0; k < 2; k++ {
			q[k].b, q[k].a, q[3-k].b, q[3-k].a = q[3-k].b, q[3-k].a, q[k].b, q[k].a
		}
	}
	return q
}

// tlutIndex is the palette index of texel (s, t) for tlutQuad.
func (r *raster) tlutIndex(tl *tile, s, t int32) uint32 {
	yuv := tl.format == fmtYUV
	tbase := uint32(int32(tl.line)*t + int32(tl.tmem))
	odd := uint32(t) & 1
	b := uint32(r.tmem[((tbase<<3+uint32(s))^odd<<2)&0x7FF])
	switch {
	case tl.size == size4 && !yuv:
		b = uint32(r.tmem[(((tbase<<4+uint32(s))>>1)^odd<<2)&0x7FF])
		if s&1 == 0 {
			b >>= 4
		}
		return tl.palette<<4 | b&0xF
	case tl.size == size4: // YUV4: the high nibble of the byte
		return tl.palette<<4 | b>>4
	case tl.size == size8 || yuv:
		return b
	}
	return r.tmemShort(((tbase<<2+uint32(s))^odd<<1)&0x3FF) >> 8
}

// tlutColor is a palette entry as a color: IA16 or RGBA16.
func (r *raster) tlutColor(c uint32) rgba {
	if r.modes.tlutIA {
		return ia16(c)
	}
	return rgba16(c)
}

// tlutTexel is tlutQuad's first texel alone: the point-sampled texel
// (s, t) through the TLUT.
func (r *raster) tlutTexel(tl *tile, s, t int32) rgba {
	return r.tlutColor(r.tlutEntry(tl, s, t))
}

// tlutEntry is the palette entry of texel (s, t), read from bank 0.
func (r *raster) tlutEntry(tl *tile, s, t int32) uint32 {
	return r.tmemShort(0x400 + r.tlutIndex(tl, s, t)<<2)
}
