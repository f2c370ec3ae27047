package inputscript

import (
	"bytes"
	"strings"
	"testing"

	"github.com/n64go/n64/core/pif"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, script, want string
	}{
		{"bad frame", "x A", "t.txt:1: frame \"x\""},
		{"negative frame", "-1 A", "t.txt:1: frame \"-1\""},
		{"unknown button", "\n# c\n10 A+Q", "t.txt:3: unknown button \"Q\""},
		{"bad port", "1 P5 A", "t.txt:1: port \"P5\""},
		{"no buttons", "1", "t.txt:1: no buttons"},
		{"no buttons after port", "1 P2", "t.txt:1: no buttons"},
		{"one axis", "1 A 5", "t.txt:1: want FRAME"},
		{"axis range", "1 A 0 128", "t.txt:1: stick value \"128\""},
		{"axis text", "1 A x 0", "t.txt:1: stick value \"x\""},
		{"backwards", "10 A\n5 B", "t.txt:2: frame 5 comes after frame 10"},
	}
	for _, tc := range tests {
		_, err := Parse(strings.NewReader(tc.script), "t.txt")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}

func TestReplay(t *testing.T) {
	s, err := Parse(strings.NewReader(`
# comment
0 -
2 START      # trailing comment
3 p2 a,cu -10 20
4 P1 A+B+Z+L+R+DU+DD+DL+DR+CD+CL+CR+RESET 127 -128
`), "t")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		frame int
		p0    pif.Input
		p1    pif.Input
	}{
		{0, pif.Input{}, pif.Input{}},
		{1, pif.Input{}, pif.Input{}},
		{2, pif.Input{Buttons: pif.ButtonStart}, pif.Input{}},
		{3, pif.Input{Buttons: pif.ButtonStart}, pif.Input{Buttons: pif.ButtonA | pif.CUp, X: -10, Y: 20}},
		{9, pif.Input{Buttons: 0xFFFF &^ pif.ButtonStart &^ pif.CUp &^ 0x0040, X: 127, Y: -128}, pif.Input{Buttons: pif.ButtonA | pif.CUp, X: -10, Y: 20}},
	}
	for _, w := range want {
		s.SetFrame(w.frame)
		if got := s.Input(0); got != w.p0 {
			t.Errorf("frame %d port 1: %+v, want %+v", w.frame, got, w.p0)
		}
		if got := s.Input(1); got != w.p1 {
			t.Errorf("frame %d port 2: %+v, want %+v", w.frame, got, w.p1)
		}
	}
}

// Recording a replay gives a script that replays the same readings.
func TestRecordRoundTrip(t *testing.T) {
	src, err := Parse(strings.NewReader("1 A\n3 P2 B 5 -5\n4 -\n"), "t")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	rec := NewRecorder(&buf, src)
	var got [][2]pif.Input
	for f := 0; f < 6; f++ {
		rec.SetFrame(f)
		got = append(got, [2]pif.Input{rec.Input(0), rec.Input(1)})
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	want := "# n64 input script: FRAME [PORT] BUTTONS [X Y]\n1 P1 A\n3 P2 B 5 -5\n4 P1 -\n"
	if buf.String() != want {
		t.Errorf("recorded:\n%s\nwant:\n%s", buf.String(), want)
	}
	again, err := Parse(&buf, "rec")
	if err != nil {
		t.Fatal(err)
	}
	for f := 0; f < 6; f++ {
		again.SetFrame(f)
		if g := [2]pif.Input{again.Input(0), again.Input(1)}; g != got[f] {
			t.Errorf("frame %d: replay of recording %+v, want %+v", f, g, got[f])
		}
	}
}
