package server

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"unicode/utf8"
)

// clientFrame builds one client frame (RFC 6455 §5.2): masked unless
// unmasked, with the given first-byte flags.
func clientFrame(b0 byte, payload []byte, masked bool) []byte {
	b := []byte{b0}
	m := byte(0)
	if masked {
		m = 0x80
	}
	switch n := len(payload); {
	case n < 126:
		b = append(b, m|byte(n))
	case n <= 0xFFFF:
		b = append(b, m|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, m|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	if !masked {
		return append(b, payload...)
	}
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	b = append(b, key[:]...)
	for i, c := range payload {
		b = append(b, c^key[i&3])
	}
	return b
}

func frame(fin bool, op byte, payload string) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	return clientFrame(b0, []byte(payload), true)
}

type wsMsg struct {
	op   byte
	data string
}

func TestWSReader(t *testing.T) {
	const max = 64
	closeBody := func(code uint16, reason string) string {
		return string(binary.BigEndian.AppendUint16(nil, code)) + reason
	}
	big := string(bytes.Repeat([]byte("x"), 300))
	tests := []struct {
		name string
		in   [][]byte
		want []wsMsg
		code uint16 // close code of the error; 0: io.EOF after want
		eof  error
	}{
		{"text", [][]byte{frame(true, opText, `{"type":"request_motd"}`)},
			[]wsMsg{{opText, `{"type":"request_motd"}`}}, 0, io.EOF},
		{"binary (gopher64)", [][]byte{frame(true, opBinary, "\xff\x00")}, []wsMsg{{opBinary, "\xff\x00"}}, 0, io.EOF},
		{"empty text", [][]byte{frame(true, opText, "")}, []wsMsg{{opText, ""}}, 0, io.EOF},
		{"fragmented with a ping between", [][]byte{frame(false, opText, "he"), frame(true, opPing, "p"),
			frame(false, opContinuation, "ll"), frame(true, opContinuation, "o")},
			[]wsMsg{{opPing, "p"}, {opText, "hello"}}, 0, io.EOF},
		{"UTF-8 split across fragments", [][]byte{frame(false, opText, "\xc3"), frame(true, opContinuation, "\xa9")},
			[]wsMsg{{opText, "é"}}, 0, io.EOF},
		{"16-bit length", [][]byte{clientFrame(0x80|opBinary, bytes.Repeat([]byte{1}, 60), true)},
			[]wsMsg{{opBinary, string(bytes.Repeat([]byte{1}, 60))}}, 0, io.EOF},
		{"pong and close", [][]byte{frame(true, opPong, "x"), frame(true, opClose, closeBody(1000, "bye"))},
			[]wsMsg{{opPong, "x"}, {opClose, closeBody(1000, "bye")}}, 0, io.EOF},
		{"close without body", [][]byte{frame(true, opClose, "")}, []wsMsg{{opClose, ""}}, 0, io.EOF},
		{"unmasked", [][]byte{clientFrame(0x80|opText, []byte("hi"), false)}, nil, closeProtocolError, nil},
		{"reserved bit", [][]byte{clientFrame(0xC0|opText, []byte("hi"), true)}, nil, closeProtocolError, nil},
		{"unknown data opcode", [][]byte{frame(true, 0x3, "")}, nil, closeProtocolError, nil},
		{"unknown control opcode", [][]byte{frame(true, 0xB, "")}, nil, closeProtocolError, nil},
		{"fragmented ping", [][]byte{frame(false, opPing, "")}, nil, closeProtocolError, nil},
		{"control over 125 bytes", [][]byte{clientFrame(0x80|opPing, make([]byte, 126), true)}, nil, closeProtocolError, nil},
		{"continuation first", [][]byte{frame(true, opContinuation, "x")}, nil, closeProtocolError, nil},
		{"text inside a fragmented message", [][]byte{frame(false, opText, "a"), frame(true, opText, "b")}, nil, closeProtocolError, nil},
		{"message too big", [][]byte{frame(true, opText, big)}, nil, closeTooBig, nil},
		{"fragments too big together", [][]byte{frame(false, opBinary, big[:40]), frame(true, opContinuation, big[:40])}, nil, closeTooBig, nil},
		{"text not UTF-8", [][]byte{frame(true, opText, "\xff")}, nil, closeInvalidData, nil},
		{"close with 1-byte body", [][]byte{frame(true, opClose, "\x03")}, nil, closeProtocolError, nil},
		{"close code 1005", [][]byte{frame(true, opClose, closeBody(1005, ""))}, nil, closeProtocolError, nil},
		{"close code 999", [][]byte{frame(true, opClose, closeBody(999, ""))}, nil, closeProtocolError, nil},
		{"close reason not UTF-8", [][]byte{frame(true, opClose, closeBody(1000, "\xff"))}, nil, closeInvalidData, nil},
		{"64-bit length with the top bit", [][]byte{hx("82 FF 8000000000000000 00000000")}, nil, closeProtocolError, nil},
		{"64-bit length over the limit", [][]byte{hx("82 FF 0000000100000000 00000000")}, nil, closeTooBig, nil},
		{"truncated payload", [][]byte{frame(true, opText, "hello")[:8]}, nil, 0, io.ErrUnexpectedEOF},
		{"truncated header", [][]byte{{0x81}}, nil, 0, io.ErrUnexpectedEOF},
		{"stream ends inside a message", [][]byte{frame(false, opText, "a")}, nil, 0, io.ErrUnexpectedEOF},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newWSReader(bytes.NewReader(bytes.Join(tc.in, nil)), max)
			var got []wsMsg
			var err error
			for {
				var op byte
				var p []byte
				op, p, err = r.Next()
				if err != nil {
					break
				}
				got = append(got, wsMsg{op, string(p)})
			}
			if len(got) != len(tc.want) {
				t.Fatalf("messages %q, want %q (err %v)", got, tc.want, err)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("message %d = %q, want %q", i, got[i], tc.want[i])
				}
			}
			var we *wsError
			switch {
			case tc.code != 0:
				if !errors.As(err, &we) || we.code != tc.code {
					t.Fatalf("err %v, want close code %d", err, tc.code)
				}
			case err != tc.eof:
				t.Fatalf("err %v, want %v", err, tc.eof)
			}
		})
	}
}

func TestWSHandshake(t *testing.T) {
	// RFC 6455 §1.3's example.
	if got := wsAccept("dGhlIHNhbXBsZSBub25jZQ=="); got != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("accept %q", got)
	}
	good := map[string]string{
		"Connection": "keep-alive, Upgrade", "Upgrade": "WebSocket",
		"Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
	}
	tests := []struct {
		name   string
		method string
		change map[string]string
		host   string
		status int
	}{
		{"stock client", "GET", nil, "", 0},
		{"POST", "POST", nil, "", http.StatusMethodNotAllowed},
		{"no upgrade", "GET", map[string]string{"Upgrade": ""}, "", http.StatusUpgradeRequired},
		{"no connection upgrade", "GET", map[string]string{"Connection": "close"}, "", http.StatusUpgradeRequired},
		{"version 8", "GET", map[string]string{"Sec-WebSocket-Version": "8"}, "", http.StatusUpgradeRequired},
		{"short key", "GET", map[string]string{"Sec-WebSocket-Key": "AAAA"}, "", http.StatusBadRequest},
		{"same origin", "GET", map[string]string{"Origin": "http://lobby.example:45000"}, "lobby.example:45000", 0},
		{"foreign origin", "GET", map[string]string{"Origin": "http://evil.example"}, "lobby.example:45000", http.StatusForbidden},
	}
	for _, tc := range tests {
		req := httptest.NewRequest(tc.method, "/", nil)
		if tc.host != "" {
			req.Host = tc.host
		}
		for k, v := range good {
			req.Header.Set(k, v)
		}
		for k, v := range tc.change {
			req.Header.Set(k, v)
		}
		accept, status, err := checkUpgrade(req)
		if status != tc.status || (status == 0) != (err == nil) {
			t.Errorf("%s: status %d err %v, want %d", tc.name, status, err, tc.status)
		}
		if status == 0 && accept != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
			t.Errorf("%s: accept %q", tc.name, accept)
		}
	}
}

func TestAppendFrame(t *testing.T) {
	for _, tc := range []struct {
		n    int
		head string
	}{{0, "8100"}, {125, "817D"}, {126, "817E007E"}, {65535, "817EFFFF"}, {65536, "817F0000000000010000"}} {
		b := appendFrame(nil, opText, make([]byte, tc.n))
		if h := hx(tc.head); !bytes.Equal(b[:len(h)], h) || len(b) != len(h)+tc.n {
			t.Errorf("%d bytes: header %x, want %s", tc.n, b[:len(h)], tc.head)
		}
	}
	p := closePayload(closeGoingAway, string(bytes.Repeat([]byte("é"), 100)))
	if len(p) > maxControlPayload || !utf8.Valid(p[2:]) || binary.BigEndian.Uint16(p) != 1001 {
		t.Fatalf("close payload %x", p)
	}
}

// FuzzWSReader feeds arbitrary bytes to the frame reader: it never panics,
// returns only complete messages within the limit (text valid UTF-8) and
// valid control frames, and fails only with a close code or an EOF.
func FuzzWSReader(f *testing.F) {
	f.Add(frame(true, opText, `{"type":"request_version"}`))
	f.Add(bytes.Join([][]byte{frame(false, opText, "he"), frame(true, opPing, "p"), frame(true, opContinuation, "llo")}, nil))
	f.Add(frame(true, opClose, "\x03\xe8bye"))
	f.Add(hx("82 FF 0000000100000000 00000000"))
	f.Add(clientFrame(0x80|opBinary, make([]byte, 200), true))
	f.Fuzz(func(t *testing.T, data []byte) {
		const max = 128
		r := newWSReader(bytes.NewReader(data), max)
		for {
			op, p, err := r.Next()
			if err != nil {
				var we *wsError
				if !errors.As(err, &we) && err != io.EOF && err != io.ErrUnexpectedEOF {
					t.Fatalf("unclassified error %v", err)
				}
				if we != nil && we.code != closeProtocolError && we.code != closeTooBig && we.code != closeInvalidData {
					t.Fatalf("close code %d", we.code)
				}
				return
			}
			switch op {
			case opText:
				if !utf8.Valid(p) {
					t.Fatalf("text not UTF-8: %q", p)
				}
				fallthrough
			case opBinary:
				if len(p) > max {
					t.Fatalf("message of %d bytes", len(p))
				}
			case opPing, opPong, opClose:
				if len(p) > maxControlPayload {
					t.Fatalf("control frame of %d bytes", len(p))
				}
				if op == opClose && checkClosePayload(p) != nil {
					t.Fatalf("invalid close body %x", p)
				}
			default:
				t.Fatalf("opcode %#x", op)
			}
		}
	})
}
