package server

import (
	"net/netip"
	"testing"

	"github.com/n64go/n64/netplay/proto"
)

// BenchmarkHandleLoadMix feeds a Game the datagrams of TestLoad, one per
// op: four registered players, each at every count sending its input
// (type 0, pushed to the four clients as type 3) and asking for each of
// the four ports (type 2, answered with type 1). allocs/op is the
// server's allocations per packet on its protocol path.
func BenchmarkHandleLoadMix(b *testing.B) {
	log, _ := testLogger()
	g := newGame(log, 30)
	var addrs [proto.MaxPlayers]netip.AddrPort
	var regs [proto.MaxPlayers]uint32
	for s := range proto.MaxPlayers {
		addrs[s] = netip.AddrPortFrom(netip.AddrFrom4([4]byte{192, 0, 2, byte(s + 1)}), uint16(40000+s))
		regs[s] = uint32(0x1000 + s)
		g.Register(proto.RegisterPlayer{Slot: uint8(s), Plugin: proto.PluginNone, RegID: regs[s]}, uint64(s+1), addrs[s].Addr(), t0)
	}
	g.Freeze(t0)
	// The datagrams of 4096 counts, built before the timed loop.
	var all [][]byte
	var src []netip.AddrPort
	for c := range uint32(4096) {
		for s := range uint8(proto.MaxPlayers) {
			k, _ := proto.KeyInfoClient{Player: s, Count: c, Keys: proto.Keys(c), Plugin: proto.PluginNone}.MarshalBinary()
			all, src = append(all, k), append(src, addrs[s])
			for p := range uint8(proto.MaxPlayers) {
				r, _ := proto.RequestKeyInfo{Player: p, RegID: regs[s], Count: c, Buffered: 2}.MarshalBinary()
				all, src = append(all, r), append(src, addrs[s])
			}
		}
	}
	var out Outbox
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(all) {
			b.StopTimer()
			g = newGame(log, 30)
			for s := range proto.MaxPlayers {
				g.Register(proto.RegisterPlayer{Slot: uint8(s), Plugin: proto.PluginNone, RegID: regs[s]}, uint64(s+1), addrs[s].Addr(), t0)
			}
			g.Freeze(t0)
			i = 0
			b.StartTimer()
		}
		out.Reset()
		if err := g.HandleDatagram(src[i], all[i], t0, &out); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
