// Package sched is the emulated clock and its event queue (DESIGN.md §2).
//
// Time is counted in CPU cycles at 93.75 MHz in a uint64 that never wraps.
// Each kind of event has at most one pending occurrence (a device has one
// next thing to do), so the queue is a fixed array scanned linearly: with a
// handful of kinds that is faster than a heap and has no allocation. Ties
// are broken by Kind order, never by the order Schedule was called.
package sched

import (
	"fmt"

	"github.com/n64go/n64/core/state"
)

// ClockRate is the VR4300's pipeline clock in Hz (1.5 × the 62.5 MHz RCP clock).
const ClockRate = 93_750_000

// Kind names an event source. The numeric order is the tie-break order
// when two events fall on the same cycle.
type Kind uint8

// Event kinds, in tie-break order.
const (
	Compare Kind = iota // CP0 Count reached Compare
	VI                  // VI reached V_INTR / a new field
	AI                  // AI buffer finished playing
	PI                  // PI DMA finished
	SI                  // SI DMA finished
	SP                  // SP DMA finished
	DP                  // RDP finished a command list
	NumKinds
)

var kindNames = [NumKinds]string{"compare", "vi", "ai", "pi", "si", "sp", "dp"}

func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return "invalid"
}

// never marks an unscheduled kind; it sorts after every real cycle.
const never = ^uint64(0)

// Scheduler holds the current cycle and the pending events.
type Scheduler struct {
	Now uint64 // current CPU cycle

	at       [NumKinds]uint64
	next     uint64 // cycle of the earliest pending event (never if none)
	nextKind Kind
}

// New returns a scheduler at cycle 0 with nothing pending.
func New() *Scheduler {
	s := &Scheduler{}
	s.Reset()
	return s
}

// Reset cancels every event and returns the clock to cycle 0.
func (s *Scheduler) Reset() {
	s.Now = 0
	for k := range s.at {
		s.at[k] = never
	}
	s.next = never
}

// Schedule sets kind k to fire at absolute cycle at, replacing any pending
// occurrence of k. An event in the past fires at the next Pop.
func (s *Scheduler) Schedule(k Kind, at uint64) {
	s.at[k] = at
	s.recompute()
}

// After schedules kind k delta cycles from now.
func (s *Scheduler) After(k Kind, delta uint64) { s.Schedule(k, s.Now+delta) }

// Cancel removes the pending occurrence of k, if any.
func (s *Scheduler) Cancel(k Kind) {
	s.at[k] = never
	s.recompute()
}

// Pending reports whether k is scheduled, and when.
func (s *Scheduler) Pending(k Kind) (uint64, bool) { return s.at[k], s.at[k] != never }

// Next is the cycle of the earliest pending event, or the largest uint64
// when nothing is pending.
func (s *Scheduler) Next() uint64 { return s.next }

// Pop removes and returns the earliest event due at or before Now.
func (s *Scheduler) Pop() (Kind, bool) {
	if s.next > s.Now {
		return 0, false
	}
	k := s.nextKind
	s.at[k] = never
	s.recompute()
	return k, true
}

func (s *Scheduler) recompute() {
	s.next = never
	for k, at := range s.at {
		if at < s.next { // strict: the lower kind wins a tie
			s.next, s.nextKind = at, Kind(k)
		}
	}
}

// Serialize saves or restores the clock and the pending events. States are
// saved between machine steps, after every due event has fired, so a
// loaded event that is already due is damage, not a state to run.
func (s *Scheduler) Serialize(st *state.S) {
	st.U64(&s.Now)
	for k := range s.at {
		st.U64(&s.at[k])
	}
	if st.Loading() {
		for k, at := range s.at {
			if at != never && at <= s.Now {
				st.Fail(fmt.Errorf("state: %s event at cycle %d, not after the clock's %d", Kind(k), at, s.Now))
			}
		}
		s.recompute()
	}
}
