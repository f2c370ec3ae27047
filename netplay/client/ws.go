package client

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// A minimal WebSocket client (RFC 6455, client side): the opening
// handshake, masked frames out, unmasked frames in, fragmented messages,
// ping/pong and close. Enough for the lobby's JSON messages (§4).

// WebSocket opcodes (RFC 6455 §5.2).
const (
	wsContinuation = 0x0
	wsText         = 0x1
	wsBinary       = 0x2
	wsClose        = 0x8
	wsPing         = 0x9
	wsPong         = 0xA
)

// wsGUID is the key suffix of RFC 6455 §1.3.
const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// wsConn is a client WebSocket connection.
type wsConn struct {
	c     net.Conn
	br    *bufio.Reader
	limit int

	wmu sync.Mutex // writes: the reader answers pings too
}

// errWSClosed is returned once the server sent a close frame.
var errWSClosed = errors.New("websocket: closed by the server")

func wsAcceptKey(key string) string {
	h := sha1.Sum([]byte(key + wsGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

// dialWS opens a ws:// URL (wss is not supported) and runs the opening
// handshake (RFC 6455 §4.1). limit caps a message.
func dialWS(ctx context.Context, rawURL string, limit int) (*wsConn, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("lobby address %q: %w", rawURL, err)
	}
	if u.Scheme != "ws" {
		return nil, fmt.Errorf("lobby address %q: only ws:// is supported", rawURL)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "45000") // §4: clients add 45000
	}
	path := u.RequestURI()
	if path == "" {
		path = "/"
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, fmt.Errorf("lobby: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	} else {
		c.SetDeadline(time.Now().Add(30 * time.Second))
	}
	var k [16]byte
	if _, err := rand.Read(k[:]); err != nil {
		c.Close()
		return nil, err
	}
	key := base64.StdEncoding.EncodeToString(k[:])
	req := "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := io.WriteString(c, req); err != nil {
		c.Close()
		return nil, fmt.Errorf("lobby handshake: %w", err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodGet})
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("lobby handshake: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols ||
		!strings.EqualFold(resp.Header.Get("Upgrade"), "websocket") ||
		resp.Header.Get("Sec-WebSocket-Accept") != wsAcceptKey(key) {
		c.Close()
		return nil, fmt.Errorf("lobby handshake: the server answered %q, not a WebSocket upgrade", resp.Status)
	}
	c.SetDeadline(time.Time{})
	return &wsConn{c: c, br: br, limit: limit}, nil
}

// writeFrame sends one final frame, masked with a fresh key (§5.3).
func (w *wsConn) writeFrame(op byte, payload []byte) error {
	var mask [4]byte
	if _, err := rand.Read(mask[:]); err != nil {
		return err
	}
	b := make([]byte, 0, 14+len(payload))
	b = append(b, 0x80|op)
	switch n := len(payload); {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n <= 0xFFFF:
		b = append(b, 0x80|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, 0x80|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	b = append(b, mask[:]...)
	for i, v := range payload {
		b = append(b, v^mask[i&3])
	}
	w.wmu.Lock()
	defer w.wmu.Unlock()
	w.c.SetWriteDeadline(time.Now().Add(30 * time.Second))
	_, err := w.c.Write(b)
	return err
}

// WriteText sends a text message.
func (w *wsConn) WriteText(p []byte) error { return w.writeFrame(wsText, p) }

// readFrame reads one frame header and payload.
func (w *wsConn) readFrame() (fin bool, op byte, p []byte, err error) {
	var h [2]byte
	if _, err = io.ReadFull(w.br, h[:]); err != nil {
		return
	}
	fin, op = h[0]&0x80 != 0, h[0]&0x0F
	if h[0]&0x70 != 0 {
		return fin, op, nil, errors.New("websocket: reserved bits set")
	}
	masked := h[1]&0x80 != 0
	n := uint64(h[1] & 0x7F)
	switch n {
	case 126:
		var l [2]byte
		if _, err = io.ReadFull(w.br, l[:]); err != nil {
			return
		}
		n = uint64(binary.BigEndian.Uint16(l[:]))
	case 127:
		var l [8]byte
		if _, err = io.ReadFull(w.br, l[:]); err != nil {
			return
		}
		n = binary.BigEndian.Uint64(l[:])
	}
	if n > uint64(w.limit) {
		return fin, op, nil, fmt.Errorf("websocket: frame of %d bytes > %d", n, w.limit)
	}
	var mask [4]byte
	if masked { // servers must not mask (§5.1), but accept it
		if _, err = io.ReadFull(w.br, mask[:]); err != nil {
			return
		}
	}
	p = make([]byte, n)
	if _, err = io.ReadFull(w.br, p); err != nil {
		return
	}
	if masked {
		for i := range p {
			p[i] ^= mask[i&3]
		}
	}
	return fin, op, p, nil
}

// ReadMessage returns the next text or binary message, answering pings and
// reassembling fragments.
func (w *wsConn) ReadMessage() ([]byte, error) {
	var msg []byte
	inMsg := false
	for {
		fin, op, p, err := w.readFrame()
		if err != nil {
			return nil, err
		}
		switch op {
		case wsPing:
			if err := w.writeFrame(wsPong, p); err != nil {
				return nil, err
			}
			continue
		case wsPong:
			continue
		case wsClose:
			w.writeFrame(wsClose, p) // echo (§5.5.1)
			return nil, errWSClosed
		case wsText, wsBinary:
			if inMsg {
				return nil, errors.New("websocket: new message inside a fragmented one")
			}
			msg, inMsg = p, true
		case wsContinuation:
			if !inMsg {
				return nil, errors.New("websocket: continuation without a message")
			}
			if len(msg)+len(p) > w.limit {
				return nil, fmt.Errorf("websocket: message > %d bytes", w.limit)
			}
			msg = append(msg, p...)
		default:
			return nil, fmt.Errorf("websocket: opcode %#x", op)
		}
		if fin {
			return msg, nil
		}
	}
}

// Close sends a normal close frame and closes the connection.
func (w *wsConn) Close() error {
	w.writeFrame(wsClose, []byte{0x03, 0xE8}) // 1000 normal closure
	return w.c.Close()
}
