package rsp

import (
	"fmt"
	"strings"
)

// gprNames are the MIPS ABI register names the RSP's assemblers use.
var gprNames = [32]string{
	"zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
	"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
	"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
	"t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra",
}

// cop0Names are the RSP's COP0 registers: the SP and DP interface
// registers (n64brew "RSP COP0").
var cop0Names = [16]string{
	"SP_MEM_ADDR", "SP_DRAM_ADDR", "SP_RD_LEN", "SP_WR_LEN",
	"SP_STATUS", "SP_DMA_FULL", "SP_DMA_BUSY", "SP_SEMAPHORE",
	"DPC_START", "DPC_END", "DPC_CURRENT", "DPC_STATUS",
	"DPC_CLOCK", "DPC_BUFBUSY", "DPC_PIPEBUSY", "DPC_TMEM",
}

var vecNames = [64]string{
	"vmulf", "vmulu", "vrndp", "vmulq", "vmudl", "vmudm", "vmudn", "vmudh",
	"vmacf", "vmacu", "vrndn", "vmacq", "vmadl", "vmadm", "vmadn", "vmadh",
	"vadd", "vsub", "vsut", "vabs", "vaddc", "vsubc", "vaddb", "vsubb",
	"vaccb", "vsucb", "vsad", "vsac", "vsum", "vsar", "v30", "v31",
	"vlt", "veq", "vne", "vge", "vcl", "vch", "vcr", "vmrg",
	"vand", "vnand", "vor", "vnor", "vxor", "vnxor", "v46", "v47",
	"vrcp", "vrcpl", "vrcph", "vmov", "vrsq", "vrsql", "vrsqh", "vnop",
	"vextt", "vextq", "vextn", "v59", "vinst", "vinsq", "vinsn", "vnull",
}

var lsNames = [12]string{"bv", "sv", "lv", "dv", "qv", "rv", "pv", "uv", "hv", "fv", "wv", "tv"}

// elemNames are the element selectors as assemblers write them.
var elemNames = [16]string{"", "", "[0q]", "[1q]", "[0h]", "[1h]", "[2h]", "[3h]",
	"[0]", "[1]", "[2]", "[3]", "[4]", "[5]", "[6]", "[7]"}

// Disasm returns the text of the RSP instruction word w at IMEM address pc
// (branch and jump targets are absolute IMEM addresses). Encodings the RSP
// does not define print as "??? 0x%08x".
func Disasm(pc, w uint32) string {
	rs, rt, rd := w>>21&31, w>>16&31, w>>11&31
	sa := w >> 6 & 31
	imm := int32(int16(w))
	g := func(i uint32) string { return "$" + gprNames[i] }
	target := func() string { return fmt.Sprintf("0x%03x", (pc+4+uint32(imm)<<2)&imemMask) }
	switch w >> 26 {
	case opSpecial:
		if w == 0 {
			return "nop"
		}
		name := [64]string{fnSLL: "sll", fnSRL: "srl", fnSRA: "sra", fnSLLV: "sllv", fnSRLV: "srlv",
			fnSRAV: "srav", fnJR: "jr", fnJALR: "jalr", fnBREAK: "break", fnADD: "add", fnADDU: "addu",
			fnSUB: "sub", fnSUBU: "subu", fnAND: "and", fnOR: "or", fnXOR: "xor", fnNOR: "nor",
			fnSLT: "slt", fnSLTU: "sltu"}[w&0x3F]
		switch w & 0x3F {
		case fnSLL, fnSRL, fnSRA:
			return fmt.Sprintf("%s %s, %s, %d", name, g(rd), g(rt), sa)
		case fnSLLV, fnSRLV, fnSRAV:
			return fmt.Sprintf("%s %s, %s, %s", name, g(rd), g(rt), g(rs))
		case fnJR:
			return "jr " + g(rs)
		case fnJALR:
			return fmt.Sprintf("jalr %s, %s", g(rd), g(rs))
		case fnBREAK:
			return "break"
		default:
			if name != "" {
				return fmt.Sprintf("%s %s, %s, %s", name, g(rd), g(rs), g(rt))
			}
		}
	case opRegimm:
		name := map[uint32]string{0: "bltz", 1: "bgez", 0x10: "bltzal", 0x11: "bgezal"}[rt]
		if name != "" {
			return fmt.Sprintf("%s %s, %s", name, g(rs), target())
		}
	case opJ, opJAL:
		name := "j"
		if w>>26 == opJAL {
			name = "jal"
		}
		return fmt.Sprintf("%s 0x%03x", name, w<<2&imemMask)
	case opBEQ, opBNE:
		name := [2]string{"beq", "bne"}[w>>26-opBEQ]
		return fmt.Sprintf("%s %s, %s, %s", name, g(rs), g(rt), target())
	case opBLEZ, opBGTZ:
		name := [2]string{"blez", "bgtz"}[w>>26-opBLEZ]
		return fmt.Sprintf("%s %s, %s", name, g(rs), target())
	case opADDI, opADDIU, opSLTI, opSLTIU:
		name := [4]string{"addi", "addiu", "slti", "sltiu"}[w>>26-opADDI]
		return fmt.Sprintf("%s %s, %s, %d", name, g(rt), g(rs), imm)
	case opANDI, opORI, opXORI:
		name := [3]string{"andi", "ori", "xori"}[w>>26-opANDI]
		return fmt.Sprintf("%s %s, %s, 0x%x", name, g(rt), g(rs), w&0xFFFF)
	case opLUI:
		return fmt.Sprintf("lui %s, 0x%x", g(rt), w&0xFFFF)
	case opCOP0:
		switch rs {
		case 0:
			return fmt.Sprintf("mfc0 %s, %s", g(rt), cop0Names[rd&15])
		case 4:
			return fmt.Sprintf("mtc0 %s, %s", g(rt), cop0Names[rd&15])
		}
	case opCOP2:
		if w&(1<<25) != 0 {
			e := w >> 21 & 15
			name := vecNames[w&0x3F]
			switch w & 0x3F {
			case vRCP, vRCPL, vRCPH, vMOV, vRSQ, vRSQL, vRSQH:
				return fmt.Sprintf("%s $v%d[%d], $v%d[%d]", name, sa, rd&7, rt, e&7)
			case vNOP, vNULL:
				return name
			case vSAR:
				return fmt.Sprintf("vsar $v%d, $v%d, $v%d[%d]", sa, rd, rt, e)
			}
			return fmt.Sprintf("%s $v%d, $v%d, $v%d%s", name, sa, rd, rt, elemNames[e])
		}
		e := w >> 7 & 15
		switch rs {
		case 0:
			return fmt.Sprintf("mfc2 %s, $v%d[%d]", g(rt), rd, e)
		case 4:
			return fmt.Sprintf("mtc2 %s, $v%d[%d]", g(rt), rd, e)
		case 2:
			return fmt.Sprintf("cfc2 %s, %s", g(rt), [4]string{"vco", "vcc", "vce", "vce"}[rd&3])
		case 6:
			return fmt.Sprintf("ctc2 %s, %s", g(rt), [4]string{"vco", "vcc", "vce", "vce"}[rd&3])
		}
	case opLB, opLH, opLW, opLBU, opLHU, opLWU, opSB, opSH, opSW:
		name := map[uint32]string{opLB: "lb", opLH: "lh", opLW: "lw", opLBU: "lbu", opLHU: "lhu",
			opLWU: "lwu", opSB: "sb", opSH: "sh", opSW: "sw"}[w>>26]
		return fmt.Sprintf("%s %s, %d(%s)", name, g(rt), imm, g(rs))
	case opLWC2, opSWC2:
		if rd < 12 {
			prefix := "l"
			if w>>26 == opSWC2 {
				prefix = "s"
			}
			off := int32(w<<25) >> 25 << lsShift[rd]
			return fmt.Sprintf("%s%s $v%d[%d], %d(%s)", prefix, lsNames[rd], rt, w>>7&15, off, g(rs))
		}
	}
	return fmt.Sprintf("??? 0x%08x", w)
}

// DisasmIMEM disassembles n instructions of IMEM from addr, one per line
// with its address and word (for traces and error messages).
func (r *RSP) DisasmIMEM(addr uint32, n int) string {
	var b strings.Builder
	for i := range n {
		pc := (addr + uint32(4*i)) & imemMask
		w := uint32(r.IMEM[pc])<<24 | uint32(r.IMEM[pc+1])<<16 | uint32(r.IMEM[pc+2])<<8 | uint32(r.IMEM[pc+3])
		fmt.Fprintf(&b, "%03x: %08x  %s\n", pc, w, Disasm(pc, w))
	}
	return b.String()
}
