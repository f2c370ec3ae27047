package input

import (
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/n64go/n64/core/pif"
)

// Rumble Pak motors drive gamepad vibration. The game switches the motor
// on and off by writing the pak (libultra osMotorStart/osMotorStop), often
// many times a second to modulate its strength, so the gamepad follows the
// motor's state frame by frame: a switch-on starts a vibration long enough
// to outlast a late frame, a switch-off stops it, and a motor left on is
// renewed before the vibration runs out.
const (
	rumbleSpan  = 500 * time.Millisecond // one vibration request
	rumbleRenew = 250 * time.Millisecond // renew a held motor this often
)

// Vibrator starts (magnitude 1) or stops (magnitude 0) the vibration of a
// gamepad for d; ebiten.VibrateGamepad in the player.
type Vibrator func(id ebiten.GamepadID, magnitude float64, d time.Duration)

// EbitenVibrator vibrates both motors of a gamepad through ebiten (which
// does nothing for gamepads without force feedback).
func EbitenVibrator(id ebiten.GamepadID, magnitude float64, d time.Duration) {
	ebiten.VibrateGamepad(id, &ebiten.VibrateGamepadOptions{Duration: d, StrongMagnitude: magnitude, WeakMagnitude: magnitude})
}

// Rumble mirrors each port's Rumble Pak motor onto the gamepad of the
// player in that port.
type Rumble struct {
	Vibrate Vibrator
	on      [pif.NumPorts]bool
	pad     [pif.NumPorts]ebiten.GamepadID
	since   [pif.NumPorts]time.Duration // play time of the last request
}

// Update is called once per frame with the play time so far, each port's
// motor state and the gamepad of each port (ok false: none).
func (r *Rumble) Update(now time.Duration, motor [pif.NumPorts]bool, pad func(port int) (ebiten.GamepadID, bool)) {
	for port := range motor {
		id, ok := pad(port)
		switch {
		case r.on[port] && (!motor[port] || !ok || id != r.pad[port]):
			r.Vibrate(r.pad[port], 0, 0)
			r.on[port] = false
		case r.on[port] && now-r.since[port] >= rumbleRenew:
			r.Vibrate(id, 1, rumbleSpan)
			r.since[port] = now
		}
		if !r.on[port] && motor[port] && ok {
			r.Vibrate(id, 1, rumbleSpan)
			r.on[port], r.pad[port], r.since[port] = true, id, now
		}
	}
}

// Stop ends every vibration (pause, exit).
func (r *Rumble) Stop() {
	for port, on := range r.on {
		if on {
			r.Vibrate(r.pad[port], 0, 0)
			r.on[port] = false
		}
	}
}

// PadOf returns the gamepad ID of the player in port, from the last Sample.
func (s *Source) PadOf(port int) (ebiten.GamepadID, bool) {
	if port < 0 || port >= len(s.Config.Players) {
		return 0, false
	}
	i := s.Config.Players[port].Gamepad
	if i < 0 || i >= len(s.pads) {
		return 0, false
	}
	return s.pads[i].ID, true
}
