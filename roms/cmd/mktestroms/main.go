// Command mktestroms assembles each roms/testdata/NAME.s into NAME.z64
// (run by `go generate ./roms/...` from the roms folder).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/n64go/n64/roms"
)

func main() {
	dir := flag.String("dir", "testdata", "folder of the .s sources")
	flag.Parse()
	srcs, err := filepath.Glob(filepath.Join(*dir, "*.s"))
	if err == nil && len(srcs) == 0 {
		err = fmt.Errorf("no .s files in %s", *dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mktestroms:", err)
		os.Exit(1)
	}
	failed := false
	for _, src := range srcs {
		if err := build(src); err != nil {
			fmt.Fprintf(os.Stderr, "mktestroms: %s: %v\n", src, err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

// build writes the image of src beside it, unless it is already up to date.
func build(src string) error {
	text, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	name := strings.TrimSuffix(filepath.Base(src), ".s")
	_, rom, err := roms.BuildTestROM(name, string(text))
	if err != nil {
		return err
	}
	out := strings.TrimSuffix(src, ".s") + ".z64"
	if old, err := os.ReadFile(out); err == nil && bytes.Equal(old, rom) {
		return nil
	}
	return os.WriteFile(out, rom, 0o644)
}
