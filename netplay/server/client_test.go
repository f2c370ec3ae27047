package server

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/n64go/n64/netplay/proto"
)

// Test clients, written from RFC 6455 and NETPLAY.md rather than from the
// server's code: a minimal WebSocket lobby client and a game client.

const waitLimit = 5 * time.Second // no step of a test should take this long

type testServer struct {
	*Server
	addr   string
	logs   *logBuffer
	closed chan int // ports of rooms that closed
	cancel context.CancelFunc
	done   chan error
}

// startServer runs a server on loopback with OS-chosen ports.
func startServer(t *testing.T, mod func(*Config)) *testServer {
	t.Helper()
	log, lb := testLogger()
	cfg := Config{Host: "127.0.0.1", Logger: log, Version: "test"}
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: s, logs: lb, closed: make(chan int, 64), done: make(chan error, 1)}
	s.testHook.roomClosed = func(port int) { ts.closed <- port }
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ts.addr = s.LobbyAddr().String()
	ctx, cancel := context.WithCancel(context.Background())
	ts.cancel = cancel
	go func() { ts.done <- s.Serve(ctx) }()
	t.Cleanup(func() {
		ts.stop(t)
		if t.Failed() {
			t.Logf("server log:\n%s", lb.String())
		}
	})
	return ts
}

// stop shuts the server down and checks that it returns in time.
func (ts *testServer) stop(t *testing.T) {
	ts.cancel()
	select {
	case err, ok := <-ts.done:
		if ok && err != nil {
			t.Errorf("Serve: %v", err)
		}
		if ok {
			close(ts.done)
		}
	case <-time.After(waitLimit):
		t.Errorf("Serve did not return after cancel")
	}
}

func (ts *testServer) awaitRoomClosed(t *testing.T, port int) {
	t.Helper()
	timer := time.NewTimer(waitLimit)
	defer timer.Stop()
	for {
		select {
		case p := <-ts.closed:
			if p == port {
				return
			}
		case <-timer.C:
			t.Fatalf("room on port %d did not close", port)
		}
	}
}

// wsClient is a lobby client.
type wsClient struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

func dialLobby(t *testing.T, addr string) *wsClient {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, waitLimit)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	var k [16]byte
	rand.Read(k[:])
	key := base64.StdEncoding.EncodeToString(k[:])
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", addr, key)
	br := bufio.NewReader(c)
	c.SetReadDeadline(time.Now().Add(waitLimit))
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols || resp.Header.Get("Sec-WebSocket-Accept") != wsAccept(key) {
		t.Fatalf("handshake: %s, accept %q", resp.Status, resp.Header.Get("Sec-WebSocket-Accept"))
	}
	return &wsClient{t: t, c: c, br: br}
}

func (w *wsClient) writeFrame(b0 byte, payload []byte) {
	w.t.Helper()
	if _, err := w.c.Write(clientFrame(b0, payload, true)); err != nil {
		w.t.Fatal(err)
	}
}

// sendJSON sends v as a text message, as simple64 and RMG do.
func (w *wsClient) sendJSON(v any) {
	w.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		w.t.Fatal(err)
	}
	w.writeFrame(0x80|opText, b)
}

// readFrame reads one server frame: final and unmasked (RFC 6455 §5.1).
func (w *wsClient) readFrame() (byte, []byte, error) {
	w.c.SetReadDeadline(time.Now().Add(waitLimit))
	var h [2]byte
	if _, err := io.ReadFull(w.br, h[:]); err != nil {
		return 0, nil, err
	}
	if h[0]&0xF0 != 0x80 || h[1]&0x80 != 0 {
		return 0, nil, fmt.Errorf("server frame header %x", h)
	}
	n := uint64(h[1] & 0x7F)
	switch n {
	case 126:
		var l [2]byte
		if _, err := io.ReadFull(w.br, l[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(l[:]))
	case 127:
		var l [8]byte
		if _, err := io.ReadFull(w.br, l[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(l[:])
	}
	p := make([]byte, n)
	_, err := io.ReadFull(w.br, p)
	return h[0] & 0x0F, p, err
}

// recv returns the next lobby message, skipping pings.
func (w *wsClient) recv() proto.LobbyMessage {
	w.t.Helper()
	for {
		op, p, err := w.readFrame()
		if err != nil {
			w.t.Fatalf("lobby read: %v", err)
		}
		switch op {
		case opPing: // RFC 6455 §5.5.2: answer with the same payload
			w.writeFrame(0x80|opPong, p)
		case opPong:
		case opText:
			m, err := proto.DecodeLobbyMessage(p)
			if err != nil {
				w.t.Fatalf("server sent %s: %v", p, err)
			}
			return m
		default:
			w.t.Fatalf("server frame op %#x %q", op, p)
		}
	}
}

// expect returns the next message of type typ, skipping others (such as
// reply_players broadcasts).
func (w *wsClient) expect(typ string) proto.LobbyMessage {
	w.t.Helper()
	for {
		if m := w.recv(); m.Type == typ {
			return m
		}
	}
}

// request is the JSON a stock client sends (API 17, §4).
type request struct {
	Type           string `json:"type"`
	NetplayVersion int    `json:"netplay_version,omitempty"`
	Emulator       string `json:"emulator,omitempty"`
	PlayerName     string `json:"player_name,omitempty"`
	ClientSHA      string `json:"client_sha,omitempty"`
	Message        string `json:"message,omitempty"`
	AuthTime       string `json:"authTime,omitempty"`
	Auth           string `json:"auth,omitempty"`
	Room           *room  `json:"room,omitempty"`
}

type room struct {
	RoomName     string            `json:"room_name,omitempty"`
	GameName     string            `json:"game_name,omitempty"`
	MD5          string            `json:"MD5,omitempty"`
	Password     string            `json:"password,omitempty"`
	Port         int               `json:"port,omitempty"`
	Features     map[string]string `json:"features,omitempty"`
	BufferTarget int               `json:"buffer_target,omitempty"`
}

const testMD5 = "0123456789ABCDEF0123456789ABCDEF"

func createReq(roomName, player string) request {
	return request{Type: proto.TypeRequestCreateRoom, NetplayVersion: proto.APIVersion, Emulator: "n64",
		PlayerName: player, ClientSHA: "sha", Room: &room{RoomName: roomName, GameName: "SUPER MARIO 64", MD5: testMD5,
			Features: map[string]string{"cheats": "{}"}}}
}

func joinReq(port int, player string) request {
	return request{Type: proto.TypeRequestJoinRoom, NetplayVersion: proto.APIVersion, Emulator: "n64",
		PlayerName: player, ClientSHA: "sha", Room: &room{Port: port, MD5: testMD5}}
}

func portReq(typ string, port int) request { return request{Type: typ, Room: &room{Port: port}} }

// createRoom creates a room and returns its port.
func (w *wsClient) createRoom(roomName, player string) int {
	w.t.Helper()
	w.sendJSON(createReq(roomName, player))
	m := w.expect(proto.TypeReplyCreateRoom)
	if m.Accept != proto.Accepted || m.Room == nil || m.Room.Port == 0 || m.PlayerName != player {
		w.t.Fatalf("create room: %+v", m)
	}
	return m.Room.Port
}

// gameClient is one client's TCP and UDP sockets to a room (§1).
type gameClient struct {
	t     *testing.T
	tcp   net.Conn
	br    *bufio.Reader
	udp   *net.UDPConn
	regID uint32
	slot  uint8
}

func dialGame(t *testing.T, port int) *gameClient {
	t.Helper()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	c, err := net.DialTimeout("tcp", addr, waitLimit)
	if err != nil {
		t.Fatal(err)
	}
	ua, _ := net.ResolveUDPAddr("udp", addr)
	u, err := net.DialUDP("udp", nil, ua)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); u.Close() })
	return &gameClient{t: t, tcp: c, br: bufio.NewReader(c), udp: u}
}

func (g *gameClient) send(req proto.Request) {
	g.t.Helper()
	b, err := req.MarshalBinary()
	if err != nil {
		g.t.Fatal(err)
	}
	if _, err := g.tcp.Write(b); err != nil {
		g.t.Fatal(err)
	}
	g.tcp.SetReadDeadline(time.Now().Add(waitLimit))
}

func (g *gameClient) register(slot uint8, plugin proto.Plugin, regID uint32) proto.RegisterReply {
	g.t.Helper()
	g.send(proto.RegisterPlayer{Slot: slot, Plugin: plugin, RegID: regID})
	r, err := proto.ReadRegisterReply(g.br)
	if err != nil {
		g.t.Fatalf("register reply: %v", err)
	}
	if r.OK {
		g.slot, g.regID = slot, regID
	}
	return r
}

func (g *gameClient) table() proto.RegistrationTable {
	g.t.Helper()
	g.send(proto.GetRegistration{})
	tab, err := proto.ReadRegistrationTable(g.br)
	if err != nil {
		g.t.Fatalf("registration table: %v", err)
	}
	return tab
}

// expectClosed checks that the server closes the TCP connection.
func (g *gameClient) expectClosed() {
	g.t.Helper()
	g.tcp.SetReadDeadline(time.Now().Add(waitLimit))
	n, err := io.Copy(io.Discard, g.br)
	if err != nil && !errors.Is(err, syscall.ECONNRESET) {
		g.t.Fatalf("connection not closed by the server: %v (%d bytes)", err, n)
	}
}

func (g *gameClient) sendUDP(p proto.Packet) error {
	b, err := p.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = g.udp.Write(b)
	return err
}

// testKeys is what player `own` presses at count c: the count in the
// button bits and the player in the X axis, so each event tells whose
// input of which moment it carries.
func testKeys(own uint8, c uint32) proto.Keys {
	return proto.NewKeys(proto.Keys(c&0x3FFF), int8(own+1), 0)
}

// playResult is what one client played.
type playResult struct {
	streams [2][]proto.KeyEvent
	status  proto.Status // every status bit seen
}

// play runs the stock client's algorithm (§3.4) for events from..to−1 on
// ports 0 and 1: for its own port it sends type 0 with its input, then
// for each port it asks with type 2, resending every 5 ms, until the event
// is queued, and plays it. It must not call t.Fatal (it runs in a
// goroutine).
func (g *gameClient) play(from, to uint32, res *playResult) error {
	return g.playStep(from, to, res, nil)
}

// playStep is play calling step after each count (a barrier between two
// clients, standing in for the 60 Hz speed limiter that keeps real
// clients in step).
func (g *gameClient) playStep(from, to uint32, res *playResult, step func()) error {
	var queued [2]map[uint32]proto.KeyEvent
	for i := range queued {
		queued[i] = make(map[uint32]proto.KeyEvent)
	}
	buf := make([]byte, 1024)
	deadline := time.Now().Add(waitLimit)
	next := [2]uint32{from, from} // count_i per port (§3.4)
	for c := from; c < to; c++ {
		for p := range uint8(2) {
			if p == g.slot {
				if err := g.sendUDP(proto.KeyInfoClient{Player: p, Count: c, Keys: testKeys(p, c), Plugin: proto.PluginNone}); err != nil {
					return err
				}
			}
			// get_input: drain what arrived, send one type 2 with the
			// number queued, then wait for the event, resending every 5 ms.
			if err := g.drainUDP(&next, &queued, res); err != nil {
				return err
			}
			for first := true; ; first = false {
				if e, ok := queued[p][c]; ok && !first {
					delete(queued[p], c)
					next[p] = c + 1
					res.streams[p] = append(res.streams[p], e)
					break
				}
				if time.Now().After(deadline) {
					return fmt.Errorf("player %d: no event %d for port %d", g.slot+1, c, p)
				}
				req := proto.RequestKeyInfo{Player: p, RegID: g.regID, Count: c, Buffered: uint8(len(queued[p]))}
				if err := g.sendUDP(req); err != nil {
					return err
				}
				if _, ok := queued[p][c]; ok {
					continue
				}
				g.udp.SetReadDeadline(time.Now().Add(5 * time.Millisecond))
				for {
					n, err := g.udp.Read(buf)
					if err != nil {
						if errors.Is(err, os.ErrDeadlineExceeded) {
							break // resend
						}
						return err
					}
					if err := queue(buf[:n], &next, &queued, res); err != nil {
						return err
					}
					if _, ok := queued[p][c]; ok {
						break
					}
				}
			}
		}
		if step != nil {
			step()
		}
	}
	return nil
}

// queue adds the events of a server datagram to the queues (§3.4 step 1:
// events from the port's count_i on that are not queued yet).
func queue(b []byte, next *[2]uint32, queued *[2]map[uint32]proto.KeyEvent, res *playResult) error {
	k, err := proto.DecodeKeyInfoServer(b)
	if err != nil {
		return fmt.Errorf("server sent %x: %v", b, err)
	}
	res.status |= k.Status
	if k.Player > 1 {
		return fmt.Errorf("events for player %d", k.Player)
	}
	for _, e := range k.Events {
		if e.Count >= next[k.Player] {
			if old, ok := queued[k.Player][e.Count]; ok && old != e {
				return fmt.Errorf("event %d of port %d changed from %+v to %+v", e.Count, k.Player, old, e)
			}
			queued[k.Player][e.Count] = e
		}
	}
	return nil
}

// drainUDP queues every datagram already received.
func (g *gameClient) drainUDP(next *[2]uint32, queued *[2]map[uint32]proto.KeyEvent, res *playResult) error {
	buf := make([]byte, 1024)
	for {
		// A deadline already past fails without reading: give it 50 µs.
		g.udp.SetReadDeadline(time.Now().Add(50 * time.Microsecond))
		n, err := g.udp.Read(buf)
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return nil
			}
			return err
		}
		if err := queue(buf[:n], next, queued, res); err != nil {
			return err
		}
	}
}

// playBoth runs two clients concurrently for events from..to−1.
func playBoth(t *testing.T, a, b *gameClient, from, to uint32) (ra, rb playResult) {
	t.Helper()
	ra, rb, err := playBothErr(a, b, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return ra, rb
}

// playBothErr is playBoth for goroutines other than the test's.
func playBothErr(a, b *gameClient, from, to uint32) (ra, rb playResult, err error) {
	errs := make(chan error, 2)
	ca, cb := make(chan struct{}, 1), make(chan struct{}, 1)
	stopped := make(chan struct{})
	barrier := func(mine, theirs chan struct{}) func() {
		return func() {
			select {
			case mine <- struct{}{}:
			case <-stopped: // the other failed
				return
			}
			select {
			case <-theirs:
			case <-stopped:
			}
		}
	}
	go func() { errs <- a.playStep(from, to, &ra, barrier(ca, cb)) }()
	go func() { errs <- b.playStep(from, to, &rb, barrier(cb, ca)) }()
	for range 2 {
		if e := <-errs; e != nil && err == nil {
			err = e
			close(stopped) // release the other from the barrier
		}
	}
	return ra, rb, err
}

// checkStreams checks that both clients played identical events, in
// order, each carrying an input its owner sent, in the order sent.
func checkStreams(t *testing.T, ra, rb playResult, from, to uint32) {
	t.Helper()
	for p := range 2 {
		sa, sb := ra.streams[p], rb.streams[p]
		if len(sa) != int(to-from) || len(sb) != len(sa) {
			t.Fatalf("port %d: %d and %d events, want %d", p, len(sa), len(sb), to-from)
		}
		lastInput := -1
		for i := range sa {
			if sa[i] != sb[i] {
				t.Fatalf("port %d event %d: P1 played %+v, P2 played %+v", p, i, sa[i], sb[i])
			}
			e := sa[i]
			if e.Count != from+uint32(i) {
				t.Fatalf("port %d: event %d is %+v", p, i, e)
			}
			if e.Keys == 0 {
				continue // neutral keys, with the registered plugin, before the first input
			}
			if e.Plugin != proto.PluginNone {
				t.Fatalf("port %d: event %d has plugin %v, not the one sent", p, i, e.Plugin)
			}
			if e.Keys.X() != int8(p+1) || e.Keys.Reserved() != 0 || e.Keys.Y() != 0 {
				t.Fatalf("port %d event %d carries foreign keys %v", p, e.Count, e.Keys)
			}
			in := int(e.Keys.Buttons())
			if in < lastInput || in > int(e.Count) {
				t.Fatalf("port %d event %d carries input %d after input %d", p, e.Count, in, lastInput)
			}
			lastInput = in
		}
		// Inputs reach the stream within the buffer (B ≤ 30 events).
		if to-from >= 100 && lastInput < int(to)-40 {
			t.Fatalf("port %d: the last input played is %d of %d", p, lastInput, to)
		}
	}
}

// setupGame runs the lobby and the boot sequence of §1 for two players
// and returns their lobby and game clients, the table sent.
func setupGame(t *testing.T, ts *testServer) (wa, wb *wsClient, a, b *gameClient, port int) {
	t.Helper()
	wa, wb = dialLobby(t, ts.addr), dialLobby(t, ts.addr)
	port = wa.createRoom("room", "alice")
	wb.sendJSON(joinReq(port, "bob"))
	if m := wb.expect(proto.TypeReplyJoinRoom); m.Accept != proto.Accepted {
		t.Fatalf("join: %+v", m)
	}
	wa.sendJSON(portReq(proto.TypeRequestBeginGame, port))
	for _, w := range []*wsClient{wa, wb} {
		if m := w.expect(proto.TypeReplyBeginGame); m.Accept != proto.Accepted {
			t.Fatalf("begin: %+v", m)
		}
	}
	a, b = dialGame(t, port), dialGame(t, port)
	if r := a.register(0, proto.PluginNone, 0x12345671); !r.OK {
		t.Fatalf("register P1: %+v", r)
	}
	if r := b.register(1, proto.PluginNone, 0x9ABCDEF2); !r.OK {
		t.Fatalf("register P2: %+v", r)
	}
	a.table()
	b.table()
	return
}
