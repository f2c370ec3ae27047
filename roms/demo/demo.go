// Package demo is the built-in demo ROM: src/demo.s, written for our
// assembler (internal/asm), and src/demo.z64, the cartridge image it
// assembles to, both committed. (The source sits in src/ because the go
// tool would take a .s file beside the package's .go files for Go
// assembly.) `n64 play` runs it when it is given no ROM; demo_test.go
// replays it against a golden trace. After editing demo.s, rebuild the
// image with
//
//	go generate ./roms/...
//
// TestDemoUpToDate fails while the image is stale.
package demo

import _ "embed"

//go:generate go run ../cmd/mktestroms -dir src

// ROM is the demo's cartridge image (.z64, big-endian).
//
//go:embed src/demo.z64
var ROM []byte

// Name is the file name the demo is known by (in messages, state files).
const Name = "demo.z64"

// The demo's documented behaviour, which the tests check against the
// picture.
const (
	Width, Height = 320, 240 // VI output size
	Size          = 16       // the square's side in pixels
	Step          = 2        // pixels the square moves per field per direction held
	StartX        = 152      // the square's top-left corner at power-on and after Start
	StartY        = 112
)
