package main

import (
	"bytes"
	"fmt"
	"image"
	"strings"
	"testing"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/internal/inputscript"
	"github.com/n64go/n64/internal/savefile"
)

// The homebrew tests press buttons firstPress frames after boot, then
// every pressEvery frames. Each screen of these ROMs waits for a new press
// (one that comes while the ROM is still busy is lost), and the slowest
// screen measured, eepromfstest's game_save_state_t, takes about 35
// frames to print: libdragon's console redraws the whole screen after
// every printf.
const (
	firstPress = 100
	pressEvery = 60
)

// afterPresses is the frame at which the screen shown after n presses is
// captured: 10 frames before press n+1.
func afterPresses(n int) int { return firstPress - 10 + pressEvery*n }

// pressScript presses each of buttons in turn (for 5 frames), pressEvery
// frames apart.
func pressScript(t *testing.T, buttons ...string) *inputscript.Script {
	t.Helper()
	var b strings.Builder
	for i, btn := range buttons {
		f := firstPress + pressEvery*i
		fmt.Fprintf(&b, "%d %s\n%d -\n", f, btn, f+5)
	}
	s, err := inputscript.Parse(strings.NewReader(b.String()), "presses")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// pressA is pressScript with n presses of A.
func pressA(t *testing.T, n int) *inputscript.Script {
	buttons := make([]string, n)
	for i := range buttons {
		buttons[i] = "A"
	}
	return pressScript(t, buttons...)
}

// run is one headless boot for a test: the ROM, what to plug in before
// the save files load, the save folder ("" for none, as --no-saves) and
// the input.
type run struct {
	rom    string
	setup  func(m *core.Machine)
	dir    string
	script *inputscript.Script
}

// capture runs r as `n64 run --headless --input` does (same frame
// counting, same save files), up to the largest frame in frames, and
// returns the screens after those frames and the machine.
func (r run) capture(t *testing.T, frames ...int) (map[int]*image.RGBA, *core.Machine) {
	t.Helper()
	rom, err := cart.Load(r.rom)
	if err != nil {
		t.Fatal(err)
	}
	m, err := core.New(rom, core.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if r.setup != nil {
		r.setup(m)
	}
	var saves *savefile.Manager
	if r.dir != "" {
		var warns []string
		saves, warns, err = savefile.Open(r.dir, savefile.BaseName(rom.Header.Title, rom.SHA256), m)
		if err != nil || len(warns) != 0 {
			t.Fatalf("save files: %v %v", err, warns)
		}
	}
	m.SetInput(r.script)
	last := 0
	want := map[int]bool{}
	for _, f := range frames {
		want[f] = true
		last = max(last, f)
	}
	shots := map[int]*image.RGBA{}
	r.script.SetFrame(0)
	for i := 0; i < last; i++ {
		if err := m.RunFrame(); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		r.script.SetFrame(i + 1)
		if saves != nil {
			if err := saves.Frame(i); err != nil {
				t.Fatal(err)
			}
		}
		if want[i+1] {
			f := m.Frame() // reused by the next call
			shots[i+1] = &image.RGBA{Pix: bytes.Clone(f.Pix), Stride: f.Stride, Rect: f.Rect}
		}
	}
	if saves != nil {
		if err := saves.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return shots, m
}

// sameScreen reports whether a and b are the same picture.
func sameScreen(a, b *image.RGBA) bool {
	return a.Rect.Eq(b.Rect) && bytes.Equal(a.Pix, b.Pix)
}

// rowsFrom reports whether a and b have the same pixels from row y down.
func rowsFrom(a, b *image.RGBA, y int) bool {
	if !a.Rect.Eq(b.Rect) {
		return false
	}
	start := a.PixOffset(a.Rect.Min.X, y)
	return bytes.Equal(a.Pix[start:], b.Pix[start:])
}

// firstLitRow is the first row with a pixel that is not black.
func firstLitRow(img *image.RGBA) int {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if c := img.RGBAAt(x, y); c.R|c.G|c.B != 0 {
				return y
			}
		}
	}
	return b.Max.Y
}
