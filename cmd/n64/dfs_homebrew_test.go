package main

import (
	"os"
	"testing"
)

// TestDFSDemoBrowses runs libdragon's dfsdemo (examples/dfsdemo.c), which
// lists the root of its ROM filesystem, read by PI DMA, then changes into
// the directory under the cursor on A and goes back up on B, re-reading
// the directory each time. An assertion (the PI DMA one the issue names)
// would leave libdragon's assertion screen, unchanged by input. So A must
// change the screen and B must bring back the first listing exactly.
func TestDFSDemoBrowses(t *testing.T) {
	rom := sharedROMs + "homebrew/libdragon/dfsdemo.z64.gz"
	if _, err := os.Stat(rom); err != nil {
		t.Skip("shared ROMs absent:", err)
	}
	shots, _ := run{rom: rom, script: pressScript(t, "A", "B")}.capture(t, afterPresses(0), afterPresses(1), afterPresses(2))
	root, sub, back := shots[afterPresses(0)], shots[afterPresses(1)], shots[afterPresses(2)]
	if firstLitRow(root) == root.Rect.Max.Y {
		t.Fatal("blank screen: no directory listing")
	}
	if sameScreen(root, sub) {
		t.Error("A on the first directory did not change the listing")
	}
	if !sameScreen(root, back) {
		t.Error("B did not bring back the root listing")
	}
}
