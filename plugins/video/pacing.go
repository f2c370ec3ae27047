package video

import (
	"fmt"
	"io"
	"time"

	"github.com/n64go/n64/plugins/audio"
)

// pacing (nil: off) measures how evenly the player shows the console's fields on the
// host (Options.Stats): every second it reports the fields run, the
// pictures drawn, the pictures dropped (uploaded, then replaced before a
// Draw showed them), the longest wall-clock gap between two ticks and the
// audio ring's underruns; at exit the same over the whole run.
type pacing struct {
	w       io.Writer
	ring    *audio.Ring // nil when muted
	start   time.Time
	lastTck time.Time
	pending bool // the uploaded picture has not been drawn yet

	win, all pacingWindow
}

type pacingWindow struct {
	start          time.Time
	ticks, fields  int
	drawn, dropped int
	maxGap         time.Duration
}

func newPacing(w io.Writer, ring *audio.Ring, now time.Time) *pacing {
	p := &pacing{w: w, ring: ring, start: now}
	p.win.start, p.all.start = now, now
	return p
}

// field records one emulated field run.
func (p *pacing) field() {
	if p != nil {
		p.win.fields++
		p.all.fields++
	}
}

// tick records the start of an Update at host time now.
func (p *pacing) tick(now time.Time) {
	if p == nil {
		return
	}
	for _, w := range []*pacingWindow{&p.win, &p.all} {
		w.ticks++
		if !p.lastTck.IsZero() {
			w.maxGap = max(w.maxGap, now.Sub(p.lastTck))
		}
	}
	p.lastTck = now
	if now.Sub(p.win.start) >= time.Second {
		p.report("second", now, &p.win)
		p.win = pacingWindow{start: now}
	}
}

// uploaded records a new picture handed to the window.
func (p *pacing) uploaded() {
	if p == nil {
		return
	}
	if p.pending {
		p.win.dropped++
		p.all.dropped++
	}
	p.pending = true
}

// drew records a Draw.
func (p *pacing) drew() {
	if p != nil && p.pending {
		p.win.drawn++
		p.all.drawn++
		p.pending = false
	}
}

// done reports the whole run.
func (p *pacing) done(now time.Time) {
	if p != nil {
		p.report("total", now, &p.all)
	}
}

func (p *pacing) report(what string, now time.Time, w *pacingWindow) {
	var under, dropped uint64
	if p.ring != nil {
		under, dropped = p.ring.Counters()
	}
	secs := now.Sub(w.start).Seconds()
	if secs <= 0 {
		return
	}
	fmt.Fprintf(p.w, "pacing %s t=%.1fs: %.2f fields/s, %.2f pictures drawn/s, %d dropped, longest tick gap %.1f ms, audio underruns %d (total), samples dropped %d (total)\n",
		what, now.Sub(p.start).Seconds(), float64(w.fields)/secs, float64(w.drawn)/secs, w.dropped,
		float64(w.maxGap.Microseconds())/1000, under, dropped)
}
