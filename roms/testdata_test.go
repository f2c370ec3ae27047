package roms

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/cpu"
	"github.com/n64go/n64/internal/asm"
)

// TestTestdataUpToDate re-assembles every testdata/*.s and requires the
// committed .z64 beside it to be exactly what it builds.
func TestTestdataUpToDate(t *testing.T) {
	srcs, err := filepath.Glob(filepath.Join("testdata", "*.s"))
	if err != nil || len(srcs) == 0 {
		t.Fatalf("no testdata/*.s (%v)", err)
	}
	for _, src := range srcs {
		name := strings.TrimSuffix(filepath.Base(src), ".s")
		_, rom, err := BuildTestROM(name, readFile(t, src))
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		out := strings.TrimSuffix(src, ".s") + ".z64"
		if old, err := os.ReadFile(out); err != nil || !bytes.Equal(old, rom) {
			t.Errorf("%s is missing or stale: run go generate ./roms/...", out)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The programs' memory layout (see the header of any testdata/*.s).
const (
	resPhys  = 0x0010_0000           // RES = 0xA0100000: slot n at RES + 8n
	sentinel = 0xFFFF_FFFF_DEAD_BEEF // what every slot holds before the program writes it
)

// A check is one result slot and the value the VR4300 leaves there. The
// values are worked out by hand from the instruction's definition in the
// NEC VR4300 User's Manual ("manual": ch. 16 CPU instruction set details,
// ch. 6 exception processing) or, where the manual leaves a result
// undefined, from hardware-verified sources (n64-systemtest, ares), never
// from running this emulator.
type check struct {
	slot int
	// want is the expected value; if sym is set, the expected value is the
	// sign-extended address of that label of the program plus want.
	want uint64
	sym  string
	what string // the behaviour checked, with its citation
}

// exc lists the four slots save_exc writes for one exception taken at the
// instruction labelled at (or, in a delay slot, at the branch labelled at):
// the count, ExcCode (Cause bits 6..2), Cause.BD and EPC (manual ch. 6,
// Cause and EPC registers: EPC is the faulting instruction, or the branch
// with BD set when it sits in a delay slot).
func exc(slot int, code uint64, bd uint64, at, what string) []check {
	return []check{
		{slot, 1, "", what + ": exactly one exception"},
		{slot + 1, code, "", what + ": Cause.ExcCode"},
		{slot + 2, bd, "", what + ": Cause.BD"},
		{slot + 3, 0, at, what + ": EPC"},
	}
}

// ExcCode values, manual ch. 6 (Cause register, ExcCode field).
const (
	excAdEL = 4
	excAdES = 5
	excSys  = 8
	excBp   = 9
	excOv   = 12
	excTr   = 13
)

func rows(parts ...any) []check {
	var out []check
	for _, p := range parts {
		switch p := p.(type) {
		case check:
			out = append(out, p)
		case []check:
			out = append(out, p...)
		default:
			panic("rows: not a check")
		}
	}
	return out
}

var aluChecks = rows(
	check{0, 0xFFFF_FFFF_8000_0000, "", "ADDU 0x7FFFFFFF+1 wraps to 0x80000000, sign-extended, no trap (manual ch.16 ADDU)"},
	check{1, 0, "", "ADDU 0x80000000+0x80000000: the carry out of bit 31 is lost (ADDU)"},
	check{2, 0xFFFF_FFFF_8000_0000, "", "ADDIU 0x7FFFFFFF+1 wraps and sign-extends, no trap (ADDIU)"},
	check{3, 0xFFFF_FFFF_FFFF_FFFF, "", "ADDIU sign-extends its 16-bit immediate: 0 + 0xFFFF = -1 (ADDIU)"},
	check{4, 0x0000_0000_7FFF_FFFF, "", "SUBU 0x80000000-1 = 0x7FFFFFFF, no trap (SUBU)"},
	check{5, 0xFFFF_FFFF_FFFF_FFFF, "", "SUBU 0-1 = 0xFFFFFFFF, sign-extended (SUBU)"},
	check{6, 0x0000_0000_7FFF_FFFF, "", "ADD 0x40000000+0x3FFFFFFF = 0x7FFFFFFF: no overflow (ADD)"},
	check{7, 0xFFFF_FFFF_FFFF_FFFE, "", "ADD -1+-1 = -2: carries out of bits 30 and 31 agree, no overflow (ADD)"},
	check{8, 0, "", "ADDU/ADDIU/SUBU/ADD above raise no exception"},
	check{9, 0x1234, "", "ADD 0x7FFFFFFF+1 overflows: rd is not modified (manual ch.16 ADD)"},
	exc(10, excOv, 0, "add_ov", "ADD overflow raises Integer Overflow"),
	check{14, 0x1234, "", "ADDI 0x7FFFFFFF+1 overflows: rt is not modified (ADDI)"},
	exc(15, excOv, 0, "addi_ov", "ADDI overflow"),
	check{19, 0x1234, "", "SUB 0x80000000-1 overflows: rd is not modified (SUB)"},
	exc(20, excOv, 0, "sub_ov", "SUB overflow"),
	check{24, 0x0000_0000_8000_0000, "", "DADDU 0x7FFFFFFF+1 = 0x80000000: 64-bit, no sign extension from bit 31 (DADDU)"},
	check{25, 0, "", "DADDU -1+1 = 0: carry out of bit 63 lost (DADDU)"},
	check{26, 0x0000_0000_7FFF_FFFF, "", "DADDIU 0x0000000080000000 + (-1), 64-bit (DADDIU)"},
	check{27, 0x7FFF_FFFF_FFFF_FFFF, "", "DSUBU 0x8000000000000000-1 wraps, no trap (DSUBU)"},
	check{28, 0x0000_0000_8000_0000, "", "DADD 0x7FFFFFFF+1: no 64-bit overflow, no sign extension (DADD)"},
	check{29, 0, "", "DADDU/DADDIU/DSUBU/DADD above raise no exception"},
	check{30, 0x1234, "", "DADD 0x7FFFFFFFFFFFFFFF+1 overflows: rd is not modified (DADD)"},
	exc(31, excOv, 0, "dadd_ov", "DADD overflow"),
	check{35, 0x1234, "", "DADDI 0x8000000000000000+(-1) overflows: rt is not modified (DADDI)"},
	exc(36, excOv, 0, "daddi_ov", "DADDI overflow"),
	check{40, 0x1234, "", "DSUB 0x8000000000000000-1 overflows: rd is not modified (DSUB)"},
	exc(41, excOv, 0, "dsub_ov", "DSUB overflow"),
	check{45, 0xFFFF_FFFF_8000_0000, "", "LUI 0x8000: the 32-bit result is sign-extended (LUI)"},
	check{46, 0x0000_0000_7FFF_0000, "", "LUI 0x7FFF (LUI)"},
	check{47, 0x0000_0000_0000_8000, "", "ORI zero-extends its immediate (ORI)"},
	check{48, 0x0000_0000_0000_FFFF, "", "ANDI zero-extends its immediate: bits 63..16 cleared (ANDI)"},
	check{49, 0xFFFF_FFFF_FFFF_FF00, "", "XORI -1, 0x00FF: zero-extended immediate, 64-bit result (XORI)"},
	check{50, 1, "", "SLTI -2 < -1: sign-extended immediate, signed compare (SLTI)"},
	check{51, 0, "", "SLTI 1 < -1 is false (SLTI)"},
	check{52, 1, "", "SLTIU 5 < 0xFFFF: the immediate is sign-extended to 0xFFFFFFFFFFFFFFFF, then compared unsigned (SLTIU)"},
	check{53, 0, "", "SLTIU 0xFFFFFFFF80000000 < 0x7FFF is false unsigned (SLTIU)"},
	check{54, 1, "", "SLT 0xFFFFFFFF80000000 < 0x7FFFFFFF signed (SLT)"},
	check{55, 0, "", "SLTU 0xFFFFFFFF80000000 < 0x7FFFFFFF is false unsigned (SLTU)"},
	check{56, 0, "", "SLT compares all 64 bits: 0x100000000 < 0x7FFFFFFF is false (SLT)"},
	check{57, 0xFFFF_FFFF_FFFF_FFFF, "", "NOR 0, 0 = all 64 bits set (NOR)"},
	check{58, 0xFFFF_FFFF_FFFF_FFFF, "", "XOR 0x0123456789ABCDEF, 0xFEDCBA9876543210 (XOR, 64-bit)"},
	check{59, 0x0123_4567_0000_0000, "", "AND 0x0123456789ABCDEF, 0xFFFFFFFF00000000 (AND, 64-bit)"},
	check{60, 0x8123_4567_89AB_CDEF, "", "OR 0x0123456789ABCDEF, 0x8000000000000000 (OR, 64-bit)"},
	check{61, 0, "", "$zero reads 0 after ADDIU $zero, $zero, 5 (manual ch.1, CPU registers: r0 is hardwired to zero)"},
	check{62, 0, "", "no exception besides the overflows saved above"},
)

var branchChecks = rows(
	check{0, 1, "", "taken BEQ: its delay slot executes, the fall-through does not (manual ch.16 BEQ)"},
	check{1, 0x11, "", "not-taken BNE: the delay slot and the fall-through both execute (BNE)"},
	check{2, 1, "", "taken BEQL: its delay slot executes (BEQL)"},
	check{3, 0x10, "", "not-taken BEQL: the delay slot is nullified (BEQL)"},
	check{4, 1, "", "taken BNEL executes its delay slot (BNEL)"},
	check{5, 0x10, "", "not-taken BNEL nullifies its delay slot (BNEL)"},
	check{6, 0x10, "", "BLEZL 1: not taken, delay slot nullified (BLEZL)"},
	check{7, 0x10, "", "BGTZL 0: not taken, delay slot nullified (BGTZL)"},
	check{8, 0x10, "", "BLTZL 0: not taken, delay slot nullified (BLTZL)"},
	check{9, 0x10, "", "BGEZL -1: not taken, delay slot nullified (BGEZL)"},
	check{10, 1, "", "BGEZL 0: taken, delay slot executes (BGEZL)"},
	check{11, 1, "", "BLTZL -1: taken, delay slot executes (BLTZL)"},
	check{12, 1, "", "BGTZ 0x0000000100000000: the comparison uses all 64 bits, taken (BGTZ)"},
	check{13, 0x11, "", "BEQ 0x0000000100000000, $zero: not equal in 64 bits (BEQ)"},
	check{14, 0x11, "", "BLTZ 0x0000000080000000: bit 63 is 0, not taken (BLTZ)"},
	check{15, 1, "", "BLEZ 0xFFFFFFFF00000000: negative in 64 bits, taken (BLEZ)"},
	check{16, 8, "bal1", "taken BLTZAL: $ra = address of the branch + 8 (BLTZAL)"},
	check{17, 1, "", "taken BLTZAL: delay slot executes, branch taken"},
	check{18, 8, "bal2", "not-taken BLTZAL still writes $ra = branch + 8 (BLTZAL: 'unconditionally')"},
	check{19, 0x11, "", "not-taken BLTZAL: delay slot and fall-through execute"},
	check{20, 8, "bal3", "taken BGEZAL 0: $ra = branch + 8 (BGEZAL)"},
	check{21, 1, "", "taken BGEZAL: delay slot executes"},
	check{22, 8, "bal4", "not-taken BLTZALL still links (BLTZALL)"},
	check{23, 0x10, "", "not-taken BLTZALL nullifies its delay slot (BLTZALL)"},
	check{24, 8, "bal5", "taken BGEZALL: $ra = branch + 8 (BGEZALL)"},
	check{25, 1, "", "taken BGEZALL: delay slot executes"},
	check{26, 8, "jal1", "JAL: $ra = address of the JAL + 8, sign-extended (JAL)"},
	check{27, 0x101, "", "JAL's delay slot executes, the subroutine runs, JR $ra returns past the slot (JAL, JR)"},
	check{28, 8, "jalr1", "JALR $t5: the link goes to rd = JALR + 8 (JALR)"},
	check{29, 0, "", "JALR $t5 leaves $ra alone (JALR)"},
	check{30, 0x101, "", "JALR's delay slot executes and the subroutine returns through $t5 (JALR)"},
	check{31, 7, "", "JR jumps to rs as read before its delay slot changes it (JR)"},
	check{32, 1, "", "J: delay slot executes, fall-through skipped (J)"},
	check{33, 5, "", "BNEZ loop of 5 passes: the delay slot runs on each, taken or not (BNE)"},
	check{34, 4, "", "BNEL loop of 5 passes: the delay slot runs only on the 4 taken ones (BNEL)"},
	check{35, 1, "", "BEQ compares rs before its delay slot changes it (BEQ)"},
	check{36, 0, "", "no exception"},
)

var shiftChecks = rows(
	check{0, 0x1234_5678_9ABC_DEF0, "", "DSLL B, 4 (manual ch.16 DSLL)"},
	check{1, 0x9ABC_DEF0_0000_0000, "", "DSLL32 B, 4 shifts by 36 (DSLL32)"},
	check{2, 0x0012_3456_789A_BCDE, "", "DSRL B, 4 (DSRL)"},
	check{3, 0x0000_0000_0012_3456, "", "DSRL32 B, 4 shifts by 36 (DSRL32)"},
	check{4, 0xFFED_CBA9_8765_4321, "", "DSRA C, 4 copies bit 63 (DSRA)"},
	check{5, 0xFFFF_FFFF_8000_0000, "", "DSRA32 0x8000000000000000, 0 shifts by 32, arithmetic (DSRA32)"},
	check{6, 0xFFFF_FFFF_FFED_CBA9, "", "DSRA32 C, 4 shifts by 36 (DSRA32)"},
	check{7, 0xFFFF_FFFF_FFFF_FFFF, "", "DSRA32 0x8000000000000000, 31 shifts by 63 (DSRA32)"},
	check{8, 1, "", "DSRL32 0x8000000000000000, 31 shifts by 63 (DSRL32)"},
	check{9, 0x8000_0000_0000_0000, "", "DSLL32 1, 31 shifts by 63 (DSLL32)"},
	check{10, 0x1234_5678_9ABC_DEF0, "", "DSLLV B by 68 uses the low 6 bits: 4 (DSLLV)"},
	check{11, 0x0000_0000_0001_2345, "", "DSRLV B by 40 (DSRLV)"},
	check{12, 0xFFFE_DCBA_9876_5432, "", "DSRAV C by 8 (DSRAV)"},
	check{13, 0xFFFF_FFFF_FFFF_FFFF, "", "DSRAV 0x8000000000000000 by 63 (DSRAV)"},
	check{14, 0xFFFF_FFFF_0000_0000, "", "DSLL32 -1, 0 (DSLL32)"},
	check{15, 0x0000_0000_FFFF_FFFF, "", "DSRL32 0xFFFFFFFF00000000, 0: logical (DSRL32)"},
	check{16, 0xFFFF_FFFF_8000_0000, "", "SLL by 0 sign-extends bit 31 of 0x0000000080000000 (SLL: temp = rt[31..0], rd = sign-extended temp)"},
	check{17, 0xFFFF_FFFF_9ABC_DEF0, "", "SLL B, 4 uses only rt's low word 0x89ABCDEF: 0x9ABCDEF0 sign-extended (SLL)"},
	check{18, 0xFFFF_FFFF_8000_0000, "", "SLL 0x40000000, 1 = 0x80000000, sign-extended (SLL)"},
	check{19, 2, "", "SLL 0x80000001, 1 = 2: bit 31 shifted out (SLL)"},
	check{20, 0x0000_0000_0800_0000, "", "SRL 0xFFFFFFFF80000000, 4 = 0x08000000 (SRL)"},
	check{21, 0xFFFF_FFFF_8000_0000, "", "SRL by 0 keeps the sign-extended word (SRL)"},
	check{22, 0xFFFF_FFFF_F800_0000, "", "SRA 0xFFFFFFFF80000000, 4 (SRA)"},
	check{23, 0, "", "SRA 0x7FFFFFFF, 31 (SRA)"},
	check{24, 0xFFFF_FFFF_FFFF_FFFF, "", "SRA 0xFFFFFFFF80000000, 31 (SRA)"},
	check{25, 2, "", "SLLV 1 by 33 uses the low 5 bits: 1 (SLLV)"},
	check{26, 0xFFFF_FFFF_8000_0000, "", "SLLV 1 by 31 = 0x80000000, sign-extended (SLLV)"},
	check{27, 0x0000_0000_1000_0000, "", "SRLV 0xFFFFFFFF80000000 by 35 shifts by 3 (SRLV)"},
	check{28, 0xFFFF_FFFF_F800_0000, "", "SRAV 0xFFFFFFFF80000000 by 36 shifts by 4 (SRAV)"},
	check{29, 0x0000_0000_089A_BCDE, "", "SRL B, 4 of a non-sign-extended value shifts the low word (n64-systemtest arithmetic/shifts.rs SRL)"},
	check{30, 0x0000_0000_789A_BCDE, "", "SRA B, 4: the VR4300 shifts all 64 bits, then sign-extends bit 31 (n64-systemtest arithmetic/shifts.rs SRA; ares CPU::SRA)"},
	check{31, 0xFFFF_FFFF_8789_ABCD, "", "SRA 0x00000008789ABCDE, 4: bit 35 lands in bit 31 (n64-systemtest arithmetic/shifts.rs SRA)"},
	check{32, 0, "", "a shift into $zero is discarded (n64-systemtest ShiftsIntoR0)"},
	check{33, 0, "", "no exception"},
)

var muldivChecks = rows(
	check{0, 1, "", "MULT 0x7FFFFFFF^2 = 0x3FFFFFFF00000001: LO (manual ch.16 MULT)"},
	check{1, 0x0000_0000_3FFF_FFFF, "", "MULT 0x7FFFFFFF^2: HI (MULT)"},
	check{2, 0xFFFF_FFFF_FFFF_FFFF, "", "MULT -1 x 1: LO = 0xFFFFFFFF sign-extended (MULT)"},
	check{3, 0xFFFF_FFFF_FFFF_FFFF, "", "MULT -1 x 1: HI = 0xFFFFFFFF sign-extended (MULT)"},
	check{4, 0xFFFF_FFFF_8000_0000, "", "MULT 0x10000 x 0x8000 = 0x80000000: LO is sign-extended from its bit 31 even though the product is positive (MULT)"},
	check{5, 0, "", "MULT 0x10000 x 0x8000: HI = 0 (MULT)"},
	check{6, 1, "", "MULTU 0xFFFFFFFF^2 = 0xFFFFFFFE00000001: LO (MULTU)"},
	check{7, 0xFFFF_FFFF_FFFF_FFFE, "", "MULTU 0xFFFFFFFF^2: HI = 0xFFFFFFFE, sign-extended (MULTU)"},
	check{8, 1, "", "MULT 0xFFFFFFFF^2 is (-1)(-1) = 1: LO (MULT)"},
	check{9, 0, "", "MULT (-1)(-1): HI (MULT)"},
	check{10, 0, "", "MULT 0x80000000^2 = 2^62: LO (MULT)"},
	check{11, 0x0000_0000_4000_0000, "", "MULT 0x80000000^2 = 2^62: HI (MULT)"},
	check{12, 0xFFFF_FFFF_FFFF_FFFD, "", "DIV 7 / -2: quotient -3, truncated towards zero (DIV)"},
	check{13, 1, "", "DIV 7 / -2: remainder 1 takes the dividend's sign (DIV)"},
	check{14, 0xFFFF_FFFF_FFFF_FFFD, "", "DIV -7 / 2: quotient -3 (DIV)"},
	check{15, 0xFFFF_FFFF_FFFF_FFFF, "", "DIV -7 / 2: remainder -1 (DIV)"},
	check{16, 0xFFFF_FFFF_8000_0000, "", "DIV 0x80000000 / -1: LO = 0x80000000 sign-extended, no trap (ares CPU::DIV, n64-systemtest)"},
	check{17, 0, "", "DIV 0x80000000 / -1: HI = 0 (ares CPU::DIV)"},
	check{18, 0xFFFF_FFFF_FFFF_FFFF, "", "DIV 5 / 0: LO = -1 for a dividend >= 0 (ares CPU::DIV; manual: undefined)"},
	check{19, 5, "", "DIV 5 / 0: HI = the dividend (ares CPU::DIV)"},
	check{20, 1, "", "DIV -5 / 0: LO = 1 for a negative dividend (ares CPU::DIV)"},
	check{21, 0xFFFF_FFFF_FFFF_FFFB, "", "DIV -5 / 0: HI = the dividend, sign-extended (ares CPU::DIV)"},
	check{22, 0x0000_0000_7FFF_FFFF, "", "DIVU 0xFFFFFFFF / 2: unsigned quotient (DIVU)"},
	check{23, 1, "", "DIVU 0xFFFFFFFF / 2: remainder (DIVU)"},
	check{24, 0xFFFF_FFFF_FFFF_FFFE, "", "DIVU 0xFFFFFFFE / 1: LO = 0xFFFFFFFE sign-extended (DIVU)"},
	check{25, 0, "", "DIVU 0xFFFFFFFE / 1: HI = 0 (DIVU)"},
	check{26, 0xFFFF_FFFF_FFFF_FFFF, "", "DIVU 0x80000000 / 0: LO = -1 (ares CPU::DIVU)"},
	check{27, 0xFFFF_FFFF_8000_0000, "", "DIVU 0x80000000 / 0: HI = the dividend, sign-extended 32-bit (ares CPU::DIVU)"},
	check{28, 0xFEDC_BA98_7654_3211, "", "DMULT -1 x B = -B: LO (DMULT)"},
	check{29, 0xFFFF_FFFF_FFFF_FFFF, "", "DMULT -1 x B: HI is the sign of the 128-bit product (DMULT)"},
	// (2^64-1)*B = B*2^64 - B: HI = B-1, LO = 2^64 - B.
	check{30, 0xFEDC_BA98_7654_3211, "", "DMULTU 0xFFFFFFFFFFFFFFFF x B: LO = 2^64 - B (DMULTU)"},
	check{31, 0x0123_4567_89AB_CDEE, "", "DMULTU 0xFFFFFFFFFFFFFFFF x B: HI = B - 1 (DMULTU)"},
	// (2^64-1)^2 = 2^128 - 2^65 + 1.
	check{32, 1, "", "DMULTU (2^64-1)^2: LO (DMULTU)"},
	check{33, 0xFFFF_FFFF_FFFF_FFFE, "", "DMULTU (2^64-1)^2: HI (DMULTU)"},
	check{34, 0, "", "DMULT 0x8000000000000000 x 2 = -2^64: LO (DMULT)"},
	check{35, 0xFFFF_FFFF_FFFF_FFFF, "", "DMULT 0x8000000000000000 x 2 = -2^64: HI (DMULT)"},
	check{36, 0x89AB_CDEF_0000_0000, "", "DMULT B x 2^32 = B << 32: LO (DMULT)"},
	check{37, 0x0000_0000_0123_4567, "", "DMULT B x 2^32: HI (DMULT)"},
	check{38, 0x8000_0000_0000_0000, "", "DDIV 0x8000000000000000 / -1: LO = the dividend, no trap (ares CPU::DDIV)"},
	check{39, 0, "", "DDIV 0x8000000000000000 / -1: HI = 0 (ares CPU::DDIV)"},
	check{40, 0x0001_2345_6789_ABCD, "", "DDIV B / 0x100: quotient (DDIV)"},
	check{41, 0xEF, "", "DDIV B / 0x100: remainder (DDIV)"},
	check{42, 0xFFFF_FFFF_FFFF_FFFD, "", "DDIV -7 / 2: quotient -3 (DDIV)"},
	check{43, 0xFFFF_FFFF_FFFF_FFFF, "", "DDIV -7 / 2: remainder -1 (DDIV)"},
	check{44, 0xFFFF_FFFF_FFFF_FFFF, "", "DDIV 5 / 0: LO = -1 (ares CPU::DDIV)"},
	check{45, 5, "", "DDIV 5 / 0: HI = the dividend (ares CPU::DDIV)"},
	check{46, 1, "", "DDIV 0x8000000000000000 / 0: LO = 1 for a negative dividend (ares CPU::DDIV)"},
	check{47, 0x8000_0000_0000_0000, "", "DDIV 0x8000000000000000 / 0: HI = the dividend (ares CPU::DDIV)"},
	check{48, 0x0FFF_FFFF_FFFF_FFFF, "", "DDIVU (2^64-1) / 16: quotient (DDIVU)"},
	check{49, 0xF, "", "DDIVU (2^64-1) / 16: remainder (DDIVU)"},
	// 2^64-1 = (2^32-1)(2^32+1).
	check{50, 0x0000_0001_0000_0001, "", "DDIVU (2^64-1) / (2^32-1) = 2^32+1 (DDIVU)"},
	check{51, 0, "", "DDIVU (2^64-1) / (2^32-1): remainder 0 (DDIVU)"},
	check{52, 0xFFFF_FFFF_FFFF_FFFF, "", "DDIVU C / 0: LO = -1 (ares CPU::DDIVU)"},
	check{53, 0xFEDC_BA98_7654_3210, "", "DDIVU C / 0: HI = the dividend (ares CPU::DDIVU)"},
	check{54, 0x0123_4567_89AB_CDEF, "", "MTLO/MFLO move all 64 bits (MTLO, MFLO)"},
	check{55, 0xFEDC_BA98_7654_3210, "", "MTHI/MFHI move all 64 bits (MTHI, MFHI)"},
	check{56, 0, "", "no exception: multiplies and divides never trap"},
)

// unaligned.s memory: SCR+0 = 00 11 22 33 44 55 66 77, SCR+8 = 88 99 AA BB
// CC DD EE FF. Big-endian LWL at byte k of a word loads bytes k..3 into the
// top of rt and keeps rt's low k bytes; LWR loads bytes 0..k into the bottom
// and keeps rt's top 3-k bytes; the 32-bit result is sign-extended (manual
// ch.16 LWL, LWR; where LWR leaves bit 31 alone the register is already
// sign-extended, so the MIPS III choice "unchanged or copy of bit 31" does
// not matter). LDL/LDR do the same with doublewords, SWL/SWR/SDL/SDR are
// their store mirrors.
var unalignedChecks = rows(
	check{0, 0xFFFF_FFFF_FFFF_FF88, "", "LB sign-extends 0x88 (manual ch.16 LB)"},
	check{1, 0x88, "", "LBU zero-extends 0x88 (LBU)"},
	check{2, 0xFFFF_FFFF_FFFF_8899, "", "LH sign-extends 0x8899 (LH)"},
	check{3, 0x8899, "", "LHU zero-extends 0x8899 (LHU)"},
	check{4, 0xFFFF_FFFF_8899_AABB, "", "LW sign-extends 0x8899AABB (LW)"},
	check{5, 0x0000_0000_8899_AABB, "", "LWU zero-extends 0x8899AABB (LWU)"},
	check{6, 0x11, "", "LB of 0x11 at an odd address: big-endian byte order (LB)"},
	check{7, 0x8899_AABB_CCDD_EEFF, "", "LD (LD)"},
	check{8, 0x0000_0000_88AA_CCEE, "", "a loaded value is usable by the next instruction: the VR4300 interlocks, no load delay slot (manual ch.16 LW); 2 x 0x44556677 by DADDU"},
	check{9, 0x00FF_2233_4455_6677, "", "SB stores rt's low byte 0xFF at +1 (SB)"},
	check{10, 0x0011_EEFF_4455_6677, "", "SH stores rt's low half 0xEEFF at +2 (SH)"},
	check{11, 0x0011_2233_CCDD_EEFF, "", "SW stores rt's low word 0xCCDDEEFF at +4 (SW)"},
	check{12, 0xFFFF_FFFF_8899_AABB, "", "LWL byte 0: 88 99 AA BB, sign-extended (LWL)"},
	check{13, 0xFFFF_FFFF_99AA_BB67, "", "LWL byte 1: 99 AA BB | 67 kept (LWL)"},
	check{14, 0xFFFF_FFFF_AABB_4567, "", "LWL byte 2: AA BB | 45 67 kept (LWL)"},
	check{15, 0xFFFF_FFFF_BB23_4567, "", "LWL byte 3: BB | 23 45 67 kept (LWL)"},
	check{16, 0x0000_0000_0123_4588, "", "LWR byte 0: 01 23 45 kept | 88 (LWR)"},
	check{17, 0x0000_0000_0123_8899, "", "LWR byte 1: 01 23 kept | 88 99 (LWR)"},
	check{18, 0x0000_0000_0188_99AA, "", "LWR byte 2: 01 kept | 88 99 AA (LWR)"},
	check{19, 0xFFFF_FFFF_8899_AABB, "", "LWR byte 3 loads the whole word, sign-extended (LWR)"},
	check{20, 0x0000_0000_1122_33BE, "", "LWL byte 1 of 00 11 22 33 into 0xFFFFFFFFCAFEBABE: 11 22 33 | BE, sign from the loaded byte (LWL)"},
	check{21, 0x0000_0000_5566_7788, "", "LWL 5 + LWR 8 load the unaligned word at SCR+5 (LWL, LWR)"},
	check{22, 0xFFFF_FFFF_AABB_CCDD, "", "LWL 10 + LWR 13 load the unaligned word at SCR+10, sign-extended (LWL, LWR)"},
	check{23, 0x0011_2233_CCDD_EEFF, "", "SWL byte 0 stores the whole low word CC DD EE FF (SWL)"},
	check{24, 0x0011_2233_44CC_DDEE, "", "SWL byte 1 stores CC DD EE at bytes 1..3 (SWL)"},
	check{25, 0x0011_2233_4455_CCDD, "", "SWL byte 2 stores CC DD at bytes 2..3 (SWL)"},
	check{26, 0x0011_2233_4455_66CC, "", "SWL byte 3 stores CC at byte 3 (SWL)"},
	check{27, 0x0011_2233_FF55_6677, "", "SWR byte 0 stores FF at byte 0 (SWR)"},
	check{28, 0x0011_2233_EEFF_6677, "", "SWR byte 1 stores EE FF at bytes 0..1 (SWR)"},
	check{29, 0x0011_2233_DDEE_FF77, "", "SWR byte 2 stores DD EE FF at bytes 0..2 (SWR)"},
	check{30, 0x0011_2233_CCDD_EEFF, "", "SWR byte 3 stores the whole word (SWR)"},
	check{31, 0x00CC_DDEE_FF55_6677, "", "SWL 17 + SWR 20 store the unaligned word at SCR+17 (SWL, SWR)"},
	check{32, 0x8899_AABB_CCDD_EEFF, "", "LDL byte 0 loads the whole doubleword (LDL)"},
	check{33, 0x99AA_BBCC_DDEE_FFEF, "", "LDL byte 1: 7 bytes | EF kept (LDL)"},
	check{34, 0xAABB_CCDD_EEFF_CDEF, "", "LDL byte 2 (LDL)"},
	check{35, 0xBBCC_DDEE_FFAB_CDEF, "", "LDL byte 3 (LDL)"},
	check{36, 0xCCDD_EEFF_89AB_CDEF, "", "LDL byte 4 (LDL)"},
	check{37, 0xDDEE_FF67_89AB_CDEF, "", "LDL byte 5 (LDL)"},
	check{38, 0xEEFF_4567_89AB_CDEF, "", "LDL byte 6 (LDL)"},
	check{39, 0xFF23_4567_89AB_CDEF, "", "LDL byte 7: FF | 7 bytes kept (LDL)"},
	check{40, 0x0123_4567_89AB_CD88, "", "LDR byte 0: 7 bytes kept | 88 (LDR)"},
	check{41, 0x0123_4567_89AB_8899, "", "LDR byte 1 (LDR)"},
	check{42, 0x0123_4567_8988_99AA, "", "LDR byte 2 (LDR)"},
	check{43, 0x0123_4567_8899_AABB, "", "LDR byte 3 (LDR)"},
	check{44, 0x0123_4588_99AA_BBCC, "", "LDR byte 4 (LDR)"},
	check{45, 0x0123_8899_AABB_CCDD, "", "LDR byte 5 (LDR)"},
	check{46, 0x0188_99AA_BBCC_DDEE, "", "LDR byte 6 (LDR)"},
	check{47, 0x8899_AABB_CCDD_EEFF, "", "LDR byte 7 loads the whole doubleword (LDR)"},
	check{48, 0x3344_5566_7788_99AA, "", "LDL 3 + LDR 10 load the unaligned doubleword at SCR+3 (LDL, LDR)"},
	check{49, 0x8899_AABB_CCDD_EEFF, "", "SDL byte 0 stores the whole doubleword (SDL)"},
	check{50, 0x0088_99AA_BBCC_DDEE, "", "SDL byte 1 stores rt's top 7 bytes at 1..7 (SDL)"},
	check{51, 0x0011_8899_AABB_CCDD, "", "SDL byte 2 (SDL)"},
	check{52, 0x0011_2288_99AA_BBCC, "", "SDL byte 3 (SDL)"},
	check{53, 0x0011_2233_8899_AABB, "", "SDL byte 4 (SDL)"},
	check{54, 0x0011_2233_4488_99AA, "", "SDL byte 5 (SDL)"},
	check{55, 0x0011_2233_4455_8899, "", "SDL byte 6 (SDL)"},
	check{56, 0x0011_2233_4455_6688, "", "SDL byte 7 stores rt's top byte 88 at 7 (SDL)"},
	check{57, 0xFF11_2233_4455_6677, "", "SDR byte 0 stores rt's low byte FF at 0 (SDR)"},
	check{58, 0xEEFF_2233_4455_6677, "", "SDR byte 1 (SDR)"},
	check{59, 0xDDEE_FF33_4455_6677, "", "SDR byte 2 (SDR)"},
	check{60, 0xCCDD_EEFF_4455_6677, "", "SDR byte 3 (SDR)"},
	check{61, 0xBBCC_DDEE_FF55_6677, "", "SDR byte 4 (SDR)"},
	check{62, 0xAABB_CCDD_EEFF_6677, "", "SDR byte 5 (SDR)"},
	check{63, 0x99AA_BBCC_DDEE_FF77, "", "SDR byte 6 (SDR)"},
	check{64, 0x8899_AABB_CCDD_EEFF, "", "SDR byte 7 stores the whole doubleword (SDR)"},
	check{65, 0x0011_2288_99AA_BBCC, "", "SDL 19 + SDR 26 store the unaligned doubleword at SCR+19: first doubleword (SDL, SDR)"},
	check{66, 0xDDEE_FF33_4455_6677, "", "SDL 19 + SDR 26: second doubleword (SDL, SDR)"},
	check{67, 0, "", "no exception"},
)

var exceptionChecks = rows(
	check{0, 2, "", "ERET returns to the handler's EPC+4: the instruction after SYSCALL runs (manual ch.16 ERET)"},
	check{1, 0x0000_0000_3400_0002, "", "an exception sets Status.EXL (bit 1), nothing else (manual ch.6 Status register, exception processing)"},
	check{2, 0x0000_0000_3400_0000, "", "ERET clears Status.EXL (ERET)"},
	exc(3, excSys, 0, "sys1", "SYSCALL raises System Call (SYSCALL)"),
	exc(7, excBp, 0, "brk1", "BREAK raises Breakpoint (BREAK)"),
	exc(11, excTr, 0, "teq1", "TEQ 7, 7 traps (TEQ)"),
	check{15, 0, "", "TNE 7,7; TGEI -1,0; TGEU 0,-1; TLTU -1,7 do not trap (TNE, TGEI, TGEU, TLTU)"},
	exc(16, excTr, 0, "tltiu1", "TLTIU 5, -1 traps: the immediate is sign-extended, then compared unsigned (TLTIU)"),
	exc(20, excTr, 0, "tge1", "TGE 5, -1 traps: signed compare (TGE)"),
	check{24, 0x1234, "", "ADD overflow leaves rd unchanged (ADD)"},
	exc(25, excOv, 0, "ov1", "ADD 0x7FFFFFFF+0x7FFFFFFF raises Integer Overflow (ADD)"),
	check{29, 0x1234, "", "DADDI overflow leaves rt unchanged (DADDI)"},
	exc(30, excOv, 0, "ov2", "DADDI 0x7FFFFFFFFFFFFFFF+1 raises Integer Overflow (DADDI)"),
	exc(34, excSys, 1, "bd1", "SYSCALL in a taken BEQ's delay slot: EPC = the branch, BD = 1"),
	exc(38, excBp, 1, "bd2", "BREAK in a not-taken BNE's delay slot: EPC = the branch, BD = 1"),
	exc(42, excTr, 1, "bd3", "TEQ in a J's delay slot: EPC = the jump, BD = 1"),
	exc(46, excOv, 1, "bd4", "overflowing ADD in a taken BEQL's delay slot: EPC = the branch, BD = 1"),
	exc(50, excSys, 0, "sys2", "a later SYSCALL outside a delay slot: BD = 0 again"),
	check{54, 0x1234, "", "LW from an address not a multiple of 4 loads nothing (manual ch.6 Address Error exception)"},
	check{55, 0xFFFF_FFFF_A010_1001, "", "Address Error: BadVAddr = the misaligned address, sign-extended (manual ch.6 BadVAddr register)"},
	exc(56, excAdEL, 0, "ade1", "misaligned LW raises Address Error on load (AdEL)"),
	check{60, 0, "", "a misaligned SH stores nothing"},
	check{61, 0xFFFF_FFFF_A010_1003, "", "Address Error on store: BadVAddr = the misaligned address"},
	exc(62, excAdES, 0, "ade2", "misaligned SH raises Address Error on store (AdES)"),
	check{66, 0, "", "ERET has no delay slot: the instruction after it never runs (ERET)"},
	check{67, 0, "", "no exception besides those saved above"},
)

var programs = []struct {
	name   string
	checks []check
}{
	{"alu", aluChecks},
	{"branch", branchChecks},
	{"exception", exceptionChecks},
	{"muldiv", muldivChecks},
	{"shift", shiftChecks},
	{"unaligned", unalignedChecks},
}

// TestPrograms boots each test ROM on the machine, runs it to its done loop
// and compares every result slot with its table.
func TestPrograms(t *testing.T) {
	for _, p := range programs {
		t.Run(p.name, func(t *testing.T) {
			src := filepath.Join("testdata", p.name+".s")
			prog, _, err := BuildTestROM(p.name, readFile(t, src))
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range p.checks {
				if c.slot != i {
					t.Fatalf("table row %d is for slot %d: rows must cover slots 0..n-1 in order", i, c.slot)
				}
				if _, ok := prog.Symbols[c.sym]; c.sym != "" && !ok {
					t.Fatalf("slot %d: no label %q in %s", c.slot, c.sym, src)
				}
			}
			rdram := run(t, filepath.Join("testdata", p.name+".z64"), prog)
			slot := func(n int) uint64 { return binary.BigEndian.Uint64(rdram[resPhys+8*n:]) }
			for _, c := range p.checks {
				want := c.want
				if c.sym != "" {
					want += signExtend(prog.Symbols[c.sym])
				}
				if got := slot(c.slot); got != want {
					t.Errorf("slot %d = %#016x, want %#016x: %s", c.slot, got, want, c.what)
				}
			}
			if n := len(p.checks); slot(n) != sentinel {
				t.Errorf("slot %d = %#016x was written but has no table row", n, slot(n))
			}
		})
	}
}

func signExtend(addr uint32) uint64 { return uint64(int64(int32(addr))) }

// run boots the ROM at path and runs it until the CPU is in the program's
// "done: j done; nop" loop, returning RDRAM.
func run(t *testing.T, path string, prog *asm.Program) []byte {
	t.Helper()
	rom, err := cart.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := core.New(rom, core.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	done, ok := prog.Symbols["done"]
	if !ok {
		t.Fatal("program has no done label")
	}
	const chunk, limit = 10_000, 10_000_000 // CPU cycles
	for cycles := 0; ; cycles += chunk {
		if pc := uint32(m.CPU.PC); pc == done || pc == done+4 {
			return m.Bus.RDRAM
		}
		if cycles >= limit {
			t.Fatalf("done (0x%08x) not reached in %d cycles: PC %#x, Cause %#x, EPC %#x",
				done, limit, m.CPU.PC, m.CPU.CP0[cpu.CP0Cause], m.CPU.CP0[cpu.CP0EPC])
		}
		if err := m.RunCycles(chunk); err != nil {
			t.Fatalf("after %d cycles: %v", cycles, err)
		}
	}
}
