package cpu

// The FPU's computational instructions (manual ch. 7 and ch. 17): the
// arithmetic, conversions and compares of COP1 with fmt S, D, W or L, and
// how they meet FCR31 — rounding mode, Cause/Flag/Enable bits, FS, and the
// floating-point exception. Where the manual is silent or the chip departs
// from it, the behaviour is what n64-systemtest measured on hardware
// (src/tests/cop1), as ares models it:
//
//   - Every computational instruction but MOV.fmt first clears Cause.
//   - A quiet NaN (MIPS encoding: fraction MSB clear) or a denormalized
//     number as an arithmetic operand raises the unimplemented-operation
//     exception (Cause.E, which cannot be masked); a signalling NaN (MSB
//     set) gives V and, when V does not trap, the default NaN 0x7FBFFFFF /
//     0x7FF7FFFFFFFFFFFF. Compares accept denormalized numbers.
//   - A result below the normal range is never produced: with FS = 0, or
//     with the underflow or inexact exception enabled, it raises E; with
//     FS = 1 it becomes 0 or the smallest normal number as the rounding
//     mode directs, with U and I.
//   - Conversions to W or L raise E for NaN, infinity, denormalized
//     operands and out-of-range values (W: outside [-2^31, 2^31) or a
//     rounded result beyond int32; L: |x| >= 2^53); CVT.fmt.L takes only
//     integers in [-2^55, 2^55). Undefined fmt/function combinations
//     (CVT.S.S, ADD.W, …) raise E too.
//   - When an enabled exception traps, the destination and the Flag bits
//     of the trapping causes are left unchanged.
//   - Operands: with Status.FR = 0, fs names the even register of its pair
//     while ft and fd name the register as numbered; a single or word
//     result clears the destination's upper 32 bits (n64-systemtest "Upper
//     bits of 32 bit operation", "Comparisons in half mode with odd
//     register indices").

// FCR31 fields (manual ch. 7).
const (
	fcr31RM          = 3  // rounding mode (rmNearest …)
	fcr31FlagShift   = 2  // Flag: fpI … fpV << 2
	fcr31EnableShift = 7  // Enable: fpI … fpV << 7
	fcr31CauseShift  = 12 // Cause: fpI … fpE << 12
	fcr31Cause       = 0x3F << 12
	fcr31FS          = 1 << 24 // flush results below the normal range
)

// COP1 fmt field values of the computational instructions.
const (
	fmtFieldS = 16
	fmtFieldD = 17
	fmtFieldW = 20
	fmtFieldL = 21
)

// COP1 function codes (manual ch. 17, FPU opcode table).
const (
	fnADD    = 0x00
	fnSUB    = 0x01
	fnMUL    = 0x02
	fnDIV    = 0x03
	fnSQRT   = 0x04
	fnABS    = 0x05
	fnMOV    = 0x06
	fnNEG    = 0x07
	fnROUNDL = 0x08 // ROUND.L, TRUNC.L, CEIL.L, FLOOR.L: 0x08-0x0B
	fnROUNDW = 0x0C // ROUND.W, TRUNC.W, CEIL.W, FLOOR.W: 0x0C-0x0F
	fnCVTS   = 0x20
	fnCVTD   = 0x21
	fnCVTW   = 0x24
	fnCVTL   = 0x25
	fnC      = 0x30 // C.cond: 0x30-0x3F
)

// fpuOp executes a COP1 computational instruction (fmt 16-31); the caller
// has checked Status.CU1.
func (c *CPU) fpuOp(w uint32) {
	format := w >> 21 & 31
	funct := w & 0x3F
	fs := w >> 11 & 31
	fd := w >> 6 & 31
	if funct == fnMOV && (format == fmtFieldS || format == fmtFieldD) {
		// MOV.S and MOV.D copy the whole 64-bit register and leave Cause
		// alone (n64-systemtest "COP1: MOV.S", "Upper bits of 32 bit
		// operation").
		c.FPR[fd] = c.fpr64(fs)
		return
	}
	c.FCR31 &^= fcr31Cause
	switch format {
	case fmtFieldS:
		c.fpuFloat(&fmtS, w, uint64(uint32(c.fpr64(fs))), uint64(uint32(c.FPR[w>>16&31])))
	case fmtFieldD:
		c.fpuFloat(&fmtD, w, c.fpr64(fs), c.FPR[w>>16&31])
	case fmtFieldW:
		v := int32(uint32(c.fpr64(fs)))
		c.fpuFromInt(funct, fd, v < 0, uint64(abs64(int64(v))))
	case fmtFieldL:
		v := int64(c.fpr64(fs))
		// Only integers in [-2^55, 2^55) convert (n64-systemtest "COP1:
		// CVT.S.fmt", "COP1: CVT.D.fmt").
		if v >= 1<<55 || v < -1<<55 {
			c.fpuUnimplemented()
			return
		}
		c.fpuFromInt(funct, fd, v < 0, abs64(v))
	default:
		c.fpuUnimplemented()
	}
}

// abs64 is |v| as an unsigned magnitude.
func abs64(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// fpuFloat executes an instruction whose source format f is S or D, with
// operands a (fs) and b (ft) as raw bits.
func (c *CPU) fpuFloat(f *fpFormat, w uint32, a, b uint64) {
	funct := w & 0x3F
	fd := w >> 6 & 31
	rm := c.FCR31 & fcr31RM
	switch {
	case funct <= fnDIV:
		if !c.fpuCheckInputs(f, a, b) {
			return
		}
		var r uint64
		var fl uint32
		switch funct {
		case fnADD:
			r, fl = fpAdd(f, a, b, false, rm)
		case fnSUB:
			r, fl = fpAdd(f, a, b, true, rm)
		case fnMUL:
			r, fl = fpMul(f, a, b, rm)
		default:
			r, fl = fpDiv(f, a, b, rm)
		}
		c.fpuResult(f, fd, r, fl)
	case funct == fnSQRT || funct == fnABS || funct == fnNEG:
		if !c.fpuCheckInput(f, a) {
			return
		}
		var r uint64
		var fl uint32
		switch {
		case funct == fnSQRT:
			r, fl = fpSqrt(f, a, rm)
		case f.class(a) == clsSNaN:
			r, fl = f.nan, fpV
		case funct == fnABS:
			r = a &^ f.sign
		default:
			r = a ^ f.sign
		}
		c.fpuResult(f, fd, r, fl)
	case funct >= fnROUNDL && funct < fnROUNDW+4:
		// ROUND/TRUNC/CEIL/FLOOR: the low two function bits are the
		// rounding mode they apply (RN, RZ, RP, RM).
		c.fpuToInt(f, fd, a, funct&3, funct >= fnROUNDW)
	case funct == fnCVTW || funct == fnCVTL:
		c.fpuToInt(f, fd, a, rm, funct == fnCVTW)
	case funct == fnCVTS || funct == fnCVTD:
		dst := &fmtS
		if funct == fnCVTD {
			dst = &fmtD
		}
		if dst == f { // CVT.S.S, CVT.D.D (n64-systemtest)
			c.fpuUnimplemented()
			return
		}
		if !c.fpuCheckInput(f, a) {
			return
		}
		r, fl := fpConvert(dst, f, a, rm)
		c.fpuResult(dst, fd, r, fl)
	case funct >= fnC:
		c.fpuCompare(f, a, b, funct&15)
	default:
		c.fpuUnimplemented()
	}
}

// fpuCheckInputs vets the operands of ADD/SUB/MUL/DIV: a quiet NaN or a
// denormalized number raises E (signalling NaNs are the arithmetic's V).
func (c *CPU) fpuCheckInputs(f *fpFormat, a, b uint64) bool {
	ca, cb := f.class(a), f.class(b)
	if ca == clsQNaN || cb == clsQNaN || ca == clsDenorm || cb == clsDenorm {
		c.fpuUnimplemented()
		return false
	}
	return true
}

// fpuCheckInput vets the operand of SQRT, ABS, NEG and CVT.S/CVT.D.
func (c *CPU) fpuCheckInput(f *fpFormat, a uint64) bool {
	if cl := f.class(a); cl == clsQNaN || cl == clsDenorm {
		c.fpuUnimplemented()
		return false
	}
	return true
}

// fpuResult completes an operation whose result r (of format f) raised
// flags: a tiny result traps as unimplemented or flushes (FS), enabled
// causes trap, and otherwise fd is written.
func (c *CPU) fpuResult(f *fpFormat, fd uint32, r uint64, flags uint32) {
	if flags&fpU != 0 {
		if c.FCR31&fcr31FS == 0 || c.FCR31&((fpU|fpI)<<fcr31EnableShift) != 0 {
			c.fpuUnimplemented()
			return
		}
		r = flushTiny(f, f.signOf(r), c.FCR31&fcr31RM)
		flags = fpU | fpI
	}
	if !c.fpuRaise(flags) {
		return
	}
	if f == &fmtS {
		c.FPR[fd] = uint64(uint32(r))
	} else {
		c.FPR[fd] = r
	}
}

// flushTiny is what FS = 1 makes of a result below the normal range: zero,
// or the smallest normal number when the mode rounds away from zero
// (manual ch. 7 FS; n64-systemtest MUL.S, ADD.S with flush-denorm).
func flushTiny(f *fpFormat, sign uint64, rm uint32) uint64 {
	switch {
	case rm == rmPlus && sign == 0, rm == rmMinus && sign != 0:
		return f.minNormal(sign)
	}
	return f.zero(sign)
}

// fpuRaise records the IEEE exceptions flags of an operation in Cause and,
// for those not enabled, in Flag; if any is enabled it raises the
// floating-point exception and returns false (manual ch. 7; ares).
func (c *CPU) fpuRaise(flags uint32) bool {
	if flags == 0 {
		return true
	}
	c.FCR31 |= flags << fcr31CauseShift
	trap := flags & (c.FCR31 >> fcr31EnableShift) & 0x1F
	c.FCR31 |= (flags &^ trap) << fcr31FlagShift
	if trap != 0 {
		c.exception(ExcFPE)
		return false
	}
	return true
}

// fpuUnimplemented raises the floating-point exception with Cause.E, the
// unimplemented operation: it cannot be masked and leaves Flag alone.
func (c *CPU) fpuUnimplemented() {
	c.FCR31 |= fcr31CauseE
	c.exception(ExcFPE)
}

// fpuToInt converts a (format f) to a word or long integer in mode rm:
// CVT.W/L.fmt and ROUND/TRUNC/CEIL/FLOOR.W/L.fmt.
func (c *CPU) fpuToInt(f *fpFormat, fd uint32, a uint64, rm uint32, word bool) {
	if cl := f.class(a); cl != clsZero && cl != clsNormal {
		c.fpuUnimplemented() // NaN, infinity, denormalized (n64-systemtest ConvertToW/L)
		return
	}
	// The range the VR4300 converts (n64-systemtest, ares): W takes
	// [-2^31, 2^31) and the rounded result must fit; L takes |a| < 2^53.
	key := orderKey(f, a)
	var limit int64 = int64(uint64(53+f.bias) << f.frac)
	if word {
		limit = int64(uint64(31+f.bias) << f.frac)
	}
	if key >= limit || key < -limit || !word && key == -limit {
		c.fpuUnimplemented()
		return
	}
	neg, mag, inexact, _ := fpToInt(f, a, rm)
	if word && !neg && mag > 1<<31-1 {
		c.fpuUnimplemented()
		return
	}
	var fl uint32
	if inexact {
		fl = fpI
	}
	if !c.fpuRaise(fl) {
		return
	}
	v := int64(mag)
	if neg {
		v = -v
	}
	if word {
		c.FPR[fd] = uint64(uint32(v))
	} else {
		c.FPR[fd] = uint64(v)
	}
}

// fpuFromInt executes CVT.S.fmt and CVT.D.fmt for fmt W or L, the integer
// being (-1)^neg × mag; the other W/L functions are unimplemented.
func (c *CPU) fpuFromInt(funct, fd uint32, neg bool, mag uint64) {
	var f *fpFormat
	switch funct {
	case fnCVTS:
		f = &fmtS
	case fnCVTD:
		f = &fmtD
	default:
		c.fpuUnimplemented()
		return
	}
	r, fl := fpFromInt(f, neg, mag, c.FCR31&fcr31RM)
	c.fpuResult(f, fd, r, fl)
}

// fpuCompare executes C.cond.fmt (manual ch. 17 C.cond.fmt): cond bit 0
// is the result for unordered operands, bit 1 for equal, bit 2 for less
// than; bit 3 makes a quiet NaN invalid too. A signalling NaN is always
// invalid. An invalid compare that traps leaves C unchanged.
func (c *CPU) fpuCompare(f *fpFormat, a, b uint64, cond uint32) {
	ca, cb := f.class(a), f.class(b)
	var res bool
	if ca >= clsSNaN || cb >= clsSNaN {
		if cond&8 != 0 || ca == clsSNaN || cb == clsSNaN {
			if !c.fpuRaise(fpV) {
				return
			}
		}
		res = cond&1 != 0
	} else {
		ord := fpCompare(f, a, b)
		res = cond&4 != 0 && ord < 0 || cond&2 != 0 && ord == 0
	}
	if res {
		c.FCR31 |= FCR31C
	} else {
		c.FCR31 &^= FCR31C
	}
}
