package cpu

import (
	"math"
	"math/bits"
)

// The FPU's arithmetic, computed in integers (DESIGN.md §7): every result,
// rounding and flag is a function of the operand bits and the rounding mode
// alone, so neither the host FPU's state nor its architecture (x87, SSE,
// NEON, fused multiply-add) can change it. Operations work on an unpacked
// form whose 64-bit significand holds the exact result's leading bits plus
// a sticky bit for the rest, and end in one rounding step, roundPack.
//
// The VR4300 never produces a denormalized number (manual ch. 7: it raises
// the unimplemented-operation exception, or flushes with FCR31.FS), so
// roundPack rounds at full precision with an unbounded exponent and only
// reports a result below the normal range as tiny; fpu.go decides what
// becomes of it.

// Rounding modes, FCR31.RM (manual ch. 7).
const (
	rmNearest = 0 // RN: to nearest, ties to even
	rmZero    = 1 // RZ: toward zero
	rmPlus    = 2 // RP: toward +infinity
	rmMinus   = 3 // RM: toward -infinity
)

// IEEE exception bits in the order of FCR31's Flag, Enable and Cause
// fields (manual ch. 7): Cause = bits << 12, Enable = bits << 7,
// Flag = bits << 2. fpE (unimplemented operation) exists only as a cause.
const (
	fpI = 1 << 0 // inexact
	fpU = 1 << 1 // underflow; from the arithmetic: the result is tiny
	fpO = 1 << 2 // overflow
	fpZ = 1 << 3 // division by zero
	fpV = 1 << 4 // invalid operation
	fpE = 1 << 5 // unimplemented operation
)

// fpFormat describes an IEEE binary format: single (S) or double (D).
type fpFormat struct {
	frac   uint   // fraction bits: 23 or 52
	expMax uint64 // the all-ones biased exponent: 0xFF or 0x7FF
	bias   int    // 127 or 1023
	sign   uint64 // the sign bit
	nan    uint64 // the VR4300's default NaN (manual ch. 7, n64-systemtest)
}

var (
	fmtS = fpFormat{frac: 23, expMax: 0xFF, bias: 127, sign: 1 << 31, nan: 0x7FBF_FFFF}
	fmtD = fpFormat{frac: 52, expMax: 0x7FF, bias: 1023, sign: 1 << 63, nan: 0x7FF7_FFFF_FFFF_FFFF}
)

// Operand classes.
const (
	clsZero   = iota
	clsNormal // including numbers the caller must treat as denormalized: see clsDenorm
	clsDenorm
	clsInf
	clsSNaN // signalling NaN: fraction MSB set (MIPS encoding)
	clsQNaN // quiet NaN: fraction MSB clear
)

// class classifies x. The VR4300 uses the MIPS NaN encoding: a NaN whose
// fraction MSB is 1 is signalling, 0 quiet — the default NaN 0x7FBFFFFF is
// quiet (manual ch. 7).
func (f *fpFormat) class(x uint64) int {
	e := x >> f.frac & f.expMax
	m := x & (1<<f.frac - 1)
	switch {
	case e == 0 && m == 0:
		return clsZero
	case e == 0:
		return clsDenorm
	case e != f.expMax:
		return clsNormal
	case m == 0:
		return clsInf
	case m>>(f.frac-1) != 0:
		return clsSNaN
	}
	return clsQNaN
}

// unpack returns a finite nonzero x as sign (0 or 1), exponent and
// significand, x = (-1)^sign × sig × 2^(exp-63) with sig's MSB at bit 63.
// Denormalized numbers are normalized.
func (f *fpFormat) unpack(x uint64) (sign uint64, exp int, sig uint64) {
	sign = f.signOf(x)
	e := int(x >> f.frac & f.expMax)
	m := x & (1<<f.frac - 1)
	if e == 0 { // denormalized: exponent 1-bias without the hidden bit
		lz := bits.LeadingZeros64(m)
		return sign, 1 - f.bias - (lz - int(63-f.frac)), m << lz
	}
	return sign, e - f.bias, (m | 1<<f.frac) << (63 - f.frac)
}

// signOf is x's sign as 0 or 1.
func (f *fpFormat) signOf(x uint64) uint64 {
	if x&f.sign != 0 {
		return 1
	}
	return 0
}

// inf and zero are the signed infinity and zero.
func (f *fpFormat) inf(sign uint64) uint64  { return sign*f.sign | f.expMax<<f.frac }
func (f *fpFormat) zero(sign uint64) uint64 { return sign * f.sign }

// maxFinite is the largest finite magnitude with the given sign.
func (f *fpFormat) maxFinite(sign uint64) uint64 {
	return sign*f.sign | (f.expMax-1)<<f.frac | (1<<f.frac - 1)
}

// minNormal is the smallest normal magnitude with the given sign.
func (f *fpFormat) minNormal(sign uint64) uint64 { return sign*f.sign | 1<<f.frac }

// roundPack rounds (-1)^sign × sig × 2^(exp-63) (sig normalized, MSB at
// bit 63; sticky: nonzero bits below sig) to f's precision in mode rm, as
// IEEE 754 prescribes, and packs it. Flags: I when inexact; O|I on
// overflow, the result then being infinity or the largest finite number
// as the mode directs; U when the rounded result (with an unbounded
// exponent: IEEE's "tininess after rounding") is below the normal range,
// the result then being a signed zero the caller replaces.
func (f *fpFormat) roundPack(sign uint64, exp int, sig uint64, sticky bool, rm uint32) (uint64, uint32) {
	shift := 63 - f.frac // bits below the result's last place
	rest := sig & (1<<shift - 1)
	keep := sig >> shift
	half := uint64(1) << (shift - 1)
	inexact := rest != 0 || sticky
	var up bool
	switch rm {
	case rmNearest:
		up = rest > half || rest == half && (sticky || keep&1 != 0)
	case rmPlus:
		up = inexact && sign == 0
	case rmMinus:
		up = inexact && sign != 0
	}
	if up {
		keep++
		if keep == 1<<(f.frac+1) { // carried into a new leading bit
			keep >>= 1
			exp++
		}
	}
	var flags uint32
	if inexact {
		flags = fpI
	}
	switch {
	case exp > f.bias: // overflow (manual ch. 7; IEEE 754 §7.4)
		if rm == rmNearest || rm == rmPlus && sign == 0 || rm == rmMinus && sign != 0 {
			return f.inf(sign), fpO | fpI
		}
		return f.maxFinite(sign), fpO | fpI
	case exp < 1-f.bias:
		return f.zero(sign), flags | fpU
	}
	return sign*f.sign | uint64(exp+f.bias)<<f.frac | keep&(1<<f.frac-1), flags
}

// shiftRightJam shifts x right by n, ORing any bit shifted out into bit 0
// so the result stays inexact (and odd) when x was not a multiple of 2^n.
func shiftRightJam(x uint64, n int) uint64 {
	switch {
	case n == 0:
		return x
	case n >= 64:
		if x != 0 {
			return 1
		}
		return 0
	case x<<(64-n) != 0:
		return x>>n | 1
	}
	return x >> n
}

// fpAdd returns a + b (or a - b with sub) in format f, rounded by rm, and
// the exception flags (manual ch. 17 ADD.fmt, SUB.fmt). NaN operands give
// the default NaN, V for a signalling one; the caller deals with what the
// VR4300 does not implement (quiet NaNs, denormalized operands).
func fpAdd(f *fpFormat, a, b uint64, sub bool, rm uint32) (uint64, uint32) {
	if sub {
		b ^= f.sign
	}
	ca, cb := f.class(a), f.class(b)
	if r, fl, done := nanOperands(f, ca, cb); done {
		return r, fl
	}
	switch {
	case ca == clsInf && cb == clsInf:
		if (a^b)&f.sign != 0 { // inf - inf
			return f.nan, fpV
		}
		return a, 0
	case ca == clsInf:
		return a, 0
	case cb == clsInf:
		return b, 0
	case ca == clsZero && cb == clsZero:
		// Exact zero sum: -0 only from two -0s, or under RM (IEEE 754 §6.3).
		if a == b || rm == rmMinus {
			return a | b, 0
		}
		return 0, 0
	case ca == clsZero:
		return b, 0
	case cb == clsZero:
		return a, 0
	}
	sa, ea, ma := f.unpack(a)
	sb, eb, mb := f.unpack(b)
	if ea < eb || ea == eb && ma < mb { // make |a| >= |b|
		sa, ea, ma, sb, eb, mb = sb, eb, mb, sa, ea, ma
	}
	// One bit of headroom for the carry: values are m × 2^(e-62) now.
	ma >>= 1
	mb = shiftRightJam(mb>>1, ea-eb)
	var s uint64
	if sa == sb {
		s = ma + mb
	} else {
		s = ma - mb
		if s == 0 { // exact cancellation: +0, or -0 under RM
			if rm == rmMinus {
				return f.sign, 0
			}
			return 0, 0
		}
	}
	lz := bits.LeadingZeros64(s)
	return f.roundPack(sa, ea+1-lz, s<<lz, false, rm)
}

// fpMul returns a × b (manual ch. 17 MUL.fmt).
func fpMul(f *fpFormat, a, b uint64, rm uint32) (uint64, uint32) {
	ca, cb := f.class(a), f.class(b)
	if r, fl, done := nanOperands(f, ca, cb); done {
		return r, fl
	}
	sign := f.signOf(a ^ b)
	switch {
	case ca == clsInf && cb == clsZero || ca == clsZero && cb == clsInf:
		return f.nan, fpV
	case ca == clsInf || cb == clsInf:
		return f.inf(sign), 0
	case ca == clsZero || cb == clsZero:
		return f.zero(sign), 0
	}
	_, ea, ma := f.unpack(a)
	_, eb, mb := f.unpack(b)
	hi, lo := bits.Mul64(ma, mb) // in [2^126, 2^128)
	exp := ea + eb
	if hi>>63 != 0 {
		exp++
	} else {
		hi = hi<<1 | lo>>63
		lo <<= 1
	}
	return f.roundPack(sign, exp, hi, lo != 0, rm)
}

// fpDiv returns a / b (manual ch. 17 DIV.fmt): Z for a finite nonzero a
// over zero, V for 0/0 and inf/inf.
func fpDiv(f *fpFormat, a, b uint64, rm uint32) (uint64, uint32) {
	ca, cb := f.class(a), f.class(b)
	if r, fl, done := nanOperands(f, ca, cb); done {
		return r, fl
	}
	sign := f.signOf(a ^ b)
	switch {
	case ca == clsInf && cb == clsInf, ca == clsZero && cb == clsZero:
		return f.nan, fpV
	case ca == clsInf:
		return f.inf(sign), 0
	case cb == clsInf:
		return f.zero(sign), 0
	case cb == clsZero:
		return f.inf(sign), fpZ
	case ca == clsZero:
		return f.zero(sign), 0
	}
	_, ea, ma := f.unpack(a)
	_, eb, mb := f.unpack(b)
	// q = ma × 2^63 / mb: ma/mb is in (1/2, 2), so q in (2^62, 2^64).
	q, r := bits.Div64(ma>>1, ma<<63, mb)
	exp := ea - eb
	if q>>63 == 0 {
		q <<= 1
		exp--
	}
	return f.roundPack(sign, exp, q, r != 0, rm)
}

// fpSqrt returns the square root of a (manual ch. 17 SQRT.fmt): -0 for
// -0, V for any other negative operand.
func fpSqrt(f *fpFormat, a uint64, rm uint32) (uint64, uint32) {
	ca := f.class(a)
	if r, fl, done := nanOperands(f, ca, clsNormal); done {
		return r, fl
	}
	switch {
	case ca == clsZero:
		return a, 0
	case a&f.sign != 0:
		return f.nan, fpV
	case ca == clsInf:
		return a, 0
	}
	_, e, m := f.unpack(a)
	// The radicand R = m × 2^(61 or 62), its exponent even, lies in
	// [2^124, 2^126); a = R × 2^(2E - 124) with E = floor(e/2), and
	// sqrt(a) = sqrt(R) × 2^(E-62) with sqrt(R) in [2^62, 2^63).
	var hi, lo uint64
	if e&1 == 0 {
		hi, lo = m>>3, m<<61
	} else {
		hi, lo = m>>2, m<<62
	}
	q, exact := isqrt128(hi, lo)
	return f.roundPack(0, e>>1, q<<1, !exact, rm)
}

// isqrt128 returns floor(sqrt(hi:lo)) for a radicand in [2^124, 2^126) and
// whether it is exact. A float64 estimate is refined by an integer Newton
// step and corrected with exact products, so the result does not depend on
// the estimate.
func isqrt128(hi, lo uint64) (uint64, bool) {
	est := uint64(math.Sqrt(float64(float64(hi)*0x1p64) + float64(lo)))
	if est < 1<<62 {
		est = 1 << 62
	} else if est >= 1<<63 {
		est = 1<<63 - 1
	}
	// Newton: (est + R/est) / 2; hi < 2^62 <= est keeps Div64 in range.
	d, _ := bits.Div64(hi, lo, est)
	s, carry := bits.Add64(est, d, 0)
	q := s>>1 | carry<<63
	for {
		ph, pl := bits.Mul64(q, q)
		if ph > hi || ph == hi && pl > lo {
			q--
			continue
		}
		break
	}
	for {
		ph, pl := bits.Mul64(q+1, q+1)
		if ph < hi || ph == hi && pl <= lo {
			q++
			continue
		}
		break
	}
	ph, pl := bits.Mul64(q, q)
	return q, ph == hi && pl == lo
}

// nanOperands handles NaN operands of an arithmetic operation: the result
// is the default NaN, with V when one is signalling.
func nanOperands(f *fpFormat, ca, cb int) (uint64, uint32, bool) {
	switch {
	case ca == clsSNaN || cb == clsSNaN:
		return f.nan, fpV, true
	case ca == clsQNaN || cb == clsQNaN:
		return f.nan, 0, true
	}
	return 0, 0, false
}

// fpConvert converts a from format src to format dst (manual ch. 17
// CVT.S.fmt, CVT.D.fmt): S to D is exact, D to S rounds.
func fpConvert(dst, src *fpFormat, a uint64, rm uint32) (uint64, uint32) {
	ca := src.class(a)
	if r, fl, done := nanOperands(dst, ca, clsNormal); done {
		return r, fl
	}
	sign := src.signOf(a)
	switch ca {
	case clsZero:
		return dst.zero(sign), 0
	case clsInf:
		return dst.inf(sign), 0
	}
	_, e, m := src.unpack(a)
	return dst.roundPack(sign, e, m, false, rm)
}

// fpFromInt converts the integer (-1)^neg × mag to format f (manual ch. 17
// CVT.S.W, CVT.S.L, CVT.D.W, CVT.D.L).
func fpFromInt(f *fpFormat, neg bool, mag uint64, rm uint32) (uint64, uint32) {
	if mag == 0 {
		return 0, 0
	}
	var sign uint64
	if neg {
		sign = 1
	}
	lz := bits.LeadingZeros64(mag)
	return f.roundPack(sign, 63-lz, mag<<lz, false, rm)
}

// fpToInt rounds the finite a of format f to an integer in mode rm
// (manual ch. 17 CVT.W.fmt … FLOOR.L.fmt): its sign, its magnitude, and
// whether it was inexact. ok is false when |a| >= 2^63.
func fpToInt(f *fpFormat, a uint64, rm uint32) (neg bool, mag uint64, inexact, ok bool) {
	if f.class(a) == clsZero {
		return false, 0, false, true
	}
	sign, e, m := f.unpack(a)
	neg = sign != 0
	if e >= 63 {
		return neg, 0, false, false
	}
	var ip, rest, half uint64
	var above, tie bool // the fraction is above, or exactly, one half
	if e >= 0 {
		shift := uint(63 - e)
		ip = m >> shift
		rest = m & (1<<shift - 1)
		half = 1 << (shift - 1)
		above, tie = rest > half, rest == half
	} else {
		rest = m     // nonzero: m has its MSB set
		if e == -1 { // a in [1/2, 1)
			above, tie = m > 1<<63, m == 1<<63
		}
	}
	inexact = rest != 0
	var up bool
	switch rm {
	case rmNearest:
		up = above || tie && ip&1 != 0
	case rmPlus:
		up = inexact && !neg
	case rmMinus:
		up = inexact && neg
	}
	if up {
		ip++
	}
	return neg, ip, inexact, true
}

// fpCompare orders a and b, finite or infinite numbers of format f (not
// NaNs): -1, 0 or +1. Zeros of either sign are equal.
func fpCompare(f *fpFormat, a, b uint64) int {
	ka, kb := orderKey(f, a), orderKey(f, b)
	switch {
	case ka < kb:
		return -1
	case ka > kb:
		return 1
	}
	return 0
}

// orderKey maps a non-NaN value to an integer with the same order: the
// magnitude bits, negated for negative values (so -0 and +0 both map to 0).
func orderKey(f *fpFormat, x uint64) int64 {
	mag := int64(x &^ f.sign)
	if x&f.sign != 0 {
		return -mag
	}
	return mag
}
