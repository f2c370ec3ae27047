package client

import (
	"errors"
	"testing"
	"time"

	"github.com/n64go/n64/core/pif"
	"github.com/n64go/n64/netplay/proto"
)

// fakeNet is the stream's transport in unit tests: every datagram sent
// goes to a channel.
type fakeNet struct{ sent chan proto.Packet }

func newFake(t *testing.T, slot int) (*stream, *fakeNet) {
	t.Helper()
	f := &fakeNet{sent: make(chan proto.Packet, 1024)}
	s := newStream(func(b []byte) error {
		p, err := proto.DecodePacket(b)
		if err != nil {
			t.Errorf("client sent %x: %v", b, err)
		}
		f.sent <- p
		return nil
	}, 0x1234_5671, slot, proto.PluginNone, 2)
	s.log = quietLogger()
	s.resend = time.Millisecond
	s.timeout = waitLimit
	t.Cleanup(func() {
		select {
		case <-s.closed:
		default:
			close(s.closed)
		}
	})
	return s, f
}

func (f *fakeNet) next(t *testing.T) proto.Packet {
	t.Helper()
	select {
	case p := <-f.sent:
		return p
	case <-time.After(waitLimit):
		t.Fatal("the client sent nothing")
		return nil
	}
}

// nextRequest skips to the next type 2.
func (f *fakeNet) nextRequest(t *testing.T) proto.RequestKeyInfo {
	t.Helper()
	for {
		if r, ok := f.next(t).(proto.RequestKeyInfo); ok {
			return r
		}
	}
}

func serverPacket(t *testing.T, gratuitous bool, player uint8, status proto.Status, lag uint8, first uint32, keys ...proto.Keys) []byte {
	t.Helper()
	p := proto.KeyInfoServer{Gratuitous: gratuitous, Player: player, Status: status, Lag: lag}
	for i, k := range keys {
		p.Events = append(p.Events, proto.KeyEvent{Count: first + uint32(i), Keys: k, Plugin: proto.PluginNone})
	}
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type fixedInput pif.Input

func (f fixedInput) Input(int) pif.Input { return pif.Input(f) }

func TestKeysMapping(t *testing.T) {
	for _, tc := range []struct {
		in   pif.Input
		want proto.Keys
	}{
		{pif.Input{Buttons: pif.ButtonA}, proto.KeyA},
		{pif.Input{Buttons: pif.ButtonB | pif.ButtonZ | pif.ButtonStart}, proto.KeyB | proto.KeyZ | proto.KeyStart},
		{pif.Input{Buttons: pif.DUp | pif.DDown | pif.DLeft | pif.DRight}, proto.KeyUDPad | proto.KeyDDPad | proto.KeyLDPad | proto.KeyRDPad},
		{pif.Input{Buttons: pif.ButtonL | pif.ButtonR}, proto.KeyL | proto.KeyR},
		{pif.Input{Buttons: pif.CUp | pif.CDown | pif.CLeft | pif.CRight}, proto.KeyUCButton | proto.KeyDCButton | proto.KeyLCButton | proto.KeyRCButton},
		{pif.Input{X: -3, Y: 80}, proto.NewKeys(0, -3, 80)},
	} {
		if got := KeysFromInput(tc.in); got != tc.want {
			t.Errorf("KeysFromInput(%+v) = %v, want %v", tc.in, got, tc.want)
		}
		if got := InputFromKeys(tc.want); got != tc.in {
			t.Errorf("InputFromKeys(%v) = %+v, want %+v", tc.want, got, tc.in)
		}
	}
}

// TestInputBlocksUntilEvent: the own port sends its local sample (type 0)
// and then asks (type 2) for the port's count, resending while it waits;
// events after the count do not release it, the event itself does, and
// the server's keys are played, not the local ones.
func TestInputBlocksUntilEvent(t *testing.T) {
	s, f := newFake(t, 0)
	s.local = fixedInput{Buttons: pif.ButtonA, X: 5}
	got := make(chan pif.Input, 1)
	go func() { got <- s.Input(0) }()

	k, ok := f.next(t).(proto.KeyInfoClient)
	if !ok || k.Player != 0 || k.Count != 0 || k.Keys != proto.NewKeys(proto.KeyA, 5, 0) || k.Plugin != proto.PluginNone {
		t.Fatalf("first datagram %+v, want type 0 for count 0 with A and x=5", k)
	}
	r := f.nextRequest(t)
	if r.Player != 0 || r.Count != 0 || r.RegID != 0x1234_5671 || r.Spectator || r.Buffered != 0 {
		t.Fatalf("request %+v", r)
	}
	// Future events (1, 2) arrive first: still waiting, and still asking
	// for 0 (the resend pace is 1 ms here).
	s.deliver(serverPacket(t, false, 0, 0, 0, 1, proto.KeyB, proto.KeyZ))
	for range 3 {
		if r := f.nextRequest(t); r.Count != 0 || r.Buffered != 2 {
			t.Fatalf("resent request %+v, want count 0 with 2 queued", r)
		}
	}
	select {
	case in := <-got:
		t.Fatalf("Input returned %+v before its event arrived", in)
	default:
	}
	// Event 0 comes as a gratuitous push; then 1 and 2 are already queued.
	s.deliver(serverPacket(t, true, 0, 0, 0, 0, proto.NewKeys(proto.KeyStart, 0, -7)))
	if in := <-got; in != (pif.Input{Buttons: pif.ButtonStart, Y: -7}) {
		t.Fatalf("event 0 played as %+v", in)
	}
	if in := s.Input(0); in.Buttons != pif.ButtonB {
		t.Fatalf("event 1 played as %+v", in)
	}
	if in := s.Input(0); in.Buttons != pif.ButtonZ {
		t.Fatalf("event 2 played as %+v", in)
	}
	if c := s.Counts(); c[0] != 3 || c[1] != 0 {
		t.Fatalf("counts %v", c)
	}
}

// TestEventOrdering: events before a port's count are dropped, a second
// copy of a queued event never replaces the first, ports are independent,
// and malformed datagrams change nothing.
func TestEventOrdering(t *testing.T) {
	s, f := newFake(t, 1)
	s.deliver(serverPacket(t, false, 0, 0, 0, 0, proto.KeyA, proto.KeyB))
	s.deliver(serverPacket(t, false, 0, 0, 0, 0, proto.KeyZ, proto.KeyZ, proto.KeyL)) // 0, 1 again: ignored
	s.deliver(serverPacket(t, false, 3, 0, 0, 0, proto.KeyR))
	s.deliver([]byte{1, 9, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x80, 1}) // player 9
	s.deliver([]byte{1, 0, 0, 0, 2, 0, 0, 0, 0})                   // truncated
	s.deliver([]byte{4})
	for i, want := range []pif.Buttons{pif.ButtonA, pif.ButtonB, pif.ButtonL} {
		if in := s.Input(0); in.Buttons != want {
			t.Fatalf("port 0 event %d: %+v, want %#x", i, in, want)
		}
	}
	// Old events for port 0 come again: not queued.
	s.deliver(serverPacket(t, false, 0, 0, 0, 1, proto.KeyStart, proto.KeyStart))
	s.mu.Lock()
	n := len(s.queue[0])
	s.mu.Unlock()
	if n != 0 {
		t.Fatalf("%d stale events queued", n)
	}
	if in := s.Input(3); in.Buttons != pif.ButtonR {
		t.Fatalf("port 3: %+v", in)
	}
	// Port 1 is ours: a type 0 went out before each request for it only.
	go s.Input(1)
	for {
		p := f.next(t)
		if k, ok := p.(proto.KeyInfoClient); ok {
			if k.Player != 1 || k.Count != 0 {
				t.Fatalf("type 0 %+v", k)
			}
			break
		}
		if r := p.(proto.RequestKeyInfo); r.Player == 1 {
			t.Fatal("request for the own port before its key info")
		}
	}
	s.deliver(serverPacket(t, false, 1, 0, 0, 0, 0))
}

func TestSpectatorSendsNoInput(t *testing.T) {
	s, f := newFake(t, -1)
	s.local = fixedInput{Buttons: pif.ButtonA}
	s.deliver(serverPacket(t, false, 0, 0, 0, 0, proto.KeyB))
	if in := s.Input(0); in.Buttons != pif.ButtonB {
		t.Fatalf("%+v", in)
	}
	p := f.next(t)
	r, ok := p.(proto.RequestKeyInfo)
	if !ok || !r.Spectator || r.Count != 0 {
		t.Fatalf("spectator sent %+v", p)
	}
}

// TestInputTimeout: no event within the timeout fails the session; every
// later read answers nothing pressed at once and sends nothing.
func TestInputTimeout(t *testing.T) {
	s, f := newFake(t, 0)
	s.timeout = 20 * time.Millisecond
	if in := s.Input(0); in != (pif.Input{}) {
		t.Fatalf("%+v", in)
	}
	if err := s.Err(); !errors.Is(err, ErrLostConnection) {
		t.Fatalf("Err() = %v", err)
	}
	for len(f.sent) > 0 {
		<-f.sent
	}
	s.deliver(serverPacket(t, false, 0, 0, 0, 0, proto.KeyA))
	if in := s.Input(0); in != (pif.Input{}) || len(f.sent) != 0 {
		t.Fatalf("after the timeout: %+v, %d datagrams sent", in, len(f.sent))
	}
}

func TestCloseReleasesInput(t *testing.T) {
	s, _ := newFake(t, 0)
	done := make(chan pif.Input)
	go func() { done <- s.Input(0) }()
	close(s.closed)
	if in := <-done; in != (pif.Input{}) {
		t.Fatalf("%+v", in)
	}
	if s.Err() != nil {
		t.Fatalf("Err after close: %v", s.Err())
	}
}

// TestStatusReported: every change of the status byte reaches OnStatus,
// from types 1 and 3 alike; repeats do not.
func TestStatusReported(t *testing.T) {
	s, _ := newFake(t, 0)
	type change struct{ old, new proto.Status }
	var got []change
	s.onStatus = func(o, n proto.Status) { got = append(got, change{o, n}) }
	s.deliver(serverPacket(t, false, 0, 0, 0, 0, 0))
	s.deliver(serverPacket(t, true, 0, proto.StatusDesync, 0, 1, 0))
	s.deliver(serverPacket(t, false, 1, proto.StatusDesync, 0, 0, 0))
	s.deliver(serverPacket(t, false, 1, proto.StatusDesync|proto.StatusDisconnected(1), 0, 1, 0))
	want := []change{{0, proto.StatusDesync}, {proto.StatusDesync, proto.StatusDesync | proto.StatusDisconnected(1)}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("status changes %+v, want %+v", got, want)
	}
	if st := s.Status(); !st.Desync() || !st.Disconnected(1) || st.Disconnected(0) {
		t.Fatalf("Status() = %#x", st)
	}
}

// TestCatchUp: behind the lead (lag > 0, type 1 only) with more than T
// events queued, the client asks to run faster (§3.4 step 3).
func TestCatchUp(t *testing.T) {
	s, _ := newFake(t, 0)
	s.deliver(serverPacket(t, false, 0, 0, 5, 0, 0, 0, 0, 0, 0))
	s.Input(0) // request with 4 more queued > T = 2
	if !s.CatchingUp() {
		t.Fatal("not catching up with lag 5 and 4 queued")
	}
	s.deliver(serverPacket(t, false, 0, 0, 0, 1, 0))
	s.Input(0)
	if s.CatchingUp() {
		t.Fatal("still catching up at lag 0")
	}
	s.deliver(serverPacket(t, true, 0, 0, 9, 2, 0)) // type 3's lag is ignored
	s.Input(0)
	if s.CatchingUp() {
		t.Fatal("catching up from a gratuitous packet's lag")
	}
}
