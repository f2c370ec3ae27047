package client

import (
	"bytes"
	"context"
	"image"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/pif"
	"github.com/n64go/n64/netplay/proto"
	"github.com/n64go/n64/netplay/server"
	"github.com/n64go/n64/roms/demo"
)

// waitLimit bounds every step of a test; nothing waits for it unless
// something is broken.
const waitLimit = 20 * time.Second

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// startServer runs our netplay server on loopback with OS-chosen ports and
// returns the lobby URL.
func startServer(t *testing.T) string {
	t.Helper()
	var logs bytes.Buffer
	var mu sync.Mutex
	lw := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return logs.Write(p) })
	s, err := server.New(server.Config{Host: "127.0.0.1", Version: "test",
		Logger: slog.New(slog.NewTextHandler(lw, &slog.HandlerOptions{Level: slog.LevelDebug}))})
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
		case <-time.After(waitLimit):
			t.Errorf("server did not stop")
		}
		if t.Failed() {
			mu.Lock()
			t.Logf("server log:\n%s", logs.String())
			mu.Unlock()
		}
	})
	return "ws://" + s.LobbyAddr().String()
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func demoROM(t testing.TB) *cart.ROM {
	t.Helper()
	rom, err := cart.Parse(demo.ROM)
	if err != nil {
		t.Fatal(err)
	}
	return rom
}

// lobbyGame creates a room as alice, joins it as bob, and starts the game;
// it returns the game server's address.
func lobbyGame(t *testing.T, url string, rom *cart.ROM) string { return lobbyGameN(t, url, rom, 2) }

// lobbyGameN is lobbyGame for n players (1–4): the first creates the
// room, the others join, in player order.
func lobbyGameN(t *testing.T, url string, rom *cart.ROM, n int) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	names := []string{"alice", "bob", "carol", "dave"}[:n]
	ls := make([]*Lobby, n)
	for i, name := range names {
		l, err := DialLobby(ctx, LobbyConfig{URL: url, PlayerName: name, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		if i == 0 {
			_, err = l.CreateRoom(ctx, "room", "", rom, nil)
		} else {
			_, err = l.JoinRoom(ctx, "room", "", rom)
		}
		if err != nil {
			t.Fatal(err)
		}
		ls[i] = l
	}
	type res struct {
		who, player int
		err         error
	}
	ch := make(chan res, n)
	for i, l := range ls {
		go func() { p, err := l.WaitStart(ctx, n, nil); ch <- res{i, p, err} }()
	}
	for range n {
		r := <-ch
		if r.err != nil || r.player != r.who+1 {
			t.Fatalf("%s: player %d, %v; want player %d", names[r.who], r.player, r.err, r.who+1)
		}
	}
	for _, l := range ls[1:] {
		if l.GameAddr() == "" || l.GameAddr() != ls[0].GameAddr() {
			t.Fatalf("game addresses %q and %q", ls[0].GameAddr(), l.GameAddr())
		}
	}
	return ls[0].GameAddr()
}

// script is a scripted local controller: per frame, the input held.
type script struct {
	frame int
	steps []step
}

type step struct {
	from int
	in   pif.Input
}

func (s *script) at(frame int) pif.Input {
	var in pif.Input
	for _, st := range s.steps {
		if frame >= st.from {
			in = st.in
		}
	}
	return in
}

func (s *script) Input(int) pif.Input { return s.at(s.frame) }

// recorder records the inputs the machine played, per port.
type recorder struct {
	src    pif.InputSource
	played [pif.NumPorts][]pif.Input
}

func (r *recorder) Input(port int) pif.Input {
	in := r.src.Input(port)
	r.played[port] = append(r.played[port], in)
	return in
}

// findSquare is the bounding box of the demo's square (yellow or red).
func findSquare(img *image.RGBA) image.Rectangle {
	var box image.Rectangle
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			p := img.Pix[y*img.Stride+4*x:]
			if p[0] == 255 && p[2] == 0 && (p[1] == 255 || p[1] == 0) {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}

// TestTwoMachinesInLockstep is the determinism proof: our server, two
// clients joined through the lobby, two headless machines running the
// demo ROM with different scripted local input. Player 1 sends 4 MiB
// RDRAM settings, an EEPROM image and a mempak; player 2 starts from the
// defaults and must end up with an identical machine at every frame, and
// player 1's script must move the square on both.
func TestTwoMachinesInLockstep(t *testing.T) {
	const frames = 200
	rom := demoROM(t)
	addr := lobbyGame(t, startServer(t), rom)

	scripts := [2]*script{
		{steps: []step{{20, pif.Input{Buttons: pif.DRight}}, {60, pif.Input{}},
			{80, pif.Input{Buttons: pif.DDown | pif.ButtonA}}, {110, pif.Input{X: -80}}, {125, pif.Input{}}}},
		{steps: []step{{0, pif.Input{Buttons: pif.DLeft | pif.DUp}}, {50, pif.Input{Buttons: pif.ButtonStart}}}},
	}
	// Player 1's own machine before the session: its settings and saves.
	p1opts := core.DefaultOptions()
	p1opts.DisableExtraMem = true
	pre, err := core.New(rom, p1opts)
	if err != nil {
		t.Fatal(err)
	}
	pre.SetSaveType(cart.SaveEEPROM4K)
	for i := range pre.SaveData() {
		pre.SaveData()[i] = byte(i * 7)
	}
	pak := make([]byte, pif.MempakSize)
	for i := range pak {
		pak[i] = byte(i >> 3)
	}
	pre.PIF.SetPak(0, pif.PakController, pak)
	p1saves := SavesFromMachine(pre)

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	var ps [2]*seat
	var mu sync.Mutex
	var status [2][]proto.Status
	for i := range ps {
		p := &seat{local: scripts[i], desync: -1}
		cfg := Config{Addr: addr, Player: i + 1, Local: p.local, Logger: quietLogger(), SyncInterval: 25,
			OnStatus: func(_, s proto.Status) { mu.Lock(); status[i] = append(status[i], s); mu.Unlock() }}
		if i == 0 {
			cfg.Plugin = proto.PluginMempak
		}
		p.c, err = Dial(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.c.Close() })
		ps[i] = p
	}
	errs := make(chan error, 2)
	for i, p := range ps {
		go func() {
			if i == 0 {
				errs <- p.c.Boot(ctx, p1opts, p1saves)
			} else {
				errs <- p.c.Boot(ctx, core.DefaultOptions(), nil)
			}
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for i, p := range ps {
		if got := p.c.Options(); got != p1opts {
			t.Fatalf("player %d: session options %+v, want player 1's %+v", i+1, got, p1opts)
		}
		p.m, err = core.New(rom, p.c.Options())
		if err != nil {
			t.Fatal(err)
		}
		p.m.SetSaveType(cart.SaveEEPROM4K) // both: as a --save-type override would
		if err := p.c.Setup(p.m); err != nil {
			t.Fatal(err)
		}
		p.rec = &recorder{src: p.c}
		p.m.SetInput(p.rec)
	}
	if !bytes.Equal(ps[1].m.SaveData(), pre.SaveData()) || !bytes.Equal(ps[1].m.Mempak(0), pak) {
		t.Fatal("player 2's machine did not get player 1's EEPROM and mempak")
	}
	if ps[1].m.Mempak(1) != nil || !ps[1].m.PIF.Plugged(1) || ps[1].m.PIF.Plugged(2) {
		t.Fatal("ports and paks do not follow the registration table")
	}

	if _, err := lockstep(ps[:], frames, true, nil); err != nil {
		t.Fatal(err)
	}

	a, b := ps[0], ps[1]
	for f := range frames {
		if a.hashes[f] != b.hashes[f] {
			t.Fatalf("frame %d: machine hashes differ (%x vs %x)", f, a.hashes[f][:8], b.hashes[f][:8])
		}
	}
	if len(a.rec.played[0]) != len(b.rec.played[0]) || len(a.rec.played[0]) < frames-5 {
		t.Fatalf("port 1 events played: %d and %d", len(a.rec.played[0]), len(b.rec.played[0]))
	}
	var right, down, red, left int
	for i, in := range a.rec.played[0] {
		if in != b.rec.played[0][i] {
			t.Fatalf("port 1 event %d: %+v vs %+v", i, in, b.rec.played[0][i])
		}
		if in.Buttons&pif.DRight != 0 {
			right++
		}
		if in.Buttons&pif.DDown != 0 {
			down++
		}
		if in.Buttons&pif.ButtonA != 0 {
			red++
		}
		if in.X <= -32 {
			left++
		}
		if in.Buttons&(pif.DLeft|pif.ButtonStart) != 0 {
			t.Fatalf("port 1 event %d carries player 2's input %+v", i, in)
		}
	}
	// Player 1 held D-right for 40 frames, D-down for 30 and the stick left
	// for 15; the server
	// samples the input once per event, so a change of its buffer size may
	// shift a press by an event or two.
	if right < 36 || right > 44 || down < 26 || down > 34 || red != down || left < 11 || left > 19 {
		t.Fatalf("played %d D-right, %d D-down, %d A, %d stick-left events; want about 40, 30, 30, 15", right, down, red, left)
	}
	last, lastB := findSquare(a.m.Frame()), findSquare(b.m.Frame())
	at := image.Pt(demo.StartX+demo.Step*(right-left), demo.StartY+demo.Step*down)
	want := image.Rectangle{Min: at, Max: at.Add(image.Pt(demo.Size, demo.Size))}
	if last != want || lastB != last {
		t.Fatalf("square at %v and %v, want %v (%d right, %d left, %d down)", last, lastB, want, right, left, down)
	}
	for i, p := range ps {
		mu.Lock()
		seen := slices.Clone(status[i])
		mu.Unlock()
		for _, s := range seen {
			if s.Desync() {
				t.Errorf("player %d: the server reported a desync (status %#x)", p.c.Player(), s)
			}
		}
		if p.c.syncSent < frames/25-1 {
			t.Errorf("player %d sent %d sync packets", p.c.Player(), p.c.syncSent)
		}
	}
	// A spectator joining afterwards gets player 1's settings and saves
	// and plays the same stream, sending no input of its own (§3.7).
	sctx, scancel := context.WithTimeout(context.Background(), waitLimit)
	defer scancel()
	spec, err := Dial(sctx, Config{Addr: addr, Player: 0, Local: fixedInput{Buttons: pif.ButtonB}, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer spec.Close()
	if err := spec.Boot(sctx, core.DefaultOptions(), nil); err != nil {
		t.Fatal(err)
	}
	if spec.Player() != 0 || spec.Options() != p1opts || !bytes.Equal(spec.Saves()[proto.SaveEEPROM], p1saves[proto.SaveEEPROM]) ||
		!bytes.Equal(spec.Saves()[proto.SaveMempak], p1saves[proto.SaveMempak]) {
		t.Fatalf("spectator: player %d, options %+v, saves differ from player 1's", spec.Player(), spec.Options())
	}
	for i, want := range a.rec.played[0] {
		if got := spec.Input(0); got != want {
			t.Fatalf("spectator: port 1 event %d is %+v, players played %+v (%v)", i, got, want, spec.Err())
		}
	}
	t.Logf("%d frames in lockstep, identical hashes; port 1 played %d events (%d right, %d down); square at %v",
		frames, len(a.rec.played[0]), right, down, last.Min)
}
