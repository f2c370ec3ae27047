package proto

import (
	"testing"
)

func TestKeysBits(t *testing.T) {
	// §5: bit → BUTTONS field.
	tests := []struct {
		k   Keys
		bit uint
	}{
		{KeyRDPad, 0}, {KeyLDPad, 1}, {KeyDDPad, 2}, {KeyUDPad, 3},
		{KeyStart, 4}, {KeyZ, 5}, {KeyB, 6}, {KeyA, 7},
		{KeyRCButton, 8}, {KeyLCButton, 9}, {KeyDCButton, 10}, {KeyUCButton, 11},
		{KeyR, 12}, {KeyL, 13}, {KeyReserved1, 14}, {KeyReserved2, 15},
	}
	for _, tt := range tests {
		if tt.k != 1<<tt.bit {
			t.Errorf("%v = %#x, want bit %d", tt.k, uint32(tt.k), tt.bit)
		}
	}
}

func TestKeysDecode(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    Keys
		buttons Keys
		x, y    int8
	}{
		// §5: the wire carries the u32 big-endian, so A_BUTTON (bit 7) is the last byte's 0x80.
		{"A", hx("00 00 00 80"), KeyA, KeyA, 0, 0},
		// §5: X_AXIS bits 16–23, Y_AXIS bits 24–31, int8, right and up positive.
		{"stick right-down", hx("B0 50 00 00"), 0xB0500000, 0, 80, -80},
		// §5: R_TRIG bit 12, L_TRIG bit 13, START bit 4.
		{"L+R+Start", hx("00 00 30 10"), KeyL | KeyR | KeyStart, KeyL | KeyR | KeyStart, 0, 0},
		// §5: reserved bits 14–15 are passed through, not rejected.
		{"reserved", hx("00 00 C0 00"), KeyReservedMask, 0, 0, 0},
		{"all", hx("FF FF FF FF"), 0xFFFFFFFF, KeyButtonsMask, -1, -1},
	}
	for _, tt := range tests {
		k, err := DecodeKeys(tt.in)
		if err != nil || k != tt.want {
			t.Errorf("%s: DecodeKeys(%x) = %#x, %v; want %#x", tt.name, tt.in, uint32(k), err, uint32(tt.want))
			continue
		}
		if k.Buttons() != tt.buttons || k.X() != tt.x || k.Y() != tt.y {
			t.Errorf("%s: buttons %v x %d y %d; want %v %d %d", tt.name, k.Buttons(), k.X(), k.Y(), tt.buttons, tt.x, tt.y)
		}
		if out := marshal(t, k); string(out) != string(tt.in) {
			t.Errorf("%s: MarshalBinary = %x, want %x", tt.name, out, tt.in)
		}
		if NewKeys(k.Buttons()|k.Reserved(), k.X(), k.Y()) != k {
			t.Errorf("%s: NewKeys does not rebuild %#x", tt.name, uint32(k))
		}
	}
	for _, n := range []int{0, 3, 5} {
		_, err := DecodeKeys(make([]byte, n))
		if n < 4 {
			expectErr(t, "short keys", err, ErrShort)
		} else {
			expectErr(t, "long keys", err, ErrLong)
		}
	}
}

func TestKeysJoybus(t *testing.T) {
	// §5: the core stores BUTTONS over the 4 CONTROLLER_READ response bytes
	// on a little-endian host, so the wire carries [b3, b2, b1, b0]. Response
	// byte 0 is A B Z START U D L R (A = 0x80), byte 1 is RST – L R CU CD CL CR,
	// then X, then Y.
	resp := [4]byte{0x80 | 0x08, 0x20, 0x50, 0xB0} // A + U_DPAD, L trigger, x = 80, y = −80
	k := KeysFromJoybus(resp)
	want := NewKeys(KeyA|KeyUDPad|KeyL, 80, -80)
	if k != want {
		t.Fatalf("KeysFromJoybus = %v, want %v", k, want)
	}
	if wire := marshal(t, k); string(wire) != string([]byte{0xB0, 0x50, 0x20, 0x88}) {
		t.Fatalf("wire = %x, want b0502088", wire)
	}
	if k.Joybus() != resp {
		t.Fatalf("Joybus() = %x, want %x", k.Joybus(), resp)
	}
	if s := k.String(); s != "U_DPAD|A|L x=80 y=-80" {
		t.Fatalf("String() = %q", s)
	}
	if !k.Has(KeyA|KeyL) || k.Has(KeyB) {
		t.Fatal("Has")
	}
	if k.WithAxes(0, 0) != KeyA|KeyUDPad|KeyL {
		t.Fatal("WithAxes")
	}
}

func TestPlugin(t *testing.T) {
	// §5: NONE 1 … BIO_PAK 6, 0 = unset.
	if PluginNone != 1 || PluginMempak != 2 || PluginRumblePak != 3 || PluginTransferPak != 4 ||
		PluginRaw != 5 || PluginBioPak != 6 {
		t.Fatal("plugin values")
	}
	if !Plugin(0).Valid() || !Plugin(6).Valid() || Plugin(7).Valid() {
		t.Fatal("Plugin.Valid")
	}
	if PluginRumblePak.String() != "rumble_pak" || Plugin(9).String() != "plugin(9)" {
		t.Fatal("Plugin.String")
	}
}

func FuzzDecodeKeys(f *testing.F) {
	fuzzBinary(f, [][]byte{hx("00000080"), hx("B0500000"), hx("FFFFFFFF"), {}, hx("000000"), hx("0000000000")},
		DecodeKeys, Keys.MarshalBinary)
}
