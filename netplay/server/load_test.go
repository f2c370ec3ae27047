package server

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/n64go/n64/netplay/proto"
)

// TestLoad repeats NETPLAY.md §8's load measurement over loopback: 10
// rooms × 4 players, each player asking for 120 input events a second
// (4 ports at 30 Hz) for 10 s, and reports the latency from request to
// reply. It is slow, so it only runs with N64_NETPLAY_LOAD=1.
func TestLoad(t *testing.T) {
	if os.Getenv("N64_NETPLAY_LOAD") == "" {
		t.Skip("set N64_NETPLAY_LOAD=1 to run")
	}
	ts := startServer(t, func(c *Config) { c.MaxLobbyConnsPerIP = 100 })
	const rooms, players = 10, 4
	var all []*gameClient
	for r := range rooms {
		ws := make([]*wsClient, players)
		for i := range ws {
			ws[i] = dialLobby(t, ts.addr)
		}
		port := ws[0].createRoom(fmt.Sprint("room", r), "p0")
		for i := 1; i < players; i++ {
			ws[i].sendJSON(joinReq(port, fmt.Sprint("p", i)))
			ws[i].expect(proto.TypeReplyJoinRoom)
		}
		ws[0].sendJSON(portReq(proto.TypeRequestBeginGame, port))
		ws[0].expect(proto.TypeReplyBeginGame)
		gs := make([]*gameClient, players)
		for i := range gs {
			gs[i] = dialGame(t, port)
			gs[i].register(uint8(i), proto.PluginNone, uint32(0x1000*(r+1)+i+1))
		}
		for _, g := range gs {
			g.send(proto.GetRegistration{})
		}
		for _, g := range gs {
			if _, err := proto.ReadRegistrationTable(g.br); err != nil {
				t.Fatal(err)
			}
		}
		all = append(all, gs...)
	}
	var mu sync.Mutex
	var lat []time.Duration
	missing := 0
	var wg sync.WaitGroup
	end := time.Now().Add(10 * time.Second)
	for _, g := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			lost := 0
			buf := make([]byte, 1024)
			tick := time.NewTicker(time.Second / 30)
			defer tick.Stop()
			for count := uint32(0); time.Now().Before(end); count++ {
				<-tick.C
				g.sendUDP(proto.KeyInfoClient{Player: g.slot, Count: count, Keys: proto.Keys(count), Plugin: 1})
				for p := range uint8(players) {
					start := time.Now()
					got := false
					for try := 0; try < 200 && !got; try++ {
						g.sendUDP(proto.RequestKeyInfo{Player: p, RegID: g.regID, Count: count, Buffered: 2})
						g.udp.SetReadDeadline(time.Now().Add(5 * time.Millisecond))
						for !got {
							n, err := g.udp.Read(buf)
							if errors.Is(err, os.ErrDeadlineExceeded) {
								break
							} else if err != nil {
								return
							}
							k, err := proto.DecodeKeyInfoServer(buf[:n])
							got = err == nil && !k.Gratuitous && k.Player == p && k.Events[0].Count == count
						}
					}
					if got {
						mine = append(mine, time.Since(start))
					} else {
						lost++
					}
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			missing += lost
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(lat) == 0 {
		t.Fatal("no reply")
	}
	slices.Sort(lat)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("%d requests, %d unanswered; request→reply p50 %v, p99 %v, max %v; heap %d KiB (server and clients)",
		len(lat), missing, lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1], ms.HeapAlloc>>10)
	if missing > 0 {
		t.Errorf("%d requests unanswered", missing)
	}
}
