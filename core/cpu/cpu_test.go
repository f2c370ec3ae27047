package cpu

import (
	"testing"

	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
	"github.com/n64go/n64/internal/asm"
)

// Register numbers for test tables.
const (
	rZero = 0
	rAT   = 1
	rV0   = 2
	rV1   = 3
	rA0   = 4
	rA1   = 5
	rT0   = 8
	rT1   = 9
	rT2   = 10
	rT3   = 11
	rT4   = 12
	rS0   = 16
	rK0   = 26
	rRA   = 31
)

// bootStatus is Status as the PIF leaves it: CU0, CU1, FR, kernel mode,
// interrupts off, EXL/ERL/BEV clear (DESIGN.md §4).
const bootStatus = 0x3400_0000

// codeOrigin is where test programs are placed: kseg0 over RDRAM 0x1000.
const codeOrigin = 0x8000_1000

// newCPU returns a CPU on 8 MiB of RDRAM with CountPerOp 2 (an instruction
// costs 4 cycles), booted as the PIF leaves it, PC at codeOrigin.
func newCPU(t testing.TB) *CPU {
	t.Helper()
	c := New(memory.NewBus(memory.RDRAMSize8M), sched.New(), Timing{CountPerOp: 2})
	c.CP0[CP0Status] = bootStatus
	c.PC = sext32(codeOrigin)
	return c
}

// load assembles src at origin (a kseg0/kseg1 address) into RDRAM and
// returns its symbols.
func load(t testing.TB, c *CPU, src string, origin uint32) map[string]uint32 {
	t.Helper()
	p, err := asm.Assemble(src, origin)
	if err != nil {
		t.Fatalf("assemble: %v", err)
	}
	copy(c.bus.RDRAM[origin&kseg01PhysMask:], p.Code)
	return p.Symbols
}

// program loads src at codeOrigin and points PC at it.
func program(t testing.TB, c *CPU, src string) map[string]uint32 {
	t.Helper()
	syms := load(t, c, src, codeOrigin)
	c.PC = sext32(codeOrigin)
	return syms
}

// step executes n instructions, dispatching due events the way the machine
// does (sched.Compare to CompareEvent).
func step(t testing.TB, c *CPU, n int) {
	t.Helper()
	for done := 0; done < n; {
		dispatch(c)
		before := c.Steps
		c.Run(c.sched.Now + 1)
		done += int(c.Steps - before)
	}
	dispatch(c)
}

func dispatch(c *CPU) {
	for {
		k, ok := c.sched.Pop()
		if !ok {
			return
		}
		if k == sched.Compare {
			c.CompareEvent()
		}
	}
}

func word32(c *CPU, vaddr uint32) uint32 { return c.bus.Read32(vaddr & kseg01PhysMask) }
func word64(c *CPU, vaddr uint32) uint64 { return c.bus.Read64(vaddr & kseg01PhysMask) }

type regs map[int]uint64

// aluTests: each runs its program from codeOrigin for steps instructions
// with the registers of init and checks want. Expected values were worked
// out by hand from the manual's instruction descriptions (VR4300 User's
// Manual ch. 16, "manual ch. 16 NAME").
var aluTests = []struct {
	name  string // instruction and the behaviour checked
	cite  string
	src   string
	init  regs
	want  regs
	steps int
}{
	{"ADDU wraps without trapping", "manual ch. 16 ADDU",
		"addu $t2, $t0, $t1", regs{rT0: 0x7FFF_FFFF, rT1: 1},
		regs{rT2: 0xFFFF_FFFF_8000_0000}, 1},
	{"ADDU uses the low words only", "manual ch. 16 ADDU: 32-bit operation",
		"addu $t2, $t0, $t1", regs{rT0: 0x1_0000_0001, rT1: 1},
		regs{rT2: 2}, 1},
	{"ADDIU sign-extends the 32-bit sum", "manual ch. 16 ADDIU",
		"addiu $t1, $t0, 1", regs{rT0: 0x7FFF_FFFF},
		regs{rT1: 0xFFFF_FFFF_8000_0000}, 1},
	{"ADDI without overflow", "manual ch. 16 ADDI",
		"addi $t1, $t0, -2", regs{rT0: 1},
		regs{rT1: 0xFFFF_FFFF_FFFF_FFFF}, 1},
	{"SUBU 0-1 is -1 sign-extended", "manual ch. 16 SUBU",
		"subu $t2, $zero, $t0", regs{rT0: 1},
		regs{rT2: 0xFFFF_FFFF_FFFF_FFFF}, 1},
	{"SUB without overflow", "manual ch. 16 SUB",
		"sub $t2, $t0, $t1", regs{rT0: 5, rT1: 7},
		regs{rT2: 0xFFFF_FFFF_FFFF_FFFE}, 1},
	{"SLL by 0 still sign-extends", "manual ch. 16 SLL: result sign-extended",
		"sll $t1, $t0, 0", regs{rT0: 0x8000_0000},
		regs{rT1: 0xFFFF_FFFF_8000_0000}, 1},
	{"SLL", "manual ch. 16 SLL",
		"sll $t1, $t0, 4", regs{rT0: 0x0800_0001},
		regs{rT1: 0xFFFF_FFFF_8000_0010}, 1},
	{"SRL shifts in zeros from bit 31", "manual ch. 16 SRL",
		"srl $t1, $t0, 4", regs{rT0: 0xFFFF_FFFF_8000_0000},
		regs{rT1: 0x0800_0000}, 1},
	{"SRA", "manual ch. 16 SRA",
		"sra $t1, $t0, 4", regs{rT0: 0xFFFF_FFFF_8000_0000},
		regs{rT1: 0xFFFF_FFFF_F800_0000}, 1},
	{"SRA shifts the 64-bit value", "n64-systemtest via ares: bits 63..32 shift into the word",
		"sra $t1, $t0, 1", regs{rT0: 0x1_0000_0000},
		regs{rT1: 0xFFFF_FFFF_8000_0000}, 1},
	{"SLLV uses rs bits 4..0", "manual ch. 16 SLLV",
		"sllv $t1, $t0, $t2", regs{rT0: 1, rT2: 33},
		regs{rT1: 2}, 1},
	{"SRAV", "manual ch. 16 SRAV",
		"srav $t1, $t0, $t2", regs{rT0: 0xFFFF_FFFF_8000_0000, rT2: 31},
		regs{rT1: 0xFFFF_FFFF_FFFF_FFFF}, 1},
	{"SRLV", "manual ch. 16 SRLV",
		"srlv $t1, $t0, $t2", regs{rT0: 0xFFFF_FFFF_8000_0000, rT2: 31},
		regs{rT1: 1}, 1},
	{"DSLL", "manual ch. 16 DSLL",
		"dsll $t1, $t0, 31", regs{rT0: 3},
		regs{rT1: 0x1_8000_0000}, 1},
	{"DSLL32 shifts by sa+32", "manual ch. 16 DSLL32",
		"dsll32 $t1, $t0, 4", regs{rT0: 1},
		regs{rT1: 0x10_0000_0000}, 1},
	{"DSRA32 by 0 sign-extends the high word", "manual ch. 16 DSRA32",
		"dsra32 $t1, $t0, 0", regs{rT0: 0x8000_0000_0000_0000},
		regs{rT1: 0xFFFF_FFFF_8000_0000}, 1},
	{"DSRA32 by 4", "manual ch. 16 DSRA32",
		"dsra32 $t1, $t0, 4", regs{rT0: 0x8000_0000_0000_0000},
		regs{rT1: 0xFFFF_FFFF_F800_0000}, 1},
	{"DSRL32", "manual ch. 16 DSRL32",
		"dsrl32 $t1, $t0, 4", regs{rT0: 0x8000_0000_0000_0000},
		regs{rT1: 0x0800_0000}, 1},
	{"DSRA", "manual ch. 16 DSRA",
		"dsra $t1, $t0, 8", regs{rT0: 0x8000_0000_0000_0000},
		regs{rT1: 0xFF80_0000_0000_0000}, 1},
	{"DSRAV uses rs bits 5..0", "manual ch. 16 DSRAV",
		"dsrav $t1, $t0, $t2", regs{rT0: 0x8000_0000_0000_0000, rT2: 64 + 4},
		regs{rT1: 0xF800_0000_0000_0000}, 1},
	{"DSLLV/DSRLV", "manual ch. 16 DSLLV, DSRLV",
		"dsllv $t1, $t0, $t2\ndsrlv $t3, $t1, $t2", regs{rT0: 0xFF, rT2: 60},
		regs{rT1: 0xF000_0000_0000_0000, rT3: 0xF}, 2},
	{"LUI sign-extends", "manual ch. 16 LUI",
		"lui $t0, 0x8000", nil,
		regs{rT0: 0xFFFF_FFFF_8000_0000}, 1},
	{"ORI/ANDI/XORI zero-extend the immediate", "manual ch. 16 ORI, ANDI, XORI",
		"ori $t0, $zero, 0x8000\nandi $t1, $t2, 0xFFFF\nxori $t3, $t2, 0x8001", regs{rT2: 0xFFFF_FFFF_FFFF_FFFF},
		regs{rT0: 0x8000, rT1: 0xFFFF, rT3: 0xFFFF_FFFF_FFFF_7FFE}, 3},
	{"AND/OR/XOR/NOR are 64-bit", "manual ch. 16 AND, OR, XOR, NOR",
		"and $a0, $t0, $t1\nor $a1, $t0, $t1\nxor $t2, $t0, $t1\nnor $t3, $t0, $t1",
		regs{rT0: 0xF0F0_0000_FFFF_0000, rT1: 0xFF00_0000_0F0F_0000},
		regs{rA0: 0xF000_0000_0F0F_0000, rA1: 0xFFF0_0000_FFFF_0000, rT2: 0x0FF0_0000_F0F0_0000, rT3: 0x000F_FFFF_0000_FFFF}, 4},
	{"SLT is signed, SLTU unsigned", "manual ch. 16 SLT, SLTU",
		"slt $t2, $t0, $t1\nsltu $t3, $t0, $t1", regs{rT0: 0xFFFF_FFFF_FFFF_FFFF, rT1: 1},
		regs{rT2: 1, rT3: 0}, 2},
	{"SLTI signed immediate", "manual ch. 16 SLTI",
		"slti $t1, $t0, 0", regs{rT0: 0xFFFF_FFFF_FFFF_FFFF},
		regs{rT1: 1}, 1},
	{"SLTIU sign-extends the immediate, compares unsigned", "manual ch. 16 SLTIU",
		"sltiu $t1, $t0, -1\nsltiu $t2, $t3, 1", regs{rT0: 5, rT3: 0xFFFF_FFFF_FFFF_FFFE},
		regs{rT1: 1, rT2: 0}, 2},
	{"DADDU/DSUBU are 64-bit", "manual ch. 16 DADDU, DSUBU",
		"daddu $t2, $t0, $t1\ndsubu $t3, $t0, $t1", regs{rT0: 0x7FFF_FFFF_FFFF_FFFF, rT1: 1},
		regs{rT2: 0x8000_0000_0000_0000, rT3: 0x7FFF_FFFF_FFFF_FFFE}, 2},
	{"DADDIU", "manual ch. 16 DADDIU",
		"daddiu $t1, $t0, -1", regs{rT0: 0x1_0000_0000},
		regs{rT1: 0xFFFF_FFFF}, 1},
	{"MULT: signed product, halves sign-extended", "manual ch. 16 MULT",
		"mult $t0, $t1\nmflo $t2\nmfhi $t3", regs{rT0: 0xFFFF_FFFF_FFFF_FFFE, rT1: 3},
		regs{rT2: 0xFFFF_FFFF_FFFF_FFFA, rT3: 0xFFFF_FFFF_FFFF_FFFF}, 3},
	{"MULT large", "manual ch. 16 MULT",
		"mult $t0, $t0\nmflo $t2\nmfhi $t3", regs{rT0: 0x7FFF_FFFF},
		regs{rT2: 1, rT3: 0x3FFF_FFFF}, 3},
	{"MULTU: HI sign-extended", "manual ch. 16 MULTU",
		"multu $t0, $t0\nmflo $t2\nmfhi $t3", regs{rT0: 0xFFFF_FFFF_FFFF_FFFF},
		regs{rT2: 1, rT3: 0xFFFF_FFFF_FFFF_FFFE}, 3},
	{"DMULTU: full 128-bit product", "manual ch. 16 DMULTU",
		"dmultu $t0, $t0\nmflo $t2\nmfhi $t3", regs{rT0: 0xFFFF_FFFF_FFFF_FFFF},
		regs{rT2: 1, rT3: 0xFFFF_FFFF_FFFF_FFFE}, 3},
	{"DMULTU 2^63*4", "manual ch. 16 DMULTU",
		"dmultu $t0, $t1\nmflo $t2\nmfhi $t3", regs{rT0: 1 << 63, rT1: 4},
		regs{rT2: 0, rT3: 2}, 3},
	{"DMULT signed 128-bit", "manual ch. 16 DMULT",
		"dmult $t0, $t1\nmflo $t2\nmfhi $t3", regs{rT0: 0xFFFF_FFFF_FFFF_FFFE, rT1: 3},
		regs{rT2: 0xFFFF_FFFF_FFFF_FFFA, rT3: 0xFFFF_FFFF_FFFF_FFFF}, 3},
	{"DMULT -2^63 * -2^63", "manual ch. 16 DMULT",
		"dmult $t0, $t0\nmflo $t2\nmfhi $t3", regs{rT0: 1 << 63},
		regs{rT2: 0, rT3: 1 << 62}, 3},
	{"DIV truncates toward zero", "manual ch. 16 DIV",
		"div $t0, $t1\nmflo $t2\nmfhi $t3", regs{rT0: 7, rT1: 0xFFFF_FFFF_FFFF_FFFE},
		regs{rT2: 0xFFFF_FFFF_FFFF_FFFD, rT3: 1}, 3},
	{"DIV by zero, dividend >= 0: LO=-1 HI=dividend", "n64brew VR4300 division by zero; ares",
		"div $t0, $zero\nmflo $t2\nmfhi $t3", regs{rT0: 5},
		regs{rT2: 0xFFFF_FFFF_FFFF_FFFF, rT3: 5}, 3},
	{"DIV by zero, dividend < 0: LO=1 HI=dividend", "n64brew VR4300 division by zero; ares",
		"div $t0, $zero\nmflo $t2\nmfhi $t3", regs{rT0: 0xFFFF_FFFF_FFFF_FFFB},
		regs{rT2: 1, rT3: 0xFFFF_FFFF_FFFF_FFFB}, 3},
	{"DIV -2^31 / -1: LO=-2^31 HI=0", "n64brew; ares",
		"div $t0, $t1\nmflo $t2\nmfhi $t3", regs{rT0: 0xFFFF_FFFF_8000_0000, rT1: 0xFFFF_FFFF_FFFF_FFFF},
		regs{rT2: 0xFFFF_FFFF_8000_0000, rT3: 0}, 3},
	{"DIVU by zero: LO=all ones, HI=dividend sign-extended", "n64brew; ares",
		"divu $t0, $zero\nmflo $t2\nmfhi $t3", regs{rT0: 0xFFFF_FFFF_8000_0000},
		regs{rT2: 0xFFFF_FFFF_FFFF_FFFF, rT3: 0xFFFF_FFFF_8000_0000}, 3},
	{"DIVU", "manual ch. 16 DIVU",
		"divu $t0, $t1\nmflo $t2\nmfhi $t3", regs{rT0: 0xFFFF_FFFF_FFFF_FFFF, rT1: 2},
		regs{rT2: 0x7FFF_FFFF, rT3: 1}, 3},
	{"DDIV by zero", "n64brew; ares",
		"ddiv $t0, $zero\nmflo $t2\nmfhi $t3", regs{rT0: 0xFFFF_FFFF_0000_0000},
		regs{rT2: 1, rT3: 0xFFFF_FFFF_0000_0000}, 3},
	{"DDIV -2^63 / -1", "n64brew; ares",
		"ddiv $t0, $t1\nmflo $t2\nmfhi $t3", regs{rT0: 1 << 63, rT1: 0xFFFF_FFFF_FFFF_FFFF},
		regs{rT2: 1 << 63, rT3: 0}, 3},
	{"DDIVU by zero", "n64brew; ares",
		"ddivu $t0, $zero\nmflo $t2\nmfhi $t3", regs{rT0: 0x1234_5678_9ABC_DEF0},
		regs{rT2: 0xFFFF_FFFF_FFFF_FFFF, rT3: 0x1234_5678_9ABC_DEF0}, 3},
	{"DDIV", "manual ch. 16 DDIV",
		"ddiv $t0, $t1\nmflo $t2\nmfhi $t3", regs{rT0: 0xFFFF_FFFF_FFFF_FFF9, rT1: 2},
		regs{rT2: 0xFFFF_FFFF_FFFF_FFFD, rT3: 0xFFFF_FFFF_FFFF_FFFF}, 3},
	{"MTHI/MTLO move 64 bits", "manual ch. 16 MTHI, MTLO",
		"mthi $t0\nmtlo $t1\nmfhi $t2\nmflo $t3", regs{rT0: 0x1234_5678_9ABC_DEF0, rT1: 0xFEDC_BA98_7654_3210},
		regs{rT2: 0x1234_5678_9ABC_DEF0, rT3: 0xFEDC_BA98_7654_3210}, 4},
	{"$zero stays zero", "manual ch. 16: r0 is hardwired to zero",
		"addiu $zero, $zero, 5\nor $t0, $zero, $zero", nil,
		regs{rZero: 0, rT0: 0}, 2},
	{"TEQ not equal does not trap", "manual ch. 16 TEQ",
		"teq $t0, $t1\naddiu $t2, $zero, 1", regs{rT0: 1, rT1: 2},
		regs{rT2: 1}, 2},
	{"TGE not taken", "manual ch. 16 TGE",
		"tge $t0, $t1\naddiu $t2, $zero, 1", regs{rT0: 0xFFFF_FFFF_FFFF_FFFF, rT1: 0},
		regs{rT2: 1}, 2},
	{"TLTIU not taken: compares unsigned", "manual ch. 16 TLTIU",
		"tltiu $t0, -1\naddiu $t2, $zero, 1", regs{rT0: 0xFFFF_FFFF_FFFF_FFFF},
		regs{rT2: 1}, 2},
	{"SYNC and CACHE are no-ops", "manual ch. 16 SYNC, CACHE",
		"sync\ncache 0x19, 0($t0)\naddiu $t2, $zero, 1", regs{rT0: 0xFFFF_FFFF_8000_0000},
		regs{rT2: 1}, 3},
}

func TestALU(t *testing.T) {
	for _, tt := range aluTests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCPU(t)
			program(t, c, tt.src)
			for r, v := range tt.init {
				c.GPR[r] = v
			}
			step(t, c, tt.steps)
			for r, v := range tt.want {
				if c.GPR[r] != v {
					t.Errorf("%s: $%s = %#x, want %#x (%s)", tt.name, RegName(r), c.GPR[r], v, tt.cite)
				}
			}
			if c.CP0[CP0Status]&StatusEXL != 0 {
				t.Errorf("%s: unexpected exception, Cause %#x EPC %#x", tt.name, c.CP0[CP0Cause], c.CP0[CP0EPC])
			}
		})
	}
}

// branchTests check control flow by which instructions ran: each program
// sets a distinct register per instruction reached.
var branchTests = []struct {
	name  string
	cite  string
	src   string
	init  regs
	steps int
	want  regs
	pc    uint32 // expected PC after steps (0: not checked)
}{
	{"taken branch runs its delay slot", "manual ch. 16 BEQ: the delay slot executes",
		"beq $zero, $zero, L\naddiu $t0, $zero, 1\naddiu $t1, $zero, 1\nL: addiu $t2, $zero, 1",
		nil, 3, regs{rT0: 1, rT1: 0, rT2: 1}, 0},
	{"branch not taken runs the delay slot and falls through", "manual ch. 16 BNE",
		"bne $zero, $zero, L\naddiu $t0, $zero, 1\naddiu $t1, $zero, 1\nL: addiu $t2, $zero, 1",
		nil, 4, regs{rT0: 1, rT1: 1, rT2: 1}, 0},
	{"branch-likely not taken nullifies the delay slot", "manual ch. 16 BEQL",
		"beql $t0, $t1, L\naddiu $t2, $zero, 1\naddiu $t3, $zero, 1\nL: nop",
		regs{rT0: 1}, 2, regs{rT2: 0, rT3: 1}, codeOrigin + 12},
	{"branch-likely taken runs the delay slot", "manual ch. 16 BNEL",
		"bnel $t0, $zero, L\naddiu $t2, $zero, 1\naddiu $t3, $zero, 1\nL: addiu $t4, $zero, 1",
		regs{rT0: 1}, 3, regs{rT2: 1, rT3: 0, rT4: 1}, 0},
	{"BLEZL/BGTZL/BLTZL/BGEZL not taken skip", "manual ch. 16 BLEZL …",
		"blezl $t0, L\naddiu $t2, $zero, 1\nbgtzl $zero, L\naddiu $t2, $zero, 1\nbltzl $t0, L\naddiu $t2, $zero, 1\nbgezl $t3, L\naddiu $t2, $zero, 1\naddiu $t4, $zero, 1\nL: nop",
		regs{rT0: 1, rT3: 0xFFFF_FFFF_FFFF_FFFF}, 5, regs{rT2: 0, rT4: 1}, 0},
	{"BLEZ/BGTZ/BLTZ/BGEZ compare 64-bit signed", "manual ch. 16 BLEZ …",
		"bgtz $t0, L1\nnop\naddiu $t2, $zero, 1\nL1: bltz $t1, L2\nnop\naddiu $t3, $zero, 1\nL2: addiu $t4, $zero, 1",
		regs{rT0: 0x1_0000_0000, rT1: 0x8000_0000_0000_0000}, 5, regs{rT2: 0, rT3: 0, rT4: 1}, 0},
	{"JAL links PC+8 and jumps in the 256 MiB region", "manual ch. 16 JAL",
		"jal L\nnop\nnop\nL: nop",
		nil, 2, regs{rRA: 0xFFFF_FFFF_8000_1008}, codeOrigin + 12},
	{"JALR links rd and reads rs first", "manual ch. 16 JALR",
		"jalr $t0, $t0\nnop",
		regs{rT0: 0xFFFF_FFFF_8000_1100}, 2, regs{rT0: 0xFFFF_FFFF_8000_1008}, codeOrigin + 0x100},
	{"JR", "manual ch. 16 JR",
		"jr $t0\naddiu $t1, $zero, 1",
		regs{rT0: 0xFFFF_FFFF_8000_1200}, 2, regs{rT1: 1}, codeOrigin + 0x200},
	{"BLTZAL links even when not taken", "manual ch. 16 BLTZAL",
		"bltzal $zero, L\nnop\naddiu $t0, $zero, 1\nL: nop",
		nil, 3, regs{rRA: 0xFFFF_FFFF_8000_1008, rT0: 1}, 0},
	{"BGEZAL taken links", "manual ch. 16 BGEZAL",
		"bgezal $zero, L\nnop\naddiu $t0, $zero, 1\nL: nop",
		nil, 2, regs{rRA: 0xFFFF_FFFF_8000_1008, rT0: 0}, codeOrigin + 12},
	{"BLTZALL not taken links and nullifies", "manual ch. 16 BLTZALL",
		"bltzall $zero, L\naddiu $t1, $zero, 1\naddiu $t0, $zero, 1\nL: nop",
		nil, 2, regs{rRA: 0xFFFF_FFFF_8000_1008, rT0: 1, rT1: 0}, 0},
	{"branch in a taken branch's delay slot: the first target runs, as the second's delay slot",
		"VR4300 pipeline: the fetch after the delay slot is already redirected (manual says undefined; ares' pipeline model)",
		"b L1\nb L2\naddiu $t0, $zero, 1\nL1: addiu $t1, $zero, 1\naddiu $t2, $zero, 1\nL2: addiu $t3, $zero, 1",
		nil, 4, regs{rT0: 0, rT1: 1, rT2: 0, rT3: 1}, 0},
}

func TestBranches(t *testing.T) {
	for _, tt := range branchTests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCPU(t)
			program(t, c, tt.src)
			for r, v := range tt.init {
				c.GPR[r] = v
			}
			step(t, c, tt.steps)
			for r, v := range tt.want {
				if c.GPR[r] != v {
					t.Errorf("$%s = %#x, want %#x (%s)", RegName(r), c.GPR[r], v, tt.cite)
				}
			}
			if tt.pc != 0 && c.PC != sext32(tt.pc) {
				t.Errorf("PC = %#x, want %#x (%s)", c.PC, sext32(tt.pc), tt.cite)
			}
		})
	}
}

func TestLoadsStores(t *testing.T) {
	// manual ch. 16 LB/LBU/LH/LHU/LW/LWU/LD, SB/SH/SW/SD: widths and extension.
	c := newCPU(t)
	program(t, c, `
		lui $a0, 0x8000
		ori $a0, $a0, 0x2000
		lb $t0, 0($a0)
		lbu $t1, 0($a0)
		lh $t2, 0($a0)
		lhu $t3, 2($a0)
		lw $t4, 0($a0)
		lwu $t5, 0($a0)
		ld $t6, 0($a0)
		sb $t0, 8($a0)
		sh $t0, 10($a0)
		sw $t4, 12($a0)
		sd $t6, 16($a0)
	`)
	copy(c.bus.RDRAM[0x2000:], []byte{0x81, 0x92, 0xA3, 0xB4, 0xC5, 0xD6, 0xE7, 0xF8})
	step(t, c, 13)
	want := regs{
		8: 0xFFFF_FFFF_FFFF_FF81, 9: 0x81, 10: 0xFFFF_FFFF_FFFF_8192, 11: 0xA3B4,
		12: 0xFFFF_FFFF_8192_A3B4, 13: 0x8192_A3B4, 14: 0x8192_A3B4_C5D6_E7F8,
	}
	for r, v := range want {
		if c.GPR[r] != v {
			t.Errorf("$%s = %#x, want %#x", RegName(r), c.GPR[r], v)
		}
	}
	if got := word64(c, 0x8000_2008); got != 0x8100_FF81_8192_A3B4 {
		t.Errorf("stored doubleword at 0x2008 = %#x", got)
	}
	if got := word64(c, 0x8000_2010); got != 0x8192_A3B4_C5D6_E7F8 {
		t.Errorf("SD stored %#x", got)
	}
}

func TestKseg1Uncached(t *testing.T) {
	// manual ch. 5: kseg0 and kseg1 both map to physical 0..0x1FFF_FFFF.
	c := newCPU(t)
	program(t, c, `
		lui $a0, 0xA000
		li $t0, 0x5A5A
		sw $t0, 0x3000($a0)
		lui $a1, 0x8000
		lw $t1, 0x3000($a1)
	`)
	step(t, c, 6)
	if c.GPR[rT1] != 0x5A5A {
		t.Errorf("kseg0 read of a kseg1 store = %#x", c.GPR[rT1])
	}
}

func TestUnalignedLoadsStores(t *testing.T) {
	// Big-endian LWL/LWR/LDL/LDR/SWL/SWR/SDL/SDR at every byte offset
	// (manual ch. 16 LWL … SDR, their big-endian figures). Memory at 0x2000
	// holds 81 92 A3 B4 C5 D6 E7 F8; rt holds 0x0011223344556677.
	// Expected values worked out by hand: a left load puts the bytes from
	// the address to the end of the word at the top of the register, a
	// right load the bytes from the start of the word to the address at the
	// bottom; stores are the mirror images.
	const mem = 0x8192_A3B4_C5D6_E7F8
	const rt = 0x0011_2233_4455_6677
	tests := []struct {
		op   string
		off  int
		want uint64 // register for loads, doubleword at 0x2000 for stores
	}{
		{"lwl", 0, 0xFFFF_FFFF_8192_A3B4},
		{"lwl", 1, 0xFFFF_FFFF_92A3_B477},
		{"lwl", 2, 0xFFFF_FFFF_A3B4_6677},
		{"lwl", 3, 0xFFFF_FFFF_B455_6677},
		{"lwl", 4, 0xFFFF_FFFF_C5D6_E7F8},
		{"lwl", 7, 0xFFFF_FFFF_F855_6677},
		// LWR in 32-bit mode keeps bits 63..32 unless all 4 bytes load.
		{"lwr", 0, 0x0011_2233_4455_6681},
		{"lwr", 1, 0x0011_2233_4455_8192},
		{"lwr", 2, 0x0011_2233_4481_92A3},
		{"lwr", 3, 0xFFFF_FFFF_8192_A3B4},
		{"lwr", 4, 0x0011_2233_4455_66C5},
		{"lwr", 7, 0xFFFF_FFFF_C5D6_E7F8},
		{"ldl", 0, 0x8192_A3B4_C5D6_E7F8},
		{"ldl", 1, 0x92A3_B4C5_D6E7_F877},
		{"ldl", 2, 0xA3B4_C5D6_E7F8_6677},
		{"ldl", 3, 0xB4C5_D6E7_F855_6677},
		{"ldl", 4, 0xC5D6_E7F8_4455_6677},
		{"ldl", 5, 0xD6E7_F833_4455_6677},
		{"ldl", 6, 0xE7F8_2233_4455_6677},
		{"ldl", 7, 0xF811_2233_4455_6677},
		{"ldr", 0, 0x0011_2233_4455_6681},
		{"ldr", 1, 0x0011_2233_4455_8192},
		{"ldr", 2, 0x0011_2233_4481_92A3},
		{"ldr", 3, 0x0011_2233_8192_A3B4},
		{"ldr", 4, 0x0011_2281_92A3_B4C5},
		{"ldr", 5, 0x0011_8192_A3B4_C5D6},
		{"ldr", 6, 0x0081_92A3_B4C5_D6E7},
		{"ldr", 7, 0x8192_A3B4_C5D6_E7F8},
		{"swl", 0, 0x4455_6677_C5D6_E7F8},
		{"swl", 1, 0x8144_5566_C5D6_E7F8},
		{"swl", 2, 0x8192_4455_C5D6_E7F8},
		{"swl", 3, 0x8192_A344_C5D6_E7F8},
		{"swl", 5, 0x8192_A3B4_C544_5566},
		{"swr", 0, 0x7792_A3B4_C5D6_E7F8},
		{"swr", 1, 0x6677_A3B4_C5D6_E7F8},
		{"swr", 2, 0x5566_77B4_C5D6_E7F8},
		{"swr", 3, 0x4455_6677_C5D6_E7F8},
		{"swr", 6, 0x8192_A3B4_5566_77F8},
		{"sdl", 0, 0x0011_2233_4455_6677},
		{"sdl", 1, 0x8100_1122_3344_5566},
		{"sdl", 2, 0x8192_0011_2233_4455},
		{"sdl", 3, 0x8192_A300_1122_3344},
		{"sdl", 4, 0x8192_A3B4_0011_2233},
		{"sdl", 5, 0x8192_A3B4_C500_1122},
		{"sdl", 6, 0x8192_A3B4_C5D6_0011},
		{"sdl", 7, 0x8192_A3B4_C5D6_E700},
		{"sdr", 0, 0x7792_A3B4_C5D6_E7F8},
		{"sdr", 1, 0x6677_A3B4_C5D6_E7F8},
		{"sdr", 2, 0x5566_77B4_C5D6_E7F8},
		{"sdr", 3, 0x4455_6677_C5D6_E7F8},
		{"sdr", 4, 0x3344_5566_77D6_E7F8},
		{"sdr", 5, 0x2233_4455_6677_E7F8},
		{"sdr", 6, 0x1122_3344_5566_77F8},
		{"sdr", 7, 0x0011_2233_4455_6677},
	}
	for _, tt := range tests {
		c := newCPU(t)
		program(t, c, "lui $a0, 0x8000\nori $a0, $a0, 0x2000\n"+tt.op+" $t0, "+itoa(tt.off)+"($a0)")
		c.bus.Write64(0x2000, mem)
		c.GPR[rT0] = rt
		step(t, c, 3)
		got := c.GPR[rT0]
		if tt.op[0] == 's' {
			got = c.bus.Read64(0x2000)
		}
		if got != tt.want {
			t.Errorf("%s at offset %d: %#x, want %#x", tt.op, tt.off, got, tt.want)
		}
		if c.CP0[CP0Status]&StatusEXL != 0 {
			t.Errorf("%s at offset %d raised exception %d", tt.op, tt.off, c.CP0[CP0Cause]>>2&31)
		}
	}

	// With 64-bit addressing (KX) a partial LWR sign-extends (ares).
	c := newCPU(t)
	c.CP0[CP0Status] |= StatusKX
	program(t, c, "lui $a0, 0x8000\nori $a0, $a0, 0x2000\nlwr $t0, 0($a0)")
	c.bus.Write64(0x2000, mem)
	c.GPR[rT0] = rt
	step(t, c, 3)
	if c.GPR[rT0] != 0x4455_6681 {
		t.Errorf("lwr offset 0 with KX: %#x, want 0x44556681", c.GPR[rT0])
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestRegName(t *testing.T) {
	for i, want := range map[int]string{0: "zero", 1: "at", 4: "a0", 8: "t0", 16: "s0", 25: "t9", 29: "sp", 30: "s8", 31: "ra"} {
		if got := RegName(i); got != want {
			t.Errorf("RegName(%d) = %q, want %q", i, got, want)
		}
	}
}
