package interop

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"testing"

	"github.com/n64go/n64/netplay/proto"
)

// relay stands between one stock client and the room's game server on
// loopback: it forwards the client's TCP connection and UDP datagrams
// unchanged, byte for byte, and records what went through, so the test
// sees exactly what that client sent and received (NETPLAY.md §2, §3)
// without a hook in the server.
type relay struct {
	t        *testing.T
	upstream string // the room's game server, host:port
	tcp      net.Listener
	udp      *net.UDPConn  // the client's side, on the same port as tcp
	up       *net.UDPConn  // towards the server
	done     chan struct{} // closed by close
	wg       sync.WaitGroup

	mu     sync.Mutex
	client netip.AddrPort // where the client's datagrams come from
	rec    record
}

// record is what one client exchanged over UDP.
type record struct {
	// events[p][count] are the keys the server sent this client for
	// player slot p in types 1 and 3; conflicts lists counts that came
	// with two different keys words.
	events    [proto.MaxPlayers]map[uint32]proto.Keys
	conflicts []string
	// consumed[p] is the largest count the client asked for in a type 2:
	// it asks for count_i before consuming event count_i (§3.4), so it
	// consumed every event below.
	consumed [proto.MaxPlayers]uint32
	// sent[p] counts the client's type 0 for slot p.
	sent [proto.MaxPlayers]int
	// status ORs every status byte the server sent.
	status proto.Status
	// sync maps VI counts to the CP0 array the client sent (type 4).
	sync map[uint32][proto.CP0RegCount]uint32
	// pushes counts type 3 datagrams, replies type 1.
	pushes, replies int
	// malformed lists datagrams that did not decode.
	malformed []string
}

// newRelay listens on a loopback port for both TCP and UDP and forwards to
// upstream.
func newRelay(t *testing.T, upstream string) *relay {
	t.Helper()
	r := &relay{t: t, upstream: upstream, done: make(chan struct{})}
	for i := range r.rec.events {
		r.rec.events[i] = make(map[uint32]proto.Keys)
	}
	r.rec.sync = make(map[uint32][proto.CP0RegCount]uint32)
	var err error
	for range 20 {
		var ln net.Listener
		ln, err = net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			continue
		}
		port := ln.Addr().(*net.TCPAddr).Port
		var uc *net.UDPConn
		uc, err = net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(port))))
		if err != nil {
			ln.Close()
			continue
		}
		r.tcp, r.udp = ln, uc
		break
	}
	if r.tcp == nil {
		t.Fatalf("relay: no port free for TCP and UDP: %v", err)
	}
	ua, err := net.ResolveUDPAddr("udp4", upstream)
	if err != nil {
		t.Fatal(err)
	}
	if r.up, err = net.DialUDP("udp4", nil, ua); err != nil {
		t.Fatal(err)
	}
	r.wg.Add(3)
	go r.acceptLoop()
	go r.fromClient()
	go r.fromServer()
	t.Cleanup(r.close)
	return r
}

// Port is the port the client connects to.
func (r *relay) Port() int { return r.tcp.Addr().(*net.TCPAddr).Port }

func (r *relay) close() {
	close(r.done)
	r.tcp.Close()
	r.udp.Close()
	r.up.Close()
	r.wg.Wait()
}

// snapshot returns the record so far.
func (r *relay) snapshot() record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rec
}

func (r *relay) acceptLoop() {
	defer r.wg.Done()
	for {
		c, err := r.tcp.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp4", r.upstream)
		if err != nil {
			r.t.Errorf("relay: dial game server: %v", err)
			c.Close()
			continue
		}
		pair := make(chan struct{}, 2)
		pipe := func(dst, src net.Conn) {
			defer r.wg.Done()
			io.Copy(dst, src)
			// Pass a half close on, so each side sees the other's end.
			dst.(*net.TCPConn).CloseWrite()
			pair <- struct{}{}
		}
		r.wg.Add(3)
		go pipe(s, c)
		go pipe(c, s)
		go func() {
			defer r.wg.Done()
			select {
			case <-r.done:
			case <-pair:
				<-pair
			}
			c.Close()
			s.Close()
		}()
	}
}

func (r *relay) fromClient() {
	defer r.wg.Done()
	buf := make([]byte, 2048)
	for {
		n, src, err := r.udp.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		b := buf[:n]
		r.mu.Lock()
		r.client = src
		r.noteClient(b)
		r.mu.Unlock()
		r.up.Write(b)
	}
}

func (r *relay) fromServer() {
	defer r.wg.Done()
	buf := make([]byte, 2048)
	for {
		n, err := r.up.Read(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue // e.g. ICMP port unreachable after the server closed
		}
		b := buf[:n]
		r.mu.Lock()
		to := r.client
		r.noteServer(b)
		r.mu.Unlock()
		if to.IsValid() {
			r.udp.WriteToUDPAddrPort(b, to)
		}
	}
}

// noteClient records a client datagram; r.mu is held.
func (r *relay) noteClient(b []byte) {
	if len(b) == 0 {
		return
	}
	switch proto.PacketType(b[0]) {
	case proto.PacketKeyInfoClient:
		k, err := proto.DecodeKeyInfoClient(b)
		if err != nil {
			r.rec.malformed = append(r.rec.malformed, "client: "+err.Error())
			return
		}
		r.rec.sent[k.Player]++
	case proto.PacketRequestKeyInfo:
		q, err := proto.DecodeRequestKeyInfo(b)
		if err != nil {
			r.rec.malformed = append(r.rec.malformed, "client: "+err.Error())
			return
		}
		r.rec.consumed[q.Player] = max(r.rec.consumed[q.Player], q.Count)
	case proto.PacketSyncData:
		d, err := proto.DecodeSyncData(b)
		if err != nil {
			r.rec.malformed = append(r.rec.malformed, "client: "+err.Error())
			return
		}
		if _, dup := r.rec.sync[d.VICount]; !dup {
			r.rec.sync[d.VICount] = d.CP0
		}
	default:
		r.rec.malformed = append(r.rec.malformed, fmt.Sprintf("client: UDP type %d", b[0]))
	}
}

// noteServer records a server datagram; r.mu is held.
func (r *relay) noteServer(b []byte) {
	k, err := proto.DecodeKeyInfoServer(b)
	if err != nil {
		r.rec.malformed = append(r.rec.malformed, "server: "+err.Error())
		return
	}
	if k.Gratuitous {
		r.rec.pushes++
	} else {
		r.rec.replies++
	}
	r.rec.status |= k.Status
	m := r.rec.events[k.Player]
	for _, e := range k.Events {
		if old, ok := m[e.Count]; ok && old != e.Keys {
			r.rec.conflicts = append(r.rec.conflicts, fmt.Sprintf("player %d count %d: keys %08x then %08x", k.Player+1, e.Count, uint32(old), uint32(e.Keys)))
			continue
		}
		m[e.Count] = e.Keys
	}
}
