package sched

import (
	"testing"

	"github.com/n64go/n64/core/state"
)

func TestPopOrder(t *testing.T) {
	tests := []struct {
		name     string
		schedule []struct {
			k  Kind
			at uint64
		}
		now  uint64
		want []Kind
	}{
		{"earliest first", []struct {
			k  Kind
			at uint64
		}{{PI, 30}, {VI, 10}, {AI, 20}}, 100, []Kind{VI, AI, PI}},
		// DESIGN.md §2: ties are broken by the fixed kind order, not by insertion order.
		{"tie by kind order", []struct {
			k  Kind
			at uint64
		}{{SP, 5}, {Compare, 5}, {VI, 5}}, 5, []Kind{Compare, VI, SP}},
		{"not yet due", []struct {
			k  Kind
			at uint64
		}{{VI, 10}}, 9, nil},
		{"reschedule replaces", []struct {
			k  Kind
			at uint64
		}{{VI, 1}, {VI, 50}, {AI, 2}}, 10, []Kind{AI}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New()
			for _, e := range tt.schedule {
				s.Schedule(e.k, e.at)
			}
			s.Now = tt.now
			var got []Kind
			for {
				k, ok := s.Pop()
				if !ok {
					break
				}
				got = append(got, k)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("popped %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("popped %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestCancelAndNext(t *testing.T) {
	s := New()
	if s.Next() != ^uint64(0) {
		t.Fatalf("empty scheduler Next = %d", s.Next())
	}
	s.Schedule(AI, 40)
	s.After(PI, 25)
	if s.Next() != 25 {
		t.Fatalf("Next = %d, want 25", s.Next())
	}
	s.Cancel(PI)
	if s.Next() != 40 {
		t.Fatalf("after cancel Next = %d, want 40", s.Next())
	}
	if _, ok := s.Pending(PI); ok {
		t.Fatal("PI still pending after Cancel")
	}
}

func TestSerializeRoundTrip(t *testing.T) {
	s := New()
	s.Now = 1234
	s.Schedule(VI, 5000)
	s.Schedule(DP, 4000)
	w := state.NewWriter()
	s.Serialize(w)

	r := New()
	rd := state.NewReader(w.Bytes())
	r.Serialize(rd)
	if err := rd.Done(); err != nil {
		t.Fatal(err)
	}
	if r.Now != 1234 || r.Next() != 4000 {
		t.Fatalf("restored Now=%d Next=%d, want 1234 and 4000", r.Now, r.Next())
	}
	r.Now = 4000
	if k, _ := r.Pop(); k != DP {
		t.Fatalf("first restored event %v, want dp", k)
	}
}

// States are saved between machine steps, when every due event has fired:
// an event at or before the clock can only come from a damaged state.
func TestSerializeRejectsDueEvents(t *testing.T) {
	for _, tt := range []struct {
		name string
		at   uint64
		ok   bool
	}{
		{"one cycle ahead", 1235, true},
		{"at the clock", 1234, false},
		{"in the past", 3, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := New()
			s.Now = 1234
			s.Schedule(AI, tt.at)
			w := state.NewWriter()
			s.Serialize(w)
			rd := state.NewReader(w.Bytes())
			New().Serialize(rd)
			if err := rd.Done(); (err == nil) != tt.ok {
				t.Fatalf("load error %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
