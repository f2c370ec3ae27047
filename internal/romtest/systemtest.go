package romtest

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// n64-systemtest (github.com/lemmy-64/n64-systemtest, src/tests/mod.rs,
// fn run) prints through the ISViewer:
//
//	Running <name>...                                  (text_out, one per test)
//	Test '<name>'<value> failed: <error>\n\n            (error may span lines)
//	Test '<name>'<value> failed with exception: <e>\n\n
//	Test '<name>'<value> failed with unknown exception: <e>\n\n
//
// where <value> is empty or " with '<value>'", then after an empty line
// either
//
//	Done, but no tests were executed
//
// or
//
//	n64-systemtest <version> (base=1 timing=0 cycle=0 cp0-hazards=0)
//	Finished in 1.23s. Base: Failed 3 of 500 tests (99% success rate)
//	Timing: Failed 1 of 10 tests (90% success rate)     (only if run)
//	...                                                 (Cycle, CP0-hazards, Poorly-understood-quirk)
//
// An all-pass run prints "Base: Failed 0 of N tests (100% success rate)";
// there is no separate success sentence. Each "<Category>: Failed F of T
// tests (P% success rate)" part ends in "\n" since commit 4503c4c (Nov
// 2022, the build in ../shared/roms/systemtest); the commit before put "\n"
// in front of the non-base parts instead, and builds before Jun 2022
// printed "Done! Tests: T. Failed: F. Success rate: P%". All three forms
// are accepted. A Rust panic prints "\npanicked at ...\n\n" and stops.

// Summary is the parsed end of an n64-systemtest run.
type Summary struct {
	Total  int // tests run, over all categories
	Failed int // tests failed, over all categories
	// Line is the summary as one line: the "Finished in ..." line with any
	// further category lines appended after a space (or the "Done..."
	// line).
	Line string
	// Categories lists the per-category counts in printed order (Base,
	// Timing, Cycle, CP0-hazards, Poorly-understood-quirk; absent ones
	// omitted). Empty for the old "Done! Tests:" form.
	Categories []Category
	// Failures holds one entry per "Test '…' failed…" report, in output
	// order: its first line followed by any continuation lines of the
	// error message (joined with "\n", trailing space trimmed).
	Failures []string
}

// Category is one "<Name>: Failed F of T tests (P% success rate)" part.
type Category struct {
	Name          string
	Failed, Total int
}

// Passed reports whether tests ran and none failed.
func (s Summary) Passed() bool { return s.Total > 0 && s.Failed == 0 }

// ErrNoTests is returned (with the Summary filled in) when the ROM printed
// "Done, but no tests were executed".
var ErrNoTests = errors.New("n64-systemtest: done, but no tests were executed")

// ErrNoSummary is returned (wrapped, with Failures filled in) when the
// output has no summary line: the run did not finish, panicked, or the
// ISViewer output was lost.
var ErrNoSummary = errors.New("n64-systemtest: no summary line in output")

var (
	reFinished = regexp.MustCompile(`Finished in ([0-9.]+)s\.\s*(.*)$`)
	reCategory = regexp.MustCompile(`^\s*([A-Za-z0-9_-]+): Failed (\d+) of (\d+) tests \((\d+)% success rate\)\s*$`)
	reOldDone  = regexp.MustCompile(`Done! Tests: (\d+)\. Failed: (\d+)\. Success rate: (\d+)%`)
)

const noTestsLine = "Done, but no tests were executed"

// ParseSystemtest parses the ISViewer text of an n64-systemtest run. It
// returns ErrNoTests when no test ran and an error wrapping ErrNoSummary
// when no summary line is present; the Summary is filled as far as the
// output allows in both cases.
func ParseSystemtest(output string) (Summary, error) {
	output = strings.ReplaceAll(output, "\r\n", "\n")
	output = strings.ReplaceAll(output, "\x00", "")
	lines := strings.Split(output, "\n")

	var s Summary
	var panicLine string
	found := false
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t\r")
		trimmed := strings.TrimLeft(line, " \t")
		switch {
		case isFailureStart(trimmed):
			block := []string{trimmed}
			for i+1 < len(lines) {
				next := strings.TrimRight(lines[i+1], " \t\r")
				nt := strings.TrimLeft(next, " \t")
				if nt == "" || isFailureStart(nt) || strings.HasPrefix(nt, "Running ") ||
					strings.HasPrefix(nt, "n64-systemtest ") || strings.Contains(nt, "Finished in ") ||
					strings.Contains(nt, noTestsLine) {
					break
				}
				block = append(block, next)
				i++
			}
			s.Failures = append(s.Failures, strings.Join(block, "\n"))
		case strings.Contains(line, noTestsLine):
			return Summary{Line: noTestsLine, Failures: s.Failures}, ErrNoTests
		case reFinished.MatchString(line):
			m := reFinished.FindStringSubmatch(line)
			s.Line = strings.TrimSpace(line[strings.Index(line, "Finished in "):])
			rest := strings.TrimSpace(m[2])
			if rest != "" {
				c, ok := parseCategory(rest)
				if !ok {
					return s, fmt.Errorf("n64-systemtest: malformed summary %q", s.Line)
				}
				s.add(c)
			}
			for i+1 < len(lines) {
				next := strings.TrimSpace(lines[i+1])
				c, ok := parseCategory(next)
				if !ok {
					break
				}
				s.add(c)
				s.Line += " " + next
				i++
			}
			if len(s.Categories) == 0 {
				return s, fmt.Errorf("n64-systemtest: summary %q has no test counts", s.Line)
			}
			found = true
		case reOldDone.MatchString(line):
			m := reOldDone.FindStringSubmatch(line)
			s.Total, _ = strconv.Atoi(m[1])
			s.Failed, _ = strconv.Atoi(m[2])
			s.Line = strings.TrimSpace(line[strings.Index(line, "Done! "):])
			found = true
		case strings.Contains(line, "panicked at"):
			panicLine = strings.TrimSpace(line)
		}
	}
	if !found {
		if panicLine != "" {
			return s, fmt.Errorf("%w (the ROM panicked: %s)", ErrNoSummary, panicLine)
		}
		return s, ErrNoSummary
	}
	if s.Failed > s.Total {
		return s, fmt.Errorf("n64-systemtest: summary %q has more failures than tests", s.Line)
	}
	return s, nil
}

func (s *Summary) add(c Category) {
	s.Categories = append(s.Categories, c)
	s.Total += c.Total
	s.Failed += c.Failed
}

func parseCategory(text string) (Category, bool) {
	m := reCategory.FindStringSubmatch(text)
	if m == nil {
		return Category{}, false
	}
	f, err1 := strconv.Atoi(m[2])
	t, err2 := strconv.Atoi(m[3])
	if err1 != nil || err2 != nil || f > t {
		return Category{}, false
	}
	return Category{Name: m[1], Failed: f, Total: t}, true
}

// isFailureStart reports whether a line opens a failure report: current
// builds print "Test '<name>'... failed...", the first builds printed
// `Test "<name>' with '...' failed...`.
func isFailureStart(line string) bool {
	return (strings.HasPrefix(line, "Test '") || strings.HasPrefix(line, "Test \"")) &&
		strings.Contains(line, " failed")
}
