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

	w := state.NewWriter()
	v.Serialize(w)
	saved := append([]byte(nil), w.Bytes()...)
	poll("before load", 300) // past a field end, so the loaded raster differs
	if err := func() error { rd := state.NewReader(saved); v.Serialize(rd); return rd.Done() }(); err != nil {
		t.Fatal(err)
	}
	check("after savestate load")
}
