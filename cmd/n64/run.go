package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/cpu"
	"github.com/n64go/n64/core/pif"
	"github.com/n64go/n64/core/vifilter"
	"github.com/n64go/n64/internal/inputscript"
	"github.com/n64go/n64/internal/savefile"
	"github.com/n64go/n64/internal/wav"
)

// machineFlags are the options every command that boots a ROM accepts.
type machineFlags struct {
	mem4M      bool
	pal        bool
	countPerOp uint
}

func (f *machineFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.mem4M, "4mb", false, "4 MiB of RDRAM (no Expansion Pak) instead of 8 MiB")
	fs.BoolVar(&f.pal, "pal", false, "boot as a PAL console")
	fs.UintVar(&f.countPerOp, "count-per-op", 2, "CP0 Count ticks per instruction (mupen64plus CountPerOp)")
}

func (f *machineFlags) options() core.Options {
	o := core.DefaultOptions()
	o.DisableExtraMem = f.mem4M
	o.PAL = f.pal
	o.CountPerOp = uint32(f.countPerOp)
	return o
}

// boot loads a ROM and builds a machine for it.
func boot(path string, f *machineFlags) (*core.Machine, error) {
	rom, err := cart.Load(path)
	if err != nil {
		return nil, err
	}
	return core.New(rom, f.options())
}

// runFrames runs n frames; an emulator error (core.EmulatorError, naming
// the PC and instruction) becomes an emulatorError, exit status 2.
func runFrames(m *core.Machine, n int, each func(frame int) error) error {
	for i := 0; i < n; i++ {
		if err := m.RunFrame(); err != nil {
			return emulatorError{fmt.Errorf("frame %d: %w", i, err)}
		}
		if each != nil {
			if err := each(i); err != nil {
				return err
			}
		}
	}
	return nil
}

const runUsage = `usage: n64 run --headless [flags] ROM

Runs ROM without a window for --frames VI frames.

Netplay: the same flags as n64 play (--lobby with --create-room or --room,
or --join HOST:PORT with --player N or --spectate). --input then plays the script's lines for
the player's own port (P2 for player 2) as the local controller, so one
script can drive every player; the run keeps about real time, and a desync
reported by the server makes it fail.

flags:
`

func runRun(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var mf machineFlags
	mf.register(fs)
	var pf peripheralFlags
	pf.register(fs)
	var nf netplayFlags
	nf.register(fs)
	headless := fs.Bool("headless", false, "run without a window (required; n64 play opens one)")
	frames := fs.Int("frames", 60, "number of VI frames to run")
	shot := fs.String("screenshot", "", "write the last frame to this PNG file")
	viFilters := fs.Bool("vi-filters", false, "write the screenshot through the VI filters the game enables (as n64 play --vi-filters)")
	dump := fs.Bool("dump-cpu", false, "print the CPU registers at exit")
	inputPath := fs.String("input", "", "replay controller input from this script (format: see internal/inputscript)")
	recordPath := fs.String("record", "", "record the controller input of the run to this script")
	wavPath := fs.String("wav", "", "write the audio output to this WAV file (16-bit stereo at the AI rate)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), runUsage)
		fs.PrintDefaults()
	}
	path, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if !*headless {
		return errors.New("run: pass --headless, or use n64 play for a window")
	}
	if *frames < 1 {
		return fmt.Errorf("run: --frames must be at least 1, got %d", *frames)
	}
	if err := pf.check(); err != nil {
		return err
	}
	if err := nf.check(); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	if *shot != "" {
		// Fail before running, not after minutes of emulation.
		if err := checkWritableDir(*shot); err != nil {
			return err
		}
	}
	var script *inputscript.Script
	if *inputPath != "" {
		if script, err = loadScript(*inputPath); err != nil {
			return err
		}
	}
	rom, err := cart.Load(path)
	if err != nil {
		return err
	}
	// In netplay this machine only checks the ROM and options before
	// connecting; the session builds its own.
	m, err := core.New(rom, mf.options())
	if err != nil {
		return err
	}
	var saves *savefile.Manager
	var src pif.InputSource
	setFrame := func(int) {}
	if script != nil {
		src, setFrame = script, script.SetFrame
		// A port the script drives has a controller in it (port 1 always does).
		for _, e := range script.Events() {
			m.PIF.SetPlugged(e.Port, true)
		}
	}
	pace := func() error { return nil }
	var sess *netSession
	if nf.enabled() {
		if sess, err = nf.start(rom, mf.options(), &pf, os.Stderr); err != nil {
			return fmt.Errorf("run: %w", err)
		}
		defer sess.c.Close()
		if m, saves, err = sess.newMachine(rom, &pf, os.Stderr); err != nil {
			return fmt.Errorf("run: %w", err)
		}
		var local pif.InputSource
		if script != nil {
			local = script // not a typed nil
		}
		pace = sess.headless(local, m.Opts.PAL)
		src = sess.c // the server's events, for every port
	} else if saves, err = pf.apply(m, os.Stderr); err != nil {
		return err
	}
	m.SetISViewerOutput(func(b []byte) { out.Write(b) })

	var rec *inputscript.Recorder
	if *recordPath != "" {
		f, err := os.Create(*recordPath)
		if err != nil {
			return fmt.Errorf("record: %w", err)
		}
		defer f.Close()
		rec = inputscript.NewRecorder(f, src)
		prev := setFrame
		src, setFrame = rec, func(i int) {
			prev(i)
			rec.SetFrame(i)
		}
	}
	if src != nil {
		m.SetInput(src)
	}
	var audio *wav.Writer
	if *wavPath != "" {
		f, err := os.Create(*wavPath)
		if err != nil {
			return fmt.Errorf("wav: %w", err)
		}
		defer f.Close()
		audio = wav.New(f)
		m.SetAudioSink(audio.Samples)
	}

	setFrame(0)
	runErr := runFrames(m, *frames, func(i int) error {
		setFrame(i + 1)
		if saves != nil {
			if err := saves.Frame(i); err != nil {
				fmt.Fprintln(os.Stderr, "n64: warning:", err)
			}
		}
		return pace()
	})
	if runErr == nil && sess != nil && sess.c.Status().Desync() {
		runErr = errors.New("run: netplay: the server reported a desync (the players' games differ)")
	}
	// Whatever happened to the run, keep what the game saved and what was
	// recorded.
	var finishErrs []error
	if saves != nil {
		finishErrs = append(finishErrs, saves.Close())
	}
	if rec != nil {
		if err := rec.Close(); err != nil {
			finishErrs = append(finishErrs, fmt.Errorf("record: %w", err))
		}
	}
	if audio != nil {
		if err := audio.Close(); err != nil {
			finishErrs = append(finishErrs, fmt.Errorf("wav: %w", err))
		}
		if audio.Resampled {
			fmt.Fprintf(os.Stderr, "n64: warning: the audio rate changed during the run; the WAV file is resampled to the first rate, %d Hz\n", audio.Rate())
		}
	}
	if *dump {
		dumpCPU(out, m.CPU)
	}
	if runErr != nil {
		return runErr
	}
	if err := errors.Join(finishErrs...); err != nil {
		return err
	}
	if *shot != "" {
		img := m.Frame()
		if *viFilters {
			var f vifilter.Filter
			img = f.Apply(img, m.Bus.RDRAM, vifilter.RegsOf(m.VI), m.VI.Fields)
		}
		return writePNG(*shot, img)
	}
	return nil
}

func loadScript(path string) (*inputscript.Script, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	defer f.Close()
	return inputscript.Parse(f, path)
}

// peripheralFlags choose the save memory, the save files and the
// accessory in controller 1.
type peripheralFlags struct {
	saveDir  string
	saveType string
	noSaves  bool
	pak      string

	st     cart.SaveType
	pakKin pif.PakKind
}

func (f *peripheralFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.saveDir, "save-dir", "", "folder of the save files (default $XDG_DATA_HOME/n64/saves, else ~/.local/share/n64/saves)")
	fs.StringVar(&f.saveType, "save-type", "auto", "cartridge save memory: auto (ROM header, then a table of games), "+strings.Join(cart.SaveTypeNames(), ", "))
	fs.BoolVar(&f.noSaves, "no-saves", false, "neither read nor write save files (save memory starts blank)")
	fs.StringVar(&f.pak, "pak", "none", "accessory in controller 1: none, controller (saved as .mpk), rumble, transfer")
}

// check validates the flags before anything runs.
func (f *peripheralFlags) check() error {
	if f.saveType != "auto" {
		st, err := cart.ParseSaveType(f.saveType)
		if err != nil {
			return fmt.Errorf("--save-type: %w", err)
		}
		f.st = st
	}
	switch strings.ToLower(f.pak) {
	case "none", "":
		f.pakKin = pif.PakNone
	case "controller", "mempak":
		f.pakKin = pif.PakController
	case "rumble":
		f.pakKin = pif.PakRumble
	case "transfer":
		f.pakKin = pif.PakTransfer
	default:
		return fmt.Errorf("--pak: unknown accessory %q (want none, controller, rumble or transfer)", f.pak)
	}
	return nil
}

// apply sets up the machine's save memory and accessory and, unless
// --no-saves, loads the save files; the returned manager (nil when there
// is nothing to save) writes them back.
func (f *peripheralFlags) apply(m *core.Machine, warn io.Writer) (*savefile.Manager, error) {
	if f.saveType != "auto" {
		m.SetSaveType(f.st)
	}
	m.PIF.SetPak(0, f.pakKin, nil)
	if f.noSaves || (m.SaveData() == nil && f.pakKin != pif.PakController) {
		return nil, nil
	}
	dir := f.saveDir
	if dir == "" {
		d, err := savefile.DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	mgr, warns, err := savefile.Open(dir, savefile.BaseName(m.ROM.Header.Title, m.ROM.SHA256), m)
	for _, w := range warns {
		fmt.Fprintln(warn, "n64: warning:", w)
	}
	return mgr, err
}

func checkWritableDir(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("screenshot: %s is not a directory", dir)
	}
	return nil
}

// writePNG writes img atomically: a temporary file in the same directory,
// then a rename, so an interrupted run leaves no half file.
func writePNG(path string, img image.Image) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".n64-shot-*.png")
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := png.Encode(tmp, img); err != nil {
		tmp.Close()
		return fmt.Errorf("screenshot: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	return nil
}

// dumpCPU prints the registers for debugging and for test ROMs that
// report their result in a register.
func dumpCPU(out io.Writer, c *cpu.CPU) {
	fmt.Fprintf(out, "PC  %016X\n", c.PC)
	for i := 0; i < 32; i += 2 {
		fmt.Fprintf(out, "r%-2d %-4s %016X   r%-2d %-4s %016X\n",
			i, cpu.RegName(i), c.GPR[i], i+1, cpu.RegName(i+1), c.GPR[i+1])
	}
	fmt.Fprintf(out, "HI  %016X   LO  %016X\n", c.HI, c.LO)
	for _, r := range []struct {
		name string
		reg  int
	}{
		{"Status", cpu.CP0Status}, {"Cause", cpu.CP0Cause}, {"EPC", cpu.CP0EPC},
		{"ErrorEPC", cpu.CP0ErrorEPC}, {"BadVAddr", cpu.CP0BadVAddr},
		{"Count", cpu.CP0Count}, {"Compare", cpu.CP0Compare},
	} {
		fmt.Fprintf(out, "%-8s %016X\n", r.name, c.CP0Value(r.reg))
	}
}
