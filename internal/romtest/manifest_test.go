package romtest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// kromDir is the krom directory of the shared ROM set, relative to this
// package (internal/romtest -> /work/main -> /work/shared).
const kromDir = "../../../shared/roms/krom"

func realManifest(t *testing.T) []Entry {
	t.Helper()
	path := filepath.Join(kromDir, "MANIFEST.tsv")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("test ROMs not present (%v); see ../shared/roms/README.md", err)
	}
	entries, err := ReadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestReadManifestReal(t *testing.T) {
	entries := realManifest(t)
	if len(entries) != 360 {
		t.Errorf("got %d entries, want 360", len(entries))
	}
	// Counts as listed in ../shared/roms/README.md, in manifest order.
	want := []struct {
		kind string
		n    int
	}{
		{"cpu", 44}, {"cpu-cop0", 2}, {"cpu-cop1", 45}, {"cpu-system", 23},
		{"cpu-cop1-demo", 12}, {"rsp", 55}, {"rsp-xbus", 1}, {"rsp-demo", 13},
		{"rdp", 127}, {"rdp-test", 2}, {"input", 3}, {"interrupt", 3},
		{"video", 10}, {"system", 1}, {"sound", 18}, {"demo-niccc", 1},
	}
	got := map[string]int{}
	for _, e := range entries {
		got[e.Kind]++
		if e.MaxFrames <= 0 || e.ROM == "" {
			t.Errorf("bad entry %+v", e)
		}
	}
	for _, w := range want {
		if got[w.kind] != w.n {
			t.Errorf("kind %s: %d entries, want %d", w.kind, got[w.kind], w.n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d kinds, want %d: %v", len(got), len(want), Kinds(entries))
	}

	// The four *Input fractal demos are run-only; COP0Register has two
	// references, one of them with spaces in its name.
	var runOnlyInput int
	for _, e := range entries {
		if len(e.Expected) == 0 && strings.Contains(e.ROM, "Input") && e.Kind == "cpu-cop1-demo" {
			runOnlyInput++
		}
		if strings.HasSuffix(e.ROM, "COP0Register.N64.gz") {
			wantExp := []string{
				"CPUTest/CP0/COP0Register/COP0Register - after overflow.png",
				"CPUTest/CP0/COP0Register/COP0Register - before overflow.png",
			}
			if !reflect.DeepEqual(e.Expected, wantExp) {
				t.Errorf("COP0Register expected = %q", e.Expected)
			}
		}
	}
	if runOnlyInput != 4 {
		t.Errorf("%d run-only *Input fractal demos, want 4", runOnlyInput)
	}
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(kromDir, e.ROM)); err != nil {
			t.Errorf("ROM missing: %v", err)
		}
	}
}

// TestManifestReferences decodes every expected PNG and checks the rule's
// basic promises on it: it matches itself, and a blank frame fails it.
func TestManifestReferences(t *testing.T) {
	entries := realManifest(t)
	n := 0
	for _, e := range entries {
		for _, p := range e.Expected {
			n++
			img, err := LoadPNG(filepath.Join(kromDir, p))
			if err != nil {
				t.Errorf("%s (%s): %v", p, e.Kind, err)
				continue
			}
			b := img.Bounds()
			if b.Dx() < 16 || b.Dy() < 16 {
				t.Errorf("%s: implausible size %v", p, b)
				continue
			}
			ref := NewReference(img)
			if res := ref.CompareImage(img); !res.Pass || res.Mismatch != 0 {
				t.Errorf("%s: does not match itself: %v", p, res)
			}
			if res := ref.Compare(nil); res.Pass {
				t.Errorf("%s: a blank frame passes: %v", p, res)
			}
		}
	}
	if n != 335 {
		t.Errorf("%d expected PNGs, want 335", n)
	}
}

func TestParseManifest(t *testing.T) {
	const header = "kind\trom\texpected_png\tmax_frames\n"
	tests := []struct {
		name    string
		in      string
		want    []Entry
		wantErr string
	}{
		{name: "ok", in: header +
			"cpu\tA/a.N64.gz\tA/a.png\t120\r\n" +
			"\n" +
			"sound\tB/b.N64.gz\t\t600\n" +
			"cpu-cop0\tC/c.N64.gz\tC/c - 1.png;C/c - 2.png\t300",
			want: []Entry{
				{Kind: "cpu", ROM: "A/a.N64.gz", Expected: []string{"A/a.png"}, MaxFrames: 120},
				{Kind: "sound", ROM: "B/b.N64.gz", MaxFrames: 600},
				{Kind: "cpu-cop0", ROM: "C/c.N64.gz", Expected: []string{"C/c - 1.png", "C/c - 2.png"}, MaxFrames: 300},
			}},
		{name: "header only", in: header, want: nil},
		{name: "empty", in: "", wantErr: "empty manifest"},
		{name: "no header", in: "cpu\tA/a.N64.gz\tA/a.png\t120\n", wantErr: "m.tsv:1: expected header row"},
		{name: "three fields", in: header + "cpu\tA/a.N64.gz\tA/a.png\t120\ncpu\tA/b.N64.gz\t120\n", wantErr: "m.tsv:3: want 4 tab-separated fields"},
		{name: "five fields", in: header + "cpu\tA/a.N64.gz\tA/a.png\t120\tx\n", wantErr: "m.tsv:2: want 4"},
		{name: "bad frames", in: header + "cpu\tA/a.N64.gz\tA/a.png\tlots\n", wantErr: `m.tsv:2: max_frames "lots"`},
		{name: "zero frames", in: header + "cpu\tA/a.N64.gz\tA/a.png\t0\n", wantErr: "m.tsv:2: max_frames"},
		{name: "empty kind", in: header + "\n\tA/a.N64.gz\tA/a.png\t10\n", wantErr: "m.tsv:3: empty kind"},
		{name: "empty rom", in: header + "cpu\t\tA/a.png\t10\n", wantErr: "m.tsv:2: empty rom"},
		{name: "empty expected part", in: header + "cpu\tA/a.N64.gz\tA/a.png;\t10\n", wantErr: "m.tsv:2: empty path in expected_png"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseManifest("m.tsv", []byte(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
	if _, err := ReadManifest(filepath.Join(t.TempDir(), "nope.tsv")); err == nil {
		t.Error("ReadManifest of a missing file succeeded")
	}
}

func TestKindsFilterTally(t *testing.T) {
	entries := []Entry{
		{Kind: "cpu", ROM: "a"}, {Kind: "rsp", ROM: "b"}, {Kind: "cpu", ROM: "c"},
		{Kind: "rdp", ROM: "d"}, {Kind: "rsp", ROM: "e"},
	}
	if got, want := Kinds(entries), []string{"cpu", "rsp", "rdp"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Kinds = %v, want %v", got, want)
	}
	roms := func(es []Entry) string {
		var s []string
		for _, e := range es {
			s = append(s, e.ROM)
		}
		return strings.Join(s, ",")
	}
	for _, tc := range []struct {
		kinds []string
		want  string
	}{
		{nil, "a,b,c,d,e"},
		{[]string{"rsp"}, "b,e"},
		{[]string{"rdp", "cpu"}, "a,c,d"},
		{[]string{"none"}, ""},
	} {
		if got := roms(Filter(entries, tc.kinds...)); got != tc.want {
			t.Errorf("Filter(%v) = %s, want %s", tc.kinds, got, tc.want)
		}
	}

	tally := NewTally(entries)
	tally.Add("rsp", true)
	tally.Add("cpu", true)
	tally.Add("cpu", false)
	tally.Add("sound", false) // not in the manifest: appended
	if got, want := tally.String(), "cpu 1/2\nrsp 1/1\nrdp 0/0\nsound 0/1\n"; got != want {
		t.Errorf("Tally.String() = %q, want %q", got, want)
	}
	if p, n := tally.Totals(); p != 2 || n != 4 {
		t.Errorf("Totals = %d/%d, want 2/4", p, n)
	}
	if p, n := tally.Kind("cpu"); p != 1 || n != 2 {
		t.Errorf("Kind(cpu) = %d/%d", p, n)
	}
	var zero Tally
	zero.Add("x", true)
	if got := zero.String(); got != "x 1/1\n" {
		t.Errorf("zero Tally: %q", got)
	}
}

func TestEntryName(t *testing.T) {
	for in, want := range map[string]string{
		"CPUTest/CPU/ADD/CPUADD.N64.gz":            "CPUTest_CPU_ADD_CPUADD",
		"N64NICCC/N64NICCC.z64":                    "N64NICCC_N64NICCC",
		"x/COP0 Register.N64.zip":                  "x_COP0_Register",
		"RDP/32BPP/Rectangle/Fill/FillRect.N64.gz": "RDP_32BPP_Rectangle_Fill_FillRect",
	} {
		if got := (Entry{ROM: in}).Name(); got != want {
			t.Errorf("Name(%q) = %q, want %q", in, got, want)
		}
	}
}
