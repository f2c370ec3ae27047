package main

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildN64 compiles the command once per test binary run.
func buildN64(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "n64")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func runN64(t *testing.T, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

// The foundation issue: bad input gets one clear line and exit status 1.
func TestBadInput(t *testing.T) {
	bin := buildN64(t)
	dir := t.TempDir()
	notROM := filepath.Join(dir, "notes.z64")
	os.WriteFile(notROM, bytes.Repeat([]byte("hello world "), 1000), 0o644)
	short := filepath.Join(dir, "short.z64")
	os.WriteFile(short, append([]byte{0x80, 0x37, 0x12, 0x40}, make([]byte, 100)...), 0o644)

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"info", filepath.Join(dir, "nope.z64")}, "cannot read"},
		{"not a ROM", []string{"info", notROM}, "not an N64 ROM"},
		{"truncated", []string{"run", "--headless", short}, "truncated"},
		{"no ROM argument", []string{"info"}, "expected one ROM file"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"bad frame count", []string{"run", "--headless", "--frames", "0", notROM}, "--frames"},
		{"without --headless", []string{"run", notROM}, "--headless"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := runN64(t, bin, tt.args...)
			if code != exitBadInput {
				t.Errorf("exit status %d, want %d", code, exitBadInput)
			}
			if lines := strings.Count(strings.TrimSpace(stderr), "\n") + 1; lines != 1 || !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q: want one line mentioning %q", stderr, tt.want)
			}
		})
	}
}

// info prints the header fields of our own test ROM, whose header
// internal/asm.BuildROM writes: title "N64GO ALU", entry 0xB0001000.
func TestInfo(t *testing.T) {
	bin := buildN64(t)
	out, stderr, code := runN64(t, bin, "info", "../../roms/testdata/alu.z64")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{`"N64GO ALU"`, "entry point: 0xB0001000", "byte order:  z64", "CIC:         unknown (boots as 6102/7101)", "SHA-256:"} {
		if !strings.Contains(out, want) {
			t.Errorf("info output lacks %q:\n%s", want, out)
		}
	}
}

// run --headless writes a PNG of the last frame and dumps the registers.
func TestRunScreenshotAndDump(t *testing.T) {
	bin := buildN64(t)
	shot := filepath.Join(t.TempDir(), "out.png")
	out, stderr, code := runN64(t, bin, "run", "--headless", "--frames", "3", "--screenshot", shot, "--dump-cpu", "../../roms/testdata/alu.z64")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	// The program never sets up the VI, which then shows a blank 320x240 picture.
	if b := img.Bounds(); b.Dx() != 320 || b.Dy() != 240 {
		t.Errorf("screenshot is %v, want 320x240", b)
	}
	for _, want := range []string{"r0  zero 0000000000000000", "r31 ra", "HI ", "Status", "Cause"} {
		if !strings.Contains(out, want) {
			t.Errorf("--dump-cpu output lacks %q:\n%s", want, out)
		}
	}
}
