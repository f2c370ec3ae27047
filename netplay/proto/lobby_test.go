package proto

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Lobby messages written by hand from §4's tables.
var lobbyMessages = []struct {
	name string
	in   string
	want LobbyMessage
}{
	// §4 request_get_rooms: netplay_version, emulator, auth, authTime.
	{"get rooms", `{"type":"request_get_rooms","netplay_version":17,"emulator":"RMG","authTime":"1700000000000","auth":"01c1c8e7fc3874e8f6751b318da0da0dd1532bdae14c48ed14fb35520fdf0e5e"}`,
		LobbyMessage{Type: TypeRequestGetRooms, NetplayVersion: 17, Emulator: "RMG", AuthTime: "1700000000000",
			Auth: "01c1c8e7fc3874e8f6751b318da0da0dd1532bdae14c48ed14fb35520fdf0e5e"}},
	// §4 reply: rooms each {room_name, game_name, MD5, port, protected, features}.
	{"rooms", `{"type":"reply_get_rooms","accept":0,"rooms":[{"room_name":"r1","game_name":"SUPER MARIO 64","MD5":"20B854B239203BAF6C961B850A4A51A2","port":45001,"protected":false,"features":null},{"room_name":"r2","game_name":"MK","MD5":"","port":45002,"protected":true,"features":{"cheats":"[]"}}]}`,
		LobbyMessage{Type: TypeReplyGetRooms, Rooms: []Room{
			{RoomName: "r1", GameName: "SUPER MARIO 64", MD5: "20B854B239203BAF6C961B850A4A51A2", Port: 45001},
			{RoomName: "r2", GameName: "MK", Port: 45002, Protected: true, Features: map[string]string{"cheats": "[]"}}}}},
	// §4: rooms left out if none.
	{"no rooms", `{"type":"reply_get_rooms","accept":0}`, LobbyMessage{Type: TypeReplyGetRooms}},
	{"rooms empty array", `{"type":"reply_get_rooms","accept":0,"rooms":[]}`, LobbyMessage{Type: TypeReplyGetRooms}},
	// §4 request_create_room: player_name, client_sha, netplay_version, emulator, auth fields, room{room_name, password, MD5, game_name, features, buffer_target?}.
	{"create", `{"type":"request_create_room","player_name":"alice","client_sha":"abc123","netplay_version":17,"emulator":"simple64","authTime":"1","auth":"x","room":{"room_name":"fun","password":"pw","MD5":"20B854B239203BAF6C961B850A4A51A2","game_name":"SM64","features":{"cheats":"{}","overclock":"1"},"buffer_target":3}}`,
		LobbyMessage{Type: TypeRequestCreateRoom, PlayerName: "alice", ClientSHA: "abc123", NetplayVersion: 17, Emulator: "simple64",
			AuthTime: "1", Auth: "x", Room: &Room{RoomName: "fun", Password: "pw", MD5: "20B854B239203BAF6C961B850A4A51A2", GameName: "SM64",
				Features: map[string]string{"cheats": "{}", "overclock": "1"}, BufferTarget: 3}}},
	// §4: success reply has player_name + room{room_name, game_name, MD5, protected, features, port}.
	{"create reply", `{"type":"reply_create_room","accept":0,"player_name":"alice","room":{"room_name":"fun","game_name":"SM64","MD5":"AB","port":45001,"protected":true,"features":null}}`,
		LobbyMessage{Type: TypeReplyCreateRoom, PlayerName: "alice", Room: &Room{RoomName: "fun", GameName: "SM64", MD5: "AB", Port: 45001, Protected: true}}},
	// §4: failures carry accept and message only.
	{"create refused", `{"type":"reply_create_room","accept":4,"message":"Room with this name already exists"}`,
		LobbyMessage{Type: TypeReplyCreateRoom, Accept: DuplicateName, Message: "Room with this name already exists"}},
	// §4 request_join_room: player_name, client_sha, room{port, password, MD5}.
	{"join", `{"type":"request_join_room","player_name":"bob","client_sha":"abc123","room":{"port":45001,"password":"pw","MD5":"AB"}}`,
		LobbyMessage{Type: TypeRequestJoinRoom, PlayerName: "bob", ClientSHA: "abc123", Room: &Room{Port: 45001, Password: "pw", MD5: "AB"}}},
	{"players", `{"type":"request_players","room":{"port":45001}}`, LobbyMessage{Type: TypeRequestPlayers, Room: &Room{Port: 45001}}},
	// §4 reply_players: player_names[4], indexed by slot, "" for empty.
	{"players reply", `{"type":"reply_players","accept":0,"player_names":["alice","","bob",""]}`,
		LobbyMessage{Type: TypeReplyPlayers, PlayerNames: []string{"alice", "", "bob", ""}}},
	{"chat", `{"type":"request_chat_message","player_name":"bob","message":"hi","room":{"port":45001}}`,
		LobbyMessage{Type: TypeRequestChatMessage, PlayerName: "bob", Message: "hi", Room: &Room{Port: 45001}}},
	{"chat reply", `{"type":"reply_chat_message","accept":0,"message":"bob: hi"}`,
		LobbyMessage{Type: TypeReplyChatMessage, Message: "bob: hi"}},
	{"begin", `{"type":"request_begin_game","room":{"port":45001}}`, LobbyMessage{Type: TypeRequestBeginGame, Room: &Room{Port: 45001}}},
	{"begin reply", `{"type":"reply_begin_game","accept":0}`, LobbyMessage{Type: TypeReplyBeginGame}},
	{"begin refused", `{"type":"reply_begin_game","accept":9,"message":"Player must be room creator"}`,
		LobbyMessage{Type: TypeReplyBeginGame, Accept: BadPlayer, Message: "Player must be room creator"}},
	// §4 request_edit_room (2025-01): room{port, room_name, MD5, game_name, features}.
	{"edit", `{"type":"request_edit_room","room":{"port":45001,"room_name":"fun","MD5":"CD","game_name":"G","features":{}}}`,
		LobbyMessage{Type: TypeRequestEditRoom, Room: &Room{Port: 45001, RoomName: "fun", MD5: "CD", GameName: "G", Features: map[string]string{}}}},
	{"motd", `{"type":"request_motd"}`, LobbyMessage{Type: TypeRequestMotd}},
	{"motd reply", `{"type":"reply_motd","accept":0,"message":"<b>hello</b>"}`, LobbyMessage{Type: TypeReplyMotd, Message: "<b>hello</b>"}},
	{"version", `{"type":"request_version"}`, LobbyMessage{Type: TypeRequestVersion}},
	{"version reply", `{"type":"reply_version","accept":0,"message":"git: abc. api: 17"}`, LobbyMessage{Type: TypeReplyVersion, Message: "git: abc. api: 17"}},
	{"ping", `{"type":"request_ping"}`, LobbyMessage{Type: TypeRequestPing}},
	{"ping reply", `{"type":"reply_ping","accept":0,"message":"12"}`, LobbyMessage{Type: TypeReplyPing, Message: "12"}},
	// Unknown keys are ignored, as the stock server does.
	{"extra key", `{"type":"request_motd","future":[1,2]}`, LobbyMessage{Type: TypeRequestMotd}},
}

func TestDecodeLobbyMessage(t *testing.T) {
	for _, tt := range lobbyMessages {
		got, err := DecodeLobbyMessage([]byte(tt.in))
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: DecodeLobbyMessage = %+v, %v; want %+v", tt.name, got, err, tt.want)
			continue
		}
		enc, err := EncodeLobbyMessage(got)
		if err != nil {
			t.Errorf("%s: EncodeLobbyMessage: %v", tt.name, err)
			continue
		}
		again, err := DecodeLobbyMessage(enc)
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("%s: round trip %s → %+v, %v", tt.name, enc, again, err)
		}
	}
}

func TestEncodeLobbyMessageFields(t *testing.T) {
	// §4 envelope: type and accept always present; the rest left out when empty.
	b, err := EncodeLobbyMessage(LobbyMessage{Type: TypeReplyBeginGame})
	if err != nil || string(b) != `{"type":"reply_begin_game","accept":0}` {
		t.Fatalf("%s, %v", b, err)
	}
	// §4 room object: password and buffer_target left out when empty;
	// features null if absent; the MD5 key in uppercase.
	b, err = EncodeLobbyMessage(LobbyMessage{Type: TypeRequestJoinRoom, Room: &Room{Port: 45001}})
	want := `{"type":"request_join_room","accept":0,"room":{"room_name":"","game_name":"","MD5":"","port":45001,"protected":false,"features":null}}`
	if err != nil || string(b) != want {
		t.Fatalf("%s, %v", b, err)
	}
	var keys map[string]any
	full, _ := EncodeLobbyMessage(LobbyMessage{Type: TypeRequestGetRooms, Message: "m", ClientSHA: "c", Emulator: "e",
		PlayerName: "p", AuthTime: "1", Auth: "a", NetplayVersion: 17, PlayerNames: []string{"", "", "", ""},
		Rooms: []Room{{Password: "x", BufferTarget: 1}}})
	if err := json.Unmarshal(full, &keys); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"type", "accept", "message", "client_sha", "emulator", "player_name", "authTime",
		"auth", "netplay_version", "player_names", "rooms"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("key %q missing from %s", k, full)
		}
	}
	room := keys["rooms"].([]any)[0].(map[string]any)
	for _, k := range []string{"room_name", "game_name", "MD5", "port", "protected", "features", "password", "buffer_target"} {
		if _, ok := room[k]; !ok {
			t.Errorf("room key %q missing from %s", k, full)
		}
	}
}

func TestLobbyReject(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		class   error
		partial bool // the decoded message is returned with the error
	}{
		{"not JSON", `{"type":`, ErrSyntax, false},
		{"array", `[1]`, ErrSyntax, false},
		{"null", `null`, ErrSyntax, false},
		{"string", `"request_motd"`, ErrSyntax, false},
		{"trailing", `{"type":"request_motd"} {}`, ErrSyntax, false},
		// §4 / §6 Q12: a JSON type mismatch (closes the socket in [G64]).
		{"port string", `{"type":"request_players","room":{"port":"45001"}}`, ErrSyntax, false},
		{"accept string", `{"type":"reply_motd","accept":"0"}`, ErrSyntax, false},
		{"port float", `{"type":"request_players","room":{"port":45001.5}}`, ErrSyntax, false},
		// §4 Versions: protected became a bool in API 16; "Yes"/"No" before.
		{"protected Yes", `{"type":"reply_get_rooms","accept":0,"rooms":[{"protected":"Yes"}]}`, ErrSyntax, false},
		{"features value number", `{"type":"request_edit_room","room":{"port":1,"features":{"overclock":1}}}`, ErrSyntax, false},
		{"player_names not strings", `{"type":"reply_players","accept":0,"player_names":[1,2,3,4]}`, ErrSyntax, false},
		{"no type", `{"accept":0}`, ErrUnknown, true},
		// §4 Versions: API 11 names.
		{"API 11 name", `{"type":"create_room"}`, ErrUnknown, true},
		// §4: accept codes 0–12.
		{"accept 13", `{"type":"reply_motd","accept":13}`, ErrRange, true},
		{"accept -1", `{"type":"reply_motd","accept":-1}`, ErrRange, true},
		{"player_names 3", `{"type":"reply_players","accept":0,"player_names":["a","b","c"]}`, ErrRange, true},
		{"player_names 5", `{"type":"reply_players","accept":0,"player_names":["a","b","c","d","e"]}`, ErrRange, true},
		{"port 70000", `{"type":"request_players","room":{"port":70000}}`, ErrRange, true},
		{"port -1", `{"type":"request_players","room":{"port":-1}}`, ErrRange, true},
		// §4: [G64] reads buffer_target as a byte.
		{"buffer_target 256", `{"type":"request_create_room","room":{"buffer_target":256}}`, ErrRange, true},
		{"version -1", `{"type":"request_get_rooms","netplay_version":-1}`, ErrRange, true},
		// §6 Q12: a missing room dereferences nil in [S64].
		{"join no room", `{"type":"request_join_room","player_name":"bob"}`, ErrMissing, true},
		{"create room null", `{"type":"request_create_room","room":null}`, ErrMissing, true},
		{"begin no room", `{"type":"request_begin_game"}`, ErrMissing, true},
		{"create reply no room", `{"type":"reply_create_room","accept":0}`, ErrMissing, true},
		{"players reply no names", `{"type":"reply_players","accept":0}`, ErrMissing, true},
		// §4: accept always present in server messages.
		{"reply no accept", `{"type":"reply_begin_game"}`, ErrMissing, true},
		{"reply accept null", `{"type":"reply_begin_game","accept":null}`, ErrMissing, true},
		{"too large", `{"type":"request_motd","x":"` + strings.Repeat("a", MaxLobbyMessageSize) + `"}`, ErrTooLarge, false},
	}
	for _, tt := range tests {
		m, err := DecodeLobbyMessage([]byte(tt.in))
		expectErr(t, tt.name, err, tt.class)
		if !tt.partial && !reflect.DeepEqual(m, LobbyMessage{}) {
			t.Errorf("%s: returned %+v with a syntax-level error", tt.name, m)
		}
	}
	// A create without room returns what was decoded, so a server can answer it.
	m, _ := DecodeLobbyMessage([]byte(`{"type":"request_create_room","player_name":"alice"}`))
	if m.Type != TypeRequestCreateRoom || m.PlayerName != "alice" {
		t.Errorf("partial message %+v", m)
	}
	for _, m := range []LobbyMessage{{Type: "nope"}, {Type: TypeRequestJoinRoom}, {Type: TypeReplyMotd, Accept: 99},
		{Type: TypeReplyPlayers, PlayerNames: []string{"a"}}} {
		if _, err := EncodeLobbyMessage(m); err == nil {
			t.Errorf("EncodeLobbyMessage(%+v) succeeded", m)
		}
	}
}

func TestLobbyConstants(t *testing.T) {
	// §4 accept codes.
	codes := []Accept{Accepted, BadPassword, MismatchVersion, RoomFull, DuplicateName, RoomDeleted, BadName,
		BadEmulator, BadAuth, BadPlayer, BadRoomName, BadGameState, Other}
	for i, c := range codes {
		if int(c) != i {
			t.Errorf("%v = %d, want %d", c, int(c), i)
		}
	}
	if BadGameState.String() != "BadGameState" || Accept(13).String() != "accept(13)" {
		t.Error("Accept.String")
	}
	if APIVersion != 17 || DefaultBasePort != 45000 || DiscoveryPort != 45000 {
		t.Error("§1/§4 constants")
	}
	if !IsReply(TypeReplyPing) || IsReply(TypeRequestPing) || IsReply("x") {
		t.Error("IsReply")
	}
	if VersionMessage("abc") != "git: abc. api: 17" {
		t.Error("VersionMessage")
	}
}

func TestAuth(t *testing.T) {
	// §4 Authentication: auth = lowercase hex SHA-256(authTime ‖ secret);
	// vectors computed independently with Python's hashlib.
	if got := ComputeAuth("1700000000000", "RMG"); got != "01c1c8e7fc3874e8f6751b318da0da0dd1532bdae14c48ed14fb35520fdf0e5e" {
		t.Fatalf("ComputeAuth = %s", got)
	}
	if got := ComputeAuth("1700000000000", "0"); got != "1999a96ccdf983d1b1112799ffef24d640b231d3f8b784b5b446c774b51e1ac7" {
		t.Fatalf("ComputeAuth = %s", got)
	}
	now := time.UnixMilli(1700000000000)
	if AuthTime(now) != "1700000000000" {
		t.Fatal("AuthTime")
	}
	auth := ComputeAuth("1700000000000", "RMG")
	if !CheckAuth("1700000000000", auth, "RMG", now.Add(15*time.Minute)) ||
		!CheckAuth("1700000000000", auth, "RMG", now.Add(-15*time.Minute)) {
		t.Fatal("within ±15 min rejected")
	}
	if CheckAuth("1700000000000", auth, "RMG", now.Add(15*time.Minute+time.Millisecond)) ||
		CheckAuth("1700000000000", auth, "gopher64", now) ||
		CheckAuth("1700000000000", strings.ToUpper(auth), "RMG", now) ||
		CheckAuth("abc", auth, "RMG", now) {
		t.Fatal("bad auth accepted")
	}
}

func TestDiscovery(t *testing.T) {
	// §4 LAN discovery: first byte 0x01; reply {"<server name>":"ws://<ip>:<B>"}.
	if !IsDiscoveryRequest(DiscoveryRequest()) || !IsDiscoveryRequest(hx("01 02")) ||
		IsDiscoveryRequest(hx("02")) || IsDiscoveryRequest(nil) {
		t.Fatal("IsDiscoveryRequest")
	}
	in := `{"My Server":"ws://192.168.1.5:45000"}`
	got, err := DecodeDiscoveryReply([]byte(in))
	if err != nil || !reflect.DeepEqual(got, map[string]string{"My Server": "ws://192.168.1.5:45000"}) {
		t.Fatalf("%v, %v", got, err)
	}
	b, err := EncodeDiscoveryReply(got)
	if err != nil || string(b) != in {
		t.Fatalf("%s, %v", b, err)
	}
	for _, bad := range []string{`{}`, `null`, `[]`, `{"a":1}`, `{"":"ws://h:1"}`, `{"a":"http://h:1"}`,
		`{"a":"ws://"}`, `{"a":"h:1"}`, `{"a":"ws://h"} x`} {
		if _, err := DecodeDiscoveryReply([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		} else {
			checkClassified(t, err, false)
		}
	}
}

func FuzzDecodeLobbyMessage(f *testing.F) {
	for _, tt := range lobbyMessages {
		f.Add([]byte(tt.in))
	}
	for _, s := range []string{`{"type":"request_join_room"}`, `{"type":"reply_players","accept":0,"player_names":["a"]}`,
		`null`, `[]`, `{"type":"reply_motd","accept":13}`, `{"type":"request_players","room":{"port":"1"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeLobbyMessage(b)
		if err != nil {
			checkClassified(t, err, false)
			return
		}
		enc, err := EncodeLobbyMessage(m)
		if err != nil {
			t.Fatalf("%s decodes to %+v, which does not encode: %v", b, m, err)
		}
		m2, err := DecodeLobbyMessage(enc)
		if err != nil || !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip: %+v → %s → %+v, %v", m, enc, m2, err)
		}
		enc2, _ := EncodeLobbyMessage(m2)
		if string(enc) != string(enc2) {
			t.Fatalf("encoding not stable: %s vs %s", enc, enc2)
		}
	})
}

func FuzzDecodeDiscoveryReply(f *testing.F) {
	for _, s := range []string{`{"My Server":"ws://192.168.1.5:45000"}`, `{"a":"wss://x.example:443/","b":"ws://[::1]:45000"}`,
		`{}`, `{"a":"http://h"}`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeDiscoveryReply(b)
		if err != nil {
			checkClassified(t, err, false)
			return
		}
		enc, err := EncodeDiscoveryReply(m)
		if err != nil {
			t.Fatalf("%s decodes to %v, which does not encode: %v", b, m, err)
		}
		m2, err := DecodeDiscoveryReply(enc)
		if err != nil || !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip: %v → %s → %v, %v", m, enc, m2, err)
		}
	})
}
