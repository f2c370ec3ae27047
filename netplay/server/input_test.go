package server

import (
	"bytes"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/n64go/n64/netplay/proto"
)

// Two players: P1 (slot 0) at 192.0.2.1, P2 (slot 1) at 192.0.2.2, each
// registered over its own TCP connection.
var (
	addrP1      = netip.MustParseAddrPort("192.0.2.1:40001")
	addrP2      = netip.MustParseAddrPort("192.0.2.2:40002")
	addrForeign = netip.MustParseAddrPort("203.0.113.9:6666")
)

const (
	regP1 uint32 = 0x1111_1111
	regP2 uint32 = 0x2222_2222
)

type gameFixture struct {
	t   *testing.T
	g   *Game
	log *logBuffer
	now time.Time
	out Outbox
}

func newFixture(t *testing.T) *gameFixture {
	log, lb := testLogger()
	f := &gameFixture{t: t, g: newGame(log, 30), log: lb, now: t0}
	f.register(0, proto.PluginMempak, regP1, 1, addrP1)
	f.register(1, proto.PluginNone, regP2, 2, addrP2)
	f.g.Freeze(f.now)
	return f
}

func (f *gameFixture) register(slot uint8, plugin proto.Plugin, regID uint32, conn uint64, addr netip.AddrPort) bool {
	ok, _ := f.g.Register(proto.RegisterPlayer{Slot: slot, Plugin: plugin, RegID: regID}, conn, addr.Addr(), f.now)
	return ok
}

// send feeds one packet from src and returns what the game sent.
func (f *gameFixture) send(src netip.AddrPort, p proto.Packet) []sent {
	f.t.Helper()
	f.out.Reset()
	if err := f.g.HandleDatagram(src, marshal(f.t, p), f.now, &f.out); err != nil {
		f.t.Fatalf("HandleDatagram(%+v): %v", p, err)
	}
	return drain(&f.out)
}

func (f *gameFixture) keys(src netip.AddrPort, player uint8, count uint32, k proto.Keys) []sent {
	f.t.Helper()
	return f.send(src, proto.KeyInfoClient{Player: player, Count: count, Keys: k, Plugin: proto.PluginNone})
}

func (f *gameFixture) req(src netip.AddrPort, regID uint32, player uint8, count uint32, buffered uint8) []sent {
	f.t.Helper()
	return f.send(src, proto.RequestKeyInfo{Player: player, RegID: regID, Count: count, Buffered: buffered})
}

// reply checks that got is exactly one datagram to `to` and returns it
// decoded.
func (f *gameFixture) reply(got []sent, to netip.AddrPort) proto.KeyInfoServer {
	f.t.Helper()
	if len(got) != 1 || got[0].to != to {
		f.t.Fatalf("sent %v, want one datagram to %v", got, to)
	}
	p, err := proto.DecodeKeyInfoServer(got[0].b)
	if err != nil {
		f.t.Fatalf("reply %x does not decode: %v", got[0].b, err)
	}
	return p
}

func ev(count uint32, k proto.Keys, plugin proto.Plugin) proto.KeyEvent {
	return proto.KeyEvent{Count: count, Keys: k, Plugin: plugin}
}

func TestRegistration(t *testing.T) {
	log, _ := testLogger()
	g := newGame(log, 30)
	steps := []struct {
		name   string
		req    proto.RegisterPlayer
		conn   uint64
		freeze bool
		want   bool
	}{
		// §2.1: a mempak on slot 0 stays a mempak.
		{"P1 with mempak", proto.RegisterPlayer{Slot: 0, Plugin: proto.PluginMempak, RegID: 0xAAAA0001}, 1, false, true},
		// A mempak on slot > 0 is stored as none.
		{"P2 with mempak", proto.RegisterPlayer{Slot: 1, Plugin: proto.PluginMempak, Raw: true, RegID: 0xBBBB0002}, 2, false, true},
		// Same slot, same reg_id: ok again.
		{"P2 again", proto.RegisterPlayer{Slot: 1, Plugin: proto.PluginMempak, RegID: 0xBBBB0002}, 3, false, true},
		// Same slot, another reg_id: refused.
		{"slot taken", proto.RegisterPlayer{Slot: 1, Plugin: proto.PluginNone, RegID: 0xCCCC0003}, 4, false, false},
		// After the table was sent, a free slot is refused too.
		{"after the table", proto.RegisterPlayer{Slot: 3, Plugin: proto.PluginRumblePak, RegID: 0xDDDD0004}, 5, true, false},
	}
	for _, s := range steps {
		if s.freeze {
			g.Freeze(t0)
		}
		if ok, why := g.Register(s.req, s.conn, addrP1.Addr(), t0); ok != s.want {
			t.Fatalf("%s: Register = %v (%s), want %v", s.name, ok, why, s.want)
		}
	}
	// §2.4: per slot u32 reg_id, u8 plugin, u8 raw; empty slots are zeros.
	want := hx("AAAA0001 02 00 | BBBB0002 01 01 | 00000000 00 00 | 00000000 00 00")
	if got := marshal(t, g.Table()); !bytes.Equal(got, want) {
		t.Errorf("table %x, want %x", got, want)
	}
	// The refused clients are spectators, the members are not.
	for _, c := range []struct {
		id   uint32
		spec bool
	}{{0xCCCC0003, true}, {0xDDDD0004, true}, {0xAAAA0001, false}} {
		if g.isSpectator(c.id) != c.spec {
			t.Errorf("isSpectator(%#x) = %v, want %v", c.id, !c.spec, c.spec)
		}
	}
	// Register resets pending to keys 0 with the registered plugin.
	if p := g.players[1].pending; p != (event{plugin: proto.PluginNone}) {
		t.Errorf("pending of P2 %+v", p)
	}
}

// §3.2: the lead requester decides B events from pending; others get the
// decided events; inputs are sampled, not queued; the reply's bytes follow
// the §3 layout.
func TestInputOrdering(t *testing.T) {
	f := newFixture(t)
	// P1's first input: nothing is decided yet, so nothing is pushed.
	if got := f.keys(addrP1, 0, 0, proto.KeyA); len(got) != 0 {
		t.Fatalf("type 0 before any decision pushed %v", got)
	}
	// P1 asks for its own events from 0: it leads, B = 3 events decided.
	got := f.req(addrP1, regP1, 0, 0, 0)
	want := hx("01 00 00 00 03 | 00000000 00000080 01 | 00000001 00000080 01 | 00000002 00000080 01")
	if len(got) != 1 || !bytes.Equal(got[0].b, want) || got[0].to != addrP1 {
		t.Fatalf("reply %v, want %x to %v", got, want, addrP1)
	}
	// P2 asks for player 0 from 0: same events, nothing new decided.
	if p := f.reply(f.req(addrP2, regP2, 0, 0, 0), addrP2); len(p.Events) != 3 || p.Lag != 0 {
		t.Fatalf("P2 got %+v", p)
	}
	// P1 presses B: pending changes; the decided events from its count
	// are pushed (type 3) to both players, identically.
	pushes := f.keys(addrP1, 0, 1, proto.KeyB)
	wantPush := marshal(t, proto.KeyInfoServer{Gratuitous: true, Player: 0,
		Events: []proto.KeyEvent{ev(1, proto.KeyA, proto.PluginNone), ev(2, proto.KeyA, proto.PluginNone)}})
	if len(pushes) != 2 {
		t.Fatalf("pushes %v, want 2", pushes)
	}
	dests := []netip.AddrPort{pushes[0].to, pushes[1].to}
	slices.SortFunc(dests, func(a, b netip.AddrPort) int { return a.Compare(b) })
	if dests[0] != addrP1 || dests[1] != addrP2 || !bytes.Equal(pushes[0].b, wantPush) || !bytes.Equal(pushes[1].b, wantPush) {
		t.Fatalf("pushes %v, want %x to P1 and P2", pushes, wantPush)
	}
	// P1 at count 1 leads: event 3 is decided with B.
	p := f.reply(f.req(addrP1, regP1, 0, 1, 2), addrP1)
	wantEv := []proto.KeyEvent{ev(1, proto.KeyA, 1), ev(2, proto.KeyA, 1), ev(3, proto.KeyB, 1)}
	if !slices.Equal(p.Events, wantEv) || p.Lag != 0 || p.Gratuitous {
		t.Fatalf("P1 at 1 got %+v, want events %v", p, wantEv)
	}
	// P2 still at 0 lags by 1 and gets every decided event, none new.
	p = f.reply(f.req(addrP2, regP2, 0, 0, 0), addrP2)
	if p.Lag != 1 || len(p.Events) != 4 || p.Events[3] != ev(3, proto.KeyB, 1) {
		t.Fatalf("P2 at 0 got %+v", p)
	}
	// Start then Z between two decisions: only Z is decided.
	f.keys(addrP1, 0, 2, proto.KeyStart)
	f.keys(addrP1, 0, 2, proto.KeyZ)
	p = f.reply(f.req(addrP1, regP1, 0, 2, 2), addrP1)
	if last := p.Events[len(p.Events)-1]; last != ev(4, proto.KeyZ, 1) {
		t.Fatalf("event 4 = %+v, want Z", last)
	}
	// Both players were served the same event for every count.
	for c := uint32(0); c <= 4; c++ {
		a := f.reply(f.req(addrP1, regP1, 0, c, 0), addrP1).Events[0]
		b := f.reply(f.req(addrP2, regP2, 0, c, 0), addrP2).Events[0]
		if a != b {
			t.Errorf("count %d: P1 got %+v, P2 got %+v", c, a, b)
		}
	}
}

// §3.2 lag byte: lead − count for the requested player, 0 for the leader,
// saturated at 255 (§6 Q11).
func TestLagByte(t *testing.T) {
	f := newFixture(t)
	for c := uint32(0); c <= 300; c++ {
		f.req(addrP1, regP1, 1, c, 2)
	}
	for _, tc := range []struct {
		count uint32
		lag   uint8
	}{{300, 0}, {299, 1}, {100, 200}, {45, 255}, {0, 255}} {
		p := f.reply(f.req(addrP2, regP2, 1, tc.count, 0), addrP2)
		if p.Lag != tc.lag {
			t.Errorf("count %d: lag %d, want %d", tc.count, p.Lag, tc.lag)
		}
		if p.Events[0].Count != tc.count || len(p.Events) != min(proto.MaxKeyEvents, int(303-tc.count)) {
			t.Errorf("count %d: events %d from %d", tc.count, len(p.Events), p.Events[0].Count)
		}
	}
}

// §6 Q2: the lead is kept per player. A game polling port 0 three times
// as often as port 1 still gets port 1's events decided.
func TestLeadPerPlayer(t *testing.T) {
	f := newFixture(t)
	for c := uint32(0); c < 60; c++ {
		if p := f.reply(f.req(addrP1, regP1, 0, c, 2), addrP1); p.Lag != 0 {
			t.Fatalf("port 0 count %d: lag %d", c, p.Lag)
		}
		if c%3 == 0 {
			p := f.reply(f.req(addrP1, regP1, 1, c/3, 2), addrP1)
			if p.Lag != 0 || p.Events[0].Count != c/3 {
				t.Fatalf("port 1 count %d: %+v", c/3, p)
			}
		}
	}
}

// A count past every decided event comes from no stock client; it must
// neither decide nor move the lead (the stock servers let it take the
// lead and stall everybody else).
func TestFutureCountRefused(t *testing.T) {
	f := newFixture(t)
	f.req(addrP1, regP1, 0, 0, 0) // decides 0..2
	f.out.Reset()
	err := f.g.HandleDatagram(addrP2, marshal(t, proto.RequestKeyInfo{Player: 0, RegID: regP2, Count: 1000}), f.now, &f.out)
	if !errors.Is(err, errFutureCount) || f.out.Len() != 0 {
		t.Fatalf("future count: err %v, %d sent", err, f.out.Len())
	}
	if p := &f.g.players[0]; p.next != 3 || p.lead != 0 {
		t.Fatalf("next %d lead %d after a future request", p.next, p.lead)
	}
	if p := f.reply(f.req(addrP1, regP1, 0, 1, 0), addrP1); p.Lag != 0 || p.Events[len(p.Events)-1].Count != 3 {
		t.Fatalf("P1 after the future request: %+v", p)
	}
}

// §3.7: a refused registration is served read-only: it gets decided
// events and never decides one.
func TestSpectatorReadOnly(t *testing.T) {
	f := newFixture(t)
	const regSpec = 0x5555_0001
	spec := netip.MustParseAddrPort("192.0.2.5:5555")
	if f.register(1, proto.PluginNone, regSpec, 9, spec) {
		t.Fatal("a held slot was given away")
	}
	f.req(addrP1, regP1, 0, 0, 0) // decides 0..2
	f.req(addrP2, regP2, 0, 0, 0)
	p := f.reply(f.send(spec, proto.RequestKeyInfo{Player: 0, RegID: regSpec, Count: 0, Spectator: true}), spec)
	if len(p.Events) != 3 {
		t.Fatalf("spectator got %+v", p)
	}
	// At the end of the decided events it gets nothing, and decides nothing.
	if got := f.send(spec, proto.RequestKeyInfo{Player: 0, RegID: regSpec, Count: 3, Spectator: true}); len(got) != 0 {
		t.Fatalf("spectator at next got %v", got)
	}
	if got := f.req(spec, regSpec, 0, 3, 0); len(got) != 0 || f.g.players[0].next != 3 {
		t.Fatalf("spectator without the flag decided: %v, next %d", got, f.g.players[0].next)
	}
	// Spectators hear pushes too.
	if got := f.keys(addrP1, 0, 0, proto.KeyA); len(got) != 3 {
		t.Fatalf("pushes to %d addresses, want 3 (P1, P2, spectator)", len(got))
	}
}

// §3.3 buffer control, per player: the average `buffered` of lead
// requests since the last tick against T ± 0.75.
func TestBufferControl(t *testing.T) {
	tests := []struct {
		name    string
		target  uint8
		start   int
		lead    []uint8 // buffered of requests with lag 0
		lagging []uint8 // buffered of requests with lag > 0, ignored
		want    int
	}{
		{"starving grows", 2, 3, []uint8{0, 1, 0, 1}, nil, 4},
		{"overfull shrinks", 2, 3, []uint8{4, 3, 3}, nil, 2},
		{"on target stays", 2, 3, []uint8{2, 2, 3, 1}, nil, 3},
		{"just above the band stays", 2, 3, []uint8{2, 3, 3, 3}, nil, 3}, // 2.75
		{"no samples stays", 2, 3, nil, nil, 3},
		{"lagging samples ignored", 2, 3, []uint8{2}, []uint8{0, 0, 0, 0}, 3},
		{"never below 1", 1, 1, []uint8{9, 9}, nil, 1},
		{"never above the maximum", 2, 30, []uint8{0}, nil, 30},
		{"target 1 shrinks at 2", 1, 3, []uint8{2, 2}, nil, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.g.SetTarget(tc.target)
			f.g.players[1].buf = tc.start
			for c := uint32(0); c < 5; c++ {
				f.req(addrP1, regP1, 1, c, 0) // lead moves to 4
			}
			f.g.AdjustBuffers() // forget those samples
			f.g.players[1].buf = tc.start
			for _, b := range tc.lead {
				f.req(addrP1, regP1, 1, 4, b) // lag 0
			}
			for _, b := range tc.lagging {
				f.req(addrP2, regP2, 1, 2, b) // lag 2
			}
			changes := f.g.AdjustBuffers()
			if got := f.g.BufferSize(1); got != tc.want {
				t.Fatalf("B = %d, want %d", got, tc.want)
			}
			if (len(changes) == 1) != (tc.want != tc.start) {
				t.Fatalf("changes %+v", changes)
			}
			if f.g.BufferSize(0) != proto.InitialBufferSize {
				t.Fatalf("player 0's B changed to %d", f.g.BufferSize(0))
			}
		})
	}
	// B decides how far the lead looks ahead.
	f := newFixture(t)
	f.g.players[0].buf = 7
	if p := f.reply(f.req(addrP1, regP1, 0, 0, 0), addrP1); len(p.Events) != 7 {
		t.Fatalf("B = 7 decided %d events", len(p.Events))
	}
}

func syncPacket(vi uint32, count uint32) proto.SyncData {
	d := proto.SyncData{VICount: vi}
	for i := range d.CP0 {
		d.CP0[i] = uint32(i) * 0x01010101
	}
	d.CP0[9] = count // Count
	return d
}

// §3.6: the same VI count with different CP0 data sets the desync bit,
// which then appears in every reply; equal data or other VI counts do not.
func TestDesyncDetection(t *testing.T) {
	f := newFixture(t)
	f.req(addrP1, regP1, 0, 0, 0)
	f.req(addrP2, regP2, 0, 0, 0)
	steps := []struct {
		from   netip.AddrPort
		data   proto.SyncData
		desync bool
	}{
		{addrP1, syncPacket(0, 100), false},
		{addrP2, syncPacket(0, 100), false},
		{addrP2, syncPacket(600, 5000), false}, // first for VI 600: the reference
		{addrP1, syncPacket(1200, 7), false},
		{addrP1, syncPacket(600, 5001), true},
		{addrP2, syncPacket(1200, 7), true}, // sticky
	}
	for i, s := range steps {
		if got := f.send(s.from, s.data); len(got) != 0 {
			t.Fatalf("step %d: sync data answered %v", i, got)
		}
		if f.g.Status().Desync() != s.desync {
			t.Fatalf("step %d: desync %v, want %v", i, f.g.Status().Desync(), s.desync)
		}
	}
	p := f.reply(f.req(addrP1, regP1, 0, 0, 0), addrP1)
	if p.Status != proto.StatusDesync {
		t.Fatalf("status %#x, want desync", p.Status)
	}
	logs := f.log.String()
	if strings.Count(logs, "msg=desync") != 1 || !strings.Contains(logs, "vi=600") ||
		!strings.Contains(logs, "first_player=2 other_player=1") || !strings.Contains(logs, "cp0_reg=9") {
		t.Fatalf("desync log:\n%s", logs)
	}
	// A later diverging VI is checked and logged too (the stock servers stop).
	f.send(addrP1, syncPacket(1800, 1))
	f.send(addrP2, syncPacket(1800, 2))
	if n := strings.Count(f.log.String(), "msg=desync"); n != 2 {
		t.Fatalf("%d desync logs, want 2", n)
	}
}

// §2.4, §3.5: a disconnect notice or silence sets status bit slot+1; the
// slot's later events hold neutral keys (§6 Q8).
func TestDisconnectStatus(t *testing.T) {
	f := newFixture(t)
	f.keys(addrP2, 1, 0, proto.KeyA|proto.KeyR) // P2 holds A+R
	f.req(addrP2, regP2, 1, 0, 0)               // decides events 0..2 of P2
	// A notice for P2's reg_id from P1's connection is not P2 leaving.
	if slots := f.g.Disconnect(regP2, 1, addrP1.Addr()); len(slots) != 0 {
		t.Fatalf("foreign notice dropped %v", slots)
	}
	if slots := f.g.Disconnect(regP2, 2, addrP2.Addr()); !slices.Equal(slots, []int{1}) {
		t.Fatalf("notice dropped %v, want [1]", slots)
	}
	p := f.reply(f.req(addrP1, regP1, 1, 0, 0), addrP1)
	if p.Status != proto.StatusDisconnected(1) || p.Status != 0x04 {
		t.Fatalf("status %#x, want 0x04 (player 2 disconnected)", p.Status)
	}
	if p.Events[0].Keys != proto.KeyA|proto.KeyR {
		t.Fatalf("decided event changed: %+v", p.Events[0])
	}
	p = f.reply(f.req(addrP1, regP1, 1, 1, 0), addrP1) // decides event 3
	if last := p.Events[len(p.Events)-1]; last != ev(3, 0, proto.PluginNone) {
		t.Fatalf("event after the disconnect %+v, want neutral keys", last)
	}
	if f.g.Registered(1) || f.g.RegisteredCount() != 1 {
		t.Fatal("registration not removed")
	}

	// Silence: P1 requests at t0+20s, nothing since t0 from P2' slot.
	f = newFixture(t)
	f.now = t0.Add(20 * time.Second)
	f.req(addrP1, regP1, 0, 0, 0)
	if silent := f.g.Liveness(t0.Add(35*time.Second), 30*time.Second, nil); !slices.Equal(silent, []int{1}) {
		t.Fatalf("silent %v, want [1]", silent)
	}
	f.g.Drop(1, true)
	if f.g.Status() != 0x04 || !f.g.isSpectator(regP2) {
		t.Fatalf("status %#x spectator %v", f.g.Status(), f.g.isSpectator(regP2))
	}
	// A dropped client that comes back is served read-only.
	if p := f.reply(f.req(addrP2, regP2, 0, 0, 0), addrP2); p.Status != 0x04 || len(p.Events) != 3 {
		t.Fatalf("returning client got %+v", p)
	}
}

// Before the table is sent, an open registering connection keeps a slot
// alive; §6 Q15: a client with two slots keeps both alive with one reg_id.
func TestLiveness(t *testing.T) {
	log, _ := testLogger()
	g := newGame(log, 30)
	g.Register(proto.RegisterPlayer{Slot: 0, RegID: 1}, 7, addrP1.Addr(), t0)
	g.Register(proto.RegisterPlayer{Slot: 2, RegID: 3}, 7, addrP1.Addr(), t0) // same connection
	g.Register(proto.RegisterPlayer{Slot: 1, RegID: 2}, 8, addrP2.Addr(), t0)
	later := t0.Add(time.Minute)
	open := func(c uint64) bool { return c == 7 }
	if s := g.Liveness(later, 30*time.Second, open); !slices.Equal(s, []int{1}) {
		t.Fatalf("before the table: silent %v, want [1]", s)
	}
	g.Freeze(later)
	var out Outbox
	at := later.Add(20 * time.Second)
	if err := g.HandleDatagram(addrP1, marshal(t, proto.RequestKeyInfo{Player: 0, RegID: 3, Count: 0}), at, &out); err != nil {
		t.Fatal(err)
	}
	if s := g.Liveness(later.Add(40*time.Second), 30*time.Second, open); !slices.Equal(s, []int{1}) {
		t.Fatalf("after the table: silent %v, want [1] (slots 0 and 2 share a connection)", s)
	}
}

// §6 Q5, §8: malformed datagrams, datagrams from strangers and forged
// ones are dropped without effect.
func TestHostileDatagrams(t *testing.T) {
	tests := []struct {
		name string
		from netip.AddrPort
		b    []byte
		err  error
	}{
		{"empty", addrP1, nil, proto.ErrShort},
		{"one byte", addrP1, []byte{2}, proto.ErrShort},
		{"type 0 player 4", addrP1, hx("00 04 00000000 00000080 01"), proto.ErrRange},
		{"type 0 player 255", addrP1, hx("00 FF 00000000 00000080 01"), proto.ErrRange},
		{"type 0 short", addrP1, hx("00 00 00000000 0000"), proto.ErrShort},
		{"type 0 long", addrP1, hx("00 00 00000000 00000080 01 00"), proto.ErrLong},
		{"type 0 bad plugin", addrP1, hx("00 00 00000000 00000080 07"), proto.ErrRange},
		{"type 2 player 4, registered reg_id", addrP1, hx("02 04 11111111 00000000 00 00"), proto.ErrRange},
		{"type 2 short", addrP1, hx("02 00 11111111 00000000 00"), proto.ErrShort},
		{"type 2 spectator 2", addrP1, hx("02 00 11111111 00000000 02 00"), proto.ErrRange},
		{"type 2 unknown reg_id", addrP1, hx("02 00 99999999 00000000 00 00"), errUnknownRegID},
		{"type 2 reg_id 0", addrP1, hx("02 00 00000000 00000000 00 00"), proto.ErrRange},
		{"type 4 short", addrP1, hx("04 00000258 00000001"), proto.ErrShort},
		{"type 1 from a client", addrP1, hx("01 00 00 00 01 00000000 00000080 01"), errServerPacket},
		{"type 3 from a client", addrP1, hx("03 00 00 00 01 00000000 00000080 01"), errServerPacket},
		{"unknown type", addrP1, hx("09 00 00"), proto.ErrUnknown},
		{"type 0 for an unregistered player", addrP1, hx("00 03 00000000 00000080 01"), errNotRegistered},
		{"forged type 0", addrForeign, hx("00 00 00000000 DEADBEEF 01"), errForeignSource},
		{"forged type 0 for P2 from P1's port", netip.AddrPortFrom(addrP2.Addr(), 1), nil, nil}, // same IP: accepted
		{"forged sync data", addrForeign, marshal(t, syncPacket(0, 1)), errForeignSource},
	}
	f := newFixture(t)
	f.req(addrP1, regP1, 0, 0, 0)
	f.req(addrP2, regP2, 0, 0, 0)
	f.send(addrP1, syncPacket(0, 100))
	before := f.g.players
	status := f.g.Status()
	for _, tc := range tests {
		if tc.b == nil && tc.err == nil {
			continue
		}
		f.out.Reset()
		err := f.g.HandleDatagram(tc.from, tc.b, f.now, &f.out)
		if !errors.Is(err, tc.err) {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.err)
		}
		if f.out.Len() != 0 {
			t.Errorf("%s: sent %v", tc.name, drain(&f.out))
		}
	}
	if f.g.players != before || f.g.Status() != status {
		t.Fatal("dropped datagrams changed the game state")
	}
	// §8: a 1-byte datagram after one whose byte 1 was ≥ 4 crashes the
	// stock server (stale bytes); here it is just short.
	for _, b := range [][]byte{hx("00 07 00000000 00000000 01"), {0}, {2}, {4}} {
		if err := f.g.HandleDatagram(addrP1, b, f.now, &f.out); err == nil {
			t.Fatalf("%x accepted", b)
		}
	}
	// The same IP as P2's registration may speak for P2 (NAT: a new port).
	f.out.Reset()
	if err := f.g.HandleDatagram(netip.AddrPortFrom(addrP2.Addr(), 1), hx("00 01 00000000 00000040 01"), f.now, &f.out); err != nil {
		t.Fatalf("P2 from a new port: %v", err)
	}
}

// FuzzGameDatagrams feeds arbitrary datagrams, from a player or a
// stranger, to a game with two players: nothing panics, and everything
// sent is a well-formed type 1 or 3 with events of the requested player.
func FuzzGameDatagrams(f *testing.F) {
	f.Add(hx("02 00 11111111 00000000 00 00"), true)
	f.Add(hx("00 00 00000000 00000080 01"), true)
	f.Add(hx("02 01 22222222 00000000 00 03 | 00 01 00000001 00000001 01"), false)
	f.Add(marshal(f, syncPacket(600, 1)), true)
	f.Fuzz(func(t *testing.T, data []byte, fromP1 bool) {
		log, _ := testLogger()
		g := newGame(log, 30)
		g.Register(proto.RegisterPlayer{Slot: 0, Plugin: 1, RegID: regP1}, 1, addrP1.Addr(), t0)
		g.Register(proto.RegisterPlayer{Slot: 1, Plugin: 1, RegID: regP2}, 2, addrP2.Addr(), t0)
		from := addrForeign
		if fromP1 {
			from = addrP1
		}
		var out Outbox
		// Split data into datagrams at each 0xFE byte.
		for _, d := range bytes.Split(data, []byte{0xFE}) {
			out.Reset()
			_ = g.HandleDatagram(from, d, t0, &out)
			_ = g.HandleDatagram(addrP2, d, t0, &out)
			for i := range out.Len() {
				_, b := out.At(i)
				p, err := proto.DecodeKeyInfoServer(b)
				if err != nil {
					t.Fatalf("sent %x: %v", b, err)
				}
				if len(d) < 2 || p.Player != d[1] {
					t.Fatalf("reply for player %d to datagram %x", p.Player, d)
				}
			}
			if !g.Status().Valid() {
				t.Fatalf("status %#x", g.Status())
			}
		}
	})
}

func TestSatLag(t *testing.T) {
	for _, tc := range []struct {
		in   uint32
		want uint8
	}{{0, 0}, {1, 1}, {255, 255}, {256, 255}, {1 << 31, 255}} {
		if got := satLag(tc.in); got != tc.want {
			t.Errorf("satLag(%d) = %d, want %d", tc.in, got, tc.want)
		}
	}
	// Counts wrap at 2³² (§3.1).
	if !after(0, 0xFFFFFFFF) || after(0xFFFFFFFF, 0) || after(5, 5) {
		t.Error("after does not wrap")
	}
	var p playerInput
	p.buf = 3
	p.next, p.lead, p.hasLead = 0xFFFFFFFE, 0xFFFFFFFE, true
	p.decided = 10
	if lag, ok := p.request(0xFFFFFFFE, true, 0); !ok || lag != 0 || p.next != 1 {
		t.Fatalf("decide across the wrap: lag %d ok %v next %d", lag, ok, p.next)
	}
	if ev := p.appendEvents(nil, 0xFFFFFFFF); len(ev) != 2 || ev[1].Count != 0 {
		t.Fatalf("events across the wrap: %v", ev)
	}
}

// BenchmarkHandleRequest measures the hot path: one type 2 from the lead,
// deciding one event and answering with B events. It must not allocate.
func BenchmarkHandleRequest(b *testing.B) {
	log, _ := testLogger()
	g := newGame(log, 30)
	g.Register(proto.RegisterPlayer{Slot: 0, Plugin: 1, RegID: regP1}, 1, addrP1.Addr(), t0)
	g.Freeze(t0)
	req := proto.RequestKeyInfo{Player: 0, RegID: regP1}
	buf := make([]byte, proto.RequestKeyInfoSize)
	var out Outbox
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		req.Count = uint32(i)
		buf, _ = req.AppendBinary(buf[:0])
		out.Reset()
		if err := g.HandleDatagram(addrP1, buf, t0, &out); err != nil || out.Len() != 1 {
			b.Fatal(err)
		}
	}
}
