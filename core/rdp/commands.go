package rdp

// Command opcodes (n64brew "Reality Display Processor/Commands").
const (
	opTriangle      = 0x08 // 0x08-0x0F: +4 shade, +2 texture, +1 z
	opTexRect       = 0x24
	opTexRectFlip   = 0x25
	opSyncLoad      = 0x26
	opSyncPipe      = 0x27
	opSyncTile      = 0x28
	opSyncFull      = 0x29
	opSetKeyGB      = 0x2A
	opSetKeyR       = 0x2B
	opSetConvert    = 0x2C
	opSetScissor    = 0x2D
	opSetPrimDepth  = 0x2E
	opSetOtherModes = 0x2F
	opLoadTLUT      = 0x30
	opSetTileSize   = 0x32
	opLoadBlock     = 0x33
	opLoadTile      = 0x34
	opSetTile       = 0x35
	opFillRect      = 0x36
	opSetFillColor  = 0x37
	opSetFogColor   = 0x38
	opSetBlendColor = 0x39
	opSetPrimColor  = 0x3A
	opSetEnvColor   = 0x3B
	opSetCombine    = 0x3C
	opSetTextureImg = 0x3D
	opSetZImage     = 0x3E
	opSetColorImage = 0x3F
	maxCmdWords     = 22
)

// cmdWords is each command's length in doublewords: triangles are 4 edge
// words plus 8 for shade, 8 for texture and 2 for z coefficients; texture
// rectangles are 2; everything else 1.
var cmdWords = func() (n [64]uint32) {
	for i := range n {
		n[i] = 1
	}
	for op := 0x08; op <= 0x0F; op++ {
		w := uint32(4)
		if op&4 != 0 {
			w += 8
		}
		if op&2 != 0 {
			w += 8
		}
		if op&1 != 0 {
			w += 2
		}
		n[op] = w
	}
	n[opTexRect], n[opTexRectFlip] = 2, 2
	return
}()

// Cycle types (SET_OTHER_MODES bits 53:52).
const (
	cycle1 = iota
	cycle2
	cycleCopy
	cycleFill
)

// Image formats (SET_TILE / SET_TEXTURE_IMAGE bits 55:53) and sizes.
const (
	fmtRGBA = 0
	fmtYUV  = 1
	fmtCI   = 2
	fmtIA   = 3
	fmtI    = 4

	size4  = 0
	size8  = 1
	size16 = 2
	size32 = 3
)

// otherModes is SET_OTHER_MODES decoded (n64brew "Set Other Modes").
type otherModes struct {
	cycleType   uint32 // 53:52
	perspTex    bool   // 51
	tlutEn      bool   // 47
	tlutIA      bool   // 46: TLUT entries are IA16, not RGBA16
	sampleType  bool   // 45: bilinear
	keyEn       bool   // 40
	rgbDither   uint32 // 39:38: 0 magic square, 1 Bayer, 2 noise, 3 off
	alphaDither uint32 // 37:36: 0 pattern, 1 ~pattern, 2 noise, 3 off
	blendM1A0   uint32 // 31:30
	blendM1A1   uint32 // 29:28
	blendM1B0   uint32 // 27:26
	blendM1B1   uint32 // 25:24
	blendM2A0   uint32 // 23:22
	blendM2A1   uint32 // 21:20
	blendM2B0   uint32 // 19:18
	blendM2B1   uint32 // 17:16
	forceBlend  bool   // 14
	alphaCvgSel bool   // 13: coverage as alpha
	cvgXAlpha   bool   // 12
	zMode       uint32 // 11:10
	cvgDest     uint32 // 9:8: clamp, wrap, zap, save
	colorOnCvg  bool   // 7
	imageRead   bool   // 6
	zUpdate     bool   // 5
	zCompare    bool   // 4
	antialias   bool   // 3
	zSourcePrim bool   // 2
	ditherAlpha bool   // 1: random alpha compare threshold
	alphaCmp    bool   // 0
}

func decodeOtherModes(w uint64) otherModes {
	b := func(n uint) bool { return w>>n&1 != 0 }
	f := func(n uint) uint32 { return uint32(w>>n) & 3 }
	return otherModes{
		cycleType: f(52), perspTex: b(51), tlutEn: b(47), tlutIA: b(46),
		sampleType: b(45), keyEn: b(40), rgbDither: f(38), alphaDither: f(36),
		blendM1A0: f(30), blendM1A1: f(28), blendM1B0: f(26), blendM1B1: f(24),
		blendM2A0: f(22), blendM2A1: f(20), blendM2B0: f(18), blendM2B1: f(16),
		forceBlend: b(14), alphaCvgSel: b(13), cvgXAlpha: b(12), zMode: f(10),
		cvgDest: f(8), colorOnCvg: b(7), imageRead: b(6),
		zUpdate: b(5), zCompare: b(4), antialias: b(3), zSourcePrim: b(2),
		ditherAlpha: b(1), alphaCmp: b(0),
	}
}

// combineMode is SET_COMBINE_MODE decoded: per cycle, RGB and alpha
// (A-B)*C+D selectors (n64brew "Set Combine Mode").
type combineMode struct {
	subARGB, subBRGB, mulRGB, addRGB [2]uint32
	subAA, subBA, mulA, addA         [2]uint32
}

// combinePlan is a combineMode prepared for the per-pixel path: the
// selectors as input slots (pixel.go) per cycle, and what the inputs
// need. texel1 is set when the second cycle reads TEXEL1 (color or
// alpha), noise when a sub A input is NOISE; splats has bit k set when
// slot k (srcCombA..srcShadeA) is read and must be splatted per pixel;
// key is the slot of cycle 1's RGB sub A, the chroma key's input.
type combinePlan struct {
	slots         [2]combineSlots
	texel1, noise bool
	splats        uint32
	key           uint8
}

// combineSlots are one cycle's RGB and alpha A, B, C, D input slots;
// rgbAdd and alphaAdd are set when (A-B)*C is zero whatever the inputs
// (A and B the same slot, or C zero), so the result is D's.
type combineSlots struct {
	rgb, alpha       [4]uint8
	rgbAdd, alphaAdd bool
}

func decodeCombine(w uint64) combineMode {
	f := func(n, bits uint) uint32 { return uint32(w>>n) & (1<<bits - 1) }
	var c combineMode
	c.subARGB[0], c.mulRGB[0], c.subAA[0], c.mulA[0] = f(52, 4), f(47, 5), f(44, 3), f(41, 3)
	c.subARGB[1], c.mulRGB[1] = f(37, 4), f(32, 5)
	c.subBRGB[0], c.subBRGB[1] = f(28, 4), f(24, 4)
	c.subAA[1], c.mulA[1], c.addRGB[0] = f(21, 3), f(18, 3), f(15, 3)
	c.subBA[0], c.addA[0], c.addRGB[1] = f(12, 3), f(9, 3), f(6, 3)
	c.subBA[1], c.addA[1] = f(3, 3), f(0, 3)
	return c
}

func planCombine(c combineMode) combinePlan {
	var p combinePlan
	for cyc := range p.slots {
		sl := &p.slots[cyc]
		for which, sel := range [4]uint32{c.subARGB[cyc], c.subBRGB[cyc], c.mulRGB[cyc], c.addRGB[cyc]} {
			sl.rgb[which] = rgbSlot(which, sel)
		}
		for which, sel := range [4]uint32{c.subAA[cyc], c.subBA[cyc], c.mulA[cyc], c.addA[cyc]} {
			sl.alpha[which] = alphaSlot(which, sel)
		}
		sl.rgbAdd = sl.rgb[0] == sl.rgb[1] || sl.rgb[2] == srcZero
		sl.alphaAdd = sl.alpha[0] == sl.alpha[1] || sl.alpha[2] == srcZero
		for _, k := range sl.rgb {
			if k >= srcCombA && k <= srcShadeA {
				p.splats |= 1 << k
			}
		}
	}
	p.texel1 = c.subARGB[1] == 2 || c.subBRGB[1] == 2 || c.mulRGB[1] == 2 || c.mulRGB[1] == 9 ||
		c.addRGB[1] == 2 || c.subAA[1] == 2 || c.subBA[1] == 2 || c.mulA[1] == 2 || c.addA[1] == 2
	p.noise = c.subARGB[0] == 7 || c.subARGB[1] == 7
	p.key = p.slots[1].rgb[0]
	return p
}

// tile is one of the eight tile descriptors (SET_TILE, SET_TILE_SIZE).
type tile struct {
	format, size, line, tmem, palette uint32
	ct, mt, maskT, shiftT             uint32
	cs, ms, maskS, shiftS             uint32
	sl, tl, sh, th                    uint32 // 10.2
}

// image is a SET_*_IMAGE: RDRAM address, format, size, width in pixels.
type image struct {
	addr, format, size, width uint32
}

// rgba is a color with 8-bit channels held in int32 for the combiner.
type rgba struct{ r, g, b, a int32 }

func colorOf(v uint32) rgba {
	return rgba{int32(v >> 24), int32(v >> 16 & 0xFF), int32(v >> 8 & 0xFF), int32(v & 0xFF)}
}

// raster is everything the commands set and the rasterizer reads.
type raster struct {
	modes    otherModes
	modeWord uint64
	comb     combineMode
	cplan    combinePlan // comb prepared for a primitive's pixels (drawSpans)
	combWord uint64

	color, depth, tex image
	tiles             [8]tile

	scXH, scYH, scXL, scYL uint32 // scissor, 10.2
	scField, scOdd         uint32

	fill                                    uint32
	fog, blend, prim, env                   rgba
	primLOD, primMinLOD                     uint32
	primZ, primDZ                           uint32
	keyCenter, keyScale, keyWidth           rgba
	k0, k1, k2, k3, k4, k5                  int32
	tmem                                    [4096]byte
	rdram                                   []byte
	spans                                   []span      // the edge walker's output, reused
	cvgBuf                                  [1024]uint8 // coverage masks of one span
	ci                                      combInputs  // the combiner's inputs, reused per pixel
	bl                                      blendInputs // the blender's inputs, reused per pixel
	keyGB, keyR, convertWord, primColorWord uint64
}

// execute runs one complete command; it reports SYNC_FULL.
func (r *raster) execute(op uint32, w []uint64) bool {
	c := w[0]
	switch op {
	case opSyncFull:
		return true
	case opSetOtherModes:
		r.modeWord = c
		r.modes = decodeOtherModes(c)
	case opSetCombine:
		r.combWord = c
		r.comb = decodeCombine(c)
	case opSetColorImage:
		r.color = decodeImage(c)
	case opSetZImage:
		r.depth = image{addr: uint32(c) & 0x3FF_FFFF}
	case opSetTextureImg:
		r.tex = decodeImage(c)
	case opSetScissor:
		r.scXH, r.scYH = uint32(c>>44)&0xFFF, uint32(c>>32)&0xFFF
		r.scField, r.scOdd = uint32(c>>25)&1, uint32(c>>24)&1
		r.scXL, r.scYL = uint32(c>>12)&0xFFF, uint32(c)&0xFFF
	case opSetFillColor:
		r.fill = uint32(c)
	case opSetFogColor:
		r.fog = colorOf(uint32(c))
	case opSetBlendColor:
		r.blend = colorOf(uint32(c))
	case opSetPrimColor:
		r.primColorWord = c
		r.primMinLOD = uint32(c>>40) & 0x1F
		r.primLOD = uint32(c>>32) & 0xFF
		r.prim = colorOf(uint32(c))
	case opSetEnvColor:
		r.env = colorOf(uint32(c))
	case opSetPrimDepth:
		r.primZ, r.primDZ = uint32(c>>16)&0xFFFF, uint32(c)&0xFFFF
	case opSetKeyGB:
		r.keyGB = c
		r.keyWidth.g, r.keyWidth.b = int32(c>>44)&0xFFF, int32(c>>32)&0xFFF
		r.keyCenter.g, r.keyScale.g = int32(c>>24)&0xFF, int32(c>>16)&0xFF
		r.keyCenter.b, r.keyScale.b = int32(c>>8)&0xFF, int32(c)&0xFF
	case opSetKeyR:
		r.keyR = c
		r.keyWidth.r = int32(c>>16) & 0xFFF
		r.keyCenter.r, r.keyScale.r = int32(c>>8)&0xFF, int32(c)&0xFF
	case opSetConvert:
		r.convertWord = c
		s9 := func(n uint) int32 { return int32(uint32(c>>n)&0x1FF<<23) >> 23 }
		r.k0, r.k1, r.k2, r.k3, r.k4, r.k5 = s9(45), s9(36), s9(27), s9(18), s9(9), s9(0)
	case opSetTile:
		t := &r.tiles[c>>24&7]
		t.format, t.size = uint32(c>>53)&7, uint32(c>>51)&3
		t.line, t.tmem = uint32(c>>41)&0x1FF, uint32(c>>32)&0x1FF
		t.palette = uint32(c>>20) & 0xF
		t.ct, t.mt, t.maskT, t.shiftT = uint32(c>>19)&1, uint32(c>>18)&1, uint32(c>>14)&0xF, uint32(c>>10)&0xF
		t.cs, t.ms, t.maskS, t.shiftS = uint32(c>>9)&1, uint32(c>>8)&1, uint32(c>>4)&0xF, uint32(c)&0xF
	case opSetTileSize:
		r.setTileSize(c)
	case opLoadTile:
		r.setTileSize(c)
		r.loadTile(&r.tiles[c>>24&7])
	case opLoadBlock:
		r.loadBlock(c)
	case opLoadTLUT:
		r.setTileSize(c)
		r.loadTLUT(&r.tiles[c>>24&7])
	case opFillRect:
		xl, yl := uint32(c>>44)&0xFFF, uint32(c>>32)&0xFFF
		xh, yh := uint32(c>>12)&0xFFF, uint32(c)&0xFFF
		r.rectangle(xh, yh, xl, yl, nil)
	case opTexRect, opTexRectFlip:
		xl, yl := uint32(c>>44)&0xFFF, uint32(c>>32)&0xFFF
		xh, yh := uint32(c>>12)&0xFFF, uint32(c)&0xFFF
		r.rectangle(xh, yh, xl, yl, w[:2])
	default:
		if op >= opTriangle && op <= opTriangle+7 {
			r.triangle(op, w)
		}
	}
	return false
}

func decodeImage(c uint64) image {
	return image{
		format: uint32(c>>53) & 7, size: uint32(c>>51) & 3,
		width: uint32(c>>32)&0x3FF + 1, addr: uint32(c) & 0x3FF_FFFF,
	}
}

func (r *raster) setTileSize(c uint64) {
	t := &r.tiles[c>>24&7]
	t.sl, t.tl = uint32(c>>44)&0xFFF, uint32(c>>32)&0xFFF
	t.sh, t.th = uint32(c>>12)&0xFFF, uint32(c)&0xFFF
}
