package rdp

import (
	"testing"

	"github.com/n64go/n64/core/memory"
)

// BenchmarkRDP draws what games draw most: shaded, textured, perspective-
// corrected, z-buffered triangles in 2-cycle mode with bilinear filtering,
// into a 320x240 16-bit image. The z buffer is reset to the far plane
// before each triangle so every pixel passes the depth test and is
// written. It reports pixels/s (the triangle's area, 256×192/2 pixels).
func BenchmarkRDP(b *testing.B) {
	const (
		colorAddr = 0x200000
		zAddr     = 0x100000
		width     = 320
		height    = 240
	)
	r := &raster{rdram: make([]byte, memory.RDRAMSize4M)}
	run(r,
		0x3F<<56|2<<51|(width-1)<<32|colorAddr, // Set Color Image: RGBA 16b
		0x3E<<56|zAddr,                    // Set Z Image
		0x2D<<56|(width<<2)<<12|height<<2, // Set Scissor 0,0-320,240
		// Set Other Modes: 2-cycle (53:52 = 1), perspective (51),
		// bilinear (45) with both texture units filtering (BI_LERP_0 43,
		// BI_LERP_1 42, as libultra's G_TF_BILERP|G_TC_FILT sets them),
		// z compare (4) and update (5).
		0x2F<<56|1<<52|1<<51|1<<45|1<<43|1<<42|1<<5|1<<4,
		// Set Combine Mode: cycle 0 = TEXEL0 × SHADE (RGB and alpha),
		// cycle 1 = COMBINED (add RGB1 and add A1 are 0).
		0x3C<<56|1<<52|4<<47|1<<44|4<<41|15<<37|31<<32|15<<28|15<<24|7<<21|7<<18|7<<15|7<<12|7<<9|7<<3,
		// Set Tile 0: RGBA16, line 8 (32 texels), mask 5 on both axes.
		0x35<<56|2<<51|8<<41|5<<14|5<<4,
	)
	for i := range r.tmem[:2048] { // a texture that is not black
		r.tmem[i] = byte(i*7 | 1)
	}
	far := make([]byte, width*height*2)
	for i := 0; i < len(far); i += 2 {
		far[i], far[i+1] = 0xFF, 0xFC // the largest compressed z, dz 0
	}
	// Shade Texture Z triangle (0x0F), left major: the major edge runs down
	// x = 0 from y = 0 to 192, the other from (256,0) to (0,192).
	dxm := int32(-(256 << 16) / 192) // the minor edge's dx/dy, s15.16
	tri := []uint64{
		0x0F<<56 | 1<<55 | (192<<2)<<32 | (192<<2)<<16, // YH 0
		0, // XL, DxLDy
		0, // XH, DxHDy
		256<<48 | uint64(uint32(dxm)),
		// Shade: RGBA 200,150,100,255; dR/dx 0.25, dG/dy -0.25.
		200<<48 | 150<<32 | 100<<16 | 255,
		0,
		0,
		0x4000 << 48,
		0,
		0xFFFF << 32,
		0,
		0xC000 << 32,
		// Texture: S 0, T 0, W 0x7FFF (1.0); dS/dx 1 texel (32 in 10.5),
		// dT/dy 1 texel.
		0x7FFF << 16,
		32 << 48,
		0,
		0,
		0,
		32 << 32,
		0,
		0,
		// Z: 0x1000, dZ/dx 1.
		0x1000<<48 | 1<<16,
		0,
	}
	// The triangle must really be drawn: its inside is written, the
	// outside is not.
	copy(r.rdram[zAddr:], far)
	run(r, tri...)
	at := func(x, y int) uint32 { return pix16(r, x, y) }
	if at(10, 10) == 0 || at(300, 200) != 0 {
		b.Fatalf("triangle not drawn as set up: pixel (10,10) %#x, (300,200) %#x", at(10, 10), at(300, 200))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		copy(r.rdram[zAddr:], far)
		run(r, tri...)
	}
	b.ReportMetric(float64(256*192/2)*float64(b.N)/b.Elapsed().Seconds(), "pixels/s")
}
