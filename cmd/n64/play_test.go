package main

import (
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/n64go/n64/roms/demo"
)

// play --help lists the options the player issue asks for.
func TestPlayHelp(t *testing.T) {
	bin := buildN64(t)
	out, stderr, code := runN64(t, bin, "play", "--help")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"usage: n64 play [flags] [ROM]", "built-in demo", "-state-dir", "-save-dir", "-save-type", "-pak", "-screenshot-dir",
		"-4mb", "-pal", "-fullscreen", "-scale", "-integer", "-mute", "-volume", "-config"} {
		if !strings.Contains(out, want) {
			t.Errorf("play --help lacks %q:\n%s", want, out)
		}
	}
}

// Bad input to play gets one clear line and exit status 1, before any
// window opens.
func TestPlayBadInput(t *testing.T) {
	bin := buildN64(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte(strings.Repeat("hello world ", 1000)), 0o644)
	badConf := filepath.Join(dir, "input.conf")
	os.WriteFile(badConf, []byte("p1.a = ShiftLeft\np1.jump = Space\n"), 0o644)
	noConf := filepath.Join(dir, "none.conf")
	tests := []struct {
		name string
		args []string
		env  string
		want string
	}{
		{"missing ROM", []string{"play", "--config", noConf, filepath.Join(dir, "nope.z64")}, "", "cannot read"},
		{"not a ROM", []string{"play", "--config", noConf, file}, "", "not an N64 ROM"},
		{"two ROMs", []string{"play", file, file}, "", "at most one ROM"},
		{"bad scale", []string{"play", "--scale", "0"}, "", "--scale"},
		{"bad volume", []string{"play", "--volume", "101"}, "", "--volume"},
		{"bad flag", []string{"play", "--frobnicate"}, "", "flag provided but not defined"},
		{"state dir is a file", []string{"play", "--state-dir", file}, "", "is not a folder"},
		{"bad config", []string{"play", "--config", badConf}, "", `input.conf:2: unknown control "jump"`},
		{"no display", []string{"play", "--config", noConf}, "DISPLAY=", "no display"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			cmd.Env = append(os.Environ(), "WAYLAND_DISPLAY=")
			if tt.env != "" {
				cmd.Env = append(cmd.Env, tt.env)
			}
			out, err := cmd.CombinedOutput()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != exitBadInput {
				t.Errorf("exit %v, want status %d", err, exitBadInput)
			}
			if s := strings.TrimSpace(string(out)); strings.Count(s, "\n") != 0 || !strings.Contains(s, tt.want) {
				t.Errorf("output %q: want one line mentioning %q", s, tt.want)
			}
		})
	}
}

// TestPlayWindow is the end-to-end test of the player: it starts
// `n64 play` (the built-in demo) on the X server in DISPLAY, holds the
// D-pad-right key, takes a screenshot with the F12 hotkey and one of the
// window with ImageMagick's import, saves a state with F5, and quits with
// Escape. It needs an X server (Xvfb), xdotool and import; without them it
// is skipped.
func TestPlayWindow(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("DISPLAY is not set: the window test needs an X server (e.g. Xvfb :99 & DISPLAY=:99)")
	}
	for _, tool := range []string{"xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install xdotool imagemagick)", tool)
		}
	}
	bin := buildN64(t)
	dir := t.TempDir()
	states, shots := filepath.Join(dir, "states"), filepath.Join(dir, "shots")
	cmd := exec.Command(bin, "play", "--mute", "--state-dir", states, "--screenshot-dir", shots,
		"--config", filepath.Join(dir, "none.conf"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-exited
		}
	}()
	x := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, args[0], args[1:]...).Output()
		if err != nil {
			t.Fatalf("%v: %v (player stderr: %s)", args, err, stderr.String())
		}
		return strings.TrimSpace(string(out))
	}
	win := strings.Fields(x("xdotool", "search", "--sync", "--name", "^n64 — demo.z64$"))[0]
	time.Sleep(time.Second)
	x("xdotool", "keydown", "--window", win, "d")
	time.Sleep(time.Second)
	x("xdotool", "keyup", "--window", win, "d")
	time.Sleep(300 * time.Millisecond)
	x("xdotool", "key", "--window", win, "F12")
	x("xdotool", "key", "--window", win, "F5")
	time.Sleep(time.Second)
	winShot := filepath.Join(dir, "window.png")
	x("import", "-window", win, winShot)

	// The F12 screenshot: the demo's native picture, with the square moved
	// right of where it starts.
	pngs, _ := filepath.Glob(filepath.Join(shots, "demo-*.png"))
	if len(pngs) != 1 {
		t.Fatalf("screenshots %v, want one", pngs)
	}
	img := decodePNG(t, pngs[0])
	if b := img.Bounds(); b.Dx() != demo.Width || b.Dy() != demo.Height {
		t.Fatalf("screenshot is %v, want %dx%d", b, demo.Width, demo.Height)
	}
	box := yellow(img)
	if box.Dx() != demo.Size || box.Min.X <= demo.StartX || box.Min.Y != demo.StartY {
		t.Errorf("square at %v after holding D-right: want it right of x=%d on row %d", box, demo.StartX, demo.StartY)
	}
	// The window: 640x480 (scale 2) with the picture filling it.
	wimg := decodePNG(t, winShot)
	if b := wimg.Bounds(); b.Dx() != 640 || b.Dy() != 480 {
		t.Errorf("window is %v, want 640x480", b)
	}
	if wb := yellow(wimg); wb.Dx() != 2*demo.Size {
		t.Errorf("square in the window at %v, want it %d pixels wide", wb, 2*demo.Size)
	}
	if sts, _ := filepath.Glob(filepath.Join(states, "demo-*.st0")); len(sts) != 1 {
		t.Errorf("state files %v, want one slot-0 file", sts)
	}
	// The window may close between the key's press and release, which
	// makes xdotool fail: its exit status does not matter here.
	exec.Command("xdotool", "key", "--window", win, "Escape").Run()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("player exited with %v: %s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Error("player still running 10 s after Escape")
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
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

// yellow is the bounding box of the demo square's pure yellow pixels.
func yellow(img image.Image) image.Rectangle {
	var box image.Rectangle
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 == 255 && g>>8 == 255 && bl>>8 == 0 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}
