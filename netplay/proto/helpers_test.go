package proto

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// hx turns "05 00 02 00 12345671" into bytes; spaces and "|" are layout only.
func hx(s string) []byte {
	s = strings.NewReplacer(" ", "", "|", "", "\n", "", "\t", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

var errClasses = []error{ErrShort, ErrLong, ErrRange, ErrUnknown, ErrTooLarge, ErrMissing, ErrSyntax}

// checkClassified fails unless err wraps exactly one of the package's error
// classes (or, for stream readers when allowIO, an I/O error).
func checkClassified(t *testing.T, err error, allowIO bool) {
	t.Helper()
	n := 0
	for _, c := range errClasses {
		if errors.Is(err, c) {
			n++
		}
	}
	if allowIO && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) {
		n++
	}
	if n != 1 {
		t.Fatalf("error %q wraps %d error classes, want 1", err, n)
	}
}

// fuzzBinary runs the shared checks for a binary decoder: it never panics,
// every error is classified, and an accepted input is canonical:
// encode(decode(b)) == b and decode(encode(v)) == v.
func fuzzBinary[T any](f *testing.F, seeds [][]byte, decode func([]byte) (T, error), encode func(T) ([]byte, error)) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := decode(b)
		if err != nil {
			checkClassified(t, err, false)
			return
		}
		out, err := encode(v)
		if err != nil {
			t.Fatalf("decoded %x to %+v, which does not encode: %v", b, v, err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("not canonical: %x decodes to %+v, which encodes to %x", b, v, out)
		}
		v2, err := decode(out)
		if err != nil || !reflect.DeepEqual(v, v2) {
			t.Fatalf("round trip: %+v → %x → %+v, %v", v, out, v2, err)
		}
	})
}

// expectErr fails unless err wraps class.
func expectErr(t *testing.T, name string, err, class error) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want %v", name, class)
	}
	if !errors.Is(err, class) {
		t.Fatalf("%s: error %q, want %v", name, err, class)
	}
}

func marshal(t *testing.T, m interface{ MarshalBinary() ([]byte, error) }) []byte {
	t.Helper()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatalf("MarshalBinary(%+v): %v", m, err)
	}
	return b
}
