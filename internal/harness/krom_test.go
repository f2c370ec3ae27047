package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/n64go/n64/internal/romtest"
)

// kromManifest returns krom's folder and its manifest's entries, skipping
// the test when ../shared/roms is absent.
func kromManifest(t *testing.T) (string, []romtest.Entry) {
	t.Helper()
	shared := SharedDir()
	if shared == "" {
		t.Skip("../shared/roms is absent: krom ROMs not run")
	}
	kromDir := filepath.Join(shared, "krom")
	entries, err := romtest.ReadManifest(filepath.Join(kromDir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	return kromDir, entries
}

// TestKrom runs krom's ROMs of the kinds in $N64_KROM_KINDS (comma-separated,
// "all" for every kind; default: the CPU kinds) and prints `kind
// passed/total`. It is a regression gate: it fails when a ROM fails that is
// not listed in known_failures.tsv, and when a listed ROM passes (so the
// list only ever shrinks). With $N64_KROM_REPORT=1 it only reports (the
// full sweep of `make test-long`, whose kinds are not all gated yet).
// $N64_KROM_DIFFDIR, when set, receives the failing frames and diff images;
// $N64_KROM_MATCH keeps only the ROMs whose manifest path contains it.
func TestKrom(t *testing.T) {
	kromDir, entries := kromManifest(t)
	kinds := os.Getenv("N64_KROM_KINDS")
	if kinds == "" {
		kinds = "cpu,cpu-cop0,cpu-cop1,cpu-system"
	}
	if kinds != "all" {
		entries = romtest.Filter(entries, strings.Split(kinds, ",")...)
	}
	if match := os.Getenv("N64_KROM_MATCH"); match != "" {
		entries = slices.DeleteFunc(entries, func(e romtest.Entry) bool { return !strings.Contains(e.ROM, match) })
	}
	if len(entries) == 0 {
		t.Fatalf("no krom ROMs of kinds %q", kinds)
	}
	if testing.Short() && len(entries) > 8 {
		entries = entries[:8]
	}
	diffDir := os.Getenv("N64_KROM_DIFFDIR")
	known, err := readKnownFailures("known_failures.tsv")
	if err != nil {
		t.Fatal(err)
	}

	reportOnly := os.Getenv("N64_KROM_REPORT") == "1"

	tally := romtest.NewTally(entries)
	for _, r := range RunAll(kromDir, entries) {
		tally.Add(r.Entry.Kind, r.Pass)
		reason, isKnown := known[r.Entry.ROM]
		if r.Pass {
			if isKnown && !reportOnly {
				t.Errorf("%s now passes: remove it from known_failures.tsv (%s)", r.Entry.ROM, reason)
			}
			continue
		}
		report := t.Errorf
		if isKnown || reportOnly {
			report = t.Logf
		}
		switch {
		case r.Err != nil:
			report("FAIL %s (%s): frame %d: %v", r.Entry.ROM, r.Entry.Kind, r.Frame, r.Err)
		default:
			report("FAIL %s (%s): best mismatch %d pixels (allowed %d) at frame %d, shift %d,%d",
				r.Entry.ROM, r.Entry.Kind, r.Best.Mismatch, r.Best.Allowed, r.Frame, r.Best.DX, r.Best.DY)
		}
		if diffDir != "" && r.Image != nil {
			want, err := romtest.LoadPNG(filepath.Join(kromDir, r.Entry.Expected[r.RefIdx]))
			if err == nil {
				err = romtest.WriteFailure(diffDir, r.Entry.Name(), r.Image, want, r.Best)
			}
			if err != nil {
				t.Errorf("writing diff for %s: %v", r.Entry.ROM, err)
			}
		}
	}
	fmt.Print(tally.String())
}

// readKnownFailures reads the ROMs (manifest paths) that are expected to
// fail today, each with the reason, tab-separated; # starts a comment.
func readKnownFailures(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	known := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rom, reason, ok := strings.Cut(line, "\t")
		if !ok || strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("%s:%d: want ROM<TAB>reason", path, i+1)
		}
		known[rom] = strings.TrimSpace(reason)
	}
	return known, nil
}
