package rsp

import "math/bits"

// The divide unit: VRCP/VRSQ (16-bit input), VRCPH/VRSQH (load the high
// half of a 32-bit input, read the high half of the last result) and
// VRCPL/VRSQL (the low half; the full 32-bit input when a VRCPH/VRSQH came
// first). Results come from two 512-entry ROMs, computed here from their
// definition (n64brew "RSP Vector Instructions": VRCP/VRSQ; the same
// definition ares uses to build them).

// rcpTable[i] is the fraction bits of 2/x for x = 1 + i/512 (the input's
// 9 bits after its leading one): floor(2^16 * (2/x - 1)) =
// floor(2^16 * (512-i) / (512+i)), which for i = 0 (exactly 2.0) saturates
// to 0xFFFF. The implicit leading one is added back by divide.
var rcpTable = func() (t [512]uint16) {
	for i := range t {
		v := (uint64(1) << 16) * uint64(512-i) / uint64(512+i)
		t[i] = uint16(min(v, 0xFFFF))
	}
	return
}()

// rsqTable[j] is the fraction bits of 2/sqrt(x): x = 1 + (j&^1)/512 for
// odd j (an even exponent) and twice that for even j (an odd exponent).
// The entry is the largest v with (2^16+v)^2 * x <= 4 * 2^32, saturated
// to 0xFFFF, found by binary search on exact integers.
var rsqTable = func() (t [512]uint16) {
	for j := range t {
		m := uint64(512 + j&^1) // x * 512
		if j&1 == 0 {
			m *= 2
		}
		// (2^16+v)^2 * m <= 4 * 2^32 * 512
		limit := uint64(4) << 32 * 512
		lo, hi := uint64(0), uint64(1)<<17
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if (65536+mid)*(65536+mid)*m <= limit {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		t[j] = uint16(min(lo, 0xFFFF))
	}
	return
}()

// divide computes the 32-bit reciprocal (rsq false) or inverse square
// root of a signed 32-bit input in the RSP's fixed-point format: the
// magnitude is normalised, the 9 bits after its leading one index the
// table (for rsq, with the exponent's parity as the low bit), the result
// 1.table is shifted back by the input's exponent (halved for rsq) and
// complemented (one's complement) for a negative input. 0 gives
// 0x7FFF_FFFF. (n64brew "RSP Vector Instructions": VRCP/VRSQ; the
// brute-force-verified model in rasky/r64emu src/sp/vrcp.rs.)
func divide(in int32, rsq bool) uint32 {
	if in == 0 {
		return 0x7FFF_FFFF
	}
	if rsq && in == -32768 {
		// Measured exception (r64emu's hardware-checked vrcp.rs):
		// RSQ(-32768) is 0xFFFF_0000, as RCP(-32768) is.
		return 0xFFFF_0000
	}
	x := uint32(in)
	if in < 0 {
		x = -x
	}
	shift := uint32(bits.LeadingZeros32(x))
	index := x << shift >> 22 & 0x1FF
	var res uint32
	if rsq {
		res = (0x10000 | uint32(rsqTable[index&0x1FE|shift&1])) << 14 >> ((31 - shift) >> 1)
	} else {
		res = (0x10000 | uint32(rcpTable[index])) << 14 >> (31 - shift)
	}
	if in < 0 {
		res = ^res
	}
	return res
}

// single executes the single-lane vector instructions: VRCP, VRCPL,
// VRCPH, VMOV, VRSQ, VRSQL, VRSQH. de is the destination element, e the
// element selector (its low 3 bits pick the source lane of vt), t vt with
// the selector applied.
func (r *RSP) single(op uint32, t [8]uint16, de, e, vt, vd uint32) {
	src := r.vr[vt][e&7]
	var res uint16
	switch op {
	case vRCP, vRSQ, vRCPL, vRSQL:
		in := int32(int16(src))
		if (op == vRCPL || op == vRSQL) && r.divLoaded {
			in = int32(uint32(r.divIn)<<16 | uint32(src))
		}
		out := divide(in, op == vRSQ || op == vRSQL)
		r.divLoaded = false
		r.divOut = uint16(out >> 16)
		res = uint16(out)
	case vRCPH, vRSQH:
		r.divLoaded = true
		r.divIn = src
		res = r.divOut
	case vMOV:
		res = t[de]
	}
	for i := range 8 {
		r.acc[i] = setACCL(r.acc[i], t[i])
	}
	r.vr[vd][de] = res
}
