package client

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/pif"
	"github.com/n64go/n64/netplay/proto"
)

func TestSettingsRoundTrip(t *testing.T) {
	o := core.Options{CountPerOp: 3, CountPerOpDenomPot: 1, DisableExtraMem: true, SIDMADuration: 0x1234,
		EmuMode: 2, NoCompiledJump: true}
	s, err := SettingsFromOptions(o)
	if err != nil {
		t.Fatal(err)
	}
	want := proto.Settings{CountPerOp: 3, CountPerOpDenomPot: 1, DisableExtraMem: 1, SIDMADuration: 0x1234, EmuMode: 2, NoCompiledJump: 1}
	if s != want {
		t.Fatalf("settings %+v, want %+v", s, want)
	}
	b, _ := s.MarshalBinary()
	back, err := proto.DecodeSettings(b)
	if err != nil {
		t.Fatal(err)
	}
	base := core.DefaultOptions()
	base.PAL = true
	got, err := OptionsFromSettings(back, base)
	o.PAL = true // PAL is the receiver's own (from the ROM)
	if err != nil || got != o {
		t.Fatalf("options %+v, %v; want %+v", got, err, o)
	}
	// Values the protocol allows but our core cannot run are refused,
	// not clamped.
	if _, err := OptionsFromSettings(proto.Settings{CountPerOp: 100, SIDMADuration: 0x900}, base); err == nil {
		t.Fatal("count_per_op 100 accepted")
	}
	if _, err := OptionsFromSettings(proto.Settings{CountPerOp: 2, CountPerOpDenomPot: 12}, base); err == nil {
		t.Fatal("count_per_op_denom_pot 12 accepted")
	}
}

func TestSavesExchangeImages(t *testing.T) {
	rom := demoROM(t)
	src, _ := core.New(rom, core.DefaultOptions())
	src.SetSaveType(cart.SaveFlash1M)
	for i := range src.SaveData() {
		src.SaveData()[i] = byte(i)
	}
	src.PIF.SetPak(0, pif.PakController, bytes.Repeat([]byte{0x5A}, pif.MempakSize))
	s := SavesFromMachine(src)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	// mupen64plus' .fla layout: 32-bit words byte-reversed.
	if f := s[proto.SaveFlash]; f[0] != 3 || f[3] != 0 || !bytes.Equal(s[proto.SaveEEPROM], make([]byte, proto.SaveSizeEEPROM)) {
		t.Fatalf("flash image starts %x", f[:4])
	}
	dst, _ := core.New(rom, core.DefaultOptions())
	dst.SetSaveType(cart.SaveFlash1M)
	dst.PIF.SetPak(0, pif.PakController, nil)
	if err := s.Apply(dst); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(dst.SaveData(), src.SaveData()) || !bytes.Equal(dst.Mempak(0), src.Mempak(0)) {
		t.Fatal("images did not load")
	}
	// All zeros means no file: blank memory on every client, including
	// player 1 whose file held zeros (§6 Q10).
	if err := BlankSaves().Apply(src); err != nil {
		t.Fatal(err)
	}
	if src.SaveData()[0] != 0xFF || src.SaveData()[len(src.SaveData())-1] != 0xFF || src.Mempak(0)[0] != 0 {
		t.Fatal("blank images did not give blank memory")
	}
	if err := (Saves{}).Apply(dst); err == nil {
		t.Fatal("missing images accepted")
	}
}

// TestROMMismatchRefused: joining a room through the lobby with another
// ROM fails before joining, with a message naming both MD5s.
func TestROMMismatchRefused(t *testing.T) {
	url := startServer(t)
	rom := demoROM(t)
	other := bytes.Clone(demo2(t))
	otherROM, err := cart.Parse(other)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	la, err := DialLobby(ctx, LobbyConfig{URL: url, PlayerName: "alice", Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer la.Close()
	if _, err := la.CreateRoom(ctx, "room", "", rom, nil); err != nil {
		t.Fatal(err)
	}
	lb, err := DialLobby(ctx, LobbyConfig{URL: url, PlayerName: "bob", Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer lb.Close()
	_, err = lb.JoinRoom(ctx, "room", "", otherROM)
	if !errors.Is(err, ErrROMMismatch) || !strings.Contains(err.Error(), ROMMD5(rom)) || !strings.Contains(err.Error(), ROMMD5(otherROM)) {
		t.Fatalf("join with another ROM: %v", err)
	}
	if _, err := lb.JoinRoom(ctx, "nope", "", rom); err == nil || !strings.Contains(err.Error(), "no room") {
		t.Fatalf("join of a missing room: %v", err)
	}
	if _, err := lb.JoinRoom(ctx, "room", "", rom); err != nil {
		t.Fatalf("join with the right ROM: %v", err)
	}
}

// demo2 is the demo image with its last byte changed: another ROM.
func demo2(t *testing.T) []byte {
	b := bytes.Clone(demoROM(t).Data)
	b[len(b)-1] ^= 0xFF
	return b
}

// TestDesyncReported: two players whose sync data differ for the same VI
// both hear of the desync through OnStatus.
func TestDesyncReported(t *testing.T) {
	rom := demoROM(t)
	addr := lobbyGame(t, startServer(t), rom)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	var cs [2]*Client
	seen := [2]chan proto.Status{make(chan proto.Status, 16), make(chan proto.Status, 16)}
	for i := range cs {
		var err error
		cs[i], err = Dial(ctx, Config{Addr: addr, Player: i + 1, Logger: quietLogger(),
			OnStatus: func(_, s proto.Status) { seen[i] <- s }})
		if err != nil {
			t.Fatal(err)
		}
		defer cs[i].Close()
	}
	errs := make(chan error, 2)
	for _, c := range cs {
		go func() { errs <- c.Boot(ctx, core.DefaultOptions(), nil) }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range cs {
		m, err := core.New(rom, c.Options())
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Setup(m); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			m.CPU.SetCP0(12, m.CPU.CP0Value(12)^1<<20) // a different Status register
		}
		c.OnVI(m) // VI 0: sync data goes out
	}
	// Each plays events until the server's status byte shows the desync
	// (the sync packets went out before the first request).
	for i, c := range cs {
		for n := 0; !c.Status().Desync(); n++ {
			if n == 5000 || c.Err() != nil {
				t.Fatalf("player %d: no desync after %d events (%v)", i+1, n, c.Err())
			}
			c.Input(0)
		}
		select {
		case s := <-seen[i]:
			if !s.Desync() {
				t.Fatalf("player %d: OnStatus got %#x", i+1, s)
			}
		case <-ctx.Done(): // OnStatus runs just after Status changes
			t.Fatalf("player %d: OnStatus was not called", i+1)
		}
	}
}
