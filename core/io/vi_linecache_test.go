package io

import (
	"testing"

	"github.com/n64go/n64/core/state"
)

// The cached V_CURRENT must equal the line computed afresh at every cycle a
// game could poll: both sides of each line boundary, across field ends,
// after timing-register writes that re-plan the raster, and after a
// savestate load.
func TestVICurrentLineCache(t *testing.T) {
	r, v := newVIRig(NTSC)
	check := func(when string) {
		t.Helper()
		want, _, _ := v.scanLine(r.s.Now)
		if got := v.currentLine(); got != want {
			t.Fatalf("%s, cycle %d: cached line %d, computed %d", when, r.s.Now, got, want)
		}
	}
	poll := func(when string, lines int) {
		t.Helper()
		for range lines {
			cur := v.currentLine()
			next := v.lineStart(cur + 1)
			for _, c := range []uint64{next - 1, next, next + 1} {
				if c < r.s.Now {
					continue
				}
				r.runTo(c)
				check(when)
			}
		}
	}
	poll("progressive", 600) // more than two 263-line fields
	v.write(VIHSync, 0xC00)  // shorter lines
	check("after H_SYNC write")
	poll("short lines", 300)
	v.write(VICtrl, viCtrlSerrate)
	v.write(VIVSync, 0x20C) // interlaced fields
	check("after V_SYNC write")
	poll("interlaced", 600)

	// A savestate from another timeline at this same cycle, made by a rig
	// with shorter lines: the line cached by the polls above must not
	// survive loading it.
	r2, v2 := newVIRig(NTSC)
	v2.write(VIHSync, 0x900)
	r2.runTo(r.s.Now)
	if v2.currentLine() == v.currentLine() {
		t.Fatalf("cycle %d: both timelines are on line %d; the load would prove nothing", r.s.Now, v.currentLine())
	}
	w := state.NewWriter()
	r2.s.Serialize(w)
	v2.Serialize(w)
	rd := state.NewReader(w.Bytes())
	r.s.Serialize(rd)
	v.Serialize(rd)
	if err := rd.Done(); err != nil {
		t.Fatal(err)
	}
	check("after savestate load")
}
