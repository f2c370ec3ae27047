// Package roms holds the emulator's own ROMs. Its testdata folder has the
// CPU test programs: assembly sources (*.s) written for internal/asm and the
// cartridge images built from them (*.z64), both committed. After editing a
// source, rebuild the images with
//
//	go generate ./roms/...
//
// TestTestdataUpToDate fails while an image is stale.
package roms

import (
	"embed"
	"strings"

	"github.com/n64go/n64/internal/asm"
)

// includes are the files test programs share through `.include "NAME"`.
//
//go:embed testdata/*.inc
var includes embed.FS

//go:generate go run ./cmd/mktestroms

// BuildTestROM assembles the test program src, named name (its file name
// without ".s"), at asm.ROMOrigin and wraps it in a cartridge image. src
// may include the shared files of testdata (prelude.inc, handler.inc).
func BuildTestROM(name, src string) (*asm.Program, []byte, error) {
	p, err := asm.AssembleWith(src, asm.ROMOrigin, func(name string) (string, error) {
		b, err := includes.ReadFile("testdata/" + name)
		return string(b), err
	})
	if err != nil {
		return nil, nil, err
	}
	return p, asm.BuildROM(p, "N64GO "+strings.ToUpper(name)), nil
}
