package main

import (
	"flag"
	"strings"
	"testing"
)

// Bad netplay flags get one clear line and exit status 1, before anything
// connects.
func TestPlayNetplayFlags(t *testing.T) {
	bin := buildN64(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--room", "r"}, "need --lobby"},
		{[]string{"--player", "2"}, "--player needs --join"},
		{[]string{"--join", "127.0.0.1:1", "--player", "5"}, "--player must be 1 to 4"},
		{[]string{"--join", "127.0.0.1:1", "--player", "0"}, "use --spectate"},
		{[]string{"--join", "127.0.0.1:1", "--player", "2", "--spectate"}, "exclude each other"},
		{[]string{"--lobby", "ws://127.0.0.1:1", "--room", "a", "--spectate"}, "--spectate needs --join"},
		{[]string{"--lobby", "ws://127.0.0.1:1"}, "exactly one of --room"},
		{[]string{"--lobby", "ws://127.0.0.1:1", "--room", "a", "--create-room", "b"}, "exactly one of --room"},
		{[]string{"--lobby", "http://127.0.0.1:1", "--room", "a"}, "want ws://"},
		{[]string{"--lobby", "ws://127.0.0.1:1", "--join", "127.0.0.1:1"}, "exclude each other"},
		{[]string{"--lobby", "ws://127.0.0.1:1", "--create-room", "a", "--players", "5"}, "--players must be 1 to 4"},
	} {
		out, stderr, code := runN64(t, bin, append([]string{"play"}, tt.args...)...)
		if code != exitBadInput || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, tt.want) {
			t.Errorf("play %q: exit %d, output %q %q; want one line with %q", tt.args, code, out, stderr, tt.want)
		}
	}
	out, _, code := runN64(t, bin, "play", "--help")
	for _, want := range []string{"-lobby", "-create-room", "-room", "-password", "-join", "-player", "-spectate", "-name", "-players"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("play --help lacks %q", want)
		}
	}
}

// The netplay flags' rules, checked without running anything: what each
// combination joins as (player N, 0 for a spectator), or the error that
// names what is wrong.
func TestNetplayFlagsCheck(t *testing.T) {
	for _, tt := range []struct {
		args     []string
		enabled  bool
		player   int    // with --join: the client.Config player, 0 spectator
		spectate bool   // the session watches
		err      string // part of the error; "" for none
	}{
		{args: nil},
		{args: []string{"--join", "h:1", "--player", "1"}, enabled: true, player: 1},
		{args: []string{"--join", "h:1", "--player", "4"}, enabled: true, player: 4},
		{args: []string{"--join", "h:1", "--spectate"}, enabled: true, spectate: true},
		{args: []string{"--lobby", "ws://h:1", "--room", "r"}, enabled: true},
		{args: []string{"--join", "h:1", "--spectate", "--player", "2"}, err: "--spectate and --player exclude each other"},
		{args: []string{"--join", "h:1", "--player", "2", "--spectate"}, err: "--spectate and --player exclude each other"},
		// --player 0 used to mean a spectator: now it points to --spectate.
		{args: []string{"--join", "h:1", "--player", "0"}, err: "--player must be 1 to 4 (to watch, use --spectate), got 0"},
		{args: []string{"--join", "h:1", "--player", "5"}, err: "--player must be 1 to 4"},
		{args: []string{"--join", "h:1"}, err: "--join needs --player N (1 to 4), or --spectate"},
		{args: []string{"--spectate"}, err: "--spectate needs --join"},
		{args: []string{"--player", "1"}, err: "--player needs --join"},
		{args: []string{"--lobby", "ws://h:1", "--room", "r", "--spectate"}, err: "--spectate needs --join HOST:PORT"},
		{args: []string{"--lobby", "ws://h:1", "--room", "r", "--player", "2"}, err: "--player needs --join"},
		{args: []string{"--lobby", "ws://h:1", "--join", "h:1", "--spectate"}, err: "exclude each other"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		var f netplayFlags
		f.register(fs)
		if err := fs.Parse(tt.args); err != nil {
			t.Fatalf("%q: parse: %v", tt.args, err)
		}
		err := f.check()
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want one containing %q", tt.args, err, tt.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.args, err)
		case f.enabled() != tt.enabled || f.spectate != tt.spectate || (f.join != "" && !f.spectate && f.player != tt.player):
			t.Errorf("%q: enabled %v, spectate %v, player %d; want %v, %v, %d", tt.args, f.enabled(), f.spectate, f.player,
				tt.enabled, tt.spectate, tt.player)
		}
	}
}
