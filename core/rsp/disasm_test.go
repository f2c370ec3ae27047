package rsp

import "testing"

func TestDisasm(t *testing.T) {
	// Expected texts follow the MIPS and RSP assembler syntax (krom's
	// RSP sources, n64brew operand order vd, vs, vt[e]).
	tests := []struct {
		pc, w uint32
		want  string
	}{
		{0, 0, "nop"},
		{0, iOp(addi, 0, 8, -1), "addiu $t0, $zero, -1"},
		{0x10, iOp(opBEQ, 8, 9, 2), "beq $t0, $t1, 0x01c"},
		{0xFFC, iOp(opBNE, 8, 0, 0), "bne $t0, $zero, 0x000"},
		{0, jOp(opJAL, 0x1040), "jal 0x040"},
		{0, rOp(31, 0, 0, 0, fnJR), "jr $ra"},
		{0, brk, "break"},
		{0, iOp(opLW, 29, 2, -4), "lw $v0, -4($sp)"},
		{0, cop0(true, 8, 4), "mtc0 $t0, SP_STATUS"},
		{0, cop0(false, 8, 11), "mfc0 $t0, DPC_STATUS"},
		{0, vOp(vMULF, 3, 1, 2, 0), "vmulf $v3, $v1, $v2"},
		{0, vOp(vMACF, 3, 1, 2, 9), "vmacf $v3, $v1, $v2[1]"},
		{0, vOp(vADD, 3, 1, 2, 4), "vadd $v3, $v1, $v2[0h]"},
		{0, vOp(vRCPH, 1, 2, 2, 8), "vrcph $v1[2], $v2[0]"},
		{0, vOp(vSAR, 4, 0, 0, 10), "vsar $v4, $v0, $v0[10]"},
		{0, lwc2(lsQ, 1, 8, 0, 2), "lqv $v1[0], 32($t0)"},
		{0, swc2(lsS, 4, 0, 15, -1), "ssv $v4[15], -2($zero)"},
		{0, cop2mv(2, 10, 1, 0), "cfc2 $t2, vcc"},
		{0, cop2mv(0, 2, 1, 15), "mfc2 $v0, $v1[15]"},
		{0, 0xFC000000, "??? 0xfc000000"},
	}
	for _, tc := range tests {
		if got := Disasm(tc.pc, tc.w); got != tc.want {
			t.Errorf("Disasm(%#x, %#08x) = %q, want %q", tc.pc, tc.w, got, tc.want)
		}
	}
}
