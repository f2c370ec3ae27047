package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/netplay/proto"
)

// Emulator is the lobby's emulator name for this program; rooms are only
// listed to clients of the same emulator (§4).
const Emulator = "n64"

// LobbyConfig configures a lobby connection.
type LobbyConfig struct {
	// URL is the lobby, ws://host[:port][/path] (port 45000 if left out).
	URL string
	// PlayerName is this player's name in the room, non-empty.
	PlayerName string
	// Emulator defaults to Emulator.
	Emulator string
	// ClientSHA is the build's identity; a room only admits clients whose
	// client_sha equals its creator's (§7). Default: the VCS revision.
	ClientSHA string
	// AuthSecret, when set, sends the auth fields (§4 "Authentication").
	AuthSecret string
	Logger     *slog.Logger
}

// Lobby is a connection to a netplay lobby (§4).
type Lobby struct {
	cfg   LobbyConfig
	ws    *wsConn
	host  string // the lobby's host: game servers run there
	log   *slog.Logger
	room  *proto.Room
	name  string
	names [proto.MaxPlayers]string
}

// BuildSHA is the VCS revision of this build, or "unknown".
func BuildSHA() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && s.Value != "" {
				return s.Value
			}
		}
	}
	return "unknown"
}

// DialLobby connects to a lobby.
func DialLobby(ctx context.Context, cfg LobbyConfig) (*Lobby, error) {
	if cfg.PlayerName == "" {
		return nil, errors.New("netplay: a player name is needed in a lobby")
	}
	if cfg.Emulator == "" {
		cfg.Emulator = Emulator
	}
	if cfg.ClientSHA == "" {
		cfg.ClientSHA = BuildSHA()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("netplay: lobby address: %w", err)
	}
	ws, err := dialWS(ctx, cfg.URL, proto.MaxLobbyMessageSize)
	if err != nil {
		return nil, fmt.Errorf("netplay: %w", err)
	}
	return &Lobby{cfg: cfg, ws: ws, host: u.Hostname(), log: cfg.Logger}, nil
}

// Close closes the lobby connection. Once the game started the room lives
// on without it (§4 "Lifetime").
func (l *Lobby) Close() error { return l.ws.Close() }

func (l *Lobby) send(m proto.LobbyMessage) error {
	b, err := proto.EncodeLobbyMessage(m)
	if err != nil {
		return err
	}
	return l.ws.WriteText(b)
}

// recv returns the next message, bounded by ctx.
func (l *Lobby) recv(ctx context.Context) (proto.LobbyMessage, error) {
	if d, ok := ctx.Deadline(); ok {
		l.ws.c.SetReadDeadline(d)
	} else {
		l.ws.c.SetReadDeadline(time.Time{})
	}
	stop := context.AfterFunc(ctx, func() { l.ws.c.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	for {
		b, err := l.ws.ReadMessage()
		if err != nil {
			if ctx.Err() != nil {
				return proto.LobbyMessage{}, ctx.Err()
			}
			return proto.LobbyMessage{}, fmt.Errorf("netplay: lobby: %w", err)
		}
		m, err := proto.DecodeLobbyMessage(b)
		if err != nil {
			l.log.Debug("netplay: lobby message ignored", "err", err)
			continue
		}
		switch m.Type {
		case proto.TypeReplyPlayers:
			copy(l.names[:], m.PlayerNames)
		case proto.TypeReplyChatMessage:
			l.log.Info("netplay: chat", "message", m.Message)
		}
		return m, nil
	}
}

// expect returns the next message of type typ, skipping others.
func (l *Lobby) expect(ctx context.Context, typ string) (proto.LobbyMessage, error) {
	for {
		m, err := l.recv(ctx)
		if err != nil || m.Type == typ {
			return m, err
		}
	}
}

func (l *Lobby) auth(m *proto.LobbyMessage) {
	m.NetplayVersion = proto.APIVersion
	m.Emulator = l.cfg.Emulator
	if l.cfg.AuthSecret != "" {
		m.AuthTime = proto.AuthTime(time.Now())
		m.Auth = proto.ComputeAuth(m.AuthTime, l.cfg.AuthSecret)
	}
}

// refusal explains an accept code.
func refusal(what string, a proto.Accept, msg string) error {
	why := map[proto.Accept]string{
		proto.BadPassword:     "wrong password",
		proto.MismatchVersion: "a different program version (client_sha), ROM or API version",
		proto.RoomFull:        "the room is full",
		proto.DuplicateName:   "the name is taken",
		proto.RoomDeleted:     "the room no longer exists",
		proto.BadName:         "empty room or player name",
		proto.BadEmulator:     "the emulator name was refused",
		proto.BadAuth:         "authentication failed",
		proto.BadPlayer:       "only the room's creator may do that",
		proto.BadRoomName:     "no such room",
		proto.BadGameState:    "the game has already started",
		proto.Other:           "no free room port on the server",
	}[a]
	if why == "" {
		why = a.String()
	}
	if msg != "" {
		why += " (" + msg + ")"
	}
	return fmt.Errorf("netplay: %s refused: %s", what, why)
}

// Rooms lists the rooms waiting for players (§4 request_get_rooms).
func (l *Lobby) Rooms(ctx context.Context) ([]proto.Room, error) {
	m := proto.LobbyMessage{Type: proto.TypeRequestGetRooms}
	l.auth(&m)
	if err := l.send(m); err != nil {
		return nil, err
	}
	r, err := l.expect(ctx, proto.TypeReplyGetRooms)
	if err != nil {
		return nil, err
	}
	if r.Accept != proto.Accepted {
		return nil, refusal("listing rooms", r.Accept, r.Message)
	}
	return r.Rooms, nil
}

// CreateRoom creates a room for rom named name and becomes its player 1.
func (l *Lobby) CreateRoom(ctx context.Context, name, password string, rom *cart.ROM, features map[string]string) (proto.Room, error) {
	room := &proto.Room{RoomName: name, GameName: rom.Header.Title, MD5: ROMMD5(rom), Password: password, Features: features}
	m := proto.LobbyMessage{Type: proto.TypeRequestCreateRoom, PlayerName: l.cfg.PlayerName, ClientSHA: l.cfg.ClientSHA, Room: room}
	l.auth(&m)
	if err := l.send(m); err != nil {
		return proto.Room{}, err
	}
	r, err := l.expect(ctx, proto.TypeReplyCreateRoom)
	if err != nil {
		return proto.Room{}, err
	}
	if r.Accept != proto.Accepted {
		return proto.Room{}, refusal("creating room "+strconv.Quote(name), r.Accept, r.Message)
	}
	l.room, l.name = r.Room, r.PlayerName
	if l.name == "" {
		l.name = l.cfg.PlayerName
	}
	return *r.Room, nil
}

// JoinRoom joins the waiting room called name. It refuses, with an error
// wrapping ErrROMMismatch, when rom is not the room's ROM (its MD5 differs).
func (l *Lobby) JoinRoom(ctx context.Context, name, password string, rom *cart.ROM) (proto.Room, error) {
	rooms, err := l.Rooms(ctx)
	if err != nil {
		return proto.Room{}, err
	}
	i := slices.IndexFunc(rooms, func(r proto.Room) bool { return r.RoomName == name })
	if i < 0 {
		var names []string
		for _, r := range rooms {
			names = append(names, r.RoomName)
		}
		return proto.Room{}, fmt.Errorf("netplay: no room %q is waiting for players in this lobby (open rooms: %q)", name, names)
	}
	found := rooms[i]
	if err := CheckROM(rom, found.MD5); err != nil {
		return proto.Room{}, err
	}
	if found.Protected && password == "" {
		return proto.Room{}, fmt.Errorf("netplay: room %q needs a password (--password)", name)
	}
	m := proto.LobbyMessage{Type: proto.TypeRequestJoinRoom, PlayerName: l.cfg.PlayerName, ClientSHA: l.cfg.ClientSHA,
		Room: &proto.Room{Port: found.Port, Password: password, MD5: ROMMD5(rom)}}
	l.auth(&m)
	if err := l.send(m); err != nil {
		return proto.Room{}, err
	}
	r, err := l.expect(ctx, proto.TypeReplyJoinRoom)
	if err != nil {
		return proto.Room{}, err
	}
	if r.Accept != proto.Accepted {
		return proto.Room{}, refusal("joining room "+strconv.Quote(name), r.Accept, r.Message)
	}
	l.room, l.name = r.Room, r.PlayerName
	if l.name == "" {
		l.name = l.cfg.PlayerName
	}
	if l.room.Port == 0 {
		l.room.Port = found.Port
	}
	return *l.room, nil
}

// WaitStart waits in the room until the game begins and returns this
// client's player number (its name's index in player_names, plus 1).
// The room's creator begins the game once players names are in the room;
// onPlayers, when set, sees every change of the names.
func (l *Lobby) WaitStart(ctx context.Context, players int, onPlayers func([proto.MaxPlayers]string)) (int, error) {
	if l.room == nil {
		return 0, errors.New("netplay: not in a room")
	}
	port := &proto.Room{Port: l.room.Port}
	if err := l.send(proto.LobbyMessage{Type: proto.TypeRequestPlayers, Room: port}); err != nil {
		return 0, err
	}
	begun := false
	for {
		m, err := l.recv(ctx)
		if err != nil {
			return 0, err
		}
		slot := slices.Index(l.names[:], l.name)
		switch m.Type {
		case proto.TypeReplyPlayers:
			if onPlayers != nil {
				onPlayers(l.names)
			}
			n := 0
			for _, s := range l.names {
				if s != "" {
					n++
				}
			}
			if slot == 0 && n >= players && !begun {
				begun = true
				if err := l.send(proto.LobbyMessage{Type: proto.TypeRequestBeginGame, Room: port}); err != nil {
					return 0, err
				}
			}
		case proto.TypeReplyBeginGame:
			if m.Accept != proto.Accepted {
				return 0, refusal("starting the game", m.Accept, m.Message)
			}
			if slot < 0 {
				return 0, errors.New("netplay: the game began but this player is not in the room's list")
			}
			return slot + 1, nil
		}
	}
}

// GameAddr is the room's game server: the lobby's host at the room's port
// (§1 "Connect").
func (l *Lobby) GameAddr() string {
	if l.room == nil {
		return ""
	}
	return net.JoinHostPort(l.host, strconv.Itoa(l.room.Port))
}
