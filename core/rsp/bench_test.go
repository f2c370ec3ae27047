package rsp

import "testing"

// BenchmarkRSP runs a vector-heavy loop from IMEM (multiplies and
// accumulates, adds, a clip compare, a divide, quad loads and stores) and
// reports RSP instructions per second in millions.
func BenchmarkRSP(b *testing.B) {
	r, _, _, _ := newRSP(&testing.T{})
	for i := range 8 {
		r.vr[1][i] = uint16(0x1234 * (i + 1))
		r.vr[2][i] = uint16(0x7531 * (i + 3))
	}
	load(r, 0,
		lwc2(lsQ, 3, 0, 0, 0),
		vOp(vMULF, 4, 1, 2, 0),
		vOp(vMACF, 5, 1, 2, 8),
		vOp(vMADH, 6, 4, 5, 2),
		vOp(vMUDN, 7, 1, 3, 0),
		vOp(vMADN, 7, 2, 3, 4),
		vOp(vADD, 8, 6, 7, 0),
		vOp(vSUBC, 9, 8, 1, 0),
		vOp(vCH, 10, 9, 2, 0),
		vOp(vCL, 11, 10, 1, 0),
		vOp(vMRG, 12, 11, 4, 0),
		vOp(vRCP, 13, 2, 1, 9),
		vOp(vAND, 14, 12, 13, 0),
		swc2(lsQ, 14, 0, 0, 1),
		jOp(opJ, 0),
		vOp(vXOR, 15, 14, 3, 0),
	)
	b.ResetTimer()
	n := uint64(b.N)
	for n > 0 {
		n -= r.Run(n)
		if r.Halted() {
			b.Fatal("halted")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "MIPS")
}
