package cpu

import "testing"

// BenchmarkFPU measures one computational instruction through the COP1
// decoder on ordinary operands (DESIGN.md §9: no allocation).
func BenchmarkFPU(b *testing.B) {
	for _, bm := range []struct {
		name string
		word uint32
		a, b uint64
	}{
		{"add.s", 0x46020100, 0x3FC0_0000, 0x4049_0FDB},
		{"mul.s", 0x46020102, 0x3FC0_0000, 0x4049_0FDB},
		{"div.s", 0x46020103, 0x3FC0_0000, 0x4049_0FDB},
		{"sqrt.s", 0x46000104, 0x4049_0FDB, 0},
		{"add.d", 0x46220100, 0x3FF8_0000_0000_0000, 0x4009_21FB_5444_2D18},
		{"mul.d", 0x46220102, 0x3FF8_0000_0000_0000, 0x4009_21FB_5444_2D18},
		{"div.d", 0x46220103, 0x3FF8_0000_0000_0000, 0x4009_21FB_5444_2D18},
		{"sqrt.d", 0x46200104, 0x4009_21FB_5444_2D18, 0},
		{"cvt.s.w", 0x46800120, 123456789, 0},
		{"trunc.w.s", 0x4600010D, 0x4049_0FDB, 0},
		{"c.lt.s", 0x4602003C, 0x3FC0_0000, 0x4049_0FDB},
	} {
		b.Run(bm.name, func(b *testing.B) {
			c := newCPU(b)
			c.FPR[0], c.FPR[2] = bm.a, bm.b
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c.cop1(bm.word)
			}
		})
	}
}
