package client

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"testing"
)

// TestWSFrames: client frames are masked (RFC 6455 §5.3); server pings
// are answered with the same payload, fragmented messages reassembled,
// and a close frame ends reading.
func TestWSFrames(t *testing.T) {
	cc, sc := net.Pipe()
	defer cc.Close()
	defer sc.Close()
	w := &wsConn{c: cc, br: bufio.NewReader(cc), limit: 1 << 20}
	sr := bufio.NewReader(sc)
	// readClient reads one client frame and unmasks it.
	readClient := func() (byte, []byte) {
		t.Helper()
		var h [2]byte
		if _, err := io.ReadFull(sr, h[:]); err != nil {
			t.Fatal(err)
		}
		if h[0]&0x80 == 0 || h[1]&0x80 == 0 {
			t.Fatalf("client frame %x: not final or not masked", h)
		}
		n := int(h[1] & 0x7F)
		if n == 126 {
			var l [2]byte
			io.ReadFull(sr, l[:])
			n = int(binary.BigEndian.Uint16(l[:]))
		}
		var mask [4]byte
		io.ReadFull(sr, mask[:])
		p := make([]byte, n)
		io.ReadFull(sr, p)
		for i := range p {
			p[i] ^= mask[i&3]
		}
		return h[0] & 0x0F, p
	}
	long := bytes.Repeat([]byte("x"), 300)
	go w.WriteText(long)
	if op, p := readClient(); op != wsText || !bytes.Equal(p, long) {
		t.Fatalf("text frame op %d, %d bytes", op, len(p))
	}
	got := make(chan []byte, 1)
	go func() {
		m, err := w.ReadMessage()
		if err != nil {
			t.Error(err)
		}
		got <- m
	}()
	sc.Write([]byte{0x01, 3, 'a', 'b', 'c'}) // text, not final
	sc.Write([]byte{0x89, 2, 'h', 'i'})      // ping in between
	if op, p := readClient(); op != wsPong || string(p) != "hi" {
		t.Fatalf("answer to ping: op %d %q", op, p)
	}
	sc.Write([]byte{0x80, 3, 'd', 'e', 'f'}) // final continuation
	if m := <-got; string(m) != "abcdef" {
		t.Fatalf("message %q", m)
	}
	go func() {
		_, err := w.ReadMessage()
		got <- []byte(err.Error())
	}()
	sc.Write([]byte{0x88, 2, 0x03, 0xE8})
	if op, _ := readClient(); op != wsClose {
		t.Fatalf("close not echoed: op %d", op)
	}
	if m := <-got; string(m) != errWSClosed.Error() {
		t.Fatalf("after close: %s", m)
	}
}
