package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestEEPROMFSSecondBoot runs libdragon's eepromfstest (examples/
// eepromfstest.c) twice on one save folder. Its flow, from the source:
// a blank EEPROM fails the filesystem signature and is wiped; then for
// each file it prints a read, writes and prints known values, and prints
// a second read, each screen waiting for A; after the last file it prints
// "EEPROM Filesystem test complete!", and the next A restarts the loop,
// which now finds the signature and asks "Press A to keep EEPROM data".
// Any failed read or write stops the loop instead.
//
// So the first boot must reach the keep-or-erase prompt after its last
// press, the screen the second boot shows first (the whole test passed and
// the signature was saved). On the second boot, after A keeps the data,
// the first read of each of the first three files (one of each struct
// type) must print what the first boot's write printed
// (both screens differ only in their first line, "Reading" against
// "Writing"), and not the empty values the first boot's first read
// printed.
func TestEEPROMFSSecondBoot(t *testing.T) {
	for _, tc := range []struct {
		rom   string
		files int // files the ROM validates in turn
	}{
		{"eepromfstest_4k", 3},  // high_scores.dat, settings.dat, player.sav
		{"eepromfstest_16k", 6}, // ... and saves/slot1-4.sav
	} {
		t.Run(tc.rom, func(t *testing.T) {
			t.Parallel()
			rom := sharedROMs + "homebrew/libdragon/" + tc.rom + ".z64.gz"
			if _, err := os.Stat(rom); err != nil {
				t.Skip("shared ROMs absent:", err)
			}
			dir := t.TempDir()
			// The wipe prompt, three screens per file, the "complete" screen.
			all := 1 + 3*tc.files + 1
			// After 1+3i presses file i's first read shows, after 2+3i its write.
			var firstBoot, secondBoot []int
			for i := 0; i < 3; i++ {
				firstBoot = append(firstBoot, afterPresses(1+3*i), afterPresses(2+3*i))
				secondBoot = append(secondBoot, afterPresses(1+3*i))
			}
			one, _ := run{rom: rom, dir: dir, script: pressA(t, all)}.capture(t, append(firstBoot, afterPresses(all))...)
			if files, _ := filepath.Glob(filepath.Join(dir, "*.eep")); len(files) != 1 {
				t.Fatalf("first boot left %v", files)
			}
			two, _ := run{rom: rom, dir: dir, script: pressA(t, 1+3*3)}.capture(t, append(secondBoot, afterPresses(0))...)

			if !sameScreen(one[afterPresses(all)], two[afterPresses(0)]) {
				t.Errorf("after %d presses the first boot does not show the keep-or-erase prompt the second boot starts with", all)
			}
			for i := 0; i < 3; i++ {
				read := two[afterPresses(1+3*i)]
				wrote := one[afterPresses(2+3*i)]
				blank := one[afterPresses(1+3*i)]
				y := firstLitRow(read) + 8 // below the "Reading '...'" line (8-pixel font)
				if !rowsFrom(read, wrote, y) {
					t.Errorf("file %d: the second boot's read does not show what the first boot wrote", i)
				}
				if rowsFrom(read, blank, y) {
					t.Errorf("file %d: the second boot's read equals the first boot's read of the blank file", i)
				}
			}
		})
	}
}
