package server

import "github.com/n64go/n64/netplay/proto"

// The ordered input of one player (NETPLAY.md §3.1–§3.3): the events the
// server has decided, the pending sample the next decision copies, the lead
// count and the buffer size B.

// ringSize is how many decided events are kept per player: about a minute
// of play at 60 controller reads per second, like [G64]'s LRU of 3600. A
// client further behind than this can no longer be served.
const ringSize = 4096

// minBufferSize is the smallest B. With B = 0 a lead requester decides
// nothing and the game stalls until the next buffer tick (§3.3 allows it;
// we do not).
const minBufferSize = 1

// event is one decided input: the keys word and the plugin byte, passed
// through unchanged (§5).
type event struct {
	keys   proto.Keys
	plugin proto.Plugin
}

// after reports a > b for event counts, which wrap at 2³² (§3.1).
func after(a, b uint32) bool { return int32(a-b) > 0 }

// playerInput is inputs[p], pending[p], the lead and B of one player p.
//
// Decided events are contiguous: they are the counts in [next−window,
// next), window = min(decided, ringSize). A stock client only ever asks for
// a count ≤ next, since it consumes events in order and each one it
// consumed was decided; so a decision always extends the range at next and
// no count is skipped (the stock servers decide from the request's count
// and would leave holes for a request from the future).
type playerInput struct {
	ring    [ringSize]event
	next    uint32 // the first undecided count
	decided uint64 // events decided so far
	pending event  // pending[p]: the latest type 0 sample, copied into each decision

	// lead is the largest count in a deciding request for this player
	// (§3.1). It is kept per player, not per room (§6 Q2), and never
	// passes next: a request beyond next is refused.
	lead    uint32
	hasLead bool

	buf int // B, the decision horizon past the lead count (§3.3)

	// Buffer-control samples since the last tick: the `buffered` byte of
	// requests that had lag 0 for this player.
	healthSum int
	healthN   int
}

// has reports whether event c is decided and still kept.
func (p *playerInput) has(c uint32) bool {
	back := p.next - c
	return back >= 1 && uint64(back) <= min(p.decided, ringSize)
}

// at returns event c; only meaningful when has(c).
func (p *playerInput) at(c uint32) event { return p.ring[c%ringSize] }

// decideTo decides every event up to end (exclusive) from pending: the
// moment an input is decided (§3.2 step 4).
func (p *playerInput) decideTo(end uint32) {
	for after(end, p.next) {
		p.ring[p.next%ringSize] = p.pending
		p.next++
		p.decided++
	}
}

// lagOf returns lead − c, or 0 when c is at or past the lead.
func (p *playerInput) lagOf(c uint32) uint32 {
	if p.hasLead && after(p.lead, c) {
		return p.lead - c
	}
	return 0
}

// request applies one type 2 for this player (§3.2 steps 2–4) and returns
// the lag. decide is false for spectators (registered or flagged), who
// never move the lead or decide. ok is false for a count past next, which
// no stock client sends; such a request changes nothing.
func (p *playerInput) request(c uint32, decide bool, buffered uint8) (lag uint32, ok bool) {
	if decide {
		if after(c, p.next) {
			return 0, false
		}
		if !p.hasLead || after(c, p.lead) {
			p.lead, p.hasLead = c, true
		}
	}
	lag = p.lagOf(c)
	if decide && lag == 0 {
		p.decideTo(c + uint32(p.buf))
		p.healthSum += int(buffered)
		p.healthN++
	}
	return lag, true
}

// appendEvents appends the decided events from count c on, contiguous, at
// most proto.MaxKeyEvents of them.
func (p *playerInput) appendEvents(dst []proto.KeyEvent, c uint32) []proto.KeyEvent {
	for n := 0; n < proto.MaxKeyEvents && p.has(c); n++ {
		e := p.at(c)
		dst = append(dst, proto.KeyEvent{Count: c, Keys: e.keys, Plugin: e.plugin})
		c++
	}
	return dst
}

// adjust runs one buffer-control tick (§3.3, [G64]'s hysteresis of ±0.75
// around T, but per player): the average health of the lead requests since
// the last tick above T+0.75 shrinks B by one, below T−0.75 grows it by
// one, within [minBufferSize, maxBuf]. It reports the old size and whether
// B changed; with no samples nothing changes.
func (p *playerInput) adjust(target uint8, maxBuf int) (avg float64, old int, changed bool) {
	if p.healthN == 0 {
		return 0, p.buf, false
	}
	avg = float64(p.healthSum) / float64(p.healthN)
	p.healthSum, p.healthN = 0, 0
	old = p.buf
	t := float64(target)
	switch {
	case avg > t+0.75 && p.buf > minBufferSize:
		p.buf--
	case avg < t-0.75 && p.buf < maxBuf:
		p.buf++
	}
	return avg, old, p.buf != old
}

// satLag is the lag byte: lead − count, saturated at 255 instead of
// truncated (§6 Q11: a client 256 behind would otherwise see 0 and not
// catch up).
func satLag(lag uint32) uint8 {
	if lag > 255 {
		return 255
	}
	return uint8(lag)
}
