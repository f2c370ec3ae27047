// Package input turns the host's keyboard and gamepads into N64 controller
// readings: the bindings of each player's controls (defaults, and a config
// file that changes them), the analog stick's dead zone, and the
// InputSource the machine reads (DESIGN.md §6).
package input

import (
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/n64go/n64/core/pif"
)

// Control is one thing a player can press on an N64 controller; the four
// stick directions count as controls so that keys can drive the stick.
type Control int

// Controls, in the order the config file and the README list them.
const (
	A Control = iota
	B
	Z
	Start
	L
	R
	DUp
	DDown
	DLeft
	DRight
	CUp
	CDown
	CLeft
	CRight
	StickUp
	StickDown
	StickLeft
	StickRight
	NumControls
)

var controlNames = [NumControls]string{
	"a", "b", "z", "start", "l", "r",
	"dpad_up", "dpad_down", "dpad_left", "dpad_right",
	"c_up", "c_down", "c_left", "c_right",
	"stick_up", "stick_down", "stick_left", "stick_right",
}

func (c Control) String() string {
	if c < 0 || c >= NumControls {
		return "?"
	}
	return controlNames[c]
}

// buttonOf is the controller button word bit of each button control (the
// stick directions have none).
var buttonOf = [NumControls]pif.Buttons{
	A: pif.ButtonA, B: pif.ButtonB, Z: pif.ButtonZ, Start: pif.ButtonStart,
	L: pif.ButtonL, R: pif.ButtonR,
	DUp: pif.DUp, DDown: pif.DDown, DLeft: pif.DLeft, DRight: pif.DRight,
	CUp: pif.CUp, CDown: pif.CDown, CLeft: pif.CLeft, CRight: pif.CRight,
}

// StickMax is how far the stick reads when pushed all the way: a real
// controller's stick reaches about ±80 on each axis (n64brew "Controller":
// the usable range is roughly −80..80), so keys and host sticks map to it.
const StickMax = 80

// DefaultDeadZone is the fraction of a host stick's travel that reads as
// centred: worn gamepads rest a little off centre.
const DefaultDeadZone = 0.15

// Stick maps a host stick position (each axis −1..1, +y down as ebiten
// reports it) to the N64's (±StickMax, +y up). The dead zone is radial: a
// deflection under dead reads 0, and the rest of the travel is stretched
// to fill the range, so the stick moves continuously out of the dead zone;
// each axis is rounded to the nearest integer and clamped to ±StickMax.
func Stick(x, y, dead float64) (int8, int8) {
	m := math.Hypot(x, y)
	if m <= dead || m == 0 || dead >= 1 {
		return 0, 0
	}
	scale := (min(m, 1) - dead) / (1 - dead) / m * StickMax
	return axis(x * scale), axis(-y * scale)
}

func axis(v float64) int8 {
	return int8(max(-StickMax, min(StickMax, math.Round(v))))
}

// Compose builds a controller reading from the controls held and a stick
// position (already in N64 units). Stick direction controls override the
// analog position on their axis (both directions of one axis cancel).
func Compose(held [NumControls]bool, x, y int8) pif.Input {
	var in pif.Input
	for c := Control(0); c < NumControls; c++ {
		if held[c] {
			in.Buttons |= buttonOf[c]
		}
	}
	if held[StickLeft] || held[StickRight] {
		x = 0
		if held[StickRight] {
			x += StickMax
		}
		if held[StickLeft] {
			x -= StickMax
		}
	}
	if held[StickUp] || held[StickDown] {
		y = 0
		if held[StickUp] {
			y += StickMax
		}
		if held[StickDown] {
			y -= StickMax
		}
	}
	in.X, in.Y = x, y
	return in
}

// Player is one player's bindings.
type Player struct {
	// Keys are the keyboard keys bound to each control (any of them
	// presses it).
	Keys [NumControls][]ebiten.Key
	// Gamepad is which connected gamepad (0 = the first, in connection
	// order) this player uses; -1 for none.
	Gamepad int
}

// DefaultPlayers are the bindings without a config file: player 1 on the
// keyboard (mupen64plus' default layout) and on the first gamepad, players
// 2-4 on the second to fourth gamepads.
func DefaultPlayers() [pif.NumPorts]Player {
	var p [pif.NumPorts]Player
	for i := range p {
		p[i].Gamepad = i
	}
	k := &p[0].Keys
	k[A] = []ebiten.Key{ebiten.KeyShiftLeft}
	k[B] = []ebiten.Key{ebiten.KeyControlLeft}
	k[Z] = []ebiten.Key{ebiten.KeyZ}
	k[Start] = []ebiten.Key{ebiten.KeyEnter}
	k[L] = []ebiten.Key{ebiten.KeyX}
	k[R] = []ebiten.Key{ebiten.KeyC}
	k[DUp] = []ebiten.Key{ebiten.KeyW}
	k[DDown] = []ebiten.Key{ebiten.KeyS}
	k[DLeft] = []ebiten.Key{ebiten.KeyA}
	k[DRight] = []ebiten.Key{ebiten.KeyD}
	k[CUp] = []ebiten.Key{ebiten.KeyI}
	k[CDown] = []ebiten.Key{ebiten.KeyK}
	k[CLeft] = []ebiten.Key{ebiten.KeyJ}
	k[CRight] = []ebiten.Key{ebiten.KeyL}
	k[StickUp] = []ebiten.Key{ebiten.KeyArrowUp}
	k[StickDown] = []ebiten.Key{ebiten.KeyArrowDown}
	k[StickLeft] = []ebiten.Key{ebiten.KeyArrowLeft}
	k[StickRight] = []ebiten.Key{ebiten.KeyArrowRight}
	return p
}

// Keyboard reports which of a player's controls the keys held press.
func (p *Player) Keyboard(pressed func(ebiten.Key) bool) [NumControls]bool {
	var held [NumControls]bool
	for c, keys := range p.Keys {
		for _, k := range keys {
			if pressed(k) {
				held[c] = true
				break
			}
		}
	}
	return held
}
