package video

import (
	"strings"
	"testing"
	"time"
)

// TestPacingCounts feeds one second of ticks at 60 Hz in which one tick
// runs late (40 ms) and one picture is replaced before it was drawn.
func TestPacingCounts(t *testing.T) {
	var out strings.Builder
	t0 := time.Unix(1000, 0)
	p := newPacing(&out, nil, t0)
	now := t0
	for i := range 61 {
		gap := time.Second / 60
		if i == 30 {
			gap = 40 * time.Millisecond
		}
		now = now.Add(gap)
		p.tick(now)
		p.field()
		p.uploaded()
		if i != 10 { // the picture of tick 10 is never drawn
			p.drew()
		}
	}
	p.done(now)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want a per-second and a total report, got:\n%s", out.String())
	}
	for _, want := range []string{"1 dropped", "longest tick gap 40.0 ms", "audio underruns 0"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("total report %q lacks %q", lines[1], want)
		}
	}
	// The window closes at the first tick at least 1 s after the start:
	// tick 58 at 57/60 s + 40 ms = 1006.7 ms, after 58 fields (ticks 0-57).
	if !strings.HasPrefix(lines[0], "pacing second t=1.0s: 57.62 fields/s, 56.62 pictures drawn/s, 1 dropped") {
		t.Errorf("per-second report %q: want 58 fields and 57 pictures in 1006.7 ms", lines[0])
	}
}
