package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/n64go/n64/core/pif"
)

// The layout roms/testdata/joypad.s documents in its header: port p's
// panel is the quarter at (160*(p&1), 120*(p>>1)); bit 15-i of the button
// word is a 14x10 box at (x0+16+16*(i&7), y0+32+24*(i>>3)), yellow when
// set and grey when clear; the stick is a red 3x3 dot centred at
// (x0+32+X/8, y0+100-Y/8).
func panel(port int) (x0, y0 int) { return 160 * (port & 1), 120 * (port >> 1) }

// colour classes of the RGBA5551 colours joypad.s draws with.
func class(img image.Image, x, y int) string {
	r, g, b, _ := img.At(x, y).RGBA()
	r, g, b = r>>8, g>>8, b>>8
	switch {
	case r > 200 && g > 200 && b < 60:
		return "yellow"
	case r > 200 && g < 60 && b < 60:
		return "red"
	case r > 40 && r < 90 && g > 40 && g < 90 && b > 40 && b < 90:
		return "grey"
	}
	return fmt.Sprintf("(%d,%d,%d)", r, g, b)
}

// TestJoypadROM drives the four ports with an input script through `n64
// run --input` and reads every port's state back off the screen the ROM
// draws: each button box lit exactly when the script holds it, the stick
// dot where the script puts the stick, and the port the script never
// mentions shown as empty (no controller: its panel has no boxes). The
// first screen must also equal roms/testdata/joypad.png, a capture checked
// by eye.
func TestJoypadROM(t *testing.T) {
	bin := buildN64(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name   string
		script string
		want   [pif.NumPorts]*pif.Input // nil: no controller
		golden string                   // a capture checked by eye, or ""
	}{
		{
			name:   "ports 1, 2 and 4",
			golden: "../../roms/testdata/joypad.png",
			script: "5 A+START 40 -20\n" +
				"5 P2 B+Z+L -128 127\n" +
				"5 P4 CU+DR+R+RESET 127 -128\n",
			want: [pif.NumPorts]*pif.Input{
				{Buttons: pif.ButtonA | pif.ButtonStart, X: 40, Y: -20},
				{Buttons: pif.ButtonB | pif.ButtonZ | pif.ButtonL, X: -128, Y: 127},
				nil,
				{Buttons: pif.CUp | pif.DRight | pif.ButtonR | pif.ButtonReset, X: 127, Y: -128},
			},
		},
		{
			// The state changes during the run: the screen shows the last.
			name: "all four, changed",
			script: "2 P3 A 10 10\n" +
				"4 P1 DU+DD+DL+DR 0 0\n" +
				"4 P2 CL+CD 8 -8\n" +
				"20 P3 Z+CR -64 64\n" +
				"20 P4 -\n",
			want: [pif.NumPorts]*pif.Input{
				{Buttons: pif.DUp | pif.DDown | pif.DLeft | pif.DRight},
				{Buttons: pif.CLeft | pif.CDown, X: 8, Y: -8},
				{Buttons: pif.ButtonZ | pif.CRight, X: -64, Y: 64},
				{},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".txt")
			shot := in + ".png"
			if err := os.WriteFile(in, []byte(tc.script), 0o644); err != nil {
				t.Fatal(err)
			}
			_, stderr, code := runN64(t, bin, "run", "--headless", "--frames", "40", "--input", in,
				"--screenshot", shot, "../../roms/testdata/joypad.z64")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			f, err := os.Open(shot)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if tc.golden != "" {
				comparePNG(t, shot, tc.golden)
			}
			if b := img.Bounds(); b.Dx() != 320 || b.Dy() != 240 {
				t.Fatalf("screen is %v, want 320x240", b)
			}
			for port, want := range tc.want {
				x0, y0 := panel(port)
				for i := 0; i < 16; i++ {
					bit := pif.Buttons(1) << (15 - i)
					x, y := x0+16+16*(i&7)+7, y0+32+24*(i>>3)+5
					got := class(img, x, y)
					exp := "grey"
					switch {
					case want == nil:
						exp = "" // no box at all
					case want.Buttons&bit != 0:
						exp = "yellow"
					}
					if exp == "" {
						if got == "yellow" || got == "grey" {
							t.Errorf("P%d (no controller): button box %d drawn (%s)", port+1, i, got)
						}
					} else if got != exp {
						t.Errorf("P%d button bit %#04x: box is %s, want %s", port+1, uint16(bit), got, exp)
					}
				}
				if want == nil {
					continue
				}
				cx, cy := x0+32+int(want.X)>>3, y0+100-int(want.Y)>>3
				if got := class(img, cx, cy); got != "red" {
					t.Errorf("P%d stick (%d,%d): pixel (%d,%d) is %s, want the red dot", port+1, want.X, want.Y, cx, cy, got)
				}
			}
		})
	}
}
