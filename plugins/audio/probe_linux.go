package audio

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/ebitengine/purego"
	"github.com/jfreymuth/pulse"
)

// Probe reports whether the host has a sound device that ebiten's audio
// (oto) can open, trying what oto tries, in its order: a PulseAudio server
// (PipeWire's included), then ALSA's default device through libasound.
// ebiten opens the device only after the window is up and then fails
// RunGame as a whole, so the player asks first and plays muted instead.
func Probe() error {
	c, err0 := pulse.NewClient(pulse.ClientApplicationName("n64"))
	if err0 == nil {
		c.Close()
		return nil
	}
	err1 := probeALSA()
	if err1 == nil {
		return nil
	}
	return fmt.Errorf("no sound device (PulseAudio: %v; ALSA: %v)", err0, err1)
}

func probeALSA() error {
	// Without a PCM playback device node, ALSA's default device could only
	// be a plugin to a sound server, and the server was not there; asking
	// libasound anyway makes it print its own errors to stderr.
	if pcms, _ := filepath.Glob("/dev/snd/pcmC*p"); len(pcms) == 0 {
		return errors.New("no playback device in /dev/snd")
	}
	var lib uintptr
	var err error
	for _, name := range []string{"libasound.so.2", "libasound.so"} {
		if lib, err = purego.Dlopen(name, purego.RTLD_LAZY|purego.RTLD_GLOBAL); err == nil {
			break
		}
	}
	if lib == 0 {
		return errors.New("libasound not found")
	}
	var open func(pcm *uintptr, name string, stream int32, mode int32) int32
	var closePCM func(pcm uintptr) int32
	purego.RegisterLibFunc(&open, lib, "snd_pcm_open")
	purego.RegisterLibFunc(&closePCM, lib, "snd_pcm_close")
	var pcm uintptr
	const playback, nonBlock = 0, 1
	if rc := open(&pcm, "default", playback, nonBlock); rc < 0 {
		return fmt.Errorf("snd_pcm_open default: error %d", rc)
	}
	closePCM(pcm)
	return nil
}
