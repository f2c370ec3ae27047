package main

import (
	"image"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// --vi-filters on run --headless: krom's VIScrolling 16-bit ROM sets
// VI_CTRL to 2 (RGBA5551, anti-alias mode 0, no dither filter, no gamma)
// and draws with the CPU, every pixel covered (low bit set). Through the
// VI filters each channel is then the VI's 8-bit value, its 5 bits << 3
// (angrylion RGBA16_R), while the plain screenshot keeps io.VI.Frame's
// bit-replicated expansion; both show the same 5-bit colours.
func TestRunVIFilters(t *testing.T) {
	rom := sharedROMs + "krom/Interrupt/VIScrollingBGDMA16BPP320X240/VIScrollingBGDMA16BPP320X240.N64.gz"
	if _, err := os.Stat(rom); err != nil {
		t.Skip("shared ROMs not present")
	}
	dir := t.TempDir()
	shot := func(name string, extra ...string) *image.RGBA {
		t.Helper()
		path := filepath.Join(dir, name)
		args := append([]string{"--headless", "--frames", "60", "--screenshot", path}, extra...)
		if err := runRun(append(args, rom), io.Discard); err != nil {
			t.Fatal(err)
		}
		img := decodePNG(t, path)
		rgba, ok := img.(*image.RGBA)
		if !ok {
			t.Fatalf("%s decodes as %T", name, img)
		}
		return rgba
	}
	off, on := shot("off.png"), shot("on.png", "--vi-filters")
	if off.Rect != on.Rect || off.Rect.Dx() != 320 || off.Rect.Dy() != 240 {
		t.Fatalf("sizes %v and %v, want 320x240", off.Rect, on.Rect)
	}
	lowBits := 0
	for i := 0; i < len(off.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			a, b := off.Pix[i+c], on.Pix[i+c]
			if b&7 != 0 || a&^7 != b || a&7 != a>>5 {
				t.Fatalf("byte %d: plain %#x, filtered %#x; want c<<3|c>>2 and c<<3", i+c, a, b)
			}
			lowBits += int(a & 7)
		}
	}
	if lowBits == 0 {
		t.Error("the picture is black or has no channel with low bits: nothing was compared")
	}
}
