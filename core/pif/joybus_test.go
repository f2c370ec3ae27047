package pif

import (
	"bytes"
	"testing"
)

// The command table of n64brew "Joybus Protocol" (command, TX bytes, RX
// bytes): 0xFF reset & info 1/3, 0x00 info 1/3, 0x01 controller state 1/4,
// 0x02 read accessory 3/33, 0x03 write accessory 35/1, 0x04 read EEPROM
// block 2/8, 0x05 write EEPROM block 10/1. Its info table: controller
// 0x0500 with status 0x01 pak installed, 0x02 none, 0x04 "CRC error in
// previous command"; EEPROM 0x0080 (4 Kbit) and 0x00C0 (16 Kbit) with
// status 0x80 "write in progress". Devices answer only commands they
// know ("official controllers or devices will not understand them"), and
// n64brew "PIF-NUS" / "Serial Interface": the PIF sets 0x80 in a block's
// RX length byte when nothing answered and 0x40 when the device sent more
// bytes than RX asked for.

// joybusCase is one exchange: the devices, the PIF RAM sent (with control
// byte 0x01), and the bytes expected back from offset at.
type joybusCase struct {
	name  string
	setup func(p *PIF)
	ram   []byte
	at    int
	want  []byte
	check func(t *testing.T, p *PIF) // further expectations, or nil
}

func runJoybusCases(t *testing.T, cases []joybusCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := New()
			p.SetInput(&script{in: [NumPorts]Input{{Buttons: ButtonA, X: 1, Y: 2}}})
			if tc.setup != nil {
				tc.setup(p)
			}
			out := exchange(p, block(0x01, tc.ram...))
			if got := out[tc.at : tc.at+len(tc.want)]; !bytes.Equal(got, tc.want) {
				t.Errorf("RAM[%d:] = % X, want % X", tc.at, got, tc.want)
			}
			if tc.check != nil {
				tc.check(t, p)
			}
		})
	}
}

// Channel 4 prefix: four 0x00 bytes skip the controller channels.
func cart(b ...byte) []byte { return append([]byte{0, 0, 0, 0}, b...) }

func withEEPROM(size int) func(*PIF) {
	return func(p *PIF) {
		mem := make([]byte, size)
		for i := range mem {
			mem[i] = byte(i)
		}
		p.SetEEPROM(mem)
	}
}

func TestJoybusEveryCommand(t *testing.T) {
	runJoybusCases(t, []joybusCase{
		{name: "0xFF reset & info, controller", ram: []byte{0x01, 0x03, 0xFF, 0, 0, 0, 0xFE},
			want: []byte{0x01, 0x03, 0xFF, 0x05, 0x00, 0x02}},
		{name: "0x00 info, controller with pak", setup: func(p *PIF) { p.SetPak(0, PakController, nil) },
			ram: []byte{0x01, 0x03, 0x00, 0, 0, 0, 0xFE}, want: []byte{0x01, 0x03, 0x00, 0x05, 0x00, 0x01}},
		{name: "0x01 controller state", ram: []byte{0x01, 0x04, 0x01, 0, 0, 0, 0, 0xFE},
			want: []byte{0x01, 0x04, 0x01, 0x80, 0x00, 0x01, 0x02}},
		{name: "0x02 read accessory", setup: func(p *PIF) {
			p.SetPak(0, PakController, nil)
			copy(p.Mempak(0)[0x20:], bytes.Repeat([]byte{0x01}, 32))
		}, ram: append([]byte{0x03, 0x21, 0x02, 0x00, 0x20 | addrCRC(0x20)}, make([]byte, 33)...), at: 35,
			want: []byte{0x01, 0x01, 0xEB}}, // last data bytes, then the CRC of 32×0x01 (TestDataCRC)
		{name: "0x03 write accessory", setup: func(p *PIF) { p.SetPak(0, PakController, nil) },
			ram: append(append([]byte{0x23, 0x01, 0x03, 0x00, 0x40 | addrCRC(0x40)}, bytes.Repeat([]byte{0x01}, 32)...), 0, 0xFE),
			at:  37, want: []byte{0xEB},
			check: func(t *testing.T, p *PIF) {
				if !bytes.Equal(p.Mempak(0)[0x40:0x60], bytes.Repeat([]byte{1}, 32)) {
					t.Error("pak not written")
				}
			}},
		{name: "0xFF reset & info, 4 Kbit EEPROM", setup: withEEPROM(EEPROM4KSize),
			ram: cart(0x01, 0x03, 0xFF, 0, 0, 0, 0xFE), at: 4, want: []byte{0x01, 0x03, 0xFF, 0x00, 0x80, 0x00}},
		{name: "0x00 info, 16 Kbit EEPROM", setup: withEEPROM(EEPROM16KSize),
			ram: cart(0x01, 0x03, 0x00, 0, 0, 0, 0xFE), at: 4, want: []byte{0x01, 0x03, 0x00, 0x00, 0xC0, 0x00}},
		{name: "0x04 read EEPROM block", setup: withEEPROM(EEPROM4KSize),
			ram: cart(0x02, 0x08, 0x04, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0xFE), at: 8,
			want: []byte{24, 25, 26, 27, 28, 29, 30, 31, 0xFE}},
		{name: "0x05 write EEPROM block", setup: withEEPROM(EEPROM16KSize),
			ram: cart(0x0A, 0x01, 0x05, 0xFF, 9, 8, 7, 6, 5, 4, 3, 2, 0xAA, 0xFE), at: 4,
			want: []byte{0x0A, 0x01, 0x05, 0xFF, 9, 8, 7, 6, 5, 4, 3, 2, 0x00, 0xFE},
			check: func(t *testing.T, p *PIF) {
				if got := p.EEPROM()[2040:2048]; !bytes.Equal(got, []byte{9, 8, 7, 6, 5, 4, 3, 2}) {
					t.Errorf("block 255 = % X", got)
				}
			}},
	})
}

// Nothing plugged, or a device that does not know the command: no answer,
// the RX byte gets 0x80 and the RX bytes keep what was there.
func TestJoybusAbsentDevices(t *testing.T) {
	empty := func(p *PIF) { p.SetPlugged(0, false) }
	runJoybusCases(t, []joybusCase{
		{name: "reset & info, empty port", setup: empty, ram: []byte{0x01, 0x03, 0xFF, 0xAA, 0xBB, 0xCC, 0xFE},
			want: []byte{0x01, 0x83, 0xFF, 0xAA, 0xBB, 0xCC}},
		{name: "pak read, empty port (not the no-pak answer)", setup: empty,
			ram: append([]byte{0x03, 0x21, 0x02, 0x80, 0x01}, bytes.Repeat([]byte{0x55}, 33)...), at: 1,
			want: []byte{0xA1, 0x02, 0x80, 0x01, 0x55}},
		{name: "pak write, empty port", setup: empty,
			ram: append(append([]byte{0x23, 0x01, 0x03, 0xC0, 0x1B}, make([]byte, 32)...), 0x77, 0xFE), at: 37,
			want: []byte{0x77}},
		{name: "EEPROM read, no EEPROM", ram: cart(0x02, 0x08, 0x04, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 0xFE), at: 4,
			want: []byte{0x02, 0x88, 0x04, 0x00, 1, 2, 3, 4, 5, 6, 7, 8}},
		{name: "EEPROM write, no EEPROM", ram: cart(0x0A, 0x01, 0x05, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 0x66, 0xFE), at: 5,
			want: []byte{0x81}},
		{name: "EEPROM command to a controller", ram: []byte{0x02, 0x08, 0x04, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 0xFE},
			want: []byte{0x02, 0x88, 0x04, 0x00, 1, 2}},
		{name: "controller command to the EEPROM", setup: withEEPROM(EEPROM4KSize),
			ram: cart(0x01, 0x04, 0x01, 9, 9, 9, 9, 0xFE), at: 4, want: []byte{0x01, 0x84, 0x01, 9, 9, 9, 9}},
		{name: "RTC info (0x06) to a cartridge without RTC", setup: withEEPROM(EEPROM4KSize),
			ram: cart(0x01, 0x03, 0x06, 0, 0, 0, 0xFE), at: 4, want: []byte{0x01, 0x83, 0x06}},
		{name: "pak command to a controller without pak: inverted CRC", ram: append([]byte{0x03, 0x21, 0x02, 0x00, 0x00}, make([]byte, 33)...),
			at: 1, want: []byte{0x21}, check: func(t *testing.T, p *PIF) {
				if c := p.RAM()[37]; c != 0xFF {
					t.Errorf("CRC %#02x, want 0xFF, the inverted CRC of zeros", c)
				}
			}},
	})
}

// PIF RAM that does not describe well-formed blocks.
func TestJoybusMalformedRAM(t *testing.T) {
	full := func(b byte) []byte { return bytes.Repeat([]byte{b}, RAMSize-1) }
	noInput := func(t *testing.T, p *PIF) {
		if p.ReadsByPort != [NumPorts]uint64{} {
			t.Errorf("input events %v", p.ReadsByPort)
		}
	}
	runJoybusCases(t, []joybusCase{
		{name: "all zeros: every channel skipped", ram: full(0x00), want: full(0x00), check: noInput},
		{name: "all 0xFF: padding only", ram: full(0xFF), want: full(0xFF), check: noInput},
		{name: "block longer than PIF RAM", ram: []byte{0x3F, 0x3F, 0x01, 0xFE}, want: []byte{0x3F, 0x3F, 0x01, 0xFE}, check: noInput},
		{name: "RX 0: the whole answer overruns", ram: []byte{0x01, 0x00, 0x01, 0xEE, 0xFE},
			want: []byte{0x01, 0x40, 0x01, 0xEE, 0xFE}},
		{name: "RX longer than the answer: the rest is kept", ram: []byte{0x01, 0x06, 0x01, 0, 0, 0, 0, 0xDD, 0xEE, 0xFE},
			want: []byte{0x01, 0x06, 0x01, 0x80, 0x00, 0x01, 0x02, 0xDD, 0xEE}},
		{name: "stale error flags in RX are replaced", ram: []byte{0x01, 0xC4, 0x01, 0, 0, 0, 0, 0xFE},
			want: []byte{0x01, 0x04, 0x01, 0x80, 0x00, 0x01, 0x02}},
		{name: "EEPROM read cut short (TX 1)", setup: withEEPROM(EEPROM4KSize),
			ram: cart(0x01, 0x08, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0xFE), at: 4, want: []byte{0x01, 0x88, 0x04}},
		{name: "EEPROM write cut short (TX 9)", setup: withEEPROM(EEPROM4KSize),
			ram: cart(0x09, 0x01, 0x05, 0x00, 1, 2, 3, 4, 5, 6, 7, 0x33, 0xFE), at: 4,
			want: []byte{0x09, 0x81}, check: func(t *testing.T, p *PIF) {
				if p.EEPROM()[0] != 0 || p.SaveWrites != 0 {
					t.Error("a cut-short write changed the EEPROM")
				}
			}},
		{name: "EEPROM read answer longer than RX 4", setup: withEEPROM(EEPROM4KSize),
			ram: cart(0x02, 0x04, 0x04, 0x01, 0, 0, 0, 0, 0xFE), at: 4, want: []byte{0x02, 0x44, 0x04, 0x01, 8, 9, 10, 11, 0xFE}},
		{name: "pak read cut short (TX 2)", setup: func(p *PIF) { p.SetPak(0, PakController, nil) },
			ram: append([]byte{0x02, 0x21, 0x02, 0x00}, make([]byte, 33)...), want: []byte{0x02, 0xA1}},
		{name: "pak write cut short (TX 34)", setup: func(p *PIF) { p.SetPak(0, PakController, nil) },
			ram:  append(append([]byte{0x22, 0x01, 0x03, 0x00, 0x00}, bytes.Repeat([]byte{7}, 31)...), 0, 0xFE),
			want: []byte{0x22, 0x81}, check: func(t *testing.T, p *PIF) {
				if p.Mempak(0)[0] != 0 || p.SaveWrites != 0 {
					t.Error("a cut-short pak write changed the pak")
				}
			}},
		{name: "0xFD resets the cartridge channel too", setup: withEEPROM(EEPROM4KSize),
			ram: []byte{0, 0, 0, 0, 0xFD, 0xFE}, want: []byte{0, 0, 0, 0, 0xFD, 0xFE}},
	})
}

// A Controller Pak command whose address CRC is wrong sets status bit 0x04
// ("CRC error in previous command", n64brew "Joybus Protocol" 0x00 Info);
// the next command with a good CRC clears it, and so does a reset (0xFF).
// Info (0x00) itself leaves it. The CRC of each address is the 5-bit
// checksum n64brew describes (TestAddrCRC checks it against libultra's
// addresses).
func TestMempakBadAddressCRC(t *testing.T) {
	status := func(p *PIF, cmd byte) byte {
		return exchange(p, block(0x01, 0x01, 0x03, cmd, 0, 0, 0, 0xFE))[5]
	}
	for _, tc := range []struct {
		name string
		next func(p *PIF)
		want byte // status after next
	}{
		{"info keeps the flag", func(p *PIF) {}, statusPak | statusAddrCRCError},
		{"a good read clears it", func(p *PIF) { exchange(p, pakRead(0x0100|uint16(addrCRC(0x0100)))) }, statusPak},
		{"a good write clears it", func(p *PIF) { exchange(p, pakWrite(0x0200|uint16(addrCRC(0x0200)), 3)) }, statusPak},
		{"a bad write keeps it", func(p *PIF) { exchange(p, pakWrite(0x0200|uint16(addrCRC(0x0200)^1), 3)) }, statusPak | statusAddrCRCError},
		{"reset clears it", func(p *PIF) { status(p, jbReset) }, statusPak},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := New()
			p.SetPak(0, PakController, nil)
			if s := status(p, jbInfo); s != statusPak {
				t.Fatalf("fresh status %#02x", s)
			}
			for bit := uint16(1); bit < 0x20; bit <<= 1 { // every single-bit error is caught
				q := New()
				q.SetPak(0, PakController, nil)
				exchange(q, pakRead(0x0100|uint16(addrCRC(0x0100))^bit))
				if s := status(q, jbInfo); s != statusPak|statusAddrCRCError {
					t.Fatalf("CRC off by bit %#02x: status %#02x", bit, s)
				}
			}
			exchange(p, pakRead(0x0100|uint16(addrCRC(0x0100)^0x10)))
			tc.next(p)
			if s := status(p, jbInfo); s != tc.want {
				t.Errorf("status %#02x, want %#02x", s, tc.want)
			}
		})
	}
}
