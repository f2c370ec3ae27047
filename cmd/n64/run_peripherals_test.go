package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sharedROMs = "../../../shared/roms/"

func TestPeripheralFlagErrors(t *testing.T) {
	bin := buildN64(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "bad.txt")
	os.WriteFile(script, []byte("10 A\n20 JUMP\n"), 0o644)
	rom := "../../roms/testdata/alu.z64"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"save type", []string{"run", "--headless", "--save-type", "floppy", rom}, "--save-type"},
		{"pak", []string{"run", "--headless", "--pak", "cheese", rom}, "--pak"},
		{"script syntax", []string{"run", "--headless", "--input", script, rom}, "bad.txt:2: unknown button \"JUMP\""},
		{"script missing", []string{"run", "--headless", "--input", filepath.Join(dir, "nope.txt"), rom}, "input:"},
	} {
		_, stderr, code := runN64(t, bin, tc.args...)
		if code != exitBadInput || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 mentioning %q", tc.name, code, stderr, tc.want)
		}
	}
}

// A run with every peripheral flag: a WAV file with a RIFF header, a
// recording, and no save file when the game wrote nothing.
func TestRunPeripheralFlags(t *testing.T) {
	bin := buildN64(t)
	dir := t.TempDir()
	saves := filepath.Join(dir, "saves")
	wavPath := filepath.Join(dir, "o.wav")
	rec := filepath.Join(dir, "rec.txt")
	in := filepath.Join(dir, "in.txt")
	os.WriteFile(in, []byte("1 START\n"), 0o644)
	_, stderr, code := runN64(t, bin, "run", "--headless", "--frames", "3", "--save-type", "sram256k",
		"--save-dir", saves, "--pak", "controller", "--input", in, "--record", rec, "--wav", wavPath, "../../roms/testdata/alu.z64")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	w, err := os.ReadFile(wavPath)
	if err != nil || len(w) < 44 || string(w[:4]) != "RIFF" || string(w[8:12]) != "WAVE" {
		t.Errorf("wav file: %v, % X", err, w[:min(len(w), 12)])
	}
	if r, _ := os.ReadFile(rec); !strings.HasPrefix(string(r), "# n64 input script") {
		t.Errorf("recording = %q", r)
	}
	if ents, _ := os.ReadDir(saves); len(ents) != 0 {
		t.Errorf("save files written though the program saved nothing: %v", ents)
	}
}

// meeq's SaveTest reports on the ISViewer which save types it detects,
// for every type we emulate. Its README: a larger capacity implies the
// compatible smaller ones (EEPROM 16K also answers as 4K; 1 Mbit
// contiguous SRAM, EverDrive64's "SRAM 1M", also as 768 Kbit contiguous
// and 256 Kbit); its reference screenshot shows SRAM 256K and 768K banked
// YES for a 768 Kbit cartridge.
func TestSaveTestROM(t *testing.T) {
	rom := sharedROMs + "homebrew/meeq/savetest.z64.gz"
	if _, err := os.Stat(rom); err != nil {
		t.Skip("shared ROMs absent:", err)
	}
	bin := buildN64(t)
	for _, tc := range []struct {
		saveType string
		yes      []string
	}{
		{"sram768k", []string{"SRAM 256KBIT", "SRAM 768KBIT (Banked)"}},
		{"eeprom4k", []string{"EEPROM 4KBIT"}},
		{"eeprom16k", []string{"EEPROM 4KBIT", "EEPROM 16KBIT"}},
		{"sram256k", []string{"SRAM 256KBIT"}},
		{"sram1m", []string{"SRAM 256KBIT", "SRAM 768KBIT (Contiguous)", "SRAM 1MBIT   (Contiguous)"}},
		{"flash1m", []string{"FlashRAM 1MBIT"}},
		{"none", nil},
	} {
		out, stderr, code := runN64(t, bin, "run", "--headless", "--frames", "120", "--no-saves", "--save-type", tc.saveType, rom)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.saveType, code, stderr)
		}
		var got []string
		for _, line := range strings.Split(out, "\n") {
			if name, res, ok := strings.Cut(line, "|"); ok && strings.Contains(res, "YES") {
				got = append(got, strings.TrimSpace(name))
			}
		}
		if strings.Join(got, ";") != strings.Join(tc.yes, ";") {
			t.Errorf("%s: detected %q, want %q\n%s", tc.saveType, got, tc.yes, out)
		}
	}
}

// libdragon's eepromfstest writes its filesystem signature ("eep") to the
// EEPROM on first boot; the .eep file is 2048 bytes (mupen64plus' layout).
func TestEEPROMFSWritesSaveFile(t *testing.T) {
	rom := sharedROMs + "homebrew/libdragon/eepromfstest_4k.z64.gz"
	if _, err := os.Stat(rom); err != nil {
		t.Skip("shared ROMs absent:", err)
	}
	bin := buildN64(t)
	saves := t.TempDir()
	_, stderr, code := runN64(t, bin, "run", "--headless", "--frames", "120", "--save-dir", saves, rom)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(saves, "*.eep"))
	if len(files) != 1 {
		t.Fatalf("eep files: %v", files)
	}
	b, _ := os.ReadFile(files[0])
	if len(b) != 2048 || !bytes.HasPrefix(b, []byte("eep")) {
		t.Errorf("eep file: %d bytes, starts % X", len(b), b[:min(len(b), 8)])
	}
}
