package harness

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/internal/romtest"
)

// systemtestFrames bounds a run of n64-systemtest; on hardware it finishes
// in a few seconds.
const systemtestFrames = 3000

// RunSystemtest runs n64-systemtest until it prints its summary line (or
// the frame budget runs out) and returns everything it wrote to the
// ISViewer, plus the emulator error that stopped it, if any.
func RunSystemtest(path string, frames int) (string, error) {
	rom, err := cart.Load(path)
	if err != nil {
		return "", err
	}
	m, err := core.New(rom, core.DefaultOptions())
	if err != nil {
		return "", err
	}
	var out strings.Builder
	m.SetISViewerOutput(func(b []byte) { out.Write(b) })
	for f := 0; f < frames; f++ {
		if err := m.RunFrame(); err != nil {
			return out.String(), fmt.Errorf("frame %d: %w", f, err)
		}
		if _, err := romtest.ParseSystemtest(out.String()); err == nil {
			break
		}
	}
	return out.String(), nil
}

// TestSystemtest runs lemmy-64's n64-systemtest and reports its summary.
// It fails when the ROM stops on an emulator error or never reports; the
// failures it lists are printed (they are the CPU issue's work list).
func TestSystemtest(t *testing.T) {
	shared := SharedDir()
	if shared == "" {
		t.Skip("../shared/roms is absent: n64-systemtest not run")
	}
	out, runErr := RunSystemtest(filepath.Join(shared, "systemtest", "n64-systemtest.z64.gz"), systemtestFrames)
	sum, err := romtest.ParseSystemtest(out)
	if err != nil {
		tail := out
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		t.Fatalf("no summary line (run error: %v); last output:\n%s", runErr, tail)
	}
	fmt.Printf("systemtest: %s\n", sum.Line)
	for _, f := range sum.Failures {
		fmt.Printf("systemtest failure: %s\n", f)
	}
}
