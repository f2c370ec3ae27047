package cart

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// romsDir holds the shared test ROMs (see shared/roms/README.md).
const romsDir = "../../../shared/roms"

// TestRealROMs loads every ROM of the shared collection. krom's tests and
// the hand-built homebrew use Nintendo's 6102 IPL3; the libdragon builds and
// n64-systemtest use libdragon's open IPL3, which matches no Nintendo
// checksum and so boots as 6102.
func TestRealROMs(t *testing.T) {
	if _, err := os.Stat(romsDir); err != nil {
		t.Skip("../../../shared/roms absent")
	}
	families := []struct {
		prefix  string
		wantCIC CIC
		atLeast int
	}{
		{"krom/", CIC6102, 360},
		{"homebrew/meeq/", CIC6102, 6},
		{"homebrew/misc/", CIC6102, 3},
		{"homebrew/libdragon/", CICUnknown, 20},
		{"systemtest/", CICUnknown, 1},
	}
	// Save types declared through libdragon's advanced homebrew header.
	saves := map[string]SaveType{
		"homebrew/libdragon/eepromfstest_4k.z64.gz":  SaveEEPROM4K,
		"homebrew/libdragon/eepromfstest_16k.z64.gz": SaveEEPROM16K,
		"homebrew/meeq/ControllerPakDump.z64.gz":     SaveSRAM256K,
	}
	var paths []string
	err := filepath.WalkDir(romsDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := strings.ToLower(d.Name())
		if !d.IsDir() && (strings.HasSuffix(name, ".n64.gz") || strings.HasSuffix(name, ".z64.gz")) {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]int, len(families))
	for _, path := range paths {
		rel, err := filepath.Rel(romsDir, path)
		if err != nil {
			t.Fatal(err)
		}
		rel = filepath.ToSlash(rel)
		fam := -1
		for i, f := range families {
			if strings.HasPrefix(rel, f.prefix) {
				fam = i
			}
		}
		if fam < 0 {
			t.Errorf("%s: in no known family; add it to the test", rel)
			continue
		}
		counts[fam]++
		want := families[fam].wantCIC
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			r, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if r.CIC != want {
				t.Errorf("CIC = %v, want %v", r.CIC, want)
			}
			if r.CIC.BootAs() != CIC6102 {
				t.Errorf("BootAs() = %v, want 6102", r.CIC.BootAs())
			}
			if r.Header.Title == "" {
				t.Errorf("empty Title")
			}
			if r.Order != BigEndian {
				t.Errorf("Order = %v, want z64", r.Order)
			}
			st, ok := saves[rel]
			if r.Header.HasSaveType != ok || r.Header.SaveType != st {
				t.Errorf("SaveType, HasSaveType = %v, %v, want %v, %v", r.Header.SaveType, r.Header.HasSaveType, st, ok)
			}
		})
	}
	for i, f := range families {
		if counts[i] < f.atLeast {
			t.Errorf("%s: %d ROMs found, want at least %d", f.prefix, counts[i], f.atLeast)
		}
	}
}
