package io

import "testing"

// writeText stores s in the ISViewer buffer as big-endian words, as
// n64-systemtest's isviewer.rs does, through the CPU path (Cart).
func writeText(c *Cart, s string) {
	b := []byte(s)
	for i := 0; i < len(b); i += 4 {
		var w uint32
		for j := 0; j < 4; j++ {
			w <<= 8
			if i+j < len(b) {
				w |= uint32(b[i+j])
			}
		}
		c.Write32(isvBase+ISVBuffer+uint32(i), w, 0xFFFF_FFFF)
	}
}

func TestISViewerOutput(t *testing.T) {
	tests := []struct {
		name, text string
		length     uint32
		want       string
	}{
		{"whole message", "Finished in 1.23s.\n", 19, "Finished in 1.23s.\n"},
		{"length shorter than the words written", "Test 'x' failed", 4, "Test"},
		{"odd length", "abcdefg", 7, "abcdefg"},
		{"full 512-byte buffer", string(make512()), 512, string(make512())},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, p := newPIRig()
			var got []string
			p.Cart.ISViewer.Output = func(b []byte) { got = append(got, string(b)) }
			writeText(p.Cart, tc.text)
			if len(got) != 0 {
				t.Fatal("output before the length write")
			}
			p.Cart.Write32(isvBase+ISVLength, tc.length, 0xFFFF_FFFF)
			if len(got) != 1 || got[0] != tc.want {
				t.Fatalf("output %q, want %q", got, tc.want)
			}
		})
	}
}

func make512() []byte {
	b := make([]byte, 512)
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	return b
}

func TestISViewerReadBack(t *testing.T) {
	_, p := newPIRig()
	p.Cart.Write32(isvBase, 0x49533634, 0xFFFF_FFFF) // 'IS64'
	writeText(p.Cart, "hi!!")
	// No write latch for the ISViewer: writes follow each other freely.
	if got := p.Cart.Read32(isvBase); got != 0x49533634 {
		t.Errorf("magic reads %#x, want 'IS64'", got)
	}
	if got := p.Cart.Read32(isvBase + ISVBuffer); got != 0x68692121 {
		t.Errorf("buffer reads %#x, want 'hi!!'", got)
	}
	// A nil Output drops the message without failing.
	p.Cart.Write32(isvBase+ISVLength, 4, 0xFFFF_FFFF)
}

// PI DMA RDRAM → ISViewer works like CPU writes (libultra's osPiStartDma).
func TestISViewerDMA(t *testing.T) {
	r, p := newPIRig()
	var got string
	p.Cart.ISViewer.Output = func(b []byte) { got = string(b) }
	copy(r.bus.RDRAM[0x3000:], "DMA text")
	p.write(PIDRAMAddr, 0x3000)
	p.write(PICartAddr, isvBase+ISVBuffer)
	p.write(PIRdLen, 7)
	r.runTo(10_000)
	p.Cart.Write32(isvBase+ISVLength, 8, 0xFFFF_FFFF)
	if got != "DMA text" {
		t.Fatalf("output %q", got)
	}
}

// A ROM reaching into 0x13FF_0000 keeps the window (ares does the same).
func TestISViewerDisabledByLargeROM(t *testing.T) {
	r := newRig()
	rom := make([]byte, isvROMLimit+0x10000)
	put32(rom, isvBase-0x1000_0000, 0x01020304)
	p := NewPI(r.s, r.mi, r.bus, rom)
	called := false
	p.Cart.ISViewer.Output = func([]byte) { called = true }
	p.Cart.Write32(isvBase+ISVLength, 4, 0xFFFF_FFFF)
	r.runTo(10_000)
	if called {
		t.Error("ISViewer active over ROM")
	}
	if got := p.Cart.Read32(isvBase); got != 0x01020304 {
		t.Errorf("window reads %#x, want the ROM", got)
	}
}
