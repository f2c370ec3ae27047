package main

import (
	"bufio"
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/n64go/n64/netplay/server"
)

// cpu2Player is krom's two-player input test: every controller poll moves
// player 1's dot (from x=140, y=120, white) and player 2's (from x=180,
// y=120, red) one pixel per D-pad direction held and draws it, never
// erasing, so the screen keeps each player's path (Input/CPU2Player/
// InputCPU2Player.asm in PeterLemon/N64).
const cpu2Player = sharedROMs + "krom/Input/CPU2Player/InputCPU2Player.N64.gz"

// startLobby runs our netplay server in this process on loopback and
// returns its lobby URL.
func startLobby(t *testing.T) string {
	t.Helper()
	s, err := server.New(server.Config{Host: "127.0.0.1", Version: "test", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	return "ws://" + s.LobbyAddr().String()
}

// process is a running n64 whose stderr is collected line by line.
type process struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stderr bytes.Buffer
	lines  chan string
	done   chan struct{}
}

func startN64(t *testing.T, bin string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, args...), lines: make(chan string, 64), done: make(chan struct{})}
	r, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			p.mu.Lock()
			p.stderr.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			select {
			case p.lines <- sc.Text():
			default:
			}
		}
	}()
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	return p
}

// waitLine waits for a stderr line containing s and returns it.
func (p *process) waitLine(t *testing.T, s string, limit time.Duration) string {
	t.Helper()
	timeout := time.After(limit)
	for {
		select {
		case l := <-p.lines:
			if strings.Contains(l, s) {
				return l
			}
		case <-p.done:
			t.Fatalf("exited before printing %q:\n%s", s, p.log())
		case <-timeout:
			t.Fatalf("no %q in %v:\n%s", s, limit, p.log())
		}
	}
}

func (p *process) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// wait returns the exit status.
func (p *process) wait(t *testing.T) int {
	t.Helper()
	<-p.done
	err := p.cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0
}

// pathOf is the bounding box and count of the pixels of colour c.
func pathOf(img image.Image, r, g, b uint32) (box image.Rectangle, n int) {
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if pr>>8 == r && pg>>8 == g && pb>>8 == b {
				box = box.Union(image.Rect(x, y, x+1, y+1))
				n++
			}
		}
	}
	return box, n
}

// TestRunHeadlessNetplay: two n64 run --headless processes join one lobby
// room of our server and play InputCPU2Player from one script, each taking
// its own port's lines, and a third watches with --join --spectate. All
// exit 0 (no desync, no lost connection), their last frames are
// byte-identical PNGs, and each screen shows both players' moves: player 1
// went left then down, player 2 up then right. The spectator stops 50
// frames early, since the room closes when the players leave; the last
// move is at frame 100 and the ROM never erases, so its screen is final.
func TestRunHeadlessNetplay(t *testing.T) {
	if _, err := os.Stat(cpu2Player); err != nil {
		t.Skip("shared ROMs absent:", err)
	}
	bin := buildN64(t)
	url := startLobby(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "session.txt")
	os.WriteFile(script, []byte(`# each player presses two directions for two frames
40 P1 DL
42 P1 -
60 P2 DU
62 P2 -
80 P1 DD
82 P1 -
100 P2 DR
102 P2 -
`), 0o644)
	run := func(name string, args ...string) *process {
		return startN64(t, bin, append([]string{"run", "--headless", "--frames", "300", "--no-saves", "--input", script,
			"--screenshot", filepath.Join(dir, name+".png"), "--lobby", url, "--name", name}, append(args, cpu2Player)...)...)
	}
	alice := run("alice", "--create-room", "r", "--players", "2")
	alice.waitLine(t, `room "r" created`, 20*time.Second)
	bob := run("bob", "--room", "r")
	// "player 1 at HOST:PORT; waiting …" once player 1 registered.
	l := alice.waitLine(t, "player 1 at ", 20*time.Second)
	addr, _, _ := strings.Cut(l[strings.Index(l, " at ")+4:], ";")
	carol := startN64(t, bin, "run", "--headless", "--frames", "250", "--no-saves", "--input", script,
		"--screenshot", filepath.Join(dir, "carol.png"), "--join", addr, "--spectate", cpu2Player)
	carol.waitLine(t, "spectating at "+addr, 20*time.Second)
	for _, p := range []*process{alice, bob, carol} {
		if code := p.wait(t); code != 0 {
			t.Fatalf("exit %d:\n%s", code, p.log())
		}
	}
	var a []byte
	for _, name := range []string{"alice", "bob", "carol"} {
		b, err := os.ReadFile(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if a == nil {
			a = b
		} else if !bytes.Equal(a, b) {
			t.Fatalf("%s's last frame differs from alice's", name)
		}
	}
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	// Each held direction lasts two frames of several polls each, so a
	// path is tens of pixels; it must have gone both ways its player
	// pressed and no other way.
	white, nw := pathOf(img, 255, 255, 255)
	red, nr := pathOf(img, 255, 0, 0)
	if white.Max.X != 141 || white.Min.Y != 120 || white.Min.X >= 140 || white.Max.Y <= 121 || nw < 10 {
		t.Errorf("player 1's path %v (%d pixels): want it to go left and down from (140,120)", white, nw)
	}
	if red.Min.X != 180 || red.Max.Y != 121 || red.Max.X <= 181 || red.Min.Y >= 120 || nr < 10 {
		t.Errorf("player 2's path %v (%d pixels): want it to go up and right from (180,120)", red, nr)
	}
	t.Logf("player 1's path %v (%d pixels), player 2's %v (%d)", white, nw, red, nr)
}

// run --headless takes play's netplay flags and checks them the same way,
// before anything connects.
func TestRunNetplayFlags(t *testing.T) {
	bin := buildN64(t)
	rom := "../../roms/testdata/alu.z64"
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--room", "r"}, "need --lobby"},
		{[]string{"--join", "127.0.0.1:1", "--player", "5"}, "--player must be 1 to 4"},
		{[]string{"--join", "127.0.0.1:1", "--player", "1", "--spectate"}, "exclude each other"},
		{[]string{"--lobby", "ws://127.0.0.1:1"}, "exactly one of --room"},
		// Nothing listens on port 1: the connection is refused.
		{[]string{"--join", "127.0.0.1:1", "--player", "1"}, "game server"},
	} {
		_, stderr, code := runN64(t, bin, append(append([]string{"run", "--headless"}, tt.args...), rom)...)
		if code != exitBadInput || !strings.Contains(stderr, tt.want) {
			t.Errorf("run %q: exit %d, stderr %q; want exit 1 mentioning %q", tt.args, code, stderr, tt.want)
		}
	}
	_, stderr, _ := runN64(t, bin, "run", "--help")
	for _, want := range []string{"-lobby", "-create-room", "-room", "-password", "-join", "-player", "-spectate", "-name", "-players", "own port"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("run --help lacks %q", want)
		}
	}
}
