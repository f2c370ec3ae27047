package main

import (
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
	for _, want := range []string{"-lobby", "-create-room", "-room", "-password", "-join", "-player", "-name", "-players"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("play --help lacks %q", want)
		}
	}
}
