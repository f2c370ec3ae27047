package rdp

// TMEM is 4 KiB of 64-bit words. A tile's texel (s, t) lives at
// tile.tmem*8 + t*tile.line*8 + s*bytes-per-texel; on odd rows the two
// 32-bit halves of every word are swapped (address ^ 4). 32-bit texels
// are split: red/green in the low 2 KiB, blue/alpha at +0x800 (n64brew
// "Reality Display Processor/TMEM").

// rdram8 reads a byte of RDRAM (0 beyond its end).
func (r *raster) rdram8(a uint32) byte {
	a &= 0xFF_FFFF
	if int(a) < len(r.rdram) {
		return r.rdram[a]
	}
	return 0
}

// texImageByte is byte i of the texture image row t.
func (r *raster) texBytes(t, s uint32) (addr uint32) {
	ti := &r.tex
	return ti.addr + (t*ti.width*bitsOf(ti.size)+s*bitsOf(ti.size))/8
}

func bitsOf(size uint32) uint32 { return 4 << size }

// loadTile copies the tile's rectangle [sl,sh]x[tl,th] of the texture
// image into TMEM at the tile's address, row by row with the tile's line
// stride (LOAD_TILE).
func (r *raster) loadTile(t *tile) {
	sl, tl, sh, th := t.sl>>2, t.tl>>2, t.sh>>2, t.th>>2
	if sh < sl || th < tl {
		return
	}
	base := t.tmem * 8
	stride := t.line * 8
	size := r.tex.size
	for y := tl; y <= th; y++ {
		row := base + (y-tl)*stride
		swap := uint32(0)
		if (y-tl)&1 != 0 {
			swap = 4
		}
		switch size {
		case size32:
			for x := sl; x <= sh; x++ {
				src := r.texBytes(y, x)
				off := (row + (x-sl)*2) ^ swap
				r.tmem[off&0x7FF] = r.rdram8(src)
				r.tmem[(off+1)&0x7FF] = r.rdram8(src + 1)
				r.tmem[off&0x7FF|0x800] = r.rdram8(src + 2)
				r.tmem[(off+1)&0x7FF|0x800] = r.rdram8(src + 3)
			}
		default:
			// Whole bytes of the row: 4-bit rows start on a byte.
			first := r.texBytes(y, sl)
			n := ((sh-sl+1)*bitsOf(size) + 7) / 8
			for i := uint32(0); i < n; i++ {
				r.tmem[((row+i)^swap)&0xFFF] = r.rdram8(first + i)
			}
		}
	}
}

// loadBlock copies sh-sl+1 texels from row tl, column sl of the texture
// image into TMEM as consecutive 64-bit words; a 1.11 counter advanced by
// dxt per word selects, by its integer part's parity, the rows whose
// words are stored swapped (LOAD_BLOCK, n64brew "Load Block").
func (r *raster) loadBlock(c uint64) {
	t := &r.tiles[c>>24&7]
	sl, tl := uint32(c>>44)&0xFFF, uint32(c>>32)&0xFFF
	sh, dxt := uint32(c>>12)&0xFFF, uint32(c)&0xFFF
	t.sl, t.tl, t.sh, t.th = sl, tl, sh, dxt
	if sh < sl {
		return
	}
	size := r.tex.size
	src := r.texBytes(tl, sl)
	nbytes := (sh - sl + 1) * bitsOf(size) / 8
	words := (nbytes + 7) / 8
	base := t.tmem * 8
	acc := uint32(0)
	for w := uint32(0); w < words; w++ {
		swap := uint32(0)
		if acc>>11&1 != 0 {
			swap = 4
		}
		s := src + w*8
		if size == size32 {
			// Two RGBA32 texels per word: RG pairs to the low half,
			// BA pairs to the high half, 4 bytes of each per word.
			dst := base + w*4
			for i := uint32(0); i < 2; i++ {
				o := ((dst + i*2) ^ swap) & 0x7FF
				r.tmem[o] = r.rdram8(s + i*4)
				r.tmem[o+1] = r.rdram8(s + i*4 + 1)
				r.tmem[o|0x800] = r.rdram8(s + i*4 + 2)
				r.tmem[(o+1)|0x800] = r.rdram8(s + i*4 + 3)
			}
		} else {
			dst := base + w*8
			for i := uint32(0); i < 8; i++ {
				r.tmem[((dst+i)^swap)&0xFFF] = r.rdram8(s + i)
			}
		}
		acc += dxt
	}
}

// loadTLUT copies 16-bit palette entries sl..sh of the texture image into
// TMEM at the tile's address, each entry written four times across one
// 64-bit word (n64brew "Load TLUT").
func (r *raster) loadTLUT(t *tile) {
	sl, sh := t.sl>>2, t.sh>>2
	if sh < sl {
		return
	}
	base := t.tmem * 8
	for i := sl; i <= sh; i++ {
		src := r.tex.addr + i*2
		hi, lo := r.rdram8(src), r.rdram8(src+1)
		dst := base + (i-sl)*8
		for k := uint32(0); k < 4; k++ {
			r.tmem[(dst+k*2)&0xFFF] = hi
			r.tmem[(dst+k*2+1)&0xFFF] = lo
		}
	}
}

// tmem16 reads the big-endian halfword at byte offset a.
func (r *raster) tmem16(a uint32) uint32 {
	a &= 0xFFE
	return uint32(r.tmem[a])<<8 | uint32(r.tmem[a+1])
}

// tlut is palette entry i (0-255) in the upper half of TMEM.
func (r *raster) tlut(i uint32) rgba {
	v := r.tmem16(0x800 + (i&0xFF)*8)
	if r.modes.tlutIA {
		return ia16(v)
	}
	return rgba16(v)
}

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

// texel fetches the texel at integer coordinates (s, t) (already wrapped
// and relative to the tile origin) of tile tl and converts it to RGBA8
// (n64brew "Reality Display Processor/Texture formats"). With TLUT on, the
// texel's 4 or 8 bits index the palette whatever the tile's format.
func (r *raster) texel(tl *tile, s, t uint32) rgba {
	base := tl.tmem*8 + t*tl.line*8
	swap := (t & 1) << 2
	switch tl.size {
	case size4:
		a := (base + s>>1) ^ swap
		b := uint32(r.tmem[a&0xFFF])
		var n uint32
		if s&1 == 0 {
			n = b >> 4
		} else {
			n = b & 0xF
		}
		if r.modes.tlutEn {
			return r.tlut(tl.palette<<4 | n)
		}
		switch tl.format {
		case fmtIA:
			i := int32(n>>1)<<5 | int32(n>>1)<<2 | int32(n>>1)>>1
			a := int32(0)
			if n&1 != 0 {
				a = 0xFF
			}
			return rgba{i, i, i, a}
		default: // I4, CI4 without TLUT
			i := int32(n * 0x11)
			return rgba{i, i, i, i}
		}
	case size8:
		a := (base + s) ^ swap
		b := uint32(r.tmem[a&0xFFF])
		if r.modes.tlutEn {
			return r.tlut(b)
		}
		switch tl.format {
		case fmtIA:
			i, al := int32(b>>4)*0x11, int32(b&0xF)*0x11
			return rgba{i, i, i, al}
		default:
			i := int32(b)
			return rgba{i, i, i, i}
		}
	case size16:
		a := (base + s*2) ^ swap
		v := r.tmem16(a)
		if r.modes.tlutEn {
			return r.tlut(v >> 8)
		}
		switch tl.format {
		case fmtIA:
			return ia16(v)
		case fmtYUV:
			return rgba{int32(v >> 8), int32(v >> 8), int32(v >> 8), 0xFF}
		default:
			return rgba16(v)
		}
	default: // 32-bit: RG in the low half, BA in the high half
		a := ((base + s*2) ^ swap) & 0x7FF
		rg, ba := r.tmem16(a), r.tmem16(a|0x800)
		return rgba{int32(rg >> 8), int32(rg & 0xFF), int32(ba >> 8), int32(ba & 0xFF)}
	}
}

// wrapCoord applies the tile's shift, clamp, mirror and mask to a texture
// coordinate in s10.5 and returns the texel index relative to the tile
// origin (n64brew "Set Tile": shift 1-10 divides, 11-15 multiplies by
// 2^(16-shift); clamp to [sl, sh] when clamp is set or mask is 0).
func wrapCoord(c int32, shift, lo, hi, clamp, mirror, mask uint32) uint32 {
	if shift < 11 {
		c >>= shift
	} else {
		c <<= 16 - shift
	}
	c = int32(int16(c)) // the coordinate datapath is 16 bits
	v := c>>5 - int32(lo>>2)
	if clamp != 0 || mask == 0 {
		if c < int32(lo)<<3 {
			v = 0
		} else if c>>5 > int32(hi>>2) {
			v = int32(hi>>2) - int32(lo>>2)
		}
	}
	if mask != 0 {
		if mask > 10 {
			mask = 10
		}
		m := int32(1)<<mask - 1
		if mirror != 0 && v>>mask&1 != 0 {
			v = ^v
		}
		v &= m
	}
	return uint32(v) & 0x3FF
}
