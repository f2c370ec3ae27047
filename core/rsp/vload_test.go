package rsp

import "testing"

// Loads and stores against the rules n64-systemtest measured on hardware
// (src/tests/rsp/op_vector_loads.rs and op_vector_stores.rs, "Findings"),
// restated here per instruction, over every misalignment and element.

// loadCase gives the expected register bytes for a load from address a
// (DMEM filled with byte i = i) with element e, starting from pre.
type loadCase struct {
	name string
	sub  uint32
	want func(pre [16]byte, a, e uint32) [16]byte
}

func dm(a uint32) byte { return byte(a & 0xFFF) } // DMEM byte i holds i (mod 256)

func unpackWant(shift, factor uint32) func([16]byte, uint32, uint32) [16]byte {
	// LPV/LUV/LHV: lane i reads byte (16 - e + i*factor + a&7) & 15 of the
	// 8-aligned block, shifted into bits 15-8 (LPV) or 14-7 (LUV, LHV).
	return func(_ [16]byte, a, e uint32) (w [16]byte) {
		for i := range uint32(8) {
			off := (16 - e + i*factor + a&7) & 15
			v := uint16(dm(a&^7+off)) << shift
			w[2*i], w[2*i+1] = byte(v>>8), byte(v)
		}
		return
	}
}

var loadCases = []loadCase{
	{"LBV", lsB, simpleWant(1)},
	{"LSV", lsS, simpleWant(2)},
	{"LLV", lsL, simpleWant(4)},
	{"LDV", lsD, simpleWant(8)},
	// LQV: up to the end of the 16-byte line, no further than byte 15.
	{"LQV", lsQ, func(pre [16]byte, a, e uint32) [16]byte {
		for i := uint32(0); i < 16-a&15 && e+i < 16; i++ {
			pre[e+i] = dm(a + i)
		}
		return pre
	}},
	// LRV: the line's bytes before a, ending at register byte 15, shifted
	// by e (bytes past 15 are dropped).
	{"LRV", lsR, func(pre [16]byte, a, e uint32) [16]byte {
		for i := 16 - a&15; i < 16 && e+i < 16; i++ {
			pre[e+i] = dm(a&^15 + i - (16 - a&15))
		}
		return pre
	}},
	{"LPV", lsP, unpackWant(8, 1)},
	{"LUV", lsU, unpackWant(7, 1)},
	{"LHV", lsH, unpackWant(7, 2)},
	// LFV: lanes read bytes at (a&7) + {+e, 4-e, 8-e, 12-e, 8-e, 12-e,
	// -e, 4-e} (mod 16) of the 8-aligned block, << 7; register bytes
	// e..min(e+8,16) take them.
	{"LFV", lsF, func(pre [16]byte, a, e uint32) [16]byte {
		m := a & 7
		offs := [8]uint32{m + e, m + 4 - e, m + 8 - e, m + 12 - e, m + 8 - e, m + 12 - e, m - e, m + 4 - e}
		var tmp [16]byte
		for i, o := range offs {
			v := uint16(dm(a&^7+o&15)) << 7
			tmp[2*i], tmp[2*i+1] = byte(v>>8), byte(v)
		}
		for i := e; i < min(e+8, 16); i++ {
			pre[i] = tmp[i]
		}
		return pre
	}},
	// LWV does not exist: the register is unchanged.
	{"LWV", lsW, func(pre [16]byte, _, _ uint32) [16]byte { return pre }},
}

// simpleWant: n bytes from a into bytes e.., stopping at byte 15 (no
// wrap in the register), wrapping in DMEM.
func simpleWant(n uint32) func([16]byte, uint32, uint32) [16]byte {
	return func(pre [16]byte, a, e uint32) [16]byte {
		for i := uint32(0); i < n && e+i < 16; i++ {
			pre[e+i] = dm(a + i)
		}
		return pre
	}
}

func TestVectorLoadRules(t *testing.T) {
	r, _, _, _ := newRSP(t)
	for i := range MemSize {
		r.DMEM[i] = byte(i)
	}
	var pre [16]byte
	for i := range pre {
		pre[i] = 0xE0 | byte(i)
	}
	for _, lc := range loadCases {
		for _, base := range []uint32{0x120, 0xFF0} {
			for mis := range uint32(16) {
				for e := range uint32(16) {
					a := base + mis
					r.gpr[1] = a
					for i := range 16 {
						setByte(&r.vr[1], uint32(i), pre[i])
					}
					r.vload(lwc2(lc.sub, 1, 1, e, 0))
					want := lc.want(pre, a, e)
					if got := vbytes(&r.vr[1]); got != want {
						t.Fatalf("%s e=%d at %#x: % x, want % x", lc.name, e, a, got, want)
					}
				}
			}
		}
	}
}

// storeCase gives the bytes a store of register v with element e to
// address a writes, as (address, byte) pairs.
type storeCase struct {
	name string
	sub  uint32
	want func(v [16]byte, a, e uint32) map[uint32]byte
}

func lane(v [16]byte, i uint32) uint16 { return uint16(v[2*(i&7)])<<8 | uint16(v[2*(i&7)+1]) }

func packWant(lowShift, highShift uint32) func([16]byte, uint32, uint32) map[uint32]byte {
	// SPV/SUV: 8 bytes at a..a+7; byte i is lane (e+i)&7 shifted right
	// by lowShift while (e+i)&8 is 0, else by highShift.
	return func(v [16]byte, a, e uint32) map[uint32]byte {
		m := map[uint32]byte{}
		for i := range uint32(8) {
			sh := lowShift
			if (e+i)&8 != 0 {
				sh = highShift
			}
			m[(a+i)&0xFFF] = byte(lane(v, e+i) >> sh)
		}
		return m
	}
}

var storeCases = []storeCase{
	// SBV..SDV, SQV: bytes (e+i)&15 (wrapping in the register) to a+i.
	{"SBV", lsB, seqStore(func(uint32) uint32 { return 1 })},
	{"SSV", lsS, seqStore(func(uint32) uint32 { return 2 })},
	{"SLV", lsL, seqStore(func(uint32) uint32 { return 4 })},
	{"SDV", lsD, seqStore(func(uint32) uint32 { return 8 })},
	{"SQV", lsQ, seqStore(func(a uint32) uint32 { return 16 - a&15 })},
	// SRV: the line's bytes before a, from register byte (e+16-a&15).
	{"SRV", lsR, func(v [16]byte, a, e uint32) map[uint32]byte {
		m := map[uint32]byte{}
		for i := 16 - a&15; i < 16; i++ {
			m[(a+i-16)&0xFFF] = v[(e+i)&15]
		}
		return m
	}},
	{"SPV", lsP, packWant(8, 7)},
	{"SUV", lsU, packWant(7, 8)},
	// SHV: byte i = bits 14-7 of the halfword at register byte e+2i,
	// stored at (a&7 + 2i) & 15 of the 8-aligned block.
	{"SHV", lsH, func(v [16]byte, a, e uint32) map[uint32]byte {
		m := map[uint32]byte{}
		for i := range uint32(8) {
			h := uint16(v[(e+2*i)&15])<<8 | uint16(v[(e+2*i+1)&15])
			m[(a&^7+(a&7+2*i)&15)&0xFFF] = byte(h >> 7)
		}
		return m
	}},
	// SFV: four lanes (chosen by e; zeros for other e) >> 7 at every
	// fourth byte from a&7 within the 16 bytes.
	{"SFV", lsF, func(v [16]byte, a, e uint32) map[uint32]byte {
		lanes := map[uint32][4]uint32{0: {0, 1, 2, 3}, 1: {6, 7, 4, 5}, 4: {1, 2, 3, 0}, 5: {7, 4, 5, 6},
			8: {4, 5, 6, 7}, 11: {3, 0, 1, 2}, 12: {5, 6, 7, 4}, 15: {0, 1, 2, 3}}
		ls, ok := lanes[e]
		m := map[uint32]byte{}
		for i := range uint32(4) {
			var x byte
			if ok {
				x = byte(lane(v, ls[i]) >> 7)
			}
			m[(a&^7+(a&7+4*i)&15)&0xFFF] = x
		}
		return m
	}},
	// SWV: all 16 register bytes from e, rotated into the 16 bytes from
	// the 8-aligned base starting at a&7.
	{"SWV", lsW, func(v [16]byte, a, e uint32) map[uint32]byte {
		m := map[uint32]byte{}
		for i := range uint32(16) {
			m[(a&^7+(a&7+i)&15)&0xFFF] = v[(e+i)&15]
		}
		return m
	}},
}

func seqStore(n func(a uint32) uint32) func([16]byte, uint32, uint32) map[uint32]byte {
	return func(v [16]byte, a, e uint32) map[uint32]byte {
		m := map[uint32]byte{}
		for i := range n(a) {
			m[(a+i)&0xFFF] = v[(e+i)&15]
		}
		return m
	}
}

func TestVectorStoreRules(t *testing.T) {
	r, _, _, _ := newRSP(t)
	src := [8]uint16{0x1776, 0x8378, 0xE1FE, 0x138F, 0xA42F, 0x156D, 0xCF20, 0x18E2} // op_vector_stores.rs REGISTER_DATA
	r.vr[1] = src
	v := vbytes(&r.vr[1])
	for _, sc := range storeCases {
		for _, base := range []uint32{0x120, 0xFF0} {
			for mis := range uint32(16) {
				for e := range uint32(16) {
					for i := range MemSize {
						r.DMEM[i] = 0x55
					}
					a := base + mis
					r.gpr[1] = a
					r.vstore(swc2(sc.sub, 1, 1, e, 0))
					want := sc.want(v, a, e)
					for i := range uint32(MemSize) {
						w, ok := want[i]
						if !ok {
							w = 0x55
						}
						if r.DMEM[i] != w {
							t.Fatalf("%s e=%d at %#x: DMEM[%#x] = %#x, want %#x", sc.name, e, a, i, r.DMEM[i], w)
						}
					}
				}
			}
		}
	}
}
