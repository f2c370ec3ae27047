// Package romtest holds the emulator-independent half of the test-ROM
// harness: reading the krom manifest (../shared/roms/krom/MANIFEST.tsv),
// comparing a VI frame against a reference screenshot under the project's
// single comparison rule (see ../shared/roms/README.md, "The comparison
// rule"), writing failing frames and diff images, tallying results per kind
// and parsing the n64-systemtest ISViewer output.
//
// The package does not depend on the emulator: the harness feeds it
// images and text.
package romtest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path"
	"strconv"
	"strings"
)

// Entry is one row of the krom manifest. ROM and Expected are paths
// relative to the directory holding the manifest (the krom directory), as
// written in the manifest (forward slashes).
type Entry struct {
	Kind string
	ROM  string
	// Expected lists the reference screenshots; any one of them may match.
	// It is empty for run-only ROMs, which pass when they run to
	// MaxFrames without an emulator error.
	Expected  []string
	MaxFrames int
}

// Name is a short, file-name-safe name for the entry: the ROM path without
// its compression and ROM extensions, with '/' replaced by '_'. It is
// meant for WriteFailure and for log lines.
func (e Entry) Name() string {
	n := e.ROM
	for _, ext := range []string{".gz", ".zip"} {
		n = strings.TrimSuffix(n, ext)
	}
	if ext := path.Ext(n); ext != "" {
		switch strings.ToLower(ext) {
		case ".n64", ".z64", ".v64":
			n = strings.TrimSuffix(n, ext)
		}
	}
	return strings.NewReplacer("/", "_", "\\", "_", " ", "_").Replace(n)
}

var manifestHeader = []string{"kind", "rom", "expected_png", "max_frames"}

// ReadManifest reads a manifest such as krom/MANIFEST.tsv: a header row
// (kind, rom, expected_png, max_frames), then one tab-separated row per
// ROM. expected_png holds zero or more paths separated by ';'. Blank
// lines are ignored. Errors name the file and line.
func ReadManifest(path string) ([]Entry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseManifest(path, data)
}

func parseManifest(name string, data []byte) ([]Entry, error) {
	var entries []Entry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	lineNo := 0
	header := false
	for sc.Scan() {
		lineNo++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		fields := strings.Split(line, "\t")
		if !header {
			header = true
			if len(fields) != len(manifestHeader) || !strings.EqualFold(strings.TrimSpace(fields[0]), manifestHeader[0]) {
				return nil, fmt.Errorf("%s:%d: expected header row %q, got %q",
					name, lineNo, strings.Join(manifestHeader, "\t"), line)
			}
			continue
		}
		if len(fields) != 4 {
			return nil, fmt.Errorf("%s:%d: want 4 tab-separated fields (kind, rom, expected_png, max_frames), got %d: %q",
				name, lineNo, len(fields), line)
		}
		e := Entry{Kind: strings.TrimSpace(fields[0]), ROM: strings.TrimSpace(fields[1])}
		if e.Kind == "" {
			return nil, fmt.Errorf("%s:%d: empty kind", name, lineNo)
		}
		if e.ROM == "" {
			return nil, fmt.Errorf("%s:%d: empty rom path", name, lineNo)
		}
		if exp := strings.TrimSpace(fields[2]); exp != "" {
			for _, p := range strings.Split(exp, ";") {
				p = strings.TrimSpace(p)
				if p == "" {
					return nil, fmt.Errorf("%s:%d: empty path in expected_png %q", name, lineNo, fields[2])
				}
				e.Expected = append(e.Expected, p)
			}
		}
		mf := strings.TrimSpace(fields[3])
		n, err := strconv.Atoi(mf)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%s:%d: max_frames %q is not a positive integer", name, lineNo, mf)
		}
		e.MaxFrames = n
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", name, lineNo+1, err)
	}
	if !header {
		return nil, fmt.Errorf("%s: empty manifest (no header row)", name)
	}
	return entries, nil
}

// Kinds returns the distinct kinds of entries in the order they first
// appear.
func Kinds(entries []Entry) []string {
	var kinds []string
	seen := map[string]bool{}
	for _, e := range entries {
		if !seen[e.Kind] {
			seen[e.Kind] = true
			kinds = append(kinds, e.Kind)
		}
	}
	return kinds
}

// Filter returns the entries whose kind is one of kinds, in manifest
// order. With no kinds it returns all entries.
func Filter(entries []Entry, kinds ...string) []Entry {
	if len(kinds) == 0 {
		return append([]Entry(nil), entries...)
	}
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	var out []Entry
	for _, e := range entries {
		if want[e.Kind] {
			out = append(out, e)
		}
	}
	return out
}

// Tally counts passes per kind. The zero value is ready to use; kinds are
// printed in the order they were first seen (by NewTally or Add). It is not
// safe for concurrent use.
type Tally struct {
	order  []string
	counts map[string]*[2]int // passed, total
}

// NewTally returns a Tally whose kind order is the manifest order of
// entries; every kind of entries is listed, even before any result for it
// is added.
func NewTally(entries []Entry) *Tally {
	t := &Tally{}
	for _, k := range Kinds(entries) {
		t.slot(k)
	}
	return t
}

func (t *Tally) slot(kind string) *[2]int {
	if t.counts == nil {
		t.counts = map[string]*[2]int{}
	}
	c, ok := t.counts[kind]
	if !ok {
		c = new([2]int)
		t.counts[kind] = c
		t.order = append(t.order, kind)
	}
	return c
}

// Add records one result for kind.
func (t *Tally) Add(kind string, passed bool) {
	c := t.slot(kind)
	c[1]++
	if passed {
		c[0]++
	}
}

// Kind returns the passed and total counts of one kind.
func (t *Tally) Kind(kind string) (passed, total int) {
	if c, ok := t.counts[kind]; ok {
		return c[0], c[1]
	}
	return 0, 0
}

// Totals returns the passed and total counts over all kinds.
func (t *Tally) Totals() (passed, total int) {
	for _, c := range t.counts {
		passed += c[0]
		total += c[1]
	}
	return passed, total
}

// Kinds returns the kinds in print order.
func (t *Tally) Kinds() []string { return append([]string(nil), t.order...) }

// String prints one line per kind, "kind passed/total", in kind order,
// each line ending in a newline.
func (t *Tally) String() string {
	var b strings.Builder
	for _, k := range t.order {
		c := t.counts[k]
		fmt.Fprintf(&b, "%s %d/%d\n", k, c[0], c[1])
	}
	return b.String()
}
