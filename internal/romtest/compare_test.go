package romtest

import (
	"image"
	"image/color"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

func solid(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

var (
	black  = color.RGBA{0, 0, 0, 255}
	yellow = color.RGBA{255, 231, 0, 255}
	white  = color.RGBA{255, 255, 255, 255}
	red    = color.RGBA{255, 0, 0, 255}
)

// textScreen imitates a krom test screen: black, with a border of at least
// 8 black pixels, and rows of pseudo-random white "glyph" pixels.
func textScreen(w, h int, seed uint64) *image.RGBA {
	img := solid(w, h, black)
	rng := rand.New(rand.NewPCG(seed, 1))
	for y := 8; y < h-8; y++ {
		if (y/8)%2 == 1 { // every other 8-line band is a text line
			continue
		}
		for x := 8; x < w-8; x++ {
			if rng.IntN(4) == 0 {
				img.SetRGBA(x, y, white)
			}
		}
	}
	return img
}

// noisy is a full-screen picture of random colours (no black border).
func noisy(w, h int, seed uint64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(seed, 2))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(rng.UintN(256)), uint8(rng.UintN(256)), uint8(rng.UintN(256)), 255
	}
	return img
}

func clone(img *image.RGBA) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	copy(out.Pix, img.Pix)
	return out
}

// shifted returns img with its content moved by (dx, dy); uncovered pixels
// are black.
func shifted(img *image.RGBA, dx, dy int) *image.RGBA {
	b := img.Bounds()
	out := solid(b.Dx(), b.Dy(), black)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			sx, sy := x-dx, y-dy
			if sx >= 0 && sx < b.Dx() && sy >= 0 && sy < b.Dy() {
				out.SetRGBA(x, y, img.RGBAAt(sx, sy))
			}
		}
	}
	return out
}

func fillRect(img *image.RGBA, r image.Rectangle, c color.RGBA) *image.RGBA {
	out := clone(img)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			out.SetRGBA(x, y, c)
		}
	}
	return out
}

func addAll(img *image.RGBA, dr, dg, db int) *image.RGBA {
	out := clone(img)
	for i := 0; i < len(out.Pix); i += 4 {
		out.Pix[i] = uint8(int(out.Pix[i]) + dr)
		out.Pix[i+1] = uint8(int(out.Pix[i+1]) + dg)
		out.Pix[i+2] = uint8(int(out.Pix[i+2]) + db)
	}
	return out
}

func scale2x(img *image.RGBA) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, 2*b.Dx(), 2*b.Dy()))
	for y := 0; y < 2*b.Dy(); y++ {
		for x := 0; x < 2*b.Dx(); x++ {
			out.SetRGBA(x, y, img.RGBAAt(x/2, y/2))
		}
	}
	return out
}

func countNonBlack(img *image.RGBA) int {
	n := 0
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i] > 12 || img.Pix[i+1] > 12 || img.Pix[i+2] > 12 {
			n++
		}
	}
	return n
}

func TestCompare(t *testing.T) {
	text := textScreen(320, 240, 1)
	grey := solid(320, 240, color.RGBA{100, 150, 200, 255})
	sparse := solid(320, 240, black) // mostly black: 20 short lines of white text
	for y := 100; y < 120; y++ {
		for x := 100; x < 120; x++ {
			sparse.SetRGBA(x, y, white)
		}
	}
	// 400 non-black pixels: the 5 % term allows 20, the 0.05 % term 38.
	missing30 := fillRect(sparse, image.Rect(100, 100, 115, 102), black)

	tests := []struct {
		name       string
		got, want  image.Image
		pass       bool
		mismatch   int // -1: don't check
		dx, dy     int
		allowed    int // -1: don't check
		minMismat  int // with mismatch -1: at least this many
		checkShift bool
	}{
		{name: "identical", got: text, want: text, pass: true, mismatch: 0, allowed: 38, checkShift: true},
		{name: "identical full screen", got: noisy(320, 240, 3), want: noisy(320, 240, 3), pass: true, mismatch: 0, allowed: 38, checkShift: true},
		{name: "one wrong pixel", got: fillRect(text, image.Rect(50, 50, 51, 51), red), want: text, pass: true, mismatch: 1, checkShift: true, allowed: -1},
		{name: "8x8 FAIL badge", got: fillRect(text, image.Rect(200, 100, 208, 108), red), want: text, pass: false, mismatch: 64, checkShift: true, allowed: 38},
		{name: "channel +12 matches", got: addAll(grey, 12, 12, 12), want: grey, pass: true, mismatch: 0, allowed: 38, checkShift: true},
		{name: "channel -12 matches", got: addAll(grey, -12, -12, -12), want: grey, pass: true, mismatch: 0, allowed: -1},
		{name: "red +13 fails", got: addAll(grey, 13, 0, 0), want: grey, pass: false, mismatch: 320 * 240, allowed: -1},
		{name: "green -13 fails", got: addAll(grey, 0, -13, 0), want: grey, pass: false, mismatch: 320 * 240, allowed: -1},
		{name: "blue +13 fails", got: addAll(grey, 0, 0, 13), want: grey, pass: false, mismatch: 320 * 240, allowed: -1},
		{name: "white vs 243 matches", got: solid(320, 240, color.RGBA{243, 243, 243, 255}), want: solid(320, 240, white), pass: true, mismatch: 0, allowed: -1},
		{name: "white vs 242 fails", got: solid(320, 240, color.RGBA{242, 255, 255, 255}), want: solid(320, 240, white), pass: false, mismatch: 320 * 240, allowed: -1},
		{name: "alpha ignored", got: addAlpha(text, 0), want: text, pass: true, mismatch: 0, allowed: -1},
		{name: "shifted down 2", got: shifted(text, 0, 2), want: text, pass: true, mismatch: 0, dy: 2, allowed: -1, checkShift: true},
		{name: "shifted down 1", got: shifted(text, 0, 1), want: text, pass: true, mismatch: 0, dy: 1, allowed: -1, checkShift: true},
		{name: "reference 2 lines lower", got: text, want: shifted(text, 0, 2), pass: true, mismatch: 0, dy: -2, allowed: -1, checkShift: true},
		{name: "shifted right 2 up 1", got: shifted(text, 2, -1), want: text, pass: true, mismatch: 0, dx: 2, dy: -1, allowed: -1, checkShift: true},
		{name: "shifted left 1", got: shifted(text, -1, 0), want: text, pass: true, mismatch: 0, dx: -1, allowed: -1, checkShift: true},
		{name: "shifted down 3", got: shifted(text, 0, 3), want: text, pass: false, mismatch: -1, minMismat: 1000, allowed: -1},
		{name: "shifted right 3", got: shifted(text, 3, 0), want: text, pass: false, mismatch: -1, minMismat: 1000, allowed: -1},
		{name: "full screen shifted by 1 loses its edge", got: shifted(noisy(320, 240, 4), 0, 1), want: noisy(320, 240, 4), pass: false, mismatch: -1, minMismat: 300, dy: 1, allowed: 38, checkShift: true},
		// krom's FillTriangle16BPP: a yellow screen captured a line lower;
		// the row above the picture is compared with the frame's top row.
		{name: "coloured screen captured a line lower", got: fillRect(solid(320, 240, yellow), image.Rect(20, 50, 80, 100), red),
			want: fillRect(solid(320, 240, yellow), image.Rect(20, 51, 80, 101), red), pass: true, mismatch: 0, dy: -1, allowed: 38, checkShift: true},
		{name: "blank vs text", got: solid(320, 240, black), want: text, pass: false, mismatch: countNonBlack(text), allowed: -1},
		{name: "blank vs sparse text (5% term)", got: solid(320, 240, black), want: sparse, pass: false, mismatch: 400, allowed: 20},
		{name: "30 of 400 text pixels missing (5% term)", got: missing30, want: sparse, pass: false, mismatch: 30, allowed: 20},
		{name: "15 of 400 text pixels missing", got: fillRect(sparse, image.Rect(100, 100, 115, 101), black), want: sparse, pass: true, mismatch: 15, allowed: 20},
		{name: "blank vs blank", got: solid(320, 240, black), want: solid(320, 240, black), pass: true, mismatch: 0, allowed: 0},
		{name: "nil got vs text", got: nil, want: text, pass: false, mismatch: countNonBlack(text), allowed: -1},
		{name: "scale 320x240 to 640x480", got: text, want: scale2x(text), pass: true, mismatch: 0, allowed: 153, checkShift: true},
		{name: "scale 640x480 to 320x240", got: scale2x(text), want: text, pass: true, mismatch: 0, allowed: 38, checkShift: true},
		{name: "scale 320x240 to 640x480 with badge", got: fillRect(text, image.Rect(200, 100, 208, 108), red), want: scale2x(text), pass: false, mismatch: 256, allowed: 153},
		{name: "FAIL badge 0.08% of 640x480", got: fillRect(scale2x(text), image.Rect(400, 200, 416, 216), red), want: scale2x(text), pass: false, mismatch: 256, allowed: 153},
		{name: "sub-image got", got: scale2x(text).SubImage(image.Rect(0, 0, 640, 480)), want: scale2x(text), pass: true, mismatch: 0, allowed: -1},
		{name: "gray reference", got: solid(320, 240, color.RGBA{90, 90, 90, 255}), want: grayImg(320, 240, 100), pass: true, mismatch: 0, allowed: 38},
		{name: "nrgba got", got: toNRGBA(text), want: text, pass: true, mismatch: 0, allowed: -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Compare(tc.got, tc.want)
			if res.Pass != tc.pass {
				t.Errorf("Pass = %v, want %v (%v)", res.Pass, tc.pass, res)
			}
			if tc.mismatch >= 0 && res.Mismatch != tc.mismatch {
				t.Errorf("Mismatch = %d, want %d (%v)", res.Mismatch, tc.mismatch, res)
			}
			if tc.mismatch < 0 && res.Mismatch < tc.minMismat {
				t.Errorf("Mismatch = %d, want at least %d (%v)", res.Mismatch, tc.minMismat, res)
			}
			if tc.allowed >= 0 && res.Allowed != tc.allowed {
				t.Errorf("Allowed = %d, want %d", res.Allowed, tc.allowed)
			}
			if tc.checkShift && (res.DX != tc.dx || res.DY != tc.dy) {
				t.Errorf("shift = %d,%d, want %d,%d (%v)", res.DX, res.DY, tc.dx, tc.dy, res)
			}
			if res.Pass != (res.Mismatch <= res.Allowed) {
				t.Errorf("Pass inconsistent with Mismatch/Allowed: %v", res)
			}
		})
	}
}

func addAlpha(img *image.RGBA, a uint8) *image.RGBA {
	out := clone(img)
	for i := 3; i < len(out.Pix); i += 4 {
		out.Pix[i] = a
	}
	return out
}

func grayImg(w, h int, v uint8) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = v
	}
	return img
}

func toNRGBA(img *image.RGBA) *image.NRGBA {
	out := image.NewNRGBA(img.Rect)
	copy(out.Pix, img.Pix) // opaque, so identical bytes
	return out
}

// TestMatchesSWAR checks the packed comparison against the plain rule for
// all channel values around the clamping edges and a random sample.
func TestMatchesSWAR(t *testing.T) {
	vals := []int{0, 1, 11, 12, 13, 14, 100, 241, 242, 243, 244, 254, 255}
	rng := rand.New(rand.NewPCG(9, 9))
	for i := 0; i < 20; i++ {
		vals = append(vals, rng.IntN(256))
	}
	check := func(ref, got [3]int) {
		want := true
		for c := 0; c < 3; c++ {
			if abs(ref[c]-got[c]) > Tolerance {
				want = false
			}
		}
		r := NewReference(solid(1, 1, color.RGBA{uint8(ref[0]), uint8(ref[1]), uint8(ref[2]), 255}))
		g := pack(uint8(got[0]), uint8(got[1]), uint8(got[2]))
		if m := matches(g, r.lo[0], r.hi[0]); m != want {
			t.Fatalf("ref %v got %v: matches = %v, want %v", ref, got, m, want)
		}
	}
	for _, a := range vals {
		for _, b := range vals {
			check([3]int{a, 50, 200}, [3]int{b, 50, 200})
			check([3]int{50, a, 200}, [3]int{50, b, 200})
			check([3]int{50, 200, a}, [3]int{50, 200, b})
			check([3]int{a, a, a}, [3]int{b, b, b})
		}
	}
}

// slowCompare is a direct transcription of the rule, for checking the fast
// path (including its early exits) on small images.
func slowCompare(got, want image.Image) Result {
	wb := want.Bounds()
	W, H := wb.Dx(), wb.Dy()
	gb := got.Bounds()
	rgb := func(img image.Image, x, y int) [3]int {
		c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
		return [3]int{int(c.R), int(c.G), int(c.B)}
	}
	scaledGot := func(x, y int) [3]int {
		// Off-frame partners: the nearest frame pixel.
		x, y = min(max(x, 0), W-1), min(max(y, 0), H-1)
		sx := gb.Min.X + (2*x+1)*gb.Dx()/(2*W)
		sy := gb.Min.Y + (2*y+1)*gb.Dy()/(2*H)
		return rgb(got, sx, sy)
	}
	match := func(a, b [3]int) bool {
		return abs(a[0]-b[0]) <= 12 && abs(a[1]-b[1]) <= 12 && abs(a[2]-b[2]) <= 12
	}
	nonBlack := 0
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			if !match(rgb(want, wb.Min.X+x, wb.Min.Y+y), [3]int{}) {
				nonBlack++
			}
		}
	}
	best := Result{Mismatch: -1}
	for _, sh := range append([][2]int{{0, 0}}, shifts...) {
		n := 0
		for y := 0; y < H; y++ {
			for x := 0; x < W; x++ {
				if !match(rgb(want, wb.Min.X+x, wb.Min.Y+y), scaledGot(x+sh[0], y+sh[1])) {
					n++
				}
			}
		}
		if best.Mismatch < 0 || n < best.Mismatch {
			best = Result{Mismatch: n, DX: sh[0], DY: sh[1]}
		}
	}
	best.Allowed = min(W*H*5/10000, nonBlack*5/100)
	best.Pass = best.Mismatch <= best.Allowed
	return best
}

func TestCompareMatchesSlowRule(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 60; i++ {
		w, h := 20+rng.IntN(60), 20+rng.IntN(40)
		want := textScreen(w, h, uint64(i))
		if i%3 == 0 {
			want = noisy(w, h, uint64(i))
		}
		got := shifted(want, rng.IntN(7)-3, rng.IntN(7)-3)
		for k := rng.IntN(40); k > 0; k-- {
			got.SetRGBA(rng.IntN(w), rng.IntN(h), color.RGBA{uint8(rng.UintN(256)), uint8(rng.UintN(256)), uint8(rng.UintN(256)), 255})
		}
		var gotImg image.Image = got
		switch i % 4 {
		case 1: // upscale
			gotImg = image.NewRGBA(image.Rect(0, 0, w/2+1, h/2+1))
			for y := 0; y < h/2+1; y++ {
				for x := 0; x < w/2+1; x++ {
					gotImg.(*image.RGBA).SetRGBA(x, y, got.RGBAAt(min(2*x, w-1), min(2*y, h-1)))
				}
			}
		case 2: // odd ratio, offset bounds
			gotImg = scale2x(got).SubImage(image.Rect(3, 1, 3+w*3/2, 1+h*5/4))
		}
		fast := Compare(gotImg, want)
		slow := slowCompare(gotImg, want)
		if fast != slow {
			t.Fatalf("case %d (%dx%d, got %v): fast %+v, slow %+v", i, w, h, gotImg.Bounds(), fast, slow)
		}
	}
}

func TestReferenceCompareNil(t *testing.T) {
	ref := NewReference(textScreen(64, 48, 1))
	res := ref.Compare(nil)
	if res.Pass || res.Mismatch != ref.NonBlack() {
		t.Errorf("nil frame: %v, want fail with %d mismatches", res, ref.NonBlack())
	}
	if res := NewReference(image.NewRGBA(image.Rectangle{})).Compare(solid(4, 4, black)); res.Pass {
		t.Errorf("empty reference passed: %v", res)
	}
}

func TestCompareAny(t *testing.T) {
	a, b := textScreen(320, 240, 1), textScreen(320, 240, 2)
	refs := []*Reference{NewReference(a), NewReference(b)}
	if res, i := CompareAny(b, refs); !res.Pass || i != 1 {
		t.Errorf("CompareAny(b) = %v, %d; want pass at 1", res, i)
	}
	res, i := CompareAny(solid(320, 240, black), refs)
	if res.Pass || i < 0 {
		t.Errorf("CompareAny(blank) = %v, %d; want fail with an index", res, i)
	}
}

func TestDiffImageAndWriteFailure(t *testing.T) {
	want := textScreen(320, 240, 7)
	got := fillRect(shifted(want, 0, 1), image.Rect(10, 20, 18, 28), red)
	res := Compare(got, want)
	if res.DY != 1 || res.Mismatch == 0 {
		t.Fatalf("setup: %v", res)
	}
	d := DiffImage(got, want, res.DX, res.DY)
	if d.Bounds() != want.Bounds() {
		t.Fatalf("diff bounds %v", d.Bounds())
	}
	reds := 0
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			if d.RGBAAt(x, y) == red {
				reds++
			}
		}
	}
	if reds != res.Mismatch {
		t.Errorf("diff has %d red pixels, want %d (the mismatch count)", reds, res.Mismatch)
	}
	// The badge (moved up by the shift) is red, a matching white pixel is dimmed.
	if c := d.RGBAAt(12, 21); c != red {
		t.Errorf("badge pixel = %v, want red", c)
	}
	if c := d.RGBAAt(0, 0); c != (color.RGBA{0, 0, 0, 255}) {
		t.Errorf("black pixel = %v", c)
	}

	dir := t.TempDir()
	if err := WriteFailure(dir, "sub/CPUADD", got, want, res); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"sub/CPUADD.got.png", "sub/CPUADD.diff.png"} {
		img, err := LoadPNG(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Dx() != 320 {
			t.Errorf("%s: bounds %v", f, img.Bounds())
		}
	}
	if err := WriteFailure(dir, "runonly", got, nil, Result{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "runonly.diff.png")); err == nil {
		t.Error("diff written without a reference")
	}
}

func BenchmarkCompare(b *testing.B) {
	text := textScreen(320, 240, 1)
	cases := []struct {
		name      string
		got, want *image.RGBA
	}{
		{"320x240/match", clone(text), text},
		{"320x240/badge", fillRect(text, image.Rect(200, 100, 208, 108), red), text},
		{"320x240/shifted", shifted(text, 0, 2), text},
		{"320x240/blank", solid(320, 240, black), text},
		{"320x240to640x480/badge", fillRect(text, image.Rect(200, 100, 208, 108), red), scale2x(text)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			ref := NewReference(c.want)
			b.ReportAllocs()
			for b.Loop() {
				ref.Compare(c.got)
			}
		})
	}
}
