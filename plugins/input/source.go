package input

import (
	"sync"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/n64go/n64/core/pif"
)

// Source is the machine's InputSource for local play: Sample takes the
// keyboard and gamepads once at the start of each frame, and every
// controller read the game makes during the frame gets that sample
// (DESIGN.md §6).
type Source struct {
	Config Config

	mu   sync.Mutex
	now  [pif.NumPorts]pif.Input
	ids  []ebiten.GamepadID
	pads []Gamepad
}

// NewSource returns a source with the configuration c.
func NewSource(c Config) *Source { return &Source{Config: c} }

// Sample reads the keyboard and the gamepads (call it from the ebiten
// update, once per emulated frame).
func (s *Source) Sample() {
	s.pads = ReadGamepads(s.ids)
	var now [pif.NumPorts]pif.Input
	for i := range s.Config.Players {
		now[i] = s.Config.Players[i].Read(ebiten.IsKeyPressed, s.pads, s.Config.DeadZone)
	}
	s.mu.Lock()
	s.now = now
	s.mu.Unlock()
}

// Gamepads is how many standard-layout gamepads the last Sample saw.
func (s *Source) Gamepads() int { return len(s.pads) }

// Input implements pif.InputSource.
func (s *Source) Input(port int) pif.Input {
	if port < 0 || port >= pif.NumPorts {
		return pif.Input{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now[port]
}

// Read is the player's controller reading from the keys pressed and the
// gamepads connected: the keyboard and the player's gamepad are combined
// (a control is held if either holds it; the gamepad stick counts unless a
// stick key is held).
func (p *Player) Read(pressed func(ebiten.Key) bool, pads []Gamepad, dead float64) pif.Input {
	held := p.Keyboard(pressed)
	var x, y int8
	if p.Gamepad >= 0 && p.Gamepad < len(pads) {
		gh, gx, gy := pads[p.Gamepad].Controls(dead)
		for c := range held {
			held[c] = held[c] || gh[c]
		}
		x, y = gx, gy
	}
	return Compose(held, x, y)
}
