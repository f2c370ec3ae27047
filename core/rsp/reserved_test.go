package rsp

import (
	"encoding/binary"
	"testing"
)

// krom's RSPTest/CP2/RESERVED inputs (the .asm files' VALUEQUADA-C).
var (
	kromA = [8]uint16{}
	kromB = [8]uint16{0x0011, 0x2233, 0x4455, 0x6677, 0x8899, 0xAABB, 0xCCDD, 0xEEFF}
	kromC = [8]uint16{0xFFEE, 0xDDCC, 0xBBAA, 0x9988, 0x7766, 0x5544, 0x3322, 0x1100}
)

// kromReservedRun is one result row of a krom RSPTest/CP2/RESERVED ROM: it
// DMAs vs to DMEM 0x00 and vt to 0x10, then runs (from SP_PC 0, the code
// words as in the ROM) "LQV v0; LQV v1; op v0,v0,v1[e0]; SQV v0 ->0x00;
// VSAR v0 e8/e9/e10, each SQV'd to 0x10/0x20/0x30; BREAK", and prints
// DMEM 0x00-0x3F: VD, ACCH, ACCM, ACCL.
func kromReservedRun(t *testing.T, r *RSP, op uint32, vs, vt [8]uint16) (vd, hi, md, lo [8]uint16) {
	t.Helper()
	for i := range 8 {
		binary.BigEndian.PutUint16(r.DMEM[2*i:], vs[i])
		binary.BigEndian.PutUint16(r.DMEM[0x10+2*i:], vt[i])
	}
	run(t, r,
		lwc2(lsQ, 0, 0, 0, 0),
		lwc2(lsQ, 1, 0, 0, 1),
		vOp(op, 0, 0, 1, 0),
		swc2(lsQ, 0, 0, 0, 0),
		vOp(vSAR, 0, 0, 0, 8),
		swc2(lsQ, 0, 0, 0, 1),
		vOp(vSAR, 0, 0, 0, 9),
		swc2(lsQ, 0, 0, 0, 2),
		vOp(vSAR, 0, 0, 0, 10),
		swc2(lsQ, 0, 0, 0, 3),
		brk,
	)
	for i := range 8 {
		vd[i] = binary.BigEndian.Uint16(r.DMEM[2*i:])
		hi[i] = binary.BigEndian.Uint16(r.DMEM[0x10+2*i:])
		md[i] = binary.BigEndian.Uint16(r.DMEM[0x20+2*i:])
		lo[i] = binary.BigEndian.Uint16(r.DMEM[0x30+2*i:])
	}
	return
}

func TestReservedOpsKromScreens(t *testing.T) {
	// Each ROM runs its first encoding on the input pairs (A,B), (B,B),
	// (B,C), (C,C), then its second encoding on the same pairs, without
	// resetting the RSP in between. want is the ACCL row of each of the
	// eight result blocks as the ROM's reference screen prints it (top
	// to bottom); VD, ACCH and ACCM print 0 everywhere.
	vsarACCL := [8][8]uint16{ // VSAC, VEXTT, VEXTQ and VEXTN screens
		{0x0011, 0x2233, 0x4455, 0x6677, 0x8899, 0xAABB, 0xCCDD, 0xEEFF},
		{0x0022, 0x4466, 0x88AA, 0xCCEE, 0x1132, 0x5576, 0x99BA, 0xDDFE},
		{0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF},
		{0xFFDC, 0xBB98, 0x7754, 0x3310, 0xEECC, 0xAA88, 0x6644, 0x2200},
		{0xFFCA, 0x9964, 0x32FE, 0xCC98, 0x6632, 0xFFCC, 0x9966, 0x3300},
		{0xFFDB, 0xBB97, 0x7753, 0x330F, 0xEECB, 0xAA87, 0x6643, 0x21FF},
		{0xFFEC, 0xDDCA, 0xBBA8, 0x9986, 0x7764, 0x5542, 0x3320, 0x10FE},
		{0xFFDA, 0xBB96, 0x7752, 0x330E, 0xEECA, 0xAA86, 0x6642, 0x21FE},
	}
	tests := []struct {
		rom           string
		first, second uint32
		want          [8][8]uint16
	}{
		{"RSPCP2VSAC (VSAC 0x1B, VSUM 0x1C)", 0x1B, 0x1C, vsarACCL},
		{"RSPCP2VEXTT (VEXTT 0x38, VINST 0x3C)", 0x38, 0x3C, vsarACCL},
		{"RSPCP2VEXTQ (VEXTQ 0x39, VINSQ 0x3D)", 0x39, 0x3D, vsarACCL},
		{"RSPCP2VEXTN (VEXTN 0x3A, VINSN 0x3E)", 0x3A, 0x3E, vsarACCL},
		{"RSPCP2VACC (0x1E, 0x1F)", 0x1E, 0x1F, [8][8]uint16{
			{},
			{0x0011, 0x2233, 0x4455, 0x6677, 0x8899, 0xAABB, 0xCCDD, 0xEEFF},
			{0x0022, 0x4466, 0x88AA, 0xCCEE, 0x1132, 0x5576, 0x99BA, 0xDDFE},
			{0x0010, 0x2232, 0x4454, 0x6676, 0x8898, 0xAABA, 0xCCDC, 0xEEFE},
			{0xFFFE, 0xFFFE, 0xFFFE, 0xFFFE, 0xFFFE, 0xFFFE, 0xFFFE, 0xFFFE},
			{0x000F, 0x2231, 0x4453, 0x6675, 0x8897, 0xAAB9, 0xCCDB, 0xEEFD},
			{0x0020, 0x4464, 0x88A8, 0xCCEC, 0x1130, 0x5574, 0x99B8, 0xDDFC},
			{0x000E, 0x2230, 0x4452, 0x6674, 0x8896, 0xAAB8, 0xCCDA, 0xEEFC},
		}},
	}
	inputs := [4][2][8]uint16{{kromA, kromB}, {kromB, kromB}, {kromB, kromC}, {kromC, kromC}}
	for _, tc := range tests {
		t.Run(tc.rom, func(t *testing.T) {
			r, _, _, _ := newRSP(t)
			for row := range 8 {
				op := tc.first
				if row >= 4 {
					op = tc.second
				}
				in := inputs[row%4]
				vd, hi, md, lo := kromReservedRun(t, r, op, in[0], in[1])
				if vd != ([8]uint16{}) || hi != ([8]uint16{}) || md != ([8]uint16{}) || lo != tc.want[row] {
					t.Errorf("block %d (op %#x): VD %04x ACCH %04x ACCM %04x ACCL %04x, want ACCL %04x",
						row+1, op, vd, hi, md, lo, tc.want[row])
				}
			}
		})
	}
}

func TestReservedOpsLoadLatency(t *testing.T) {
	// VSUM reads v1 as it was before an LQV of the last three
	// instructions (n64-systemtest op_vector_arithmetic.rs V30/V31/VSUM:
	// three NOPs after the loads are needed for vs + vt); VSAC waits.
	for _, tc := range []struct {
		op    uint32
		nops  int
		stale bool
	}{
		{0x1C, 0, true},
		{0x1C, 1, true},
		{0x1C, 2, true},
		{0x1C, 3, false},
		{0x1B, 0, false},
	} {
		r, _, _, _ := newRSP(t)
		r.vr[1] = [8]uint16{0x0100, 0x0200, 0x0300, 0x0400, 0x0500, 0x0600, 0x0700, 0x0800}
		r.vr[2] = [8]uint16{1, 2, 3, 4, 5, 6, 7, 8}
		for i := range 16 {
			r.DMEM[i] = 0x10
		}
		prog := []uint32{lwc2(lsQ, 1, 0, 0, 0)}
		for range tc.nops {
			prog = append(prog, nop)
		}
		prog = append(prog, vOp(tc.op, 3, 2, 1, 0), brk)
		run(t, r, prog...)
		want := uint16(0x1011) // 1 + 0x1010: the loaded v1
		if tc.stale {
			want = 0x0101 // 1 + 0x0100: v1 before the load
		}
		if _, _, l := accSlices(r); l[0] != want {
			t.Errorf("op %#x after %d NOPs: ACCL[0] = %#04x, want %#04x", tc.op, tc.nops, l[0], want)
		}
	}
}
