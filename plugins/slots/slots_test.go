package slots

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func state(sha [32]byte, body string) []byte {
	return append(append([]byte("N64GOST\x01"), sha[:]...), body...)
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{
		"/roms/Super Mario 64 (U).z64": "Super_Mario_64__U_",
		"a/b/game.v64.gz":              "game",
		"x.N64":                        "x",
		"demo.z64":                     "demo",
		".zip":                         "rom",
	} {
		if got := Base(in); got != want {
			t.Errorf("Base(%q) = %q, want %q", in, got, want)
		}
	}
	sha := [32]byte{0xDE, 0xAD, 0xBE, 0xEF, 0x01}
	if got, want := StatePath("/s", "demo", sha, 3), filepath.Join("/s", "demo-deadbeef.st3"); got != want {
		t.Errorf("StatePath = %q, want %q", got, want)
	}
	dir := t.TempDir()
	at := time.Date(2026, 11, 21, 15, 4, 5, 0, time.UTC)
	p := ScreenshotPath(dir, "demo", at)
	if p != filepath.Join(dir, "demo-20261121-150405.png") {
		t.Fatalf("ScreenshotPath = %q", p)
	}
	os.WriteFile(p, nil, 0o644)
	if p2 := ScreenshotPath(dir, "demo", at); p2 != filepath.Join(dir, "demo-20261121-150405-2.png") {
		t.Fatalf("second ScreenshotPath = %q", p2)
	}
}

func TestSaveStateAtomicAndGuarded(t *testing.T) {
	dir := t.TempDir()
	a, b := [32]byte{1}, [32]byte{2}
	p := StatePath(dir, "game", a, 0)
	if err := SaveState(p, a, state(a, "one")); err != nil {
		t.Fatal(err)
	}
	if err := SaveState(p, a, state(a, "two")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); string(got) != string(state(a, "two")) {
		t.Fatalf("file holds %q", got)
	}
	// A state of ROM b must not replace ROM a's file.
	if err := SaveState(p, b, state(b, "x")); err == nil {
		t.Fatal("saved another ROM's state over this one")
	}
	// Nor may a's state replace a file of b, or a file that is no state.
	pb := filepath.Join(dir, "other.st0")
	os.WriteFile(pb, state(b, "b's"), 0o644)
	if err := SaveState(pb, a, state(a, "x")); !errors.Is(err, ErrOtherROM) {
		t.Fatalf("overwrote another ROM's state: %v", err)
	}
	junk := filepath.Join(dir, "junk.st0")
	os.WriteFile(junk, []byte("notes"), 0o644)
	if err := SaveState(junk, a, state(a, "x")); !errors.Is(err, ErrOtherROM) {
		t.Fatalf("overwrote a file that is not a state: %v", err)
	}
	if got, _ := os.ReadFile(pb); string(got) != string(state(b, "b's")) {
		t.Fatal("the other ROM's file changed")
	}
	// No temporary files are left behind.
	ents, _ := os.ReadDir(dir)
	if len(ents) != 3 {
		t.Fatalf("folder holds %d files, want 3: %v", len(ents), ents)
	}
}

func TestWriteAtomicFailureLeavesTarget(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("old"), 0o644)
	// A target that is a non-empty folder cannot be renamed over.
	if err := WriteAtomic(filepath.Join(dir, "missing", "f"), []byte("x")); err == nil {
		t.Fatal("wrote into a missing folder")
	}
	os.Mkdir(filepath.Join(dir, "d"), 0o755)
	os.WriteFile(filepath.Join(dir, "d", "x"), nil, 0o644)
	if err := WriteAtomic(filepath.Join(dir, "d"), []byte("x")); err == nil {
		t.Fatal("renamed over a folder")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Fatalf("leftovers: %v", ents)
	}
	if got, _ := os.ReadFile(p); string(got) != "old" {
		t.Fatal("target changed")
	}
}
