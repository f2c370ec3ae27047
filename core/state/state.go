// Package state is the two-way serializer of DESIGN.md §5.
//
// Every component has one method, Serialize(s *state.S), that lists its
// fields in a fixed order. The same method saves (s is a writer) and loads
// (s is a reader), so the two directions cannot drift apart. Values are
// written big-endian with fixed widths; byte slices and arrays must have
// the same length on load as on save (a state never resizes memory).
package state

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// S is a serializer in one direction: writing into a buffer or reading
// from one. After the first error every call is a no-op and Err reports it.
type S struct {
	buf     []byte
	pos     int
	loading bool
	err     error
}

// NewWriter returns a serializer that records values.
func NewWriter() *S { return &S{} }

// NewWriterBuffer returns a writer that appends into buf[:0], so callers
// that serialize every frame (Machine.Hash) can reuse one allocation.
func NewWriterBuffer(buf []byte) *S { return &S{buf: buf[:0]} }

// NewReader returns a serializer that restores values from data.
func NewReader(data []byte) *S { return &S{buf: data, loading: true} }

// Loading reports whether s restores values (true) or records them.
func (s *S) Loading() bool { return s.loading }

// Err is the first error seen: a truncated or malformed state.
func (s *S) Err() error { return s.err }

// Bytes returns what a writer recorded.
func (s *S) Bytes() []byte { return s.buf }

// Done checks that a reader consumed its whole input.
func (s *S) Done() error {
	if s.err == nil && s.loading && s.pos != len(s.buf) {
		s.err = fmt.Errorf("state: %d trailing bytes", len(s.buf)-s.pos)
	}
	return s.err
}

// ErrTruncated is returned when a state ends before its last field.
var ErrTruncated = errors.New("state: truncated")

// Fail records err (if no error was seen yet); components call it when a
// loaded value is out of range.
func (s *S) Fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

func (s *S) take(n int) []byte {
	if s.err != nil {
		return nil
	}
	if len(s.buf)-s.pos < n {
		s.err = ErrTruncated
		return nil
	}
	b := s.buf[s.pos : s.pos+n]
	s.pos += n
	return b
}

// U8 saves or restores one byte.
func (s *S) U8(v *uint8) {
	if !s.loading {
		s.buf = append(s.buf, *v)
		return
	}
	if b := s.take(1); b != nil {
		*v = b[0]
	}
}

// Bool saves or restores a bool as one byte (0 or 1; anything else is an error).
func (s *S) Bool(v *bool) {
	var b uint8
	if *v {
		b = 1
	}
	s.U8(&b)
	if s.loading && s.err == nil {
		if b > 1 {
			s.Fail(fmt.Errorf("state: bad bool byte %d", b))
			return
		}
		*v = b == 1
	}
}

// U16 saves or restores a uint16.
func (s *S) U16(v *uint16) {
	if !s.loading {
		s.buf = binary.BigEndian.AppendUint16(s.buf, *v)
		return
	}
	if b := s.take(2); b != nil {
		*v = binary.BigEndian.Uint16(b)
	}
}

// U32 saves or restores a uint32.
func (s *S) U32(v *uint32) {
	if !s.loading {
		s.buf = binary.BigEndian.AppendUint32(s.buf, *v)
		return
	}
	if b := s.take(4); b != nil {
		*v = binary.BigEndian.Uint32(b)
	}
}

// U64 saves or restores a uint64.
func (s *S) U64(v *uint64) {
	if !s.loading {
		s.buf = binary.BigEndian.AppendUint64(s.buf, *v)
		return
	}
	if b := s.take(8); b != nil {
		*v = binary.BigEndian.Uint64(b)
	}
}

// I32 saves or restores an int32.
func (s *S) I32(v *int32) {
	u := uint32(*v)
	s.U32(&u)
	*v = int32(u)
}

// I64 saves or restores an int64.
func (s *S) I64(v *int64) {
	u := uint64(*v)
	s.U64(&u)
	*v = int64(u)
}

// Int saves or restores an int as 64 bits.
func (s *S) Int(v *int) {
	u := int64(*v)
	s.I64(&u)
	*v = int(u)
}

// U32s saves or restores every element of v.
func (s *S) U32s(v []uint32) {
	for i := range v {
		s.U32(&v[i])
	}
}

// U64s saves or restores every element of v.
func (s *S) U64s(v []uint64) {
	for i := range v {
		s.U64(&v[i])
	}
}

// Raw saves or restores a fixed-length byte slice; the length is part
// of the record so a state of another memory size is refused.
func (s *S) Raw(v []byte) {
	n := uint32(len(v))
	s.U32(&n)
	if s.err != nil {
		return
	}
	if !s.loading {
		s.buf = append(s.buf, v...)
		return
	}
	if int(n) != len(v) {
		s.Fail(fmt.Errorf("state: block of %d bytes where %d expected", n, len(v)))
		return
	}
	if b := s.take(len(v)); b != nil {
		copy(v, b)
	}
}

// Section wraps one component: a tag and a length, so a reader can tell
// which component is broken and a mismatch is caught where it happens.
func (s *S) Section(tag string, body func(*S)) {
	if len(tag) > 255 {
		panic("state: section tag too long") // programming error, never data
	}
	if !s.loading {
		s.buf = append(s.buf, byte(len(tag)))
		s.buf = append(s.buf, tag...)
		lenAt := len(s.buf)
		s.buf = append(s.buf, 0, 0, 0, 0)
		body(s)
		binary.BigEndian.PutUint32(s.buf[lenAt:], uint32(len(s.buf)-lenAt-4))
		return
	}
	var tl uint8
	s.U8(&tl)
	got := string(s.take(int(tl)))
	var n uint32
	s.U32(&n)
	if s.err != nil {
		return
	}
	if got != tag {
		s.Fail(fmt.Errorf("state: section %q where %q expected", got, tag))
		return
	}
	end := s.pos + int(n)
	if end > len(s.buf) || end < s.pos {
		s.Fail(ErrTruncated)
		return
	}
	body(s)
	if s.err == nil && s.pos != end {
		s.Fail(fmt.Errorf("state: section %q has %d bytes, its fields %d", tag, n, s.pos-(end-int(n))))
	}
}
