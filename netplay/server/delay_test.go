package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/n64go/n64/netplay/proto"
)

// DelayForRTT against the seed's Kaillera/EmuLinker table for the LAN
// connection type (one packet per frame): ping 0–16 ms → 1 frame of delay,
// 17–33 → 2, 34–49 → 3, 50–66 → 4.
func TestDelayForRTT(t *testing.T) {
	tests := []struct {
		ms   int
		want int
	}{
		{0, 1}, {16, 1}, {17, 2}, {33, 2}, {34, 3}, {49, 3}, {50, 4}, {66, 4},
		{1000, 30}, // 61 frames, capped at the largest B
		{-5, 1},    // a clock step cannot make it negative
	}
	for _, tc := range tests {
		if got := DelayForRTT(time.Duration(tc.ms)*time.Millisecond, 30); got != tc.want {
			t.Errorf("DelayForRTT(%d ms) = %d, want %d", tc.ms, got, tc.want)
		}
	}
	// Sub-millisecond parts do not push a 16 ms ping into the next frame.
	if got := DelayForRTT(16*time.Millisecond+900*time.Microsecond, 30); got != 1 {
		t.Errorf("DelayForRTT(16.9 ms) = %d, want 1", got)
	}
}

func TestParseInputDelay(t *testing.T) {
	tests := []struct {
		in   string
		want InputDelay
		ok   bool
	}{
		{"auto", InputDelay{Mode: DelayAuto}, true},
		{"ping", InputDelay{Mode: DelayPing}, true},
		{"4", InputDelay{Mode: DelayFixed, Events: 4}, true},
		{"0", InputDelay{}, false},
		{"-1", InputDelay{}, false},
		{"fixed", InputDelay{}, false},
		{"", InputDelay{}, false},
	}
	for _, tc := range tests {
		got, err := ParseInputDelay(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseInputDelay(%q) = %+v, %v", tc.in, got, err)
		}
	}
}

func TestDelayFromFeatures(t *testing.T) {
	tests := []struct {
		name string
		f    map[string]string
		want InputDelay
		ok   bool
		err  bool
	}{
		{"none", map[string]string{"cheats": "{}"}, InputDelay{}, false, false},
		{"nil", nil, InputDelay{}, false, false},
		{"auto", map[string]string{"input_delay_mode": "auto"}, InputDelay{Mode: DelayAuto}, true, false},
		{"ping", map[string]string{"input_delay_mode": "ping"}, InputDelay{Mode: DelayPing}, true, false},
		{"fixed", map[string]string{"input_delay_mode": "fixed", "input_delay": "6"}, InputDelay{Mode: DelayFixed, Events: 6}, true, false},
		{"events alone", map[string]string{"input_delay": "2"}, InputDelay{Mode: DelayFixed, Events: 2}, true, false},
		{"ping ignores events", map[string]string{"input_delay_mode": "ping", "input_delay": "9"}, InputDelay{Mode: DelayPing}, true, false},
		{"fixed without events", map[string]string{"input_delay_mode": "fixed"}, InputDelay{}, false, true},
		{"zero", map[string]string{"input_delay": "0"}, InputDelay{}, false, true},
		{"over the largest B", map[string]string{"input_delay": "31"}, InputDelay{}, false, true},
		{"largest B", map[string]string{"input_delay": "30"}, InputDelay{Mode: DelayFixed, Events: 30}, true, false},
		{"unknown mode", map[string]string{"input_delay_mode": "golf"}, InputDelay{}, false, true},
	}
	for _, tc := range tests {
		got, ok, err := delayFromFeatures(tc.f, 30)
		if got != tc.want || ok != tc.ok || (err != nil) != tc.err {
			t.Errorf("%s: got %+v, %v, %v", tc.name, got, ok, err)
		}
	}
}

// delayGame is a started two-player room: the lobby sockets, the game
// clients, the register replies and the room object of the create reply.
type delayGame struct {
	wa, wb   *wsClient
	a, b     *gameClient
	port     int
	ra, rb   proto.RegisterReply
	features map[string]string // as the create reply showed them
}

func startDelayGame(t *testing.T, ts *testServer, features map[string]string) *delayGame {
	t.Helper()
	g := &delayGame{wa: dialLobby(t, ts.addr), wb: dialLobby(t, ts.addr)}
	req := createReq("room", "alice")
	req.Room.Features = features
	g.wa.sendJSON(req)
	m := g.wa.expect(proto.TypeReplyCreateRoom)
	if m.Accept != proto.Accepted || m.Room == nil {
		t.Fatalf("create: %+v", m)
	}
	g.port, g.features = m.Room.Port, m.Room.Features
	g.wb.sendJSON(joinReq(g.port, "bob"))
	if m := g.wb.expect(proto.TypeReplyJoinRoom); m.Accept != proto.Accepted {
		t.Fatalf("join: %+v", m)
	}
	if features[proto.FeatureInputDelayMode] == "ping" {
		// A round trip measured before the start: the pong travels on
		// the socket that then sends begin_game, so it counts.
		g.wa.pongSlowly(0, 1)
	}
	g.wa.sendJSON(portReq(proto.TypeRequestBeginGame, g.port))
	g.wa.expect(proto.TypeReplyBeginGame)
	g.a, g.b = dialGame(t, g.port), dialGame(t, g.port)
	g.ra = g.a.register(0, proto.PluginNone, 0x0A000001)
	g.rb = g.b.register(1, proto.PluginNone, 0x0B000002)
	g.a.table()
	g.b.table()
	return g
}

// ask sends one type 2 for port 0 and returns the type 1 answering it
// (type 3 pushes are skipped).
func (g *gameClient) ask(count uint32, buffered uint8) proto.KeyInfoServer {
	g.t.Helper()
	if err := g.sendUDP(proto.RequestKeyInfo{Player: 0, RegID: g.regID, Count: count, Buffered: buffered}); err != nil {
		g.t.Fatal(err)
	}
	buf := make([]byte, 1024)
	for {
		g.udp.SetReadDeadline(time.Now().Add(waitLimit))
		n, err := g.udp.Read(buf)
		if err != nil {
			g.t.Fatalf("no reply to the request for count %d: %v", count, err)
		}
		k, err := proto.DecodeKeyInfoServer(buf[:n])
		if err != nil {
			g.t.Fatal(err)
		}
		if !k.Gratuitous {
			return k
		}
	}
}

// The buffer target and lag bytes players receive under each delay mode,
// the features that announce the mode, and whether B then moves: P1 leads
// port 0 while reporting an empty buffer (health 0, far below T), which
// grows B at every buffer tick in auto mode and never with a fixed delay.
func TestInputDelayModes(t *testing.T) {
	tests := []struct {
		name     string
		server   InputDelay        // the server's default (n64 serve --input-delay)
		features map[string]string // the create request's
		wantT    uint8
		wantMode string
		wantB    int    // B at the start: events decided by a lead request
		wantFeat string // features["input_delay"], "" = absent
		grows    bool
	}{
		{"auto default", InputDelay{}, nil, 1, "auto", proto.InitialBufferSize, "", true},
		{"fixed by the server", InputDelay{Mode: DelayFixed, Events: 5}, nil, 5, "fixed", 5, "5", false},
		{"fixed by the room", InputDelay{}, map[string]string{"cheats": "{}", "input_delay": "4"}, 4, "fixed", 4, "4", false},
		{"room asks for auto", InputDelay{Mode: DelayFixed, Events: 5}, map[string]string{"input_delay_mode": "auto"}, 1, "auto", proto.InitialBufferSize, "", true},
		// On loopback the round trip is far below 16 ms: one event.
		{"ping by the room", InputDelay{}, map[string]string{"input_delay_mode": "ping"}, 1, "ping", 1, "1", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ts := startServer(t, func(c *Config) {
				c.InputDelay = tc.server
				c.BufferInterval = 20 * time.Millisecond
				c.RTTProbeInterval = 20 * time.Millisecond
			})
			g := startDelayGame(t, ts, tc.features)
			if g.features[proto.FeatureInputDelayMode] != tc.wantMode {
				t.Fatalf("create reply features %v, want mode %q", g.features, tc.wantMode)
			}
			if tc.features["cheats"] != "" && g.features["cheats"] != tc.features["cheats"] {
				t.Fatalf("the client's features were not kept: %v", g.features)
			}
			for _, r := range []proto.RegisterReply{g.ra, g.rb} {
				if !r.OK || r.BufferTarget != tc.wantT {
					t.Fatalf("register reply %+v, want buffer target %d", r, tc.wantT)
				}
			}
			// The status page shows the features the game started with.
			rs, _ := ts.lobby.roomStatus(g.port)
			if rs.Features[proto.FeatureInputDelay] != tc.wantFeat || rs.DelayMode != tc.wantMode {
				t.Fatalf("room features %v, mode %q; want input_delay %q", rs.Features, rs.DelayMode, tc.wantFeat)
			}
			// A lead request at count c decides c…c+B−1 (§3.2).
			for c := range uint32(10) {
				k := g.a.ask(c, tc.wantT)
				if len(k.Events) != tc.wantB || k.Lag != 0 || k.Events[0].Count != c {
					t.Fatalf("lead request %d: %d events from %d, lag %d; want %d events, lag 0",
						c, len(k.Events), k.Events[0].Count, k.Lag, tc.wantB)
				}
			}
			// P2, 7 behind the lead (9), gets lag 7 and only decided events.
			k := g.b.ask(2, 0)
			if k.Lag != 7 || len(k.Events) != 7+tc.wantB {
				t.Fatalf("lagging request: lag %d, %d events; want lag 7, %d events", k.Lag, len(k.Events), 7+tc.wantB)
			}
			// Starve P1's buffer for 10 buffer ticks.
			c := uint32(10)
			for end := time.Now().Add(200 * time.Millisecond); time.Now().Before(end); c++ {
				g.a.ask(c, 0)
				time.Sleep(2 * time.Millisecond)
			}
			got := len(g.a.ask(c, 0).Events)
			if grew := got > tc.wantB; grew != tc.grows {
				t.Fatalf("after starving, a lead request decides %d events (B was %d); growth expected: %v", got, tc.wantB, tc.grows)
			}
		})
	}
}

// pongSlowly answers n pings, each after delay, dropping other frames.
func (w *wsClient) pongSlowly(delay time.Duration, n int) {
	w.t.Helper()
	for n > 0 {
		op, p, err := w.readFrame()
		if err != nil {
			w.t.Fatalf("lobby read: %v", err)
		}
		if op == opPing {
			time.Sleep(delay)
			w.writeFrame(0x80|opPong, p)
			n--
		}
	}
}

// In ping mode the room's delay follows its slowest member: bob answers
// the server's probes 50 ms late, alice at once. The room list shows the
// proposal (seed: a 50–66 ms ping is 4 frames of delay), the game starts
// with it as T and B, and the status page shows it.
func TestPingDelay(t *testing.T) {
	ts := startServer(t, func(c *Config) {
		c.RTTProbeInterval = 100 * time.Millisecond // longer than the pong delay: probes do not queue
		c.StatusAddr = "127.0.0.1:0"
	})
	wa, wb, wc := dialLobby(t, ts.addr), dialLobby(t, ts.addr), dialLobby(t, ts.addr)
	req := createReq("room", "alice")
	req.Room.Features = map[string]string{"input_delay_mode": "ping"}
	wa.sendJSON(req)
	m := wa.expect(proto.TypeReplyCreateRoom)
	port := m.Room.Port
	if m.Room.Features[proto.FeatureInputDelayMode] != "ping" {
		t.Fatalf("create reply features %v", m.Room.Features)
	}
	wb.sendJSON(joinReq(port, "bob"))
	wb.expect(proto.TypeReplyJoinRoom)
	const slow = 50 * time.Millisecond
	wb.pongSlowly(slow, 4) // the join probe and three more: the median of bob's samples is late

	// Another client lists the rooms until the proposal reflects bob.
	var feat map[string]string
	for deadline := time.Now().Add(waitLimit); ; {
		wc.sendJSON(request{Type: proto.TypeRequestGetRooms, NetplayVersion: proto.APIVersion, Emulator: "n64"})
		rooms := wc.expect(proto.TypeReplyGetRooms).Rooms
		if len(rooms) != 1 {
			t.Fatalf("rooms %+v", rooms)
		}
		feat = rooms[0].Features
		if ms, _ := strconv.Atoi(feat[proto.FeatureInputDelayRTT]); ms >= int(slow/time.Millisecond) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("room features %v never showed bob's round trip", feat)
		}
		time.Sleep(20 * time.Millisecond)
	}
	proposed, _ := strconv.Atoi(feat[proto.FeatureInputDelay])
	rtt, _ := strconv.Atoi(feat[proto.FeatureInputDelayRTT])
	if proposed < 4 || proposed != DelayForRTT(time.Duration(rtt)*time.Millisecond, 30) {
		t.Fatalf("features %v: delay %d for %d ms, want ≥ 4 (seed: 50–66 ms → 4)", feat, proposed, rtt)
	}

	wa.sendJSON(portReq(proto.TypeRequestBeginGame, port))
	wa.expect(proto.TypeReplyBeginGame)
	status := getStatus[RoomStatus](t, ts, fmt.Sprintf("/rooms/%d", port), http.StatusOK)
	final, _ := strconv.Atoi(status.Features[proto.FeatureInputDelay])
	if final < 4 || status.DelayMode != "ping" || status.BufferTarget != final {
		t.Fatalf("started room: features %v, mode %q, T %d", status.Features, status.DelayMode, status.BufferTarget)
	}
	a, b := dialGame(t, port), dialGame(t, port)
	ra, rb := a.register(0, proto.PluginNone, 0x0A000001), b.register(1, proto.PluginNone, 0x0B000002)
	if !ra.OK || !rb.OK || int(ra.BufferTarget) != final || int(rb.BufferTarget) != final {
		t.Fatalf("register replies %+v %+v, want buffer target %d", ra, rb, final)
	}
	a.table()
	b.table()
	if k := a.ask(0, 0); len(k.Events) != final {
		t.Fatalf("a lead request decided %d events, want the delay %d", len(k.Events), final)
	}
}

// A bad delay in a create or edit request is refused with accept 12, and
// an edit without the keys keeps the mode.
func TestDelayFeatureErrors(t *testing.T) {
	ts := startServer(t, nil)
	w := dialLobby(t, ts.addr)
	req := createReq("room", "alice")
	req.Room.Features = map[string]string{"input_delay": "0"}
	w.sendJSON(req)
	if m := w.expect(proto.TypeReplyCreateRoom); m.Accept != proto.Other || m.Room != nil {
		t.Fatalf("create with input_delay 0: %+v", m)
	}
	req.Room.Features = map[string]string{"input_delay": "3"}
	w.sendJSON(req)
	m := w.expect(proto.TypeReplyCreateRoom)
	if m.Accept != proto.Accepted {
		t.Fatalf("create: %+v", m)
	}
	edit := request{Type: proto.TypeRequestEditRoom, Room: &room{Port: m.Room.Port, RoomName: "room", MD5: testMD5,
		GameName: "g", Features: map[string]string{"input_delay_mode": "sometimes"}}}
	w.sendJSON(edit)
	if m := w.expect(proto.TypeReplyEditRoom); m.Accept != proto.Other {
		t.Fatalf("edit with a bad mode: %+v", m)
	}
	edit.Room.Features = map[string]string{"cheats": "[]"}
	w.sendJSON(edit)
	m = w.expect(proto.TypeReplyEditRoom)
	want := map[string]string{"cheats": "[]", "input_delay_mode": "fixed", "input_delay": "3"}
	if m.Accept != proto.Accepted || fmt.Sprint(m.Room.Features) != fmt.Sprint(want) {
		t.Fatalf("edit without delay keys: %+v, want features %v", m, want)
	}
}

// getStatus fetches a status page path and decodes it into T.
func getStatus[T any](t *testing.T, ts *testServer, path string, wantCode int) T {
	t.Helper()
	body, code := getStatusRaw(t, ts, path)
	var v T
	if code != wantCode {
		t.Fatalf("GET %s: %d %s, want %d", path, code, body, wantCode)
	}
	if code == http.StatusOK {
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatalf("GET %s: %v\n%s", path, err, body)
		}
	}
	return v
}

func getStatusRaw(t *testing.T, ts *testServer, path string) ([]byte, int) {
	t.Helper()
	c := http.Client{Timeout: waitLimit}
	resp, err := c.Get("http://" + ts.StatusAddr().String() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal(err)
	}
	return body, resp.StatusCode
}
