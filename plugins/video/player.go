package video

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	eaudio "github.com/hajimehoshi/ebiten/v2/audio"
	"github.com/hajimehoshi/ebiten/v2/ebitenutil"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/pif"
	"github.com/n64go/n64/core/vifilter"
	"github.com/n64go/n64/plugins/audio"
	"github.com/n64go/n64/plugins/input"
	"github.com/n64go/n64/plugins/slots"
)

// Options configure a play session.
type Options struct {
	// NewMachine builds the machine (again, on reset) with its ROM and
	// options; the player connects its input, audio and plugs.
	NewMachine func() (*core.Machine, error)
	// Name is the ROM's file name: the window title and the stem of state
	// and screenshot files.
	Name string
	// PAL selects 50 fields/s instead of 60.
	PAL bool

	Scale      int  // initial window size: Scale × 320x240 (default 2)
	Integer    bool // scale by whole multiples of the picture's height
	Fullscreen bool
	Mute       bool
	Volume     int // percent, 0-100
	// VIFilters applies the VI filters the game enables in VI_CTRL
	// (core/vifilter) to the picture shown and to screenshots.
	VIFilters bool

	StateDir string // savestates
	ShotDir  string // screenshots

	// AfterFrame, when set, is called after every emulated field with the
	// machine and its field count (the caller writes cartridge saves there).
	AfterFrame func(m *core.Machine, field uint64)

	Input input.Config

	// Netplay, when set, makes this a netplay session.
	Netplay *Netplay

	// Warn receives warnings (no sound device); nil: os.Stderr.
	Warn io.Writer

	// Stats, when set, receives a frame-pacing report every second and
	// one for the whole run at exit.
	Stats io.Writer
}

// Netplay connects the player to a netplay session (netplay/client). The
// machine's input comes from Input, the controller ports are the ones
// NewMachine plugged (the session's), and everything that would let the
// players' machines diverge is off: savestates (save and load), reset,
// pause, frame advance and fast-forward (NETPLAY.md §7).
type Netplay struct {
	// Input returns the machine's InputSource given the local controllers
	// (port 0 is the local player's).
	Input func(local pif.InputSource) pif.InputSource
	// Status, when set, is asked every tick; a non-empty text stays on
	// screen (a desync, a player gone).
	Status func() string
	// CatchUp, when set, is asked every tick; while it is true a second
	// field runs per tick (this player is behind the others).
	CatchUp func() bool
	// Err, when set, is asked every tick; an error ends the session.
	Err func() error
}

// EmulatorError is a failure of the emulated machine (a core.EmulatorError
// from RunFrame), as opposed to a host problem.
type EmulatorError struct{ Err error }

func (e *EmulatorError) Error() string { return e.Err.Error() }
func (e *EmulatorError) Unwrap() error { return e.Err }

// Audio constants: the device rate, the ring's size and its target fill.
const (
	deviceRate   = 48000
	ringFrames   = deviceRate / 4  // 250 ms at most
	targetFrames = deviceRate / 15 // aim for ~67 ms: four 60 Hz fields
	deviceBuffer = 40 * time.Millisecond
	fastForward  = 4 // fields per tick while fast-forward is held
	msgTicks     = 120
)

type game struct {
	opt  Options
	m    *core.Machine
	src  *input.Source
	in   pif.InputSource // what the machine reads: src, or netplay's
	pipe *audio.Pipe
	out  *audio.Stream

	img     *ebiten.Image
	vif     vifilter.Filter // buffers of the VI filters (Options.VIFilters)
	paused  bool
	advance bool
	ffwd    bool
	slot    int
	volume  int
	silent  string // why there is no sound, or ""
	tick    int
	msg     string
	msgEnd  int
	started bool
	plugged [pif.NumPorts]bool
	rumble  input.Rumble
	pace    *pacing

	tps      int    // ebiten's tick rate: the console's field rate
	lastNow  uint64 // emulated cycle at the end of the last field run
	rateSeen int    // ticks in a row the measured field rate differed from tps
}

// Run opens the window and plays until it is closed or Escape is pressed.
func Run(opt Options) error {
	if opt.Warn == nil {
		opt.Warn = os.Stderr
	}
	if opt.Scale <= 0 {
		opt.Scale = 2
	}
	if opt.Volume < 0 || opt.Volume > 100 {
		opt.Volume = 100
	}
	m, err := opt.NewMachine()
	if err != nil {
		return err
	}
	g := &game{opt: opt, m: m, src: input.NewSource(opt.Input), volume: opt.Volume}
	g.rumble.Vibrate = input.EbitenVibrator
	g.in = g.src
	if opt.Netplay != nil {
		g.in = opt.Netplay.Input(g.src)
	}
	g.pipe = audio.NewPipe(deviceRate, ringFrames, targetFrames)
	g.out = audio.NewStream(g.pipe.Ring)
	g.out.SetVolume(g.volume)
	g.wire(m)

	soundless := opt.Mute
	if !opt.Mute {
		if err := audio.Probe(); err != nil {
			fmt.Fprintf(opt.Warn, "n64: warning: %v; playing without sound\n", err)
			soundless = true
		}
	}
	if !soundless {
		ctx := eaudio.NewContext(deviceRate)
		p, err := ctx.NewPlayer(g.out)
		if err != nil {
			return fmt.Errorf("audio: %w", err)
		}
		p.SetBufferSize(deviceBuffer)
		p.Play()
	}
	switch {
	case opt.Mute:
		g.silent = "sound off: --mute"
	case soundless:
		g.silent = "no sound device"
	}

	ebiten.SetWindowTitle("n64 — " + opt.Name)
	ebiten.SetWindowSize(320*opt.Scale, 240*opt.Scale)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetFullscreen(opt.Fullscreen)
	g.tps = 60
	if opt.PAL {
		g.tps = 50
	}
	ebiten.SetTPS(g.tps)
	if opt.Stats != nil {
		var ring *audio.Ring // nil without sound: no underruns to count
		if !soundless {
			ring = g.pipe.Ring
		}
		g.pace = newPacing(opt.Stats, ring, time.Now())
	}
	err = ebiten.RunGame(g)
	g.pace.done(time.Now())
	if err != nil && !soundless && strings.HasPrefix(err.Error(), "audio:") {
		return fmt.Errorf("%w (try --mute)", err)
	}
	return err
}

// wire connects a (new) machine to the player's input and audio.
func (g *game) wire(m *core.Machine) {
	m.SetInput(g.in)
	m.SetAudioSink(func(rate int, stereo []int16) {
		if !g.ffwd && g.silent == "" {
			g.pipe.Push(rate, stereo)
		}
	})
	for p, on := range g.plugged {
		if on && g.opt.Netplay == nil {
			m.PIF.SetPlugged(p, true)
		}
	}
}

func (g *game) say(format string, args ...any) {
	g.msg = fmt.Sprintf(format, args...)
	g.msgEnd = g.tick + msgTicks
}

func (g *game) pressed(action string) bool {
	for _, k := range g.opt.Input.Hotkeys[action] {
		if inpututil.IsKeyJustPressed(k) {
			return true
		}
	}
	return false
}

func (g *game) held(action string) bool {
	for _, k := range g.opt.Input.Hotkeys[action] {
		if ebiten.IsKeyPressed(k) {
			return true
		}
	}
	return false
}

// plug plugs a controller into every port a player can drive: port 1
// always, the others when the player has keys bound or their gamepad is
// connected.
func (g *game) plug() {
	if g.opt.Netplay != nil {
		return // the session's ports, plugged by NewMachine
	}
	pads := g.src.Gamepads()
	for p := range g.plugged {
		pl := &g.opt.Input.Players[p]
		keys := false
		for _, k := range pl.Keys {
			keys = keys || len(k) > 0
		}
		if !g.plugged[p] && (p == 0 || keys || pl.Gamepad >= 0 && pl.Gamepad < pads) {
			g.plugged[p] = true
			g.m.PIF.SetPlugged(p, true)
			if g.started && p > 0 {
				g.say("Controller %d plugged in", p+1)
			}
		}
	}
}

func (g *game) Update() error {
	g.tick++
	g.pace.tick(time.Now())
	if g.pressed(input.HotQuit) {
		g.rumble.Stop()
		return ebiten.Termination
	}
	g.hotkeys()
	g.src.Sample()
	g.plug()
	g.started = true
	g.ffwd = g.held(input.HotFastForward) && g.opt.Netplay == nil
	if g.paused && !g.advance {
		g.rumble.Stop()
		return nil
	}
	n := 1
	if g.ffwd && !g.paused {
		n = fastForward
	}
	if np := g.opt.Netplay; np != nil {
		if np.Err != nil {
			if err := np.Err(); err != nil {
				return err
			}
		}
		if np.CatchUp != nil && np.CatchUp() {
			n = 2
		}
	}
	g.advance = false
	for i := 0; i < n; i++ {
		if err := g.runFrame(); err != nil {
			return err
		}
	}
	if n == 1 {
		g.followVI()
	}
	g.lastNow = g.m.Sched.Now
	g.feelRumble()
	g.pipe.Adjust()
	g.upload()
	return nil
}

// cpuHz is the VR4300's clock, the unit of the emulated time.
const cpuHz = 93_750_000

// followVI sets ebiten's tick rate to the field rate the game's VI
// registers give (VI_V_SYNC lines of VI_H_SYNC clocks: 59.83 Hz for NTSC,
// 50 Hz for PAL), measured as the emulated time the last field took, once
// it has held for a second. ebiten's rate is a whole number, so 59.83 Hz
// runs at 60 and the audio's rate control absorbs the 0.3%.
func (g *game) followVI() {
	now := g.m.Sched.Now
	if now <= g.lastNow || g.lastNow == 0 {
		return
	}
	rate := int((cpuHz + (now-g.lastNow)/2) / (now - g.lastNow))
	if rate == g.tps || rate < 20 || rate > 120 {
		g.rateSeen = 0
		return
	}
	g.rateSeen++
	if g.rateSeen >= g.tps {
		g.tps = rate
		g.rateSeen = 0
		ebiten.SetTPS(rate)
	}
}

// feelRumble passes the Rumble Pak motors on to the players' gamepads,
// timed in emulated milliseconds.
func (g *game) feelRumble() {
	var motor [pif.NumPorts]bool
	for port := range motor {
		motor[port] = g.m.PIF.Rumble(port)
	}
	now := time.Duration(g.m.Sched.Now/(cpuHz/1000)) * time.Millisecond
	g.rumble.Update(now, motor, g.src.PadOf)
}

// runFrame runs one field; a fault inside the core (core.EmulatorError)
// ends play as an EmulatorError.
func (g *game) runFrame() error {
	if err := g.m.RunFrame(); err != nil {
		return &EmulatorError{err}
	}
	g.pace.field()
	if g.opt.AfterFrame != nil {
		g.opt.AfterFrame(g.m, g.m.VI.Fields)
	}
	return nil
}

// frame is the machine's picture, through the VI filters when enabled.
func (g *game) frame() *image.RGBA {
	f := g.m.Frame()
	if g.opt.VIFilters {
		f = g.vif.Apply(f, g.m.Bus.RDRAM, vifilter.RegsOf(g.m.VI), g.m.VI.Fields)
	}
	return f
}

func (g *game) upload() {
	g.pace.uploaded()
	f := g.frame()
	if g.img == nil || g.img.Bounds().Size() != f.Rect.Size() {
		if g.img != nil {
			g.img.Deallocate()
		}
		g.img = ebiten.NewImage(f.Rect.Dx(), f.Rect.Dy())
	}
	g.img.WritePixels(f.Pix)
}

// hotkeys acts on every hotkey pressed since the last tick (several may
// arrive in one tick), in a fixed order: slot selection before save/load.
func (g *game) hotkeys() {
	for i := 0; i < slots.NumSlots; i++ {
		if g.pressed(fmt.Sprintf("%s%d", input.HotSlot, i)) {
			g.slot = i
			g.say("Slot %d", i)
		}
	}
	if g.machineKey(input.HotPause) {
		g.paused = !g.paused
		if g.paused {
			g.say("Paused")
		} else {
			g.say("Resumed")
		}
	}
	if g.machineKey(input.HotFrameAdvance) {
		g.paused, g.advance = true, true
		g.say("Frame %d", g.m.VI.Fields+1)
	}
	if g.machineKey(input.HotReset) {
		if m, err := g.opt.NewMachine(); err != nil {
			g.say("Reset failed: %v", err)
		} else {
			g.m = m
			g.wire(m)
			g.lastNow = 0
			g.pipe.Ring.Clear()
			g.say("Reset")
		}
	}
	if g.pressed(input.HotFullscreen) {
		ebiten.SetFullscreen(!ebiten.IsFullscreen())
		if ebiten.IsFullscreen() {
			g.say("Fullscreen")
		} else {
			g.say("Windowed")
		}
	}
	if g.pressed(input.HotScreenshot) {
		g.screenshot()
	}
	if g.machineKey(input.HotSaveState) {
		g.saveState()
	}
	if g.machineKey(input.HotLoadState) {
		g.loadState()
	}
	if g.pressed(input.HotVolumeDown) {
		g.setVolume(g.volume - 10)
	}
	if g.pressed(input.HotVolumeUp) {
		g.setVolume(g.volume + 10)
	}
	if g.pressed(input.HotMute) {
		if g.out.Volume() == 0 {
			g.setVolume(g.volume)
		} else {
			g.out.SetVolume(0)
			g.say("Sound off")
		}
	}
}

// machineKey is pressed for a hotkey that changes the machine or its pace;
// during netplay it only explains why nothing happens.
func (g *game) machineKey(action string) bool {
	if !g.pressed(action) {
		return false
	}
	if g.opt.Netplay != nil {
		g.say("Off during netplay: every player's machine must stay identical")
		return false
	}
	return true
}

func (g *game) setVolume(v int) {
	g.volume = max(0, min(100, v))
	g.out.SetVolume(g.volume)
	if g.silent != "" {
		g.say("Volume %d%% (%s)", g.volume, g.silent)
	} else {
		g.say("Volume %d%%", g.volume)
	}
}

func (g *game) statePath() string {
	return slots.StatePath(g.opt.StateDir, slots.Base(g.opt.Name), g.m.ROM.SHA256, g.slot)
}

func (g *game) saveState() {
	data, err := g.m.SaveState()
	if err == nil {
		err = os.MkdirAll(g.opt.StateDir, 0o755)
	}
	if err == nil {
		err = slots.SaveState(g.statePath(), g.m.ROM.SHA256, data)
	}
	if err != nil {
		g.say("Slot %d not saved: %v", g.slot, err)
		return
	}
	g.say("Saved slot %d", g.slot)
}

func (g *game) loadState() {
	data, err := os.ReadFile(g.statePath())
	if errors.Is(err, fs.ErrNotExist) {
		g.say("Slot %d is empty", g.slot)
		return
	}
	if err == nil {
		err = g.m.LoadState(data)
	}
	if err != nil {
		g.say("Slot %d not loaded: %v", g.slot, err)
		return
	}
	g.pipe.Ring.Clear()
	g.upload()
	g.say("Loaded slot %d", g.slot)
}

func (g *game) screenshot() {
	var buf bytes.Buffer
	err := png.Encode(&buf, g.frame())
	path := ""
	if err == nil {
		err = os.MkdirAll(g.opt.ShotDir, 0o755)
	}
	if err == nil {
		path = slots.ScreenshotPath(g.opt.ShotDir, slots.Base(g.opt.Name), time.Now())
		err = slots.WriteAtomic(path, buf.Bytes())
	}
	if err != nil {
		g.say("Screenshot failed: %v", err)
		return
	}
	g.say("Screenshot %s", filepath.Base(path))
}

var (
	bgColour  = color.RGBA{0, 0, 0, 255}
	msgColour = color.RGBA{0, 0, 0, 170}
)

func (g *game) Draw(screen *ebiten.Image) {
	screen.Fill(bgColour)
	g.pace.drew()
	if g.img != nil {
		sw, sh := screen.Bounds().Dx(), screen.Bounds().Dy()
		iw, ih := g.img.Bounds().Dx(), g.img.Bounds().Dy()
		r := Fit(sw, sh, ih, g.opt.Integer)
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Scale(float64(r.Dx())/float64(iw), float64(r.Dy())/float64(ih))
		op.GeoM.Translate(float64(r.Min.X), float64(r.Min.Y))
		op.Filter = ebiten.FilterNearest
		screen.DrawImage(g.img, op)
	}
	text := ""
	if g.tick < g.msgEnd {
		text = g.msg
	}
	if np := g.opt.Netplay; np != nil && np.Status != nil && text == "" {
		text = np.Status()
	}
	if g.ffwd && !g.paused {
		text = fmt.Sprintf("Fast-forward ×%d", fastForward)
	} else if g.paused && text == "" {
		text = "Paused"
	}
	if text != "" {
		// The debug font's cells are 6×16 pixels.
		w := 6*len([]rune(text)) + 8
		box := ebiten.NewImage(w, 20)
		box.Fill(msgColour)
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Translate(8, 8)
		screen.DrawImage(box, op)
		box.Deallocate()
		ebitenutil.DebugPrintAt(screen, text, 12, 10)
	}
}

func (g *game) Layout(w, h int) (int, int) { return w, h }
