package input

import (
	"slices"

	"github.com/hajimehoshi/ebiten/v2"
)

// Gamepad is one gamepad's state in ebiten's standard layout (the W3C
// "standard gamepad": RightBottom is the south face button, and so on).
type Gamepad struct {
	ID             ebiten.GamepadID
	Buttons        [ebiten.StandardGamepadButtonMax + 1]bool
	LX, LY, RX, RY float64 // sticks, −1..1, +y down
	LT, RT         float64 // analog triggers, 0..1
}

// The gamepad layout: face buttons south = A, west = B, north = C-left,
// east = C-down; shoulders = L and R; left trigger = Z (right trigger also
// R); the D-pad; the right stick gives the C buttons; the left stick is the
// stick; Start is start.
var padButtons = []struct {
	b ebiten.StandardGamepadButton
	c Control
}{
	{ebiten.StandardGamepadButtonRightBottom, A},
	{ebiten.StandardGamepadButtonRightLeft, B},
	{ebiten.StandardGamepadButtonRightTop, CLeft},
	{ebiten.StandardGamepadButtonRightRight, CDown},
	{ebiten.StandardGamepadButtonFrontTopLeft, L},
	{ebiten.StandardGamepadButtonFrontTopRight, R},
	{ebiten.StandardGamepadButtonCenterRight, Start},
	{ebiten.StandardGamepadButtonLeftTop, DUp},
	{ebiten.StandardGamepadButtonLeftBottom, DDown},
	{ebiten.StandardGamepadButtonLeftLeft, DLeft},
	{ebiten.StandardGamepadButtonLeftRight, DRight},
}

// TriggerThreshold is how far an analog trigger must be pulled to press
// what it is bound to; CStickThreshold how far the right stick must be
// pushed to press a C button.
const (
	TriggerThreshold = 0.5
	CStickThreshold  = 0.5
)

// Controls maps a gamepad's state to controls and a stick position.
func (g *Gamepad) Controls(dead float64) (held [NumControls]bool, x, y int8) {
	for _, m := range padButtons {
		if g.Buttons[m.b] {
			held[m.c] = true
		}
	}
	if g.LT >= TriggerThreshold || g.Buttons[ebiten.StandardGamepadButtonFrontBottomLeft] {
		held[Z] = true
	}
	if g.RT >= TriggerThreshold || g.Buttons[ebiten.StandardGamepadButtonFrontBottomRight] {
		held[R] = true
	}
	if g.RX <= -CStickThreshold {
		held[CLeft] = true
	}
	if g.RX >= CStickThreshold {
		held[CRight] = true
	}
	if g.RY <= -CStickThreshold {
		held[CUp] = true
	}
	if g.RY >= CStickThreshold {
		held[CDown] = true
	}
	x, y = Stick(g.LX, g.LY, dead)
	return held, x, y
}

// ReadGamepads reads the connected gamepads that ebiten knows in the
// standard layout, in connection (ID) order.
func ReadGamepads(ids []ebiten.GamepadID) []Gamepad {
	ids = ebiten.AppendGamepadIDs(ids[:0])
	slices.Sort(ids)
	var out []Gamepad
	for _, id := range ids {
		if !ebiten.IsStandardGamepadLayoutAvailable(id) {
			continue
		}
		g := Gamepad{ID: id}
		for b := range g.Buttons {
			g.Buttons[b] = ebiten.IsStandardGamepadButtonPressed(id, ebiten.StandardGamepadButton(b))
		}
		g.LX = ebiten.StandardGamepadAxisValue(id, ebiten.StandardGamepadAxisLeftStickHorizontal)
		g.LY = ebiten.StandardGamepadAxisValue(id, ebiten.StandardGamepadAxisLeftStickVertical)
		g.RX = ebiten.StandardGamepadAxisValue(id, ebiten.StandardGamepadAxisRightStickHorizontal)
		g.RY = ebiten.StandardGamepadAxisValue(id, ebiten.StandardGamepadAxisRightStickVertical)
		g.LT = ebiten.StandardGamepadButtonValue(id, ebiten.StandardGamepadButtonFrontBottomLeft)
		g.RT = ebiten.StandardGamepadButtonValue(id, ebiten.StandardGamepadButtonFrontBottomRight)
		out = append(out, g)
	}
	return out
}
