package wav

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// The canonical PCM header (RIFF/WAVE, "fmt " chunk of 16 bytes, format 1,
// 2 channels, 16 bits): every byte written out by hand.
func TestHeaderBytes(t *testing.T) {
	h := Header(44100, 8)
	want := []byte{
		'R', 'I', 'F', 'F', 44, 0, 0, 0, 'W', 'A', 'V', 'E',
		'f', 'm', 't', ' ', 16, 0, 0, 0, 1, 0, 2, 0,
		0x44, 0xAC, 0, 0, // 44100
		0x10, 0xB1, 0x02, 0, // 176400 bytes/s
		4, 0, 16, 0,
		'd', 'a', 't', 'a', 8, 0, 0, 0,
	}
	if !bytes.Equal(h[:], want) {
		t.Errorf("header\n% X\nwant\n% X", h[:], want)
	}
}

func writeFile(t *testing.T, feed func(w *Writer)) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "o.wav")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := New(f)
	feed(w)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b, _ := os.ReadFile(p)
	return b
}

func TestSamplesAndSizes(t *testing.T) {
	b := writeFile(t, func(w *Writer) {
		w.Samples(32000, []int16{1, -1, 0x1234, -2})
		w.Samples(32000, []int16{7, 8})
	})
	if len(b) != 44+12 {
		t.Fatalf("file is %d bytes", len(b))
	}
	if r := binary.LittleEndian.Uint32(b[24:]); r != 32000 {
		t.Errorf("rate %d", r)
	}
	if n := binary.LittleEndian.Uint32(b[40:]); n != 12 {
		t.Errorf("data size %d", n)
	}
	if n := binary.LittleEndian.Uint32(b[4:]); n != 48 {
		t.Errorf("RIFF size %d", n)
	}
	if !bytes.Equal(b[44:], []byte{1, 0, 0xFF, 0xFF, 0x34, 0x12, 0xFE, 0xFF, 7, 0, 8, 0}) {
		t.Errorf("data % X", b[44:])
	}
}

// A rate change mid-run is resampled to the first rate: 200 frames at
// twice the rate become about 100.
func TestResample(t *testing.T) {
	var rw *Writer
	b := writeFile(t, func(w *Writer) {
		rw = w
		w.Samples(22050, []int16{100, 100})
		in := make([]int16, 400)
		for i := range in {
			in[i] = 100
		}
		w.Samples(44100, in)
	})
	if !rw.Resampled {
		t.Errorf("Resampled not reported")
	}
	frames := (len(b) - 44) / 4
	if frames < 99 || frames > 102 {
		t.Errorf("%d frames after resampling, want about 101", frames)
	}
	for i := 44; i+1 < len(b); i += 2 {
		if v := int16(binary.LittleEndian.Uint16(b[i:])); v != 100 {
			t.Fatalf("sample %d = %d, want 100 (constant input)", (i-44)/2, v)
		}
	}
}

func TestEmptyFile(t *testing.T) {
	b := writeFile(t, func(*Writer) {})
	h := Header(44100, 0)
	if !bytes.Equal(b, h[:]) {
		t.Errorf("empty file % X", b)
	}
}

var _ io.WriteSeeker = (*os.File)(nil)
