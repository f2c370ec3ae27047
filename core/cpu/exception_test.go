package cpu

import "testing"

// excTests run a program until the first instruction of the exception
// handler would execute and check where the CPU went and what CP0 says.
var excTests = []struct {
	name     string
	cite     string
	src      string
	init     regs
	status   uint64 // Status to run with (0: bootStatus)
	steps    int
	code     uint64 // Cause.ExcCode
	ce       uint64 // Cause.CE
	epc      uint32 // expected EPC
	bd       bool
	vector   uint32
	badVAddr uint64 // checked when nonzero
	want     regs   // registers after (e.g. unchanged destinations)
}{
	{"SYSCALL", "manual ch. 6, ch. 16 SYSCALL",
		"nop\nsyscall", nil, 0, 2, ExcSys, 0, codeOrigin + 4, false, 0x8000_0180, 0, nil},
	{"BREAK", "manual ch. 6",
		"break 7", nil, 0, 1, ExcBp, 0, codeOrigin, false, 0x8000_0180, 0, nil},
	{"BEV vectors to 0xBFC00380", "manual ch. 6 exception vector table: BEV=1 base 0xBFC0_0200 + 0x180",
		"syscall", nil, bootStatus | StatusBEV, 1, ExcSys, 0, codeOrigin, false, 0xBFC0_0380, 0, nil},
	{"exception in a delay slot: BD set, EPC = branch", "manual ch. 6 BD, ch. 6 EPC",
		"nop\nbeq $zero, $zero, L\nsyscall\nL: nop", nil, 0, 3, ExcSys, 0, codeOrigin + 4, true, 0x8000_0180, 0, nil},
	{"exception in a not-taken branch's delay slot also sets BD", "manual ch. 6",
		"bne $zero, $zero, L\nsyscall\nL: nop", nil, 0, 2, ExcSys, 0, codeOrigin, true, 0x8000_0180, 0, nil},
	{"ADD overflow traps and leaves rd unchanged", "manual ch. 16 ADD, ch. 6",
		"add $t2, $t0, $t1", regs{rT0: 0x7FFF_FFFF, rT1: 1, rT2: 0x1234}, 0, 1, ExcOv, 0, codeOrigin, false, 0x8000_0180, 0, regs{rT2: 0x1234}},
	{"ADDI overflow", "manual ch. 16 ADDI",
		"addi $t2, $t0, -1", regs{rT0: 0xFFFF_FFFF_8000_0000, rT2: 7}, 0, 1, ExcOv, 0, codeOrigin, false, 0x8000_0180, 0, regs{rT2: 7}},
	{"SUB overflow", "manual ch. 16 SUB",
		"sub $t2, $t0, $t1", regs{rT0: 0xFFFF_FFFF_8000_0000, rT1: 1, rT2: 7}, 0, 1, ExcOv, 0, codeOrigin, false, 0x8000_0180, 0, regs{rT2: 7}},
	{"DADD overflow", "manual ch. 16 DADD",
		"dadd $t2, $t0, $t1", regs{rT0: 0x7FFF_FFFF_FFFF_FFFF, rT1: 1, rT2: 7}, 0, 1, ExcOv, 0, codeOrigin, false, 0x8000_0180, 0, regs{rT2: 7}},
	{"DSUB overflow", "manual ch. 16 DSUB",
		"dsub $t2, $t0, $t1", regs{rT0: 1 << 63, rT1: 1, rT2: 7}, 0, 1, ExcOv, 0, codeOrigin, false, 0x8000_0180, 0, regs{rT2: 7}},
	{"DADDI overflow", "manual ch. 16 DADDI",
		"daddi $t2, $t0, 1", regs{rT0: 0x7FFF_FFFF_FFFF_FFFF, rT2: 7}, 0, 1, ExcOv, 0, codeOrigin, false, 0x8000_0180, 0, regs{rT2: 7}},
	{"TEQ traps when equal", "manual ch. 16 TEQ, ch. 6",
		"teq $t0, $t1", regs{rT0: 5, rT1: 5}, 0, 1, ExcTr, 0, codeOrigin, false, 0x8000_0180, 0, nil},
	{"TGE traps on signed >=", "manual ch. 16 TGE",
		"tge $t0, $t1", regs{rT0: 1, rT1: 0xFFFF_FFFF_FFFF_FFFF}, 0, 1, ExcTr, 0, codeOrigin, false, 0x8000_0180, 0, nil},
	{"TGEU traps on unsigned >=", "manual ch. 16 TGEU",
		"tgeu $t0, $t1", regs{rT0: 0xFFFF_FFFF_FFFF_FFFF, rT1: 1}, 0, 1, ExcTr, 0, codeOrigin, false, 0x8000_0180, 0, nil},
	{"TLT/TLTU/TNE", "manual ch. 16 TLT, TLTU, TNE",
		"tlt $t1, $t0\ntltu $t0, $t1\ntne $t0, $t0\ntne $t0, $t1", regs{rT0: 1, rT1: 0xFFFF_FFFF_FFFF_FFFF}, 0, 1, ExcTr, 0, codeOrigin, false, 0x8000_0180, 0, nil},
	{"TGEI with sign-extended immediate", "manual ch. 16 TGEI",
		"tgei $t0, -1", regs{rT0: 0}, 0, 1, ExcTr, 0, codeOrigin, false, 0x8000_0180, 0, nil},
	{"TEQI/TNEI/TLTI/TGEIU", "manual ch. 16 TEQI …",
		"teqi $t0, 1\ntnei $t0, 1\n", regs{rT0: 0}, 0, 2, ExcTr, 0, codeOrigin + 4, false, 0x8000_0180, 0, nil},
	{"reserved opcode", "manual ch. 16 opcode encoding table (0x1C reserved); ch. 6",
		".word 0x70000000", nil, 0, 1, ExcRI, 0, codeOrigin, false, 0x8000_0180, 0, nil},
	{"reserved SPECIAL function", "manual ch. 16 SPECIAL encoding table (0x01 reserved)",
		".word 0x00000001", nil, 0, 1, ExcRI, 0, codeOrigin, false, 0x8000_0180, 0, nil},
	{"reserved REGIMM rt", "manual ch. 16 REGIMM encoding table",
		".word 0x04040000", nil, 0, 1, ExcRI, 0, codeOrigin, false, 0x8000_0180, 0, nil},
	{"COP3 is reserved", "manual ch. 16 encoding table (no COP3 on the VR4300); ares",
		".word 0x4C000000", nil, bootStatus | StatusCU3, 1, ExcRI, 0, codeOrigin, false, 0x8000_0180, 0, nil},
	{"COP1 unusable when CU1 = 0", "manual ch. 6; CE = 1",
		"mfc1 $t0, $f0", nil, bootStatus &^ StatusCU1, 1, ExcCpU, 1, codeOrigin, false, 0x8000_0180, 0, nil},
	{"LWC1 unusable when CU1 = 0", "manual ch. 6",
		"lwc1 $f0, 0($t0)", regs{rT0: 0xFFFF_FFFF_8000_0000}, bootStatus &^ StatusCU1, 1, ExcCpU, 1, codeOrigin, false, 0x8000_0180, 0, nil},
	{"SDC1 unusable when CU1 = 0", "manual ch. 6",
		"sdc1 $f0, 0($t0)", regs{rT0: 0xFFFF_FFFF_8000_0000}, bootStatus &^ StatusCU1, 1, ExcCpU, 1, codeOrigin, false, 0x8000_0180, 0, nil},
	{"FPU arithmetic unusable when CU1 = 0", "manual ch. 6",
		"add.s $f0, $f2, $f4", nil, bootStatus &^ StatusCU1, 1, ExcCpU, 1, codeOrigin, false, 0x8000_0180, 0, nil},
	{"COP2 unusable when CU2 = 0", "manual ch. 6; CE = 2",
		".word 0x48000000", nil, 0, 1, ExcCpU, 2, codeOrigin, false, 0x8000_0180, 0, nil},
	{"COP2 operation reserved when CU2 = 1", "n64-systemtest via ares: RI with CE = 2",
		".word 0x4A000000", nil, bootStatus | StatusCU2, 1, ExcRI, 2, codeOrigin, false, 0x8000_0180, 0, nil},
	{"LWC2 unusable when CU2 = 0", "manual ch. 6",
		".word 0xC8000000", nil, 0, 1, ExcCpU, 2, codeOrigin, false, 0x8000_0180, 0, nil},
	{"misaligned LW: AdEL with BadVAddr", "manual ch. 6",
		"lw $t1, 2($t0)", regs{rT0: 0xFFFF_FFFF_8000_2000, rT1: 9}, 0, 1, ExcAdEL, 0, codeOrigin, false, 0x8000_0180, 0xFFFF_FFFF_8000_2002, regs{rT1: 9}},
	{"misaligned LH", "manual ch. 6",
		"lh $t1, 1($t0)", regs{rT0: 0xFFFF_FFFF_8000_2000}, 0, 1, ExcAdEL, 0, codeOrigin, false, 0x8000_0180, 0xFFFF_FFFF_8000_2001, nil},
	{"misaligned LD", "manual ch. 6",
		"ld $t1, 4($t0)", regs{rT0: 0xFFFF_FFFF_8000_2000}, 0, 1, ExcAdEL, 0, codeOrigin, false, 0x8000_0180, 0xFFFF_FFFF_8000_2004, nil},
	{"misaligned SW: AdES", "manual ch. 6",
		"sw $t1, 1($t0)", regs{rT0: 0xFFFF_FFFF_8000_2000}, 0, 1, ExcAdES, 0, codeOrigin, false, 0x8000_0180, 0xFFFF_FFFF_8000_2001, nil},
	{"misaligned SH", "manual ch. 6",
		"sh $t1, 3($t0)", regs{rT0: 0xFFFF_FFFF_8000_2000}, 0, 1, ExcAdES, 0, codeOrigin, false, 0x8000_0180, 0xFFFF_FFFF_8000_2003, nil},
	{"32-bit mode: address not sign-extended", "manual ch. 5 (32-bit addressing); n64-systemtest via ares",
		"lw $t1, 0($t0)", regs{rT0: 0x0000_0000_8000_2000}, 0, 1, ExcAdEL, 0, codeOrigin, false, 0x8000_0180, 0x8000_2000, nil},
	{"kuseg with an empty TLB: TLB refill vector", "manual ch. 6 TLB refill, vector offset 0x000",
		"lw $t1, 0($t0)", regs{rT0: 0x1000}, 0, 1, ExcTLBL, 0, codeOrigin, false, 0x8000_0000, 0x1000, nil},
	{"store to kseg2 with an empty TLB", "manual ch. 6",
		"sw $t1, 0($t0)", regs{rT0: 0xFFFF_FFFF_C000_0000}, 0, 1, ExcTLBS, 0, codeOrigin, false, 0x8000_0000, 0xFFFF_FFFF_C000_0000, nil},
	{"64-bit mode TLB refill uses the XTLB vector", "manual ch. 6, offset 0x080",
		"lw $t1, 0($t0)", regs{rT0: 0x1000}, bootStatus | StatusKX, 1, ExcTLBL, 0, codeOrigin, false, 0x8000_0080, 0x1000, nil},
	{"jump to a misaligned address: AdEL on fetch, not in a delay slot", "manual ch. 16 JR: the exception is taken when the target is fetched",
		"jr $t0\nnop", regs{rT0: 0xFFFF_FFFF_8000_2002}, 0, 3, ExcAdEL, 0, 0x8000_2002, false, 0x8000_0180, 0xFFFF_FFFF_8000_2002, nil},
	{"xkphys in 32-bit mode is an address error", "manual ch. 5",
		"lw $t1, 0($t0)", regs{rT0: 0x9000_0000_0000_2000}, 0, 1, ExcAdEL, 0, codeOrigin, false, 0x8000_0180, 0x9000_0000_0000_2000, nil},
	{"64-bit mode: a hole between segments is an address error", "manual ch. 5, 64-bit kernel address space",
		"lw $t1, 0($t0)", regs{rT0: 0x2000_0000_0000_0000}, bootStatus | StatusKX, 1, ExcAdEL, 0, codeOrigin, false, 0x8000_0180, 0x2000_0000_0000_0000, nil},
}

func TestExceptions(t *testing.T) {
	for _, tt := range excTests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCPU(t)
			program(t, c, tt.src)
			if tt.status != 0 {
				c.CP0[CP0Status] = tt.status
			}
			for r, v := range tt.init {
				c.GPR[r] = v
			}
			step(t, c, tt.steps)
			cause := c.CP0[CP0Cause]
			if got := cause >> 2 & 31; got != tt.code {
				t.Errorf("ExcCode = %d, want %d (%s)", got, tt.code, tt.cite)
			}
			if got := cause >> 28 & 3; got != tt.ce {
				t.Errorf("CE = %d, want %d", got, tt.ce)
			}
			if c.CP0[CP0EPC] != sext32(tt.epc) {
				t.Errorf("EPC = %#x, want %#x", c.CP0[CP0EPC], sext32(tt.epc))
			}
			if got := cause&CauseBD != 0; got != tt.bd {
				t.Errorf("BD = %v, want %v", got, tt.bd)
			}
			if c.PC != sext32(tt.vector) {
				t.Errorf("PC = %#x, want vector %#x", c.PC, sext32(tt.vector))
			}
			if c.CP0[CP0Status]&StatusEXL == 0 {
				t.Error("EXL not set")
			}
			if tt.badVAddr != 0 && c.CP0[CP0BadVAddr] != tt.badVAddr {
				t.Errorf("BadVAddr = %#x, want %#x", c.CP0[CP0BadVAddr], tt.badVAddr)
			}
			for r, v := range tt.want {
				if c.GPR[r] != v {
					t.Errorf("$%s = %#x, want %#x", RegName(r), c.GPR[r], v)
				}
			}
		})
	}
}

func TestNestedExceptionKeepsEPC(t *testing.T) {
	// manual ch. 6: with EXL set, EPC and BD are not updated; ExcCode is.
	c := newCPU(t)
	load(t, c, "break", 0x8000_0180)
	program(t, c, "nop\nsyscall")
	step(t, c, 3)
	if code := c.CP0[CP0Cause] >> 2 & 31; code != ExcBp {
		t.Errorf("ExcCode = %d, want BREAK", code)
	}
	if c.CP0[CP0EPC] != sext32(codeOrigin+4) {
		t.Errorf("EPC = %#x, want the SYSCALL's", c.CP0[CP0EPC])
	}
	if c.PC != sext32(0x8000_0180) {
		t.Errorf("PC = %#x", c.PC)
	}
}

func TestERET(t *testing.T) {
	// manual ch. 16 ERET: to EPC clearing EXL, no delay slot; with ERL set to
	// ErrorEPC clearing ERL.
	c := newCPU(t)
	// Handler: skip the faulting instruction and return.
	load(t, c, `
		mfc0 $k0, EPC
		addiu $k0, $k0, 4
		mtc0 $k0, EPC
		eret
		addiu $t3, $zero, 1
	`, 0x8000_0180)
	program(t, c, `
		syscall
		addiu $t0, $zero, 1
	`)
	step(t, c, 1+4+1)
	if c.GPR[rT0] != 1 || c.GPR[rT3] != 0 {
		t.Errorf("after ERET: t0=%d t3=%d, want 1 0 (ERET has no delay slot)", c.GPR[rT0], c.GPR[rT3])
	}
	if c.CP0[CP0Status]&StatusEXL != 0 {
		t.Error("ERET left EXL set")
	}

	c = newCPU(t)
	program(t, c, "eret")
	c.CP0[CP0Status] = bootStatus | StatusERL | StatusEXL
	c.CP0[CP0ErrorEPC] = sext32(0x8000_3000)
	c.CP0[CP0EPC] = sext32(0x8000_4000)
	step(t, c, 1)
	if c.PC != sext32(0x8000_3000) {
		t.Errorf("ERET with ERL: PC = %#x, want ErrorEPC", c.PC)
	}
	if st := c.CP0[CP0Status]; st&StatusERL != 0 || st&StatusEXL == 0 {
		t.Errorf("ERET with ERL: Status = %#x, want ERL clear, EXL kept", st)
	}
}

func TestUserMode(t *testing.T) {
	// A kernel program maps virtual 0x0 (useg) to physical 0x4000 with the
	// TLB, drops to 32-bit user mode through ERET and runs there: 64-bit
	// instructions are reserved (manual ch. 16), MTC0 without CU0 is
	// coprocessor unusable (manual ch. 6), kseg0 is an address error.
	for _, tt := range []struct {
		name string
		user string
		code uint64
	}{
		{"DADDU in 32-bit user mode", "daddu $t0, $t0, $t0", ExcRI},
		{"LD in 32-bit user mode", "ld $t0, 0($zero)", ExcRI},
		{"MTC0 without CU0", "mtc0 $zero, Compare", ExcCpU},
		{"kseg0 from user mode", "lui $t0, 0x8000\nlw $t0, 0($t0)", ExcAdEL},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newCPU(t)
			program(t, c, `
				li $t0, 0x11F          # PFN 4 (phys 0x4000), C=3, D, V
				mtc0 $t0, EntryLo0
				mtc0 $zero, EntryLo1
				mtc0 $zero, PageMask
				mtc0 $zero, EntryHi    # VPN2 0, ASID 0
				mtc0 $zero, Index
				tlbwi
				lui $t0, 0x2400        # CU1, FR, KSU = user, EXL
				ori $t0, $t0, 0x12
				mtc0 $t0, Status
				mtc0 $zero, EPC
				eret
			`)
			load(t, c, tt.user+"\naddiu $t4, $zero, 1", 0x8000_4000)
			step(t, c, 12)
			if c.PC != 0 || c.mode != modeUser {
				t.Fatalf("not in user mode at 0: PC %#x mode %d", c.PC, c.mode)
			}
			step(t, c, 2)
			if code := c.CP0[CP0Cause] >> 2 & 31; code != tt.code || c.CP0[CP0Status]&StatusEXL == 0 {
				t.Errorf("ExcCode = %d (EXL %v), want %d", code, c.CP0[CP0Status]&StatusEXL != 0, tt.code)
			}
			if c.GPR[rT4] != 0 {
				t.Error("execution went past the faulting instruction")
			}
		})
	}
}
