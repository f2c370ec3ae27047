// Package cpu is the VR4300, the N64's main processor: the integer unit,
// the system control coprocessor CP0 (exceptions, interrupts, Count/Compare,
// the TLB), the FPU's register file and moves, and an interpreter that runs
// it against the physical bus of core/memory on the clock of core/sched
// (DESIGN.md §2, §3).
//
// The files follow the chip's parts: cpu.go the state, interp.go the run
// loop with the decoder and the integer instructions, cp0.go the CP0
// registers, exception.go the exception unit, mmu.go address translation
// and the TLB, cop1.go the FPU moves and loads/stores, state.go the
// savestate, disasm.go the disassembler.
//
// Facts cite the NEC VR4300 User's Manual ("manual ch. N", then the
// instruction or register) or n64brew; where the hardware has been measured
// by test ROMs (n64-systemtest) and the manual is silent, the behaviour
// follows ares, whose N64 core is checked against those ROMs.
package cpu

import (
	"fmt"

	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
)

// Timing is what an instruction costs: the netplay-synced mupen64plus
// settings of core.Options. Count advances CountPerOp / 2^CountPerOpDenomPot
// per instruction; the CPU clock, twice as fast as Count, advances twice that.
type Timing struct {
	CountPerOp         uint32
	CountPerOpDenomPot uint32
}

// Branch-delay bookkeeping, in CPU.slot: what the instruction at PC is and
// what happens after it. The run loop resets slot before executing an
// instruction, and the instruction sets it when it changes the flow.
const (
	slotNone     uint8 = iota // an ordinary instruction; next is PC+4
	slotNotTaken              // PC is the delay slot of a branch not taken
	slotTaken                 // PC is the delay slot of a taken branch; next is target
	slotSkip                  // a branch-likely not taken: its delay slot is nullified
	slotJumped                // an exception or ERET set PC; no delay slot
)

// CPU is the VR4300's architectural state plus the caches the interpreter
// derives from it. Every exported field may be read between calls to Run;
// see CP0 for how writes from outside are picked up.
type CPU struct {
	GPR    [32]uint64
	HI, LO uint64
	// PC is the sign-extended virtual address of the next instruction.
	PC uint64

	// CP0 holds the system control registers by number (CP0Index …
	// CP0ErrorEPC). Count and Random are derived from the clock and the
	// instruction count: the array holds their values as of the end of
	// the last Run. Code outside the package may write any entry between
	// calls to Run (the boot code sets Status, Config, Random…): Run
	// picks up new Status, Cause, Count, Compare and Random values when it
	// starts. SetCP0 applies a write with MTC0's masks and side effects.
	CP0 [32]uint64
	// LLBit is set by LL/LLD and cleared by ERET; SC/SCD store only when it
	// is set (manual ch. 16 LL, SC).
	LLBit bool

	// FPR are the 32 FPU registers of 64 bits. With Status.FR = 0 the
	// VR4300 has 16 even/odd pairs and an odd register is the upper half
	// of the even one (manual ch. 7); FR = 1 gives 32 independent registers.
	FPR   [32]uint64
	FCR31 uint32 // FPU control/status register

	// TLB is the 32-entry joint TLB (manual ch. 5).
	TLB [tlbEntries]TLBEntry

	// Trace, when set, is called before each instruction executes, with its
	// address and word (for --trace). It costs one nil check per instruction
	// when unset; it must not touch the CPU.
	Trace func(pc uint64, word uint32)

	// Steps counts executed instructions (and instruction slots lost to an
	// exception on fetch) since New. Random is derived from it.
	Steps uint64

	bus   *memory.Bus
	sched *sched.Scheduler

	// Timing: an instruction costs (acc += costNum) >> pot cycles.
	costNum uint32
	pot     uint32
	acc     uint32

	// slot and target: see slotNone…; target is where a taken branch goes
	// after its delay slot. curDelay is whether the instruction executing
	// now is in a delay slot (for Cause.BD and EPC).
	slot     uint8
	curDelay bool
	target   uint64

	// countOff makes Count = (sched.Now + countOff) >> 1 (mod 2^32).
	countOff uint64
	// randomBase is Steps when Random was last 31 (reset, Wired write).
	randomBase uint64
	// cp0Latch is the last value written to any CP0 register; the unused
	// register numbers read it back (n64brew "COP0", as ares models it).
	cp0Latch uint64
	// cop2Latch is the VR4300's COP2 data latch: with CU2 set, MTC2/DMTC2/
	// CTC2 write it and MFC2/DMFC2/CFC2 read it (n64-systemtest, ares).
	cop2Latch uint64

	// Values published into CP0 at the end of Run, to notice writes from
	// outside at the next Run.
	pubCount, pubRandom, pubCompare uint32

	// Caches of Status (updateMode) and of Status/Cause (updateInterrupts).
	kernel     bool  // kernel mode (KSU = 0 or EXL or ERL)
	mode       uint8 // modeKernel, modeSupervisor, modeUser
	addr64     bool  // the current mode uses 64-bit addresses (KX/SX/UX)
	ops64      bool  // 64-bit instructions are allowed: kernel mode or addr64
	intPending bool  // an interrupt will be taken before the next instruction

	// The last instruction page fetchSlow translated (see there).
	fetchVPage  uint64
	fetchPPage  uint32
	fetchPageOK bool
}

// New returns a CPU on bus and clock s, cold-reset. A zero CountPerOp is
// taken as mupen64plus' default, 2.
func New(bus *memory.Bus, s *sched.Scheduler, t Timing) *CPU {
	if t.CountPerOp == 0 {
		t.CountPerOp = 2
	}
	c := &CPU{bus: bus, sched: s, costNum: 2 * t.CountPerOp, pot: t.CountPerOpDenomPot & 31}
	c.Reset()
	return c
}

// Reset puts the CPU in its cold-reset state (manual, Cold Reset): Status
// has BEV and ERL set, Random is 31, Config and PRId hold the N64's values,
// PC is the reset vector 0xBFC0_0000, the TLB matches nothing. Registers the
// manual leaves undefined are zero, except LLAddr (see below).
// Count restarts from 0 at the scheduler's current cycle, so reset the
// scheduler first.
func (c *CPU) Reset() {
	c.GPR = [32]uint64{}
	c.HI, c.LO = 0, 0
	c.PC = resetVector
	c.CP0 = [32]uint64{}
	c.CP0[CP0Status] = StatusBEV | StatusERL
	c.CP0[CP0Config] = configReset
	c.CP0[CP0PRId] = prid
	// LLAddr is not initialised by reset, but consoles power up with all
	// ones there (krom's LL_LLD_SC_SCD screen shows 0xFFFFFFFF).
	c.CP0[CP0LLAddr] = 0xFFFF_FFFF
	c.LLBit = false
	c.FPR = [32]uint64{}
	c.FCR31 = 0
	c.TLB = [tlbEntries]TLBEntry{}
	for i := range c.TLB {
		c.TLB[i].EntryHi = tlbUnused
	}
	c.acc = 0
	c.slot, c.curDelay, c.target = slotNone, false, 0
	c.cp0Latch, c.cop2Latch = 0, 0
	c.setCount(0)
	c.randomBase = c.Steps
	c.updateMode()
	c.scheduleCompare()
	c.publish()
}

// charge advances the clock by one instruction's cost.
func (c *CPU) charge() {
	if c.pot == 0 {
		c.sched.Now += uint64(c.costNum)
	} else {
		c.acc += c.costNum
		c.sched.Now += uint64(c.acc >> c.pot)
		c.acc &= 1<<c.pot - 1
	}
	c.Steps++
}

// abiNames are the o32 ABI register names.
var abiNames = [32]string{
	"zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
	"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
	"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
	"t8", "t9", "k0", "k1", "gp", "sp", "s8", "ra",
}

// RegName is the ABI name of general-purpose register i ("zero" … "ra").
func RegName(i int) string {
	if i < 0 || i >= 32 {
		return fmt.Sprintf("r%d", i)
	}
	return abiNames[i]
}

// sext32 sign-extends a 32-bit result to 64 bits, as every 32-bit
// operation of the VR4300 does in 64-bit registers (manual ch. 16).
func sext32(v uint32) uint64 { return uint64(int64(int32(v))) }
