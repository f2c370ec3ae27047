package interop

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/netplay/client"
	"github.com/n64go/n64/netplay/proto"
	"github.com/n64go/n64/netplay/server"
)

const (
	// romPath is krom's two-player input test: it reads both controllers
	// every frame.
	romPath = "../../../shared/roms/krom/Input/CPU2Player/InputCPU2Player.N64.gz"
	// headerDir holds the Mupen64Plus API headers (libmupen64plus-dev).
	headerDir = "/usr/include/mupen64plus"
	// dataDir holds mupen64plus.ini, the core's ROM database
	// (mupen64plus-data); without it the core only warns.
	dataDir = "/usr/share/games/mupen64plus"
	// playSeconds is how long each client runs the game once both are
	// past the start barrier.
	playSeconds = 10
	// emumode is player 1's R4300Emulator setting, sent to player 2 in the
	// netplay settings (§2.2); "" keeps the core's default, the dynarec on
	// amd64. Two dynarec clients have not desynced in this test (nor with
	// "0", the pure interpreter, the fallback should the dynarec ever
	// diverge between two copies).
	emumode = ""

	installHint = "apt-get install libmupen64plus2 libmupen64plus-dev mupen64plus-data (.ci/run does)"
)

// findCore returns the stock core library's path, or "".
func findCore() string {
	var dirs []string
	for _, pattern := range []string{"/usr/lib/*-linux-gnu*", "/usr/lib64", "/usr/lib", "/usr/local/lib"} {
		m, _ := filepath.Glob(pattern)
		dirs = append(dirs, m...)
	}
	for _, d := range dirs {
		p := filepath.Join(d, "libmupen64plus.so.2")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// TestStockClients plays two stock mupen64plus netplay clients (Debian's
// libmupen64plus2, driven through its C API by testdata/m64pdriver.c)
// against our server for playSeconds, each pressing its own pattern
// (testdata/m64pinput.c). Each client talks to the server through a relay
// that records what it sent and received. It asserts:
//   - both clients received the same keys for every event count of each
//     port, and what they consumed they received;
//   - each port's ordered stream is its own player's samples, taken in
//     order (after the events decided before the first sample arrived);
//   - the server flagged no desync: no desync in its log, no status bit 0
//     in any packet, while both clients sent matching CP0 sync data.
func TestStockClients(t *testing.T) {
	if testing.Short() {
		t.Skip("plays two emulators for 10 s")
	}
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found: the test builds its mupen64plus driver with gcc")
	}
	core := findCore()
	if core == "" {
		t.Skip("libmupen64plus.so.2 not found: " + installHint)
	}
	if _, err := os.Stat(filepath.Join(headerDir, "m64p_frontend.h")); err != nil {
		t.Skip("Mupen64Plus headers not found in " + headerDir + ": " + installHint)
	}
	if _, err := os.Stat(romPath); err != nil {
		t.Skipf("%s absent: test needs ../shared/roms", romPath)
	}
	data := dataDir
	if _, err := os.Stat(filepath.Join(dataDir, "mupen64plus.ini")); err != nil {
		data = t.TempDir()
	}

	dir := t.TempDir()
	driver, plugin := buildDriver(t, gcc, dir)
	rom, err := cart.Load(romPath)
	if err != nil {
		t.Fatal(err)
	}
	romFile := filepath.Join(dir, "InputCPU2Player.z64")
	if err := os.WriteFile(romFile, rom.Data, 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	srv, serverLog := startServer(t)
	gameAddr := lobbyGame(ctx, t, "ws://"+srv.LobbyAddr().String(), rom)

	var relays [2]*relay
	var runs [2]*run
	var wg sync.WaitGroup
	start := time.Now()
	for i := range relays {
		player := i + 1
		relays[i] = newRelay(t, gameAddr)
		cfg := filepath.Join(dir, fmt.Sprintf("p%d", player))
		if err := os.Mkdir(cfg, 0o755); err != nil {
			t.Fatal(err)
		}
		args := []string{core, plugin, romFile, cfg, data, "127.0.0.1", strconv.Itoa(relays[i].Port()),
			strconv.Itoa(player), strconv.FormatUint(uint64(client.NewRegID(player)), 10),
			strconv.Itoa(playSeconds), filepath.Join(dir, fmt.Sprintf("p%d.keys", player))}
		if player == 1 && emumode != "" {
			args = append(args, emumode)
		}
		runs[i] = &run{player: player, cmd: exec.CommandContext(ctx, driver, args...)}
		wg.Add(1)
		go func() {
			defer wg.Done()
			runs[i].wait()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	var samples [2][]proto.Keys
	for i, r := range runs {
		r.check(t)
		samples[i] = readSamples(t, filepath.Join(dir, fmt.Sprintf("p%d.keys", i+1)))
	}
	if t.Failed() {
		t.Logf("server log:\n%s", serverLog)
		t.FailNow()
	}
	// Player 2 runs with the R4300 mode player 1 sent (§2.2).
	if a, b := runs[0].emulator(), runs[1].emulator(); a == "" || a != b {
		t.Errorf("R4300 emulators: player 1 %q, player 2 %q; want the same", a, b)
	}
	recs := [2]record{relays[0].snapshot(), relays[1].snapshot()}
	checkStreams(t, recs, samples)
	checkSync(t, recs, serverLog.String())
	t.Logf("both clients ran the %s for %.1f s, from launch to exit", runs[0].emulator(), elapsed.Seconds())
	for i, r := range runs {
		t.Logf("player %d: netplay version %s, %d type 0 sent, %d type 1 and %d type 3 received, "+
			"%s \"received unknown message from server\" lines, %s",
			i+1, r.field("netplay-version"), recs[i].sent[i], recs[i].replies, recs[i].pushes,
			r.field("unknown-packets"), r.ending())
	}
	if t.Failed() {
		t.Logf("server log:\n%s", serverLog)
	}
}

// buildDriver compiles the driver and the input plugin into dir.
func buildDriver(t *testing.T, gcc, dir string) (driver, plugin string) {
	t.Helper()
	driver = filepath.Join(dir, "m64pdriver")
	plugin = filepath.Join(dir, "m64pinput.so")
	for _, args := range [][]string{
		{"-O1", "-Wall", "-Werror", "-I" + headerDir, "-o", driver, "testdata/m64pdriver.c", "-ldl", "-lpthread"},
		{"-O1", "-Wall", "-Werror", "-I" + headerDir, "-shared", "-fPIC", "-o", plugin, "testdata/m64pinput.c"},
	} {
		if out, err := exec.Command(gcc, args...).CombinedOutput(); err != nil {
			t.Fatalf("gcc %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return driver, plugin
}

// startServer runs our server in-process on loopback with OS-chosen
// ports; its log is returned.
func startServer(t *testing.T) (*server.Server, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	s, err := server.New(server.Config{Host: "127.0.0.1", Version: "interop-test",
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
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
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("server: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("server did not stop")
		}
	})
	return s, logs
}

// lobbyGame plays the front ends' part, which the core does not speak:
// player 1 creates a room, player 2 joins, player 1 begins the game (§1,
// §4). It returns the room's game server address.
func lobbyGame(ctx context.Context, t *testing.T, url string, rom *cart.ROM) string {
	t.Helper()
	quiet := slog.New(slog.DiscardHandler)
	var lobbies [2]*client.Lobby
	for i, name := range []string{"p1", "p2"} {
		l, err := client.DialLobby(ctx, client.LobbyConfig{URL: url, PlayerName: name,
			Emulator: "Mupen64Plus", ClientSHA: "stock-2.5.9", Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		lobbies[i] = l
	}
	if _, err := lobbies[0].CreateRoom(ctx, "interop", "", rom, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := lobbies[1].JoinRoom(ctx, "interop", "", rom); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for i, l := range lobbies {
		go func() {
			p, err := l.WaitStart(ctx, 2, nil)
			if err == nil && p != i+1 {
				err = fmt.Errorf("got player %d, want %d", p, i+1)
			}
			errs <- err
		}()
	}
	for range lobbies {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	return lobbies[0].GameAddr()
}

// run is one driver process.
type run struct {
	player int
	cmd    *exec.Cmd
	stdout bytes.Buffer
	stderr bytes.Buffer
	err    error
}

func (r *run) wait() {
	r.cmd.Stdout, r.cmd.Stderr = &r.stdout, &r.stderr
	r.err = r.cmd.Run()
}

// field returns the value after "key " or "key=" on the driver's first
// line for key.
func (r *run) field(key string) string {
	for line := range strings.Lines(r.stdout.String()) {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, key+" "); ok {
			return v
		}
		if v, ok := strings.CutPrefix(line, key+"="); ok {
			return v
		}
	}
	return ""
}

// emulator returns the R4300 mode the core logged at start.
func (r *run) emulator() string {
	const key = "Starting R4300 emulator: "
	_, after, ok := strings.Cut(r.stderr.String(), key)
	if !ok {
		return ""
	}
	line, _, _ := strings.Cut(after, "\n")
	return strings.TrimSpace(line)
}

// gameDone reports whether the game ran and stopped normally: everything
// after that line is M64CMD_NETPLAY_CLOSE and shutdown.
func (r *run) gameDone() bool { return r.field("execute-done") == "rc=0" }

// ending describes how the process ended after the game.
func (r *run) ending() string {
	if r.err == nil {
		return "NETPLAY_CLOSE " + r.field("netplay-close") + ", exit 0"
	}
	return fmt.Sprintf("died after the game (%v) at NETPLAY_CLOSE or shutdown, not counted", r.err)
}

// check fails the test unless the client ran the game to its end: a
// failure before that is the client's or the server's, a crash after it
// (NETPLAY_CLOSE frees the core's event lists after main_run returned) is
// a known stock-client fault and not counted.
func (r *run) check(t *testing.T) {
	t.Helper()
	ok := r.gameDone() && r.field("netplay-get-version") == "rc=0" &&
		strings.Contains(r.stdout.String(), "\nrunning\n") && r.field("lost-connection") == "0"
	if !ok {
		t.Errorf("player %d: the game did not run to its end (%v)\nstdout:\n%s\nstderr:\n%s",
			r.player, r.err, r.stdout.String(), r.stderr.String())
	}
}

// readSamples reads the plugin's log of what it answered, poll by poll.
func readSamples(t *testing.T, path string) []proto.Keys {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []proto.Keys
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var n uint
		var v uint32
		if _, err := fmt.Sscanf(sc.Text(), "%d %x", &n, &v); err != nil || n != uint(len(out)) {
			t.Fatalf("%s line %d: %q", path, len(out)+1, sc.Text())
		}
		out = append(out, proto.Keys(v))
	}
	return out
}

// minEvents is the least number of events per port both clients must
// have received: the ROM reads each controller about twice per VI, so
// playSeconds give about 1200 (measured); a quarter of that leaves room
// for a loaded machine.
const minEvents = 300

// checkStreams compares the (count → keys) streams the two clients
// received for each port, and each port's stream with the samples of the
// player who controls it.
func checkStreams(t *testing.T, recs [2]record, samples [2][]proto.Keys) {
	t.Helper()
	for i, rec := range recs {
		if len(rec.conflicts) > 0 {
			t.Errorf("player %d's client was sent one count with two values: %q", i+1, rec.conflicts)
		}
		if len(rec.malformed) > 0 {
			t.Errorf("player %d's client: malformed datagrams: %q", i+1, rec.malformed[:min(5, len(rec.malformed))])
		}
		for p := range 2 {
			for c := range rec.consumed[p] {
				if _, ok := rec.events[p][c]; !ok {
					t.Errorf("player %d's client consumed port %d's event %d, which it was never sent", i+1, p+1, c)
					break
				}
			}
		}
	}
	for p := range 2 {
		a, b := recs[0].events[p], recs[1].events[p]
		common, diff := 0, 0
		for c, ka := range a {
			kb, ok := b[c]
			if !ok {
				continue
			}
			common++
			if ka != kb && diff < 5 {
				diff++
				t.Errorf("port %d count %d: player 1's client got %08x, player 2's %08x", p+1, c, uint32(ka), uint32(kb))
			}
		}
		if common < minEvents {
			t.Errorf("port %d: the clients received %d events in common, want ≥ %d", p+1, common, minEvents)
		}

		// The port's stream as decided, from count 0 on.
		var stream []proto.Keys
		for c := uint32(0); ; c++ {
			k, ok := a[c]
			if !ok {
				if k, ok = b[c]; !ok {
					break
				}
			}
			stream = append(stream, k)
		}
		own := min(int(recs[p].consumed[p]), len(stream))
		zeros, err := sampledInOrder(stream[:own], samples[p])
		if err != nil {
			t.Errorf("port %d: the stream player %d consumed is not its samples in order: %v", p+1, p+1, err)
		}
		for c, k := range stream[own:] {
			if k != 0 && !slices.Contains(samples[p], k) {
				t.Errorf("port %d count %d: keys %08x after player %d stopped is none of its samples", p+1, own+c, uint32(k), p+1)
				break
			}
		}
		distinct := map[proto.Keys]bool{}
		for _, k := range stream[:own] {
			if k != 0 {
				distinct[k] = true
			}
		}
		if len(distinct) < 20 {
			t.Errorf("port %d: only %d distinct keys values of player %d's pattern played", p+1, len(distinct), p+1)
		}
		t.Logf("port %d: %d events decided, %d received by both clients and equal, player %d consumed %d (%d neutral before its first sample, %d distinct values), from %d samples",
			p+1, len(stream), common, p+1, own, zeros, len(distinct), len(samples[p]))
	}
}

// sampledInOrder checks that stream is some events of neutral keys (those
// decided before the player's first sample reached the server) followed
// by samples taken in order, each for one or more events: the server
// copies its latest sample into every event it decides (§3.2), so samples
// may repeat or be skipped but never go back. It returns the number of
// leading neutral events.
func sampledInOrder(stream, samples []proto.Keys) (zeros int, err error) {
	for zeros < len(stream) && stream[zeros] == 0 {
		zeros++
	}
	j := 0
	for c := zeros; c < len(stream); c++ {
		for j < len(samples) && samples[j] != stream[c] {
			j++
		}
		if j == len(samples) {
			return zeros, fmt.Errorf("count %d: keys %08x does not follow the sample matched for count %d", c, uint32(stream[c]), c-1)
		}
	}
	return zeros, nil
}

// minSyncPoints is the least number of VI counts both clients must have
// reported: this core sends its CP0 registers every 60 VIs (mupen64plus-
// core before 2023-07; 600 since, §3.6), so about 10 in playSeconds.
const minSyncPoints = 5

// checkSync checks that the server saw no desync and had something to
// compare.
func checkSync(t *testing.T, recs [2]record, serverLog string) {
	t.Helper()
	for line := range strings.Lines(serverLog) {
		if strings.Contains(line, "msg=desync") {
			t.Errorf("server: %s", strings.TrimSpace(line))
		}
	}
	for i, rec := range recs {
		if rec.status.Desync() {
			t.Errorf("player %d's client was sent the desync bit (status %#02x)", i+1, uint8(rec.status))
		}
	}
	var vis []uint32
	for vi, a := range recs[0].sync {
		if b, ok := recs[1].sync[vi]; ok {
			vis = append(vis, vi)
			if a != b {
				r := 0
				for k := range a {
					if a[k] != b[k] {
						r = k
						break
					}
				}
				t.Errorf("VI %d: CP0 register %d is %#x for player 1, %#x for player 2", vi, r, a[r], b[r])
			}
		}
	}
	slices.Sort(vis)
	if len(vis) < minSyncPoints {
		t.Errorf("both clients sent sync data for %d VI counts (%v), want ≥ %d", len(vis), vis, minSyncPoints)
	}
	t.Logf("sync data: %d VI counts from both clients (%v), all equal unless reported", len(vis), vis)
}

// logBuffer is a concurrency-safe log sink.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
