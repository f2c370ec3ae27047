package rsp

// The vector unit (COP2; n64brew "Reality Signal Processor/CPU Core",
// "RSP Vector Instructions"; behaviour as ares models it and as
// n64-systemtest's src/tests/rsp/* measure it on hardware).
//
// Register lane i is element i: bytes 2i (high) and 2i+1 (low) in memory
// order. The accumulator is 48 bits per lane, read as three 16-bit slices
// ACCH (bits 47-32), ACCM (31-16), ACCL (15-0).

// COP2 vector opcodes (the funct field of a COP2 instruction with bit 25).
const (
	vMULF  = 0x00
	vMULU  = 0x01
	vRNDP  = 0x02
	vMULQ  = 0x03
	vMUDL  = 0x04
	vMUDM  = 0x05
	vMUDN  = 0x06
	vMUDH  = 0x07
	vMACF  = 0x08
	vMACU  = 0x09
	vRNDN  = 0x0A
	vMACQ  = 0x0B
	vMADL  = 0x0C
	vMADM  = 0x0D
	vMADN  = 0x0E
	vMADH  = 0x0F
	vADD   = 0x10
	vSUB   = 0x11
	vABS   = 0x13
	vADDC  = 0x14
	vSUBC  = 0x15
	vSAR   = 0x1D
	vLT    = 0x20
	vEQ    = 0x21
	vNE    = 0x22
	vGE    = 0x23
	vCL    = 0x24
	vCH    = 0x25
	vCR    = 0x26
	vMRG   = 0x27
	vAND   = 0x28
	vNAND  = 0x29
	vOR    = 0x2A
	vNOR   = 0x2B
	vXOR   = 0x2C
	vNXOR  = 0x2D
	vRCP   = 0x30
	vRCPL  = 0x31
	vRCPH  = 0x32
	vMOV   = 0x33
	vRSQ   = 0x34
	vRSQL  = 0x35
	vRSQH  = 0x36
	vNOP   = 0x37
	vNULL  = 0x3F
	vFirst = 0x00
)

// selTable[e] maps each result lane to the lane of vt it reads for the
// element selector e: 0-1 the whole vector, 2-3 quarters (0q, 1q), 4-7
// halves (0h-3h), 8-15 one element broadcast.
var selTable = func() (t [16][8]uint8) {
	for e := range 16 {
		for i := range 8 {
			switch {
			case e < 2:
				t[e][i] = uint8(i)
			case e < 4:
				t[e][i] = uint8(i&^1 | e&1)
			case e < 8:
				t[e][i] = uint8(i&^3 | e&3)
			default:
				t[e][i] = uint8(e & 7)
			}
		}
	}
	return
}()

// sext48 sign-extends a 48-bit accumulator value.
func sext48(a int64) int64 { return a << 16 >> 16 }

// clampS is the signed clamp of the accumulator's bits 47-16 to 16 bits:
// ACCM when ACCH:ACCM fits in an int16, else 0x8000 / 0x7FFF.
func clampS(a int64) uint16 {
	v := a >> 16
	if v < -32768 {
		return 0x8000
	}
	if v > 32767 {
		return 0x7FFF
	}
	return uint16(v)
}

// clampL returns ACCL when ACCH:ACCM fits in an int16, else 0 (negative)
// or 0xFFFF (the unsigned clamp VMADL and VMADN use).
func clampL(a int64) uint16 {
	v := a >> 16
	if v < -32768 {
		return 0
	}
	if v > 32767 {
		return 0xFFFF
	}
	return uint16(a)
}

// clampU is VMULU's and VMACU's clamp: 0 when ACCH is negative, 0xFFFF when
// ACCH is not 0 or ACCM has its top bit set, else ACCM (n64-systemtest
// op_vmacu.rs: acc 0x0000_FFFE_8000 gives 0xFFFF).
func clampU(a int64) uint16 {
	h := a >> 32
	if h < 0 {
		return 0
	}
	if h != 0 || a&0x8000_0000 != 0 {
		return 0xFFFF
	}
	return uint16(a >> 16)
}

// clamp16 saturates a 32-bit value to int16.
func clamp16(v int32) uint16 {
	if v < -32768 {
		return 0x8000
	}
	if v > 32767 {
		return 0x7FFF
	}
	return uint16(v)
}

// setACCL replaces the low slice of an accumulator lane.
func setACCL(a int64, l uint16) int64 { return a&^0xFFFF | int64(l) }

// cop2 executes a COP2 instruction: the moves between scalar and vector
// registers or a vector computation.
func (r *RSP) cop2(w uint32) {
	if w&(1<<25) != 0 {
		r.vector(w)
		return
	}
	rt := w >> 16 & 31
	rd := w >> 11 & 31
	e := w >> 7 & 15
	switch w >> 21 & 31 {
	case 0x00: // MFC2: the halfword at byte e (wrapping within the register)
		v := &r.vr[rd]
		hi := getByte(v, e)
		lo := getByte(v, (e+1)&15)
		r.gpr[rt] = uint32(int32(int16(uint16(hi)<<8 | uint16(lo))))
	case 0x04: // MTC2: at byte 15 only the high byte is written
		v := &r.vr[rd]
		x := r.gpr[rt]
		setByte(v, e, byte(x>>8))
		if e != 15 {
			setByte(v, e+1, byte(x))
		}
	case 0x02: // CFC2: VCO, VCC sign-extended from 16 bits; VCE 8 bits
		var x uint32
		switch rd & 3 {
		case 0:
			x = uint32(int32(int16(uint16(r.vcoNE)<<8 | uint16(r.vcoC))))
		case 1:
			x = uint32(int32(int16(uint16(r.vccCL)<<8 | uint16(r.vccLT))))
		default:
			x = uint32(r.vce)
		}
		r.gpr[rt] = x
	case 0x06: // CTC2
		x := r.gpr[rt]
		switch rd & 3 {
		case 0:
			r.vcoC, r.vcoNE = uint8(x), uint8(x>>8)
		case 1:
			r.vccLT, r.vccCL = uint8(x), uint8(x>>8)
		default:
			r.vce = uint8(x)
		}
	}
}

// getByte and setByte access byte i (0-15, memory order) of a register.
func getByte(v *[8]uint16, i uint32) byte {
	h := v[i>>1&7]
	if i&1 == 0 {
		return byte(h >> 8)
	}
	return byte(h)
}

func setByte(v *[8]uint16, i uint32, b byte) {
	p := &v[i>>1&7]
	if i&1 == 0 {
		*p = *p&0x00FF | uint16(b)<<8
	} else {
		*p = *p&0xFF00 | uint16(b)
	}
}

// vector executes a COP2 computational instruction: vd = op(vs, vt<e>).
func (r *RSP) vector(w uint32) {
	e := w >> 21 & 15
	vt := w >> 16 & 31
	vs := w >> 11 & 31
	vd := w >> 6 & 31
	op := w & 0x3F

	var t [8]uint16 // vt with the element selector applied
	if e < 2 {
		t = r.vr[vt]
	} else {
		sel := &selTable[e]
		src := &r.vr[vt]
		for i := range 8 {
			t[i] = src[sel[i]&7]
		}
	}
	s := r.vr[vs]
	acc := &r.acc
	// s and t are copies, so results can go straight into vd even when
	// it is also a source.
	d := &r.vr[vd]

	switch op {
	case vMULF:
		for i := range 8 {
			a := int64(int16(s[i]))*int64(int16(t[i]))*2 + 0x8000
			acc[i] = a
			d[i] = clampS(a)
		}
	case vMULU:
		for i := range 8 {
			a := int64(int16(s[i]))*int64(int16(t[i]))*2 + 0x8000
			acc[i] = a
			d[i] = clampU(a)
		}
	case vMACF:
		for i := range 8 {
			a := sext48(acc[i] + int64(int16(s[i]))*int64(int16(t[i]))*2)
			acc[i] = a
			d[i] = clampS(a)
		}
	case vMACU:
		for i := range 8 {
			a := sext48(acc[i] + int64(int16(s[i]))*int64(int16(t[i]))*2)
			acc[i] = a
			d[i] = clampU(a)
		}
	case vRNDP, vRNDN:
		// The vs field is not a register: its bit 0 selects whether vt is
		// added at bit 16 or bit 0; VRNDP adds when the accumulator is
		// not negative, VRNDN when it is negative.
		for i := range 8 {
			p := int64(int16(t[i]))
			if vs&1 != 0 {
				p <<= 16
			}
			a := acc[i]
			if (op == vRNDP) == (a >= 0) {
				a = sext48(a + p)
			}
			acc[i] = a
			d[i] = clampS(a)
		}
	case vMULQ:
		for i := range 8 {
			p := int32(int16(s[i])) * int32(int16(t[i]))
			if p < 0 {
				p += 31 // round towards zero for the later >>5
			}
			acc[i] = int64(p) << 16
			d[i] = clamp16(p>>1) &^ 15
		}
	case vMACQ:
		// vs and vt are not read: the accumulator is rounded towards
		// zero by 32 unless its bit 21 (bit 5 of ACCH:ACCM) is set.
		for i := range 8 {
			p := int32(acc[i] >> 16)
			if p < 0 && p&32 == 0 {
				p += 32
			} else if p >= 32 && p&32 == 0 {
				p -= 32
			}
			acc[i] = int64(p)<<16 | acc[i]&0xFFFF
			d[i] = clamp16(p>>1) &^ 15
		}
	case vMUDL:
		for i := range 8 {
			a := int64(uint32(s[i]) * uint32(t[i]) >> 16)
			acc[i] = a
			d[i] = uint16(a)
		}
	case vMUDM:
		for i := range 8 {
			a := int64(int32(int16(s[i])) * int32(t[i]))
			acc[i] = a
			d[i] = clampS(a)
		}
	case vMUDN:
		for i := range 8 {
			a := int64(int32(s[i]) * int32(int16(t[i])))
			acc[i] = a
			d[i] = uint16(a)
		}
	case vMUDH:
		for i := range 8 {
			a := int64(int32(int16(s[i]))*int32(int16(t[i]))) << 16
			acc[i] = a
			d[i] = clampS(a)
		}
	case vMADL:
		for i := range 8 {
			a := sext48(acc[i] + int64(uint32(s[i])*uint32(t[i])>>16))
			acc[i] = a
			d[i] = clampL(a)
		}
	case vMADM:
		for i := range 8 {
			a := sext48(acc[i] + int64(int32(int16(s[i]))*int32(t[i])))
			acc[i] = a
			d[i] = clampS(a)
		}
	case vMADN:
		for i := range 8 {
			a := sext48(acc[i] + int64(int32(s[i])*int32(int16(t[i]))))
			acc[i] = a
			d[i] = clampL(a)
		}
	case vMADH:
		for i := range 8 {
			a := sext48(acc[i] + int64(int32(int16(s[i]))*int32(int16(t[i])))<<16)
			acc[i] = a
			d[i] = clampS(a)
		}
	case vADD:
		c := r.vcoC
		for i := range 8 {
			v := int32(int16(s[i])) + int32(int16(t[i])) + int32(c>>i&1)
			acc[i] = setACCL(acc[i], uint16(v))
			d[i] = clamp16(v)
		}
		r.vcoC, r.vcoNE = 0, 0
	case vSUB:
		c := r.vcoC
		for i := range 8 {
			v := int32(int16(s[i])) - int32(int16(t[i])) - int32(c>>i&1)
			acc[i] = setACCL(acc[i], uint16(v))
			d[i] = clamp16(v)
		}
		r.vcoC, r.vcoNE = 0, 0
	case vABS:
		for i := range 8 {
			x := int16(s[i])
			var v uint16
			switch {
			case x < 0:
				v = -t[i]
			case x > 0:
				v = t[i]
			}
			acc[i] = setACCL(acc[i], v)
			if x < 0 && t[i] == 0x8000 {
				v = 0x7FFF // -(-32768) saturates in vd, not in ACCL
			}
			d[i] = v
		}
	case vADDC:
		var c uint8
		for i := range 8 {
			v := uint32(s[i]) + uint32(t[i])
			acc[i] = setACCL(acc[i], uint16(v))
			d[i] = uint16(v)
			c |= uint8(v>>16) << i
		}
		r.vcoC, r.vcoNE = c, 0
	case vSUBC:
		var c, ne uint8
		for i := range 8 {
			v := int32(s[i]) - int32(t[i])
			acc[i] = setACCL(acc[i], uint16(v))
			d[i] = uint16(v)
			if v < 0 {
				c |= 1 << i
			}
			if v != 0 {
				ne |= 1 << i
			}
		}
		r.vcoC, r.vcoNE = c, ne
	case vSAR:
		// Reads a slice of the accumulator: e = 8 high, 9 middle, 10
		// low; other selectors read 0. The accumulator is unchanged.
		if e >= 8 && e <= 10 {
			shift := 32 - 16*(e-8)
			for i := range 8 {
				d[i] = uint16(acc[i] >> shift)
			}
		} else {
			*d = [8]uint16{}
		}
	case vLT, vEQ, vNE, vGE:
		var cc uint8
		for i := range 8 {
			a, b := int16(s[i]), int16(t[i])
			var f bool
			eq := r.vcoC>>i&r.vcoNE>>i&1 != 0 // equal counts as less for VLT after VSUBC
			switch op {
			case vLT:
				f = a < b || a == b && eq
			case vEQ:
				f = a == b && r.vcoNE>>i&1 == 0
			case vNE:
				f = a != b || r.vcoNE>>i&1 != 0
			case vGE:
				f = a > b || a == b && !eq
			}
			v := t[i]
			if f {
				v = s[i]
				cc |= 1 << i
			}
			acc[i] = setACCL(acc[i], v)
			d[i] = v
		}
		r.vccLT, r.vccCL = cc, 0
		r.vcoC, r.vcoNE = 0, 0
	case vCL:
		r.vcl(&s, &t, d)
	case vCH:
		r.vch(&s, &t, d)
	case vCR:
		r.vcr(&s, &t, d)
	case vMRG:
		for i := range 8 {
			v := t[i]
			if r.vccLT>>i&1 != 0 {
				v = s[i]
			}
			acc[i] = setACCL(acc[i], v)
			d[i] = v
		}
		r.vcoC, r.vcoNE = 0, 0
	case vAND:
		for i := range 8 {
			d[i] = s[i] & t[i]
		}
		r.logicACCL(d)
	case vNAND:
		for i := range 8 {
			d[i] = ^(s[i] & t[i])
		}
		r.logicACCL(d)
	case vOR:
		for i := range 8 {
			d[i] = s[i] | t[i]
		}
		r.logicACCL(d)
	case vNOR:
		for i := range 8 {
			d[i] = ^(s[i] | t[i])
		}
		r.logicACCL(d)
	case vXOR:
		for i := range 8 {
			d[i] = s[i] ^ t[i]
		}
		r.logicACCL(d)
	case vNXOR:
		for i := range 8 {
			d[i] = ^(s[i] ^ t[i])
		}
		r.logicACCL(d)
	case vRCP, vRCPL, vRCPH, vMOV, vRSQ, vRSQL, vRSQH:
		// Single-lane operations: the vs field is the destination
		// element; vd gets one lane; ACCL gets vt<e> in every lane.
		r.single(op, t, vs&7, e, vt, vd)
		return
	case vNOP:
		return
	case vNULL:
		// VNULL (0x3F) leaves vd but clears ACCL (krom
		// RSPTest/CP2/RESERVED/V073, its V077 rows: ACCL 0 after a VZERO
		// left it non-zero).
		for i := range 8 {
			acc[i] = setACCL(acc[i], 0)
		}
		return
	default:
		// Reserved encodings (VSUT, VADDB, VSUBB, VACCB, VSUCB, VSAD,
		// VSAC, VSUM, 0x1E, 0x1F, 0x2E, 0x2F, VEXTT, VEXTQ, VEXTN, 0x3B,
		// VINST, VINSQ, VINSN): ACCL = vs + vt<e>, vd = 0 (krom
		// RSPTest/CP2/RESERVED; ares VZERO; n64-systemtest run_vzero).
		if op&0x1C == 0x1C {
			// VSUM, 0x1E, 0x1F, VINST, VINSQ, VINSN (funct x111xx; VSAR
			// and VNULL are above) do not wait for vector loads in
			// flight: after "LQV v0; LQV v1" at the start of an RSP
			// run, krom's captures (VSAC, VACC, VEXTT, VEXTQ, VEXTN
			// ROMs) show ACCL = the sum of v0 and v1 as they were
			// before both loads, and n64-systemtest needs three NOPs
			// between its loads and VSUM/V30/V31. (Its VINST/VINSQ/
			// VINSN tests, loads mid-program with no NOPs, expect the
			// loaded values; this follows krom's captures.)
			s, t = r.unwaited(vs, vt, e)
		}
		for i := range 8 {
			acc[i] = setACCL(acc[i], s[i]+t[i])
		}
		*d = [8]uint16{}
	}
}

// loadLatency is how many instructions after a vector load its register
// write stays invisible to a read that does not wait for it: n64-systemtest
// (op_vector_arithmetic.rs V30) fails with fewer than three NOPs between
// the loads and the instruction; ares stalls a vector read for up to three
// cycles after a write (rsp.hpp readVR).
const loadLatency = 3

// vloadRec is a vector load's write: the register, its contents before
// the load, and the RSP clock from which the load is visible to reads
// that do not wait (0: an empty entry, always visible).
type vloadRec struct {
	reg     uint8
	old     [8]uint16
	visible uint64
}

// noteLoad records that the instruction now running loads into register
// vt.
func (r *RSP) noteLoad(vt uint32) {
	l := &r.loads[r.nLoads%loadLatency]
	r.nLoads = (r.nLoads + 1) % loadLatency
	l.reg = uint8(vt)
	l.old = r.vr[vt]
	l.visible = r.clock + loadLatency + 1
}

// unwaited returns vs and vt<e> as read without waiting for vector loads
// still in flight: a register written by one of the last loadLatency
// instructions reads as it was before the oldest such load.
func (r *RSP) unwaited(vs, vt, e uint32) (s, t [8]uint16) {
	s, tv := r.vr[vs], r.vr[vt]
	for k := range uint8(loadLatency) {
		l := &r.loads[(r.nLoads+loadLatency-1-k)%loadLatency] // newest first
		if r.clock >= l.visible {
			break
		}
		if uint32(l.reg) == vs {
			s = l.old
		}
		if uint32(l.reg) == vt {
			tv = l.old
		}
	}
	sel := &selTable[e]
	for i := range 8 {
		t[i] = tv[sel[i]&7]
	}
	return s, t
}

// logicACCL sets ACCL to the result of a logical operation.
func (r *RSP) logicACCL(d *[8]uint16) {
	for i := range 8 {
		r.acc[i] = setACCL(r.acc[i], d[i])
	}
}

// vcl is VCL, the low half of a double-precision clip: it uses the flags
// VCH (or VSUBC/VADDC) left and updates VCC.
func (r *RSP) vcl(s, t, d *[8]uint16) {
	acc := &r.acc
	lt, cl := r.vccLT, r.vccCL
	for i := range 8 {
		bit := uint8(1) << i
		var v uint16
		if r.vcoC&bit != 0 {
			if r.vcoNE&bit == 0 {
				sum := uint32(s[i]) + uint32(t[i])
				zero := uint16(sum) == 0
				carry := sum > 0xFFFF
				var f bool
				if r.vce&bit != 0 {
					f = zero || !carry
				} else {
					f = zero && !carry
				}
				lt = lt&^bit | b2u8(f)<<i
			}
			v = s[i]
			if lt&bit != 0 {
				v = -t[i]
			}
		} else {
			if r.vcoNE&bit == 0 {
				f := int32(s[i])-int32(t[i]) >= 0
				cl = cl&^bit | b2u8(f)<<i
			}
			v = s[i]
			if cl&bit != 0 {
				v = t[i]
			}
		}
		acc[i] = setACCL(acc[i], v)
		d[i] = v
	}
	r.vccLT, r.vccCL = lt, cl
	r.vcoC, r.vcoNE, r.vce = 0, 0, 0
}

// vch is VCH, the high half of a clip (or a single-precision clip).
func (r *RSP) vch(s, t, d *[8]uint16) {
	acc := &r.acc
	var lt, cl, c, ne, ce uint8
	for i := range 8 {
		a, b := int16(s[i]), int16(t[i])
		var v uint16
		if a^b < 0 {
			sum := int32(a) + int32(b)
			if sum <= 0 {
				lt |= 1 << i
				v = uint16(-b)
			} else {
				v = s[i]
			}
			if b < 0 {
				cl |= 1 << i
			}
			c |= 1 << i
			if sum != 0 && s[i] != t[i]^0xFFFF {
				ne |= 1 << i
			}
			if sum == -1 {
				ce |= 1 << i
			}
		} else {
			diff := int32(a) - int32(b)
			if b < 0 {
				lt |= 1 << i
			}
			if diff >= 0 {
				cl |= 1 << i
				v = t[i]
			} else {
				v = s[i]
			}
			if diff != 0 && s[i] != t[i]^0xFFFF {
				ne |= 1 << i
			}
		}
		acc[i] = setACCL(acc[i], v)
		d[i] = v
	}
	r.vccLT, r.vccCL = lt, cl
	r.vcoC, r.vcoNE, r.vce = c, ne, ce
}

// vcr is VCR, a single-precision clip in one's complement.
func (r *RSP) vcr(s, t, d *[8]uint16) {
	acc := &r.acc
	var lt, cl uint8
	for i := range 8 {
		a, b := int16(s[i]), int16(t[i])
		var v uint16
		if a^b < 0 {
			if b < 0 {
				cl |= 1 << i
			}
			if int32(a)+int32(b)+1 <= 0 {
				lt |= 1 << i
				v = ^t[i]
			} else {
				v = s[i]
			}
		} else {
			if b < 0 {
				lt |= 1 << i
			}
			if int32(a)-int32(b) >= 0 {
				cl |= 1 << i
				v = t[i]
			} else {
				v = s[i]
			}
		}
		acc[i] = setACCL(acc[i], v)
		d[i] = v
	}
	r.vccLT, r.vccCL = lt, cl
	r.vcoC, r.vcoNE, r.vce = 0, 0, 0
}

func b2u8(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
