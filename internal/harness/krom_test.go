package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/n64go/n64/internal/romtest"
)

// TestKrom runs krom's ROMs of the kinds in $N64_KROM_KINDS (comma-separated,
// "all" for every kind; default "cpu") and prints `kind passed/total`.
// $N64_KROM_DIFFDIR, when set, receives the failing frames and diff images.
func TestKrom(t *testing.T) {
	shared := SharedDir()
	if shared == "" {
		t.Skip("../shared/roms is absent: krom ROMs not run")
	}
	kromDir := filepath.Join(shared, "krom")
	entries, err := romtest.ReadManifest(filepath.Join(kromDir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := os.Getenv("N64_KROM_KINDS")
	if kinds == "" {
		kinds = "cpu"
	}
	if kinds != "all" {
		entries = romtest.Filter(entries, strings.Split(kinds, ",")...)
	}
	if len(entries) == 0 {
		t.Fatalf("no krom ROMs of kinds %q", kinds)
	}
	if testing.Short() && len(entries) > 8 {
		entries = entries[:8]
	}
	diffDir := os.Getenv("N64_KROM_DIFFDIR")

	var tally romtest.Tally
	for _, r := range RunAll(kromDir, entries) {
		tally.Add(r.Entry.Kind, r.Pass)
		if r.Pass {
			continue
		}
		switch {
		case r.Err != nil:
			t.Errorf("FAIL %s (%s): frame %d: %v", r.Entry.ROM, r.Entry.Kind, r.Frame, r.Err)
		default:
			t.Errorf("FAIL %s (%s): best mismatch %d pixels (allowed %d) at frame %d, shift %d,%d",
				r.Entry.ROM, r.Entry.Kind, r.Best.Mismatch, r.Best.Allowed, r.Frame, r.Best.DX, r.Best.DY)
		}
		if diffDir != "" && r.Image != nil {
			want, err := romtest.LoadPNG(filepath.Join(kromDir, r.Entry.Expected[r.RefIdx]))
			if err == nil {
				name := strings.NewReplacer("/", "_", ".N64.gz", "").Replace(r.Entry.ROM)
				err = romtest.WriteFailure(diffDir, name, r.Image, want, r.Best)
			}
			if err != nil {
				t.Errorf("writing diff for %s: %v", r.Entry.ROM, err)
			}
		}
	}
	fmt.Print(tally.String())
}
