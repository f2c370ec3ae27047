package server

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/n64go/n64/netplay/proto"
)

// The status page follows a scripted game: the counts are those of the
// datagrams the clients sent and received, a forced desync shows, and the
// password never appears.
func TestStatusPage(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.StatusAddr = "127.0.0.1:0" })
	if rooms := getStatus[struct{ Rooms []RoomStatus }](t, ts, "/rooms", http.StatusOK); len(rooms.Rooms) != 0 {
		t.Fatalf("rooms before any was created: %+v", rooms)
	}
	const password = "hunter2-secret"
	wa, wb := dialLobby(t, ts.addr), dialLobby(t, ts.addr)
	create := createReq("room", "alice")
	create.Room.Password = password
	wa.sendJSON(create)
	port := wa.expect(proto.TypeReplyCreateRoom).Room.Port
	join := joinReq(port, "bob")
	join.Room.Password = password
	wb.sendJSON(join)
	if m := wb.expect(proto.TypeReplyJoinRoom); m.Accept != proto.Accepted {
		t.Fatalf("join: %+v", m)
	}
	path := "/rooms/" + strconv.Itoa(port)
	body, _ := getStatusRaw(t, ts, "/rooms")
	if strings.Contains(string(body), password) || strings.Contains(string(body), "password") {
		t.Fatalf("the status page shows the password:\n%s", body)
	}
	rs := getStatus[RoomStatus](t, ts, path, http.StatusOK)
	if rs.Port != port || rs.Name != "room" || !rs.Protected || rs.Running || rs.Started != nil ||
		rs.Players[0].Name != "alice" || rs.Players[1].Name != "bob" || !rs.Players[1].InLobby || rs.Players[2].Name != "" ||
		rs.Features["cheats"] != "{}" || rs.DelayMode != "auto" {
		t.Fatalf("room before the start: %+v", rs)
	}

	wa.sendJSON(portReq(proto.TypeRequestBeginGame, port))
	wa.expect(proto.TypeReplyBeginGame)
	a, b := dialGame(t, port), dialGame(t, port)
	a.register(0, proto.PluginNone, 0x0A000001)
	b.register(1, proto.PluginRumblePak, 0x0B000002)
	a.table()
	b.table()
	rs = getStatus[RoomStatus](t, ts, path, http.StatusOK)
	if !rs.Running || rs.Started == nil || !rs.Players[0].Registered || rs.Players[1].Plugin != uint8(proto.PluginRumblePak) ||
		rs.Players[2].Registered || rs.Packets.Received != 0 || rs.BufferTarget != 1 || rs.Players[0].BufferSize != proto.InitialBufferSize {
		t.Fatalf("room after registration: %+v", rs)
	}

	// Alice sends 5 inputs and 10 requests, Bob 3 and 4. Each client's
	// last datagram is a request whose reply it waits for, so the server
	// has handled everything before the page is read.
	for c := range uint32(5) {
		a.sendUDP(proto.KeyInfoClient{Player: 0, Count: c, Keys: 1, Plugin: proto.PluginNone})
	}
	for c := range uint32(10) {
		a.ask(c, 2)
	}
	for c := range uint32(3) {
		b.sendUDP(proto.KeyInfoClient{Player: 1, Count: c, Keys: 2, Plugin: proto.PluginRumblePak})
	}
	for c := range uint32(4) {
		b.ask(c, 1)
	}
	rs = getStatus[RoomStatus](t, ts, path, http.StatusOK)
	pa, pb := rs.Players[0], rs.Players[1]
	if rs.Packets.Received != 22 || rs.Packets.Dropped != 0 || rs.Packets.Replies != 14 ||
		pa.KeyInfo != 5 || pa.Requests != 10 || pa.Replies != 10 || pa.Lag != 0 || pa.Buffered != 2 ||
		pb.KeyInfo != 3 || pb.Requests != 4 || pb.Replies != 4 || pb.Lag != 9-3 || pb.Buffered != 1 ||
		pa.EventsDecided != 9+proto.InitialBufferSize || rs.Desyncs != 0 || rs.Status != 0 {
		t.Fatalf("after play: %+v", rs)
	}
	// Every type 0 whose count is decided is pushed to both clients: the
	// first five were sent before anything was decided, so none was.
	if rs.Packets.Pushes != 0 {
		t.Fatalf("pushes %d, want 0", rs.Packets.Pushes)
	}

	// A forced desync: the two clients report different CP0 for VI 600;
	// a request with a reg_id nobody registered is dropped.
	sa, sb := syncPacket(600, 1), syncPacket(600, 2)
	a.sendUDP(sa)
	b.sendUDP(sb)
	stranger, err := net.DialUDP("udp", nil, a.udp.RemoteAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer stranger.Close()
	stranger.Write(marshal(t, proto.RequestKeyInfo{Player: 0, RegID: 0xDEAD, Count: 1}))
	a.sendUDP(proto.KeyInfoClient{Player: 0, Count: 9, Keys: 3, Plugin: proto.PluginNone}) // 9 is decided: pushed
	if k := b.ask(4, 1); k.Status&proto.StatusDesync == 0 {
		t.Fatalf("status byte %#x after a desync", k.Status)
	}
	rs2 := getStatus[RoomStatus](t, ts, path, http.StatusOK)
	if rs2.Desyncs != 1 || rs2.Status&uint8(proto.StatusDesync) == 0 || rs2.Packets.Dropped != 1 ||
		rs2.Packets.Received != rs.Packets.Received+5 || rs2.Players[0].SyncData != 1 || rs2.Players[1].SyncData != 1 ||
		rs2.Players[0].KeyInfo != 6 || rs2.Packets.Pushes != 2 || rs2.Players[1].Requests != 5 {
		t.Fatalf("after a desync: %+v", rs2)
	}

	list := getStatus[struct{ Rooms []RoomStatus }](t, ts, "/rooms", http.StatusOK)
	if len(list.Rooms) != 1 || list.Rooms[0].Port != port || list.Rooms[0].Desyncs != 1 {
		t.Fatalf("room list: %+v", list)
	}
	getStatus[RoomStatus](t, ts, "/rooms/"+strconv.Itoa(port+1), http.StatusNotFound)
	getStatus[RoomStatus](t, ts, "/rooms/abc", http.StatusBadRequest)
	getStatus[RoomStatus](t, ts, "/", http.StatusNotFound)
}
