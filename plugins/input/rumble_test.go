package input

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/n64go/n64/core/pif"
)

// TestRumbleFollowsMotor drives port 1's motor through a game's typical
// pattern and checks the vibration requests the gamepad receives.
func TestRumbleFollowsMotor(t *testing.T) {
	var calls []string
	r := Rumble{Vibrate: func(id ebiten.GamepadID, mag float64, d time.Duration) {
		calls = append(calls, fmt.Sprintf("pad%d %.0f %v", id, mag, d))
	}}
	pad := ebiten.GamepadID(7)
	plugged := true
	padOf := func(port int) (ebiten.GamepadID, bool) { return pad, port == 0 && plugged }
	ms := time.Millisecond
	for _, step := range []struct {
		now   time.Duration
		motor bool
		want  []string
	}{
		{0, false, nil},
		{16 * ms, true, []string{"pad7 1 500ms"}},  // switch-on starts a vibration
		{33 * ms, true, nil},                       // held: nothing new
		{266 * ms, true, []string{"pad7 1 500ms"}}, // renewed before it runs out
		{283 * ms, false, []string{"pad7 0 0s"}},   // switch-off stops it
		{300 * ms, false, nil},
		{316 * ms, true, []string{"pad7 1 500ms"}},
	} {
		calls = nil
		r.Update(step.now, [pif.NumPorts]bool{step.motor, step.motor}, padOf)
		if !slices.Equal(calls, step.want) {
			t.Fatalf("at %v motor %v: requests %q, want %q", step.now, step.motor, calls, step.want)
		}
	}
	// The gamepad goes away while the motor runs: its vibration stops once.
	calls = nil
	plugged = false
	r.Update(333*ms, [pif.NumPorts]bool{true}, padOf)
	r.Update(350*ms, [pif.NumPorts]bool{true}, padOf)
	if want := []string{"pad7 0 0s"}; !slices.Equal(calls, want) {
		t.Fatalf("unplugged: requests %q, want %q", calls, want)
	}
	// Stop (pause, exit) ends a running vibration.
	plugged = true
	r.Update(366*ms, [pif.NumPorts]bool{true}, padOf)
	calls = nil
	r.Stop()
	r.Stop()
	if want := []string{"pad7 0 0s"}; !slices.Equal(calls, want) {
		t.Fatalf("stop: requests %q, want %q", calls, want)
	}
}
