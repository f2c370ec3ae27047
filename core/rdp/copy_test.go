package rdp

import "testing"

// Copy mode into an 8-bit color image (angrylion render_spans_copy,
// fetch_qword_copy): each fetch covers 8 pixels with 64 bits for texels
// s..s+3. With TLUT those are the four palette entries, entry k read from
// TMEM bank k, so each entry's high and low bytes land in neighbouring
// pixels (krom RDP/8BPP/.../InternalPalette). Without TLUT an 8-bit
// texture gives its four texels as bytes, then the raw TMEM words of
// texels s+2 and s+3.
func TestCopy8BitImage(t *testing.T) {
	const tlutMode = 1 << 47
	for _, tc := range []struct {
		name  string
		modes uint64
		blend uint64 // blend color: its alpha is the alpha compare threshold
		s     int32  // S of the rectangle (s10.5)
		want  [8]byte
	}{
		// Texel k has index k+1; entry n, bank k holds n<<12 | k<<8 | 0xAB.
		{"TLUT", tlutMode, 0, 0, [8]byte{0x10, 0xAB, 0x21, 0xAB, 0x32, 0xAB, 0x43, 0xAB}},
		{"TLUT from texel 1", tlutMode, 0, 1 << 5, [8]byte{0x20, 0xAB, 0x31, 0xAB, 0x42, 0xAB, 0x53, 0xAB}},
		// Alpha compare with threshold 0x40: byte 3 (0x32) fails, so
		// pixels 0-1 keep the old 0xEE; bytes 2-0 pass.
		{"TLUT alpha compare", tlutMode | 1, 0x40, 0, [8]byte{0xEE, 0xEE, 0x21, 0xAB, 0x32, 0xAB, 0x43, 0xAB}},
		{"CI8 without TLUT", 0, 0, 0, [8]byte{1, 2, 3, 4, 3, 4, 3, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRaster(size8)
			r.color.width = 16
			for k := range 8 {
				r.tmem[k] = byte(k + 1) // CI8 texels 1..8 on row 0 at TMEM 0
			}
			for n := uint32(0); n < 16; n++ {
				for k := uint32(0); k < 4; k++ {
					r.setTmemShort(0x400+n<<2|k, n<<12|k<<8|0xAB)
				}
			}
			for i := range 16 {
				r.rdram[0x1000+i] = 0xEE
			}
			run(r,
				0x39<<56|tc.blend,
				0x2F<<56|2<<52|tc.modes,            // copy mode
				0x35<<56|fmtCI<<53|size8<<51|1<<41, // tile 0: CI8, one word per line, TMEM 0
				// Texture rectangle x 0..7 (copy mode includes XL), y 0; DsDx 4.0.
				0x24<<56|7<<2<<44, uint64(uint16(tc.s))<<48|4<<10<<16|1<<10)
			var got [8]byte
			copy(got[:], r.rdram[0x1000:])
			if got != tc.want {
				t.Errorf("pixels % x, want % x", got, tc.want)
			}
			if r.rdram[0x1008] != 0xEE {
				t.Errorf("pixel 8 = %#x, want untouched", r.rdram[0x1008])
			}
		})
	}
}

// Copy mode into a 16-bit image writes the 16 bits of each fetch as they
// are, 4 pixels per fetch: an IA16 palette entry is stored unconverted,
// and alpha compare drops a pixel whose bit 0 is clear, whatever the
// blend color (angrylion render_spans_copy).
func TestCopy16BitImage(t *testing.T) {
	const tlutIA = 1<<47 | 1<<46
	for _, tc := range []struct {
		name  string
		modes uint64
		want  [6]uint32
	}{
		// Texel k has index k+1; entry n, bank k holds n<<12 | k<<8 | low,
		// low 0xAB except entry 3 (0xAA: bit 0 clear). The rectangle is 5
		// pixels wide: the second fetch writes one pixel.
		{"IA TLUT", tlutIA, [6]uint32{0x10AB, 0x21AB, 0x32AA, 0x43AB, 0x50AB, 0xEEEE}},
		{"IA TLUT, alpha compare", tlutIA | 1, [6]uint32{0x10AB, 0x21AB, 0xEEEE, 0x43AB, 0x50AB, 0xEEEE}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRaster(size16)
			for k := range 8 {
				r.tmem[k] = byte(k + 1)
			}
			for n := uint32(0); n < 16; n++ {
				low := uint32(0xAB)
				if n == 3 {
					low = 0xAA
				}
				for k := uint32(0); k < 4; k++ {
					r.setTmemShort(0x400+n<<2|k, n<<12|k<<8|low)
				}
			}
			for i := range 16 {
				r.rdram[0x1000+i] = 0xEE
			}
			run(r,
				0x39<<56|0xFF, // blend alpha 0xFF: not used for 16-bit images
				0x2F<<56|2<<52|tc.modes,
				0x35<<56|fmtCI<<53|size8<<51|1<<41,
				// x 0..4, y 0; DsDx 4.0 (one fetch per 4 pixels).
				0x24<<56|4<<2<<44, 4<<10<<16|1<<10)
			for x, want := range tc.want {
				if got := pix16(r, x, 0); got != want {
					t.Errorf("pixel %d = %#04x, want %#04x", x, got, want)
				}
			}
		})
	}
}
