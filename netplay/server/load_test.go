//go:build linux

package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/n64go/n64/netplay/proto"
)

// TestLoad repeats NETPLAY.md §8's load measurement over loopback: 10
// rooms × 4 players, each player asking for 120 input events a second (4
// ports at 30 Hz) for N64_NETPLAY_LOAD_SECONDS (default 30), and reports
// the request→reply latency the clients see and, for the server alone,
// its CPU time, peak RSS and allocations per datagram. The server runs in
// a child process (this test binary, re-executed), so that the clients'
// CPU and memory are not counted. It is slow, so it only runs with
// N64_NETPLAY_LOAD=1 (make bench-netplay). Stock server (§8): p50 1.7 ms,
// p99 4.6 ms, 38 % of a core, RSS 40 MiB.
func TestLoad(t *testing.T) {
	if os.Getenv(loadChildEnv) != "" {
		runLoadServer(t)
		return
	}
	if os.Getenv("N64_NETPLAY_LOAD") == "" {
		t.Skip("set N64_NETPLAY_LOAD=1 to run")
	}
	seconds := 30
	if s := os.Getenv("N64_NETPLAY_LOAD_SECONDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("N64_NETPLAY_LOAD_SECONDS=%q", s)
		}
		seconds = n
	}
	srv := startLoadServer(t)

	const rooms, players = 10, 4
	var all []*gameClient
	for r := range rooms {
		ws := make([]*wsClient, players)
		for i := range ws {
			ws[i] = dialLobby(t, srv.addr)
		}
		port := ws[0].createRoom(fmt.Sprint("room", r), "p0")
		for i := 1; i < players; i++ {
			ws[i].sendJSON(joinReq(port, fmt.Sprint("p", i)))
			ws[i].expect(proto.TypeReplyJoinRoom)
		}
		ws[0].sendJSON(portReq(proto.TypeRequestBeginGame, port))
		ws[0].expect(proto.TypeReplyBeginGame)
		gs := make([]*gameClient, players)
		for i := range gs {
			gs[i] = dialGame(t, port)
			gs[i].register(uint8(i), proto.PluginNone, uint32(0x1000*(r+1)+i+1))
		}
		for _, g := range gs {
			g.send(proto.GetRegistration{})
		}
		for _, g := range gs {
			if _, err := proto.ReadRegistrationTable(g.br); err != nil {
				t.Fatal(err)
			}
		}
		all = append(all, gs...)
	}

	var mu sync.Mutex
	var lat []time.Duration
	missing, sent := 0, 0
	var wg sync.WaitGroup
	before := srv.stats(t)
	start := time.Now()
	end := start.Add(time.Duration(seconds) * time.Second)
	for _, g := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			lost, datagrams := 0, 0
			buf := make([]byte, 1024)
			tick := time.NewTicker(time.Second / 30)
			defer tick.Stop()
			for count := uint32(0); time.Now().Before(end); count++ {
				<-tick.C
				g.sendUDP(proto.KeyInfoClient{Player: g.slot, Count: count, Keys: proto.Keys(count), Plugin: 1})
				datagrams++
				for p := range uint8(players) {
					t0 := time.Now()
					got := false
					for try := 0; try < 200 && !got; try++ {
						g.sendUDP(proto.RequestKeyInfo{Player: p, RegID: g.regID, Count: count, Buffered: 2})
						datagrams++
						g.udp.SetReadDeadline(time.Now().Add(5 * time.Millisecond))
						for !got {
							n, err := g.udp.Read(buf)
							if errors.Is(err, os.ErrDeadlineExceeded) {
								break
							} else if err != nil {
								return
							}
							k, err := proto.DecodeKeyInfoServer(buf[:n])
							got = err == nil && !k.Gratuitous && k.Player == p && k.Events[0].Count == count
						}
					}
					if got {
						mine = append(mine, time.Since(t0))
					} else {
						lost++
					}
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			missing += lost
			sent += datagrams
			mu.Unlock()
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	after := srv.stats(t)
	if len(lat) == 0 {
		t.Fatal("no reply")
	}
	slices.Sort(lat)
	in := after.DatagramsIn - before.DatagramsIn
	cpu := time.Duration(after.CPUNanos - before.CPUNanos)
	t.Logf("%d rooms × %d players × %d events/s for %v: %d requests, %d unanswered",
		rooms, players, players*30, wall.Round(time.Millisecond), len(lat), missing)
	t.Logf("request→reply p50 %v, p99 %v, max %v",
		lat[len(lat)/2].Round(time.Microsecond), lat[len(lat)*99/100].Round(time.Microsecond), lat[len(lat)-1].Round(time.Microsecond))
	t.Logf("server: CPU %v = %.1f %% of one core; RSS peak (VmHWM) %.1f MiB, at the end %.1f MiB; Go heap in use %.1f MiB",
		cpu.Round(time.Millisecond), 100*cpu.Seconds()/wall.Seconds(), float64(after.MaxRSSKiB)/1024,
		float64(after.RSSKiB)/1024, float64(after.HeapInUse)/(1<<20))
	t.Logf("server: %d datagrams in (clients sent %d), %d out; %d allocations = %.3f per datagram in",
		in, sent, after.DatagramsOut-before.DatagramsOut, after.Mallocs-before.Mallocs,
		float64(after.Mallocs-before.Mallocs)/float64(max(in, 1)))
	if missing > 0 {
		t.Errorf("%d requests unanswered", missing)
	}
}

// loadChildEnv makes TestLoad run the server for the parent test.
const loadChildEnv = "N64_NETPLAY_LOAD_CHILD"

// loadStats is what the server process reports about itself.
type loadStats struct {
	CPUNanos     int64  `json:"cpu_ns"`      // user + system time, all threads
	MaxRSSKiB    int64  `json:"max_rss_kib"` // VmHWM
	RSSKiB       int64  `json:"rss_kib"`     // VmRSS
	HeapInUse    uint64 `json:"heap_inuse"`
	Mallocs      uint64 `json:"mallocs"`
	DatagramsIn  uint64 `json:"datagrams_in"`
	DatagramsOut uint64 `json:"datagrams_out"`
}

// runLoadServer is the child: it runs a server on loopback, prints the
// lobby's address, then answers each "stats" line on standard input with
// a loadStats line, until standard input closes.
func runLoadServer(t *testing.T) {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	s, err := New(Config{Host: "127.0.0.1", Logger: log, Version: "load", MaxLobbyConnsPerIP: 100})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	fmt.Printf("lobby %s\n", s.LobbyAddr())
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if sc.Text() != "stats" {
			continue
		}
		var st loadStats
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		st.CPUNanos = ru.Utime.Nano() + ru.Stime.Nano()
		st.MaxRSSKiB, st.RSSKiB = procStatus("VmHWM:"), procStatus("VmRSS:")
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		st.Mallocs, st.HeapInUse = ms.Mallocs, ms.HeapInuse
		for _, p := range s.lobby.roomPorts() {
			if rs, ok := s.lobby.roomStatus(p); ok {
				st.DatagramsIn += rs.Packets.Received
				st.DatagramsOut += rs.Packets.Replies + rs.Packets.Pushes
			}
		}
		b, _ := json.Marshal(st)
		fmt.Printf("stats %s\n", b)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// procStatus returns a field of /proc/self/status in KiB: VmRSS, the
// resident set, or VmHWM, its peak.
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, field); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// loadServer is the parent's handle on the child.
type loadServer struct {
	addr  string
	stdin io.WriteCloser
	out   *bufio.Scanner
}

func startLoadServer(t *testing.T) *loadServer {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLoad$", "-test.count=1")
	cmd.Env = append(os.Environ(), loadChildEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ls := &loadServer{stdin: stdin, out: bufio.NewScanner(stdout)}
	t.Cleanup(func() {
		stdin.Close()
		io.Copy(io.Discard, stdout)
		if err := cmd.Wait(); err != nil {
			t.Errorf("server process: %v", err)
		}
	})
	line := ls.line(t, "lobby ")
	ls.addr = line
	return ls
}

// line returns the rest of the child's next output line with prefix.
func (ls *loadServer) line(t *testing.T, prefix string) string {
	t.Helper()
	for ls.out.Scan() {
		if rest, ok := strings.CutPrefix(ls.out.Text(), prefix); ok {
			return rest
		}
	}
	t.Fatalf("server process ended without a %q line: %v", prefix, ls.out.Err())
	return ""
}

func (ls *loadServer) stats(t *testing.T) loadStats {
	t.Helper()
	if _, err := io.WriteString(ls.stdin, "stats\n"); err != nil {
		t.Fatal(err)
	}
	var st loadStats
	if err := json.Unmarshal([]byte(ls.line(t, "stats ")), &st); err != nil {
		t.Fatal(err)
	}
	return st
}
