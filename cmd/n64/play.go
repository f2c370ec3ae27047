package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/internal/savefile"
	"github.com/n64go/n64/plugins/input"
	"github.com/n64go/n64/plugins/video"
	"github.com/n64go/n64/roms/demo"
)

const playUsage = `usage: n64 play [flags] [ROM]

Plays ROM in a window with sound and controllers; without a ROM, plays the
built-in demo. Keys, gamepads and hotkeys are in the README; rebind them in
the config file (--config).

Netplay: --lobby ws://HOST:PORT with --create-room NAME (you are player 1)
or --room NAME, or --join HOST:PORT --player N for a game server directly
(--join HOST:PORT --spectate to watch).
During netplay, savestates, reset, pause, frame advance and fast-forward
are off, and only player 1's save files are read and written.

flags:
`

func runPlay(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("play", flag.ContinueOnError)
	var mf machineFlags
	mf.register(fs)
	var pf peripheralFlags
	pf.register(fs)
	var nf netplayFlags
	nf.register(fs)
	cfgDir, _ := os.UserConfigDir()
	base := filepath.Join(cfgDir, "n64")
	stateDir := fs.String("state-dir", filepath.Join(base, "states"), "folder for savestates (created when first needed)")
	shotDir := fs.String("screenshot-dir", filepath.Join(base, "screenshots"), "folder for screenshots (created when first needed)")
	config := fs.String("config", filepath.Join(base, input.ConfigName), "input config file (key bindings; a missing file means the defaults)")
	fullscreen := fs.Bool("fullscreen", false, "start fullscreen (F11 toggles)")
	scale := fs.Int("scale", 2, "initial window size as a multiple of 320x240 (1-8)")
	integer := fs.Bool("integer", false, "scale the picture by whole multiples only")
	mute := fs.Bool("mute", false, "play without sound (no sound device is opened)")
	volume := fs.Int("volume", 100, "sound volume in percent (0-100; - and = change it while playing)")
	viFilters := fs.Bool("vi-filters", false, "apply the VI's own filters the game enables (anti-aliasing, dither filter, divot, gamma)")
	stats := fs.Bool("stats", false, "print frame pacing (fields/s, pictures drawn and dropped, tick gaps, audio underruns) every second and at exit")
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), playUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(out)
			fs.Usage()
			return errHelp
		}
		return fmt.Errorf("play: %w", err)
	}
	if fs.NArg() > 1 {
		return fmt.Errorf("play: expected at most one ROM file, got %d arguments (n64 play --help)", fs.NArg())
	}
	if *scale < 1 || *scale > 8 {
		return fmt.Errorf("play: --scale must be 1 to 8, got %d", *scale)
	}
	if *volume < 0 || *volume > 100 {
		return fmt.Errorf("play: --volume must be 0 to 100, got %d", *volume)
	}
	if err := pf.check(); err != nil {
		return fmt.Errorf("play: %w", err)
	}
	if err := nf.check(); err != nil {
		return fmt.Errorf("play: %w", err)
	}
	for _, d := range []struct{ flag, path string }{{"--state-dir", *stateDir}, {"--screenshot-dir", *shotDir}} {
		if st, err := os.Stat(d.path); err == nil && !st.IsDir() {
			return fmt.Errorf("play: %s %s is not a folder", d.flag, d.path)
		}
	}
	cfg, err := input.LoadConfig(*config)
	if err != nil {
		return fmt.Errorf("play: config: %w", err)
	}

	var rom *cart.ROM
	name := demo.Name
	if fs.NArg() == 1 {
		name = fs.Arg(0)
		rom, err = cart.Load(name)
	} else {
		rom, err = cart.Parse(demo.ROM)
	}
	if err != nil {
		return err
	}
	opts := mf.options()
	if _, err := core.New(rom, opts); err != nil {
		return err
	}
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return errors.New("play: no display (DISPLAY is not set); n64 run --headless runs without a window")
	}
	// Cartridge saves: each machine (a reset builds a new one) gets its save
	// files loaded; they are written as the game saves and when play ends.
	var saves *savefile.Manager
	closeSaves := func() {
		if saves != nil {
			if err := saves.Close(); err != nil {
				fmt.Fprintln(os.Stderr, "n64: warning:", err)
			}
			saves = nil
		}
	}
	defer closeSaves()
	newMachine := func() (*core.Machine, error) {
		closeSaves()
		m, err := core.New(rom, opts)
		if err != nil {
			return nil, err
		}
		saves, err = pf.apply(m, os.Stderr)
		return m, err
	}
	var netplay *video.Netplay
	if nf.enabled() {
		sess, err := nf.start(rom, opts, &pf, os.Stderr)
		if err != nil {
			return fmt.Errorf("play: %w", err)
		}
		defer sess.c.Close()
		netplay = sess.video()
		newMachine = func() (*core.Machine, error) {
			closeSaves()
			m, mgr, err := sess.newMachine(rom, &pf, os.Stderr)
			saves = mgr
			return m, err
		}
	}
	err = video.Run(video.Options{
		NewMachine: newMachine,
		AfterFrame: func(_ *core.Machine, field uint64) {
			if saves != nil {
				if err := saves.Frame(int(field)); err != nil {
					fmt.Fprintln(os.Stderr, "n64: warning:", err)
				}
			}
		},
		Name:       filepath.Base(name),
		PAL:        opts.PAL,
		Scale:      *scale,
		Integer:    *integer,
		Fullscreen: *fullscreen,
		Mute:       *mute,
		Volume:     *volume,
		VIFilters:  *viFilters,
		StateDir:   *stateDir,
		ShotDir:    *shotDir,
		Input:      cfg,
		Netplay:    netplay,
		Stats:      statsWriter(*stats),
	})
	var ee *video.EmulatorError
	if errors.As(err, &ee) {
		return emulatorError{ee.Err}
	}
	if err != nil {
		return fmt.Errorf("play: %w", err)
	}
	return nil
}

// statsWriter is where --stats reports go: standard error, or nowhere.
func statsWriter(on bool) io.Writer {
	if on {
		return os.Stderr
	}
	return nil
}
