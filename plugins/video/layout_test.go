package video

import (
	"image"
	"testing"
)

func TestFit(t *testing.T) {
	for _, c := range []struct {
		w, h, ph int
		integer  bool
		want     image.Rectangle
	}{
		{640, 480, 240, false, image.Rect(0, 0, 640, 480)},
		{1000, 480, 240, false, image.Rect(180, 0, 820, 480)}, // pillarbox
		{640, 600, 240, false, image.Rect(0, 60, 640, 540)},   // letterbox
		{700, 500, 240, true, image.Rect(30, 10, 670, 490)},   // 2× = 480 lines
		{700, 500, 240, false, image.Rect(17, 0, 683, 500)},
		{300, 200, 240, true, image.Rect(-10, -20, 310, 220)}, // never below 1×
		{1920, 1080, 480, true, image.Rect(320, 60, 1600, 1020)},
		{0, 480, 240, false, image.Rectangle{}},
	} {
		if got := Fit(c.w, c.h, c.ph, c.integer); got != c.want {
			t.Errorf("Fit(%d, %d, %d, %v) = %v, want %v", c.w, c.h, c.ph, c.integer, got, c.want)
		}
	}
}
