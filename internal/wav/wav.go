// Package wav writes 16-bit stereo PCM WAV files (RIFF/WAVE, format tag 1)
// of the machine's audio output, for `n64 run --wav`.
package wav

import (
	"encoding/binary"
	"errors"
	"io"
)

// headerSize is the size of the canonical 44-byte header: "RIFF" size
// "WAVE", a 16-byte "fmt " chunk, then the "data" chunk header.
const headerSize = 44

// Header returns the 44-byte header of a 16-bit stereo PCM file at rate Hz
// with dataBytes bytes of samples.
func Header(rate int, dataBytes uint32) [headerSize]byte {
	var h [headerSize]byte
	le := binary.LittleEndian
	copy(h[0:], "RIFF")
	le.PutUint32(h[4:], 36+dataBytes) // file size minus the first 8 bytes
	copy(h[8:], "WAVE")
	copy(h[12:], "fmt ")
	le.PutUint32(h[16:], 16)             // fmt chunk size
	le.PutUint16(h[20:], 1)              // PCM
	le.PutUint16(h[22:], 2)              // channels
	le.PutUint32(h[24:], uint32(rate))   // sample rate
	le.PutUint32(h[28:], uint32(rate)*4) // byte rate: rate × 2 channels × 2 bytes
	le.PutUint16(h[32:], 4)              // block align
	le.PutUint16(h[34:], 16)             // bits per sample
	copy(h[36:], "data")
	le.PutUint32(h[40:], dataBytes)
	return h
}

// Writer streams samples into a WAV file. The file's rate is the rate of
// the first samples; later samples at another rate (a game changing
// AI_DACRATE) are resampled to it by linear interpolation, and Resampled
// reports that it happened. Close writes the final sizes into the header.
type Writer struct {
	w       io.WriteSeeker
	rate    int
	bytes   uint64
	started bool
	err     error
	buf     []byte

	// resampling state: position of the next output sample in input
	// samples of the current rate, as a fraction pos/rate·outRate, and the
	// previous input frame for interpolation.
	srcRate   int
	phase     uint64 // in units of 1/file-rate of an input sample
	prev      [2]int16
	havePrev  bool
	Resampled bool
}

// maxData is the largest data chunk a RIFF header can describe.
const maxData = 1<<32 - 1 - 36

// New returns a Writer on w (a file); nothing is written until the first
// samples arrive.
func New(w io.WriteSeeker) *Writer { return &Writer{w: w} }

// Samples takes interleaved left/right samples at rate Hz (the core's
// AudioSink signature).
func (w *Writer) Samples(rate int, stereo []int16) {
	if w.err != nil || rate <= 0 || len(stereo) < 2 {
		return
	}
	if !w.started {
		w.started, w.rate, w.srcRate = true, rate, rate
		h := Header(rate, 0)
		if _, w.err = w.w.Write(h[:]); w.err != nil {
			return
		}
	}
	if rate != w.srcRate {
		w.srcRate = rate
		w.phase = 0
	}
	w.buf = w.buf[:0]
	if rate == w.rate && !w.Resampled {
		for _, s := range stereo[:len(stereo)&^1] {
			w.buf = binary.LittleEndian.AppendUint16(w.buf, uint16(s))
		}
	} else {
		w.Resampled = true
		w.resample(rate, stereo)
	}
	w.write()
}

// resample appends stereo (at rate) converted to the file rate. Output
// sample k of this stream lies at input position k·rate/fileRate; phase
// counts that position in units of 1/fileRate input samples, starting
// between the previous buffer's last frame (index -1) and this one's first.
func (w *Writer) resample(rate int, stereo []int16) {
	n := len(stereo) / 2
	frame := func(i int) [2]int16 {
		if i < 0 {
			if w.havePrev {
				return w.prev
			}
			return [2]int16{stereo[0], stereo[1]}
		}
		return [2]int16{stereo[2*i], stereo[2*i+1]}
	}
	out := uint64(w.rate)
	for {
		idx := int(w.phase/out) - 1 // the frame at or before the position
		if idx+1 >= n {
			break
		}
		frac := int64(w.phase % out)
		a, b := frame(idx), frame(idx+1)
		for c := 0; c < 2; c++ {
			v := int64(a[c]) + (int64(b[c])-int64(a[c]))*frac/int64(out)
			w.buf = binary.LittleEndian.AppendUint16(w.buf, uint16(int16(v)))
		}
		w.phase += uint64(rate)
	}
	w.phase -= uint64(n) * out
	w.prev, w.havePrev = frame(n-1), true
}

func (w *Writer) write() {
	if w.bytes+uint64(len(w.buf)) > maxData {
		w.err = errors.New("wav: more than 4 GiB of audio")
		return
	}
	_, w.err = w.w.Write(w.buf)
	w.bytes += uint64(len(w.buf))
}

// Rate is the file's sample rate (0 before any samples).
func (w *Writer) Rate() int { return w.rate }

// Close finishes the header. A run without audio gives a valid empty file
// at 44100 Hz.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if !w.started {
		w.rate = 44100
	}
	h := Header(w.rate, uint32(w.bytes))
	if _, err := w.w.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := w.w.Write(h[:])
	return err
}
