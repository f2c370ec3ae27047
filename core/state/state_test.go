package state

import (
	"errors"
	"strings"
	"testing"
)

type sample struct {
	a uint8
	b bool
	c uint16
	d uint32
	e uint64
	f int
	m [5]byte
}

func (x *sample) Serialize(s *S) {
	s.Section("sample", func(s *S) {
		s.U8(&x.a)
		s.Bool(&x.b)
		s.U16(&x.c)
		s.U32(&x.d)
		s.U64(&x.e)
		s.Int(&x.f)
		s.Raw(x.m[:])
	})
}

func TestRoundTrip(t *testing.T) {
	in := sample{a: 0xAB, b: true, c: 0x1234, d: 0xDEADBEEF, e: 0x0123456789ABCDEF, f: -7, m: [5]byte{1, 2, 3, 4, 5}}
	w := NewWriter()
	in.Serialize(w)
	// Fields are fixed-width big-endian: tag length+tag, section length,
	// 1+1+2+4+8+8 bytes of scalars, a 4-byte length and 5 bytes of memory.
	if want := 1 + len("sample") + 4 + 24 + 4 + 5; len(w.Bytes()) != want {
		t.Fatalf("encoded %d bytes, want %d", len(w.Bytes()), want)
	}
	var out sample
	r := NewReader(w.Bytes())
	out.Serialize(r)
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
	if out != in {
		t.Fatalf("round trip gave %+v, want %+v", out, in)
	}
}

func TestBigEndianLayout(t *testing.T) {
	w := NewWriter()
	v := uint32(0x01020304)
	w.U32(&v)
	if got := w.Bytes(); string(got) != "\x01\x02\x03\x04" {
		t.Fatalf("U32 wrote % x, want 01 02 03 04", got)
	}
}

func TestLoadErrors(t *testing.T) {
	in := sample{m: [5]byte{9}}
	w := NewWriter()
	in.Serialize(w)
	good := w.Bytes()

	badTag := append([]byte(nil), good...)
	badTag[1] = 'X'
	badBool := append([]byte(nil), good...)
	badBool[1+len("sample")+4+1] = 7
	badLen := append([]byte(nil), good...)
	badLen[len(badLen)-6] = 4 // block length field says 4 instead of 5

	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"truncated", good[:len(good)-1], "truncated"},
		{"empty", nil, "truncated"},
		{"wrong section", badTag, "section"},
		{"bad bool", badBool, "bool"},
		{"resized block", badLen, "block of 4 bytes"},
		{"trailing", append(append([]byte(nil), good...), 0), "trailing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out sample
			r := NewReader(tt.data)
			out.Serialize(r)
			err := r.Done()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
			if tt.want == "truncated" && !errors.Is(err, ErrTruncated) {
				t.Fatalf("error %v is not ErrTruncated", err)
			}
		})
	}
}
