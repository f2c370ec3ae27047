package demo

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/pif"
	"github.com/n64go/n64/roms"
)

var update = flag.Bool("update", false, "rewrite ../testdata/demo.trace from this emulator")

// TestDemoUpToDate requires the embedded demo.z64 to be exactly what
// src/demo.s assembles to.
func TestDemoUpToDate(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("src", "demo.s"))
	if err != nil {
		t.Fatal(err)
	}
	_, rom, err := roms.BuildTestROM("demo", string(src))
	if err != nil {
		t.Fatalf("src/demo.s: %v", err)
	}
	if !bytes.Equal(rom, ROM) {
		t.Fatal("src/demo.z64 is stale: run go generate ./roms/...")
	}
}

// script is the input the demo test plays: controller 1's state for each
// field from frame `from` on (until the next entry).
var script = []struct {
	from int
	in   pif.Input
}{
	{0, pif.Input{}},
	{30, pif.Input{Buttons: pif.DRight}},
	{40, pif.Input{}},
	{45, pif.Input{Buttons: pif.DDown | pif.ButtonA}},
	{55, pif.Input{X: -80}},
	{65, pif.Input{Y: 80}},
	{70, pif.Input{Buttons: pif.ButtonStart}},
	{72, pif.Input{Buttons: pif.DUp | pif.DLeft}},
	{100, pif.Input{}},
}

const traceFrames = 110

func inputAt(frame int) pif.Input {
	var in pif.Input
	for _, s := range script {
		if frame >= s.from {
			in = s.in
		}
	}
	return in
}

// scripted answers every controller read with the input of the current
// frame.
type scripted struct{ in pif.Input }

func (s *scripted) Input(port int) pif.Input {
	if port != 0 {
		return pif.Input{}
	}
	return s.in
}

func boot(t *testing.T) (*core.Machine, *scripted) {
	t.Helper()
	rom, err := cart.Parse(ROM)
	if err != nil {
		t.Fatal(err)
	}
	m, err := core.New(rom, core.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	src := &scripted{}
	m.SetInput(src)
	return m, src
}

func frameHash(img *image.RGBA) string {
	h := sha256.Sum256(img.Pix)
	return hex.EncodeToString(h[:12])
}

// TestDemoTrace replays the demo for traceFrames fields with the scripted
// input and compares the SHA-256 of every VI image with
// roms/testdata/demo.trace. The trace was recorded from this emulator
// (go test ./roms/demo -update), not from hardware: it guards determinism
// and catches regressions in what the CPU, SI/PIF, VI and AI paths make of
// the demo. TestDemoPicture checks what the picture shows.
func TestDemoTrace(t *testing.T) {
	m, src := boot(t)
	var got []string
	for f := 0; f < traceFrames; f++ {
		src.in = inputAt(f)
		if err := m.RunFrame(); err != nil {
			t.Fatalf("frame %d: %v", f, err)
		}
		img := m.Frame()
		if img.Rect.Dx() != Width || img.Rect.Dy() != Height {
			t.Fatalf("frame %d: VI image is %v, want %dx%d", f, img.Rect, Width, Height)
		}
		got = append(got, fmt.Sprintf("%d %04x %d %d %s", f, uint16(src.in.Buttons), src.in.X, src.in.Y, frameHash(img)))
	}
	path := filepath.Join("..", "testdata", "demo.trace")
	if *update {
		head := "# demo.trace: per VI field of roms/demo/src/demo.z64: frame, the input of controller 1\n" +
			"# (buttons hex, stick x, y), the first 12 bytes of the SHA-256 of the VI image (RGBA).\n" +
			"# Recorded from this emulator by go test ./roms/demo -update.\n"
		if err := os.WriteFile(path, []byte(head+strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (record it with go test ./roms/demo -update)", err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			want = append(want, l)
		}
	}
	if len(want) != len(got) {
		t.Fatalf("trace has %d frames, the run %d", len(want), len(got))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("first difference at frame %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

// square finds the demo's square in img: the bounding box of the pixels of
// colour c.
func square(img *image.RGBA, r, g, b uint8) (box image.Rectangle, n int) {
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			p := img.Pix[y*img.Stride+4*x:]
			if p[0] == r && p[1] == g && p[2] == b {
				box = box.Union(image.Rect(x, y, x+1, y+1))
				n++
			}
		}
	}
	return box, n
}

// TestDemoPicture checks the demo's documented behaviour in the VI image:
// the 16x16 yellow square starts at (152,112), moves Step pixels per field
// a direction is held (D-pad or stick), turns red while A is held, and
// Start brings it back.
func TestDemoPicture(t *testing.T) {
	m, src := boot(t)
	run := func(n int, in pif.Input) {
		t.Helper()
		src.in = in
		for i := 0; i < n; i++ {
			if err := m.RunFrame(); err != nil {
				t.Fatal(err)
			}
		}
	}
	expect := func(what string, x, y int, red bool) {
		t.Helper()
		r, g := uint8(255), uint8(255)
		if red {
			g = 0
		}
		box, n := square(m.Frame(), r, g, 0)
		want := image.Rect(x, y, x+Size, y+Size)
		if box != want || n != Size*Size {
			t.Errorf("%s: square of colour (%d,%d,0) at %v (%d pixels), want %v (%d)", what, r, g, box, n, want, Size*Size)
		}
	}
	run(10, pif.Input{})
	expect("power-on", StartX, StartY, false)
	// The picture shows the state of the field before (double buffering),
	// so one idle field after the input lets the last step show.
	run(10, pif.Input{Buttons: pif.DRight})
	run(2, pif.Input{})
	expect("10 fields of D-right", StartX+10*Step, StartY, false)
	run(5, pif.Input{X: -80})
	run(2, pif.Input{})
	expect("5 fields of stick left", StartX+5*Step, StartY, false)
	run(5, pif.Input{Y: 31}) // below the 32-unit threshold: no move
	run(7, pif.Input{Buttons: pif.DDown | pif.ButtonA})
	expect("7 fields of D-down with A", StartX+5*Step, StartY+6*Step, true)
	run(2, pif.Input{})
	expect("released", StartX+5*Step, StartY+7*Step, false)
	run(200, pif.Input{Buttons: pif.DUp | pif.DLeft})
	expect("held into the corner", 0, 0, false)
	run(3, pif.Input{Buttons: pif.ButtonStart})
	run(2, pif.Input{})
	expect("Start", StartX, StartY, false)
}

// TestDemoTone checks the demo's sound: silence, then a square wave while A
// is held, at the rate its AI_DACRATE sets.
func TestDemoTone(t *testing.T) {
	m, src := boot(t)
	var rate int
	var loud, total int
	m.SetAudioSink(func(r int, s []int16) {
		rate = r
		for _, v := range s {
			total++
			if v != 0 {
				loud++
			}
		}
	})
	for i := 0; i < 20; i++ {
		if err := m.RunFrame(); err != nil {
			t.Fatal(err)
		}
	}
	if total == 0 || loud != 0 {
		t.Fatalf("idle: %d samples, %d of them non-zero; want silence", total, loud)
	}
	if rate != 48681812/2208 {
		t.Errorf("rate %d, want %d", rate, 48681812/2208)
	}
	src.in = pif.Input{Buttons: pif.ButtonA}
	total, loud = 0, 0
	for i := 0; i < 20; i++ {
		if err := m.RunFrame(); err != nil {
			t.Fatal(err)
		}
	}
	if loud < total/2 {
		t.Fatalf("A held: %d of %d samples non-zero; want the tone", loud, total)
	}
}
