package server

import (
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/n64go/n64/netplay/proto"
)

func TestLimitListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lim := newLimitListener(ln, 10, 2)
	defer lim.Close()
	accepted := make(chan net.Conn, 10)
	go func() {
		for {
			c, err := lim.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- c
		}
	}()
	dial := func() net.Conn {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	dial()
	dial()
	first := <-accepted
	<-accepted
	// A third connection from the same IP is closed by the listener.
	third := dial()
	third.SetReadDeadline(time.Now().Add(waitLimit))
	if _, err := third.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("third connection: %v, want EOF", err)
	}
	// Closing one frees its place.
	first.Close()
	dial()
	select {
	case <-accepted:
	case <-time.After(waitLimit):
		t.Fatal("no place after a close")
	}
}

// Strangers (addresses that are no lobby member's) get at most
// maxStrangerConns game connections, so they cannot lock players out.
func TestStrangerConnections(t *testing.T) {
	ts := startServer(t, nil)
	w := dialLobby(t, ts.addr)
	port := w.createRoom("r", "alice")
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 3)}, Timeout: waitLimit}
	var conns []net.Conn
	for i := range maxStrangerConns + 1 {
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Skipf("no second loopback address: %v", err)
		}
		defer c.Close()
		conns = append(conns, c)
		// Make sure the server has admitted it before the next one.
		if i < maxStrangerConns {
			c.Write(marshal(t, proto.RegisterPlayer{Slot: 3, Plugin: 1, RegID: uint32(i + 1)}))
			c.SetReadDeadline(time.Now().Add(waitLimit))
			r, err := proto.ReadRegisterReply(c)
			if err != nil || r.OK {
				t.Fatalf("stranger %d registered a slot nobody joined: %+v %v", i, r, err)
			}
		}
	}
	last := conns[maxStrangerConns]
	last.SetReadDeadline(time.Now().Add(waitLimit))
	if n, err := last.Read(make([]byte, 1)); err == nil {
		t.Fatalf("stranger %d admitted (%d bytes)", maxStrangerConns+1, n)
	}
	// A member's address still gets in.
	g := dialGame(t, port)
	if r := g.register(0, proto.PluginNone, 42); !r.OK {
		t.Fatalf("member refused: %+v", r)
	}
}

// Lobby sockets per IP are capped: the next handshake gets 503, and a
// closed socket frees its place.
func TestLobbyConnsPerIP(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxLobbyConnsPerIP = 1 })
	w := dialLobby(t, ts.addr)
	c, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
	c.SetReadDeadline(time.Now().Add(waitLimit))
	resp, _ := io.ReadAll(c)
	if !strings.HasPrefix(string(resp), "HTTP/1.1 503") {
		t.Fatalf("second socket from the IP: %q", resp)
	}
	// The first socket still works.
	w.sendJSON(request{Type: proto.TypeRequestVersion})
	if m := w.recv(); m.Type != proto.TypeReplyVersion {
		t.Fatalf("%+v", m)
	}
}
