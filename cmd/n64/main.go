// Command n64 is the n64 emulator: the desktop player, headless runs, ROM
// information, benchmarks and the netplay server.
package main

import (
	"errors"
	"fmt"
	"os"
)

const usage = `n64 — a Nintendo 64 emulator

usage:
  n64 play [flags] [ROM]             play in a window with sound (no ROM: the built-in demo; n64 play --help)
  n64 info ROM                       print the ROM's header, CIC, byte order and hashes
  n64 run --headless [flags] ROM     run a ROM without a window (n64 run --help)
  n64 bench [flags] ROM              measure emulation speed (n64 bench --help)
  n64 serve [flags]                  run a netplay server and lobby (n64 serve --help)

ROMs may be .z64, .v64 or .n64, whatever they are called, and may be inside .gz or .zip files.
`

// Exit statuses: 1 for bad input (a file that is not a ROM, a bad flag),
// 2 for an emulator error (the emulated machine did something we do not
// implement), as the foundation issue specifies.
const (
	exitBadInput      = 1
	exitEmulatorError = 2
)

// emulatorError marks errors raised by the emulated machine rather than by
// the user's input.
type emulatorError struct{ err error }

func (e emulatorError) Error() string { return e.err.Error() }

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(exitBadInput)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "info":
		err = runInfo(args, os.Stdout)
	case "run":
		err = runRun(args, os.Stdout)
	case "play":
		err = runPlay(args, os.Stdout)
	case "bench":
		err = runBench(args, os.Stdout)
	case "serve":
		err = runServe(args, os.Stdout)
	case "help", "-h", "-help", "--help":
		fmt.Print(usage)
		return
	default:
		err = fmt.Errorf("unknown command %q (try n64 help)", cmd)
	}
	if err == nil {
		return
	}
	if errors.Is(err, errHelp) {
		return
	}
	fmt.Fprintln(os.Stderr, "n64:", err)
	var ee emulatorError
	if errors.As(err, &ee) {
		os.Exit(exitEmulatorError)
	}
	os.Exit(exitBadInput)
}
