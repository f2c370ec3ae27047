package cpu

import (
	"bytes"
	"testing"

	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
	"github.com/n64go/n64/core/state"
)

func TestInterruptConditions(t *testing.T) {
	// manual ch. 6/ch. 6: an interrupt is taken when IE = 1, EXL = 0,
	// ERL = 0 and a pending IP bit is enabled by IM; EPC is the interrupted
	// instruction, ExcCode 0.
	tests := []struct {
		name   string
		status uint64
		line   int
		taken  bool
	}{
		{"IE and IM2 with IP2", bootStatus | StatusIE | 1<<10, 2, true},
		{"IE clear", bootStatus | 1<<10, 2, false},
		{"EXL set", bootStatus | StatusIE | StatusEXL | 1<<10, 2, false},
		{"ERL set", bootStatus | StatusIE | StatusERL | 1<<10, 2, false},
		{"IM2 clear", bootStatus | StatusIE | 1<<11, 2, false},
		{"IM6 with IP6", bootStatus | StatusIE | 1<<14, 6, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCPU(t)
			load(t, c, "addiu $k0, $zero, 1", 0x8000_0180)
			program(t, c, "addiu $t0, $zero, 1")
			c.CP0[CP0Status] = tt.status
			c.SetInterrupt(tt.line, true)
			step(t, c, 1)
			if tt.taken {
				if c.GPR[rK0] != 1 || c.GPR[rT0] != 0 {
					t.Errorf("handler not run before the instruction: k0=%d t0=%d", c.GPR[rK0], c.GPR[rT0])
				}
				if c.CP0[CP0Cause]>>2&31 != ExcInt || c.CP0[CP0EPC] != sext32(codeOrigin) {
					t.Errorf("Cause %#x EPC %#x", c.CP0[CP0Cause], c.CP0[CP0EPC])
				}
				if c.CP0[CP0Cause]&(1<<(8+tt.line)) == 0 {
					t.Errorf("Cause.IP%d not set", tt.line)
				}
			} else if c.GPR[rK0] != 0 || c.GPR[rT0] != 1 {
				t.Errorf("interrupt taken: k0=%d t0=%d", c.GPR[rK0], c.GPR[rT0])
			}
		})
	}
}

func TestInterruptLineLowered(t *testing.T) {
	c := newCPU(t)
	program(t, c, "nop\nnop")
	c.CP0[CP0Status] = bootStatus | StatusIE | 1<<10
	c.SetInterrupt(2, true)
	c.SetInterrupt(2, false)
	step(t, c, 1)
	if c.CP0[CP0Status]&StatusEXL != 0 || c.CP0[CP0Cause]&CauseIP != 0 {
		t.Errorf("interrupt taken after the line dropped: Cause %#x", c.CP0[CP0Cause])
	}
}

func TestInterruptInDelaySlot(t *testing.T) {
	// manual ch. 6: an interrupt before a delay-slot instruction sets BD
	// and EPC to the branch.
	c := newCPU(t)
	program(t, c, "beq $zero, $zero, L\nnop\nnop\nL: nop")
	c.CP0[CP0Status] = bootStatus | StatusIE | 1<<10
	step(t, c, 1)
	c.SetInterrupt(2, true)
	step(t, c, 1)
	if c.CP0[CP0EPC] != sext32(codeOrigin) || c.CP0[CP0Cause]&CauseBD == 0 {
		t.Errorf("EPC %#x Cause %#x, want the branch and BD", c.CP0[CP0EPC], c.CP0[CP0Cause])
	}
}

func TestSoftwareInterrupt(t *testing.T) {
	// manual ch. 6: IP0/IP1 are written by MTC0 Cause and interrupt like
	// the others; no other Cause bit is writable.
	c := newCPU(t)
	program(t, c, `
		li $t0, -1
		mtc0 $t0, Cause
		mfc0 $t1, Cause
	`)
	step(t, c, 3)
	if c.GPR[rT1] != 0x300 {
		t.Errorf("Cause after writing all ones = %#x, want 0x300", c.GPR[rT1])
	}
	c = newCPU(t)
	program(t, c, "li $t0, 0x100\nmtc0 $t0, Cause\nnop")
	c.CP0[CP0Status] = bootStatus | StatusIE | 1<<8
	step(t, c, 3)
	if c.CP0[CP0Cause]>>2&31 != ExcInt || c.CP0[CP0EPC] != sext32(codeOrigin+8) {
		t.Errorf("software interrupt: Cause %#x EPC %#x", c.CP0[CP0Cause], c.CP0[CP0EPC])
	}
}

func TestCountRate(t *testing.T) {
	// Count = cycles / 2 and an instruction costs 2*CountPerOp/2^pot cycles
	// (core.Options, mupen64plus CountPerOp).
	for _, tt := range []struct {
		t            Timing
		n            int
		cycles       uint64
		count        uint32
		instructions uint64
	}{
		{Timing{CountPerOp: 2}, 10, 40, 20, 10},
		{Timing{CountPerOp: 1}, 10, 20, 10, 10},
		{Timing{CountPerOp: 3, CountPerOpDenomPot: 1}, 10, 30, 15, 10},
		{Timing{CountPerOp: 1, CountPerOpDenomPot: 2}, 5, 5, 2, 10}, // 0.5 cycles each
	} {
		c := New(memory.NewBus(memory.RDRAMSize4M), sched.New(), tt.t)
		c.CP0[CP0Status] = bootStatus
		c.PC = sext32(codeOrigin)
		c.Run(tt.cycles)
		if c.sched.Now != tt.cycles || c.Count() != tt.count || c.Steps != tt.instructions {
			t.Errorf("%+v: after Run(%d): Now %d Count %d instructions %d, want %d %d %d",
				tt.t, tt.cycles, c.sched.Now, c.Count(), c.Steps, tt.cycles, tt.count, tt.instructions)
		}
		if c.CP0[CP0Count] != uint64(tt.count) {
			t.Errorf("CP0[Count] published %d", c.CP0[CP0Count])
		}
	}
}

func TestCountWrite(t *testing.T) {
	// manual ch. 6: Count is writable; it keeps counting from the value.
	c := newCPU(t)
	program(t, c, `
		li $t0, 1000
		mtc0 $t0, Count
		mfc0 $t1, Count
	`)
	step(t, c, 3)
	if c.GPR[rT1] != 1002 {
		t.Errorf("Count one instruction after writing 1000 = %d, want 1002", c.GPR[rT1])
	}
	// Writes from outside, through the array, are picked up by Run.
	c.CP0[CP0Count] = 5000
	step(t, c, 1)
	if c.Count() != 5002 {
		t.Errorf("Count after an outside write of 5000 and one instruction = %d", c.Count())
	}
}

func TestCompareInterrupt(t *testing.T) {
	// manual ch. 6: when Count reaches Compare, Cause.IP7 is set; writing
	// Compare clears it.
	c := newCPU(t)
	program(t, c, "")
	c.SetCP0(CP0Compare, 100) // Count 0: 100 ticks = 200 cycles = 50 instructions
	step(t, c, 49)
	if c.CP0[CP0Cause]&CauseIP7 != 0 {
		t.Fatalf("IP7 set early, at Count %d", c.Count())
	}
	step(t, c, 1)
	if c.CP0[CP0Cause]&CauseIP7 == 0 || c.Count() != 100 {
		t.Fatalf("IP7 = %v at Count %d, want set at 100", c.CP0[CP0Cause]&CauseIP7 != 0, c.Count())
	}
	if at, ok := c.sched.Pending(sched.Compare); !ok || at != c.sched.Now+1<<33 {
		t.Errorf("next Compare event at %d, want 2^32 ticks later (%d)", at, c.sched.Now+1<<33)
	}
	program(t, c, "li $t0, 500\nmtc0 $t0, Compare")
	step(t, c, 2)
	if c.CP0[CP0Cause]&CauseIP7 != 0 {
		t.Error("writing Compare did not clear IP7")
	}

	// With IE and IM7 the timer interrupts.
	c = newCPU(t)
	program(t, c, "")
	c.CP0[CP0Status] = bootStatus | StatusIE | 1<<15
	c.SetCP0(CP0Compare, 10)
	step(t, c, 6)
	if c.CP0[CP0Cause]>>2&31 != ExcInt || c.CP0[CP0Cause]&CauseIP7 == 0 || c.CP0[CP0Status]&StatusEXL == 0 {
		t.Errorf("timer interrupt not taken: Cause %#x Status %#x", c.CP0[CP0Cause], c.CP0[CP0Status])
	}
	if c.CP0[CP0EPC] != sext32(codeOrigin+20) {
		t.Errorf("EPC = %#x, want the sixth instruction", c.CP0[CP0EPC])
	}
}

func TestCompareReschedule(t *testing.T) {
	// Writing Count or Compare moves the event; Compare = Count is a full
	// wrap away (manual ch. 6).
	c := newCPU(t)
	c.SetCP0(CP0Compare, 100)
	c.SetCP0(CP0Count, 90)
	if at, _ := c.sched.Pending(sched.Compare); at != c.sched.Now+20 {
		t.Errorf("Compare event at %d, want now+20", at)
	}
	c.SetCP0(CP0Compare, 90)
	if at, _ := c.sched.Pending(sched.Compare); at != c.sched.Now+1<<33 {
		t.Errorf("Compare = Count: event at %d, want now+2^33", at)
	}
	c.SetCP0(CP0Compare, 89) // just behind: almost a full wrap
	if at, _ := c.sched.Pending(sched.Compare); at != c.sched.Now+(1<<33)-2 {
		t.Errorf("Compare = Count-1: event at %d", at)
	}
}

func TestRandom(t *testing.T) {
	// manual ch. 6: Random decrements per instruction from 31 down to
	// Wired and wraps; reset leaves 31.
	c := newCPU(t)
	c.Steps = 0
	c.Reset()
	c.CP0[CP0Status] = bootStatus
	c.PC = sext32(codeOrigin)
	if r := c.CP0Value(CP0Random); r != 31 {
		t.Fatalf("Random after reset = %d", r)
	}
	step(t, c, 1)
	if r := c.CP0Value(CP0Random); r != 30 {
		t.Errorf("Random after one instruction = %d", r)
	}
	// Writing Random from outside (the boot code sets 31).
	c.CP0[CP0Random] = 29
	step(t, c, 1)
	if r := c.CP0Value(CP0Random); r != 28 {
		t.Errorf("Random one instruction after an outside write of 29 = %d", r)
	}
}

// randomAfterWired runs "MTC0 wired, Wired", then nops, and returns what an
// MFC0 Random reads gap instructions after the MTC0 (gap >= 2).
func randomAfterWired(t *testing.T, wired uint32, gap int) uint64 {
	t.Helper()
	c := newCPU(t)
	src := "li $t0, " + utoa(uint64(wired)) + "\nmtc0 $t0, Wired\n"
	for range gap - 1 {
		src += "nop\n"
	}
	program(t, c, src+"mfc0 $t1, Random\nL: b L\nnop")
	step(t, c, gap+2)
	return c.GPR[rT1]
}

func utoa(v uint64) string {
	if v == 0 {
		return "0"
	}
	var b []byte
	for ; v > 0; v /= 10 {
		b = append([]byte{byte('0' + v%10)}, b...)
	}
	return string(b)
}

func TestRandomAfterWired(t *testing.T) {
	// n64-systemtest "Random (decrement)" (hardware): after MTC0 Wired, the
	// second instruction reads 31 and each later one steps Random by
	// "if Random == Wired { 31 } else { (Random - 1) & 63 }". The MFC0 two
	// instructions after the MTC0 is step 0; the hardware test's "after 1"
	// (MTC0, NOP, NOP, MFC0) is gap 3.
	tests := []struct {
		wired uint32
		gap   int
		want  uint64
		note  string
	}{
		{0, 2, 31, "read 2 after the write: reset to 31 (\"Random (read early)\", delayed case)"},
		{0, 3, 30, "\"after 1\""},
		{0, 6, 27, "\"Random (masking)\": MTC0 Wired, 2 NOPs, MTC0 Random, 2 NOPs, MFC0 = 27"},
		{0, 33, 0, "Wired 0: 31 … 0 …"},
		{0, 34, 31, "… then 31 (period 32)"},
		{20, 13, 20, "down to Wired"},
		{20, 14, 31, "then back to 31"},
		{31, 3, 31, "Wired 31: always 31"},
		{32, 33, 0, "Wired above 31: down to 0 …"},
		{32, 34, 63, "… wraps to 63 (& 63) …"},
		{32, 65, 32, "… down to Wired …"},
		{32, 66, 31, "… then 31: period 96 − Wired"},
		{40, 58, 31, "Wired 40: period 56"},
		{63, 34, 63, "Wired 63: 31 … 0, 63"},
		{63, 35, 31, "… then 31"},
	}
	for _, tt := range tests {
		if got := randomAfterWired(t, tt.wired, tt.gap); got != tt.want {
			t.Errorf("Wired %d, MFC0 %d after the MTC0: Random = %d, want %d (%s)",
				tt.wired, tt.gap, got, tt.want, tt.note)
		}
	}
}

func TestCP0Registers(t *testing.T) {
	// Writable masks and read-only registers (manual ch. 6; n64brew "COP0").
	tests := []struct {
		reg   int
		write uint64
		want  uint64 // DMFC0 after DMTC0 of write
	}{
		{CP0Index, 0xFFFF_FFFF, 0x8000_003F},
		{CP0EntryLo0, 0xFFFF_FFFF_FFFF_FFFF, 0x3FFF_FFFF},
		{CP0PageMask, 0xFFFF_FFFF, 0x01FF_E000},
		{CP0Wired, 0xFF, 0x3F},
		{CP0BadVAddr, 0x1234, 0},
		{CP0EntryHi, 0xFFFF_FFFF_FFFF_FFFF, 0xC000_00FF_FFFF_E0FF},
		{CP0Compare, 0x1_2345_6789, 0x2345_6789},
		{CP0Status, 0xFFFF_FFFF, 0xFF57_FFFF},
		{CP0EPC, 0x1234_5678_9ABC_DEF0, 0x1234_5678_9ABC_DEF0},
		{CP0PRId, 0, 0x0B22},
		{CP0Config, 0, 0x7006_6460},
		{CP0Config, 0xFFFF_FFFF, 0x7F06_E46F},
		{CP0LLAddr, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF},
		{CP0WatchLo, 0xFFFF_FFFF, 0xFFFF_FFFB},
		{CP0WatchHi, 0xFF, 0xF},
		{CP0Context, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FF80_0000},
		{CP0XContext, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFE_0000_0000},
		{CP0TagHi, 0xFFFF_FFFF, 0},
		{CP0ErrorEPC, 0xFFFF_FFFF_8000_0000, 0xFFFF_FFFF_8000_0000},
		{7, 0x1234_5678_9ABC, 0x1234_5678_9ABC}, // unused numbers read the latch
	}
	for _, tt := range tests {
		c := newCPU(t)
		program(t, c, "dmtc0 $t0, $"+itoa2(tt.reg)+"\ndmfc0 $t1, $"+itoa2(tt.reg)+"\nmfc0 $t2, $"+itoa2(tt.reg))
		c.GPR[rT0] = tt.write
		step(t, c, 3)
		if c.GPR[rT1] != tt.want {
			t.Errorf("%s: wrote %#x, DMFC0 reads %#x, want %#x", CP0Name(tt.reg), tt.write, c.GPR[rT1], tt.want)
		}
		if c.GPR[rT2] != sext32(uint32(tt.want)) {
			t.Errorf("%s: MFC0 reads %#x, want the low word sign-extended", CP0Name(tt.reg), c.GPR[rT2])
		}
	}

	// The latch: any CP0 write is what the unused numbers read.
	c := newCPU(t)
	program(t, c, "li $t0, 0x5555\nmtc0 $t0, EPC\nmfc0 $t1, $21")
	step(t, c, 3)
	if c.GPR[rT1] != 0x5555 {
		t.Errorf("unused CP0 register 21 reads %#x, want the last value written (0x5555)", c.GPR[rT1])
	}
}

func itoa2(i int) string {
	if i < 10 {
		return itoa(i)
	}
	return itoa(i/10) + itoa(i%10)
}

func TestLLSC(t *testing.T) {
	// manual ch. 16 LL/SC: SC stores and sets rt to 1 only while LLBit is set;
	// ERET clears LLBit. LLAddr is the physical address >> 4 (ch. 6).
	c := newCPU(t)
	program(t, c, `
		lui $a0, 0x8000
		ori $a0, $a0, 0x2010
		ll $t0, 0($a0)
		addiu $t0, $t0, 1
		sc $t0, 0($a0)
		sc $t1, 0($a0)
	`)
	c.bus.Write32(0x2010, 41)
	c.GPR[rT1] = 99
	step(t, c, 6)
	if c.GPR[rT0] != 1 || word32(c, 0x8000_2010) != 42 {
		t.Errorf("LL/SC: t0=%d mem=%d, want 1 and 42", c.GPR[rT0], word32(c, 0x8000_2010))
	}
	if c.CP0[CP0LLAddr] != 0x201 {
		t.Errorf("LLAddr = %#x, want 0x201", c.CP0[CP0LLAddr])
	}
	if c.GPR[rT1] != 0 || word32(c, 0x8000_2010) != 42 {
		t.Errorf("second SC without LL: t1=%d, mem=%d; want 0 and no store", c.GPR[rT1], word32(c, 0x8000_2010))
	}

	// LL, an exception whose handler returns with ERET, then SC: fails.
	c = newCPU(t)
	load(t, c, "mfc0 $k0, EPC\naddiu $k0, $k0, 4\nmtc0 $k0, EPC\neret", 0x8000_0180)
	program(t, c, `
		lui $a0, 0x8000
		ori $a0, $a0, 0x2010
		ll $t0, 0($a0)
		syscall
		sc $t0, 0($a0)
	`)
	c.bus.Write32(0x2010, 41)
	step(t, c, 4+4+1)
	if c.GPR[rT0] != 0 || word32(c, 0x8000_2010) != 41 {
		t.Errorf("SC after ERET: t0=%d mem=%d, want 0 and 41", c.GPR[rT0], word32(c, 0x8000_2010))
	}

	// LLD/SCD.
	c = newCPU(t)
	program(t, c, `
		lui $a0, 0x8000
		ori $a0, $a0, 0x2018
		lld $t0, 0($a0)
		daddiu $t0, $t0, 1
		scd $t0, 0($a0)
	`)
	c.bus.Write64(0x2018, 0x1_0000_0000)
	step(t, c, 5)
	if c.GPR[rT0] != 1 || word64(c, 0x8000_2018) != 0x1_0000_0001 {
		t.Errorf("LLD/SCD: t0=%d mem=%#x", c.GPR[rT0], word64(c, 0x8000_2018))
	}
}

func TestCOP1Moves(t *testing.T) {
	// manual ch. 7: FR = 1 gives 32 64-bit registers; FR = 0 gives 16
	// pairs, an odd register being the high half of the even one.
	c := newCPU(t) // bootStatus has FR = 1
	program(t, c, `
		mtc1 $t0, $f1
		mfc1 $t1, $f1
		dmtc1 $t2, $f3
		dmfc1 $t3, $f3
	`)
	c.GPR[rT0] = 0x1234_5678_8000_0001
	c.GPR[rT2] = 0xFEDC_BA98_7654_3210
	step(t, c, 4)
	if c.FPR[1] != 0x8000_0001 || c.GPR[rT1] != 0xFFFF_FFFF_8000_0001 {
		t.Errorf("FR=1 MTC1/MFC1: FPR[1]=%#x t1=%#x", c.FPR[1], c.GPR[rT1])
	}
	if c.FPR[3] != 0xFEDC_BA98_7654_3210 || c.GPR[rT3] != 0xFEDC_BA98_7654_3210 {
		t.Errorf("FR=1 DMTC1/DMFC1: FPR[3]=%#x t3=%#x", c.FPR[3], c.GPR[rT3])
	}

	c = newCPU(t)
	c.CP0[CP0Status] = bootStatus &^ StatusFR
	program(t, c, `
		mtc1 $t0, $f0
		mtc1 $t1, $f1
		dmfc1 $t2, $f0
		mfc1 $t3, $f1
		lui $a0, 0x8000
		ori $a0, $a0, 0x2000
		lwc1 $f3, 0($a0)
		swc1 $f3, 8($a0)
		ldc1 $f4, 0($a0)
		sdc1 $f4, 16($a0)
	`)
	c.GPR[rT0] = 0x1111_1111
	c.GPR[rT1] = 0x8222_2222
	c.bus.Write64(0x2000, 0xAABB_CCDD_0102_0304)
	step(t, c, 10)
	if c.FPR[0] != 0x8222_2222_1111_1111 || c.GPR[rT2] != 0x8222_2222_1111_1111 || c.GPR[rT3] != 0xFFFF_FFFF_8222_2222 {
		t.Errorf("FR=0 pair: FPR[0]=%#x t2=%#x t3=%#x", c.FPR[0], c.GPR[rT2], c.GPR[rT3])
	}
	if c.FPR[2]>>32 != 0xAABB_CCDD || c.FPR[3] != 0 || word32(c, 0x8000_2008) != 0xAABB_CCDD {
		t.Errorf("FR=0 LWC1/SWC1 $f3: FPR[2]=%#x FPR[3]=%#x stored %#x", c.FPR[2], c.FPR[3], word32(c, 0x8000_2008))
	}
	if c.FPR[4] != 0xAABB_CCDD_0102_0304 || word64(c, 0x8000_2010) != 0xAABB_CCDD_0102_0304 {
		t.Errorf("LDC1/SDC1: FPR[4]=%#x stored %#x", c.FPR[4], word64(c, 0x8000_2010))
	}
}

func TestCOP1Control(t *testing.T) {
	// manual ch. 7: FCR0 reads the implementation 0x0A00; FCR31 keeps its
	// writable bits; a cause bit with its enable raises FPE at once.
	c := newCPU(t)
	program(t, c, `
		cfc1 $t0, $0
		ctc1 $t1, $31
		cfc1 $t2, $31
		ctc1 $t3, $31
	`)
	c.GPR[rT1] = 0xFFFC_0003 // RM, C, FS and bits that are not writable
	c.GPR[rT3] = 0x0000_1080 // cause I with enable I
	step(t, c, 4)
	if c.GPR[rT0] != 0xA00 {
		t.Errorf("FCR0 = %#x", c.GPR[rT0])
	}
	if c.GPR[rT2] != 0x0180_0003 {
		t.Errorf("FCR31 after writing 0xFFFC0003 = %#x, want 0x01800003", c.GPR[rT2])
	}
	if c.CP0[CP0Cause]>>2&31 != ExcFPE || c.CP0[CP0EPC] != sext32(codeOrigin+12) {
		t.Errorf("CTC1 with an enabled cause: Cause %#x EPC %#x", c.CP0[CP0Cause], c.CP0[CP0EPC])
	}
}

func TestBC1(t *testing.T) {
	// manual ch. 17 BC1T/BC1F/BC1TL/BC1FL test FCR31.C (bit 23).
	for _, tt := range []struct {
		op    string
		c     bool
		slot  uint64 // delay slot ran
		taken bool
	}{
		{"bc1t", true, 1, true}, {"bc1t", false, 1, false},
		{"bc1f", false, 1, true}, {"bc1f", true, 1, false},
		{"bc1tl", true, 1, true}, {"bc1tl", false, 0, false},
		{"bc1fl", false, 1, true}, {"bc1fl", true, 0, false},
	} {
		c := newCPU(t)
		if tt.c {
			c.FCR31 = FCR31C
		}
		program(t, c, tt.op+" L\naddiu $t0, $zero, 1\naddiu $t1, $zero, 1\nL: nop")
		step(t, c, 3)
		if c.GPR[rT0] != tt.slot || (c.GPR[rT1] == 0) != tt.taken {
			t.Errorf("%s with C=%v: slot ran %d, fell through %d", tt.op, tt.c, c.GPR[rT0], c.GPR[rT1])
		}
	}
}

func TestCOP2Latch(t *testing.T) {
	// With CU2 the VR4300's COP2 moves reach a 64-bit latch
	// (n64-systemtest, as ares models it).
	c := newCPU(t)
	c.CP0[CP0Status] |= StatusCU2
	program(t, c, ".word 0x48A80000\n.word 0x48290000\n.word 0x480A0000") // dmtc2 t0; dmfc2 t1; mfc2 t2
	c.GPR[rT0] = 0x1234_5678_8765_4321
	step(t, c, 3)
	if c.GPR[rT1] != 0x1234_5678_8765_4321 || c.GPR[rT2] != 0xFFFF_FFFF_8765_4321 {
		t.Errorf("COP2 latch: t1=%#x t2=%#x", c.GPR[rT1], c.GPR[rT2])
	}
}

func TestTLB(t *testing.T) {
	// manual ch. 5, ch. 16 TLBWI/TLBR/TLBP: a 16 KiB page pair at virtual
	// 0x0040_0000 (VPN2 0x200), ASID 5: even page at physical 0x10000, odd
	// page at 0x20000.
	setup := `
		li $t0, 0x6000         # PageMask: 16 KiB pages
		mtc0 $t0, PageMask
		lui $t0, 0x40
		ori $t0, $t0, 5        # VPN2, ASID 5
		mtc0 $t0, EntryHi
		li $t0, 0x41E          # PFN 0x10 (0x10000), C=3, D, V
		mtc0 $t0, EntryLo0
		li $t0, 0x81A          # PFN 0x20 (0x20000), C=3, V, not dirty
		mtc0 $t0, EntryLo1
		li $t0, 3
		mtc0 $t0, Index
		tlbwi
	`
	const setupN = 12
	c := newCPU(t)
	program(t, c, setup+`
		lui $a0, 0x40
		lw $t1, 0x10($a0)      # even page
		lui $a1, 0x40
		ori $a1, $a1, 0x4000
		lw $t2, 0x20($a1)      # odd page
		mtc0 $zero, Index
		tlbp
		mfc0 $t3, Index
		mtc0 $zero, EntryHi
		tlbp
		mfc0 $t4, Index
	`)
	c.bus.Write32(0x10010, 0xAAAA)
	c.bus.Write32(0x20020, 0xBBBB)
	step(t, c, setupN+11)
	if c.GPR[rT1] != 0xAAAA || c.GPR[rT2] != 0xBBBB {
		t.Errorf("mapped loads: t1=%#x t2=%#x", c.GPR[rT1], c.GPR[rT2])
	}
	if c.GPR[rT3] != 3 || c.GPR[rT4] != 0xFFFF_FFFF_8000_0000 {
		t.Errorf("TLBP: hit Index %#x, miss Index %#x (want 3 and P set)", c.GPR[rT3], c.GPR[rT4])
	}
	if c.CP0[CP0Status]&StatusEXL != 0 {
		t.Fatalf("unexpected exception %d at %#x", c.CP0[CP0Cause]>>2&31, c.CP0[CP0EPC])
	}

	// TLBR reads the entry back, G being the AND of both EntryLo G bits.
	c.CP0[CP0Index] = 3
	c.CP0[CP0EntryHi] = 0
	c.tlbRead()
	if c.CP0[CP0EntryHi] != 0x40_0005 || c.CP0[CP0PageMask] != 0x6000 ||
		c.CP0[CP0EntryLo0] != 0x41E || c.CP0[CP0EntryLo1] != 0x81A {
		t.Errorf("TLBR: EntryHi %#x PageMask %#x EntryLo %#x %#x",
			c.CP0[CP0EntryHi], c.CP0[CP0PageMask], c.CP0[CP0EntryLo0], c.CP0[CP0EntryLo1])
	}

	for _, tt := range []struct {
		name string
		src  string
		code uint64
		vec  uint32
	}{
		{"store to a clean page: TLB modification", "lui $a1, 0x40\nori $a1, $a1, 0x4000\nsw $zero, 0($a1)", ExcMod, 0x8000_0180},
		{"other ASID: refill", "li $t0, 6\nmtc0 $t0, EntryHi\nlui $a1, 0x40\nlw $t0, 0($a1)", ExcTLBL, 0x8000_0000},
	} {
		c := newCPU(t)
		program(t, c, setup+tt.src)
		step(t, c, setupN+len(bytes.Split([]byte(tt.src), []byte("\n"))))
		if c.CP0[CP0Cause]>>2&31 != tt.code || c.PC != sext32(tt.vec) {
			t.Errorf("%s: ExcCode %d PC %#x, want %d at %#x", tt.name, c.CP0[CP0Cause]>>2&31, c.PC, tt.code, tt.vec)
		}
	}

	// An entry with V clear: TLB invalid goes to the common vector.
	c = newCPU(t)
	program(t, c, setup+"li $t0, 0x418\nmtc0 $t0, EntryLo0\ntlbwi\nlui $a0, 0x40\nlw $t1, 0($a0)")
	step(t, c, setupN+5)
	if c.CP0[CP0Cause]>>2&31 != ExcTLBL || c.PC != sext32(0x8000_0180) || c.CP0[CP0BadVAddr] != 0x40_0000 {
		t.Errorf("TLB invalid: ExcCode %d PC %#x BadVAddr %#x", c.CP0[CP0Cause]>>2&31, c.PC, c.CP0[CP0BadVAddr])
	}
	if c.CP0[CP0Context]&contextBadVPN2 != 0x40_0000>>13<<4 || c.CP0[CP0EntryHi] != 0x40_0005 {
		t.Errorf("TLB invalid: Context %#x EntryHi %#x", c.CP0[CP0Context], c.CP0[CP0EntryHi])
	}
}

func TestTLBWR(t *testing.T) {
	// manual ch. 16 TLBWR: writes the entry Random selects.
	c := newCPU(t)
	program(t, c, "li $t0, 0x2000\nmtc0 $t0, EntryHi\ntlbwr")
	step(t, c, 2)
	r := c.random()
	step(t, c, 1)
	if c.TLB[r].EntryHi != 0x2000 {
		t.Errorf("TLBWR did not write entry %d (Random): %#x", r, c.TLB[r].EntryHi)
	}
}

// snapshot serializes the CPU and its scheduler.
func snapshot(c *CPU) []byte {
	s := state.NewWriter()
	c.sched.Serialize(s)
	c.Serialize(s)
	return s.Bytes()
}

const busyLoop = `
	lui $a0, 0x8000
	ori $a0, $a0, 0x3000
	li $t0, 200
	mtc0 $t0, Compare
	li $t0, 0
	li $t1, 0x1234
L:	addu $t2, $t2, $t0
	mult $t2, $t1
	mflo $t3
	sw $t3, 0($a0)
	lw $t4, 0($a0)
	xor $t5, $t4, $t0
	mfc0 $t6, Random
	mfc0 $t7, Count
	addiu $t0, $t0, 1
	andi $t0, $t0, 0xFF
	bnel $t0, $zero, L
	dsll32 $s0, $t0, 3
	b L
	nop
`

func TestSerializeRoundTrip(t *testing.T) {
	// DESIGN.md §5: a state saved and loaded continues exactly as the
	// original; DESIGN.md §7: two runs of the same program give the same state.
	a := newCPU(t)
	program(t, a, busyLoop)
	a.CP0[CP0Status] = bootStatus | StatusIE | 1<<15
	load(t, a, "mfc0 $k0, Compare\naddiu $k0, $k0, 100\nmtc0 $k0, Compare\neret", 0x8000_0180)
	step(t, a, 1000)
	saved := snapshot(a)

	b := New(memory.NewBus(memory.RDRAMSize8M), sched.New(), Timing{CountPerOp: 2})
	copy(b.bus.RDRAM, a.bus.RDRAM)
	r := state.NewReader(saved)
	b.sched.Serialize(r)
	b.Serialize(r)
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(snapshot(b), saved) {
		t.Fatal("loaded state re-serializes differently")
	}
	step(t, a, 5000)
	step(t, b, 5000)
	if !bytes.Equal(snapshot(a), snapshot(b)) || !bytes.Equal(a.bus.RDRAM, b.bus.RDRAM) {
		t.Error("restored CPU diverged from the original")
	}
	if a.CP0[CP0Compare] < 1000 {
		t.Error("the timer never fired in the busy loop")
	}
}

// mapZero maps virtual 0x0000_0000 (a 4 KiB page pair, ASID 0) to physical
// pfn<<12 with TLB entry 0; its caller jumps to 0.
const mapZero = `
	mtc0 $zero, PageMask
	mtc0 $zero, EntryHi
	mtc0 $zero, Index
	mtc0 $zero, EntryLo1
	sll $t0, $a0, 6
	ori $t0, $t0, 0x1E     # C=3, D, V
	mtc0 $t0, EntryLo0
	tlbwi
`

func TestMappedCode(t *testing.T) {
	// Code runs from a TLB-mapped page (manual ch. 5) and follows a remap:
	// the fetch path's page cache is dropped by TLBWI.
	c := newCPU(t)
	load(t, c, "addiu $t1, $zero, 1\njr $ra\nnop", 0x8000_4000)
	load(t, c, "addiu $t1, $zero, 2\njr $ra\nnop", 0x8000_5000)
	program(t, c, `
		li $a0, 4
		jal mapzero
		nop
		jalr $zero
		nop
		move $s0, $t1
		li $a0, 5
		jal mapzero
		nop
		jalr $zero
		nop
		move $s1, $t1
	L:	b L
		nop
	mapzero:`+mapZero+`
		jr $ra
		nop
	`)
	step(t, c, 60)
	if c.GPR[rS0] != 1 || c.GPR[17] != 2 {
		t.Errorf("mapped code: first call %d, after remap %d; want 1, 2 (Cause %#x EPC %#x)",
			c.GPR[rS0], c.GPR[17], c.CP0[CP0Cause], c.CP0[CP0EPC])
	}
}
