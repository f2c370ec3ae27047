package romtest

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sync"
)

// The comparison rule (../shared/roms/README.md), as implemented here:
//
//   - Scaling. The frame ("got") is scaled to the reference's size by
//     nearest neighbour, sampling pixel centres: reference pixel x takes got
//     column floor((2x+1)*gotW / (2*refW)), likewise for rows. For the
//     usual integer ratios (320->640) this is plain pixel doubling.
//   - Colour. Only R, G and B are compared; alpha is ignored (the stored
//     colour channels are used as if the pixel were opaque). A pixel
//     matches when each channel differs by at most Tolerance (12) on 8-bit
//     channels.
//   - Shift. For a shift (dx, dy), reference pixel (x, y) is compared with
//     scaled got pixel (x+dx, y+dy). So DY = +2 means the emulator's
//     picture is two lines lower than the reference's; DY = -2 means the
//     reference was captured two lines lower than the emulator draws.
//     Reference pixels whose partner (x+dx, y+dy) falls outside the frame
//     are compared with the nearest frame pixel (the edge row or column
//     extended): a reference captured a line lower repeats the picture's
//     top line above it (krom's FillTriangle: a yellow background down to
//     row 0), so every reference pixel is still compared with something
//     and nothing shifted off-screen is silently ignored. Every shift with |dx|, |dy| <= MaxShift is
//     tried and the one with the fewest mismatches kept (ties go to the
//     smaller shift, (0,0) first).
//   - Non-black. A reference pixel is non-black when any channel is
//     greater than Tolerance, i.e. exactly when it would not match a black
//     frame pixel. A blank frame therefore mismatches every non-black
//     reference pixel.
//   - Pass. mismatches <= Allowed = min(floor(pixels*5/10000),
//     floor(nonBlack*5/100)), pixels being the reference's width*height.
//     A reference with no pixels never passes.
const (
	Tolerance = 12
	MaxShift  = 2
)

// Result is the outcome of comparing one frame with one reference, at the
// best shift.
type Result struct {
	Mismatch int  // mismatching pixels at the best shift
	Allowed  int  // the most mismatching pixels that still pass
	DX, DY   int  // best shift: reference (x,y) was compared with got (x+DX, y+DY)
	Pass     bool // Mismatch <= Allowed
}

func (r Result) String() string {
	verdict := "FAIL"
	if r.Pass {
		verdict = "pass"
	}
	return fmt.Sprintf("%s: %d mismatching pixels (allowed %d) at shift %+d,%+d", verdict, r.Mismatch, r.Allowed, r.DX, r.DY)
}

// Pixels are packed into 10-bit lanes of a uint32 (R bits 0-7, G bits
// 10-17, B bits 20-27); bit 9 of each lane is a guard bit. A frame pixel g
// matches reference bounds lo..hi (per channel, hi stored with the guard
// bits set) when every guard bit survives both (hi|G)-g and (g|G)-lo: a
// lane's guard bit is cleared exactly when that subtraction goes negative,
// and lanes never borrow from each other because each lane's value is at
// most 255 < 512.
const guard = 1<<9 | 1<<19 | 1<<29

func pack(r, g, b uint8) uint32 { return uint32(r) | uint32(g)<<10 | uint32(b)<<20 }

func matches(g, lo, hiG uint32) bool {
	return (hiG-g)&((g|guard)-lo)&guard == guard
}

// Reference is a reference screenshot prepared for repeated comparisons.
// It is immutable once built and safe for concurrent use.
type Reference struct {
	w, h     int
	lo, hi   []uint32 // per pixel: packed max(c-12,0) and packed min(c+12,255)|guard
	nonBlack int
	allowed  int
}

// NewReference prepares img (normally from LoadPNG) for comparisons.
func NewReference(img image.Image) *Reference {
	r := &Reference{}
	if img == nil {
		return r
	}
	b := img.Bounds()
	r.w, r.h = b.Dx(), b.Dy()
	n := r.w * r.h
	r.lo = make([]uint32, n)
	r.hi = make([]uint32, n)
	src := newRGBSource(img)
	for y := 0; y < r.h; y++ {
		row := src.row(y)
		for x := 0; x < r.w; x++ {
			p := row[x*src.bpp : x*src.bpp+3]
			var lo, hi [3]uint8
			for c := 0; c < 3; c++ {
				v := int(p[c])
				lo[c] = uint8(max(v-Tolerance, 0))
				hi[c] = uint8(min(v+Tolerance, 255))
			}
			l := pack(lo[0], lo[1], lo[2])
			r.lo[y*r.w+x] = l
			r.hi[y*r.w+x] = pack(hi[0], hi[1], hi[2]) | guard
			if l != 0 {
				r.nonBlack++
			}
		}
	}
	r.allowed = min(n*5/10000, r.nonBlack*5/100)
	return r
}

// LoadReference loads a PNG and prepares it with NewReference.
func LoadReference(path string) (*Reference, error) {
	img, err := LoadPNG(path)
	if err != nil {
		return nil, err
	}
	return NewReference(img), nil
}

// Size returns the reference's size in pixels.
func (r *Reference) Size() (w, h int) { return r.w, r.h }

// NonBlack returns the number of non-black reference pixels.
func (r *Reference) NonBlack() int { return r.nonBlack }

// Allowed returns the most mismatching pixels that still pass.
func (r *Reference) Allowed() int { return r.allowed }

// LoadPNG decodes the PNG file at path.
func LoadPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// Compare compares a frame with a reference under the comparison rule.
// For repeated comparisons against the same reference use NewReference
// once and Reference.Compare.
func Compare(got image.Image, want image.Image) Result {
	return NewReference(want).CompareImage(got)
}

// Compare compares a frame (at its native size) with the reference. A nil
// or empty frame is treated as an all-black frame.
func (r *Reference) Compare(got *image.RGBA) Result {
	if got == nil {
		return r.CompareImage(nil)
	}
	return r.CompareImage(got)
}

// CompareImage is Compare for any image type; *image.RGBA and
// *image.NRGBA are read directly, others are converted first.
func (r *Reference) CompareImage(got image.Image) Result {
	res := Result{Allowed: r.allowed}
	n := r.w * r.h
	if n == 0 {
		return res
	}
	s := r.scaled(got)
	defer scratchPool.Put(s)
	buf := s.buf

	res.Mismatch = r.count(buf, 0, 0, math.MaxInt)
	for _, sh := range shifts {
		if res.Mismatch == 0 {
			break
		}
		// Early exit: a shift is only interesting while it stays at or
		// below the best count so far (strictly below to replace it).
		m := r.count(buf, sh[0], sh[1], res.Mismatch-1)
		if m < res.Mismatch {
			res.Mismatch, res.DX, res.DY = m, sh[0], sh[1]
		}
	}
	res.Pass = res.Mismatch <= res.Allowed
	return res
}

// CompareAny compares a frame with several references (any one may
// match). It returns the first passing result and its index, or, when
// none passes, the result with the fewest mismatches.
func CompareAny(got *image.RGBA, refs []*Reference) (Result, int) {
	best, bestIdx := Result{Mismatch: math.MaxInt}, -1
	for i, ref := range refs {
		res := ref.Compare(got)
		if res.Pass {
			return res, i
		}
		if bestIdx < 0 || res.Mismatch < best.Mismatch {
			best, bestIdx = res, i
		}
	}
	return best, bestIdx
}

// shifts lists every non-zero shift within MaxShift, nearest first.
var shifts = func() [][2]int {
	var out [][2]int
	for d := 1; d <= 2*MaxShift; d++ {
		for dy := -MaxShift; dy <= MaxShift; dy++ {
			for dx := -MaxShift; dx <= MaxShift; dx++ {
				if abs(dx)+abs(dy) == d {
					out = append(out, [2]int{dx, dy})
				}
			}
		}
	}
	return out
}()

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// count returns the mismatches at shift (dx, dy); it may stop early and
// return any value > limit once the count exceeds limit. A reference pixel
// whose partner falls off the frame is compared with the nearest frame
// pixel (the frame's edge row or column, extended).
func (r *Reference) count(g []uint32, dx, dy, limit int) int {
	w, h := r.w, r.h
	x0, x1 := max(0, -dx), min(w, w-dx)
	n := 0
	for y := 0; y < h; y++ {
		gy := min(max(y+dy, 0), h-1)
		lo := r.lo[y*w : y*w+w]
		hi := r.hi[y*w : y*w+w]
		grow := g[gy*w : gy*w+w]
		for x := 0; x < min(x0, w); x++ {
			n += mismatch(lo[x], hi[x], grow[0])
		}
		for x := max(x1, 0); x < w; x++ {
			n += mismatch(lo[x], hi[x], grow[w-1])
		}
		if x0 < x1 {
			gs := grow[x0+dx : x1+dx]
			los := lo[x0:x1]
			his := hi[x0:x1]
			los = los[:len(gs)]
			his = his[:len(gs)]
			for i, gv := range gs {
				n += mismatch(los[i], his[i], gv)
			}
		}
		if n > limit {
			return n
		}
	}
	return n
}

// mismatch is 1 when the packed frame pixel gv lies outside the reference
// pixel's tolerance box [lo, hi], else 0, computed without a branch
// (mismatches are not predictable).
func mismatch(lo, hi, gv uint32) int {
	m := (hi-gv)&((gv|guard)-lo)&guard ^ guard
	return int((m | -m) >> 31)
}

type scratch struct {
	buf  []uint32
	cols []int
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// scaled returns the frame scaled to the reference size, packed; the
// caller returns it to scratchPool.
func (r *Reference) scaled(got image.Image) *scratch {
	s := scratchPool.Get().(*scratch)
	n := r.w * r.h
	if cap(s.buf) < n {
		s.buf = make([]uint32, n)
	}
	s.buf = s.buf[:n]
	buf := s.buf
	var gw, gh int
	if got != nil {
		b := got.Bounds()
		gw, gh = b.Dx(), b.Dy()
	}
	if gw <= 0 || gh <= 0 {
		clear(buf)
		return s
	}
	if cap(s.cols) < r.w {
		s.cols = make([]int, r.w)
	}
	cols := s.cols[:r.w]
	src := newRGBSource(got)
	for x := range cols {
		cols[x] = ((2*x + 1) * gw) / (2 * r.w) * src.bpp
	}
	prevSY := -1
	for y := 0; y < r.h; y++ {
		sy := ((2*y + 1) * gh) / (2 * r.h)
		dst := buf[y*r.w : y*r.w+r.w]
		if sy == prevSY {
			copy(dst, buf[(y-1)*r.w:y*r.w])
			continue
		}
		prevSY = sy
		row := src.row(sy)
		for x, off := range cols {
			p := row[off : off+3 : off+3]
			dst[x] = pack(p[0], p[1], p[2])
		}
	}
	return s
}

// rgbSource gives row access to 8-bit R,G,B at bytes 0..2 of each pixel
// (bpp bytes per pixel), whatever the image type.
type rgbSource struct {
	pix    []uint8
	stride int
	bpp    int
	w      int
}

func (s rgbSource) row(y int) []uint8 {
	return s.pix[y*s.stride : y*s.stride+s.w*s.bpp]
}

func newRGBSource(img image.Image) rgbSource {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.RGBA:
		// Premultiplied; with alpha ignored the stored bytes are used as is
		// (VI frames are opaque, so this is the colour).
		return rgbSource{pix: m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], stride: m.Stride, bpp: 4, w: b.Dx()}
	case *image.NRGBA:
		return rgbSource{pix: m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], stride: m.Stride, bpp: 4, w: b.Dx()}
	}
	w, h := b.Dx(), b.Dy()
	pix := make([]uint8, w*h*3)
	i := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			var r, g, bl uint8
			switch m := img.(type) {
			case *image.Gray:
				v := m.GrayAt(x, y).Y
				r, g, bl = v, v, v
			case *image.NRGBA64:
				c := m.NRGBA64At(x, y)
				r, g, bl = uint8(c.R>>8), uint8(c.G>>8), uint8(c.B>>8)
			case *image.RGBA64:
				c := m.RGBA64At(x, y)
				r, g, bl = uint8(c.R>>8), uint8(c.G>>8), uint8(c.B>>8)
			default:
				c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
				r, g, bl = c.R, c.G, c.B
			}
			pix[i], pix[i+1], pix[i+2] = r, g, bl
			i += 3
		}
	}
	return rgbSource{pix: pix, stride: w * 3, bpp: 3, w: w}
}

// DiffImage returns an image of want's size showing, at shift (dx, dy),
// the reference dimmed to a third where the frame matches and pure red
// where it does not (including reference pixels whose partner is off the
// frame and which are not black). got is scaled as in Compare.
func DiffImage(got, want image.Image, dx, dy int) *image.RGBA {
	ref := NewReference(want)
	out := image.NewRGBA(image.Rect(0, 0, ref.w, ref.h))
	if ref.w*ref.h == 0 {
		return out
	}
	s := ref.scaled(got)
	defer scratchPool.Put(s)
	src := newRGBSource(want)
	for y := 0; y < ref.h; y++ {
		row := src.row(y)
		for x := 0; x < ref.w; x++ {
			i := y*ref.w + x
			gx, gy := x+dx, y+dy
			var g uint32 // black off-frame
			if gx >= 0 && gx < ref.w && gy >= 0 && gy < ref.h {
				g = s.buf[gy*ref.w+gx]
			}
			o := out.Pix[y*out.Stride+x*4 : y*out.Stride+x*4+4]
			if matches(g, ref.lo[i], ref.hi[i]) {
				p := row[x*src.bpp:]
				o[0], o[1], o[2] = p[0]/3, p[1]/3, p[2]/3
			} else {
				o[0], o[1], o[2] = 255, 0, 0
			}
			o[3] = 255
		}
	}
	return out
}

// WriteFailure writes the frame as dir/name.got.png (native size) and,
// when want is not nil, the diff at res's shift as dir/name.diff.png.
// Directories are created as needed.
func WriteFailure(dir, name string, got image.Image, want image.Image, res Result) error {
	base := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return err
	}
	if got != nil && !got.Bounds().Empty() {
		if err := writePNG(base+".got.png", got); err != nil {
			return err
		}
	}
	if want != nil {
		if err := writePNG(base+".diff.png", DiffImage(got, want, res.DX, res.DY)); err != nil {
			return err
		}
	}
	return nil
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
