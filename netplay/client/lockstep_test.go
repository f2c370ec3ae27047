package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/pif"
	"github.com/n64go/n64/netplay/proto"
)

// cpu2PlayerPath is krom's two-player input test (PeterLemon/N64,
// Input/CPU2Player/InputCPU2Player.asm). Each pass of its loop reads
// controllers 1 and 2 with one PIF command block (channels 3 and 4 are
// skipped), moves player 1's dot (from x=140, y=120) and player 2's (from
// x=180, y=120) one pixel per D-pad direction held (up, down, left, right
// in that order; the dot is an address, so x wraps into the next line),
// then draws player 1's white (0xFFFFFFFF) and player 2's red
// (0xFF0000FF) in a 320×240 32-bit frame buffer it cleared to black. It
// never erases: the screen keeps each player's path.
const cpu2PlayerPath = "../../../shared/roms/krom/Input/CPU2Player/InputCPU2Player.N64.gz"

func cpu2PlayerROM(t testing.TB) *cart.ROM {
	t.Helper()
	if _, err := os.Stat(cpu2PlayerPath); err != nil {
		t.Skip("shared ROMs absent:", err)
	}
	rom, err := cart.Load(cpu2PlayerPath)
	if err != nil {
		t.Fatal(err)
	}
	return rom
}

// dotStart is where each controller's dot starts, and dotColor its colour.
var (
	dotStart = [2]image.Point{{140, 120}, {180, 120}}
	dotColor = [2][3]byte{{0xFF, 0xFF, 0xFF}, {0xFF, 0, 0}}
)

// dotPath is the set of pixels the ROM draws for one controller given the
// events it played: the dot after each event's move.
func dotPath(start image.Point, played []pif.Input) map[image.Point]bool {
	const w, h = 320, 240
	a := start.Y*w + start.X
	path := make(map[image.Point]bool)
	for _, in := range played {
		if in.Buttons&pif.DUp != 0 {
			a -= w
		}
		if in.Buttons&pif.DDown != 0 {
			a += w
		}
		if in.Buttons&pif.DLeft != 0 {
			a--
		}
		if in.Buttons&pif.DRight != 0 {
			a++
		}
		if a >= 0 && a < w*h {
			path[image.Pt(a%w, a/w)] = true
		}
	}
	return path
}

// seat is one client of a lockstep run with its machine.
type seat struct {
	c      *Client
	m      *core.Machine
	local  *script
	sample *sampler
	rec    *recorder
	hashes [][32]byte
	vis    []uint32 // VIs seen after each frame
	polls  []int    // port 1 events played by the end of each frame
	desync int      // first frame after which Status showed the desync; −1 none
}

// sampler records the local controller's readings, one per event of the
// player's own port.
type sampler struct {
	src     pif.InputSource
	mu      sync.Mutex
	sampled []pif.Input
}

func (s *sampler) Input(port int) pif.Input {
	in := s.src.Input(port)
	s.mu.Lock()
	s.sampled = append(s.sampled, in)
	s.mu.Unlock()
	return in
}

// joinSeats dials one client per script at addrs[i] (player i+1), boots
// them together (player 1 sends opts) and sets up their machines, built
// by build (nil: core.New with the session's options).
func joinSeats(t *testing.T, addrs []string, rom *cart.ROM, opts core.Options, scripts []*script, cfg Config,
	build func(i int, c *Client) (*core.Machine, error)) []*seat {
	t.Helper()
	players := make([]int, len(scripts))
	for i := range players {
		players[i] = i + 1
	}
	return joinSeatsAs(t, addrs, players, rom, opts, scripts, cfg, build)
}

// joinSeatsAs is joinSeats with the player number of each client: 0
// joins as a spectator, which must come after player 1 (it registers for
// player 1's slot and expects the refusal, §3.7).
func joinSeatsAs(t *testing.T, addrs []string, players []int, rom *cart.ROM, opts core.Options, scripts []*script, cfg Config,
	build func(i int, c *Client) (*core.Machine, error)) []*seat {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	seats := make([]*seat, len(scripts))
	for i, sc := range scripts {
		s := &seat{local: sc, desync: -1}
		s.sample = &sampler{src: sc}
		cc := cfg
		cc.Addr, cc.Player, cc.Local, cc.Logger = addrs[i], players[i], s.sample, quietLogger()
		c, err := Dial(ctx, cc)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		s.c = c
		seats[i] = s
	}
	errs := make(chan error, len(seats))
	for _, s := range seats {
		go func() { errs <- s.c.Boot(ctx, opts, BlankSaves()) }()
	}
	for range seats {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if build == nil {
		build = func(_ int, c *Client) (*core.Machine, error) { return core.New(rom, c.Options()) }
	}
	for i, s := range seats {
		m, err := build(i, s.c)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.c.Setup(m); err != nil {
			t.Fatal(err)
		}
		s.m = m
		s.rec = &recorder{src: s.c}
		m.SetInput(s.rec)
	}
	return seats
}

// barrier holds every seat at the end of each frame until all have
// finished it, as the 60 Hz speed limiter of real players would; stop
// ends the run for everyone.
type barrier struct {
	n, count int
	mu       sync.Mutex
	gen      chan struct{}
	stopped  bool
	done     func() bool // asked once all have arrived; true stops the run
}

func (b *barrier) wait(stop bool) bool {
	b.mu.Lock()
	b.stopped = b.stopped || stop
	b.count++
	ch := b.gen
	if b.count == b.n {
		if b.done != nil && b.done() {
			b.stopped = true
		}
		b.count, b.gen = 0, make(chan struct{})
		close(ch)
	}
	b.mu.Unlock()
	<-ch
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stopped
}

// lockstep runs every seat's machine for frames frames, each on its own
// goroutine, in step. Each frame it records the VI count, the desync
// flag's first appearance and, with hash, Machine.Hash; done (optional)
// can end the run early. It returns the wall time taken and the first
// error.
func lockstep(seats []*seat, frames int, hash bool, done func() bool) (time.Duration, error) {
	b := &barrier{n: len(seats), gen: make(chan struct{}), done: done}
	errs := make(chan error, len(seats))
	start := time.Now()
	for _, s := range seats {
		go func() {
			defer func() {
				if r := recover(); r != nil {
					errs <- fmt.Errorf("player %d: panic: %v", s.c.Player(), r)
					b.wait(true)
				}
			}()
			for f := range frames {
				s.local.frame = f
				err := s.m.RunFrame()
				if err == nil {
					err = s.c.Err()
				}
				if err != nil {
					errs <- fmt.Errorf("player %d frame %d: %w", s.c.Player(), f, err)
					b.wait(true)
					return
				}
				if hash {
					s.hashes = append(s.hashes, s.m.Hash())
				}
				s.vis = append(s.vis, s.c.vi)
				s.polls = append(s.polls, len(s.rec.played[0]))
				if s.desync < 0 && s.c.Status().Desync() {
					s.desync = f
				}
				if b.wait(false) {
					break
				}
			}
			errs <- nil
		}()
	}
	var first error
	for range seats {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return time.Since(start), first
}

// run is a stretch of equal readings in a stream of events.
type run struct {
	in pif.Input
	n  int
}

func runsOf(events []pif.Input) []run {
	var rs []run
	for _, in := range events {
		if len(rs) > 0 && rs[len(rs)-1].in == in {
			rs[len(rs)-1].n++
			continue
		}
		rs = append(rs, run{in, 1})
	}
	return rs
}

// states are the distinct readings a script goes through, in order,
// starting with nothing pressed.
func (s *script) states() []pif.Input {
	out := []pif.Input{{}}
	for _, st := range s.steps {
		if st.in != out[len(out)-1] {
			out = append(out, st.in)
		}
	}
	return out
}

// cpu2PlayerScripts: players 1 and 2 draw paths that do not cross (about
// 30 polls a frame, so each frame held is a segment of about 30 pixels)
// and then hold other buttons and the stick, which the ROM ignores but
// the streams must carry; players 3 and 4 hold buttons the whole game.
// Every press lasts at least two frames: the server samples the owner's
// latest input when the lead decides an event (§3.2), and this ROM's
// polls come in bursts of a frame, so a one-frame press can be lost
// whenever one machine starts its frame a little before another.
func cpu2PlayerScripts() []*script {
	return []*script{
		{steps: []step{{100, pif.Input{Buttons: pif.DLeft}}, {103, pif.Input{}}, {200, pif.Input{Buttons: pif.DDown}}, {202, pif.Input{}},
			{300, pif.Input{Buttons: pif.DRight}}, {302, pif.Input{}}, {400, pif.Input{Buttons: pif.ButtonA, X: 50}}, {450, pif.Input{}}}},
		{steps: []step{{150, pif.Input{Buttons: pif.DUp}}, {152, pif.Input{}}, {250, pif.Input{Buttons: pif.DRight}}, {252, pif.Input{}},
			{350, pif.Input{Buttons: pif.DDown}}, {352, pif.Input{}}, {420, pif.Input{Buttons: pif.ButtonB | pif.ButtonZ, Y: -60}}, {470, pif.Input{}}}},
		{steps: []step{{0, pif.Input{Buttons: pif.CUp | pif.ButtonL, X: -40, Y: 20}}}},
		{steps: []step{{0, pif.Input{Buttons: pif.ButtonZ | pif.ButtonR}}}},
	}
}

// checkCPU2Player checks a lockstep run of InputCPU2Player: identical
// machines at every frame, identical streams on ports 1 and 2 that go
// through exactly their owner's scripted states, and on every screen
// exactly the two paths those streams draw. Each press lasts as long as
// it was sampled, give or take a frame's polls (the skew the barrier
// allows between machines) and 5 events (changes of the server's buffer
// size B).
func checkCPU2Player(t *testing.T, seats []*seat, frames int) {
	t.Helper()
	ref := seats[0]
	tol, prev := 0, 0
	for _, n := range ref.polls {
		tol, prev = max(tol, n-prev), n
	}
	tol += 5
	for _, s := range seats {
		if len(s.hashes) != frames {
			t.Fatalf("player %d hashed %d frames, want %d", s.c.Player(), len(s.hashes), frames)
		}
		for f := range frames {
			if s.hashes[f] != ref.hashes[f] {
				t.Fatalf("frame %d: player %d's machine hash %x differs from player 1's %x", f, s.c.Player(), s.hashes[f][:8], ref.hashes[f][:8])
			}
		}
		if s.desync >= 0 {
			t.Errorf("player %d saw a desync after frame %d", s.c.Player(), s.desync)
		}
	}
	for port := range 2 {
		played := ref.rec.played[port]
		for _, s := range seats[1:] {
			if len(s.rec.played[port]) != len(played) {
				t.Fatalf("port %d: player %d played %d events, player 1 %d", port+1, s.c.Player(), len(s.rec.played[port]), len(played))
			}
		}
		got, sampled := runsOf(played), runsOf(seats[port].sample.sampled)
		want := seats[port].local.states()
		if len(got) != len(want) || len(sampled) != len(want) {
			t.Fatalf("port %d played %v, sampled %v; want the states %v", port+1, got, sampled, want)
		}
		for i := range want {
			if got[i].in != want[i] {
				t.Fatalf("port %d run %d is %+v, want %+v (played %v)", port+1, i, got[i].in, want[i], got)
			}
			// The last run ends with the game, not with a release.
			if i > 0 && i < len(want)-1 && (got[i].n < sampled[i].n-tol || got[i].n > sampled[i].n+tol) {
				t.Errorf("port %d: %+v played for %d events, sampled for %d", port+1, want[i], got[i].n, sampled[i].n)
			}
		}
	}
	paths := [2]map[image.Point]bool{dotPath(dotStart[0], ref.rec.played[0]), dotPath(dotStart[1], ref.rec.played[1])}
	for _, s := range seats {
		img := s.m.Frame()
		var bad []string
		for y := range img.Rect.Dy() {
			for x := range img.Rect.Dx() {
				p := img.Pix[y*img.Stride+4*x:]
				c := [3]byte{p[0], p[1], p[2]}
				pt := image.Pt(x, y)
				want := [3]byte{}
				switch {
				case paths[1][pt]:
					want = dotColor[1] // drawn after player 1's
				case paths[0][pt]:
					want = dotColor[0]
				}
				if c != want && len(bad) < 5 {
					bad = append(bad, fmt.Sprintf("(%d,%d) is %v, want %v", x, y, c, want))
				}
			}
		}
		if len(bad) > 0 {
			t.Errorf("player %d's screen: %v", s.c.Player(), bad)
		}
	}
	// Player 1 went left and down from its start, never up; player 2 up
	// and right, never left.
	var box [2]image.Rectangle
	for i, p := range paths {
		for pt := range p {
			box[i] = box[i].Union(image.Rectangle{Min: pt, Max: pt.Add(image.Pt(1, 1))})
		}
	}
	if b := box[0]; b.Min.X >= 140 || b.Max.Y <= 121 || b.Min.Y != 120 {
		t.Errorf("player 1's path spans %v: want it to go left and down from (140,120), never up", b)
	}
	if b := box[1]; b.Min.Y >= 120 || b.Max.X <= 181 || b.Min.X != 180 {
		t.Errorf("player 2's path spans %v: want it to go up and right from (180,120), never left", b)
	}
}

// checkIdlePorts: players 3 and 4 play, but InputCPU2Player never polls
// their ports, so nothing of theirs reaches the machines (whose hashes
// checkCPU2Player compared). Their input is still ordered by the server:
// afterwards every client reads n events of ports 3 and 4 itself, and all
// get the same stream, made of nothing pressed (events decided before the
// owner's first sample arrived; how many depends on the host's timing)
// followed by the owner's held buttons only.
func checkIdlePorts(t *testing.T, seats []*seat, n int) {
	t.Helper()
	for _, s := range seats {
		if r := s.m.PIF.ReadsByPort; r[2] != 0 || r[3] != 0 {
			t.Fatalf("player %d: the game read ports 3 and 4 %d and %d times", s.c.Player(), r[2], r[3])
		}
	}
	for port := 2; port < 4; port++ {
		got := make([][]pif.Input, len(seats))
		var wg sync.WaitGroup
		for i, s := range seats {
			wg.Go(func() {
				for range n {
					got[i] = append(got[i], s.c.Input(port))
				}
			})
		}
		wg.Wait()
		held := seats[port].local.at(seats[port].local.frame)
		for i, s := range seats {
			if err := s.c.Err(); err != nil {
				t.Fatalf("player %d reading port %d: %v", i+1, port+1, err)
			}
			for k, in := range got[i] {
				if in != got[0][k] {
					t.Fatalf("port %d event %d: player %d got %+v, player 1 %+v", port+1, k, i+1, in, got[0][k])
				}
			}
		}
		rs := runsOf(got[0])
		if last := rs[len(rs)-1]; len(rs) > 2 || (len(rs) == 2 && rs[0].in != (pif.Input{})) || last.in != held {
			t.Errorf("port %d stream %v: want nothing pressed, then only player %d's %+v", port+1, rs, port+1, held)
		}
	}
}

// cpu2PlayerGame runs InputCPU2Player with n players for frames frames
// through our server, reached directly or through wrap (a relay), and
// checks it.
func cpu2PlayerGame(t *testing.T, n, frames int, wrap func(addr string) string) time.Duration {
	rom := cpu2PlayerROM(t)
	addr := lobbyGameN(t, startServer(t), rom, n)
	addrs := make([]string, n)
	for i := range addrs {
		addrs[i] = addr
		if wrap != nil {
			addrs[i] = wrap(addr)
		}
	}
	seats := joinSeats(t, addrs, rom, core.DefaultOptions(), cpu2PlayerScripts()[:n], Config{}, nil)
	took, err := lockstep(seats, frames, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkCPU2Player(t, seats, frames)
	if n > 2 {
		checkIdlePorts(t, seats, 200)
	}
	for _, s := range seats {
		if s.c.syncSent != uint64(frames-1)/proto.SyncInterval+1 {
			t.Errorf("player %d sent %d sync packets in %d VIs", s.c.Player(), s.c.syncSent, s.c.vi)
		}
	}
	t.Logf("%d players, %d frames in %v (%.2f ms a frame); port 1 played %d events", n, frames, took.Round(time.Millisecond),
		float64(took.Microseconds())/1000/float64(frames), len(seats[0].rec.played[0]))
	return took
}

// TestCPU2PlayerTwoClients: two clients against our server run
// InputCPU2Player for 600 VI frames with different scripted buttons:
// identical machine hashes at every frame, both players' moves on both
// screens, no desync.
func TestCPU2PlayerTwoClients(t *testing.T) {
	if raceEnabled {
		t.Skip("600 frames of two machines: too slow under the race detector")
	}
	cpu2PlayerGame(t, 2, 600, nil)
}

// TestSpectatorInLockstep: two players and a spectator (§3.7) run
// InputCPU2Player for 240 VI frames through our server, the spectator
// behind a relay that counts what it sends. The spectator's machine has
// the players' Machine.Hash at every frame, plays the same streams, and
// draws the same screen (checkCPU2Player); on the wire it sends no key
// info (type 0) at all, and every request (type 2) it sends carries the
// spectator flag. Its own controller is never read.
func TestSpectatorInLockstep(t *testing.T) {
	if raceEnabled {
		t.Skip("300 frames of three machines: too slow under the race detector")
	}
	const frames = 240
	rom := cpu2PlayerROM(t)
	addr := lobbyGameN(t, startServer(t), rom, 2)
	r := startRelay(t, addr, 0, 0)
	// cpu2PlayerScripts' moves, twice as fast.
	scripts := []*script{
		{steps: []step{{50, pif.Input{Buttons: pif.DLeft}}, {53, pif.Input{}}, {100, pif.Input{Buttons: pif.DDown}}, {102, pif.Input{}},
			{150, pif.Input{Buttons: pif.DRight}}, {152, pif.Input{}}, {200, pif.Input{Buttons: pif.ButtonA, X: 50}}, {225, pif.Input{}}}},
		{steps: []step{{75, pif.Input{Buttons: pif.DUp}}, {77, pif.Input{}}, {125, pif.Input{Buttons: pif.DRight}}, {127, pif.Input{}},
			{175, pif.Input{Buttons: pif.DDown}}, {177, pif.Input{}}, {210, pif.Input{Buttons: pif.ButtonB | pif.ButtonZ, Y: -60}}, {235, pif.Input{}}}},
		// The spectator's controller, which nothing may read.
		{steps: []step{{0, pif.Input{Buttons: pif.DLeft | pif.ButtonStart}}}},
	}
	seats := joinSeatsAs(t, []string{addr, addr, r.addr}, []int{1, 2, 0}, rom, core.DefaultOptions(), scripts, Config{}, nil)
	spec := seats[2]
	if spec.c.Player() != 0 {
		t.Fatalf("the third client is player %d, want a spectator", spec.c.Player())
	}
	took, err := lockstep(seats, frames, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkCPU2Player(t, seats, frames)
	if n := len(spec.sample.sampled); n != 0 {
		t.Errorf("the spectator read its own controller %d times", n)
	}
	keyInfo, requests, watch, syncs := r.upTypes[proto.PacketKeyInfoClient].Load(), r.upTypes[proto.PacketRequestKeyInfo].Load(),
		r.upWatch.Load(), r.upTypes[proto.PacketSyncData].Load()
	if keyInfo != 0 {
		t.Errorf("the spectator sent %d key-info datagrams, want none", keyInfo)
	}
	played := int64(len(spec.rec.played[0]) + len(spec.rec.played[1]))
	if requests < played || watch != requests {
		t.Errorf("the spectator sent %d requests, %d with the spectator flag; it played %d events", requests, watch, played)
	}
	if syncs != 1 { // VI 0 only, within 240 VIs (§3.6)
		t.Errorf("the spectator sent %d sync datagrams, want 1", syncs)
	}
	t.Logf("%d frames in %v; the spectator played %d events with %d requests", frames, took.Round(time.Millisecond), played, requests)
}

// TestCPU2PlayerLong runs, with N64_NETPLAY_LONG=1 only, what takes
// minutes on a 2-core box: four clients, then two and four through relays
// that delay every datagram by 2 ms and drop 5 % of them each way. The
// log gives the slowdown against the direct runs.
func TestCPU2PlayerLong(t *testing.T) {
	if os.Getenv("N64_NETPLAY_LONG") == "" || raceEnabled {
		t.Skip("set N64_NETPLAY_LONG=1 (and no -race) for four clients and lossy links")
	}
	for _, n := range []int{2, 4} {
		var direct, lossy time.Duration
		t.Run(fmt.Sprintf("%d direct", n), func(t *testing.T) { direct = cpu2PlayerGame(t, n, 600, nil) })
		t.Run(fmt.Sprintf("%d lossy", n), func(t *testing.T) {
			var relays []*relay
			lossy = cpu2PlayerGame(t, n, 600, func(addr string) string {
				r := startRelay(t, addr, 0.05, 2*time.Millisecond)
				relays = append(relays, r)
				return r.addr
			})
			for i, r := range relays {
				t.Logf("relay of player %d: %d datagrams passed, %d dropped", i+1, r.passed.Load(), r.dropped.Load())
				if r.dropped.Load() == 0 {
					t.Errorf("relay of player %d dropped nothing", i+1)
				}
			}
		})
		if direct > 0 && lossy > 0 {
			t.Logf("%d players, 2 ms delay and 5 %% loss: %v instead of %v for 600 frames, %.2f× slower", n,
				lossy.Round(time.Millisecond), direct.Round(time.Millisecond), float64(lossy)/float64(direct))
		}
	}
}

// relay stands between a client and the game server on its own port:
// TCP passes through untouched, and each UDP datagram, either way, is
// dropped with probability loss or else delivered after delay.
type relay struct {
	addr    string
	target  string
	loss    float64
	delay   time.Duration
	tl      net.Listener
	uc      *net.UDPConn
	mu      sync.Mutex
	rng     *rand.Rand
	ups     map[netip.AddrPort]*net.UDPConn
	passed  atomic.Int64
	dropped atomic.Int64
	// upTypes counts the client's datagrams by their type byte (§3);
	// upWatch counts its type 2 that carry spectator = 1.
	upTypes [proto.PacketSyncData + 1]atomic.Int64
	upWatch atomic.Int64
	wg      sync.WaitGroup
}

// startRelay listens on one port for both TCP and UDP, as a game server
// does (the client sends UDP to the address its TCP connection reached).
func startRelay(t *testing.T, target string, loss float64, delay time.Duration) *relay {
	t.Helper()
	r := &relay{target: target, loss: loss, delay: delay, rng: rand.New(rand.NewPCG(1, 2)), ups: make(map[netip.AddrPort]*net.UDPConn)}
	for try := 0; r.uc == nil; try++ {
		uc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		tl, err := net.Listen("tcp", uc.LocalAddr().String())
		if err != nil {
			uc.Close()
			if try == 20 {
				t.Fatal(err)
			}
			continue
		}
		r.uc, r.tl, r.addr = uc, tl, uc.LocalAddr().String()
	}
	r.wg.Add(2)
	go r.serveTCP()
	go r.serveUDP()
	t.Cleanup(func() {
		r.tl.Close()
		r.uc.Close()
		r.mu.Lock()
		for _, u := range r.ups {
			u.Close()
		}
		r.mu.Unlock()
		r.wg.Wait()
	})
	return r
}

func (r *relay) serveTCP() {
	defer r.wg.Done()
	for {
		c, err := r.tl.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", r.target)
		if err != nil {
			c.Close()
			continue
		}
		r.wg.Add(2)
		pipe := func(dst, src net.Conn) {
			defer r.wg.Done()
			io.Copy(dst, src)
			dst.Close()
			src.Close()
		}
		go pipe(s, c)
		go pipe(c, s)
	}
}

// forward sends a copy of b with send after the delay, unless it is lost.
func (r *relay) forward(b []byte, send func([]byte)) {
	r.mu.Lock()
	lost := r.rng.Float64() < r.loss
	r.mu.Unlock()
	if lost {
		r.dropped.Add(1)
		return
	}
	r.passed.Add(1)
	b = bytes.Clone(b)
	time.AfterFunc(r.delay, func() { send(b) })
}

func (r *relay) serveUDP() {
	defer r.wg.Done()
	buf := make([]byte, 2048)
	for {
		n, from, err := r.uc.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		r.mu.Lock()
		up := r.ups[from]
		if up == nil {
			ta, err := net.ResolveUDPAddr("udp", r.target)
			if err == nil {
				up, err = net.DialUDP("udp", nil, ta)
			}
			if err != nil {
				r.mu.Unlock()
				continue
			}
			r.ups[from] = up
			r.wg.Add(1)
			go func() { // server → client
				defer r.wg.Done()
				b := make([]byte, 2048)
				for {
					n, err := up.Read(b)
					if errors.Is(err, net.ErrClosed) {
						return
					}
					if err == nil {
						r.forward(b[:n], func(p []byte) { r.uc.WriteToUDPAddrPort(p, from) })
					}
				}
			}()
		}
		r.mu.Unlock()
		if n > 0 && buf[0] <= byte(proto.PacketSyncData) {
			r.upTypes[buf[0]].Add(1)
		}
		if n == 12 && buf[0] == byte(proto.PacketRequestKeyInfo) && buf[10] == 1 {
			r.upWatch.Add(1)
		}
		r.forward(buf[:n], func(p []byte) { up.Write(p) })
	}
}
