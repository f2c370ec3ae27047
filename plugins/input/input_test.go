package input

import (
	"strings"
	"testing"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/n64go/n64/core/pif"
)

func keys(ks ...ebiten.Key) func(ebiten.Key) bool {
	return func(k ebiten.Key) bool {
		for _, x := range ks {
			if x == k {
				return true
			}
		}
		return false
	}
}

func TestDefaultKeyboard(t *testing.T) {
	p := DefaultPlayers()[0]
	for _, c := range []struct {
		keys []ebiten.Key
		want pif.Input
	}{
		{nil, pif.Input{}},
		{[]ebiten.Key{ebiten.KeyShiftLeft}, pif.Input{Buttons: pif.ButtonA}},
		{[]ebiten.Key{ebiten.KeyControlLeft, ebiten.KeyZ, ebiten.KeyEnter}, pif.Input{Buttons: pif.ButtonB | pif.ButtonZ | pif.ButtonStart}},
		{[]ebiten.Key{ebiten.KeyX, ebiten.KeyC}, pif.Input{Buttons: pif.ButtonL | pif.ButtonR}},
		{[]ebiten.Key{ebiten.KeyW, ebiten.KeyA}, pif.Input{Buttons: pif.DUp | pif.DLeft}},
		{[]ebiten.Key{ebiten.KeyS, ebiten.KeyD}, pif.Input{Buttons: pif.DDown | pif.DRight}},
		{[]ebiten.Key{ebiten.KeyI, ebiten.KeyK, ebiten.KeyJ, ebiten.KeyL}, pif.Input{Buttons: pif.CUp | pif.CDown | pif.CLeft | pif.CRight}},
		{[]ebiten.Key{ebiten.KeyArrowRight}, pif.Input{X: 80}},
		{[]ebiten.Key{ebiten.KeyArrowLeft, ebiten.KeyArrowUp}, pif.Input{X: -80, Y: 80}},
		{[]ebiten.Key{ebiten.KeyArrowDown}, pif.Input{Y: -80}},
		{[]ebiten.Key{ebiten.KeyArrowLeft, ebiten.KeyArrowRight}, pif.Input{}},
	} {
		if got := p.Read(keys(c.keys...), nil, DefaultDeadZone); got != c.want {
			t.Errorf("%v: got %+v, want %+v", c.keys, got, c.want)
		}
	}
	// Players 2-4 have no keys by default.
	p2 := DefaultPlayers()[1]
	if got := p2.Read(keys(ebiten.KeyShiftLeft, ebiten.KeyArrowUp), nil, 0); got != (pif.Input{}) {
		t.Errorf("player 2 on the keyboard: %+v", got)
	}
}

func TestStickDeadZone(t *testing.T) {
	for _, c := range []struct {
		x, y, dead float64
		wx, wy     int8
	}{
		{0, 0, 0.15, 0, 0},
		{0.1, 0.1, 0.15, 0, 0},  // |v| = 0.141: inside
		{0.15, 0, 0.15, 0, 0},   // on the edge: still centre
		{1, 0, 0.15, 80, 0},     // full right
		{0, -1, 0.15, 0, 80},    // ebiten's up is −y
		{0, 1, 0.15, 0, -80},    // down
		{-1, 0, 0, -80, 0},      // no dead zone
		{0.575, 0, 0.15, 40, 0}, // (0.575−0.15)/0.85 = 0.5 → 40
		{0.5, 0, 0, 40, 0},
		{0.2, 0, 0.15, 5, 0},      // 0.05/0.85·80 = 4.7 → 5
		{1.3, 0, 0.15, 80, 0},     // beyond the travel: clamped
		{0.8, 0.8, 0.15, 57, -57}, // |v| > 1: the direction at full travel, 80/√2
	} {
		x, y := Stick(c.x, c.y, c.dead)
		if x != c.wx || y != c.wy {
			t.Errorf("Stick(%v, %v, %v) = %d, %d, want %d, %d", c.x, c.y, c.dead, x, y, c.wx, c.wy)
		}
	}
}

func TestGamepadLayout(t *testing.T) {
	var g Gamepad
	g.Buttons[ebiten.StandardGamepadButtonRightBottom] = true
	g.Buttons[ebiten.StandardGamepadButtonCenterRight] = true
	g.LT = 0.9 // Z
	g.RX = -0.7
	g.RY = 0.6 // C-left and C-down
	g.LX = 1
	held, x, y := g.Controls(DefaultDeadZone)
	in := Compose(held, x, y)
	want := pif.Input{Buttons: pif.ButtonA | pif.ButtonStart | pif.ButtonZ | pif.CLeft | pif.CDown, X: 80}
	if in != want {
		t.Fatalf("got %+v, want %+v", in, want)
	}
	// Player 1 combines keyboard and gamepad 0; a stick key wins its axis.
	p := DefaultPlayers()[0]
	got := p.Read(keys(ebiten.KeyArrowLeft, ebiten.KeyW), []Gamepad{g}, DefaultDeadZone)
	want.Buttons |= pif.DUp
	want.X = -80
	if got != want {
		t.Fatalf("combined: got %+v, want %+v", got, want)
	}
	// Player 2 uses the second gamepad, absent here.
	p2 := DefaultPlayers()[1]
	if got := p2.Read(keys(), []Gamepad{g}, 0); got != (pif.Input{}) {
		t.Fatalf("player 2: %+v", got)
	}
}

func TestParseConfig(t *testing.T) {
	c, err := ParseConfig(strings.NewReader(`
# comment
p1.a = Space, ShiftRight   # two keys
p1.z = none
p2.stick_up = Digit8
p2.gamepad = none
P3.Gamepad = 0
deadzone = 0.25
hotkey.pause = Backspace
`), "test.conf")
	if err != nil {
		t.Fatal(err)
	}
	p1 := c.Players[0]
	if got := p1.Keys[A]; len(got) != 2 || got[0] != ebiten.KeySpace || got[1] != ebiten.KeyShiftRight {
		t.Errorf("p1.a = %v", got)
	}
	if p1.Keys[Z] != nil || p1.Keys[B][0] != ebiten.KeyControlLeft {
		t.Errorf("p1.z %v, p1.b %v", p1.Keys[Z], p1.Keys[B])
	}
	if c.Players[1].Keys[StickUp][0] != ebiten.KeyDigit8 || c.Players[1].Gamepad != -1 || c.Players[2].Gamepad != 0 {
		t.Errorf("p2/p3: %+v %+v", c.Players[1], c.Players[2])
	}
	if c.DeadZone != 0.25 || c.Hotkeys[HotPause][0] != ebiten.KeyBackspace || c.Hotkeys[HotReset][0] != ebiten.KeyF9 {
		t.Errorf("deadzone %v hotkeys %v", c.DeadZone, c.Hotkeys)
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"p1.a ShiftLeft", `x.conf:1: "p1.a ShiftLeft": want setting = value`},
		{"\np1.jump = A", `x.conf:2: unknown control "jump"`},
		{"p5.a = A", `x.conf:1: player "p5": players are p1 to p4`},
		{"p1.a = Shift Left", `x.conf:1: unknown key "Shift Left"`},
		{"p1.a = A,", `x.conf:1: unknown key ""`},
		{"p1.gamepad = two", `x.conf:1: gamepad "two": want 0-15 or none`},
		{"deadzone = 1", `x.conf:1: deadzone "1": want a number from 0 to below 1`},
		{"hotkey.explode = E", `x.conf:1: unknown hotkey "explode"`},
		{"volume = 3", `x.conf:1: unknown setting "volume"`},
	} {
		_, err := ParseConfig(strings.NewReader(c.text), "x.conf")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
}

func TestSourceLatchesPerFrame(t *testing.T) {
	s := NewSource(DefaultConfig())
	s.now[0] = pif.Input{Buttons: pif.ButtonA}
	if a, b := s.Input(0), s.Input(0); a != b || a.Buttons != pif.ButtonA || s.Input(7) != (pif.Input{}) {
		t.Fatal("Input does not return the latched sample")
	}
	if len(HotkeyNames()) != 22 {
		t.Fatalf("%d hotkeys", len(HotkeyNames()))
	}
	for _, h := range HotkeyNames() {
		if len(DefaultConfig().Hotkeys[h]) == 0 {
			t.Errorf("hotkey %s has no default key", h)
		}
	}
}
