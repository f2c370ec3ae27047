package server

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// The server side of the WebSocket subset the lobby needs (RFC 6455): the
// opening handshake, masked client frames, text and binary messages with
// fragmentation, ping, pong and close, and a size limit per message. No
// extensions and no subprotocols are negotiated.

// wsGUID is the key suffix of the handshake (RFC 6455 §1.3).
const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// Opcodes (RFC 6455 §5.2).
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

// Close codes (RFC 6455 §7.4.1).
const (
	closeNormal        = 1000
	closeGoingAway     = 1001
	closeProtocolError = 1002
	closeInvalidData   = 1007
	closePolicy        = 1008
	closeTooBig        = 1009
)

// maxControlPayload is the largest control frame payload (RFC 6455 §5.5).
const maxControlPayload = 125

// wsError is a protocol violation by the peer; the connection is failed
// with a close frame carrying code.
type wsError struct {
	code uint16
	msg  string
}

func (e *wsError) Error() string { return fmt.Sprintf("websocket: %s (close %d)", e.msg, e.code) }

func protocolError(format string, args ...any) error {
	return &wsError{closeProtocolError, fmt.Sprintf(format, args...)}
}

// wsAccept computes Sec-WebSocket-Accept for a Sec-WebSocket-Key.
func wsAccept(key string) string {
	h := sha1.Sum([]byte(key + wsGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

// headerHasToken reports whether a comma-separated header (over all its
// values) contains token, compared without case.
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// checkUpgrade validates a WebSocket opening handshake (RFC 6455 §4.2.1)
// and returns the Sec-WebSocket-Accept value, or the HTTP status to refuse
// it with. An Origin header naming another host than Host is refused, as
// [G64] does (NETPLAY.md §4 "Transport"); the stock clients send none.
func checkUpgrade(r *http.Request) (accept string, status int, err error) {
	switch {
	case r.Method != http.MethodGet:
		return "", http.StatusMethodNotAllowed, errors.New("not a GET request")
	case !headerHasToken(r.Header, "Connection", "upgrade") || !headerHasToken(r.Header, "Upgrade", "websocket"):
		return "", http.StatusUpgradeRequired, errors.New("not a WebSocket upgrade")
	case r.Header.Get("Sec-WebSocket-Version") != "13":
		return "", http.StatusUpgradeRequired, errors.New("unsupported Sec-WebSocket-Version")
	}
	key := r.Header.Get("Sec-WebSocket-Key")
	if k, err := base64.StdEncoding.DecodeString(key); err != nil || len(k) != 16 {
		return "", http.StatusBadRequest, errors.New("bad Sec-WebSocket-Key")
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || !strings.EqualFold(u.Host, r.Host) {
			return "", http.StatusForbidden, fmt.Errorf("origin %q is not host %q", origin, r.Host)
		}
	}
	return wsAccept(key), 0, nil
}

// upgradeResponse is the 101 reply for an accept value.
func upgradeResponse(accept string) string {
	return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: " + accept + "\r\n\r\n"
}

// wsReader reads client frames from r: every frame must be masked, and
// messages are at most max bytes. It is used by one goroutine.
type wsReader struct {
	r   io.Reader
	max int

	msgOp byte   // opcode of the message being reassembled, 0 if none
	msg   []byte // its payload so far
	hdr   [8]byte
	ctl   [maxControlPayload]byte
}

func newWSReader(r io.Reader, max int) *wsReader { return &wsReader{r: r, max: max} }

// readFull is io.ReadFull with EOF inside a frame reported as
// io.ErrUnexpectedEOF.
func (w *wsReader) readFull(p []byte) error {
	_, err := io.ReadFull(w.r, p)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// Next returns the next complete data message (opText or opBinary, the
// fragments joined) or control frame (opClose, opPing, opPong), in the order
// they complete: control frames may arrive between the fragments of a
// message. The payload is only valid until the next call. A violation of
// RFC 6455 is a *wsError; io.EOF means the stream ended between frames.
func (w *wsReader) Next() (op byte, payload []byte, err error) {
	for {
		if _, err := io.ReadFull(w.r, w.hdr[:2]); err != nil {
			if err == io.EOF && w.msgOp != 0 {
				err = io.ErrUnexpectedEOF
			}
			return 0, nil, err
		}
		fin := w.hdr[0]&0x80 != 0
		op = w.hdr[0] & 0x0F
		if w.hdr[0]&0x70 != 0 {
			return 0, nil, protocolError("reserved bits set without an extension")
		}
		if w.hdr[1]&0x80 == 0 {
			return 0, nil, protocolError("unmasked client frame")
		}
		n := uint64(w.hdr[1] & 0x7F)
		switch n {
		case 126:
			if err := w.readFull(w.hdr[:2]); err != nil {
				return 0, nil, err
			}
			n = uint64(binary.BigEndian.Uint16(w.hdr[:2]))
		case 127:
			if err := w.readFull(w.hdr[:8]); err != nil {
				return 0, nil, err
			}
			n = binary.BigEndian.Uint64(w.hdr[:8])
			if n>>63 != 0 {
				return 0, nil, protocolError("payload length with the top bit set")
			}
		}
		control := op&0x8 != 0
		switch {
		case control && op != opClose && op != opPing && op != opPong:
			return 0, nil, protocolError("unknown control opcode %#x", op)
		case control && !fin:
			return 0, nil, protocolError("fragmented control frame")
		case control && n > maxControlPayload:
			return 0, nil, protocolError("control frame of %d bytes", n)
		case op == opContinuation && w.msgOp == 0:
			return 0, nil, protocolError("continuation frame outside a message")
		case (op == opText || op == opBinary) && w.msgOp != 0:
			return 0, nil, protocolError("new message inside a fragmented message")
		case !control && op != opContinuation && op != opText && op != opBinary:
			return 0, nil, protocolError("unknown data opcode %#x", op)
		case !control && n > uint64(w.max-len(w.msg)):
			return 0, nil, &wsError{closeTooBig, fmt.Sprintf("message longer than %d bytes", w.max)}
		}
		var mask [4]byte
		if err := w.readFull(mask[:]); err != nil {
			return 0, nil, err
		}
		var p []byte
		if control {
			p = w.ctl[:n]
		} else {
			l := len(w.msg)
			if cap(w.msg)-l < int(n) {
				w.msg = append(make([]byte, 0, l+int(n)), w.msg...)
			}
			w.msg = w.msg[:l+int(n)]
			p = w.msg[l:]
		}
		if err := w.readFull(p); err != nil {
			return 0, nil, err
		}
		for i := range p {
			p[i] ^= mask[i&3]
		}
		if control {
			if op == opClose {
				if err := checkClosePayload(p); err != nil {
					return 0, nil, err
				}
			}
			return op, p, nil
		}
		if op != opContinuation {
			w.msgOp = op
		}
		if !fin {
			continue
		}
		op, p = w.msgOp, w.msg
		w.msgOp = 0
		w.msg = w.msg[:0]
		if cap(w.msg) > 64<<10 {
			w.msg = nil // do not keep a large buffer for small messages
		}
		if op == opText && !utf8.Valid(p) {
			return 0, nil, &wsError{closeInvalidData, "text message is not UTF-8"}
		}
		return op, p, nil
	}
}

// checkClosePayload validates a close frame's body (RFC 6455 §5.5.1,
// §7.4): empty, or a valid status code and a UTF-8 reason.
func checkClosePayload(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	if len(p) == 1 {
		return protocolError("close frame with a 1-byte body")
	}
	if code := binary.BigEndian.Uint16(p); !validCloseCode(code) {
		return protocolError("close code %d", code)
	}
	if !utf8.Valid(p[2:]) {
		return &wsError{closeInvalidData, "close reason is not UTF-8"}
	}
	return nil
}

// validCloseCode reports whether a peer may send code (RFC 6455 §7.4.1 and
// the IANA registry: 1004–1006 and 1015 are never sent).
func validCloseCode(code uint16) bool {
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1014:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}

// closeCode returns the code of a close frame body, closeNormal if empty.
func closeCode(p []byte) uint16 {
	if len(p) < 2 {
		return closeNormal
	}
	return binary.BigEndian.Uint16(p)
}

// appendFrame appends one unmasked, final server frame.
func appendFrame(b []byte, op byte, payload []byte) []byte {
	b = append(b, 0x80|op)
	switch n := len(payload); {
	case n < 126:
		b = append(b, byte(n))
	case n <= 0xFFFF:
		b = append(b, 126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, 127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	return append(b, payload...)
}

// closePayload builds a close frame body; the reason is cut to fit a
// control frame on a UTF-8 boundary.
func closePayload(code uint16, reason string) []byte {
	for len(reason) > maxControlPayload-2 {
		_, size := utf8.DecodeLastRuneInString(reason)
		reason = reason[:len(reason)-size]
	}
	return append(binary.BigEndian.AppendUint16(nil, code), reason...)
}
