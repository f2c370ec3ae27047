// Package video is the desktop player's window: it runs the machine on
// ebiten's clock, shows each VI picture scaled to the window at 4:3, plays
// the AI's sound through plugins/audio, reads input through plugins/input
// and handles the hotkeys (pause, reset, fullscreen, fast-forward, frame
// advance, screenshots, savestates, volume), each confirmed by a short
// message drawn over the picture.
//
// Pacing is display-clock driven: ebiten calls Update at a fixed rate (the
// TPS, set to the console's field rate: 60 NTSC, 50 PAL) independent of the
// monitor's refresh, catching up with extra Updates when one was late, and
// every Update runs one VI field. Audio follows that clock through the ring
// buffer with dynamic rate control (plugins/audio). The other choice,
// pacing by the sound card, was rejected because the player must also run
// without a sound device (then nothing would pace it), because fast-forward,
// pause and frame advance are natural on a tick clock and awkward on an
// audio clock, and because a game that sends no audio (the demo when
// silent, most boot screens, krom's tests) would have no clock at all.
package video

import "image"

// Fit is where a picture of the console's 4:3 display goes in a window of
// w×h pixels: the largest 4:3 rectangle that fits, centred. With integer
// set its height is a whole multiple of the picture's height ph (at least
// 1×, even if that overflows the window) and its width 4/3 of that, so
// lines are never scaled unevenly.
func Fit(w, h, ph int, integer bool) image.Rectangle {
	if w <= 0 || h <= 0 || ph <= 0 {
		return image.Rectangle{}
	}
	dh := min(h, w*3/4)
	if integer {
		dh = max(1, dh/ph) * ph
	}
	dw := dh * 4 / 3
	x, y := (w-dw)/2, (h-dh)/2
	return image.Rect(x, y, x+dw, y+dh)
}
