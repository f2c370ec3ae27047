package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// saveROM is our save test program (roms/testdata/saves.s).
const saveROM = "../../roms/testdata/saves.z64"

// results parses the ROM's ISViewer lines, "NAME: VALUE", in order.
func results(t *testing.T, out string) (order []string, val map[string]string) {
	t.Helper()
	val = map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		name, v, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		if _, dup := val[name]; dup {
			t.Errorf("line %q twice", name)
		}
		order = append(order, name)
		val[name] = v
	}
	return order, val
}

// record is the 16-byte record saves.s documents for boot n: "N64G", n,
// f(n) = n*0x9E3779B1 ^ 0x5A5AA5A5, ^f(n), big-endian.
func record(n uint32) []byte {
	f := n*0x9E3779B1 ^ 0x5A5AA5A5
	b := []byte("N64G")
	b = binary.BigEndian.AppendUint32(b, n)
	b = binary.BigEndian.AppendUint32(b, f)
	return binary.BigEndian.AppendUint32(b, ^f)
}

// swapWords undoes the 32-bit byte reversal of .sra and .fla files.
func swapWords(b []byte) []byte {
	out := make([]byte, len(b))
	for i := 0; i+3 < len(b); i += 4 {
		out[i], out[i+1], out[i+2], out[i+3] = b[i+3], b[i+2], b[i+1], b[i]
	}
	return out
}

// TestSaveROM runs saves.z64 on every cartridge save type with a
// Controller Pak in port 1, twice on the same save folder. Each run must
// find the device it was given, report every check of that device (the
// list below, from saves.s) as PASS and end with RESULT: PASS; the second
// boot must find the first one's records ("PERSIST: PASS", boot 2). The
// save files must hold the second boot's record where saves.s puts it, in
// mupen64plus' layouts, so the ROM really wrote the device.
func TestSaveROM(t *testing.T) {
	if testing.Short() {
		t.Skip("ten emulator runs")
	}
	bin := buildN64(t)
	pakChecks := []string{"MEMPAK WRITE", "MEMPAK READ", "MEMPAK ADDR CRC", "MEMPAK RECORD"}
	for _, tc := range []struct {
		saveType, cart, ext string
		checks              []string
		recordAt            int  // byte offset of the record in the save memory
		swapped             bool // .sra/.fla word order
	}{
		{"eeprom4k", "EEPROM 4K", ".eep", []string{"EEPROM INFO", "EEPROM WRITE", "EEPROM BUSY", "EEPROM READ", "CART RECORD"}, 4 * 8, false},
		{"eeprom16k", "EEPROM 16K", ".eep", []string{"EEPROM INFO", "EEPROM WRITE", "EEPROM BUSY", "EEPROM READ", "CART RECORD"}, 4 * 8, false},
		{"sram256k", "SRAM", ".sra", []string{"SRAM DMA 32K", "SRAM CPU READ", "CART RECORD"}, 0x100, true},
		{"flash1m", "FLASHRAM", ".fla", []string{"FLASH ERASE", "FLASH BUSY", "FLASH PROGRAM", "FLASH READ", "CART RECORD"}, 1 * 128, true},
	} {
		t.Run(tc.saveType, func(t *testing.T) {
			dir := t.TempDir()
			for boot := 1; boot <= 2; boot++ {
				out, stderr, code := runN64(t, bin, "run", "--headless", "--frames", "60",
					"--save-type", tc.saveType, "--pak", "controller", "--save-dir", dir, saveROM)
				if code != 0 {
					t.Fatalf("boot %d: exit %d: %s", boot, code, stderr)
				}
				_, val := results(t, out)
				want := map[string]string{"CART": tc.cart, "MEMPAK": "PRESENT", "RESULT": "PASS"}
				for _, c := range append(append([]string{}, tc.checks...), pakChecks...) {
					want[c] = "PASS"
				}
				if boot == 1 {
					want["BOOT"], want["CART PERSIST"], want["MEMPAK PERSIST"] = "0001", "NEW", "NEW"
				} else {
					want["BOOT"], want["CART PERSIST"], want["MEMPAK PERSIST"] = "0002", "PASS", "PASS"
				}
				for name, w := range want {
					if got, ok := val[name]; !ok || got != w {
						t.Errorf("boot %d: %s: %q, want %q", boot, name, got, w)
					}
				}
				for name, v := range val {
					if v == "FAIL" {
						t.Errorf("boot %d: %s: FAIL", boot, name)
					}
				}
				if t.Failed() {
					t.Fatalf("boot %d output:\n%s", boot, out)
				}
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*"+tc.ext))
			if len(files) != 1 {
				t.Fatalf("%s files: %v", tc.ext, files)
			}
			data, err := os.ReadFile(files[0])
			if err != nil {
				t.Fatal(err)
			}
			if tc.swapped {
				data = swapWords(data)
			}
			if got := data[tc.recordAt : tc.recordAt+16]; !bytes.Equal(got, record(2)) {
				t.Errorf("save file record = % X, want boot 2's % X", got, record(2))
			}
			mpk, err := filepath.Glob(filepath.Join(dir, "*.mpk"))
			if err != nil || len(mpk) != 1 {
				t.Fatalf("mpk files: %v %v", mpk, err)
			}
			if data, err := os.ReadFile(mpk[0]); err != nil || !bytes.Equal(data[0x600:0x610], record(2)) {
				t.Errorf("mempak record = % X (%v), want % X", data[0x600:0x610], err, record(2))
			}
		})
	}

	// Nothing to find: the ROM says so and checks nothing.
	out, stderr, code := runN64(t, bin, "run", "--headless", "--frames", "20", "--save-type", "none", "--no-saves", saveROM)
	if code != 0 {
		t.Fatalf("none: exit %d: %s", code, stderr)
	}
	if _, val := results(t, out); val["CART"] != "NONE" || val["MEMPAK"] != "NONE" || val["RESULT"] != "NO CHECKS" {
		t.Errorf("no save memory, no pak:\n%s", out)
	}
}

// TestSaveROMScreen compares the screen of a second boot on FlashRAM with
// a Controller Pak with roms/testdata/saves.png, a capture checked by eye
// to read PASS on every line (TestSaveROM asserts the same results from
// the ISViewer text).
func TestSaveROMScreen(t *testing.T) {
	bin := buildN64(t)
	dir := t.TempDir()
	shot := filepath.Join(dir, "saves.png")
	for boot := 1; boot <= 2; boot++ {
		_, stderr, code := runN64(t, bin, "run", "--headless", "--frames", "60", "--save-type", "flash1m",
			"--pak", "controller", "--save-dir", dir, "--screenshot", shot, saveROM)
		if code != 0 {
			t.Fatalf("boot %d: exit %d: %s", boot, code, stderr)
		}
	}
	comparePNG(t, shot, "../../roms/testdata/saves.png")
}

// comparePNG requires the images in two PNG files to have the same size
// and pixels.
func comparePNG(t *testing.T, got, want string) {
	t.Helper()
	load := func(path string) image.Image {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return img
	}
	a, b := load(got), load(want)
	if a.Bounds() != b.Bounds() {
		t.Fatalf("screen is %v, golden %s is %v", a.Bounds(), want, b.Bounds())
	}
	diff := 0
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 {
				diff++
			}
		}
	}
	if diff != 0 {
		t.Errorf("%d pixels differ from %s", diff, want)
	}
}
