package pif

import (
	"bytes"
	"testing"

	"github.com/n64go/n64/core/state"
)

// script is an InputSource that records its calls and answers a fixed
// reading per port.
type script struct {
	in    [NumPorts]Input
	calls []int
}

func (s *script) Input(port int) Input {
	s.calls = append(s.calls, port)
	return s.in[port]
}

// block builds a PIF RAM image: the given leading bytes, zeros after, and
// the control byte.
func block(control byte, b ...byte) *[RAMSize]byte {
	var r [RAMSize]byte
	copy(r[:], b)
	r[controlByte] = control
	return &r
}

// exchange does what libultra's osContStartReadData/GetReadData pair does:
// SI write of the block with control 0x01, then SI read.
func exchange(p *PIF, ram *[RAMSize]byte) [RAMSize]byte {
	p.DMAWrite(ram)
	var out [RAMSize]byte
	p.DMARead(&out)
	return out
}

func TestJoybusCommands(t *testing.T) {
	in := [NumPorts]Input{
		{Buttons: ButtonA | ButtonStart | CLeft, X: 0x12, Y: -3},
		{Buttons: ButtonB | DDown, X: -128, Y: 127},
		{Buttons: ButtonZ | ButtonL | ButtonR, X: 5, Y: 6},
		{Buttons: DUp | CRight, X: -1, Y: 1},
	}
	tests := []struct {
		name    string
		plugged [NumPorts]bool
		ram     *[RAMSize]byte
		want    []byte // expected PIF RAM bytes after the read, from wantAt
		wantAt  int
		calls   []int // InputSource calls, in order
	}{
		{
			// n64brew "Joybus Protocol" 0x00: standard controller 0x0500,
			// status 0x02 = no pak.
			name:    "status port 0",
			plugged: [NumPorts]bool{true},
			ram:     block(0x01, 0x01, 0x03, 0x00, 0xFF, 0xFF, 0xFF, 0xFE),
			want:    []byte{0x01, 0x03, 0x00, 0x05, 0x00, 0x02, 0xFE},
		},
		{
			name:    "reset+status 0xFF answers like status",
			plugged: [NumPorts]bool{true},
			ram:     block(0x01, 0x01, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE),
			want:    []byte{0x01, 0x03, 0xFF, 0x05, 0x00, 0x02, 0xFE},
		},
		{
			// 0x01 answers buttons high, low, stick X, stick Y.
			name:    "read buttons port 0",
			plugged: [NumPorts]bool{true},
			ram:     block(0x01, 0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE),
			want:    []byte{0x01, 0x04, 0x01, 0x90, 0x02, 0x12, 0xFD, 0xFE},
			calls:   []int{0},
		},
		{
			// The layout from n64brew's joybus notes (iQue padding byte
			// first): 0xFF is skipped without using up a channel.
			name:    "nop padding",
			plugged: [NumPorts]bool{true},
			ram:     block(0x01, 0xFF, 0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE),
			want:    []byte{0xFF, 0x01, 0x04, 0x01, 0x90, 0x02, 0x12, 0xFD, 0xFE},
			calls:   []int{0},
		},
		{
			// Nothing in port 1: the PIF sets 0x80 in the RX byte and
			// leaves the RX bytes alone.
			name:    "empty port gets no-device flag",
			plugged: [NumPorts]bool{true},
			ram: block(0x01,
				0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF,
				0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE),
			want: []byte{
				0x01, 0x04, 0x01, 0x90, 0x02, 0x12, 0xFD,
				0x01, 0x84, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE},
			calls: []int{0},
		},
		{
			name:    "status of empty port",
			plugged: [NumPorts]bool{},
			ram:     block(0x01, 0x01, 0x03, 0x00, 0xAA, 0xBB, 0xCC, 0xFE),
			want:    []byte{0x01, 0x83, 0x00, 0xAA, 0xBB, 0xCC, 0xFE},
		},
		{
			// Each 0x00 moves to the next channel: this block is port 2's.
			name:    "skip bytes select the channel",
			plugged: [NumPorts]bool{true, true, true, true},
			ram:     block(0x01, 0x00, 0x00, 0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE),
			want:    []byte{0x00, 0x00, 0x01, 0x04, 0x01, 0x20, 0x30, 0x05, 0x06, 0xFE},
			calls:   []int{2},
		},
		{
			name:    "all four ports in order",
			plugged: [NumPorts]bool{true, true, true, true},
			ram: block(0x01,
				0x01, 0x04, 0x01, 0, 0, 0, 0,
				0x01, 0x04, 0x01, 0, 0, 0, 0,
				0x01, 0x04, 0x01, 0, 0, 0, 0,
				0x01, 0x04, 0x01, 0, 0, 0, 0, 0xFE),
			want: []byte{
				0x01, 0x04, 0x01, 0x90, 0x02, 0x12, 0xFD,
				0x01, 0x04, 0x01, 0x44, 0x00, 0x80, 0x7F,
				0x01, 0x04, 0x01, 0x20, 0x30, 0x05, 0x06,
				0x01, 0x04, 0x01, 0x08, 0x01, 0xFF, 0x01, 0xFE},
			calls: []int{0, 1, 2, 3},
		},
		{
			// 0xFE ends the command list: nothing after it runs.
			name:    "0xFE ends processing",
			plugged: [NumPorts]bool{true},
			ram:     block(0x01, 0xFE, 0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF),
			want:    []byte{0xFE, 0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF},
		},
		{
			name:    "0xFE after port 0 leaves port 1 idle",
			plugged: [NumPorts]bool{true, true},
			ram: block(0x01,
				0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
				0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF),
			want: []byte{
				0x01, 0x04, 0x01, 0x90, 0x02, 0x12, 0xFD, 0xFE,
				0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF},
			calls: []int{0},
		},
		{
			// TX bit 7 skips the channel, bit 6 resets it; neither runs
			// the command.
			name:    "TX skip and reset flags",
			plugged: [NumPorts]bool{true, true},
			ram: block(0x01,
				0x81, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF,
				0x41, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE),
			want: []byte{
				0x81, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF,
				0x41, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE},
		},
		{
			// 0xFD resets channel 0 and moves on: the block is port 1's.
			name:    "0xFD channel reset",
			plugged: [NumPorts]bool{true, true},
			ram:     block(0x01, 0xFD, 0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE),
			want:    []byte{0xFD, 0x01, 0x04, 0x01, 0x44, 0x00, 0x80, 0x7F, 0xFE},
			calls:   []int{1},
		},
		{
			// Channel 4 is the cartridge: this one has no EEPROM.
			name:    "cartridge channel has no device",
			plugged: [NumPorts]bool{true, true, true, true},
			ram:     block(0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x00, 0xFF, 0xFF, 0xFF, 0xFE),
			want:    []byte{0x00, 0x00, 0x00, 0x00, 0x01, 0x83, 0x00, 0xFF, 0xFF, 0xFF, 0xFE},
		},
		{
			// The device sends 4 bytes, RX asks for 2: two are stored and
			// the overrun flag 0x40 is set. It is still one input event.
			name:    "RX shorter than the answer",
			plugged: [NumPorts]bool{true},
			ram:     block(0x01, 0x01, 0x02, 0x01, 0xFF, 0xFF, 0xFE),
			want:    []byte{0x01, 0x42, 0x01, 0x90, 0x02, 0xFE},
			calls:   []int{0},
		},
		{
			name:    "unknown command gets no answer",
			plugged: [NumPorts]bool{true},
			ram:     block(0x01, 0x01, 0x01, 0x04, 0xEE, 0xFE),
			want:    []byte{0x01, 0x81, 0x04, 0xEE, 0xFE},
		},
		{
			// A block that would reach the control byte is not run (its
			// RX byte keeps no flag); one ending just before it is.
			name:    "block overlapping the control byte",
			plugged: [NumPorts]bool{true},
			ram: func() *[RAMSize]byte {
				r := block(0x01)
				for i := 0; i < 58; i++ {
					r[i] = 0xFF
				}
				r[58], r[59], r[60] = 0x01, 0x04, 0x01
				return r
			}(),
			want:   []byte{0x01, 0x04, 0x01, 0x00, 0x00},
			wantAt: 58,
		},
		{
			name:    "block ending just before the control byte",
			plugged: [NumPorts]bool{true},
			ram: func() *[RAMSize]byte {
				r := block(0x01)
				for i := 0; i < 56; i++ {
					r[i] = 0xFF
				}
				r[56], r[57], r[58] = 0x01, 0x04, 0x01
				return r
			}(),
			want:   []byte{0x01, 0x04, 0x01, 0x90, 0x02, 0x12, 0xFD},
			wantAt: 56,
			calls:  []int{0},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := New()
			for i, pl := range tc.plugged {
				p.SetPlugged(i, pl)
			}
			src := &script{in: in}
			p.SetInput(src)
			out := exchange(p, tc.ram)
			got := out[tc.wantAt : tc.wantAt+len(tc.want)]
			if !bytes.Equal(got, tc.want) {
				t.Errorf("RAM[%d:] after read:\n got % X\nwant % X", tc.wantAt, got, tc.want)
			}
			if out[controlByte] != 0 {
				t.Errorf("control byte = %#02x, want 0x01 cleared", out[controlByte])
			}
			if !equalInts(src.calls, tc.calls) {
				t.Errorf("InputSource calls %v, want %v", src.calls, tc.calls)
			}
			var want [NumPorts]uint64
			for _, c := range tc.calls {
				want[c]++
			}
			if p.ReadsByPort != want {
				t.Errorf("ReadsByPort = %v, want %v", p.ReadsByPort, want)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The setup parsed at the configure write stays in force: every later SI
// read runs it again (games poll by reading only), with lengths and flags
// read afresh, and each run is one more input event.
func TestJoybusRepeatedReads(t *testing.T) {
	p := New()
	src := &script{in: [NumPorts]Input{{Buttons: ButtonB, X: 1, Y: 2}}}
	p.SetInput(src)
	p.SetPlugged(1, true)
	ram := block(0x01,
		0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF,
		0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE)
	exchange(p, ram)

	// Unplug port 1: its next read reports no device, port 0 still reads.
	p.SetPlugged(1, false)
	src.in[0] = Input{Buttons: ButtonA}
	var out [RAMSize]byte
	p.DMARead(&out)
	if got := out[:4]; !bytes.Equal(got, []byte{0x01, 0x04, 0x01, 0x80}) {
		t.Errorf("port 0 block after second read = % X", got)
	}
	if out[8] != 0x84 {
		t.Errorf("port 1 RX byte = %#02x, want 0x84", out[8])
	}
	// Plug it back: the stale 0x80 flag goes away.
	p.SetPlugged(1, true)
	p.DMARead(&out)
	if out[8] != 0x04 {
		t.Errorf("port 1 RX byte after replug = %#02x, want 0x04", out[8])
	}
	if p.ReadsByPort != [NumPorts]uint64{3, 2, 0, 0} {
		t.Errorf("ReadsByPort = %v, want [3 2 0 0]", p.ReadsByPort)
	}
	if !equalInts(src.calls, []int{0, 1, 0, 0, 1}) {
		t.Errorf("calls = %v", src.calls)
	}

	// A write without the 0x01 bit keeps the setup but its new bytes are
	// used: turn port 0's read into a status request in place.
	ram2 := out
	ram2[1], ram2[2] = 0x03, 0x00
	ram2[controlByte] = 0
	p.DMAWrite(&ram2)
	p.DMARead(&out)
	if got := out[:6]; !bytes.Equal(got, []byte{0x01, 0x03, 0x00, 0x05, 0x00, 0x02}) {
		t.Errorf("rewritten block = % X", got)
	}
}

// With nothing in the accessory port, a controller answers pak reads and
// writes with the data CRC inverted (libdragon: CRC == ~expected means
// "no accessory"). Expected CRCs for 32 repeated bytes come from cube64's
// table of such answers (as used in HOJA's joybus backend): 0x00→0xFF,
// 0x01→0x14, 0x02→0xAC, 0x10→0xE8, 0x20→0xD1.
func TestPakWithoutPak(t *testing.T) {
	for _, tc := range []struct {
		fill, want byte
	}{{0x00, 0xFF}, {0x01, 0x14}, {0x02, 0xAC}, {0x10, 0xE8}, {0x20, 0xD1}} {
		p := New()
		b := []byte{0x23, 0x01, jbPakWrite, 0xC0, 0x1B}
		for range 32 {
			b = append(b, tc.fill)
		}
		b = append(b, 0xEE, 0xFE)
		out := exchange(p, block(0x01, b...))
		if out[1] != 0x01 || out[37] != tc.want {
			t.Errorf("pak write of %#02x: RX byte %#02x CRC %#02x, want 0x01 %#02x", tc.fill, out[1], out[37], tc.want)
		}
	}

	p := New()
	b := []byte{0x03, 0x21, jbPakRead, 0x80, 0x01}
	for range 33 {
		b = append(b, 0x55)
	}
	b = append(b, 0xFE)
	out := exchange(p, block(0x01, b...))
	if out[1] != 0x21 {
		t.Errorf("pak read RX byte = %#02x, want 0x21", out[1])
	}
	for i := 5; i < 37; i++ {
		if out[i] != 0 {
			t.Fatalf("pak read data[%d] = %#02x, want 0", i-5, out[i])
		}
	}
	if out[37] != 0xFF {
		t.Errorf("pak read CRC = %#02x, want 0xFF (inverted CRC of zeros)", out[37])
	}
	if p.ReadsByPort != [NumPorts]uint64{} {
		t.Errorf("pak commands counted as input events: %v", p.ReadsByPort)
	}
}

func TestNilInputSource(t *testing.T) {
	p := New()
	out := exchange(p, block(0x01, 0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE))
	if got := out[3:7]; !bytes.Equal(got, []byte{0, 0, 0, 0}) {
		t.Errorf("no source: read = % X, want 00 00 00 00", got)
	}
	if p.ReadsByPort[0] != 1 {
		t.Errorf("ReadsByPort[0] = %d, want 1", p.ReadsByPort[0])
	}
}

// CPU loads and stores reach PIF RAM at 0x1FC0_07C0-0x1FC0_07FF, big-endian;
// the ROM area reads 0 after boot; the 2 KiB window mirrors.
func TestCPUAccess(t *testing.T) {
	p := New()
	for i := range p.ram {
		p.ram[i] = byte(i)
	}
	p.ram[controlByte] = 0
	reads := []struct {
		addr, want uint32
	}{
		{0x1FC0_07C0, 0x00010203},
		{0x1FC0_07C4, 0x04050607},
		{0x1FC0_07E4, 0x24252627},
		{0x1FC0_07FC, 0x3C3D3E00},
		{0x1FC0_07C2, 0x00010203}, // the word containing the address
		{0x1FC0_0000, 0},          // PIF ROM: locked out
		{0x1FC0_07BC, 0},
		{0x1FC0_0FC4, 0x04050607}, // mirror
	}
	for _, r := range reads {
		if got := p.Read32(r.addr); got != r.want {
			t.Errorf("Read32(%#x) = %#08x, want %#08x", r.addr, got, r.want)
		}
	}

	p.Write32(0x1FC0_07C8, 0xAABBCCDD, 0xFFFF_FFFF)
	p.Write32(0x1FC0_07CC, 0x0000EE00, 0x0000FF00)  // SB to 0x7CE
	p.Write32(0x1FC0_0000, 0x12345678, 0xFFFF_FFFF) // ROM: dropped
	writes := []struct {
		addr, want uint32
	}{
		{0x1FC0_07C8, 0xAABBCCDD},
		{0x1FC0_07CC, 0x0C0DEE0F},
		{0x1FC0_0000, 0},
	}
	for _, w := range writes {
		if got := p.Read32(w.addr); got != w.want {
			t.Errorf("after writes Read32(%#x) = %#08x, want %#08x", w.addr, got, w.want)
		}
	}
}

// The IPL3 ends the boot by setting 0x08 in the control byte; the PIF
// then clears the byte. Later writes of 0x08 are kept as written.
func TestBootDone(t *testing.T) {
	p := New()
	p.Write32(0x1FC0_07FC, 0x08, 0xFF)
	if c := p.RAM()[controlByte]; c != 0 || !p.bootDone {
		t.Fatalf("after boot-done write: control %#02x bootDone %v, want 0 true", c, p.bootDone)
	}
	p.Write32(0x1FC0_07FC, 0x08, 0xFF)
	if c := p.RAM()[controlByte]; c != 0x08 {
		t.Errorf("second 0x08 write: control %#02x, want 0x08 kept", c)
	}
}

// A CPU store of the control byte with 0x01 configures like an SI write.
func TestCPUConfigure(t *testing.T) {
	p := New()
	copy(p.RAM()[:], []byte{0x01, 0x03, 0x00, 0xFF, 0xFF, 0xFF, 0xFE})
	p.Write32(0x1FC0_07FC, 0x01, 0xFF)
	var out [RAMSize]byte
	p.DMARead(&out)
	if got := out[:6]; !bytes.Equal(got, []byte{0x01, 0x03, 0x00, 0x05, 0x00, 0x02}) {
		t.Errorf("status via CPU configure = % X", got)
	}
}

func TestChallengeBitSkipsJoybus(t *testing.T) {
	p := New()
	p.DMAWrite(block(0x01, 0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE))
	ram := *p.RAM()
	ram[controlByte] = ctlChallenge
	p.DMAWrite(&ram)
	var out [RAMSize]byte
	p.DMARead(&out)
	if p.ReadsByPort[0] != 0 || out[3] != 0xFF {
		t.Errorf("joybus ran while the challenge bit was set")
	}
}

func TestSetPluggedRange(t *testing.T) {
	p := New()
	p.SetPlugged(-1, true)
	p.SetPlugged(4, true)
	if p.plugged != [NumPorts]bool{true} {
		t.Errorf("plugged = %v", p.plugged)
	}
	if !p.Plugged(0) || p.Plugged(1) || p.Plugged(9) {
		t.Errorf("Plugged wrong")
	}
}

func TestSerializeRoundTrip(t *testing.T) {
	p := New()
	p.SetPlugged(2, true)
	exchange(p, block(0x01, 0xFD, 0x00, 0x01, 0x04, 0x01, 0, 0, 0, 0, 0xFE))
	p.Write32(0x1FC0_07FC, 0x08, 0xFF)

	w := state.NewWriter()
	p.Serialize(w)
	q := &PIF{}
	r := state.NewReader(w.Bytes())
	q.Serialize(r)
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
	if q.ram != p.ram || q.chans != p.chans || q.plugged != p.plugged ||
		q.bootDone != p.bootDone || q.ReadsByPort != p.ReadsByPort {
		t.Errorf("round trip differs:\n%+v\n%+v", q, p)
	}
	w2 := state.NewWriter()
	q.Serialize(w2)
	if !bytes.Equal(w.Bytes(), w2.Bytes()) {
		t.Error("re-serialized state differs")
	}
}

func TestConfigurePure(t *testing.T) {
	ram := block(0,
		0xFF, 0x00, 0xFD, 0x01, 0x03, 0x00, 0, 0, 0, 0x01, 0x04, 0x01, 0, 0, 0, 0, 0xFE)
	got := configure(ram)
	want := [numChannels]channel{
		{},
		{reset: true},
		{offset: 3, active: true},
		{offset: 9, active: true},
		{},
	}
	if got != want {
		t.Errorf("configure = %+v, want %+v", got, want)
	}
}

// Any RAM contents: processing never panics, only answers plugged ports,
// and counts one event per InputSource call.
func FuzzJoybus(f *testing.F) {
	f.Add(block(0x01, 0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE)[:])
	f.Add(block(0x01, 0xFF, 0x00, 0xFD, 0x23, 0x01, 0x03)[:])
	f.Fuzz(func(t *testing.T, data []byte) {
		var ram [RAMSize]byte
		copy(ram[:], data)
		p := New()
		p.SetPlugged(2, true)
		src := &script{}
		p.SetInput(src)
		p.DMAWrite(&ram)
		var out [RAMSize]byte
		p.DMARead(&out)
		p.DMARead(&out)
		var n uint64
		for port, c := range p.ReadsByPort {
			if c != 0 && !p.plugged[port] {
				t.Fatalf("input event on empty port %d", port)
			}
			n += c
		}
		if n != uint64(len(src.calls)) {
			t.Fatalf("%d events counted, %d calls", n, len(src.calls))
		}
	})
}
