package main

import (
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/cpu"
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

// runFrames runs n frames, turning an emulator error or a host panic inside
// the core into an emulatorError naming the PC, so a user sees one line
// instead of a stack trace.
func runFrames(m *core.Machine, n int, each func(frame int) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = emulatorError{fmt.Errorf("internal error at PC 0x%016X: %v", m.CPU.PC, r)}
		}
	}()
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

func runRun(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var mf machineFlags
	mf.register(fs)
	headless := fs.Bool("headless", false, "run without a window (required until the desktop player lands)")
	frames := fs.Int("frames", 60, "number of VI frames to run")
	shot := fs.String("screenshot", "", "write the last frame to this PNG file")
	dump := fs.Bool("dump-cpu", false, "print the CPU registers at exit")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: n64 run --headless [flags] ROM")
		fs.PrintDefaults()
	}
	path, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if !*headless {
		return errors.New("run: the desktop player is not built yet; pass --headless")
	}
	if *frames < 1 {
		return fmt.Errorf("run: --frames must be at least 1, got %d", *frames)
	}
	if *shot != "" {
		// Fail before running, not after minutes of emulation.
		if err := checkWritableDir(*shot); err != nil {
			return err
		}
	}
	m, err := boot(path, &mf)
	if err != nil {
		return err
	}
	m.SetISViewerOutput(func(b []byte) { out.Write(b) })
	runErr := runFrames(m, *frames, nil)
	if *dump {
		dumpCPU(out, m.CPU)
	}
	if runErr != nil {
		return runErr
	}
	if *shot != "" {
		return writePNG(*shot, m)
	}
	return nil
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

// writePNG writes the current frame atomically: a temporary file in the
// same directory, then a rename, so an interrupted run leaves no half file.
func writePNG(path string, m *core.Machine) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".n64-shot-*.png")
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := png.Encode(tmp, m.Frame()); err != nil {
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
