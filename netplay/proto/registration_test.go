package proto

import (
	"bytes"
	"testing"
)

// §2.4: for slots 0..3, u32 reg_id, u8 plugin, u8 raw; an empty slot is 6 zero bytes.
var regTable = hx("12345671 02 00 | DEADBEE2 01 01 | 00000000 00 00 | 00000000 00 00")

func TestRegistrationTable(t *testing.T) {
	want := RegistrationTable{
		{RegID: 0x12345671, Plugin: PluginMempak},
		{RegID: 0xDEADBEE2, Plugin: PluginNone, Raw: true},
	}
	got, err := DecodeRegistrationTable(regTable)
	if err != nil || got != want {
		t.Fatalf("DecodeRegistrationTable = %+v, %v", got, err)
	}
	if !got[0].Present() || got[2].Present() {
		t.Fatal("Present")
	}
	if out := marshal(t, got); !bytes.Equal(out, regTable) {
		t.Fatalf("MarshalBinary = %x", out)
	}
	r, err := ReadRegistrationTable(bytes.NewReader(regTable))
	if err != nil || r != want {
		t.Fatalf("ReadRegistrationTable = %+v, %v", r, err)
	}
	// §2.4: every slot empty is 24 zero bytes.
	if z, err := DecodeRegistrationTable(make([]byte, 24)); err != nil || z != (RegistrationTable{}) {
		t.Fatalf("all empty: %+v, %v", z, err)
	}

	tests := []struct {
		name  string
		in    []byte
		class error
	}{
		{"short", regTable[:23], ErrShort},
		{"long", cat(regTable, []byte{0}), ErrLong},
		// §5: plugins 0–6.
		{"plugin 7", hx("12345671 07 00 | 00000000 00 00 | 00000000 00 00 | 00000000 00 00"), ErrRange},
		// §5: raw is 0 or 1.
		{"raw 2", hx("12345671 01 02 | 00000000 00 00 | 00000000 00 00 | 00000000 00 00"), ErrRange},
		// §2.4: an empty slot is 6 zero bytes.
		{"empty with plugin", hx("12345671 01 00 | 00000000 01 00 | 00000000 00 00 | 00000000 00 00"), ErrRange},
		{"empty with raw", hx("12345671 01 00 | 00000000 00 00 | 00000000 00 01 | 00000000 00 00"), ErrRange},
	}
	for _, tt := range tests {
		_, err := DecodeRegistrationTable(tt.in)
		expectErr(t, tt.name, err, tt.class)
	}
}

func TestRegisterReply(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want RegisterReply
	}{
		// §2.1: [1,T] for a free slot or the same reg_id; T = 2 by default.
		{"ok T=2", hx("01 02"), RegisterReply{OK: true, BufferTarget: 2}},
		// §2.1: [0,T] when the slot is held by another reg_id; [G64] T = 1 on a private network.
		{"refused T=1", hx("00 01"), RegisterReply{BufferTarget: 1}},
		{"T=255", hx("01 FF"), RegisterReply{OK: true, BufferTarget: 255}},
	}
	for _, tt := range tests {
		got, err := DecodeRegisterReply(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("%s: %+v, %v", tt.name, got, err)
			continue
		}
		if out := marshal(t, got); !bytes.Equal(out, tt.in) {
			t.Errorf("%s: MarshalBinary = %x", tt.name, out)
		}
		if r, err := ReadRegisterReply(bytes.NewReader(tt.in)); err != nil || r != tt.want {
			t.Errorf("%s: ReadRegisterReply = %+v, %v", tt.name, r, err)
		}
	}
	for _, tt := range []struct {
		name  string
		in    []byte
		class error
	}{
		{"short", hx("01"), ErrShort},
		{"long", hx("01 02 00"), ErrLong},
		{"ok 2", hx("02 02"), ErrRange},
		{"T 0", hx("01 00"), ErrRange},
	} {
		_, err := DecodeRegisterReply(tt.in)
		expectErr(t, tt.name, err, tt.class)
	}
}

func FuzzDecodeRegistrationTable(f *testing.F) {
	fuzzBinary(f, [][]byte{regTable, make([]byte, 24), regTable[:23], cat(regTable, []byte{0})},
		DecodeRegistrationTable, RegistrationTable.MarshalBinary)
}

func FuzzDecodeRegisterReply(f *testing.F) {
	fuzzBinary(f, [][]byte{hx("0102"), hx("0001"), hx("0100"), hx("01"), hx("010200")},
		DecodeRegisterReply, RegisterReply.MarshalBinary)
}
