// Package harness runs the shared test ROMs (../shared/roms) on the
// emulator: krom's screen tests by the comparison rule of
// shared/roms/README.md and n64-systemtest's ISViewer report. The tests in
// this package are the regression gate `make test` runs and the full
// sweep `make test-long` runs.
package harness

import (
	"image"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/internal/romtest"
)

// SharedDir finds ../shared/roms relative to the repository root, or
// returns "" when it is absent.
func SharedDir() string {
	for _, dir := range []string{"../../../shared/roms", "../../shared/roms", "../shared/roms"} {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			abs, err := filepath.Abs(dir)
			if err == nil {
				return abs
			}
		}
	}
	return ""
}

// KromResult is the outcome of one krom ROM.
type KromResult struct {
	Entry  romtest.Entry
	Pass   bool
	Best   romtest.Result // best comparison seen
	Frame  int            // frame of the best comparison (or of the error)
	Err    error          // emulator error, if the run stopped
	Image  *image.RGBA    // the frame of the best comparison, for diff output
	RefIdx int            // which expected PNG gave Best
}

// checkEvery is the comparison rule's checkpoint interval in VI frames.
const checkEvery = 10

// RunKrom runs one manifest entry by the comparison rule.
func RunKrom(kromDir string, e romtest.Entry) KromResult {
	res := KromResult{Entry: e}
	var refs []*romtest.Reference
	for _, p := range e.Expected {
		img, err := romtest.LoadPNG(filepath.Join(kromDir, p))
		if err != nil {
			res.Err = err
			return res
		}
		refs = append(refs, romtest.NewReference(img))
	}
	rom, err := cart.Load(filepath.Join(kromDir, e.ROM))
	if err != nil {
		res.Err = err
		return res
	}
	m, err := core.New(rom, core.DefaultOptions())
	if err != nil {
		res.Err = err
		return res
	}
	res.Best.Mismatch = -1
	for f := 1; f <= e.MaxFrames; f++ {
		if err := m.RunFrame(); err != nil {
			res.Err, res.Frame = err, f
			return res
		}
		if len(refs) == 0 || f%checkEvery != 0 {
			continue
		}
		got := m.Frame()
		for i, ref := range refs {
			r := ref.Compare(got)
			if res.Best.Mismatch < 0 || r.Mismatch < res.Best.Mismatch {
				res.Best, res.Frame, res.RefIdx = r, f, i
				res.Image = cloneRGBA(got)
			}
			if r.Pass {
				res.Pass = true
				return res
			}
		}
	}
	res.Pass = len(refs) == 0
	return res
}

func cloneRGBA(img *image.RGBA) *image.RGBA {
	c := image.NewRGBA(img.Rect)
	copy(c.Pix, img.Pix)
	return c
}

// RunAll runs entries on every core and returns results in manifest order.
func RunAll(kromDir string, entries []romtest.Entry) []KromResult {
	results := make([]KromResult, len(entries))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = RunKrom(kromDir, entries[i])
			}
		}()
	}
	for i := range entries {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}
