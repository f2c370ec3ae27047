package cpu

import (
	"fmt"

	"github.com/n64go/n64/core/sched"
)

// CP0 register numbers (manual ch. 6, CP0 registers).
const (
	CP0Index       = 0
	CP0Random      = 1
	CP0EntryLo0    = 2
	CP0EntryLo1    = 3
	CP0Context     = 4
	CP0PageMask    = 5
	CP0Wired       = 6
	CP0BadVAddr    = 8
	CP0Count       = 9
	CP0EntryHi     = 10
	CP0Compare     = 11
	CP0Status      = 12
	CP0Cause       = 13
	CP0EPC         = 14
	CP0PRId        = 15
	CP0Config      = 16
	CP0LLAddr      = 17
	CP0WatchLo     = 18
	CP0WatchHi     = 19
	CP0XContext    = 20
	CP0ParityError = 26
	CP0CacheError  = 27
	CP0TagLo       = 28
	CP0TagHi       = 29
	CP0ErrorEPC    = 30
)

var cp0Names = [32]string{
	"Index", "Random", "EntryLo0", "EntryLo1", "Context", "PageMask", "Wired", "7",
	"BadVAddr", "Count", "EntryHi", "Compare", "Status", "Cause", "EPC", "PRId",
	"Config", "LLAddr", "WatchLo", "WatchHi", "XContext", "21", "22", "23",
	"24", "25", "PErr", "CacheErr", "TagLo", "TagHi", "ErrorEPC", "31",
}

// CP0Name is the manual's name of CP0 register i; reserved numbers are
// printed as their number.
func CP0Name(i int) string {
	if i < 0 || i >= 32 {
		return fmt.Sprintf("cp0r%d", i)
	}
	return cp0Names[i]
}

// Status register bits (manual ch. 6).
const (
	StatusIE  = 1 << 0 // interrupts enabled
	StatusEXL = 1 << 1 // exception level
	StatusERL = 1 << 2 // error level
	StatusKSU = 3 << 3 // mode: 0 kernel, 1 supervisor, 2 user
	StatusUX  = 1 << 5 // 64-bit user addressing
	StatusSX  = 1 << 6 // 64-bit supervisor addressing
	StatusKX  = 1 << 7 // 64-bit kernel addressing
	StatusIM  = 0xFF << 8
	StatusBEV = 1 << 22 // bootstrap exception vectors
	StatusFR  = 1 << 26 // 32 64-bit FPU registers
	StatusCU0 = 1 << 28
	StatusCU1 = 1 << 29
	StatusCU2 = 1 << 30
	StatusCU3 = 1 << 31

	// statusWritable: every bit but TS (21) and the zero bits 19 and 23.
	statusWritable = 0xFF57_FFFF
)

// Cause register bits (manual ch. 6).
const (
	CauseExcCode = 0x1F << 2
	CauseIP      = 0xFF << 8
	CauseIP7     = 1 << 15 // timer: Count = Compare
	CauseCE      = 3 << 28
	CauseBD      = 1 << 31
	// Only the software interrupts IP0/IP1 are writable.
	causeWritable = 3 << 8
)

// Processor modes, from Status.KSU/EXL/ERL (manual ch. 5).
const (
	modeKernel uint8 = iota
	modeSupervisor
	modeUser
)

const (
	// prid is the VR4300's PRId: implementation 0x0B, revision 0x22
	// (n64brew "COP0"; the PIF boot leaves it too, DESIGN.md §4).
	prid = 0x0B22
	// configReset is Config as the N64 runs: EC = 1:1.5, BE, K0 = 3
	// (DESIGN.md §4; manual ch. 6).
	configReset = 0x7006_E463
	// configWritable: K0 (2..0), CU (3), BE (15), EP (27..24).
	configWritable = 0x0F00_800F
)

// Writable masks and fields of the other CP0 registers (manual ch. 5 and 6,
// the register formats).
const (
	indexWritable    = 0x8000_003F
	entryLoWritable  = 0x3FFF_FFFF
	pageMaskWritable = 0x01FF_E000
	entryHiWritable  = 0xC000_00FF_FFFF_E0FF
	contextPTEBase   = ^uint64(0x7F_FFFF)     // bits 63..23
	xcontextPTEBase  = ^uint64(0x1_FFFF_FFFF) // bits 63..33
	watchLoWritable  = 0xFFFF_FFFB            // PAddr0 31..3, R, W
	contextBadVPN2   = 0x7F_FFF0              // bits 22..4
	xcontextBadVPN2  = 0x7FFF_FFF0 | 3<<31    // R 32..31, BadVPN2 30..4
	tlbEntries       = 32
	randomUpperBound = 31
)

// isUnusedCP0 reports the register numbers with no register behind them:
// they read back the last value written to any CP0 register.
func isUnusedCP0(r int) bool {
	return r == 7 || (r >= 21 && r <= 25) || r == 31
}

// readCP0 is what DMFC0 reads (MFC0 sign-extends its low half).
func (c *CPU) readCP0(r int) uint64 {
	switch {
	case r == CP0Random:
		return uint64(c.random())
	case r == CP0Count:
		return uint64(c.Count())
	case r == CP0CacheError, r == CP0TagHi:
		return 0
	case isUnusedCP0(r):
		return c.cp0Latch
	}
	return c.CP0[r]
}

// writeCP0 is what DMTC0 (and, on the VR4300, MTC0: it moves all 64 bits,
// n64brew "COP0") writes, with each register's writable bits.
func (c *CPU) writeCP0(r int, v uint64) {
	c.cp0Latch = v
	p := &c.CP0[r]
	switch r {
	case CP0Index:
		*p = v & indexWritable
	case CP0EntryLo0, CP0EntryLo1:
		*p = v & entryLoWritable
	case CP0Context:
		*p = *p&^contextPTEBase | v&contextPTEBase
	case CP0PageMask:
		*p = v & pageMaskWritable
	case CP0Wired:
		// Writing Wired sets Random to its upper bound (manual ch. 6).
		// Through the pipeline, the second instruction after the MTC0
		// is the first to read 31 (n64-systemtest "Random (read
		// early)", "Random (masking)": MTC0 Wired 0, NOP, NOP, MTC0
		// Random, NOP, NOP, MFC0 reads 27). The write happens during
		// an instruction, before it is counted in Steps. The one
		// instruction in between is a CP0 hazard; it reads 31 here.
		*p = v & 0x3F
		c.randomBase = c.Steps + 2
	case CP0Count:
		c.setCount(uint32(v))
		c.scheduleCompare()
	case CP0EntryHi:
		*p = v & entryHiWritable
		c.fetchPageOK = false // the ASID may have changed
	case CP0Compare:
		// Writing Compare acknowledges the timer interrupt (manual ch. 6).
		*p = uint64(uint32(v))
		c.CP0[CP0Cause] &^= CauseIP7
		c.scheduleCompare()
		c.updateInterrupts()
	case CP0Status:
		*p = *p&^statusWritable | v&statusWritable
		c.updateMode()
	case CP0Cause:
		*p = *p&^causeWritable | v&causeWritable
		c.updateInterrupts()
	case CP0EPC, CP0ErrorEPC:
		*p = v
	case CP0Config:
		*p = *p&^configWritable | v&configWritable
	case CP0LLAddr:
		*p = v & 0xFFFF_FFFF
	case CP0WatchLo:
		*p = v & watchLoWritable
	case CP0WatchHi:
		*p = v & 0xF
	case CP0XContext:
		*p = *p&^xcontextPTEBase | v&xcontextPTEBase
	case CP0ParityError:
		*p = v & 0xFF
	case CP0TagLo:
		*p = v & 0xFFFF_FFFF
	}
	// Random, BadVAddr, PRId, CacheErr, TagHi and the unused numbers are
	// read-only.
}

// CP0Value is what DMFC0 would read from register i now (Count and Random
// are computed, the unused numbers give the write latch).
func (c *CPU) CP0Value(i int) uint64 { return c.readCP0(i & 31) }

// SetCP0 writes register i as DMTC0 would: with its writable mask and side
// effects (Compare clears IP7, Wired resets Random, Status changes the mode).
func (c *CPU) SetCP0(i int, v uint64) {
	c.writeCP0(i&31, v)
	if i&31 == CP0Wired {
		c.randomBase = c.Steps // between instructions: Random reads 31 now
	}
	c.publish()
}

// Count is CP0 Count now: half the CPU cycles, plus the offset that the
// last write to Count set (manual ch. 6).
func (c *CPU) Count() uint32 { return uint32((c.sched.Now + c.countOff) >> 1) }

func (c *CPU) setCount(v uint32) { c.countOff = uint64(v)<<1 - c.sched.Now }

// random is CP0 Random. Each instruction moves it one step: from Wired it
// goes back to 31, otherwise it decrements modulo 64 (manual ch. 6;
// n64-systemtest "Random (decrement)" for every Wired 0..63). With Wired at
// most 31 it cycles 31 … Wired; above 31 it runs 31 … 0, wraps to 63 and
// continues down to Wired, a period of 96 − Wired. It is derived from the
// instruction count, so it is deterministic.
func (c *CPU) random() uint32 {
	n := c.Steps - c.randomBase
	if int64(n) < 0 { // the hazard slot right after an MTC0 Wired
		n = 0
	}
	wired := uint64(c.CP0[CP0Wired] & 0x3F)
	if wired <= randomUpperBound {
		return uint32(randomUpperBound - n%(randomUpperBound+1-wired))
	}
	k := n % (96 - wired)
	if k <= randomUpperBound {
		return uint32(randomUpperBound - k)
	}
	return uint32(63 - (k - 32))
}

// setRandom makes Random read v now (used for writes from outside); a
// value outside the current cycle reads as 31.
func (c *CPU) setRandom(v uint32) {
	wired := uint64(c.CP0[CP0Wired] & 0x3F)
	r := uint64(v & 0x3F)
	var k uint64 // steps since Random was last 31
	switch {
	case r <= randomUpperBound && (wired > randomUpperBound || r >= wired):
		k = randomUpperBound - r
	case wired > randomUpperBound && r >= wired:
		k = 32 + 63 - r
	}
	c.randomBase = c.Steps - k
}

// scheduleCompare schedules sched.Compare at the cycle where Count next
// becomes equal to Compare; when they are equal now, that is 2^32 ticks
// away.
func (c *CPU) scheduleCompare() {
	now := c.sched.Now
	ticks := uint64(uint32(c.CP0[CP0Compare]) - c.Count())
	if ticks == 0 {
		ticks = 1 << 32
	}
	// The current tick began at cycle base; Count is Compare at base +
	// 2*ticks in Count's cycle frame, shifted back by countOff.
	base := (now + c.countOff) &^ 1
	c.sched.Schedule(sched.Compare, base+2*ticks-c.countOff)
	c.pubCompare = uint32(c.CP0[CP0Compare])
}

// CompareEvent is called by the machine when sched.Compare fires: Count
// has reached Compare, so Cause.IP7 is set (manual ch. 6) and the next
// match, 2^32 ticks later, is scheduled.
func (c *CPU) CompareEvent() {
	c.CP0[CP0Cause] |= CauseIP7
	c.updateInterrupts()
	c.scheduleCompare()
}

// SetInterrupt drives interrupt line IP<line> in Cause and re-evaluates
// whether an interrupt is due before the next instruction. Lines 2..6 are
// the external ones (the MI drives IP2; manual ch. 6, Cause register); 0, 1
// (software) and 7 (the timer) are accepted too, for tests. Other numbers
// are ignored.
func (c *CPU) SetInterrupt(line int, on bool) {
	if line < 0 || line > 7 {
		return
	}
	bit := uint64(1) << (8 + line)
	if on {
		c.CP0[CP0Cause] |= bit
	} else {
		c.CP0[CP0Cause] &^= bit
	}
	c.updateInterrupts()
}

// updateMode recomputes the caches of Status: the mode and its address
// width (manual ch. 5), then the interrupt state.
func (c *CPU) updateMode() {
	c.fetchPageOK = false
	st := c.CP0[CP0Status]
	switch {
	case st&(StatusEXL|StatusERL) != 0 || st&StatusKSU == 0:
		c.mode = modeKernel
		c.addr64 = st&StatusKX != 0
	case st&StatusKSU == 1<<3:
		c.mode = modeSupervisor
		c.addr64 = st&StatusSX != 0
	default: // KSU = 2, and the undefined 3 as user
		c.mode = modeUser
		c.addr64 = st&StatusUX != 0
	}
	c.kernel = c.mode == modeKernel
	c.ops64 = c.kernel || c.addr64
	c.updateInterrupts()
}

// updateInterrupts recomputes whether an interrupt is taken before the
// next instruction: IE set, EXL and ERL clear, and a pending IP unmasked by
// IM (manual ch. 6).
func (c *CPU) updateInterrupts() {
	st := c.CP0[CP0Status]
	c.intPending = st&(StatusIE|StatusEXL|StatusERL) == StatusIE &&
		c.CP0[CP0Cause]&st&StatusIM != 0
}

// publish stores the derived registers into CP0 for readers outside.
func (c *CPU) publish() {
	c.pubCount = c.Count()
	c.pubRandom = c.random()
	c.CP0[CP0Count] = uint64(c.pubCount)
	c.CP0[CP0Random] = uint64(c.pubRandom)
}

// syncExternal picks up writes made to the CP0 array since the last Run
// and rebuilds every cache, so that boot code and tests can set registers
// directly.
func (c *CPU) syncExternal() {
	if v := uint32(c.CP0[CP0Count]); v != c.pubCount {
		c.setCount(v)
		c.pubCount = v
		c.scheduleCompare()
	}
	if v := uint32(c.CP0[CP0Random]); v != c.pubRandom {
		c.setRandom(v)
		c.pubRandom = c.random()
	}
	if _, ok := c.sched.Pending(sched.Compare); !ok || uint32(c.CP0[CP0Compare]) != c.pubCompare {
		c.scheduleCompare()
	}
	c.updateMode()
}
