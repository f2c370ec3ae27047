package client

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/n64go/n64/core/pif"
	"github.com/n64go/n64/netplay/proto"
)

// KeysFromInput is the keys word (§5) of a controller reading: the core
// stores BUTTONS over the 4 bytes of the joybus response (buttons high,
// buttons low, X, Y).
func KeysFromInput(in pif.Input) proto.Keys {
	return proto.KeysFromJoybus([4]byte{byte(in.Buttons >> 8), byte(in.Buttons), byte(in.X), byte(in.Y)})
}

// InputFromKeys is the controller reading a keys word stands for; the
// inverse of KeysFromInput.
func InputFromKeys(k proto.Keys) pif.Input {
	b := k.Joybus()
	return pif.Input{Buttons: pif.Buttons(b[0])<<8 | pif.Buttons(b[1]), X: int8(b[2]), Y: int8(b[3])}
}

// ErrLostConnection is the error of a client whose input did not arrive
// within the input timeout (§3.5: the stock client logs "lost
// connection", stops emulation and plays 0).
var ErrLostConnection = errors.New("netplay: lost connection to the server (no input for too long)")

// errClosed is the error after Close.
var errClosed = errors.New("netplay: client closed")

// maxQueued bounds how far past a port's count events are queued (§6 Q9:
// the stock client queues any future count).
const maxQueued = 4096

// stream is the ordered input stream of one client: per port, the count of
// the next event the core will read and the server's events queued from
// that count on (§3.4). It is the part of Client that tests drive with a
// fake transport.
type stream struct {
	send func(b []byte) error // one UDP datagram to the server
	log  *slog.Logger

	regID   uint32
	slot    int // the port this client controls; -1 for a spectator
	plugin  proto.Plugin
	local   pif.InputSource
	timeout time.Duration
	resend  time.Duration

	onStatus func(old, new proto.Status)

	wake   chan struct{} // signalled after every delivery
	closed chan struct{}

	mu       sync.Mutex
	target   uint8 // T from the registration reply
	count    [proto.MaxPlayers]uint32
	queue    [proto.MaxPlayers]map[uint32]proto.KeyEvent
	lag      [proto.MaxPlayers]uint8
	status   proto.Status
	catchUp  bool
	err      error
	conflict int // events the server sent twice with different contents
	buf      []byte
}

func newStream(send func([]byte) error, regID uint32, slot int, plugin proto.Plugin, target uint8) *stream {
	s := &stream{send: send, log: slog.Default(), regID: regID, slot: slot, plugin: plugin, target: target,
		timeout: proto.InputTimeout, resend: proto.InputResendInterval,
		wake: make(chan struct{}, 1), closed: make(chan struct{})}
	for i := range s.queue {
		s.queue[i] = make(map[uint32]proto.KeyEvent)
	}
	return s
}

// sendPacket encodes and sends one datagram; the engine's own packets are
// always valid, so an error is a socket error.
func (s *stream) sendPacket(p proto.Packet) {
	s.mu.Lock()
	b, err := p.AppendBinary(s.buf[:0])
	s.buf = b
	if err == nil {
		err = s.send(b)
	}
	s.mu.Unlock()
	if err != nil {
		s.log.Debug("netplay: send", "packet", p.PacketType().String(), "err", err)
	}
}

// Input answers a controller read for port (pif.InputSource): for its own
// port it first sends the local sample as type 0 with the port's count,
// then it asks the server for event count with type 2, resending every
// resend interval, and blocks until the event arrives (§3.4, §3.5). It
// plays the server's event, never the local sample. After the input
// timeout it fails (Err reports ErrLostConnection) and from then on
// answers nothing pressed at once.
func (s *stream) Input(port int) pif.Input {
	if port < 0 || port >= proto.MaxPlayers {
		return pif.Input{}
	}
	s.mu.Lock()
	if s.err != nil {
		s.mu.Unlock()
		return pif.Input{}
	}
	c := s.count[port]
	s.mu.Unlock()

	if port == s.slot {
		var in pif.Input
		if s.local != nil {
			in = s.local.Input(0) // the local player's own controller
		}
		s.sendPacket(proto.KeyInfoClient{Player: uint8(port), Count: c, Keys: KeysFromInput(in), Plugin: s.plugin})
	}
	if e, ok := s.wait(port, c); ok {
		return InputFromKeys(e.Keys)
	}
	return pif.Input{}
}

// request sends type 2 for port and count c with the number queued, and
// updates the catch-up flag (§3.4 steps 2–3).
func (s *stream) request(port int, c uint32) {
	s.mu.Lock()
	n := len(s.queue[port])
	s.catchUp = s.lag[port] > 0 && n > int(s.target)
	s.mu.Unlock()
	s.sendPacket(proto.RequestKeyInfo{Player: uint8(port), RegID: s.regID, Count: c,
		Spectator: s.slot < 0, Buffered: uint8(min(n, 255))})
}

// take removes event c of port from the queue if it is there.
func (s *stream) take(port int, c uint32) (proto.KeyEvent, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.queue[port][c]
	if ok {
		delete(s.queue[port], c)
		s.count[port] = c + 1
	}
	return e, ok
}

func (s *stream) fail(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
}

// wait asks for event c of port and blocks until it is queued.
func (s *stream) wait(port int, c uint32) (proto.KeyEvent, bool) {
	s.request(port, c)
	if e, ok := s.take(port, c); ok {
		return e, true
	}
	deadline := time.Now().Add(s.timeout)
	tick := time.NewTicker(s.resend)
	defer tick.Stop()
	for {
		select {
		case <-s.wake:
		case <-tick.C:
			if !time.Now().Before(deadline) {
				s.fail(fmt.Errorf("%w: player %d's event %d did not arrive in %v", ErrLostConnection, port+1, c, s.timeout))
				s.log.Error("netplay: lost connection", "port", port, "count", c)
				return proto.KeyEvent{}, false
			}
			s.request(port, c)
		case <-s.closed:
			s.fail(errClosed)
			return proto.KeyEvent{}, false
		}
		if e, ok := s.take(port, c); ok {
			return e, true
		}
	}
}

// deliver handles one datagram from the server: types 1 and 3 queue every
// event whose count is at or after the port's count and not queued yet
// (§3.4 step 1); type 1 also sets the port's lag. A change of the status
// byte is reported to onStatus. Other datagrams are dropped.
func (s *stream) deliver(b []byte) {
	if len(b) == 0 || (proto.PacketType(b[0]) != proto.PacketKeyInfoServer && proto.PacketType(b[0]) != proto.PacketKeyInfoServerGratuitous) {
		s.log.Debug("netplay: unexpected datagram", "len", len(b))
		return
	}
	k, err := proto.DecodeKeyInfoServer(b)
	if err != nil {
		s.log.Debug("netplay: bad datagram", "err", err)
		return
	}
	p := int(k.Player)
	s.mu.Lock()
	for _, e := range k.Events {
		d := e.Count - s.count[p] // wraps: events before count are ≥ 2³¹
		if d >= maxQueued {
			continue
		}
		if old, ok := s.queue[p][e.Count]; ok {
			if old != e {
				s.conflict++
			}
			continue
		}
		s.queue[p][e.Count] = e
	}
	if !k.Gratuitous {
		s.lag[p] = k.Lag
	}
	old := s.status
	s.status = k.Status
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	if k.Status != old {
		s.log.Info("netplay: status changed", "status", fmt.Sprintf("%#02x", uint8(k.Status)), "desync", k.Status.Desync())
		if s.onStatus != nil {
			s.onStatus(old, k.Status)
		}
	}
}

// Status is the latest status byte from the server: bit 0 desync, bit k
// player k disconnected (§3.2).
func (s *stream) Status() proto.Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// CatchingUp reports that the last request found this client behind the
// lead with more than T events queued: a front end should run faster than
// real time (turn its speed limiter off) while it holds (§3.4 step 3).
func (s *stream) CatchingUp() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.catchUp
}

// Counts returns the count of the next event per port.
func (s *stream) Counts() [proto.MaxPlayers]uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// Err reports why input stopped (ErrLostConnection), or nil.
func (s *stream) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == errClosed {
		return nil
	}
	return s.err
}
