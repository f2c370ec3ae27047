package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/n64go/n64/core/cart"
)

// errHelp is returned after a subcommand printed its --help.
var errHelp = errors.New("help shown")

// parseFlags parses a subcommand's flags and requires exactly one ROM.
func parseFlags(fs *flag.FlagSet, args []string) (string, error) {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(nil)
			fs.Usage()
			return "", errHelp
		}
		return "", err
	}
	if fs.NArg() != 1 {
		return "", fmt.Errorf("%s: expected one ROM file, got %d arguments (n64 %s --help)", fs.Name(), fs.NArg(), fs.Name())
	}
	return fs.Arg(0), nil
}

func runInfo(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("info", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), "usage: n64 info ROM") }
	path, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	rom, err := cart.Load(path)
	if err != nil {
		return err
	}
	printInfo(out, path, rom)
	return nil
}

func printInfo(out io.Writer, path string, rom *cart.ROM) {
	h := rom.Header
	save := "none declared"
	if h.HasSaveType {
		save = h.SaveType.String() + " (libdragon header)"
	}
	cic := rom.CIC.String()
	if rom.CIC == cart.CICUnknown {
		cic += " (boots as " + rom.CIC.BootAs().String() + ")"
	}
	fmt.Fprintf(out, "file:        %s\n", path)
	fmt.Fprintf(out, "title:       %q\n", h.Title)
	fmt.Fprintf(out, "game code:   %s\n", h.GameCode)
	fmt.Fprintf(out, "region:      %s\n", rom.RegionName())
	fmt.Fprintf(out, "version:     %d\n", h.Version)
	fmt.Fprintf(out, "entry point: 0x%08X\n", h.EntryPoint)
	fmt.Fprintf(out, "clock rate:  0x%08X\n", h.ClockRate)
	fmt.Fprintf(out, "release:     0x%08X\n", h.Release)
	fmt.Fprintf(out, "header CRC:  0x%08X 0x%08X\n", h.CRC1, h.CRC2)
	fmt.Fprintf(out, "save type:   %s\n", save)
	fmt.Fprintf(out, "CIC:         %s (seed 0x%02X)\n", cic, rom.CIC.BootAs().Seed())
	fmt.Fprintf(out, "byte order:  %s\n", rom.Order)
	fmt.Fprintf(out, "size:        %d bytes\n", len(rom.Data))
	fmt.Fprintf(out, "MD5:         %X\n", rom.MD5)
	fmt.Fprintf(out, "SHA-256:     %X\n", rom.SHA256)
}
