package cpu

import (
	"encoding/binary"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/n64go/n64/internal/asm"
)

const disTestPC = 0x80001000

// Words and their text, worked out by hand from the VR4300 manual's layouts.
func TestDisassembleTable(t *testing.T) {
	tests := []struct {
		word uint32
		want string
	}{
		{0x24080005, "addiu $t0, $zero, 0x5"},
		{0x27BDFFE8, "addiu $sp, $sp, -0x18"},
		{0x03E00008, "jr $ra"},
		{0x00000000, "nop"},
		{0x000940C0, "sll $t0, $t1, 3"},
		{0x8FA90004, "lw $t1, 0x4($sp)"},
		{0xAFBFFFF8, "sw $ra, -0x8($sp)"},
		{0x3C08B000, "lui $t0, 0xb000"},
		{0x15090003, "bne $t0, $t1, 0x80001010"}, // delay slot 0x80001004 + 3 words
		{0x1109FFFF, "beq $t0, $t1, 0x80001000"},
		{0x10000001, "b 0x80001008"},
		{0x10400001, "beqz $v0, 0x80001008"},
		{0x0C000402, "jal 0x80001008"},
		{0x00801025, "move $v0, $a0"},
		{0x0320F809, "jalr $t9"},
		{0x01204009, "jalr $t0, $t1"},
		{0x0000000C, "syscall"},
		{0x000001CD, "break 0x7"},
		{0x010001F4, "teq $t0, $zero, 0x7"},
		{0x40086000, "mfc0 $t0, Status"},
		{0x40883800, "mtc0 $t0, $7"}, // reserved CP0 register
		{0x42000018, "eret"},
		{0x4448F800, "cfc1 $t0, $31"},
		{0x46041000, "add.s $f0, $f2, $f4"},
		{0x46803121, "cvt.d.w $f4, $f6"},
		{0x4602003C, "c.lt.s $f0, $f2"},
		{0x45010001, "bc1t 0x80001008"},
		{0xBD190010, "cache 0x19, 0x10($t0)"},
		// Undefined, or with "must be zero" fields set.
		{0xD8000000, "??? 0xd8000000"}, // LDC2: COP2 is not supported
		{0x00000001, "??? 0x00000001"}, // SPECIAL function 1 is reserved
		{0x00200000, "??? 0x00200000"}, // sll with rs != 0
		{0x4C000000, "??? 0x4c000000"}, // COP3
		{0x46C00000, "??? 0x46c00000"}, // COP1 fmt 22
		{0x46800004, "??? 0x46800004"}, // sqrt.w does not exist
		{0x45040000, "??? 0x45040000"}, // BC1 with a condition code
		{0x42000010, "??? 0x42000010"}, // COP0 function 16
	}
	for _, tt := range tests {
		if got := Disassemble(disTestPC, tt.word); got != tt.want {
			t.Errorf("Disassemble(%08x) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// disCorpus has every mnemonic, written as Disassemble prints it.
const disCorpus = `
sll $t0, $t1, 31
srl $t0, $t1, 1
sra $t0, $t1, 2
sllv $t0, $t1, $t2
srlv $t0, $t1, $t2
srav $t0, $t1, $t2
jr $ra
jalr $t9
jalr $t0, $t1
syscall
syscall 0xfffff
break
break 0x1
sync
mfhi $v0
mthi $v0
mflo $v0
mtlo $v0
dsllv $t0, $t1, $t2
dsrlv $t0, $t1, $t2
dsrav $t0, $t1, $t2
mult $a0, $a1
multu $a0, $a1
div $a0, $a1
divu $a0, $a1
dmult $a0, $a1
dmultu $a0, $a1
ddiv $a0, $a1
ddivu $a0, $a1
add $v0, $a0, $a1
addu $v0, $a0, $a1
sub $v0, $a0, $a1
subu $v0, $a0, $a1
and $v0, $a0, $a1
or $v0, $a0, $a1
move $v0, $a0
xor $v0, $a0, $a1
nor $v0, $a0, $a1
slt $v0, $a0, $a1
sltu $v0, $a0, $a1
dadd $v0, $a0, $a1
daddu $v0, $a0, $a1
dsub $v0, $a0, $a1
dsubu $v0, $a0, $a1
tge $a0, $a1
tgeu $a0, $a1, 0x3ff
tlt $a0, $a1
tltu $a0, $a1
teq $a0, $a1
tne $a0, $a1
dsll $t0, $t1, 4
dsrl $t0, $t1, 4
dsra $t0, $t1, 4
dsll32 $t0, $t1, 0
dsrl32 $t0, $t1, 31
dsra32 $t0, $t1, 4
bltz $a0, 0x80001000
bgez $a0, 0x80021000
bltzl $a0, 0x7ffe1004
bgezl $a0, 0x80001000
tgei $a0, -0x8000
tgeiu $a0, 0x7fff
tlti $a0, 0x1
tltiu $a0, 0x1
teqi $a0, 0x1
tnei $a0, 0x1
bltzal $a0, 0x80001000
bgezal $a0, 0x80001000
bltzall $a0, 0x80001000
bgezall $a0, 0x80001000
j 0x80000000
jal 0x8ffffffc
beq $a0, $a1, 0x80001000
b 0x80001000
beqz $a0, 0x80001000
bne $a0, $a1, 0x80001000
bnez $a0, 0x80001000
bnez $zero, 0x80001000
blez $a0, 0x80001000
bgtz $a0, 0x80001000
addi $t0, $t1, -0x1
addiu $t0, $t1, 0x7fff
slti $t0, $t1, 0x0
sltiu $t0, $t1, 0x0
andi $t0, $t1, 0xffff
ori $t0, $t1, 0x0
xori $t0, $t1, 0x8000
lui $t0, 0xffff
beql $a0, $a1, 0x80001000
bnel $a0, $a1, 0x80001000
blezl $a0, 0x80001000
bgtzl $a0, 0x80001000
daddi $t0, $t1, 0x1
daddiu $t0, $t1, 0x1
ldl $t0, 0x0($sp)
ldr $t0, 0x7($sp)
lb $t0, -0x8000($s8)
lh $t0, 0x0($gp)
lwl $t0, 0x0($k0)
lw $t0, 0x0($k1)
lbu $t0, 0x0($at)
lhu $t0, 0x0($v1)
lwr $t0, 0x0($a2)
lwu $t0, 0x0($a3)
sb $t0, 0x0($t3)
sh $t0, 0x0($t4)
swl $t0, 0x0($t5)
sw $t0, 0x0($t6)
sdl $t0, 0x0($t7)
sdr $t0, 0x0($s0)
swr $t0, 0x0($s1)
cache 0x1f, 0x0($s2)
ll $t0, 0x0($s3)
lwc1 $f31, 0x0($s4)
lld $t0, 0x0($s5)
ldc1 $f0, 0x0($s6)
ld $t0, 0x0($s7)
sc $t0, 0x0($t8)
swc1 $f1, 0x0($t9)
scd $t0, 0x0($ra)
sdc1 $f2, 0x0($zero)
sd $t0, 0x0($v0)
mfc0 $t0, Index
dmfc0 $t0, ErrorEPC
mtc0 $t0, XContext
dmtc0 $t0, $31
tlbr
tlbwi
tlbwr
tlbp
eret
mfc1 $t0, $f1
dmfc1 $t0, $f1
cfc1 $t0, $0
mtc1 $t0, $f1
dmtc1 $t0, $f1
ctc1 $t0, $31
bc1f 0x80001000
bc1t 0x80001000
bc1fl 0x80001000
bc1tl 0x80001000
add.s $f0, $f1, $f2
sub.d $f0, $f1, $f2
mul.s $f0, $f1, $f2
div.d $f0, $f1, $f2
sqrt.s $f0, $f1
abs.d $f0, $f1
mov.s $f0, $f1
neg.d $f0, $f1
round.l.s $f0, $f1
trunc.l.d $f0, $f1
ceil.l.s $f0, $f1
floor.l.d $f0, $f1
round.w.s $f0, $f1
trunc.w.d $f0, $f1
ceil.w.s $f0, $f1
floor.w.d $f0, $f1
cvt.s.d $f0, $f1
cvt.s.w $f0, $f1
cvt.s.l $f0, $f1
cvt.d.s $f0, $f1
cvt.d.w $f0, $f1
cvt.d.l $f0, $f1
cvt.w.s $f0, $f1
cvt.w.d $f0, $f1
cvt.l.s $f0, $f1
cvt.l.d $f0, $f1
c.f.s $f0, $f1
c.un.d $f0, $f1
c.eq.s $f0, $f1
c.ueq.d $f0, $f1
c.olt.s $f0, $f1
c.ult.d $f0, $f1
c.ole.s $f0, $f1
c.ule.d $f0, $f1
c.sf.s $f0, $f1
c.ngle.d $f0, $f1
c.seq.s $f0, $f1
c.ngl.d $f0, $f1
c.lt.s $f0, $f1
c.nge.d $f0, $f1
c.le.s $f0, $f1
c.ngt.d $f0, $f1
nop
`

// Each corpus line assembles to one word that disassembles to the same line.
func TestDisassembleCorpus(t *testing.T) {
	for _, line := range strings.Split(strings.TrimSpace(disCorpus), "\n") {
		p, err := asm.Assemble(line, disTestPC)
		if err != nil {
			t.Errorf("%s", err)
			continue
		}
		if len(p.Code) != 4 {
			t.Errorf("%q assembles to %d bytes", line, len(p.Code))
			continue
		}
		if got := Disassemble(disTestPC, binary.BigEndian.Uint32(p.Code)); got != line {
			t.Errorf("%q assembles to %08x, which disassembles to %q", line, binary.BigEndian.Uint32(p.Code), got)
		}
	}
}

// Any word Disassemble knows assembles back to itself, at two addresses so
// that branch and jump targets also wrap. Since decoding is strict (nonzero
// reserved fields give "???"), no word needs skipping. Half of the words get
// random fields cleared, or few SPECIAL/COP words would decode.
func TestDisassembleRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(64, 4300))
	fields := []uint32{31 << 21, 31 << 16, 31 << 11, 31 << 6, 1<<11 - 1, (1<<25 - 1) &^ 63}
	known := 0
	const n = 100000
	for i := range 2 * n {
		w := rng.Uint32()
		if i >= n {
			for _, f := range fields {
				if rng.IntN(2) == 0 {
					w &^= f
				}
			}
		}
		pc := uint32(disTestPC)
		if i%2 == 1 {
			pc = 0xFFFFFFF0 // branches forward wrap to low addresses
		}
		text := Disassemble(pc, w)
		if strings.HasPrefix(text, "???") {
			continue
		}
		known++
		p, err := asm.Assemble(text, pc)
		if err != nil {
			t.Fatalf("%08x at %08x = %q: %v", w, pc, text, err)
		}
		if got := binary.BigEndian.Uint32(p.Code); len(p.Code) != 4 || got != w {
			t.Fatalf("%08x at %08x = %q assembles to %x", w, pc, text, p.Code)
		}
	}
	if known < n/2 {
		t.Errorf("only %d of %d words decoded", known, 2*n)
	}
	t.Logf("%d of %d random words decoded and round-tripped", known, 2*n)
}
