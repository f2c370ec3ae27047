//go:build unix

package client

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/pif"
	"github.com/n64go/n64/netplay/server"
)

// TestLatency measures, for two clients of our server on loopback, the
// input latency netplay adds and the CPU time the client costs, at buffer
// targets 1, 2 and 3 (server.Config.BufferTarget, n64 serve
// --buffer-target). Run it with
//
//	N64_NETPLAY_LATENCY=1 go test ./netplay/client -run 'TestLatency$' -v
//
// Both machines run the demo, which polls controller 1 once a frame, in
// step at 60 frames a second, as two players' windows would; player 1
// presses and releases A every 10 frames (player 2's B is never read). Latency is the
// number of frames from the frame in which the local controller was
// sampled with a new state to the frame in which the core first read
// that state through the client (0 without netplay). CPU time is
// measured on a second game of two clients without machines, reading the
// ports the demo polls once a frame each at the same pace; the server
// runs in another process, so this process's CPU time is the clients'.
func TestLatency(t *testing.T) {
	if os.Getenv("N64_NETPLAY_LATENCY") == "" {
		t.Skip("set N64_NETPLAY_LATENCY=1 to measure netplay latency and client CPU time")
	}
	const frames = 600
	rom := demoROM(t)
	scripts := func() []*script {
		var ss []*script
		for p, b := range []pif.Buttons{pif.ButtonA, pif.ButtonB} {
			s := &script{}
			for f := 30 + 5*p; f < frames-20; f += 20 {
				s.steps = append(s.steps, step{f, pif.Input{Buttons: b}}, step{f + 10, pif.Input{}})
			}
			ss = append(ss, s)
		}
		return ss
	}

	// The pacing loop of two players with nothing to do, for comparison.
	loopCPU, _ := cpuTime(func() {
		b := &barrier{n: 2, gen: make(chan struct{}), done: pacer()}
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				for range frames {
					b.wait(false)
				}
			})
		}
		wg.Wait()
	})
	for target := 1; target <= 3; target++ {
		url := serverProcess(t, target)
		addr := lobbyGame(t, url, rom)
		seats := joinSeats(t, []string{addr, addr}, rom, core.DefaultOptions(), scripts(), Config{}, nil)
		logs := make([]*timedLog, len(seats))
		for i, s := range seats {
			if got := s.c.BufferTarget(); got != uint8(target) {
				t.Fatalf("buffer target %d, want %d", got, target)
			}
			logs[i] = &timedLog{frame: &s.local.frame}
			s.c.SetLocal(&timedInput{src: s.local, log: logs[i], local: true})
			s.m.SetInput(&timedInput{src: s.c, log: logs[i]})
		}
		took, err := lockstep(seats, frames, false, pacer())
		if err != nil {
			t.Fatal(err)
		}
		var lat []int
		for i, l := range logs {
			// Player i's presses as its own machine and the other's saw them.
			for _, other := range logs {
				lat = append(lat, l.latencies(other, i)...)
			}
		}
		// Player 1's 28 presses and 28 releases, each seen by both machines.
		if len(lat) < 2*2*(frames/20-3) {
			t.Fatalf("only %d presses seen", len(lat))
		}
		slices.Sort(lat)
		sum := 0
		for _, v := range lat {
			sum += v
		}
		var inInput time.Duration
		for _, l := range logs {
			inInput += l.wait
		}
		t.Logf("buffer target %d: %d presses, latency %.2f frames on average (min %d, median %d, max %d); "+
			"the core waited %.0f µs a frame in Client.Input; %v for %d frames",
			target, len(lat), float64(sum)/float64(len(lat)), lat[0], lat[len(lat)/2], lat[len(lat)-1],
			float64(inInput.Microseconds())/float64(frames*len(seats)), took.Round(time.Millisecond), frames)
		for _, s := range seats {
			s.c.Close()
		}

		// The clients alone, in step at 60 frames a second, each reading
		// ports 1 and 2 once a frame as a two-player game does (the demo
		// polls port 1 only): this process's CPU time is theirs and the
		// loop's, measured alone above.
		addr = lobbyGame(t, serverProcess(t, target), rom)
		seats = joinSeats(t, []string{addr, addr}, rom, core.DefaultOptions(), scripts(), Config{}, nil)
		cpu, wall := cpuTime(func() {
			b := &barrier{n: len(seats), gen: make(chan struct{}), done: pacer()}
			var wg sync.WaitGroup
			for _, s := range seats {
				wg.Go(func() {
					for f := range frames {
						s.local.frame = f
						s.c.Input(0)
						s.c.Input(1)
						b.wait(false)
					}
				})
			}
			wg.Wait()
		})
		for _, s := range seats {
			if err := s.c.Err(); err != nil {
				t.Fatal(err)
			}
			s.c.Close()
		}
		t.Logf("buffer target %d, clients alone: %d frames in %v, CPU %v with the loop's %v: %.0f µs a frame per client",
			target, frames, wall.Round(time.Millisecond), cpu.Round(time.Millisecond), loopCPU.Round(time.Millisecond),
			float64((cpu-loopCPU).Microseconds())/frames/float64(len(seats)))
	}
}

// pacer returns a barrier callback that holds the frames to 60 a second.
func pacer() func() bool {
	next := time.Now()
	return func() bool {
		next = next.Add(time.Second / 60)
		time.Sleep(time.Until(next))
		return false
	}
}

// cpuTime runs f and returns the process's CPU time (user and system) and
// the wall time it took.
func cpuTime(f func()) (cpu, wall time.Duration) {
	usage := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	c0, t0 := usage(), time.Now()
	f()
	return usage() - c0, time.Since(t0)
}

// timedLog records, per port, the frame of each local sample and of each
// event the core read, and the time spent in the client's Input.
type timedLog struct {
	frame   *int
	mu      sync.Mutex
	sampled []timedInputEvent // the local controller, own port only
	read    [pif.NumPorts][]timedInputEvent
	wait    time.Duration
	calls   int
}

type timedInputEvent struct {
	frame int
	in    pif.Input
}

type timedInput struct {
	src   pif.InputSource
	log   *timedLog
	local bool
}

func (t *timedInput) Input(port int) pif.Input {
	start := time.Now()
	in := t.src.Input(port)
	d := time.Since(start)
	l := t.log
	l.mu.Lock()
	defer l.mu.Unlock()
	e := timedInputEvent{*l.frame, in}
	if t.local {
		l.sampled = append(l.sampled, e)
	} else {
		l.read[port] = append(l.read[port], e)
		l.wait += d
		l.calls++
	}
	return in
}

// latencies: for each change of state in l's local samples (player
// port+1's controller), the frames until other's core first read that
// state on port after the sample.
func (l *timedLog) latencies(other *timedLog, port int) []int {
	var out []int
	prev := pif.Input{}
	j := 0
	read := other.read[port]
	for _, s := range l.sampled {
		if s.in == prev {
			continue
		}
		prev = s.in
		for j < len(read) && (read[j].frame < s.frame || read[j].in != s.in) {
			j++
		}
		if j == len(read) {
			break
		}
		out = append(out, read[j].frame-s.frame)
	}
	return out
}

// serverProcess runs our server with buffer target T in a child process
// (this test binary, as TestLatencyServer) and returns its lobby URL.
func serverProcess(t *testing.T, target int) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLatencyServer$")
	cmd.Env = append(os.Environ(), "N64_NETPLAY_TEST_SERVER="+strconv.Itoa(target))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if url, ok := strings.CutPrefix(sc.Text(), "lobby "); ok {
			go io.Copy(io.Discard, stdout)
			return url
		}
	}
	t.Fatalf("the server process printed no lobby address: %v", sc.Err())
	return ""
}

// TestLatencyServer is TestLatency's server process: it serves until its
// standard input closes.
func TestLatencyServer(t *testing.T) {
	target, err := strconv.Atoi(os.Getenv("N64_NETPLAY_TEST_SERVER"))
	if err != nil {
		t.Skip("the server process of TestLatency")
	}
	s, err := server.New(server.Config{Host: "127.0.0.1", Version: "test", BufferTarget: target,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { io.Copy(io.Discard, os.Stdin); cancel() }()
	fmt.Printf("lobby ws://%s\n", s.LobbyAddr())
	if err := s.Serve(ctx); err != nil {
		t.Fatal(err)
	}
}
