// Package audio carries the machine's AI output to the host's sound device:
// a resampler from the AI's rate to the device's, a ring buffer between the
// emulator's goroutine and the device's, and the reader the device pulls
// from. The parts here are plain Go; the ebiten/oto wiring is in
// plugins/video, which owns the run loop.
//
// Pacing (see plugins/video): the emulator runs on ebiten's tick clock, one
// VI field per tick, and the audio follows it. The difference between the
// two clocks (the VI's 59.83 Hz against a 60 Hz tick, the AI's DAC against
// the sound card's crystal) is absorbed by dynamic rate control: the
// resampler's ratio is nudged by at most ±0.5% (inaudible) to keep the ring
// buffer near its target fill. When a frame is late and the ring runs dry,
// the reader fades the last sample to zero instead of dropping to silence
// at once, and fades back in when samples return, so a late frame is a
// short dip, not a crack.
package audio
