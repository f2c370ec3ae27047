package cpu

import (
	"math/bits"
	"testing"
)

// The randomized COP1 tests of n64-systemtest (src/tests/cop1/randomized.rs)
// run an instruction on thousands of random operand bit patterns (NaNs,
// denormals and all), in every rounding mode, with FS alternating, and hash
// each result and FCR31; the expected hashes were measured on a console.
// Reproducing them checks the arithmetic, the flags, the unimplemented
// operation exception and the flush of tiny results bit for bit against
// the hardware. The operands come from the oorandom crate's PCG generators,
// written here from their definition (pcg-random.org).

// pcg32 is PCG-XSH-RR with 64-bit state, seeded the way oorandom's Rand32
// seeds it.
type pcg32 struct{ state, inc uint64 }

func newPCG32(seed uint64) *pcg32 {
	const defaultInc = 1442695040888963407
	r := &pcg32{inc: defaultInc<<1 | 1}
	r.next()
	r.state += seed
	r.next()
	return r
}

func (r *pcg32) next() uint32 {
	old := r.state
	r.state = old*6364136223846793005 + r.inc
	x := uint32((old>>18 ^ old) >> 27)
	return bits.RotateLeft32(x, -int(old>>59))
}

// pcg64 is PCG-XSH-RR with 128-bit state (oorandom's Rand64): multiplier
// 0x2360ED051FC65DA44385DF649FCCF645, default increment the decimal
// 63641362238467930051442695040888963407, output bits 121..58 of
// (state >> 29) ^ state rotated right by state >> 122.
type pcg64 struct{ sHi, sLo, iHi, iLo uint64 }

func newPCG64(seed uint64) *pcg64 {
	const incHi, incLo = 0x2FE0_E169_FFBD_06E3, 0x5BC3_07BD_4D2F_814F
	r := &pcg64{iHi: incHi<<1 | incLo>>63, iLo: incLo<<1 | 1}
	r.next()
	var c uint64
	r.sLo, c = bits.Add64(r.sLo, seed, 0)
	r.sHi += c
	r.next()
	return r
}

func (r *pcg64) next() uint64 {
	const mulHi, mulLo = 0x2360_ED05_1FC6_5DA4, 0x4385_DF64_9FCC_F645
	oh, ol := r.sHi, r.sLo
	hi, lo := bits.Mul64(ol, mulLo)
	hi += oh*mulLo + ol*mulHi
	var c uint64
	r.sLo, c = bits.Add64(lo, r.iLo, 0)
	r.sHi = hi + r.iHi + c
	xh, xl := oh>>29^oh, (ol>>29|oh<<35)^ol
	return bits.RotateLeft64(xl>>58|xh<<6, -int(oh>>58))
}

// randomizedHash runs word (fd $f4, fs $f0, ft $f2) n times as
// n64-systemtest's randomized_test does: FCR31 gets FS = bit 0 and RM =
// bits 2..1 of the iteration, no enables; the hash folds in $f4 (left
// as it was when the instruction traps) and FCR31 after it.
func randomizedHash(t *testing.T, word uint32, double bool, n uint32) uint64 {
	c := newCPU(t)
	r32, r64 := newPCG32(0), newPCG64(0)
	var hash uint64
	for i := uint32(0); i < n; i++ {
		c.FCR31 = (i>>1)&3 | (i&1)<<24
		if double {
			c.FPR[0], c.FPR[2] = r64.next(), r64.next()
		} else {
			c.FPR[0], c.FPR[2] = uint64(r32.next()), uint64(r32.next())
		}
		c.fpuOp(word)
		c.CP0[CP0Status] = bootStatus // leave any exception
		res := c.FPR[4]
		if !double {
			res = uint64(uint32(res))
		}
		hash = hash*397 ^ res
		hash = hash*397 ^ uint64(c.FCR31)
	}
	return hash
}

func TestFPURandomizedHardware(t *testing.T) {
	tests := []struct {
		name   string
		word   uint32
		double bool
		n      uint32
		want   uint64 // n64-systemtest randomized.rs, measured on hardware
	}{
		{"ADD.S", 0x46020100, false, 3000, 0x341aa5e3310b4ab0},
		{"ADD.D", 0x46220100, true, 3000, 0xe888e60dc53b5a03},
		{"SUB.S", 0x46020101, false, 3000, 0xa56dbeaf17cd7173},
		{"SUB.D", 0x46220101, true, 3000, 0x79d3b74f1bc3ff24},
		{"MUL.S", 0x46020102, false, 2000, 0x170788e9b03e2c0a},
		{"MUL.D", 0x46220102, true, 2000, 0x15e6d76853f4df59},
		{"DIV.S", 0x46020103, false, 2000, 0x55c6839600fd0fa2},
		{"DIV.D", 0x46220103, true, 2000, 0xa2ae9ba9a3fec554},
		{"SQRT.S", 0x46000104, false, 2000, 0x276c42a0e3a11a1},
		{"SQRT.D", 0x46200104, true, 2000, 0x6cb8986281efca80},
		{"CVT.S.W", 0x46800120, false, 2000, 0x8ac09585da537355},
		{"CVT.W.S", 0x46000124, false, 2000, 0x41ca013057f72659},
	}
	stress := []struct {
		n    uint32
		want uint64
	}{
		{3000000, 0x464cfdae544a9be0}, {3000000, 0x25d261c14617031e},
		{3000000, 0x5906d66d6ed35481}, {3000000, 0xe6dee76e5196222f},
		{2000000, 0xd6fcbec0926cc113}, {2000000, 0xe2c05aaec9cc1dc4},
		{2000000, 0x76efe398daa10453}, {2000000, 0xf64eb203f41fe776},
		{2000000, 0x4fde48202eec2625}, {2000000, 0x88edc4c0aec12da4},
		{2000000, 0x1adc160325245c23}, {2000000, 0x1e1b3c375a34d773},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := randomizedHash(t, tt.word, tt.double, tt.n); got != tt.want {
				t.Errorf("hash %#x, want %#x", got, tt.want)
			}
			if testing.Short() || raceEnabled {
				return
			}
			s := stress[i]
			if got := randomizedHash(t, tt.word, tt.double, s.n); got != s.want {
				t.Errorf("stress test (%d iterations): hash %#x, want %#x", s.n, got, s.want)
			}
		})
	}
}
