// Package inputscript replays and records controller input as a text
// script, for headless runs, tests and golden traces (DESIGN.md §6: "Tests:
// a script (frame → buttons)").
//
// Format: one change per line, in frame order; '#' starts a comment and
// blank lines are ignored.
//
//	FRAME [PORT] BUTTONS [X Y]
//
//	FRAME    the VI frame (counted from 0, as n64 run counts them) from
//	         which the line's state holds, until the next line for the
//	         same port
//	PORT     optional: P1 (default) to P4, the controller port
//	BUTTONS  button names joined by '+' or ',' (case-insensitive), or '-'
//	         for none: A B Z START L R DU DD DL DR (D-pad up/down/left/
//	         right) CU CD CL CR (C buttons) RESET (the RST bit)
//	X Y      optional analog stick, -128..127 each (+X right, +Y up);
//	         0 0 when left out
//
// Example:
//
//	# press Start at frame 120 for 5 frames, then hold A with the stick up
//	120 START
//	125 -
//	200 P1 A 0 80
//	260 P2 B+CU
//
// Frames must not go backwards. The state a line sets is returned for
// every controller read during that frame and later frames.
package inputscript

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/n64go/n64/core/pif"
)

// buttonNames maps script names to button bits, in the order Format
// writes them.
var buttonNames = []struct {
	name string
	bit  pif.Buttons
}{
	{"A", pif.ButtonA}, {"B", pif.ButtonB}, {"Z", pif.ButtonZ}, {"START", pif.ButtonStart},
	{"DU", pif.DUp}, {"DD", pif.DDown}, {"DL", pif.DLeft}, {"DR", pif.DRight},
	{"RESET", pif.ButtonReset}, {"L", pif.ButtonL}, {"R", pif.ButtonR},
	{"CU", pif.CUp}, {"CD", pif.CDown}, {"CL", pif.CLeft}, {"CR", pif.CRight},
}

// Event is one script line: from Frame on, Port reads In.
type Event struct {
	Frame int
	Port  int // 0-3
	In    pif.Input
}

// Script is a parsed script; it implements pif.InputSource. Call SetFrame
// before running each frame.
type Script struct {
	events []Event
	next   int
	cur    [pif.NumPorts]pif.Input
}

// Parse reads a script; name prefixes error messages ("name:line: …").
func Parse(r io.Reader, name string) (*Script, error) {
	s := &Script{}
	sc := bufio.NewScanner(r)
	last := 0
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		f := strings.Fields(text)
		if len(f) == 0 {
			continue
		}
		ev, err := parseLine(f)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		if ev.Frame < last {
			return nil, fmt.Errorf("%s:%d: frame %d comes after frame %d; lines must be in frame order", name, line, ev.Frame, last)
		}
		last = ev.Frame
		s.events = append(s.events, ev)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return s, nil
}

func parseLine(f []string) (Event, error) {
	var ev Event
	fr, err := strconv.Atoi(f[0])
	if err != nil || fr < 0 {
		return ev, fmt.Errorf("frame %q is not a number ≥ 0", f[0])
	}
	ev.Frame = fr
	f = f[1:]
	if len(f) > 0 && len(f[0]) == 2 && (f[0][0] == 'P' || f[0][0] == 'p') {
		p := int(f[0][1] - '1')
		if p < 0 || p >= pif.NumPorts {
			return ev, fmt.Errorf("port %q: want P1 to P4", f[0])
		}
		ev.Port = p
		f = f[1:]
	}
	if len(f) == 0 {
		return ev, fmt.Errorf("no buttons (write - for none)")
	}
	ev.In.Buttons, err = parseButtons(f[0])
	if err != nil {
		return ev, err
	}
	f = f[1:]
	switch len(f) {
	case 0:
	case 2:
		x, err := parseAxis(f[0])
		if err != nil {
			return ev, err
		}
		y, err := parseAxis(f[1])
		if err != nil {
			return ev, err
		}
		ev.In.X, ev.In.Y = x, y
	default:
		return ev, fmt.Errorf("want FRAME [PORT] BUTTONS [X Y], got %d extra fields", len(f))
	}
	return ev, nil
}

func parseButtons(s string) (pif.Buttons, error) {
	if s == "-" {
		return 0, nil
	}
	var b pif.Buttons
	for _, n := range strings.FieldsFunc(s, func(r rune) bool { return r == '+' || r == ',' }) {
		found := false
		for _, bn := range buttonNames {
			if strings.EqualFold(n, bn.name) {
				b |= bn.bit
				found = true
				break
			}
		}
		if !found {
			return 0, fmt.Errorf("unknown button %q (known: A B Z START L R DU DD DL DR CU CD CL CR RESET, or -)", n)
		}
	}
	return b, nil
}

func parseAxis(s string) (int8, error) {
	v, err := strconv.Atoi(s)
	if err != nil || v < -128 || v > 127 {
		return 0, fmt.Errorf("stick value %q: want an integer from -128 to 127", s)
	}
	return int8(v), nil
}

// Events are the parsed lines, in order.
func (s *Script) Events() []Event { return s.events }

// SetFrame applies every line up to and including frame.
func (s *Script) SetFrame(frame int) {
	for s.next < len(s.events) && s.events[s.next].Frame <= frame {
		e := s.events[s.next]
		s.cur[e.Port] = e.In
		s.next++
	}
}

// Input implements pif.InputSource.
func (s *Script) Input(port int) pif.Input {
	if port < 0 || port >= pif.NumPorts {
		return pif.Input{}
	}
	return s.cur[port]
}

// Format writes one event as a script line (without newline).
func Format(e Event) string {
	var names []string
	for _, bn := range buttonNames {
		if e.In.Buttons&bn.bit != 0 {
			names = append(names, bn.name)
		}
	}
	btn := "-"
	if len(names) > 0 {
		btn = strings.Join(names, "+")
	}
	line := fmt.Sprintf("%d P%d %s", e.Frame, e.Port+1, btn)
	if e.In.X != 0 || e.In.Y != 0 {
		line += fmt.Sprintf(" %d %d", e.In.X, e.In.Y)
	}
	return line
}

// Recorder is a pif.InputSource that passes another source's readings
// through (nil: nothing pressed) and writes a script of them: a line
// whenever a port's reading differs from the last one written. Call
// SetFrame before each frame and Close at the end.
type Recorder struct {
	w     *bufio.Writer
	src   pif.InputSource
	frame int
	last  [pif.NumPorts]pif.Input
	err   error
}

// NewRecorder records src's readings to w.
func NewRecorder(w io.Writer, src pif.InputSource) *Recorder {
	r := &Recorder{w: bufio.NewWriter(w), src: src}
	fmt.Fprintln(r.w, "# n64 input script: FRAME [PORT] BUTTONS [X Y]")
	return r
}

// SetFrame tells the recorder (and the source, if it is a Script) which
// frame runs next.
func (r *Recorder) SetFrame(frame int) {
	r.frame = frame
	if s, ok := r.src.(interface{ SetFrame(int) }); ok {
		s.SetFrame(frame)
	}
}

// Input implements pif.InputSource.
func (r *Recorder) Input(port int) pif.Input {
	var in pif.Input
	if r.src != nil {
		in = r.src.Input(port)
	}
	if port >= 0 && port < pif.NumPorts && in != r.last[port] {
		r.last[port] = in
		if _, err := fmt.Fprintln(r.w, Format(Event{Frame: r.frame, Port: port, In: in})); err != nil && r.err == nil {
			r.err = err
		}
	}
	return in
}

// Close flushes the script and reports the first write error.
func (r *Recorder) Close() error {
	if err := r.w.Flush(); err != nil && r.err == nil {
		r.err = err
	}
	return r.err
}
