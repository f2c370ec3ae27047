package cpu

import (
	"fmt"
	"strings"
)

// Disassemble returns the text of the VR4300 instruction word at address pc
// in the syntax internal/asm accepts, so that assembling it at pc gives the
// word back: "addiu $t0, $zero, 0x5", "bne $t0, $t1, 0x80001010" (branch
// and jump targets are absolute). It prints nop, move, b, beqz, bnez and the
// one-operand jalr for the words those pseudo-instructions assemble to.
//
// Decoding is strict: a word the VR4300 User's Manual does not define,
// including one whose "must be zero" fields are not zero, is "??? 0x%08x".
func Disassemble(pc uint32, word uint32) string {
	in := disDecode(word)
	if in.name == "" || word&in.zero != 0 {
		return fmt.Sprintf("??? 0x%08x", word)
	}
	rs, rt, rd := word>>21&31, word>>16&31, word>>11&31
	switch {
	case word == 0:
		return "nop"
	case in.name == "or" && rt == 0:
		in.name, in.args = "move", "ds"
	case in.name == "beq" && rs == 0 && rt == 0:
		in.name, in.args = "b", "b"
	case (in.name == "beq" || in.name == "bne") && rt == 0:
		in.name, in.args = in.name+"z", "sb"
	case in.name == "jalr" && rd == 31:
		in.args = "s"
	}
	args := in.args
	// A zero SYSCALL/BREAK/trap code is left out, as it is usually written.
	if n := len(args); n > 0 && (args[n-1] == 'C' && word>>6&0xFFFFF == 0 || args[n-1] == 'q' && word>>6&0x3FF == 0) {
		args = args[:n-1]
	}
	var b strings.Builder
	b.WriteString(in.name)
	for i := range len(args) {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteString(", ")
		}
		b.WriteString(disOperand(pc, word, args[i]))
	}
	return b.String()
}

// disInsn is how to print one instruction: mnemonic, operand letters and
// the bits the manual requires to be zero.
//
// Operand letters, as in internal/asm: d s t GPR in rd/rs/rt; a shift
// amount; i signed and u unsigned 16-bit immediate; o offset(base); b branch
// and j jump target; C 20-bit and q 10-bit code; k CACHE operation; 0 CP0
// register; c FPU control register; S T D FPU register in fs/ft/fd.
type disInsn struct {
	name string
	args string
	zero uint32
}

// Field masks for disInsn.zero.
const (
	disRS   = 31 << 21
	disRT   = 31 << 16
	disRD   = 31 << 11
	disSA   = 31 << 6
	disLow  = 1<<11 - 1                 // bits 10..0 of the coprocessor moves
	disCode = (1<<25 - 1) &^ (1<<6 - 1) // bits 24..6: COP0 CO operations, SYNC
)

// disSpecial is indexed by the SPECIAL function code (bits 5..0).
var disSpecial = [64]disInsn{
	0: {"sll", "dta", disRS}, 2: {"srl", "dta", disRS}, 3: {"sra", "dta", disRS},
	4: {"sllv", "dts", disSA}, 6: {"srlv", "dts", disSA}, 7: {"srav", "dts", disSA},
	8: {"jr", "s", disRT | disRD | disSA}, 9: {"jalr", "ds", disRT | disSA},
	12: {"syscall", "C", 0}, 13: {"break", "C", 0}, 15: {"sync", "", disCode | disRS},
	16: {"mfhi", "d", disRS | disRT | disSA}, 17: {"mthi", "s", disRT | disRD | disSA},
	18: {"mflo", "d", disRS | disRT | disSA}, 19: {"mtlo", "s", disRT | disRD | disSA},
	20: {"dsllv", "dts", disSA}, 22: {"dsrlv", "dts", disSA}, 23: {"dsrav", "dts", disSA},
	24: {"mult", "st", disRD | disSA}, 25: {"multu", "st", disRD | disSA},
	26: {"div", "st", disRD | disSA}, 27: {"divu", "st", disRD | disSA},
	28: {"dmult", "st", disRD | disSA}, 29: {"dmultu", "st", disRD | disSA},
	30: {"ddiv", "st", disRD | disSA}, 31: {"ddivu", "st", disRD | disSA},
	32: {"add", "dst", disSA}, 33: {"addu", "dst", disSA}, 34: {"sub", "dst", disSA}, 35: {"subu", "dst", disSA},
	36: {"and", "dst", disSA}, 37: {"or", "dst", disSA}, 38: {"xor", "dst", disSA}, 39: {"nor", "dst", disSA},
	42: {"slt", "dst", disSA}, 43: {"sltu", "dst", disSA},
	44: {"dadd", "dst", disSA}, 45: {"daddu", "dst", disSA}, 46: {"dsub", "dst", disSA}, 47: {"dsubu", "dst", disSA},
	48: {"tge", "stq", 0}, 49: {"tgeu", "stq", 0}, 50: {"tlt", "stq", 0}, 51: {"tltu", "stq", 0},
	52: {"teq", "stq", 0}, 54: {"tne", "stq", 0},
	56: {"dsll", "dta", disRS}, 58: {"dsrl", "dta", disRS}, 59: {"dsra", "dta", disRS},
	60: {"dsll32", "dta", disRS}, 62: {"dsrl32", "dta", disRS}, 63: {"dsra32", "dta", disRS},
}

// disRegimm is indexed by the REGIMM rt field.
var disRegimm = [32]disInsn{
	0: {"bltz", "sb", 0}, 1: {"bgez", "sb", 0}, 2: {"bltzl", "sb", 0}, 3: {"bgezl", "sb", 0},
	8: {"tgei", "si", 0}, 9: {"tgeiu", "si", 0}, 10: {"tlti", "si", 0}, 11: {"tltiu", "si", 0},
	12: {"teqi", "si", 0}, 14: {"tnei", "si", 0},
	16: {"bltzal", "sb", 0}, 17: {"bgezal", "sb", 0}, 18: {"bltzall", "sb", 0}, 19: {"bgezall", "sb", 0},
}

// disPrimary is indexed by the opcode (bits 31..26); SPECIAL, REGIMM, COP0
// and COP1 are decoded further by disDecode.
var disPrimary = [64]disInsn{
	2: {"j", "j", 0}, 3: {"jal", "j", 0},
	4: {"beq", "stb", 0}, 5: {"bne", "stb", 0}, 6: {"blez", "sb", disRT}, 7: {"bgtz", "sb", disRT},
	8: {"addi", "tsi", 0}, 9: {"addiu", "tsi", 0}, 10: {"slti", "tsi", 0}, 11: {"sltiu", "tsi", 0},
	12: {"andi", "tsu", 0}, 13: {"ori", "tsu", 0}, 14: {"xori", "tsu", 0}, 15: {"lui", "tu", disRS},
	20: {"beql", "stb", 0}, 21: {"bnel", "stb", 0}, 22: {"blezl", "sb", disRT}, 23: {"bgtzl", "sb", disRT},
	24: {"daddi", "tsi", 0}, 25: {"daddiu", "tsi", 0}, 26: {"ldl", "to", 0}, 27: {"ldr", "to", 0},
	32: {"lb", "to", 0}, 33: {"lh", "to", 0}, 34: {"lwl", "to", 0}, 35: {"lw", "to", 0},
	36: {"lbu", "to", 0}, 37: {"lhu", "to", 0}, 38: {"lwr", "to", 0}, 39: {"lwu", "to", 0},
	40: {"sb", "to", 0}, 41: {"sh", "to", 0}, 42: {"swl", "to", 0}, 43: {"sw", "to", 0},
	44: {"sdl", "to", 0}, 45: {"sdr", "to", 0}, 46: {"swr", "to", 0}, 47: {"cache", "ko", 0},
	48: {"ll", "to", 0}, 49: {"lwc1", "To", 0}, 52: {"lld", "to", 0}, 53: {"ldc1", "To", 0},
	55: {"ld", "to", 0}, 56: {"sc", "to", 0}, 57: {"swc1", "To", 0}, 60: {"scd", "to", 0},
	61: {"sdc1", "To", 0}, 63: {"sd", "to", 0},
}

// disFPU is indexed by the COP1 function code: the mnemonic before its
// source-format suffix, the operand letters and the formats that exist.
var disFPU = [64]struct{ name, args, fmts string }{
	0: {"add", "DST", "sd"}, 1: {"sub", "DST", "sd"}, 2: {"mul", "DST", "sd"}, 3: {"div", "DST", "sd"},
	4: {"sqrt", "DS", "sd"}, 5: {"abs", "DS", "sd"}, 6: {"mov", "DS", "sd"}, 7: {"neg", "DS", "sd"},
	8: {"round.l", "DS", "sd"}, 9: {"trunc.l", "DS", "sd"}, 10: {"ceil.l", "DS", "sd"}, 11: {"floor.l", "DS", "sd"},
	12: {"round.w", "DS", "sd"}, 13: {"trunc.w", "DS", "sd"}, 14: {"ceil.w", "DS", "sd"}, 15: {"floor.w", "DS", "sd"},
	32: {"cvt.s", "DS", "dwl"}, 33: {"cvt.d", "DS", "swl"}, 36: {"cvt.w", "DS", "sd"}, 37: {"cvt.l", "DS", "sd"},
	48: {"c.f", "ST", "sd"}, 49: {"c.un", "ST", "sd"}, 50: {"c.eq", "ST", "sd"}, 51: {"c.ueq", "ST", "sd"},
	52: {"c.olt", "ST", "sd"}, 53: {"c.ult", "ST", "sd"}, 54: {"c.ole", "ST", "sd"}, 55: {"c.ule", "ST", "sd"},
	56: {"c.sf", "ST", "sd"}, 57: {"c.ngle", "ST", "sd"}, 58: {"c.seq", "ST", "sd"}, 59: {"c.ngl", "ST", "sd"},
	60: {"c.lt", "ST", "sd"}, 61: {"c.nge", "ST", "sd"}, 62: {"c.le", "ST", "sd"}, 63: {"c.ngt", "ST", "sd"},
}

// Coprocessor decode tables (VR4300 manual ch. 16-17 opcode bit encodings).
var (
	disCop0Move = [32]string{0: "mfc0", 1: "dmfc0", 4: "mtc0", 5: "dmtc0"}
	disCop0Op   = [64]string{1: "tlbr", 2: "tlbwi", 6: "tlbwr", 8: "tlbp", 24: "eret"}
	disCop1Move = [32]disInsn{
		0: {"mfc1", "tS", disLow}, 1: {"dmfc1", "tS", disLow}, 2: {"cfc1", "tc", disLow},
		4: {"mtc1", "tS", disLow}, 5: {"dmtc1", "tS", disLow}, 6: {"ctc1", "tc", disLow},
	}
	disBC1     = [4]string{"bc1f", "bc1t", "bc1fl", "bc1tl"}
	disFPUFmt  = [32]string{16: "s", 17: "d", 20: "w", 21: "l"}
	disFPUZero = map[string]uint32{"DST": 0, "DS": disRT, "ST": disSA} // unused register fields
)

// disDecode finds the instruction; an empty name means none.
func disDecode(w uint32) disInsn {
	rs := w >> 21 & 31
	switch op := w >> 26; op {
	case 0:
		return disSpecial[w&63]
	case 1:
		return disRegimm[w>>16&31]
	case 16: // COP0: moves by rs; with CO (bit 25) set, TLB operations and ERET
		if rs >= 16 {
			return disInsn{disCop0Op[w&63], "", disCode}
		}
		return disInsn{disCop0Move[rs], "t0", disLow}
	case 17: // COP1: moves and BC1x by rs, else an operation on the format in rs
		switch {
		case rs == 8: // bits 20..18 pick a condition code on later MIPS, not on the VR4300
			return disInsn{disBC1[w>>16&3], "b", 7 << 18}
		case rs < 16:
			return disCop1Move[rs]
		}
		f, suffix := disFPU[w&63], disFPUFmt[rs]
		if f.name == "" || suffix == "" || !strings.Contains(f.fmts, suffix) {
			return disInsn{}
		}
		return disInsn{f.name + "." + suffix, f.args, disFPUZero[f.args]}
	default:
		return disPrimary[op]
	}
}

func disOperand(pc, w uint32, c byte) string {
	switch c {
	case 'd':
		return disGPRName[w>>11&31]
	case 's':
		return disGPRName[w>>21&31]
	case 't':
		return disGPRName[w>>16&31]
	case 'a':
		return fmt.Sprint(w >> 6 & 31)
	case 'i':
		return disSigned(int16(w))
	case 'u':
		return fmt.Sprintf("0x%x", w&0xFFFF)
	case 'o':
		return disSigned(int16(w)) + "(" + disGPRName[w>>21&31] + ")"
	case 'b':
		return fmt.Sprintf("0x%08x", pc+4+uint32(int32(int16(w))<<2))
	case 'j':
		return fmt.Sprintf("0x%08x", (pc+4)&0xF0000000|w<<2&0x0FFFFFFF)
	case 'C':
		return fmt.Sprintf("0x%x", w>>6&0xFFFFF)
	case 'q':
		return fmt.Sprintf("0x%x", w>>6&0x3FF)
	case 'k':
		return fmt.Sprintf("0x%x", w>>16&31)
	case '0':
		if name := disCP0Name[w>>11&31]; name != "" {
			return name
		}
		return fmt.Sprintf("$%d", w>>11&31)
	case 'c':
		return fmt.Sprintf("$%d", w>>11&31)
	case 'S':
		return fmt.Sprintf("$f%d", w>>11&31)
	case 'T':
		return fmt.Sprintf("$f%d", w>>16&31)
	default: // 'D'
		return fmt.Sprintf("$f%d", w>>6&31)
	}
}

func disSigned(v int16) string {
	if v < 0 {
		return fmt.Sprintf("-0x%x", -int32(v))
	}
	return fmt.Sprintf("0x%x", v)
}

var disGPRName = [32]string{
	"$zero", "$at", "$v0", "$v1", "$a0", "$a1", "$a2", "$a3",
	"$t0", "$t1", "$t2", "$t3", "$t4", "$t5", "$t6", "$t7",
	"$s0", "$s1", "$s2", "$s3", "$s4", "$s5", "$s6", "$s7",
	"$t8", "$t9", "$k0", "$k1", "$gp", "$sp", "$s8", "$ra",
}

// disCP0Name names the CP0 registers (VR4300 manual ch. 5-6); reserved
// numbers are printed as $n.
var disCP0Name = [32]string{
	"Index", "Random", "EntryLo0", "EntryLo1", "Context", "PageMask", "Wired", "",
	"BadVAddr", "Count", "EntryHi", "Compare", "Status", "Cause", "EPC", "PRId",
	"Config", "LLAddr", "WatchLo", "WatchHi", "XContext", "", "", "",
	"", "", "PErr", "CacheErr", "TagLo", "TagHi", "ErrorEPC", "",
}
