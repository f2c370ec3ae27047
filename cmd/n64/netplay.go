package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/pif"
	"github.com/n64go/n64/internal/savefile"
	"github.com/n64go/n64/netplay/client"
	"github.com/n64go/n64/netplay/proto"
	"github.com/n64go/n64/plugins/video"
)

// netplayFlags are the netplay options of n64 play and n64 run
// --headless: a game server directly (--join, as a player or a
// spectator) or a lobby room (--lobby with --room or --create-room).
type netplayFlags struct {
	join      string
	player    int  // 1–4 with --join
	playerSet bool // --player was given
	spectate  bool
	lobby     string
	room      string
	create    string
	password  string
	name      string
	players   int
}

func (f *netplayFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.join, "join", "", "netplay: join the game server HOST:PORT directly (with --player or --spectate)")
	fs.Func("player", "netplay: with --join, play as player `N` (1-4)", func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil {
			return errors.New("not a number")
		}
		f.player, f.playerSet = n, true
		return nil
	})
	fs.BoolVar(&f.spectate, "spectate", false, "netplay: with --join, watch a running game: receive every player's input, send none")
	fs.StringVar(&f.lobby, "lobby", "", "netplay: lobby address ws://HOST:PORT (with --room or --create-room)")
	fs.StringVar(&f.room, "room", "", "netplay: join this lobby room")
	fs.StringVar(&f.create, "create-room", "", "netplay: create this lobby room and be player 1")
	fs.StringVar(&f.password, "password", "", "netplay: room password")
	fs.StringVar(&f.name, "name", "", "netplay: player name in the lobby (default $USER)")
	fs.IntVar(&f.players, "players", 2, "netplay: with --create-room, start once this many players (1-4) are in the room")
}

func (f *netplayFlags) enabled() bool { return f.join != "" || f.lobby != "" }

// check validates the flags before anything runs.
func (f *netplayFlags) check() error {
	if !f.enabled() {
		for _, v := range []string{f.room, f.create, f.password, f.name} {
			if v != "" {
				return errors.New("--room, --create-room, --password and --name need --lobby")
			}
		}
		if f.playerSet {
			return errors.New("--player needs --join")
		}
		if f.spectate {
			return errors.New("--spectate needs --join HOST:PORT")
		}
		return nil
	}
	switch {
	case f.join != "" && f.lobby != "":
		return errors.New("--join and --lobby exclude each other")
	case f.lobby != "" && f.spectate:
		// A lobby room takes no one once its game runs, and a member
		// before that is a player (NETPLAY.md §1, §3.7).
		return errors.New("--spectate needs --join HOST:PORT (the game server of a running game), not --lobby")
	case f.lobby != "" && f.playerSet:
		return errors.New("--player needs --join (in a lobby room the order of joining sets the player numbers)")
	case f.spectate && f.playerSet:
		return errors.New("--spectate and --player exclude each other: a spectator has no controller port")
	case f.join != "" && !f.spectate && !f.playerSet:
		return errors.New("--join needs --player N (1 to 4), or --spectate to watch")
	case f.join != "" && !f.spectate && (f.player < 1 || f.player > proto.MaxPlayers):
		return fmt.Errorf("--player must be 1 to 4 (to watch, use --spectate), got %d", f.player)
	case f.lobby != "" && (f.room == "") == (f.create == ""):
		return errors.New("--lobby needs exactly one of --room NAME or --create-room NAME")
	case f.lobby != "" && !strings.HasPrefix(f.lobby, "ws://"):
		return fmt.Errorf("--lobby %q: want ws://HOST:PORT", f.lobby)
	case f.players < 1 || f.players > proto.MaxPlayers:
		return fmt.Errorf("--players must be 1 to 4, got %d", f.players)
	}
	if f.name == "" {
		f.name = os.Getenv("USER")
	}
	if f.name == "" {
		f.name = "player"
	}
	return nil
}

// netSession is a netplay session that has passed the boot sequence.
type netSession struct {
	c *client.Client
}

// start finds the game server (through the lobby if asked), connects,
// and runs the boot sequence: player 1 sends opts and its saves (loaded
// from its files as pf says); the others receive them.
func (f *netplayFlags) start(rom *cart.ROM, opts core.Options, pf *peripheralFlags, out io.Writer) (*netSession, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	addr, player := f.join, f.player
	if f.spectate {
		player = 0 // client.Config: no slot (§3.7)
	}
	if f.lobby != "" {
		l, err := client.DialLobby(ctx, client.LobbyConfig{URL: f.lobby, PlayerName: f.name})
		if err != nil {
			return nil, err
		}
		defer l.Close()
		if f.create != "" {
			r, err := l.CreateRoom(ctx, f.create, f.password, rom, nil)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(out, "n64: netplay: room %q created (port %d); waiting for %d players\n", r.RoomName, r.Port, f.players)
		} else {
			if _, err := l.JoinRoom(ctx, f.room, f.password, rom); err != nil {
				return nil, err
			}
			fmt.Fprintf(out, "n64: netplay: joined room %q; waiting for its creator to start\n", f.room)
		}
		player, err = l.WaitStart(ctx, f.players, func(names [proto.MaxPlayers]string) {
			fmt.Fprintf(out, "n64: netplay: players %q\n", names)
		})
		if err != nil {
			return nil, err
		}
		addr = l.GameAddr()
	}
	plugin := proto.PluginNone
	switch pf.pakKin {
	case pif.PakController:
		plugin = proto.PluginMempak
	case pif.PakRumble:
		plugin = proto.PluginRumblePak
	}
	c, err := client.Dial(ctx, client.Config{Addr: addr, Player: player, Plugin: plugin,
		OnStatus: func(_, s proto.Status) { fmt.Fprintf(out, "n64: netplay: %s\n", statusText(s)) }})
	if err != nil {
		return nil, err
	}
	saves := client.BlankSaves()
	if player == 1 {
		// Player 1's save files, loaded into a throwaway machine.
		pre, err := core.New(rom, opts)
		if err != nil {
			c.Close()
			return nil, err
		}
		mgr, err := pf.apply(pre, out)
		if err != nil {
			c.Close()
			return nil, err
		}
		saves = client.SavesFromMachine(pre)
		if mgr != nil {
			mgr.Close()
		}
	}
	if player == 0 {
		fmt.Fprintf(out, "n64: netplay: spectating at %s; waiting for the players\n", addr)
	} else {
		fmt.Fprintf(out, "n64: netplay: player %d at %s; waiting for the other players\n", player, addr)
	}
	if err := c.Boot(ctx, opts, saves); err != nil {
		c.Close()
		return nil, err
	}
	return &netSession{c: c}, nil
}

// newMachine builds the session's machine: player 1 keeps writing its own
// save files (savefile.Manager), the others play on the session's saves
// only and never touch theirs.
func (s *netSession) newMachine(rom *cart.ROM, pf *peripheralFlags, warn io.Writer) (*core.Machine, *savefile.Manager, error) {
	m, err := core.New(rom, s.c.Options())
	if err != nil {
		return nil, nil, err
	}
	var mgr *savefile.Manager
	if s.c.Player() == 1 {
		if mgr, err = pf.apply(m, warn); err != nil {
			return nil, nil, err
		}
		if t := m.SaveType(); mgr != nil && t.IsSRAM() && t.Size() > proto.SaveSizeSRAM {
			// The protocol carries 32 KiB of SRAM: the rest is blank in the
			// session, and writing it back would lose the file's.
			fmt.Fprintf(warn, "n64: warning: netplay carries only 32 KiB of this game's %d KiB SRAM; its save file is not written this session\n", t.Size()>>10)
			mgr = nil
		}
	} else if pf.saveType != "auto" {
		m.SetSaveType(pf.st)
	}
	if err := s.c.Setup(m); err != nil {
		return nil, nil, err
	}
	return m, mgr, nil
}

// video is the player's netplay hook.
func (s *netSession) video() *video.Netplay {
	return &video.Netplay{
		Input: func(local pif.InputSource) pif.InputSource {
			s.c.SetLocal(local)
			return s.c
		},
		Status: func() string {
			if st := s.c.Status(); st != 0 {
				return statusText(st)
			}
			return ""
		},
		CatchUp: s.c.CatchingUp,
		Err:     s.c.Err,
	}
}

// scriptPort is the local player's controller in a headless netplay run:
// the script's lines for the player's own port (P2 for player 2), so one
// script can describe every player of a session.
type scriptPort struct {
	src  pif.InputSource
	port int
}

func (s scriptPort) Input(int) pif.Input { return s.src.Input(s.port) }

// headless connects a headless run to the session: the script (nil:
// nothing pressed) is the local player's controller, and the returned
// pace, called after every frame, holds the run to the console's field
// rate. A client that ran ahead would decide the other players' inputs
// before they pressed anything (NETPLAY.md §3.2: the lead decides from
// the latest input each player sent), so a netplay run keeps real time
// like a player's window does, except while the server says this client
// is behind (§3.4 catch-up).
func (s *netSession) headless(script pif.InputSource, pal bool) (pace func() error) {
	if script != nil && s.c.Player() > 0 {
		s.c.SetLocal(scriptPort{script, s.c.Player() - 1})
	}
	// About the field rate of an NTSC or a PAL console; exactness does not
	// matter, the server orders the input whatever the pace.
	period := time.Second / 60
	if pal {
		period = time.Second / 50
	}
	next := time.Now()
	return func() error {
		if err := s.c.Err(); err != nil {
			return err
		}
		now := time.Now()
		next = next.Add(period)
		switch {
		case s.c.CatchingUp() || now.Sub(next) > time.Second:
			next = now // behind: run at once, and owe no frames after
		case next.After(now):
			time.Sleep(next.Sub(now))
		}
		return nil
	}
}

// statusText explains the server's status byte (§3.2).
func statusText(s proto.Status) string {
	var parts []string
	if s.Desync() {
		parts = append(parts, "DESYNC: the players' games differ")
	}
	for slot := range proto.MaxPlayers {
		if s.Disconnected(slot) {
			parts = append(parts, fmt.Sprintf("player %d left", slot+1))
		}
	}
	if len(parts) == 0 {
		return "all players in step"
	}
	return strings.Join(parts, "; ")
}
