package server

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/n64go/n64/netplay/proto"
)

// The whole life of a game over loopback (§1): lobby, registration,
// settings, saves and custom data, the table, a few hundred input events
// per port with both players playing identical streams, a desync, the
// disconnect notices and the room closing at once.
func TestGameEndToEnd(t *testing.T) {
	ts := startServer(t, func(c *Config) {
		c.MaxRooms = 1
		c.BufferInterval = 20 * time.Millisecond
	})
	wa, wb := dialLobby(t, ts.addr), dialLobby(t, ts.addr)

	// Lobby (§4).
	port := wa.createRoom("friends", "alice")
	wb.sendJSON(request{Type: proto.TypeRequestGetRooms, NetplayVersion: proto.APIVersion, Emulator: "n64"})
	rooms := wb.expect(proto.TypeReplyGetRooms)
	if rooms.Accept != 0 || len(rooms.Rooms) != 1 || rooms.Rooms[0].Port != port || rooms.Rooms[0].RoomName != "friends" ||
		rooms.Rooms[0].Protected || rooms.Rooms[0].MD5 != testMD5 || rooms.Rooms[0].Features["cheats"] != "{}" {
		t.Fatalf("rooms %+v", rooms)
	}
	wb.sendJSON(joinReq(port, "bob"))
	if m := wb.expect(proto.TypeReplyJoinRoom); m.Accept != 0 || m.Room.Port != port || m.PlayerName != "bob" {
		t.Fatalf("join %+v", m)
	}
	wb.sendJSON(portReq(proto.TypeRequestPlayers, port))
	for _, w := range []*wsClient{wa, wb} {
		if m := w.expect(proto.TypeReplyPlayers); !slices.Equal(m.PlayerNames, []string{"alice", "bob", "", ""}) {
			t.Fatalf("players %q", m.PlayerNames)
		}
	}
	// Chat carries the member's name, not the one claimed (§6 Q12).
	wb.sendJSON(request{Type: proto.TypeRequestChatMessage, PlayerName: "mallory", Message: "hi", Room: &room{Port: port}})
	for _, w := range []*wsClient{wa, wb} {
		if m := w.expect(proto.TypeReplyChatMessage); m.Message != "bob: hi" {
			t.Fatalf("chat %q", m.Message)
		}
	}
	wa.sendJSON(portReq(proto.TypeRequestBeginGame, port))
	for _, w := range []*wsClient{wa, wb} {
		if m := w.expect(proto.TypeReplyBeginGame); m.Accept != 0 {
			t.Fatalf("begin %+v", m)
		}
	}
	wb.sendJSON(request{Type: proto.TypeRequestGetRooms, NetplayVersion: proto.APIVersion, Emulator: "n64"})
	if m := wb.expect(proto.TypeReplyGetRooms); len(m.Rooms) != 0 {
		t.Fatalf("a running room is listed: %+v", m.Rooms)
	}

	// Boot (§2): P2 asks first, so its requests wait for P1's uploads.
	a, b := dialGame(t, port), dialGame(t, port)
	// T is 1: every member is on loopback (§2.1; [G64] would send 2).
	if r := a.register(0, proto.PluginMempak, 0x12345671); r != (proto.RegisterReply{OK: true, BufferTarget: 1}) {
		t.Fatalf("register P1: %+v", r)
	}
	b.send(proto.RegisterPlayer{Slot: 1, Plugin: proto.PluginMempak, RegID: 0x9ABCDEF2})
	if reply := make([]byte, 2); mustRead(t, b, reply) && !bytes.Equal(reply, hx("01 01")) {
		t.Fatalf("register P2 reply %x, want 01 01", reply)
	}
	b.regID, b.slot = 0x9ABCDEF2, 1
	settings := proto.Settings{CountPerOp: 2, CountPerOpDenomPot: 1, SIDMADuration: 0x900, EmuMode: 2}
	var saves [4][]byte
	for i, s := range proto.BootSaves {
		saves[i] = make([]byte, s.Size)
		rand.Read(saves[i])
	}
	rtc := hx("00000008 0000000065A0B0C0")[4:]
	received := make(chan error, 1)
	go func() {
		received <- func() error {
			b.send(proto.ReceiveSettings{})
			got, err := proto.ReadSettings(b.br)
			if err != nil || got != settings {
				return errors.New("settings differ")
			}
			for i, s := range proto.BootSaves {
				b.send(proto.ReceiveSave{Name: s.Name})
				if got, err := proto.ReadSaveReply(b.br, s.Size); err != nil || !bytes.Equal(got, saves[i]) {
					return errors.New("save " + s.Name + " differs")
				}
			}
			b.send(proto.ReceiveSaveWithSize{Name: proto.SaveEEPROM})
			if got, err := proto.ReadSaveWithSizeReply(b.br); err != nil || !bytes.Equal(got, saves[1]) {
				return errors.New("RECEIVE_SAVE_WITH_SIZE differs")
			}
			b.send(proto.ReceiveCustom{Slot: 0})
			if got, err := proto.ReadCustomReply(b.br, len(rtc)); err != nil || !bytes.Equal(got, rtc) {
				return errors.New("custom data differs")
			}
			return nil
		}()
	}()
	a.send(proto.SendSettings{Settings: settings})
	for i, s := range proto.BootSaves {
		a.send(proto.SendSave{Name: s.Name, Data: saves[i]})
	}
	a.send(proto.SendCustom{Slot: 0, Data: rtc})
	if err := <-received; err != nil {
		t.Fatal(err)
	}
	// §2.4: slot 1's mempak became none (1).
	wantTable := hx("12345671 02 00 | 9ABCDEF2 01 00 | 000000000000 | 000000000000")
	for _, g := range []*gameClient{a, b} {
		if tab := g.table(); !bytes.Equal(marshal(t, tab), wantTable) {
			t.Fatalf("table %x, want %x", marshal(t, tab), wantTable)
		}
	}

	// Play (§3): identical sync data at VI 0, then 300 events per port.
	for _, g := range []*gameClient{a, b} {
		if err := g.sendUDP(syncPacket(0, 1000)); err != nil {
			t.Fatal(err)
		}
	}
	ra, rb := playBoth(t, a, b, 0, 300)
	checkStreams(t, ra, rb, 0, 300)
	if ra.status != 0 || rb.status != 0 {
		t.Fatalf("status %#x %#x during a clean game", ra.status, rb.status)
	}

	// A desync at VI 600: the next replies carry bit 0.
	a.sendUDP(syncPacket(600, 50000))
	b.sendUDP(syncPacket(600, 50001))
	ra, rb = playBoth(t, a, b, 300, 310)
	checkStreams(t, ra, rb, 300, 310)
	if ra.status != proto.StatusDesync || rb.status != proto.StatusDesync {
		t.Fatalf("status %#x %#x after a desync, want 0x01", ra.status, rb.status)
	}
	if logs := ts.logs.String(); !strings.Contains(logs, "msg=desync") || !strings.Contains(logs, "vi=600") {
		t.Fatalf("no desync log:\n%s", logs)
	}

	// End: both notices; the room closes at once and its port is free
	// for a new room on this one-room server.
	a.send(proto.DisconnectNotice{RegID: a.regID})
	b.send(proto.DisconnectNotice{RegID: b.regID})
	ts.awaitRoomClosed(t, port)
	a.expectClosed()
	wa.sendJSON(createReq("again", "alice"))
	if m := wa.expect(proto.TypeReplyCreateRoom); m.Accept != proto.Accepted {
		t.Fatalf("new room after the game: %+v", m)
	}
	for _, want := range []string{"room created", "player joined", "room started", "player registered",
		"start barrier passed", "player left", "room closed", "reason=\"every player left\""} {
		if !strings.Contains(ts.logs.String(), want) {
			t.Errorf("log lacks %q", want)
		}
	}
}

func mustRead(t *testing.T, g *gameClient, p []byte) bool {
	t.Helper()
	if _, err := io.ReadFull(g.br, p); err != nil {
		t.Fatal(err)
	}
	return true
}

// Hostile clients on TCP, UDP and the lobby disturb nobody (§6 Q5–Q7, §8).
func TestHostileClients(t *testing.T) {
	ts := startServer(t, nil)
	wa, _, a, b, port := setupGame(t, ts)
	roomAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))

	// A stranger's UDP socket on another loopback address, when the
	// system has one (Linux routes all of 127/8 to lo).
	var hostileUDP *net.UDPConn
	if u, err := net.DialUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 2)}, net.UDPAddrFromAddrPort(mustAddrPort(roomAddr))); err == nil {
		hostileUDP = u
		defer u.Close()
	} else {
		t.Logf("no second loopback address (%v): skipping forged UDP", err)
	}

	done := make(chan struct{})
	var ra, rb playResult
	var playErr error
	go func() {
		defer close(done)
		ra, rb, playErr = playBothErr(a, b, 0, 200)
	}()

	// TCP: unknown codes, a register for slot 9, an oversized save and a
	// request cut short: each closes or answers only its own connection.
	for _, tc := range []struct {
		name  string
		bytes []byte
		reply []byte // expected before the close
	}{
		{"unknown code 0", hx("00 01 02 03"), nil},
		{"unknown code 0xFF", hx("FF FF FF FF"), nil},
		{"code 9", hx("09"), nil},
		{"register slot 9, then code 200", hx("05 09 01 00 00000001 C8"), hx("00 01")},
		{"4 GiB save from a stranger", append(hx("01"), append([]byte("eep\x00"), hx("FFFFFFFF")...)...), nil},
		{"name without NUL", append(hx("02"), bytes.Repeat([]byte("a"), 300)...), nil},
		{"4 GiB custom blob", hx("41 FFFFFFFF 00"), nil},
	} {
		h := dialGame(t, port)
		if _, err := h.tcp.Write(tc.bytes); err != nil {
			t.Fatal(err)
		}
		if tc.reply != nil {
			got := make([]byte, len(tc.reply))
			h.tcp.SetReadDeadline(time.Now().Add(waitLimit))
			if _, err := io.ReadFull(h.br, got); err != nil || !bytes.Equal(got, tc.reply) {
				t.Fatalf("%s: reply %x (%v), want %x", tc.name, got, err, tc.reply)
			}
		}
		h.expectClosed()
	}
	// After the table, a free slot cannot be taken: ok = 0 (§6 "answer
	// ok = 0 instead of staying silent").
	late := dialGame(t, port)
	if r := late.register(3, proto.PluginNone, 0x77777774); r.OK {
		t.Fatal("slot 3 registered after the start")
	}

	// UDP: malformed datagrams from a player's own socket, and forged ones
	// from a stranger; nothing may come back to the stranger.
	garbage := [][]byte{{}, {0}, {2}, {4}, hx("00 04 00000000 00000000 01"), hx("02 07 12345671 00000000 00 00"),
		hx("02 00 12345671"), hx("09 09 09"), hx("01 00 00 00 01 00000000 00000000 01")}
	for _, d := range garbage {
		a.udp.Write(d)
	}
	if hostileUDP != nil {
		for c := range uint32(300) {
			hostileUDP.Write(marshal(t, proto.KeyInfoClient{Player: 0, Count: c, Keys: 0xDEADBEEF, Plugin: 1}))
			hostileUDP.Write(marshal(t, proto.KeyInfoClient{Player: 1, Count: c, Keys: 0xDEADBEEF, Plugin: 1}))
		}
		hostileUDP.Write(marshal(t, syncPacket(0, 1)))
		hostileUDP.Write(marshal(t, syncPacket(0, 2)))
		hostileUDP.Write(marshal(t, proto.RequestKeyInfo{Player: 0, RegID: 0xBADBAD, Count: 0}))
	}

	// Lobby: not HTTP, an unmasked frame, JSON garbage.
	raw, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	raw.Write([]byte("\x00\x01garbage\r\n\r\n"))
	raw.SetReadDeadline(time.Now().Add(waitLimit))
	resp, _ := io.ReadAll(raw)
	raw.Close()
	if !bytes.HasPrefix(resp, []byte("HTTP/1.1 400")) {
		t.Fatalf("garbage to the lobby: %q", resp)
	}
	wg := dialLobby(t, ts.addr)
	wg.c.Write(clientFrame(0x80|opText, []byte(`{"type":"request_motd"}`), false))
	if op, p, err := wg.readFrame(); err != nil || op != opClose || len(p) < 2 || closeCode(p) != closeProtocolError {
		t.Fatalf("unmasked frame: op %#x %x %v, want close 1002", op, p, err)
	}
	wj := dialLobby(t, ts.addr)
	for _, junk := range []string{`{`, `[1,2]`, `{"type":1}`, `{"type":"request_players"}`, `{"type":"nope"}`, "\x00"} {
		wj.writeFrame(0x80|opText, []byte(junk))
	}
	wj.writeFrame(0x80|opBinary, []byte(`{"type":"request_version"}`))
	if m := wj.recv(); m.Type != proto.TypeReplyVersion || m.Message != "git: test. api: 17" {
		t.Fatalf("after junk: %+v", m)
	}

	<-done
	if playErr != nil {
		t.Fatal(playErr)
	}
	checkStreams(t, ra, rb, 0, 200)
	for _, r := range []playResult{ra, rb} {
		if r.status != 0 {
			t.Fatalf("status %#x: forged sync data or a forged drop got through", r.status)
		}
		for _, s := range r.streams {
			for _, e := range s {
				if e.Keys == 0xDEADBEEF {
					t.Fatal("a forged input was played")
				}
			}
		}
	}
	if hostileUDP != nil {
		hostileUDP.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		if n, err := hostileUDP.Read(make([]byte, 600)); err == nil {
			t.Fatalf("the stranger received %d bytes", n)
		}
	}
	// The lobby still answers its members.
	wa.sendJSON(request{Type: proto.TypeRequestMotd})
	if m := wa.expect(proto.TypeReplyMotd); m.Accept != 0 {
		t.Fatalf("motd %+v", m)
	}
}

func mustAddrPort(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

// A player that goes silent is disconnected after LivenessTimeout: the
// other sees its status bit and its name leaves the lobby; when the last
// player goes quiet the room closes (§3.5).
func TestSilentPlayerTimedOut(t *testing.T) {
	ts := startServer(t, func(c *Config) {
		c.LivenessTimeout = 500 * time.Millisecond
		c.BufferInterval = 20 * time.Millisecond
	})
	wa, _, a, b, port := setupGame(t, ts)
	ra, rb := playBoth(t, a, b, 0, 20)
	checkStreams(t, ra, rb, 0, 20)

	// Bob stops; Alice keeps playing until the server tells her.
	var res playResult
	deadline := time.Now().Add(waitLimit)
	c := uint32(20)
	for res.status&proto.StatusDisconnected(1) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("silent player never marked disconnected")
		}
		if err := a.play(c, c+1, &res); err != nil {
			t.Fatal(err)
		}
		c++
	}
	if res.status != 0x04 {
		t.Fatalf("status %#x, want 0x04", res.status)
	}
	// Bob comes back: he may watch, read-only. (First empty his socket,
	// full of pushes, so that the kernel has room for the reply.)
	for { // (a deadline already past would not even try to read)
		b.udp.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		if _, err := b.udp.Read(make([]byte, 600)); err != nil {
			break
		}
	}
	bob := proto.RequestKeyInfo{Player: 0, RegID: b.regID, Count: c - 10}
	b.sendUDP(bob)
	b.udp.SetReadDeadline(time.Now().Add(waitLimit))
	buf := make([]byte, 600)
	for { // skip datagrams still queued from before the silence
		n, err := b.udp.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		k, err := proto.DecodeKeyInfoServer(buf[:n])
		if err != nil {
			t.Fatal(err)
		}
		if k.Player == 0 && k.Events[0].Count == c-10 && !k.Gratuitous {
			if k.Status != 0x04 || len(k.Events) < 10 {
				t.Fatalf("returning player got %+v", k)
			}
			break
		}
	}
	// Bob's held keys are released: his port's events decided from now on
	// (after the B already decided) are neutral.
	if err := a.play(c, c+40, &res); err != nil {
		t.Fatal(err)
	}
	if last := res.streams[1][len(res.streams[1])-1]; last.Keys != 0 {
		t.Fatalf("silent player's keys still held: %+v", last)
	}
	for {
		if m := wa.expect(proto.TypeReplyPlayers); slices.Equal(m.PlayerNames, []string{"alice", "", "", ""}) {
			break
		}
	}
	if !strings.Contains(ts.logs.String(), `reason="timed out"`) {
		t.Fatal("no timeout log")
	}
	// Alice stops too: the room closes.
	ts.awaitRoomClosed(t, port)
}

// §6 Q3: a member that never registers does not hang the others: after
// BarrierTimeout the table is sent without it; a late registration is
// refused with ok = 0. When player 1 leaves before sending settings, a
// waiting client is let go at once.
func TestStartBarrierTimeout(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.BarrierTimeout = 200 * time.Millisecond })
	wa, wb := dialLobby(t, ts.addr), dialLobby(t, ts.addr)
	port := wa.createRoom("r", "alice")
	wb.sendJSON(joinReq(port, "bob"))
	wb.expect(proto.TypeReplyJoinRoom)
	wa.sendJSON(portReq(proto.TypeRequestBeginGame, port))
	wa.expect(proto.TypeReplyBeginGame)
	a := dialGame(t, port)
	a.register(0, proto.PluginNone, 0x10000001)
	start := time.Now()
	tab := a.table()
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Fatalf("table after %v, before the barrier timeout", el)
	}
	want := proto.RegistrationTable{{RegID: 0x10000001, Plugin: proto.PluginNone}}
	if tab != want {
		t.Fatalf("table %+v", tab)
	}
	for {
		if m := wa.expect(proto.TypeReplyPlayers); slices.Equal(m.PlayerNames, []string{"alice", "", "", ""}) {
			break
		}
	}
	b := dialGame(t, port)
	if r := b.register(1, proto.PluginNone, 0x20000002); r.OK || r.BufferTarget != 1 {
		t.Fatalf("late registration: %+v", r)
	}
	// Bob waits for settings; Alice (player 1) leaves without sending them.
	b.send(proto.ReceiveSettings{})
	a.send(proto.DisconnectNotice{RegID: 0x10000001})
	b.expectClosed()
	ts.awaitRoomClosed(t, port)
}

// Lobby accept codes (§4 table), in the stock order.
func TestLobbyAcceptCodes(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxRooms = 3 })
	ws := make([]*wsClient, 7)
	for i := range ws {
		ws[i] = dialLobby(t, ts.addr)
	}
	// An unauthenticated socket gets no reply, then request_version works.
	ws[6].sendJSON(request{Type: proto.TypeRequestMotd})
	ws[6].sendJSON(portReq(proto.TypeRequestPlayers, 1))
	ws[6].sendJSON(request{Type: proto.TypeRequestVersion})
	if m := ws[6].recv(); m.Type != proto.TypeReplyVersion {
		t.Fatalf("first reply to an unauthenticated socket: %+v", m)
	}

	withPw := createReq("r1", "alice")
	withPw.Room.Password = "pw"
	port1 := 0
	type step struct {
		name   string
		client int
		req    func() request
		reply  string
		accept proto.Accept
	}
	mod := func(r request, f func(*request)) func() request {
		return func() request { f(&r); return r }
	}
	create := func(f func(*request)) func() request { return mod(createReq("rX", "alice"), f) }
	join := func(player string, f func(*request)) func() request {
		return func() request {
			r := joinReq(port1, player)
			r.Room.Password = "pw"
			if f != nil {
				f(&r)
			}
			return r
		}
	}
	steps := []step{
		{"create without room", 0, create(func(r *request) { r.Room = nil }), proto.TypeReplyCreateRoom, proto.BadRoomName},
		{"create with API 16", 0, create(func(r *request) { r.NetplayVersion = 16 }), proto.TypeReplyCreateRoom, proto.MismatchVersion},
		{"create without emulator", 0, create(func(r *request) { r.Emulator = "" }), proto.TypeReplyCreateRoom, proto.BadEmulator},
		{"create without room name", 0, create(func(r *request) { r.Room.RoomName = "" }), proto.TypeReplyCreateRoom, proto.BadName},
		{"create without player name", 0, create(func(r *request) { r.PlayerName = "" }), proto.TypeReplyCreateRoom, proto.BadName},
		{"create with a control character", 0, create(func(r *request) { r.PlayerName = "a\nb" }), proto.TypeReplyCreateRoom, proto.BadName},
		{"create r1", 0, func() request { return withPw }, proto.TypeReplyCreateRoom, proto.Accepted},
		{"create r1 again", 1, mod(createReq("r1", "zed"), func(*request) {}), proto.TypeReplyCreateRoom, proto.DuplicateName},
		{"join unknown port", 1, mod(joinReq(1, "bob"), func(*request) {}), proto.TypeReplyJoinRoom, proto.RoomDeleted},
		{"join without password", 1, join("bob", func(r *request) { r.Room.Password = "" }), proto.TypeReplyJoinRoom, proto.BadPassword},
		{"join with a wrong password", 1, join("bob", func(r *request) { r.Room.Password = "pW" }), proto.TypeReplyJoinRoom, proto.BadPassword},
		{"join with a longer password", 1, join("bob", func(r *request) { r.Room.Password = "pw " }), proto.TypeReplyJoinRoom, proto.BadPassword},
		{"join other build", 1, join("bob", func(r *request) { r.ClientSHA = "other" }), proto.TypeReplyJoinRoom, proto.MismatchVersion},
		{"join other ROM", 1, join("bob", func(r *request) { r.Room.MD5 = strings.Repeat("F", 32) }), proto.TypeReplyJoinRoom, proto.MismatchVersion},
		{"join without name", 1, join("", nil), proto.TypeReplyJoinRoom, proto.BadName},
		{"join with a taken name", 1, join("alice", nil), proto.TypeReplyJoinRoom, proto.DuplicateName},
		{"join bob", 1, join("bob", nil), proto.TypeReplyJoinRoom, proto.Accepted},
		{"join carol", 2, join("carol", nil), proto.TypeReplyJoinRoom, proto.Accepted},
		{"join dave", 3, join("dave", nil), proto.TypeReplyJoinRoom, proto.Accepted},
		{"join a full room", 4, join("erin", nil), proto.TypeReplyJoinRoom, proto.RoomFull},
		{"edit by a joiner", 1, func() request {
			return request{Type: proto.TypeRequestEditRoom, Room: &room{Port: port1, RoomName: "r1", MD5: testMD5}}
		}, proto.TypeReplyEditRoom, proto.BadPlayer},
		{"edit another name", 0, func() request {
			return request{Type: proto.TypeRequestEditRoom, Room: &room{Port: port1, RoomName: "r9", MD5: testMD5}}
		}, proto.TypeReplyEditRoom, proto.BadRoomName},
		{"edit unknown port", 0, func() request {
			return request{Type: proto.TypeRequestEditRoom, Room: &room{Port: 1, RoomName: "r1"}}
		}, proto.TypeReplyEditRoom, proto.BadRoomName},
		{"edit", 0, func() request {
			return request{Type: proto.TypeRequestEditRoom, Room: &room{Port: port1, RoomName: "r1", MD5: testMD5, GameName: "MARIOKART64"}}
		}, proto.TypeReplyEditRoom, proto.Accepted},
		{"begin by a joiner", 2, func() request { return portReq(proto.TypeRequestBeginGame, port1) }, proto.TypeReplyBeginGame, proto.BadPlayer},
		{"begin", 0, func() request { return portReq(proto.TypeRequestBeginGame, port1) }, proto.TypeReplyBeginGame, proto.Accepted},
		{"begin again", 0, func() request { return portReq(proto.TypeRequestBeginGame, port1) }, proto.TypeReplyBeginGame, proto.BadGameState},
		{"edit a running room", 0, func() request {
			return request{Type: proto.TypeRequestEditRoom, Room: &room{Port: port1, RoomName: "r1", MD5: testMD5}}
		}, proto.TypeReplyEditRoom, proto.BadGameState},
		{"get rooms with API 16", 4, func() request {
			return request{Type: proto.TypeRequestGetRooms, NetplayVersion: 16, Emulator: "n64"}
		}, proto.TypeReplyGetRooms, proto.MismatchVersion},
		{"create r2", 4, mod(createReq("r2", "erin"), func(*request) {}), proto.TypeReplyCreateRoom, proto.Accepted},
		{"create r3 for another emulator", 5, mod(createReq("r3", "finn"), func(r *request) { r.Emulator = "other" }), proto.TypeReplyCreateRoom, proto.Accepted},
		{"no fourth room", 6, mod(createReq("r4", "gus"), func(*request) {}), proto.TypeReplyCreateRoom, proto.Other},
	}
	for _, s := range steps {
		ws[s.client].sendJSON(s.req())
		m := ws[s.client].expect(s.reply)
		if m.Accept != s.accept {
			t.Fatalf("%s: accept %v (%q), want %v", s.name, m.Accept, m.Message, s.accept)
		}
		if s.name == "create r1" {
			port1 = m.Room.Port
			if !m.Room.Protected {
				t.Fatal("room with a password not protected")
			}
		}
	}
	// The edit reached the members in the lobby.
	if m := ws[3].expect(proto.TypeReplyEditRoom); m.Room.GameName != "MARIOKART64" {
		t.Fatalf("edit broadcast %+v", m)
	}
	// get_rooms lists rooms not running, of the same emulator.
	ws[6].sendJSON(request{Type: proto.TypeRequestGetRooms, NetplayVersion: proto.APIVersion, Emulator: "n64"})
	if m := ws[6].expect(proto.TypeReplyGetRooms); len(m.Rooms) != 1 || m.Rooms[0].RoomName != "r2" {
		t.Fatalf("rooms %+v", m.Rooms)
	}
	// Joining a running room that has space: 11.
	ws[4].sendJSON(portReq(proto.TypeRequestBeginGame, ws4Port(t, ts, "r2")))
	ws[4].expect(proto.TypeReplyBeginGame)
	ws[6].sendJSON(joinReq(ws4Port(t, ts, "r2"), "hal"))
	if m := ws[6].expect(proto.TypeReplyJoinRoom); m.Accept != proto.BadGameState {
		t.Fatalf("join a running room: %+v", m)
	}
	// The creator leaves a room before the start: the next joiner takes
	// slot 0 and the creator's rights (§4).
	r3 := ws4Port(t, ts, "r3")
	joinR3 := func(w *wsClient, name string) {
		j := joinReq(r3, name)
		j.Emulator = "other"
		w.sendJSON(j)
		if m := w.expect(proto.TypeReplyJoinRoom); m.Accept != proto.Accepted {
			t.Fatalf("join r3: %+v", m)
		}
	}
	ivy, jay := dialLobby(t, ts.addr), dialLobby(t, ts.addr)
	joinR3(ivy, "ivy")
	ws[5].c.Close()
	for {
		if m := ivy.expect(proto.TypeReplyPlayers); slices.Equal(m.PlayerNames, []string{"", "ivy", "", ""}) {
			break
		}
	}
	joinR3(jay, "jay")
	ivy.sendJSON(portReq(proto.TypeRequestBeginGame, r3))
	if m := ivy.expect(proto.TypeReplyBeginGame); m.Accept != proto.BadPlayer {
		t.Fatalf("begin by slot 1: %+v", m)
	}
	jay.sendJSON(request{Type: proto.TypeRequestPlayers, Room: &room{Port: r3}})
	if m := jay.expect(proto.TypeReplyPlayers); !slices.Equal(m.PlayerNames, []string{"jay", "ivy", "", ""}) {
		t.Fatalf("players %q: jay should have slot 0", m.PlayerNames)
	}
	// Everybody leaves: the room is deleted with its port.
	ivy.c.Close()
	jay.c.Close()
	ts.awaitRoomClosed(t, r3)
	w8 := dialLobby(t, ts.addr)
	w8.sendJSON(joinReq(r3, "kim"))
	if m := w8.expect(proto.TypeReplyJoinRoom); m.Accept != proto.RoomDeleted {
		t.Fatalf("join a deleted room: %+v", m)
	}
}

// ws4Port finds a room's port by name.
func ws4Port(t *testing.T, ts *testServer, name string) int {
	t.Helper()
	ts.lobby.mu.Lock()
	defer ts.lobby.mu.Unlock()
	if lr := ts.lobby.rooms[name]; lr != nil {
		return lr.port
	}
	return 1 // no such room: a port no room has
}

// §4 "Authentication": SHA-256(authTime ‖ secret), ±15 min.
func TestLobbyAuth(t *testing.T) {
	ts := startServer(t, func(c *Config) {
		c.EnableAuth = true
		c.AuthSecret = func(e string) string {
			if e == "n64" {
				return "s3cret"
			}
			return ""
		}
	})
	w := dialLobby(t, ts.addr)
	now := proto.AuthTime(time.Now())
	stale := proto.AuthTime(time.Now().Add(-20 * time.Minute))
	for _, tc := range []struct {
		name     string
		emulator string
		time     string
		auth     string
		want     proto.Accept
	}{
		{"no auth", "n64", "", "", proto.BadAuth},
		{"wrong secret", "n64", now, proto.ComputeAuth(now, "guess"), proto.BadAuth},
		{"stale time", "n64", stale, proto.ComputeAuth(stale, "s3cret"), proto.BadAuth},
		{"emulator without secret", "rmg", now, proto.ComputeAuth(now, ""), proto.BadAuth},
		{"good", "n64", now, proto.ComputeAuth(now, "s3cret"), proto.Accepted},
	} {
		w.sendJSON(request{Type: proto.TypeRequestGetRooms, NetplayVersion: proto.APIVersion, Emulator: tc.emulator,
			AuthTime: tc.time, Auth: tc.auth})
		if m := w.expect(proto.TypeReplyGetRooms); m.Accept != tc.want {
			t.Errorf("%s: accept %v, want %v", tc.name, m.Accept, tc.want)
		}
	}
	// An authenticated socket may ask for the MOTD and ping.
	w.sendJSON(request{Type: proto.TypeRequestPing})
	if m := w.expect(proto.TypeReplyPing); m.Message == "" {
		t.Fatalf("ping %+v", m)
	}
}

// LAN discovery (§4): 0x01 is answered with the lobby URL, anything else
// is ignored.
func TestDiscovery(t *testing.T) {
	ts := startServer(t, func(c *Config) {
		c.LAN = true
		c.Name = "friends"
		c.DiscoveryAddr = "127.0.0.1:0"
	})
	c, err := net.DialUDP("udp4", nil, ts.DiscoveryAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte{0x02})
	c.Write(proto.DiscoveryRequest())
	c.SetReadDeadline(time.Now().Add(waitLimit))
	buf := make([]byte, 1024)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	got, err := proto.DecodeDiscoveryReply(buf[:n])
	if err != nil {
		t.Fatal(err)
	}
	if want := "ws://" + ts.addr; len(got) != 1 || got["friends"] != want {
		t.Fatalf("discovery %v, want friends → %s", got, want)
	}
	c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if n, err := c.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("second reply %q %v: 0x02 was answered", buf[:n], err)
	}
}

// Cancelling the context closes the lobby, the rooms and their
// connections, and Serve returns nil.
func TestShutdown(t *testing.T) {
	ts := startServer(t, nil)
	w := dialLobby(t, ts.addr)
	port := w.createRoom("r", "alice")
	g := dialGame(t, port)
	g.register(0, proto.PluginNone, 1)
	g.send(proto.ReceiveSettings{}) // waits
	ts.stop(t)
	ts.awaitRoomClosed(t, port)
	g.expectClosed()
	for {
		op, p, err := w.readFrame()
		if err != nil {
			break // closed
		}
		if op == opClose {
			if closeCode(p) != closeGoingAway {
				t.Fatalf("close code %d", closeCode(p))
			}
			break
		}
	}
	if _, err := net.DialTimeout("tcp", ts.addr, time.Second); err == nil {
		t.Fatal("lobby still accepts connections")
	}
}

func TestConfigValidation(t *testing.T) {
	for _, c := range []Config{{Port: -1}, {Port: 65530, MaxRooms: 10}, {BufferTarget: 256}, {MaxMessageSize: 2 << 20}} {
		if _, err := New(c); err == nil {
			t.Errorf("New(%+v) accepted", c)
		}
	}
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if s.cfg.MaxRooms != 10 || s.cfg.DiscoveryAddr != ":45000" || s.cfg.LivenessTimeout != 30*time.Second {
		t.Fatalf("defaults %+v", s.cfg)
	}
}
