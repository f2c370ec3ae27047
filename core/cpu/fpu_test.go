package cpu

import (
	"fmt"
	"testing"
)

// FCR31 bits as the tests spell them (manual ch. 7, FCR31): Flag, Enable,
// Cause for I, U, O, Z, V; Cause E; C; FS; RM in bits 1..0.
const (
	flI, flU, flO, flZ, flV      = 1 << 2, 1 << 3, 1 << 4, 1 << 5, 1 << 6
	enI, enU, enO, enZ, enV      = 1 << 7, 1 << 8, 1 << 9, 1 << 10, 1 << 11
	caI, caU, caO, caZ, caV, caE = 1 << 12, 1 << 13, 1 << 14, 1 << 15, 1 << 16, 1 << 17
	bitC, bitFS                  = 1 << 23, 1 << 24
	rmRN, rmRZ, rmRP, rmRM       = 0, 1, 2, 3
)

// Operand bit patterns.
const (
	sOne, sTwo, sThree = 0x3F80_0000, 0x4000_0000, 0x4040_0000
	sMax               = 0x7F7F_FFFF // largest finite single
	sMin               = 0x0080_0000 // smallest normal single
	sHalf              = 0x3F00_0000
	sInf               = 0x7F80_0000
	sSNaN              = 0x7FC0_0000 // fraction MSB set: signalling on MIPS
	sQNaN              = 0x7F80_0001 // fraction MSB clear: quiet on MIPS
	sDenorm            = 0x0000_0001
	sNaN               = 0x7FBF_FFFF // the VR4300's default NaN
	dOne               = 0x3FF0_0000_0000_0000
	dNaN               = 0x7FF7_FFFF_FFFF_FFFF
	dInf               = 0x7FF0_0000_0000_0000
	dMin               = 0x0010_0000_0000_0000
)

// canary is what FPU register i holds before a test that does not set it.
func canary(i int) uint64 { return 0xCAFE_0000_0000_0000 | uint64(i) }

// regs64 maps FPU register numbers to contents.
type regs64 map[int]uint64

// fpuTests run one instruction (src) with FCR31 = fcr and the registers of
// in set (Status.FR = 1 unless fr0), then check the registers of out and
// FCR31. trap: the instruction raised the floating-point exception (the
// destination then still holds its canary). Expected values were worked
// out by hand from the IEEE 754 definitions (exact value, then the rounding
// direction) and the cited hardware measurements; the rounding rows were
// cross-checked with exact rational arithmetic.
var fpuTests = []struct {
	name, cite string
	src        string
	fr0        bool
	fcr        uint32
	in, out    regs64
	fcrOut     uint32
	trap       bool
}{
	// Rounding modes through FCR31.RM.
	{"ADD.S RN tie to even", "IEEE 754 §4.3.1: 1+2^-24 is halfway between 1 and 1+2^-23",
		"add.s $f4, $f0, $f2", false, rmRN, regs64{0: sOne, 2: 0x3380_0000}, regs64{4: sOne}, rmRN | caI | flI, false},
	{"ADD.S RP", "IEEE 754 §4.3.2: toward +inf from 1+2^-24",
		"add.s $f4, $f0, $f2", false, rmRP, regs64{0: sOne, 2: 0x3380_0000}, regs64{4: 0x3F80_0001}, rmRP | caI | flI, false},
	{"ADD.S RM negative", "IEEE 754 §4.3.2: -1-2^-24 toward -inf",
		"add.s $f4, $f0, $f2", false, rmRM, regs64{0: 0xBF80_0000, 2: 0xB380_0000}, regs64{4: 0xBF80_0001}, rmRM | caI | flI, false},
	{"ADD.S RN above half", "IEEE 754: 1 + 0.75 ulp rounds up", "add.s $f4, $f0, $f2", false, rmRN,
		regs64{0: sOne, 2: 0x33C0_0000}, regs64{4: 0x3F80_0001}, rmRN | caI | flI, false},
	{"SUB.D RZ", "IEEE 754: 1-2^-54 toward zero is 1-2^-53", "sub.d $f4, $f0, $f2", false, rmRZ,
		regs64{0: dOne, 2: 0x3C90_0000_0000_0000}, regs64{4: 0x3FEF_FFFF_FFFF_FFFF}, rmRZ | caI | flI, false},
	{"MUL.S RP", "(1+2^-23)^2 = 1+2^-22+2^-46, up to 1+3×2^-23", "mul.s $f4, $f0, $f2", false, rmRP,
		regs64{0: 0x3F80_0001, 2: 0x3F80_0001}, regs64{4: 0x3F80_0003}, rmRP | caI | flI, false},
	{"MUL.D RN", "(1+2^-52)^2 = 1+2^-51+2^-104, to nearest 1+2^-51", "mul.d $f4, $f0, $f2", false, rmRN,
		regs64{0: dOne + 1, 2: dOne + 1}, regs64{4: dOne + 2}, rmRN | caI | flI, false},
	{"DIV.S RM -1/3", "-1/3 = -0.0101…b: toward -inf is the larger magnitude", "div.s $f4, $f0, $f2", false, rmRM,
		regs64{0: 0xBF80_0000, 2: sThree}, regs64{4: 0xBEAA_AAAB}, rmRM | caI | flI, false},
	{"DIV.S RZ 1/3", "1/3 toward zero", "div.s $f4, $f0, $f2", false, rmRZ,
		regs64{0: sOne, 2: sThree}, regs64{4: 0x3EAA_AAAA}, rmRZ | caI | flI, false},
	{"DIV.D RP 1/3", "1/3: the discarded third of an ulp rounds up under RP", "div.d $f4, $f0, $f2", false, rmRP,
		regs64{0: dOne, 2: 0x4008_0000_0000_0000}, regs64{4: 0x3FD5_5555_5555_5556}, rmRP | caI | flI, false},
	{"SQRT.S RP 2", "sqrt 2 = 1.41421356…, between 0x3FB504F3 and 0x3FB504F4", "sqrt.s $f4, $f0", false, rmRP,
		regs64{0: sTwo}, regs64{4: 0x3FB5_04F4}, rmRP | caI | flI, false},
	{"SQRT.D RN 2", "0x3FF6A09E667F3BCD is the nearest double to sqrt 2", "sqrt.d $f4, $f0", false, rmRN,
		regs64{0: 0x4000_0000_0000_0000}, regs64{4: 0x3FF6_A09E_667F_3BCD}, rmRN | caI | flI, false},
	{"SQRT.D RM 2", "sqrt 2 lies below 0x3FF6A09E667F3BCD", "sqrt.d $f4, $f0", false, rmRM,
		regs64{0: 0x4000_0000_0000_0000}, regs64{4: 0x3FF6_A09E_667F_3BCC}, rmRM | caI | flI, false},
	{"SQRT.S exact", "sqrt 4 = 2 exactly (n64-systemtest SQRT.S)", "sqrt.s $f4, $f0", false, rmRN,
		regs64{0: 0x4080_0000}, regs64{4: sTwo}, rmRN, false},

	// Cause and Flag bits.
	{"cause cleared", "n64-systemtest: every operation but MOV clears Cause", "add.s $f4, $f0, $f2", false,
		caO | caZ | flV, regs64{0: sOne, 2: sTwo}, regs64{4: sThree}, flV, false},
	{"flags accumulate", "manual ch. 7: Flag bits are sticky", "add.s $f4, $f0, $f2", false,
		flO, regs64{0: sOne, 2: 0x3380_0000}, regs64{4: sOne}, flO | flI | caI, false},
	{"MOV.S keeps Cause, copies 64 bits", "n64-systemtest MOV.S, Upper bits of 32 bit operation (full mode)",
		"mov.s $f4, $f0", false, caO | caZ, regs64{0: 0x0123_4567_C180_0000}, regs64{4: 0x0123_4567_C180_0000}, caO | caZ, false},
	{"MOV.S moves a NaN and a denormal untouched", "n64-systemtest MOV.S", "mov.s $f4, $f0", false, 0,
		regs64{0: sQNaN}, regs64{4: sQNaN}, 0, false},
	{"ADD.S clears the upper word (FR=1)", "n64-systemtest Upper bits of 32 bit operation (full mode)",
		"add.s $f4, $f0, $f2", false, 0, regs64{0: 0x1234_5678_0000_0000 | 0xC120_0000, 2: 0x1234_5678_0000_0000 | 0x4180_0000},
		regs64{4: 0x40C0_0000}, 0, false},
	{"MUL.S overflow", "n64-systemtest MUL.S: MAX×MAX = inf with O, I", "mul.s $f4, $f0, $f2", false, rmRN,
		regs64{0: sMax, 2: sMax}, regs64{4: sInf}, caO | caI | flO | flI, false},
	{"MUL.S overflow RZ", "IEEE 754 §7.4: RZ overflows to the largest finite", "mul.s $f4, $f0, $f2", false, rmRZ,
		regs64{0: sMax, 2: sMax}, regs64{4: sMax}, rmRZ | caO | caI | flO | flI, false},
	{"DIV.S by zero", "n64-systemtest DIV.S: 2/0 = inf with Z", "div.s $f4, $f0, $f2", false, 0,
		regs64{0: sTwo, 2: 0}, regs64{4: sInf}, caZ | flZ, false},
	{"DIV.S by -0", "n64-systemtest DIV.S: 2/-0 = -inf", "div.s $f4, $f0, $f2", false, 0,
		regs64{0: sTwo, 2: 0x8000_0000}, regs64{4: 0xFF80_0000}, caZ | flZ, false},
	{"DIV.S 0/0", "n64-systemtest DIV.S: invalid, default NaN 0x7FBFFFFF", "div.s $f4, $f0, $f2", false, 0,
		regs64{0: 0, 2: 0}, regs64{4: sNaN}, caV | flV, false},
	{"ADD.D inf-inf", "IEEE 754 §7.2; default NaN 0x7FF7FFFFFFFFFFFF (n64-systemtest)", "add.d $f4, $f0, $f2", false, 0,
		regs64{0: dInf, 2: dInf | 1<<63}, regs64{4: dNaN}, caV | flV, false},
	{"MUL.S inf×0", "n64-systemtest MUL.S", "mul.s $f4, $f0, $f2", false, 0,
		regs64{0: sInf, 2: 0x8000_0000}, regs64{4: sNaN}, caV | flV, false},
	{"MUL.S -0×0", "n64-systemtest MUL.S: -0", "mul.s $f4, $f0, $f2", false, 0,
		regs64{0: 0x8000_0000, 2: 0}, regs64{4: 0x8000_0000}, 0, false},
	{"ADD.S signalling NaN", "n64-systemtest ADD.S 2+NaN(0x7FC00000): V", "add.s $f4, $f0, $f2", false, 0,
		regs64{0: sTwo, 2: sSNaN}, regs64{4: sNaN}, caV | flV, false},
	{"ABS.S signalling NaN", "n64-systemtest ABS.S", "abs.s $f4, $f0", false, 0,
		regs64{0: 0xFFFF_FFFF}, regs64{4: sNaN}, caV | flV, false},
	{"SQRT.S -4", "n64-systemtest SQRT.S", "sqrt.s $f4, $f0", false, 0,
		regs64{0: 0xC080_0000}, regs64{4: sNaN}, caV | flV, false},
	{"SQRT.S -0", "n64-systemtest SQRT.S: sqrt(-0) = -0", "sqrt.s $f4, $f0", false, 0,
		regs64{0: 0x8000_0000}, regs64{4: 0x8000_0000}, 0, false},
	{"NEG.S 0", "manual ch. 17 NEG.fmt", "neg.s $f4, $f0", false, 0, regs64{0: 0}, regs64{4: 0x8000_0000}, 0, false},
	{"ABS.D -0", "n64-systemtest ABS.S", "abs.d $f4, $f0", false, 0, regs64{0: 1 << 63}, regs64{4: 0}, 0, false},

	// Unimplemented operation: Cause gets only E, Flag and fd stay.
	{"ADD.S quiet NaN", "n64-systemtest ADD.S NaN(0x7F800001): unimplemented", "add.s $f4, $f0, $f2", false,
		flI | caO, regs64{0: sTwo, 2: sQNaN}, regs64{4: canary(4)}, flI | caE, true},
	{"ADD.S denormal with FS", "n64-systemtest ADD.S: any subnormal input", "add.s $f4, $f0, $f2", false,
		bitFS, regs64{0: sDenorm, 2: 0}, regs64{4: canary(4)}, bitFS | caE, true},
	{"MUL.D denormal", "n64-systemtest MUL.D subnormal", "mul.d $f4, $f0, $f2", false,
		0, regs64{0: dOne, 2: 0x000F_FFFF_FFFF_FFFF}, regs64{4: canary(4)}, caE, true},
	{"ABS.S denormal", "n64-systemtest ABS.S subnormal", "abs.s $f4, $f0", false,
		0, regs64{0: 0x807F_FFFF}, regs64{4: canary(4)}, caE, true},
	{"SQRT.D quiet NaN", "n64-systemtest SQRT.D", "sqrt.d $f4, $f0", false,
		0, regs64{0: 0x7FF0_0000_0000_0001}, regs64{4: canary(4)}, caE, true},
	{"MUL.S tiny, FS=0", "n64-systemtest MUL.S: underflow without flush-denorm", "mul.s $f4, $f0, $f2", false,
		rmRN, regs64{0: sMin, 2: sHalf}, regs64{4: canary(4)}, caE, true},
	{"MUL.S tiny, FS=1 RN", "n64-systemtest MUL.S: flushed to 0 with U, I", "mul.s $f4, $f0, $f2", false,
		bitFS | rmRN, regs64{0: sMin, 2: sHalf}, regs64{4: 0}, bitFS | caU | caI | flU | flI, false},
	{"MUL.S tiny, FS=1 RP", "n64-systemtest MUL.S: RP flushes up to the smallest normal", "mul.s $f4, $f0, $f2", false,
		bitFS | rmRP, regs64{0: sMin, 2: sHalf}, regs64{4: sMin}, bitFS | rmRP | caU | caI | flU | flI, false},
	{"MUL.S tiny negative, FS=1 RP", "n64-systemtest MUL.S: -0", "mul.s $f4, $f0, $f2", false,
		bitFS | rmRP, regs64{0: 0x8000_0000 | sMin, 2: sHalf}, regs64{4: 0x8000_0000}, bitFS | rmRP | caU | caI | flU | flI, false},
	{"ADD.S exact tiny, FS=1 RM", "n64-systemtest ADD.S 1.5285104e-37 + -1.5391543e-37", "add.s $f4, $f0, $f2", false,
		bitFS | rmRM, regs64{0: 0x0250_0CD0, 2: 0x8251_7FB3}, regs64{4: 0x8080_0000}, bitFS | rmRM | caU | caI | flU | flI, false},
	{"MUL.S tiny, FS=1, U enabled", "n64-systemtest: underflow with U or I enabled is unimplemented", "mul.s $f4, $f0, $f2", false,
		bitFS | enU, regs64{0: sMin, 2: sHalf}, regs64{4: canary(4)}, bitFS | enU | caE, true},
	{"MUL.S tiny, FS=1, I enabled", "n64-systemtest", "mul.s $f4, $f0, $f2", false,
		bitFS | enI, regs64{0: sMin, 2: sHalf}, regs64{4: canary(4)}, bitFS | enI | caE, true},
	{"CVT.S.D tiny, FS=0", "n64-systemtest CVT.S.fmt: f64::MIN_POSITIVE", "cvt.s.d $f4, $f0", false,
		0, regs64{0: dMin}, regs64{4: canary(4)}, caE, true},
	{"CVT.S.D tiny, FS=1 RP", "n64-systemtest CVT.S.fmt", "cvt.s.d $f4, $f0", false,
		bitFS | rmRP, regs64{0: dMin}, regs64{4: sMin}, bitFS | rmRP | caU | caI | flU | flI, false},

	// Enabled exceptions trap, leaving fd and the trapping Flag bits.
	{"ADD.S inexact, I enabled", "manual ch. 7: an enabled cause raises FPE", "add.s $f4, $f0, $f2", false,
		enI, regs64{0: sOne, 2: 0x3380_0000}, regs64{4: canary(4)}, enI | caI, true},
	{"MUL.S overflow, O enabled", "manual ch. 7: a cause sets its Flag unless its Enable is set (I here), traps if set (O)", "mul.s $f4, $f0, $f2", false,
		enO, regs64{0: sMax, 2: sMax}, regs64{4: canary(4)}, enO | caO | caI | flI, true},
	{"DIV.S by zero, Z enabled", "n64-systemtest DIV.S", "div.s $f4, $f0, $f2", false,
		enZ, regs64{0: sTwo, 2: 0}, regs64{4: canary(4)}, enZ | caZ, true},
	{"DIV.D 0/0, V enabled", "n64-systemtest DIV.D", "div.d $f4, $f0, $f2", false,
		enV, regs64{0: 0, 2: 0}, regs64{4: canary(4)}, enV | caV, true},

	// Conversions to integers.
	{"CVT.W.S RN", "n64-systemtest ConvertToW: 4.5 → 4 (ties to even)", "cvt.w.s $f4, $f0", false, rmRN,
		regs64{0: 0x4090_0000}, regs64{4: 4}, caI | flI, false},
	{"CVT.W.S RP", "IEEE 754 §5.8: 2.5 toward +inf", "cvt.w.s $f4, $f0", false, rmRP,
		regs64{0: 0x4020_0000}, regs64{4: 3}, rmRP | caI | flI, false},
	{"ROUND.W.S ignores RM", "n64-systemtest ConvertToW: ROUND under RP/RM", "round.w.s $f4, $f0", false, rmRM,
		regs64{0: 0x4020_0000}, regs64{4: 2}, rmRM | caI | flI, false},
	{"TRUNC.W.S -2.5", "manual ch. 17 TRUNC.W.fmt", "trunc.w.s $f4, $f0", false, rmRP,
		regs64{0: 0xC020_0000}, regs64{4: 0xFFFF_FFFE}, rmRP | caI | flI, false},
	{"CEIL.W.S -2.5", "manual ch. 17 CEIL.W.fmt", "ceil.w.s $f4, $f0", false, rmRM,
		regs64{0: 0xC020_0000}, regs64{4: 0xFFFF_FFFE}, rmRM | caI | flI, false},
	{"FLOOR.W.S -2.5", "manual ch. 17 FLOOR.W.fmt", "floor.w.s $f4, $f0", false, rmRP,
		regs64{0: 0xC020_0000}, regs64{4: 0xFFFF_FFFD}, rmRP | caI | flI, false},
	{"FLOOR.L.D -2.5", "manual ch. 17 FLOOR.L.fmt", "floor.l.d $f4, $f0", false, 0,
		regs64{0: 0xC004_0000_0000_0000}, regs64{4: 0xFFFF_FFFF_FFFF_FFFD}, caI | flI, false},
	{"CVT.W.S small RP", "n64-systemtest ConvertToW: MIN_POSITIVE → 1 under RP", "cvt.w.s $f4, $f0", false, rmRP,
		regs64{0: sMin}, regs64{4: 1}, rmRP | caI | flI, false},
	{"CVT.W.S NaN", "n64-systemtest ConvertToW: NaN unimplemented", "cvt.w.s $f4, $f0", false, 0,
		regs64{0: sSNaN}, regs64{4: canary(4)}, caE, true},
	{"CVT.W.S inf", "n64-systemtest ConvertToW", "cvt.w.s $f4, $f0", false, 0,
		regs64{0: sInf}, regs64{4: canary(4)}, caE, true},
	{"CVT.W.S 2^31", "n64-systemtest ConvertToW: 2147483600f32", "cvt.w.s $f4, $f0", false, 0,
		regs64{0: 0x4F00_0000}, regs64{4: canary(4)}, caE, true},
	{"CVT.W.S -2^31", "n64-systemtest ConvertToW", "cvt.w.s $f4, $f0", false, 0,
		regs64{0: 0xCF00_0000}, regs64{4: 0x8000_0000}, 0, false},
	{"CVT.W.S denormal", "n64-systemtest ConvertToW", "cvt.w.s $f4, $f0", false, 0,
		regs64{0: sDenorm}, regs64{4: canary(4)}, caE, true},
	{"CVT.W.D 2147483647.4 RN", "n64-systemtest ConvertToW", "cvt.w.d $f4, $f0", false, rmRN,
		regs64{0: 0x41DF_FFFF_FFD9_999A}, regs64{4: 0x7FFF_FFFF}, caI | flI, false},
	{"CVT.W.D 2147483647.4 RP", "n64-systemtest ConvertToW: rounds out of range", "cvt.w.d $f4, $f0", false, rmRP,
		regs64{0: 0x41DF_FFFF_FFD9_999A}, regs64{4: canary(4)}, rmRP | caE, true},
	{"CVT.L.D 2^53-1", "n64-systemtest ConvertToL", "cvt.l.d $f4, $f0", false, 0,
		regs64{0: 0x433F_FFFF_FFFF_FFFF}, regs64{4: 1<<53 - 1}, 0, false},
	{"CVT.L.D 2^53", "n64-systemtest ConvertToL: 9007199254740992 unimplemented", "cvt.l.d $f4, $f0", false, 0,
		regs64{0: 0x4340_0000_0000_0000}, regs64{4: canary(4)}, caE, true},
	{"CVT.L.D -2^53", "n64-systemtest ConvertToL", "cvt.l.d $f4, $f0", false, 0,
		regs64{0: 0xC340_0000_0000_0000}, regs64{4: canary(4)}, caE, true},

	// Conversions between formats and from integers.
	{"CVT.S.W 2^24+1 RN", "IEEE 754: 16777217 is halfway, to even", "cvt.s.w $f4, $f0", false, rmRN,
		regs64{0: 1<<24 + 1}, regs64{4: 0x4B80_0000}, caI | flI, false},
	{"CVT.S.W 2^24+1 RP", "IEEE 754 §4.3.2", "cvt.s.w $f4, $f0", false, rmRP,
		regs64{0: 1<<24 + 1}, regs64{4: 0x4B80_0001}, rmRP | caI | flI, false},
	{"CVT.S.W -2^31", "n64-systemtest CVT.S.fmt: exact", "cvt.s.w $f4, $f0", false, 0,
		regs64{0: 0x8000_0000}, regs64{4: 0xCF00_0000}, 0, false},
	{"CVT.D.L 2^53+1 RN", "IEEE 754: halfway, to even", "cvt.d.l $f4, $f0", false, rmRN,
		regs64{0: 1<<53 + 1}, regs64{4: 0x4340_0000_0000_0000}, caI | flI, false},
	{"CVT.D.L 2^53+1 RP", "IEEE 754 §4.3.2", "cvt.d.l $f4, $f0", false, rmRP,
		regs64{0: 1<<53 + 1}, regs64{4: 0x4340_0000_0000_0001}, rmRP | caI | flI, false},
	{"CVT.D.L 2^55-1", "n64-systemtest CVT.D.fmt: rounds to 2^55", "cvt.d.l $f4, $f0", false, rmRN,
		regs64{0: 1<<55 - 1}, regs64{4: 0x4360_0000_0000_0000}, caI | flI, false},
	{"CVT.D.L -2^55", "n64-systemtest CVT.D.fmt", "cvt.d.l $f4, $f0", false, 0,
		regs64{0: 0xFF80_0000_0000_0000}, regs64{4: 0xC360_0000_0000_0000}, 0, false},
	{"CVT.D.L 2^55", "n64-systemtest CVT.D.fmt: unimplemented", "cvt.d.l $f4, $f0", false, 0,
		regs64{0: 1 << 55}, regs64{4: canary(4)}, caE, true},
	{"CVT.S.L -2^55-1", "n64-systemtest CVT.S.fmt: unimplemented", "cvt.s.l $f4, $f0", false, 0,
		regs64{0: 0xFF7F_FFFF_FFFF_FFFF}, regs64{4: canary(4)}, caE, true},
	{"CVT.S.D 0.1 RN", "0.1 = 1.1001…b×2^-4: the discarded bits exceed half", "cvt.s.d $f4, $f0", false, rmRN,
		regs64{0: 0x3FB9_9999_9999_999A}, regs64{4: 0x3DCC_CCCD}, caI | flI, false},
	{"CVT.S.D 0.1 RZ", "IEEE 754 §4.3.2", "cvt.s.d $f4, $f0", false, rmRZ,
		regs64{0: 0x3FB9_9999_9999_999A}, regs64{4: 0x3DCC_CCCC}, rmRZ | caI | flI, false},
	{"CVT.S.D just above MAX, RN", "n64-systemtest CVT.S.fmt: 3.40282348e+38", "cvt.s.d $f4, $f0", false, rmRN,
		regs64{0: 0x47EF_FFFF_E225_E4D1}, regs64{4: sMax}, caI | flI, false},
	{"CVT.S.D just above MAX, RP", "n64-systemtest CVT.S.fmt: overflows", "cvt.s.d $f4, $f0", false, rmRP,
		regs64{0: 0x47EF_FFFF_E225_E4D1}, regs64{4: sInf}, rmRP | caO | caI | flO | flI, false},
	{"CVT.D.S NaN", "n64-systemtest CVT.D.fmt: V, default double NaN", "cvt.d.s $f4, $f0", false, 0,
		regs64{0: sSNaN}, regs64{4: dNaN}, caV | flV, false},
	{"CVT.D.S MIN_POSITIVE", "n64-systemtest CVT.D.fmt: exact", "cvt.d.s $f4, $f0", false, 0,
		regs64{0: sMin}, regs64{4: 0x3810_0000_0000_0000}, 0, false},

	// Undefined combinations raise the unimplemented operation.
	{"CVT.S.S", "n64-systemtest CVT.S.fmt (cvt.s.s $f4, $f0)", ".word 0x46000120", false, caI, regs64{0: sOne}, regs64{4: canary(4)}, caE, true},
	{"CVT.D.D", "n64-systemtest CVT.D.fmt", ".word 0x46200121", false, 0, regs64{0: dOne}, regs64{4: canary(4)}, caE, true},
	{"CVT.W.W", "n64-systemtest ConvertToW", ".word 0x46800124", false, 0, regs64{0: 4}, regs64{4: canary(4)}, caE, true},
	{"ROUND.L.W", "n64-systemtest ConvertToL", ".word 0x46800108", false, 0, regs64{0: 4}, regs64{4: canary(4)}, caE, true},
	{"ADD.W", "ares: undefined W functions", ".word 0x46820100", false, 0, regs64{0: 4}, regs64{4: canary(4)}, caE, true},
	{"fmt 18", "ares: undefined fmt", ".word 0x46420100", false, 0, nil, regs64{4: canary(4)}, caE, true},
	{"DCFC1", "n64-systemtest COP1Usable (DCFC1)", ".word 0x44620000", false, caV | flI, nil, nil, flI | caE, true},
	{"BC1 with rt = 4", "ares", ".word 0x45040001", false, 0, nil, nil, caE, true},

	// Register views (n64-systemtest "Upper bits of 32 bit operation (half
	// mode)", "64 bit with odd indices (half mode)"): with FR = 0 an odd fs
	// reads its even register, ft and fd are used as numbered.
	{"FR=0 ADD.S odd fs", "n64-systemtest half mode: ADD.S $1, $29, $30 = -10+16", "add.s $f1, $f29, $f30", true, 0,
		regs64{28: 0x0123_4567_C120_0000, 29: 0x0123_4567_4120_0000, 30: 0x0123_4567_4180_0000},
		regs64{1: 0x40C0_0000, 0: canary(0)}, 0, false},
	{"FR=0 ADD.S odd ft", "n64-systemtest half mode: ADD.S $2, $28, $31 = -10-16", "add.s $f2, $f28, $f31", true, 0,
		regs64{28: 0x0123_4567_C120_0000, 30: 0x0123_4567_4180_0000, 31: 0x0123_4567_C180_0000},
		regs64{2: 0xC1D0_0000}, 0, false},
	{"FR=0 MOV.S odd fs", "n64-systemtest half mode: MOV.S $19, $31 copies register 30", "mov.s $f19, $f31", true, 0,
		regs64{30: 0x0123_4567_4180_0000, 31: 0x0123_4567_C180_0000}, regs64{19: 0x0123_4567_4180_0000}, 0, false},
	{"FR=0 ADD.D odd registers", "n64-systemtest 64 bit with odd indices: ADD.D $1, $29, $30", "add.d $f1, $f29, $f30", true, 0,
		regs64{28: 0xC024_0000_0000_0000, 29: 0x4024_0000_0000_0000, 30: 0x4030_0000_0000_0000},
		regs64{1: 0x4018_0000_0000_0000}, 0, false},
	{"FR=0 CVT.D.W odd fs", "n64-systemtest conversions ignore the lowest bit of fs", "cvt.d.w $f5, $f25", true, 0,
		regs64{24: 0x0000_0123_1122_3344, 25: 0x0000_0012_2122_3355}, regs64{5: 0x41B1_2233_4400_0000}, 0, false},
	{"FR=0 CVT.W.S odd fs", "n64-systemtest conversions (half mode)", "cvt.w.s $f7, $f31", true, 0,
		regs64{30: 0x0123_4567_4180_0000, 31: 0x0123_4567_C180_0000}, regs64{7: 16}, 0, false},
	{"FR=1 CVT.S.L", "n64-systemtest Upper bits (full mode): CVT.S.L $9, $24", "cvt.s.l $f9, $f24", false, 0,
		regs64{24: 0x0000_0123_1122_3344}, regs64{9: 0x5391_8891}, caI | flI, false},
}

func TestFPUInstructions(t *testing.T) {
	for _, tt := range fpuTests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCPU(t)
			if tt.fr0 {
				c.CP0[CP0Status] &^= StatusFR
			}
			for i := range c.FPR {
				c.FPR[i] = canary(i)
			}
			for r, v := range tt.in {
				c.FPR[r] = v
			}
			c.FCR31 = tt.fcr
			program(t, c, tt.src)
			step(t, c, 1)
			trapped := c.CP0[CP0Cause]>>2&31 == ExcFPE && c.PC == sext32(0x8000_0180)
			if trapped != tt.trap {
				t.Errorf("%s: FPE raised = %v, want %v (Cause %#x, PC %#x)", tt.cite, trapped, tt.trap, c.CP0[CP0Cause], c.PC)
			}
			if trapped && (c.CP0[CP0EPC] != sext32(codeOrigin) || c.CP0[CP0Cause]&(CauseBD|CauseCE) != 0) {
				t.Errorf("%s: EPC %#x Cause %#x", tt.cite, c.CP0[CP0EPC], c.CP0[CP0Cause])
			}
			for r, want := range tt.out {
				if c.FPR[r] != want {
					t.Errorf("%s: $f%d = %#x, want %#x", tt.cite, r, c.FPR[r], want)
				}
			}
			if c.FCR31 != tt.fcrOut {
				t.Errorf("%s: FCR31 = %#x, want %#x", tt.cite, c.FCR31, tt.fcrOut)
			}
		})
	}
}

// compareConds are the 16 C.cond predicates (manual ch. 17 C.cond.fmt,
// table of conditions): true for less, equal, unordered; sig: an
// unordered compare is invalid even with quiet NaNs.
var compareConds = []struct {
	name                    string
	less, equal, unord, sig bool
}{
	{"f", false, false, false, false}, {"un", false, false, true, false},
	{"eq", false, true, false, false}, {"ueq", false, true, true, false},
	{"olt", true, false, false, false}, {"ult", true, false, true, false},
	{"ole", true, true, false, false}, {"ule", true, true, true, false},
	{"sf", false, false, false, true}, {"ngle", false, false, true, true},
	{"seq", false, true, false, true}, {"ngl", false, true, true, true},
	{"lt", true, false, false, true}, {"nge", true, false, true, true},
	{"le", true, true, false, true}, {"ngt", true, true, true, true},
}

func TestFPUCompare(t *testing.T) {
	// Operand pairs (fs, ft) and their relation. A signalling NaN (MIPS:
	// fraction MSB set) is invalid for every condition, a quiet one only
	// for the signalling conditions 8-15; denormalized operands compare
	// normally (n64-systemtest compares.rs: QuietNAN, SignallingNAN and
	// Subnormal rows, named there by the x86 convention).
	type rel int
	const (
		less rel = iota
		equal
		greater
		unordQuiet
		unordSignal
	)
	pairs := []struct {
		name   string
		double bool
		a, b   uint64
		r      rel
	}{
		{"1<2", false, sOne, sTwo, less},
		{"2>1", false, sTwo, sOne, greater},
		{"0=-0", false, 0, 0x8000_0000, equal},
		{"-inf<1", false, 0xFF80_0000, sOne, less},
		{"denormal>0", false, sDenorm, 0, greater},
		{"-denormal<denormal", false, 0x8000_0001, sDenorm, less},
		{"qNaN,1", false, sQNaN, sOne, unordQuiet},
		{"1,sNaN", false, sOne, sSNaN, unordSignal},
		{"qNaN,sNaN", false, sQNaN, 0xFFFF_FFFF, unordSignal},
		{"sNaN,denormal", false, sSNaN, sDenorm, unordSignal},
		{"1<2 D", true, dOne, 0x4000_0000_0000_0000, less},
		{"-0=0 D", true, 1 << 63, 0, equal},
		{"qNaN D", true, 0x7FF0_0000_0000_0001, dOne, unordQuiet},
		{"sNaN D", true, dOne, 0xFFF8_0000_0000_0000, unordSignal},
	}
	c := newCPU(t)
	for i, cc := range compareConds {
		for _, p := range pairs {
			var res, invalid bool
			switch p.r {
			case less:
				res = cc.less
			case equal:
				res = cc.equal
			case greater:
			case unordQuiet:
				res, invalid = cc.unord, cc.sig
			case unordSignal:
				res, invalid = cc.unord, true
			}
			fmtCode := uint32(16)
			if p.double {
				fmtCode = 17
			}
			word := 0x4400_0000 | fmtCode<<21 | 2<<16 | 0<<11 | 0x30 | uint32(i) // c.cond.fmt $f0, $f2
			for _, before := range []uint32{0, bitC} {
				for _, enable := range []uint32{0, enV} {
					name := fmt.Sprintf("c.%s %s C=%d en=%#x", cc.name, p.name, before>>23, enable)
					c.CP0[CP0Status], c.CP0[CP0Cause] = bootStatus, 0
					c.FPR[0], c.FPR[2] = p.a, p.b
					c.FCR31 = before | enable | caO
					c.cop1(word)
					trapped := c.CP0[CP0Cause]>>2&31 == ExcFPE
					want := before | enable
					switch {
					case invalid && enable != 0:
						want |= caV // traps, C unchanged
					case invalid:
						want = enable | caV | flV
						if res {
							want |= bitC
						}
					default:
						want = enable
						if res {
							want |= bitC
						}
					}
					if trapped != (invalid && enable != 0) || c.FCR31 != want {
						t.Errorf("%s: FCR31 %#x trapped %v, want %#x trapped %v", name, c.FCR31, trapped, want, invalid && enable != 0)
					}
				}
			}
		}
	}
}

func TestFPUHalfModeCompare(t *testing.T) {
	// n64-systemtest "Comparisons in half mode with odd register indices":
	// fs ignores its lowest bit, ft does not; the upper word is ignored.
	c := newCPU(t)
	c.CP0[CP0Status] &^= StatusFR
	c.FPR[0] = 0x0000_0000_2222_3333
	c.FPR[2] = 0x1111_1111_2222_3333
	c.FPR[4] = 0x2222_2222_1234_5678
	c.FPR[5] = 0x2222_2222_2234_5678
	for _, tt := range []struct {
		src  string
		want bool
	}{
		{"c.eq.s $f0, $f2", true}, {"c.eq.s $f5, $f4", true},
		{"c.eq.s $f4, $f5", false}, {"c.eq.s $f5, $f5", false},
	} {
		program(t, c, tt.src)
		step(t, c, 1)
		if got := c.FCR31&bitC != 0; got != tt.want {
			t.Errorf("%s: C = %v, want %v", tt.src, got, tt.want)
		}
	}
}

func TestFPUTrapInDelaySlot(t *testing.T) {
	// manual ch. 6: an exception in a delay slot sets Cause.BD and EPC to
	// the branch (n64-systemtest runs each FPU case in a delay slot too).
	c := newCPU(t)
	c.FPR[0], c.FPR[2] = sOne, 0x3380_0000
	c.FCR31 = enI
	program(t, c, "beq $zero, $zero, L\nadd.s $f4, $f0, $f2\nnop\nL: nop")
	step(t, c, 2)
	if c.CP0[CP0Cause]>>2&31 != ExcFPE || c.CP0[CP0Cause]&CauseBD == 0 || c.CP0[CP0EPC] != sext32(codeOrigin) {
		t.Errorf("Cause %#x EPC %#x, want FPE with BD at the branch", c.CP0[CP0Cause], c.CP0[CP0EPC])
	}
	if c.FCR31 != enI|caI {
		t.Errorf("FCR31 = %#x", c.FCR31)
	}
}

func TestFPUUnusable(t *testing.T) {
	// manual ch. 6: with Status.CU1 clear every COP1 instruction raises
	// coprocessor unusable with CE = 1 and leaves FCR31 alone.
	for _, src := range []string{"add.s $f4, $f0, $f2", "c.eq.d $f0, $f2", ".word 0x46000020", ".word 0x44620000"} {
		c := newCPU(t)
		c.CP0[CP0Status] &^= StatusCU1
		c.FCR31 = caI | flI
		program(t, c, src)
		step(t, c, 1)
		if c.CP0[CP0Cause]>>2&31 != ExcCpU || c.CP0[CP0Cause]>>28&3 != 1 || c.FCR31 != caI|flI {
			t.Errorf("%s: Cause %#x FCR31 %#x", src, c.CP0[CP0Cause], c.FCR31)
		}
	}
}
