package proto

import (
	"errors"
	"fmt"
)

// Error classes. Every decoder error wraps exactly one of them, so callers
// can test with errors.Is.
var (
	// ErrShort: the input ends before the message does.
	ErrShort = errors.New("proto: input too short")
	// ErrLong: bytes follow the end of the message.
	ErrLong = errors.New("proto: unexpected trailing bytes")
	// ErrRange: a field holds a value the protocol does not allow.
	ErrRange = errors.New("proto: value out of range")
	// ErrUnknown: an unknown TCP request code, UDP packet type or lobby
	// message type.
	ErrUnknown = errors.New("proto: unknown request code, packet type or message type")
	// ErrTooLarge: a declared length exceeds this package's cap.
	ErrTooLarge = errors.New("proto: length exceeds limit")
	// ErrMissing: a lobby message lacks a field its type requires.
	ErrMissing = errors.New("proto: required field missing")
	// ErrSyntax: a lobby message is not well-formed JSON of the right shape.
	ErrSyntax = errors.New("proto: malformed JSON")
)

// lengthError reports an input of the wrong size for a fixed-size message.
func lengthError(what string, got, want int) error {
	if got < want {
		return fmt.Errorf("%w: %s: %d bytes, want %d", ErrShort, what, got, want)
	}
	return fmt.Errorf("%w: %s: %d bytes, want %d", ErrLong, what, got, want)
}

// rangeError reports a field value outside its range.
func rangeError(what string, format string, args ...any) error {
	return fmt.Errorf("%w: %s: "+format, append([]any{ErrRange, what}, args...)...)
}
