package cpu

import (
	"fmt"

	"github.com/n64go/n64/core/state"
)

// Serialize saves or restores the CPU (DESIGN.md §5): every architectural
// register, the branch-delay state, the timing accumulator and the offsets
// Count and Random are derived from. The scheduler's own state (its clock
// and the pending Compare event) is saved by the scheduler.
func (c *CPU) Serialize(s *state.S) {
	if !s.Loading() {
		c.publish()
	}
	s.U64s(c.GPR[:])
	s.U64(&c.HI)
	s.U64(&c.LO)
	s.U64(&c.PC)
	s.U64s(c.CP0[:])
	s.Bool(&c.LLBit)
	s.U64s(c.FPR[:])
	s.U32(&c.FCR31)
	for i := range c.TLB {
		e := &c.TLB[i]
		s.U64(&e.PageMask)
		s.U64(&e.EntryHi)
		s.U64(&e.EntryLo0)
		s.U64(&e.EntryLo1)
	}
	s.U64(&c.Steps)
	s.U32(&c.acc)
	s.U8(&c.slot)
	s.U64(&c.target)
	s.U64(&c.countOff)
	s.U64(&c.randomBase)
	s.U64(&c.cp0Latch)
	s.U64(&c.cop2Latch)
	if s.Loading() {
		if c.slot > slotTaken {
			s.Fail(fmt.Errorf("cpu: bad branch-delay state %d", c.slot))
			c.slot = slotNone
		}
		c.curDelay = false
		c.acc &= 1<<c.pot - 1
		// The published values are the ones saved, so Run does not take
		// them for writes from outside.
		c.pubCount = uint32(c.CP0[CP0Count])
		c.pubRandom = uint32(c.CP0[CP0Random])
		c.pubCompare = uint32(c.CP0[CP0Compare])
		c.updateMode()
	}
}
