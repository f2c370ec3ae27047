package main

import (
	"flag"
	"fmt"
	"io"
	"time"
)

func runBench(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var mf machineFlags
	mf.register(fs)
	frames := fs.Int("frames", 300, "number of VI frames to time")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: n64 bench [flags] ROM")
		fs.PrintDefaults()
	}
	path, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *frames < 1 {
		return fmt.Errorf("bench: --frames must be at least 1, got %d", *frames)
	}
	m, err := boot(path, &mf)
	if err != nil {
		return err
	}
	startInstr := m.CPU.Steps
	start := time.Now()
	if err := runFrames(m, *frames, nil); err != nil {
		return err
	}
	elapsed := time.Since(start).Seconds()
	instr := m.CPU.Steps - startInstr
	fmt.Fprintf(out, "%s: %d frames in %.2fs: %.1f VI frames/s (%.0f%% of NTSC 60), %.1f guest MIPS\n",
		path, *frames, elapsed, float64(*frames)/elapsed, float64(*frames)/elapsed/60*100, float64(instr)/elapsed/1e6)
	return nil
}
