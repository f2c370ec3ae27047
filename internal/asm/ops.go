package asm

import (
	"fmt"
	"strings"
)

// An opForm is one way to write an instruction: its operand letters in
// source order and the word with every fixed field already set.
//
// Operand letters (field names and bit positions from the VR4300 User's
// Manual, chapter 16 "CPU Instruction Set Details" and 17 "FPU Instruction
// Set Details"):
//
//	d s t  GPR in rd (15..11), rs (25..21), rt (20..16)
//	a      shift amount sa (10..6), 0..31
//	i      signed 16-bit immediate (15..0)
//	u      unsigned 16-bit immediate (15..0)
//	o      offset(base): signed 16-bit offset, base GPR in rs
//	b      branch target: signed word offset from the delay slot (15..0)
//	j      jump target in the delay slot's 256 MiB region (25..0)
//	C      20-bit code of SYSCALL and BREAK (25..6)
//	q      10-bit code of the register-compare traps (15..6)
//	k      CACHE operation in rt, 0..31
//	0      CP0 register in rd
//	c      FPU control register in fs (15..11)
//	S T D  FPU register in fs (15..11), ft (20..16), fd (10..6)
type opForm struct {
	args string
	word uint32
}

// ops maps a lower-case mnemonic to its forms (several when operands are
// optional, as in "jalr $t0" and "jalr $ra, $t0").
var ops = buildOps()

func buildOps() map[string][]opForm {
	m := map[string][]opForm{}
	add := func(name, args string, word uint32) {
		m[name] = append(m[name], opForm{args, word})
		// A SYSCALL/BREAK/trap code is optional and defaults to zero.
		if n := len(args); n > 0 && (args[n-1] == 'C' || args[n-1] == 'q') {
			m[name] = append(m[name], opForm{args[:n-1], word})
		}
	}
	type entry struct {
		name string
		code uint32
		args string
	}

	// SPECIAL (opcode 0): the function code is in bits 5..0.
	for _, e := range []entry{
		{"sll", 0, "dta"}, {"srl", 2, "dta"}, {"sra", 3, "dta"},
		{"sllv", 4, "dts"}, {"srlv", 6, "dts"}, {"srav", 7, "dts"},
		{"jr", 8, "s"}, {"jalr", 9, "ds"},
		{"syscall", 12, "C"}, {"break", 13, "C"}, {"sync", 15, ""},
		{"mfhi", 16, "d"}, {"mthi", 17, "s"}, {"mflo", 18, "d"}, {"mtlo", 19, "s"},
		{"dsllv", 20, "dts"}, {"dsrlv", 22, "dts"}, {"dsrav", 23, "dts"},
		{"mult", 24, "st"}, {"multu", 25, "st"}, {"div", 26, "st"}, {"divu", 27, "st"},
		{"dmult", 28, "st"}, {"dmultu", 29, "st"}, {"ddiv", 30, "st"}, {"ddivu", 31, "st"},
		{"add", 32, "dst"}, {"addu", 33, "dst"}, {"sub", 34, "dst"}, {"subu", 35, "dst"},
		{"and", 36, "dst"}, {"or", 37, "dst"}, {"xor", 38, "dst"}, {"nor", 39, "dst"},
		{"slt", 42, "dst"}, {"sltu", 43, "dst"},
		{"dadd", 44, "dst"}, {"daddu", 45, "dst"}, {"dsub", 46, "dst"}, {"dsubu", 47, "dst"},
		{"tge", 48, "stq"}, {"tgeu", 49, "stq"}, {"tlt", 50, "stq"}, {"tltu", 51, "stq"},
		{"teq", 52, "stq"}, {"tne", 54, "stq"},
		{"dsll", 56, "dta"}, {"dsrl", 58, "dta"}, {"dsra", 59, "dta"},
		{"dsll32", 60, "dta"}, {"dsrl32", 62, "dta"}, {"dsra32", 63, "dta"},
	} {
		add(e.name, e.args, e.code)
	}
	add("jalr", "s", 31<<11|9) // one-operand JALR links in $ra

	// REGIMM (opcode 1): the operation is in the rt field.
	for _, e := range []entry{
		{"bltz", 0, "sb"}, {"bgez", 1, "sb"}, {"bltzl", 2, "sb"}, {"bgezl", 3, "sb"},
		{"tgei", 8, "si"}, {"tgeiu", 9, "si"}, {"tlti", 10, "si"}, {"tltiu", 11, "si"},
		{"teqi", 12, "si"}, {"tnei", 14, "si"},
		{"bltzal", 16, "sb"}, {"bgezal", 17, "sb"}, {"bltzall", 18, "sb"}, {"bgezall", 19, "sb"},
	} {
		add(e.name, e.args, 1<<26|e.code<<16)
	}

	// Primary opcodes (bits 31..26).
	for _, e := range []entry{
		{"j", 2, "j"}, {"jal", 3, "j"},
		{"beq", 4, "stb"}, {"bne", 5, "stb"}, {"blez", 6, "sb"}, {"bgtz", 7, "sb"},
		{"addi", 8, "tsi"}, {"addiu", 9, "tsi"}, {"slti", 10, "tsi"}, {"sltiu", 11, "tsi"},
		{"andi", 12, "tsu"}, {"ori", 13, "tsu"}, {"xori", 14, "tsu"}, {"lui", 15, "tu"},
		{"beql", 20, "stb"}, {"bnel", 21, "stb"}, {"blezl", 22, "sb"}, {"bgtzl", 23, "sb"},
		{"daddi", 24, "tsi"}, {"daddiu", 25, "tsi"}, {"ldl", 26, "to"}, {"ldr", 27, "to"},
		{"lb", 32, "to"}, {"lh", 33, "to"}, {"lwl", 34, "to"}, {"lw", 35, "to"},
		{"lbu", 36, "to"}, {"lhu", 37, "to"}, {"lwr", 38, "to"}, {"lwu", 39, "to"},
		{"sb", 40, "to"}, {"sh", 41, "to"}, {"swl", 42, "to"}, {"sw", 43, "to"},
		{"sdl", 44, "to"}, {"sdr", 45, "to"}, {"swr", 46, "to"}, {"cache", 47, "ko"},
		{"ll", 48, "to"}, {"lwc1", 49, "To"}, {"lld", 52, "to"}, {"ldc1", 53, "To"},
		{"ld", 55, "to"}, {"sc", 56, "to"}, {"swc1", 57, "To"}, {"scd", 60, "to"},
		{"sdc1", 61, "To"}, {"sd", 63, "to"},
	} {
		add(e.name, e.args, e.code<<26)
	}

	// COP0 (opcode 16): moves select by rs; with the CO bit (25) set, the
	// function code selects a TLB operation or ERET.
	for _, e := range []entry{
		{"mfc0", 0, "t0"}, {"dmfc0", 1, "t0"}, {"mtc0", 4, "t0"}, {"dmtc0", 5, "t0"},
	} {
		add(e.name, e.args, 16<<26|e.code<<21)
	}
	for _, e := range []entry{
		{"tlbr", 1, ""}, {"tlbwi", 2, ""}, {"tlbwr", 6, ""}, {"tlbp", 8, ""}, {"eret", 24, ""},
	} {
		add(e.name, e.args, 16<<26|1<<25|e.code)
	}

	// COP1 (opcode 17): moves select by rs; BC1x by rs=8 and nd/tf in rt.
	for _, e := range []entry{
		{"mfc1", 0, "tS"}, {"dmfc1", 1, "tS"}, {"cfc1", 2, "tc"},
		{"mtc1", 4, "tS"}, {"dmtc1", 5, "tS"}, {"ctc1", 6, "tc"},
	} {
		add(e.name, e.args, 17<<26|e.code<<21)
	}
	for i, name := range []string{"bc1f", "bc1t", "bc1fl", "bc1tl"} {
		add(name, "b", 17<<26|8<<21|uint32(i)<<16)
	}
	// COP1 operations: the fmt field (bits 25..21) names the source format,
	// the function code (bits 5..0) the operation.
	fmtCode := map[rune]uint32{'s': 16, 'd': 17, 'w': 20, 'l': 21}
	fpu := func(name string, funct int, args, fmts string) {
		for _, f := range fmts {
			add(name+"."+string(f), args, 17<<26|fmtCode[f]<<21|uint32(funct))
		}
	}
	for i, n := range []string{"add", "sub", "mul", "div"} {
		fpu(n, i, "DST", "sd")
	}
	for i, n := range []string{"sqrt", "abs", "mov", "neg",
		"round.l", "trunc.l", "ceil.l", "floor.l", "round.w", "trunc.w", "ceil.w", "floor.w"} {
		fpu(n, 4+i, "DS", "sd")
	}
	fpu("cvt.s", 32, "DS", "dwl")
	fpu("cvt.d", 33, "DS", "swl")
	fpu("cvt.w", 36, "DS", "sd")
	fpu("cvt.l", 37, "DS", "sd")
	for i, c := range []string{"f", "un", "eq", "ueq", "olt", "ult", "ole", "ule",
		"sf", "ngle", "seq", "ngl", "lt", "nge", "le", "ngt"} {
		fpu("c."+c, 48+i, "ST", "sd")
	}

	// Pseudo-instructions that are a single real instruction.
	add("nop", "", 0)
	add("move", "ds", 37)    // or rd, rs, $zero: keeps all 64 bits
	add("b", "b", 4<<26)     // beq $zero, $zero
	add("beqz", "sb", 4<<26) // beq rs, $zero
	add("bnez", "sb", 5<<26) // bne rs, $zero
	add("neg", "dt", 34)     // sub rd, $zero, rt
	add("negu", "dt", 35)    // subu rd, $zero, rt
	add("not", "ds", 39)     // nor rd, rs, $zero
	return m
}

// encode fills the operand fields of f from args.
func (a *assembler) encode(f opForm, args []string) (uint32, error) {
	w := f.word
	for i := range len(f.args) {
		arg := args[i]
		var v uint32
		var err error
		switch f.args[i] {
		case 'd':
			v, err = gpr(arg)
			v <<= 11
		case 's':
			v, err = gpr(arg)
			v <<= 21
		case 't':
			v, err = gpr(arg)
			v <<= 16
		case 'a':
			v, err = a.unsigned(arg, 31)
			v <<= 6
		case 'i':
			v, err = a.imm16(arg, true)
		case 'u':
			v, err = a.imm16(arg, false)
		case 'o':
			v, err = a.memory(arg)
		case 'b':
			v, err = a.branch(arg)
		case 'j':
			v, err = a.jump(arg)
		case 'C':
			v, err = a.unsigned(arg, 1<<20-1)
			v <<= 6
		case 'q':
			v, err = a.unsigned(arg, 1<<10-1)
			v <<= 6
		case 'k':
			v, err = a.unsigned(arg, 31)
			v <<= 16
		case '0':
			v, err = cp0Reg(arg)
			v <<= 11
		case 'c':
			v, err = numberedReg(arg, "$", "FPU control register")
			v <<= 11
		case 'S':
			v, err = numberedReg(arg, "$f", "FPU register")
			v <<= 11
		case 'T':
			v, err = numberedReg(arg, "$f", "FPU register")
			v <<= 16
		case 'D':
			v, err = numberedReg(arg, "$f", "FPU register")
			v <<= 6
		}
		if err != nil {
			return f.word, fmt.Errorf("operand %d: %w", i+1, err)
		}
		w |= v
	}
	return w, nil
}

// unsigned evaluates a field that takes 0..max.
func (a *assembler) unsigned(s string, max int64) (uint32, error) {
	v, _, err := a.eval(s, false)
	if err != nil {
		return 0, err
	}
	if v < 0 || v > max {
		return 0, fmt.Errorf("value %d out of range 0..%d", v, max)
	}
	return uint32(v), nil
}

// imm16 evaluates a 16-bit immediate. A %hi or %lo operand fits any 16-bit
// field: it is the half of an address the instruction pair puts together.
func (a *assembler) imm16(s string, signed bool) (uint32, error) {
	v, reloc, err := a.eval(s, false)
	if err != nil {
		return 0, err
	}
	lo, hi := int64(0), int64(0xFFFF)
	if signed {
		lo, hi = -0x8000, 0x7FFF
	}
	if !reloc && (v < lo || v > hi) {
		return 0, fmt.Errorf("immediate %d out of range %d..%d", v, lo, hi)
	}
	return uint32(v) & 0xFFFF, nil
}

// memory encodes "offset(base)" or "(base)".
func (a *assembler) memory(s string) (uint32, error) {
	open := strings.LastIndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(s, ")") {
		return 0, fmt.Errorf("want offset(base), got %q", s)
	}
	base, err := gpr(strings.TrimSpace(s[open+1 : len(s)-1]))
	if err != nil {
		return 0, err
	}
	off := uint32(0)
	if o := strings.TrimSpace(s[:open]); o != "" {
		if off, err = a.imm16(o, true); err != nil {
			return 0, err
		}
	}
	return base<<21 | off, nil
}

// target evaluates a branch or jump target address.
func (a *assembler) target(s string) (uint32, error) {
	v, _, err := a.eval(s, false)
	if err != nil {
		return 0, err
	}
	if v < 0 || v > 0xFFFFFFFF {
		return 0, fmt.Errorf("target %d is not a 32-bit address", v)
	}
	if v%4 != 0 {
		return 0, fmt.Errorf("target 0x%08x is not word-aligned", v)
	}
	return uint32(v), nil
}

// branch encodes the offset in words from the delay slot. The sum wraps at
// 32 bits as the VR4300's does in 32-bit mode, so any target printed by the
// disassembler assembles back.
func (a *assembler) branch(s string) (uint32, error) {
	t, err := a.target(s)
	if err != nil {
		return 0, err
	}
	off := int32(t-(a.pc()+4)) >> 2
	if off < -0x8000 || off > 0x7FFF {
		return 0, fmt.Errorf("branch target 0x%08x out of range (%d words from the delay slot)", t, off)
	}
	return uint32(off) & 0xFFFF, nil
}

// jump encodes a J/JAL target, which replaces the low 28 bits of the delay
// slot's address.
func (a *assembler) jump(s string) (uint32, error) {
	t, err := a.target(s)
	if err != nil {
		return 0, err
	}
	if slot := a.pc() + 4; (t^slot)&0xF0000000 != 0 {
		return 0, fmt.Errorf("jump target 0x%08x is outside the 256 MiB region of its delay slot 0x%08x", t, slot)
	}
	return t >> 2 & 0x3FFFFFF, nil
}

// li loads a 32-bit constant, sign-extended to 64 bits like every 32-bit
// result, in as few instructions as it takes. Its size must be known in
// pass 1, so the value may not use labels.
func (a *assembler) li(args []string) ([]uint32, error) {
	if len(args) != 2 {
		return []uint32{0}, fmt.Errorf("takes 2 operands, got %d", len(args))
	}
	rt, err := gpr(args[0])
	if err != nil {
		return []uint32{0}, fmt.Errorf("operand 1: %w", err)
	}
	v, _, err := a.eval(args[1], true)
	if err != nil {
		return []uint32{0}, fmt.Errorf("operand 2: %w", err)
	}
	if v < -1<<31 || v > 1<<32-1 {
		return []uint32{0}, fmt.Errorf("operand 2: value %d does not fit in 32 bits", v)
	}
	x := uint32(v)
	const addiu, ori, lui = 9 << 26, 13 << 26, 15 << 26
	switch {
	case int32(x) == int32(int16(x)):
		return []uint32{addiu | rt<<16 | x&0xFFFF}, nil
	case x <= 0xFFFF:
		return []uint32{ori | rt<<16 | x}, nil
	case x&0xFFFF == 0:
		return []uint32{lui | rt<<16 | x>>16}, nil
	}
	return []uint32{lui | rt<<16 | x>>16, ori | rt<<21 | rt<<16 | x&0xFFFF}, nil
}

// la loads a 32-bit address with lui+ori, always two words so that labels
// defined later can be used.
func (a *assembler) la(args []string) ([]uint32, error) {
	zero := []uint32{0, 0}
	if len(args) != 2 {
		return zero, fmt.Errorf("takes 2 operands, got %d", len(args))
	}
	rt, err := gpr(args[0])
	if err != nil {
		return zero, fmt.Errorf("operand 1: %w", err)
	}
	v, _, err := a.eval(args[1], false)
	if err != nil {
		return zero, fmt.Errorf("operand 2: %w", err)
	}
	if v < -1<<31 || v > 1<<32-1 {
		return zero, fmt.Errorf("operand 2: value %d does not fit in 32 bits", v)
	}
	x := uint32(v)
	return []uint32{15<<26 | rt<<16 | x>>16, 13<<26 | rt<<21 | rt<<16 | x&0xFFFF}, nil
}
