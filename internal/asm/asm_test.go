package asm

import (
	"bytes"
	"encoding/binary"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const testOrigin = 0x80001000

func words(code []byte) []uint32 {
	w := make([]uint32, len(code)/4)
	for i := range w {
		w[i] = binary.BigEndian.Uint32(code[4*i:])
	}
	return w
}

// The expected words were worked out by hand from the bit layouts in the
// VR4300 User's Manual (ch. 16-17); each comment gives the fields.
func TestEncodings(t *testing.T) {
	tests := []struct {
		src  string
		want []uint32
	}{
		// Immediate (I-type): op | rs | rt | imm16.
		{"addiu $t0, $zero, 5", []uint32{0x24080005}},            // 001001 00000 01000 0x0005
		{"addiu $sp, $sp, -24", []uint32{0x27BDFFE8}},            // 001001 11101 11101 0xFFE8
		{"ori $t0, $t0, 0x1000", []uint32{0x35081000}},           // 001101 01000 01000
		{"andi $t1, $t2, 0xFFFF", []uint32{0x3149FFFF}},          // 001100 01010 01001
		{"lui $t0, 0xB000", []uint32{0x3C08B000}},                // 001111 00000 01000
		{"sltiu $v0, $a0, -1", []uint32{0x2C82FFFF}},             // 001011 00100 00010
		{"daddiu $t0, $t0, 8", []uint32{0x65080008}},             // 011001 01000 01000
		{"lw $t1, 4($sp)", []uint32{0x8FA90004}},                 // 100011 11101 01001
		{"sw $ra, -8($sp)", []uint32{0xAFBFFFF8}},                // 101011 11101 11111 0xFFF8
		{"lb $t0, ($a0)", []uint32{0x80880000}},                  // 100000 00100 01000
		{"ld $t0, 8($sp)", []uint32{0xDFA80008}},                 // 110111 11101 01000
		{"sdr $t0, 7($a0)", []uint32{0xB4880007}},                // 101101 00100 01000
		{"cache 0x19, 0x10($t0)", []uint32{0xBD190010}},          // 101111 01000 11001(op) 0x0010
		{"lwc1 $f0, 0($a0)", []uint32{0xC4800000}},               // 110001 00100 00000(ft)
		{"sdc1 $f2, 8($sp)", []uint32{0xF7A20008}},               // 111101 11101 00010(ft)
		{"LW $t1, 4($sp)", []uint32{0x8FA90004}},                 // mnemonics are case-insensitive
		{"sll $0, $0, 0", []uint32{0}},                           // all zero
		{"nop", []uint32{0}},                                     //
		{"sll $t0, $t1, 3", []uint32{0x000940C0}},                // 000000 00000 01001 01000 00011 000000
		{"sra $v0, $v0, 31", []uint32{0x000217C3}},               // 000000 00000 00010 00010 11111 000011
		{"dsll32 $t0, $t1, 4", []uint32{0x0009413C}},             // rt 9, rd 8, sa 4, funct 111100
		{"sllv $t0, $t1, $t2", []uint32{0x01494004}},             // rs 10, rt 9, rd 8, funct 000100
		{"addu $v0, $a0, $a1", []uint32{0x00851021}},             // rs 4, rt 5, rd 2, funct 100001
		{"dsubu $s8, $fp, $ra", []uint32{0x03DFF02F}},            // rs 30, rt 31, rd 30, funct 101111
		{"mult $a0, $a1", []uint32{0x00850018}},                  // rs 4, rt 5, funct 011000
		{"ddivu $a0, $a1", []uint32{0x0085001F}},                 // rs 4, rt 5, funct 011111
		{"mflo $v0", []uint32{0x00001012}},                       // rd 2, funct 010010
		{"mthi $a0", []uint32{0x00800011}},                       // rs 4, funct 010001
		{"jr $ra", []uint32{0x03E00008}},                         // rs 31, funct 001000
		{"jalr $t9", []uint32{0x0320F809}},                       // rs 25, rd 31, funct 001001
		{"jalr $t0, $t1", []uint32{0x01204009}},                  // rs 9, rd 8
		{"syscall", []uint32{0x0000000C}},                        // funct 001100
		{"break 7", []uint32{0x000001CD}},                        // code 7 << 6, funct 001101
		{"sync", []uint32{0x0000000F}},                           // funct 001111
		{"teq $t0, $zero, 7", []uint32{0x010001F4}},              // rs 8, code 7 << 6, funct 110100
		{"tne $t0, $t1", []uint32{0x01090036}},                   // rs 8, rt 9, funct 110110
		{"move $v0, $a0", []uint32{0x00801025}},                  // or rd 2, rs 4, rt 0
		{"neg $v0, $a0", []uint32{0x00041022}},                   // sub rd 2, rs 0, rt 4
		{"negu $v0, $a0", []uint32{0x00041023}},                  // subu rd 2, rs 0, rt 4
		{"not $v0, $a0", []uint32{0x00801027}},                   // nor rd 2, rs 4, rt 0
		{"teqi $t0, -1", []uint32{0x050CFFFF}},                   // 000001 01000 01100(teqi) 0xFFFF
		{"j 0x80001000", []uint32{0x08000400}},                   // 000010, target 0x0001000 >> 2
		{"jal 0x8FFFFFFC", []uint32{0x0FFFFFFF}},                 // 000011, target 0xFFFFFFC >> 2
		{"mfc0 $t0, Status", []uint32{0x40086000}},               // 010000 00000 01000 01100(12)
		{"mtc0 $zero, cause", []uint32{0x40806800}},              // 010000 00100 00000 01101(13)
		{"mtc0 $t0, $9", []uint32{0x40884800}},                   // rd 9 (Count)
		{"dmfc0 $t0, EPC", []uint32{0x40287000}},                 // rs 00001, rd 14
		{"tlbwi", []uint32{0x42000002}},                          // 010000 1(CO) ... 000010
		{"tlbp", []uint32{0x42000008}},                           // funct 001000
		{"eret", []uint32{0x42000018}},                           // funct 011000
		{"mtc1 $t0, $f2", []uint32{0x44881000}},                  // 010001 00100 01000 00010
		{"dmfc1 $t0, $f31", []uint32{0x4428F800}},                // 010001 00001 01000 11111
		{"cfc1 $t0, $31", []uint32{0x4448F800}},                  // 010001 00010 01000 11111
		{"ctc1 $t0, $31", []uint32{0x44C8F800}},                  // 010001 00110 01000 11111
		{"add.s $f0, $f2, $f4", []uint32{0x46041000}},            // fmt 10000, ft 4, fs 2, fd 0, 000000
		{"mul.d $f0, $f2, $f4", []uint32{0x46241002}},            // fmt 10001, funct 000010
		{"sqrt.d $f6, $f8", []uint32{0x46204184}},                // fmt 10001, fs 8, fd 6, 000100
		{"cvt.s.d $f0, $f2", []uint32{0x46201020}},               // fmt 10001 (d), funct 100000 (cvt.s)
		{"cvt.d.w $f4, $f6", []uint32{0x46803121}},               // fmt 10100 (w), fs 6, fd 4, 100001
		{"cvt.s.l $f4, $f6", []uint32{0x46A03120}},               // fmt 10101 (l), 100000
		{"trunc.w.s $f0, $f2", []uint32{0x4600100D}},             // fmt 10000, fs 2, funct 001101
		{"floor.l.d $f0, $f2", []uint32{0x4620100B}},             // fmt 10001, fs 2, funct 001011
		{"c.lt.s $f0, $f2", []uint32{0x4602003C}},                // fmt 10000, ft 2, fs 0, funct 111100
		{"c.ueq.d $f4, $f6", []uint32{0x46262033}},               // fmt 10001, ft 6, fs 4, funct 110011
		{"li $t0, -1", []uint32{0x2408FFFF}},                     // addiu $t0, $zero, -1
		{"li $t0, 0x8000", []uint32{0x34088000}},                 // ori $t0, $zero, 0x8000
		{"li $t0, 0x12340000", []uint32{0x3C081234}},             // lui $t0, 0x1234
		{"li $t0, 0xFFFF8000", []uint32{0x24088000}},             // addiu: sign-extends to the same value
		{"li $t0, 0x80000000", []uint32{0x3C088000}},             // lui $t0, 0x8000
		{"li $a0, 0x12345678", []uint32{0x3C041234, 0x34845678}}, // lui; ori $a0, $a0
		{"la $a0, 0x80001234", []uint32{0x3C048000, 0x34841234}}, // lui; ori
		{".equ X, 0x80018000\nlui $t0, %hi(X)\naddiu $t0, $t0, %lo(X)\nlw $t1, %lo(X)($t0)\nori $t2, $t2, %lo(X)",
			[]uint32{0x3C088002, 0x25088000, 0x8D098000, 0x354A8000}}, // %hi carries bit 15: 0x8001+1
		{"addiu $t0, $zero, -(2+0b11)", []uint32{0x2408FFFB}}, // imm -5
		{".equ N, 3\nli $t0, N+1\nsll $t0, $t0, N-1", []uint32{0x24080004, 0x00084080}},
		// Branches: offset in words from the delay slot (pc+4).
		{"back: beq $t0, $t1, back\nnop", []uint32{0x1109FFFF, 0}},                       // 000100 01000 01001, -1
		{"bne $t0, $t1, fwd\nnop\nnop\nnop\nfwd: nop", []uint32{0x15090003, 0, 0, 0, 0}}, // 000101, +3
		{"b l\nnop\nl:", []uint32{0x10000001, 0}},                                        // beq $0, $0, +1
		{"beqz $v0, l\nnop\nl:", []uint32{0x10400001, 0}},                                // beq rs 2, rt 0
		{"bnez $v0, l\nnop\nl:", []uint32{0x14400001, 0}},                                // bne rs 2, rt 0
		{"blezl $a0, l\nnop\nl:", []uint32{0x58800001, 0}},                               // 010110 00100 00000
		{"bgezal $a0, l\nnop\nl:", []uint32{0x04910001, 0}},                              // 000001 00100 10001
		{"bc1t l\nnop\nl:", []uint32{0x45010001, 0}},                                     // 010001 01000 00001
		{"bc1fl 0x80001000", []uint32{0x4502FFFF}},                                       // 010001 01000 00010, -1
		{"j l\nnop\nl: jal l", []uint32{0x08000402, 0, 0x0C000402}},                      // 0x80001008 >> 2
	}
	for _, tt := range tests {
		p, err := Assemble(tt.src, testOrigin)
		if err != nil {
			t.Errorf("%q: %v", tt.src, err)
			continue
		}
		if got := words(p.Code); !slices.Equal(got, tt.want) {
			t.Errorf("%q = %08X, want %08X", tt.src, got, tt.want)
		}
	}
}

func TestDataAndLabels(t *testing.T) {
	src := `
start:	.byte 1, 0xFF, -1   # three bytes
	.align 2            ; pads one byte
	.half 0x1234, -2
table:	.word start, table+4
	.dword -1
two: one: .ascii "a,b#;"
	.asciiz "\n", "z"
	.space 2
	.org 0x80001030
end:	jr $ra
`
	p, err := Assemble(src, testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		1, 0xFF, 0xFF, 0, // .byte, .align
		0x12, 0x34, 0xFF, 0xFE, // .half
		0x80, 0x00, 0x10, 0x00, 0x80, 0x00, 0x10, 0x0C, // .word start, table+4
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // .dword
		'a', ',', 'b', '#', ';', '\n', 0, 'z', 0, // .ascii, .asciiz
		0, 0, // .space
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // .org
		0x03, 0xE0, 0x00, 0x08, // jr $ra
	}
	if !bytes.Equal(p.Code, want) {
		t.Errorf("code\n% x\nwant\n% x", p.Code, want)
	}
	syms := map[string]uint32{"start": 0x80001000, "table": 0x80001008, "one": 0x80001018, "two": 0x80001018, "end": 0x80001030}
	if !maps.Equal(p.Symbols, syms) {
		t.Errorf("symbols %x, want %x", p.Symbols, syms)
	}
	if p.Origin != testOrigin {
		t.Errorf("origin %x", p.Origin)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		src, want string // want: a regexp the error must match
	}{
		{"nop\nfoo $t0", `line 2: foo: unknown instruction`},
		{"addiu $t10, $zero, 1", `line 1: addiu: operand 1: bad register "\$t10"`},
		{"addiu $t0, t1, 1", `line 1: addiu: operand 2: bad register "t1"`},
		{"mtc0 $t0, $t1", `line 1: .*bad CP0 register`},
		{"add.s $f0, $f1, $f32", `line 1: .*bad FPU register "\$f32"`},
		{"\n\naddiu $t0, $zero, 40000", `line 3: addiu: operand 3: immediate 40000 out of range -32768..32767`},
		{"ori $t0, $t0, -1", `line 1: .*immediate -1 out of range 0..65535`},
		{"sll $t0, $t0, 32", `line 1: .*value 32 out of range 0..31`},
		{".byte 256", `line 1: .*value 256 out of range -128..255`},
		{"b nowhere\nnop", `line 1: b: operand 1: undefined symbol "nowhere"`},
		{"b far\nnop\n.space 0x20000\nfar: nop", `line 1: b: .*out of range`},
		{"beq $t0, $t1, 0x80001002", `line 1: .*not word-aligned`},
		{"j 0x90000000", `line 1: j: .*outside the 256 MiB region`},
		{"li $t0, x\nx: nop", `line 1: li: .*constant`},
		{"li $t0, 0x100000000", `line 1: li: .*32 bits`},
		{"addu $t0, $t1", `line 1: addu: takes 3 operands, got 2`},
		{"jalr", `line 1: jalr: takes 2 or 1 operands, got 0`},
		{"x: nop\nx: nop", `line 2: "x" redefined`},
		{".byte 1\nnop", `line 2: nop: instruction at unaligned address`},
		{".byte 1\n.word 2", `line 2: .word: unaligned`},
		{".org 0x80000000", `line 1: .org: .*below`},
		{".space 0x10000000", `line 1: .space: .*exceed`},
		{".foo", `line 1: .foo: unknown directive`},
		{`.ascii "abc`, `line 1: unterminated string`},
		{`.ascii abc`, `line 1: .ascii: want a double-quoted string`},
		{"addu $t0,, $t1", `line 1: empty operand`},
		{"addiu $t0, $t0, 1+", `line 1: .*missing value`},
		{"addiu $t0, $t0, (1", `line 1: .*missing '\)'`},
		{"addiu $t0, $t0, 0x", `line 1: .*bad number "0x"`},
		{"lw $t0, 4", `line 1: lw: .*want offset\(base\)`},
		{"lw $t0, 4($t0", `line 1: lw: .*want offset\(base\)`},
		{"addiu $t0, $t0, 1 2", `line 1: .*unexpected "2"`},
		{".equ A, 1\n.equ A, 2", `line 2: .equ: "A" redefined`},
		{".equ A, 1\nA: nop", `line 2: "A" redefined`},
		{".equ 1A, 1", `line 1: .equ: bad name`},
		{"x: .equ A, x", `line 1: .equ: .*constant`},
		{".align 17", `line 1: .align: alignment 17 out of range`},
		{".org", `line 1: .org: takes 1 operands, got 0`},
		{"la $t0", `line 1: la: takes 2 operands`},
		{"la $t0, -0x80000001", `line 1: la: .*32 bits`},
		{"j -4", `line 1: j: .*not a 32-bit address`},
	}
	for _, tt := range tests {
		_, err := Assemble(tt.src, testOrigin)
		if err == nil {
			t.Errorf("%q: no error, want %s", tt.src, tt.want)
			continue
		}
		if !regexp.MustCompile(tt.want).MatchString(err.Error()) {
			t.Errorf("%q: error %q, want %s", tt.src, err, tt.want)
		}
	}
}

func TestErrorsReportEveryLine(t *testing.T) {
	_, err := Assemble("foo\nnop\nbar", testOrigin)
	if err == nil || !strings.Contains(err.Error(), "line 1:") || !strings.Contains(err.Error(), "line 3:") {
		t.Errorf("error %v, want both lines 1 and 3", err)
	}
}

// A branch or jump's delay slot holds one word: a two-word li or la there
// is an error; one-word forms, and two-word ones after a non-branch or
// after a label-only line, are not.
func TestDelaySlotPseudo(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want string // "" for no error, else a regexp
	}{
		{"jal x\nla $a0, x\nx: nop", `line 2: la: expands to two instructions in a delay slot`},
		{"beq $t0, $t1, x\nli $t2, 0x12345678\nx: nop", `line 2: li: expands to two`},
		{"jr $ra\nli $v0, 0x10001\nnop", `line 2: li: expands to two`},
		{"b x\ny: la $t0, x\nx: nop", `line 2: la: expands to two`},
		{"jalr $t9\nla $t0, 0\nnop", `line 2: la: expands to two`},
		{"jal x\nli $a0, 0x7FFF\nx: nop", ""},      // addiu
		{"jal x\nli $a0, 0xFFFF\nx: nop", ""},      // ori
		{"jal x\nli $a0, 0x12340000\nx: nop", ""},  // lui
		{"jal x\nnop\nla $a0, x\nx: nop", ""},      // after the slot
		{"addu $t0, $t1, $t2\nla $a0, 0\nnop", ""}, // not a branch
	} {
		_, err := Assemble(tc.src, 0x80000000)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.src, err)
		case tc.want != "" && (err == nil || !regexp.MustCompile(tc.want).MatchString(err.Error())):
			t.Errorf("%q: error %v, want %s", tc.src, err, tc.want)
		}
	}
}
