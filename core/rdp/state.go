package rdp

import "github.com/n64go/n64/core/state"

// Serialize saves or restores the DP registers and the whole rasterizer
// state (pending command words, modes, images, tiles, colors, TMEM) in a
// fixed order. Decoded forms are rebuilt from the raw command words.
func (d *DP) Serialize(s *state.S) {
	s.U32(&d.start)
	s.U32(&d.end)
	s.U32(&d.current)
	s.U32(&d.status)
	s.U32(&d.clock)
	s.U32(&d.bufBusy)
	s.U32(&d.pipeBusy)
	s.U32(&d.tmem)
	s.U64s(d.cmd[:])
	s.U32(&d.cmdLen)
	r := &d.r
	s.U64(&r.modeWord)
	s.U64(&r.combWord)
	for _, im := range []*image{&r.color, &r.depth, &r.tex} {
		s.U32(&im.addr)
		s.U32(&im.format)
		s.U32(&im.size)
		s.U32(&im.width)
	}
	for i := range r.tiles {
		t := &r.tiles[i]
		for _, f := range []*uint32{&t.format, &t.size, &t.line, &t.tmem, &t.palette,
			&t.ct, &t.mt, &t.maskT, &t.shiftT, &t.cs, &t.ms, &t.maskS, &t.shiftS,
			&t.sl, &t.tl, &t.sh, &t.th} {
			s.U32(f)
		}
	}
	for _, f := range []*uint32{&r.scXH, &r.scYH, &r.scXL, &r.scYL, &r.scField, &r.scOdd,
		&r.fill, &r.primZ, &r.primDZ} {
		s.U32(f)
	}
	for _, c := range []*rgba{&r.fog, &r.blend, &r.env} {
		for _, f := range []*int32{&c.r, &c.g, &c.b, &c.a} {
			s.I32(f)
		}
	}
	s.U64(&r.primColorWord)
	s.U64(&r.keyGB)
	s.U64(&r.keyR)
	s.U64(&r.convertWord)
	s.Raw(r.tmem[:])
	if s.Loading() {
		d.start &= addrMask
		d.end &= addrMask
		d.current &= addrMask
		d.status &= 1<<11 - 1
		if d.cmdLen >= maxCmdWords {
			d.cmdLen = 0
		}
		r.modes = decodeOtherModes(r.modeWord)
		r.comb = decodeCombine(r.combWord)
		// Each word is replayed as the command it was saved from, whatever
		// its opcode bits say: a damaged word must not draw.
		for _, c := range []struct {
			op uint32
			w  uint64
		}{{opSetPrimColor, r.primColorWord}, {opSetKeyGB, r.keyGB}, {opSetKeyR, r.keyR}, {opSetConvert, r.convertWord}} {
			if c.w != 0 {
				r.execute(c.op, []uint64{c.w})
			}
		}
		// The fields below are loaded as the command decoders left them;
		// masking them to their command widths keeps a damaged state from
		// indexing past the tables they select from.
		for _, im := range []*image{&r.color, &r.depth, &r.tex} {
			im.addr &= 0x3FF_FFFF
			im.format &= 7
			im.size &= 3
			im.width &= 0x7FF
		}
		for i := range r.tiles {
			t := &r.tiles[i]
			t.format &= 7
			t.size &= 3
			t.line &= 0x1FF
			t.tmem &= 0x1FF
			t.palette &= 0xF
			t.maskS &= 0xF
			t.maskT &= 0xF
			t.shiftS &= 0xF
			t.shiftT &= 0xF
			t.ct, t.mt, t.cs, t.ms = t.ct&1, t.mt&1, t.cs&1, t.ms&1
			t.sl, t.tl, t.sh, t.th = t.sl&0xFFF, t.tl&0xFFF, t.sh&0xFFF, t.th&0xFFF
		}
		r.scXH, r.scYH, r.scXL, r.scYL = r.scXH&0xFFF, r.scYH&0xFFF, r.scXL&0xFFF, r.scYL&0xFFF
		r.scField, r.scOdd = r.scField&1, r.scOdd&1
		r.primZ, r.primDZ = r.primZ&0xFFFF, r.primDZ&0xFFFF
		for _, c := range []*rgba{&r.fog, &r.blend, &r.env} {
			c.r, c.g, c.b, c.a = c.r&0xFF, c.g&0xFF, c.b&0xFF, c.a&0xFF
		}
	}
}
