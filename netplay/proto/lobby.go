package proto

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Accept is the lobby reply's accept code (§4).
type Accept int

// Accept codes (§4).
const (
	Accepted        Accept = 0
	BadPassword     Accept = 1
	MismatchVersion Accept = 2
	RoomFull        Accept = 3
	DuplicateName   Accept = 4
	RoomDeleted     Accept = 5
	BadName         Accept = 6
	BadEmulator     Accept = 7
	BadAuth         Accept = 8
	BadPlayer       Accept = 9
	BadRoomName     Accept = 10
	BadGameState    Accept = 11
	Other           Accept = 12
)

var acceptNames = [...]string{"Accepted", "BadPassword", "MismatchVersion", "RoomFull",
	"DuplicateName", "RoomDeleted", "BadName", "BadEmulator", "BadAuth", "BadPlayer",
	"BadRoomName", "BadGameState", "Other"}

// Valid reports whether a is one of the codes above.
func (a Accept) Valid() bool { return a >= Accepted && a <= Other }

func (a Accept) String() string {
	if a.Valid() {
		return acceptNames[a]
	}
	return fmt.Sprintf("accept(%d)", int(a))
}

// Lobby message types, the "type" field (§4, API 17 names).
const (
	TypeRequestGetRooms    = "request_get_rooms"
	TypeReplyGetRooms      = "reply_get_rooms"
	TypeRequestCreateRoom  = "request_create_room"
	TypeReplyCreateRoom    = "reply_create_room"
	TypeRequestJoinRoom    = "request_join_room"
	TypeReplyJoinRoom      = "reply_join_room"
	TypeRequestPlayers     = "request_players"
	TypeReplyPlayers       = "reply_players"
	TypeRequestChatMessage = "request_chat_message"
	TypeReplyChatMessage   = "reply_chat_message"
	TypeRequestBeginGame   = "request_begin_game"
	TypeReplyBeginGame     = "reply_begin_game"
	TypeRequestEditRoom    = "request_edit_room" // 2025-01
	TypeReplyEditRoom      = "reply_edit_room"
	TypeRequestMotd        = "request_motd"
	TypeReplyMotd          = "reply_motd"
	TypeRequestVersion     = "request_version" // API 15; needs no authentication
	TypeReplyVersion       = "reply_version"
	TypeRequestPing        = "request_ping" // [G64]
	TypeReplyPing          = "reply_ping"
)

// lobbyTypes maps each known type to whether it is a server reply.
var lobbyTypes = map[string]bool{
	TypeRequestGetRooms: false, TypeReplyGetRooms: true,
	TypeRequestCreateRoom: false, TypeReplyCreateRoom: true,
	TypeRequestJoinRoom: false, TypeReplyJoinRoom: true,
	TypeRequestPlayers: false, TypeReplyPlayers: true,
	TypeRequestChatMessage: false, TypeReplyChatMessage: true,
	TypeRequestBeginGame: false, TypeReplyBeginGame: true,
	TypeRequestEditRoom: false, TypeReplyEditRoom: true,
	TypeRequestMotd: false, TypeReplyMotd: true,
	TypeRequestVersion: false, TypeReplyVersion: true,
	TypeRequestPing: false, TypeReplyPing: true,
}

// IsReply reports whether t is a known server reply type.
func IsReply(t string) bool { return lobbyTypes[t] }

// MaxLobbyMessageSize caps one lobby message (a WebSocket read limit):
// 1 MiB, room for a full room list with cheats in its features.
const MaxLobbyMessageSize = 1 << 20

// Room is the lobby's room object (§4 "Room object").
type Room struct {
	RoomName  string `json:"room_name"`
	GameName  string `json:"game_name"`
	MD5       string `json:"MD5"` // uppercase key; 32 uppercase hex digits of the .z64 image, compared exactly
	Port      int    `json:"port"`
	Protected bool   `json:"protected"` // API 16+; "Yes"/"No" before is rejected
	// Features is opaque to the server: "cheats" (JSON text), "rsp_plugin",
	// "gfx_plugin", "overclock", "disable_expansion_pak", … null if absent.
	Features map[string]string `json:"features"`
	Password string            `json:"password,omitempty"` // sent by clients only
	// BufferTarget is T for the room, 0–255 ([G64] reads a byte); 0 (left
	// out) lets the server choose.
	BufferTarget int `json:"buffer_target,omitempty"`
}

// Room features our server reads from request_create_room and
// request_edit_room and writes into every room object it sends (§4: stock
// servers and clients treat features as opaque strings and ignore unknown
// keys). Values are strings like every feature.
const (
	// FeatureInputDelayMode is "auto" (buffer control, §3.3), "fixed" (B
	// and T equal FeatureInputDelay for every player, no adjustment) or
	// "ping" (fixed, with the value chosen from the members' round trips
	// when the game begins).
	FeatureInputDelayMode = "input_delay_mode"
	// FeatureInputDelay is the fixed delay in events, decimal. In a
	// request it alone selects "fixed"; the server leaves it out in auto
	// mode and, in ping mode, until a round trip was measured.
	FeatureInputDelay = "input_delay"
	// FeatureInputDelayRTT is, in ping mode, the largest member round
	// trip in milliseconds the delay was chosen from. Written by the
	// server only.
	FeatureInputDelayRTT = "input_delay_rtt_ms"
)

// Validate checks Port in 0…65535 and BufferTarget in 0…255.
func (r *Room) Validate() error {
	if r.Port < 0 || r.Port > 65535 {
		return rangeError("lobby room", "port %d not in 0…65535", r.Port)
	}
	if r.BufferTarget < 0 || r.BufferTarget > 255 {
		return rangeError("lobby room", "buffer_target %d not in 0…255", r.BufferTarget)
	}
	return nil
}

// LobbyMessage is one lobby WebSocket message, client or server (§4
// "Envelope"). Servers always send type and accept; every other field is
// left out when empty.
type LobbyMessage struct {
	Type           string   `json:"type"`
	Accept         Accept   `json:"accept"`
	Message        string   `json:"message,omitempty"`
	ClientSHA      string   `json:"client_sha,omitempty"`
	Emulator       string   `json:"emulator,omitempty"`
	PlayerName     string   `json:"player_name,omitempty"`
	AuthTime       string   `json:"authTime,omitempty"` // Unix milliseconds, decimal
	Auth           string   `json:"auth,omitempty"`     // lowercase hex SHA-256(authTime ‖ secret)
	NetplayVersion int      `json:"netplay_version,omitempty"`
	PlayerNames    []string `json:"player_names,omitempty"` // exactly 4, by slot, "" for empty
	Room           *Room    `json:"room,omitempty"`
	Rooms          []Room   `json:"rooms,omitempty"`
}

// roomRequired reports whether a message of type t with accept a needs a
// room: the requests that name one by port (§4 table; a missing room
// crashes [S64]'s handler, §6 Q12) and the successful create, join and edit
// replies, which carry the room's port.
func roomRequired(t string, a Accept) bool {
	switch t {
	case TypeRequestCreateRoom, TypeRequestJoinRoom, TypeRequestPlayers,
		TypeRequestChatMessage, TypeRequestBeginGame, TypeRequestEditRoom:
		return true
	case TypeReplyCreateRoom, TypeReplyJoinRoom, TypeReplyEditRoom:
		return a == Accepted
	}
	return false
}

// Validate checks the message's shape: a known type (ErrUnknown); accept in
// 0…12, netplay_version ≥ 0, player_names of exactly 4 when present, and
// the rooms' ranges (ErrRange); a room where the type needs one and
// player_names in reply_players (ErrMissing). It does not judge what the
// server answers with an accept code (version, emulator, auth, names).
func (m *LobbyMessage) Validate() error {
	const what = "lobby message"
	_, known := lobbyTypes[m.Type]
	if !known {
		return fmt.Errorf("%w: %s: type %q", ErrUnknown, what, m.Type)
	}
	if !m.Accept.Valid() {
		return rangeError(what, "%s: accept %d not in 0…%d", m.Type, int(m.Accept), int(Other))
	}
	if m.NetplayVersion < 0 {
		return rangeError(what, "%s: netplay_version %d < 0", m.Type, m.NetplayVersion)
	}
	if m.PlayerNames != nil && len(m.PlayerNames) != MaxPlayers {
		return rangeError(what, "%s: %d player_names, want %d", m.Type, len(m.PlayerNames), MaxPlayers)
	}
	if m.Room != nil {
		if err := m.Room.Validate(); err != nil {
			return err
		}
	}
	for i := range m.Rooms {
		if err := m.Rooms[i].Validate(); err != nil {
			return err
		}
	}
	if roomRequired(m.Type, m.Accept) && m.Room == nil {
		return fmt.Errorf("%w: %s: %s without room", ErrMissing, what, m.Type)
	}
	if m.Type == TypeReplyPlayers && m.PlayerNames == nil {
		return fmt.Errorf("%w: %s: %s without player_names", ErrMissing, what, m.Type)
	}
	return nil
}

// EncodeLobbyMessage validates m and returns its JSON text.
func EncodeLobbyMessage(m LobbyMessage) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(&m)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	if len(b) > MaxLobbyMessageSize {
		return nil, fmt.Errorf("%w: lobby message of %d bytes > %d", ErrTooLarge, len(b), MaxLobbyMessageSize)
	}
	return b, nil
}

// DecodeLobbyMessage decodes one lobby message: a single JSON object of at
// most MaxLobbyMessageSize bytes whose fields have the types of
// LobbyMessage (a mismatch is ErrSyntax), then validates it (see
// Validate). A server reply must carry "accept" (ErrMissing). Unknown keys
// are ignored, as the stock server does; an empty "rooms" array decodes as
// nil.
//
// When the JSON decodes but validation fails (ErrUnknown, ErrRange,
// ErrMissing), the returned message holds what was decoded, so that a
// server can still answer with an accept code ([G64] answers a create
// without room with BadRoomName).
func DecodeLobbyMessage(b []byte) (LobbyMessage, error) {
	const what = "lobby message"
	if len(b) > MaxLobbyMessageSize {
		return LobbyMessage{}, fmt.Errorf("%w: %s of %d bytes > %d", ErrTooLarge, what, len(b), MaxLobbyMessageSize)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return LobbyMessage{}, fmt.Errorf("%w: %s: %v", ErrSyntax, what, err)
	}
	if keys == nil {
		return LobbyMessage{}, fmt.Errorf("%w: %s: not a JSON object", ErrSyntax, what)
	}
	var m LobbyMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return LobbyMessage{}, fmt.Errorf("%w: %s: %v", ErrSyntax, what, err)
	}
	if len(m.Rooms) == 0 {
		m.Rooms = nil
	}
	if err := m.Validate(); err != nil {
		return m, err
	}
	if IsReply(m.Type) {
		if a, ok := keys["accept"]; !ok || bytes.Equal(a, []byte("null")) {
			return m, fmt.Errorf("%w: %s: %s without accept", ErrMissing, what, m.Type)
		}
	}
	return m, nil
}

// Authentication (§4 "Authentication").

// AuthMaxSkew is how far authTime may be from the server's clock.
const AuthMaxSkew = 15 * time.Minute

// AuthTime formats t as the authTime field: Unix milliseconds in decimal.
func AuthTime(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// ComputeAuth returns the auth field: lowercase hex SHA-256(authTime ‖
// secret). Secrets in use: simple64's build-time NETPLAY_AUTH_CODE ("0" if
// unset), "RMG", "gopher64"; a server reads it from env <EMULATOR>_AUTH.
func ComputeAuth(authTime, secret string) string {
	h := sha256.Sum256([]byte(authTime + secret))
	return hex.EncodeToString(h[:])
}

// CheckAuth reports whether auth matches authTime and secret and authTime
// is within AuthMaxSkew of now.
func CheckAuth(authTime, auth, secret string, now time.Time) bool {
	ms, err := strconv.ParseInt(authTime, 10, 64)
	if err != nil {
		return false
	}
	d := now.Sub(time.UnixMilli(ms))
	if d > AuthMaxSkew || d < -AuthMaxSkew {
		return false
	}
	want := ComputeAuth(authTime, secret)
	return subtle.ConstantTimeCompare([]byte(want), []byte(auth)) == 1
}

// VersionMessage is the reply_version message: "git: <rev>. api: 17".
func VersionMessage(rev string) string {
	return fmt.Sprintf("git: %s. api: %d", rev, APIVersion)
}

// LAN discovery (§4 "LAN discovery").

// DiscoveryRequestByte starts a discovery datagram; the stock clients send
// just this byte to 255.255.255.255:DiscoveryPort.
const DiscoveryRequestByte = 0x01

// DiscoveryRequest returns the datagram the stock clients send.
func DiscoveryRequest() []byte { return []byte{DiscoveryRequestByte} }

// IsDiscoveryRequest reports whether b asks for discovery: its first byte
// is 0x01, whatever follows. Servers ignore any other datagram.
func IsDiscoveryRequest(b []byte) bool { return len(b) > 0 && b[0] == DiscoveryRequestByte }

// MaxDiscoveryReplySize caps a discovery reply or server list.
const MaxDiscoveryReplySize = 64 << 10

func validateServerList(servers map[string]string) error {
	const what = "discovery reply"
	if len(servers) == 0 {
		return fmt.Errorf("%w: %s: no server", ErrMissing, what)
	}
	for name, addr := range servers {
		if name == "" {
			return rangeError(what, "empty server name")
		}
		u, err := url.Parse(addr)
		if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
			return rangeError(what, "server %q: address %q is not a ws:// or wss:// URL", name, addr)
		}
	}
	return nil
}

// EncodeDiscoveryReply returns the reply to a discovery request,
// {"<server name>":"ws://<ip>:<B>"}; servers.json has the same shape.
func EncodeDiscoveryReply(servers map[string]string) ([]byte, error) {
	if err := validateServerList(servers); err != nil {
		return nil, err
	}
	return json.Marshal(servers)
}

// DecodeDiscoveryReply decodes a discovery reply or a server list: a JSON
// object of at least one non-empty name mapped to a ws:// or wss:// URL
// with a host.
func DecodeDiscoveryReply(b []byte) (map[string]string, error) {
	if len(b) > MaxDiscoveryReplySize {
		return nil, fmt.Errorf("%w: discovery reply of %d bytes > %d", ErrTooLarge, len(b), MaxDiscoveryReplySize)
	}
	var servers map[string]string
	if err := json.Unmarshal(b, &servers); err != nil {
		return nil, fmt.Errorf("%w: discovery reply: %v", ErrSyntax, err)
	}
	if err := validateServerList(servers); err != nil {
		return nil, err
	}
	return servers, nil
}
