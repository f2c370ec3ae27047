package harness

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/internal/romtest"
	"github.com/n64go/n64/internal/wav"
)

// ntscVideoClock is the NTSC VI clock in Hz, from which the AI DAC runs at
// clock/(AI_DACRATE+1) (n64brew "Audio Interface"; 48.681812 MHz).
const ntscVideoClock = 48_681_812

// aiAddr and aiDACRate place AI_DACRATE on the bus (n64brew "Audio
// Interface": 0x0450_0010).
const (
	aiAddr    = 0x0450_0000
	aiDACRate = 0x10
)

// dacRateProbe sits between the bus and the AI and records the values the
// program writes to AI_DACRATE (its low 14 bits).
type dacRateProbe struct {
	memory.Device
	rates []uint32
}

func (p *dacRateProbe) Write32(paddr, value, mask uint32) {
	if paddr&0x1F == aiDACRate {
		p.rates = append(p.rates, value&mask&0x3FFF)
	}
	p.Device.Write32(paddr, value, mask)
}

// notSilent is the smallest peak this test counts as sound: 1/32 of full
// scale (-30 dBFS), far above rounding noise.
const notSilent = 1 << 10

// wavFile is what the test reads back from a WAV file's header and data.
type wavFile struct {
	rate, channels, bits int
	frames               int // sample frames (one sample per channel)
	peak                 int // largest |sample|
}

// readWAV parses a canonical 44-byte-header PCM WAV file.
func readWAV(t *testing.T, path string) wavFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 44 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" || string(b[12:16]) != "fmt " || string(b[36:40]) != "data" {
		t.Fatalf("%s: not a canonical WAV file (%d bytes)", path, len(b))
	}
	le := binary.LittleEndian
	if le.Uint16(b[20:]) != 1 {
		t.Fatalf("%s: format tag %d, want PCM", path, le.Uint16(b[20:]))
	}
	w := wavFile{channels: int(le.Uint16(b[22:])), rate: int(le.Uint32(b[24:])), bits: int(le.Uint16(b[34:]))}
	data := b[44:]
	if n := int(le.Uint32(b[40:])); n != len(data) {
		t.Fatalf("%s: data chunk says %d bytes, file has %d", path, n, len(data))
	}
	if w.channels != 2 || w.bits != 16 {
		t.Fatalf("%s: %d channels of %d bits, want 16-bit stereo", path, w.channels, w.bits)
	}
	w.frames = len(data) / 4
	for i := 0; i+1 < len(data); i += 2 {
		s := int(int16(le.Uint16(data[i:])))
		w.peak = max(w.peak, s, -s)
	}
	return w
}

// checkRate says what is wrong with a buffer playing at rate Hz after the
// AI_DACRATE writes in written ("" if nothing).
func checkRate(rate int, written []uint32) string {
	if len(written) == 0 {
		return fmt.Sprintf("samples at %d Hz before any AI_DACRATE write", rate)
	}
	d := written[len(written)-1]
	if want := ntscVideoClock / (int(d) + 1); rate != want {
		return fmt.Sprintf("a buffer plays at %d Hz; AI_DACRATE %d gives %d Hz", rate, d, want)
	}
	return ""
}

// TestKromSound runs every `sound` ROM of krom's manifest for its frame
// count with the audio written to a WAV file, as `n64 run --headless
// --wav` does. Each must produce sound (not silence) at the rate the ROM
// programmed: every buffer must play at the NTSC video clock divided by
// (AI_DACRATE+1), AI_DACRATE being the value the ROM wrote last, caught
// on the bus, and the WAV file must be at the first buffer's rate. It logs
// one line per ROM: name, WAV rate, duration, peak, the rates played and
// the AI_DACRATE values written. About 20 s of CPU time (it runs the
// ROMs in parallel).
func TestKromSound(t *testing.T) {
	kromDir, entries := kromManifest(t)
	entries = romtest.Filter(entries, "sound")
	if len(entries) == 0 {
		t.Fatal("no sound ROMs in krom's manifest")
	}
	t.Logf("%-40s %8s %8s %6s %s %s", "ROM", "rate Hz", "seconds", "peak", "rates played", "AI_DACRATE written")
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			t.Parallel()
			rom, err := cart.Load(filepath.Join(kromDir, e.ROM))
			if err != nil {
				t.Fatal(err)
			}
			m, err := core.New(rom, core.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			probe := &dacRateProbe{Device: m.AI}
			m.Bus.Map(aiAddr, aiAddr, probe)
			path := filepath.Join(t.TempDir(), "out.wav")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			out := wav.New(f)
			// Each buffer must play at the rate of the AI_DACRATE written
			// last before it started (krom's DoubleShot ROMs play their
			// sample at one rate, then at half of it).
			var rates []int
			var wrongRate string // the first buffer at a wrong rate
			m.SetAudioSink(func(rate int, stereo []int16) {
				if wrongRate == "" {
					wrongRate = checkRate(rate, probe.rates)
				}
				if len(rates) == 0 || rates[len(rates)-1] != rate {
					rates = append(rates, rate)
				}
				out.Samples(rate, stereo)
			})
			for i := 0; i < e.MaxFrames; i++ {
				if err := m.RunFrame(); err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
			}
			if err := out.Close(); err != nil {
				t.Fatal(err)
			}
			w := readWAV(t, path)
			t.Logf("%-40s %8d %8.2f %6d %v %v", e.Name(), w.rate, float64(w.frames)/float64(max(w.rate, 1)), w.peak, rates, slices.Compact(slices.Clone(probe.rates)))
			if len(rates) == 0 {
				t.Fatal("no audio")
			}
			if wrongRate != "" {
				t.Error(wrongRate)
			}
			// The file is at the first rate; later rates are resampled to it.
			if w.rate != rates[0] || out.Resampled != (len(rates) > 1) {
				t.Errorf("WAV at %d Hz (resampled %v) for buffers at %v Hz", w.rate, out.Resampled, rates)
			}
			if w.frames == 0 || w.peak < notSilent {
				t.Errorf("silence: %d sample frames, peak %d", w.frames, w.peak)
			}
		})
	}
}
