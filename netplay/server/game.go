package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"github.com/n64go/n64/netplay/proto"
)

// Game is the protocol state of one room's game server, without sockets:
// registrations (NETPLAY.md §2.1, §2.4), the server-ordered input of every
// player (§3.2), buffer control (§3.3), the status byte, desync detection
// (§3.6) and liveness (§3.5). The socket layer (Room) feeds it requests and
// datagrams and sends what it puts in an Outbox. It is not safe for
// concurrent use; Room holds its mutex around every call.
type Game struct {
	log    *slog.Logger
	target uint8 // T, sent in every register reply (§2.1)
	maxBuf int   // largest B
	fixed  bool  // B is fixed: no buffer control

	regs     [proto.MaxPlayers]proto.Registration
	regConn  [proto.MaxPlayers]uint64     // the TCP connection that registered the slot
	regIP    [proto.MaxPlayers]netip.Addr // its peer address
	lastSeen [proto.MaxPlayers]time.Time  // registration, start barrier or last type 2
	frozen   bool                         // the table was sent; no new registrations
	everReg  bool                         // some slot was registered once

	status  proto.Status
	players [proto.MaxPlayers]playerInput

	// peers maps reg_ids the game knows (members and spectators) to the
	// UDP address their latest type 2 came from. Bounded by
	// MaxPlayers + maxSpectators entries.
	peers []peer
	// spectators are reg_ids served read-only (§3.7): clients whose
	// registration was refused, and members dropped for silence, who can
	// go on watching. Oldest first, at most maxSpectators.
	spectators []uint32

	sync     [syncEntries]syncEntry
	syncNext int
	desyncs  int // VI counts found to differ

	events []proto.KeyEvent // scratch

	stats gameStats // for the status page
}

// maxSpectators bounds the read-only reg_ids a room serves.
const maxSpectators = 8

// syncEntries is how many VI counts of sync data are kept: 32 × 600 VIs is
// over five minutes, far more than the clients' spread ([G64] keeps 100,
// [S64] never prunes, §6 Q7).
const syncEntries = 32

type peer struct {
	regID uint32
	addr  netip.AddrPort
}

type syncEntry struct {
	used     bool
	vi       uint32
	cp0      [proto.CP0RegCount]uint32
	from     int // slot of the first reporter, −1 for a spectator
	desynced bool
}

// Errors HandleDatagram reports for datagrams it drops. None of them
// changes any state.
var (
	errUnknownRegID  = errors.New("reg_id is neither registered nor a known spectator")
	errForeignSource = errors.New("source address belongs to no player of this room")
	errNotRegistered = errors.New("player is not registered")
	errFutureCount   = errors.New("count is past every decided event")
	errServerPacket  = errors.New("server-to-client packet type")
)

func newGame(log *slog.Logger, maxBuf int) *Game {
	g := &Game{log: log, target: proto.DefaultBufferTarget, maxBuf: max(maxBuf, minBufferSize)}
	for i := range g.players {
		g.players[i].buf = min(max(proto.InitialBufferSize, minBufferSize), g.maxBuf)
	}
	return g
}

// SetTarget sets T (1–255).
func (g *Game) SetTarget(t uint8) { g.target = max(t, 1) }

// SetFixedDelay sets T and every player's B to d events (1 up to the
// largest B) and turns buffer control off: every player's inputs are
// decided d events ahead of the lead, for the whole game.
func (g *Game) SetFixedDelay(d uint8) {
	b := min(max(int(d), minBufferSize), g.maxBuf)
	g.target = uint8(b)
	g.fixed = true
	for i := range g.players {
		g.players[i].buf = b
	}
}

// Target returns T.
func (g *Game) Target() uint8 { return g.target }

// Status returns the status byte: bit 0 desync, bit k player k
// disconnected (§3.2).
func (g *Game) Status() proto.Status { return g.status }

// BufferSize returns B for player p.
func (g *Game) BufferSize(p int) int { return g.players[p].buf }

// Registered reports whether slot holds a registration.
func (g *Game) Registered(slot int) bool { return g.regs[slot].Present() }

// RegisteredCount returns the number of registered slots.
func (g *Game) RegisteredCount() int {
	n := 0
	for _, r := range g.regs {
		if r.Present() {
			n++
		}
	}
	return n
}

// EverRegistered reports whether any slot was ever registered.
func (g *Game) EverRegistered() bool { return g.everReg }

// Table returns the registration table (§2.4).
func (g *Game) Table() proto.RegistrationTable { return proto.RegistrationTable(g.regs) }

// Frozen reports whether the table was sent.
func (g *Game) Frozen() bool { return g.frozen }

// Freeze marks the table as sent: from now on a free slot can no longer be
// registered, so every client plays with the same table. It counts as a
// sign of life for every registered slot, whose clients now boot.
func (g *Game) Freeze(now time.Time) {
	g.frozen = true
	for s := range g.regs {
		if g.regs[s].Present() {
			g.lastSeen[s] = now
		}
	}
}

// slotOf returns the lowest slot registered with regID (§3.2 step 1).
func (g *Game) slotOf(regID uint32) (int, bool) {
	for s, r := range g.regs {
		if r.Present() && r.RegID == regID {
			return s, true
		}
	}
	return -1, false
}

func (g *Game) isSpectator(regID uint32) bool {
	for _, id := range g.spectators {
		if id == regID {
			return true
		}
	}
	return false
}

func (g *Game) addSpectator(regID uint32) {
	if regID == 0 || g.isSpectator(regID) {
		return
	}
	if _, member := g.slotOf(regID); member {
		return
	}
	if len(g.spectators) == maxSpectators {
		g.forgetPeer(g.spectators[0])
		g.spectators = append(g.spectators[:0], g.spectators[1:]...)
	}
	g.spectators = append(g.spectators, regID)
}

func (g *Game) bindPeer(regID uint32, addr netip.AddrPort) {
	for i := range g.peers {
		if g.peers[i].regID == regID {
			g.peers[i].addr = addr
			return
		}
	}
	g.peers = append(g.peers, peer{regID, addr})
}

func (g *Game) forgetPeer(regID uint32) {
	for i := range g.peers {
		if g.peers[i].regID == regID {
			g.peers = append(g.peers[:i], g.peers[i+1:]...)
			return
		}
	}
}

// known reports whether regID is a member or a spectator; peers of other
// reg_ids are forgotten.
func (g *Game) known(regID uint32) bool {
	_, member := g.slotOf(regID)
	return member || g.isSpectator(regID)
}

func (g *Game) prunePeers() {
	kept := g.peers[:0]
	for _, p := range g.peers {
		if g.known(p.regID) {
			kept = append(kept, p)
		}
	}
	g.peers = kept
}

// Register handles REGISTER_PLAYER (§2.1) received on TCP connection conn
// from ip. It reports whether the slot is now (or already was) regID's,
// and if not, why. A refused client is kept as a read-only spectator.
func (g *Game) Register(req proto.RegisterPlayer, conn uint64, ip netip.Addr, now time.Time) (ok bool, why string) {
	s := int(req.Slot)
	cur := g.regs[s]
	switch {
	case cur.Present() && cur.RegID == req.RegID:
		// The same client again, maybe over a new connection: that
		// connection now speaks for the slot.
		g.regConn[s], g.regIP[s] = conn, ip.Unmap()
		return true, ""
	case cur.Present():
		g.addSpectator(req.RegID)
		return false, "slot held by another reg_id"
	case g.frozen:
		g.addSpectator(req.RegID)
		return false, "the registration table was already sent"
	}
	plugin := req.Plugin
	if s > 0 && plugin == proto.PluginMempak {
		plugin = proto.PluginNone // only player 1 may use a mempak
	}
	g.regs[s] = proto.Registration{RegID: req.RegID, Plugin: plugin, Raw: req.Raw}
	g.regConn[s] = conn
	g.regIP[s] = ip.Unmap()
	g.lastSeen[s] = now
	g.everReg = true
	g.status &^= proto.StatusDisconnected(s)
	g.players[s].pending = event{plugin: plugin}
	for i, id := range g.spectators {
		if id == req.RegID {
			g.spectators = append(g.spectators[:i], g.spectators[i+1:]...)
			break
		}
	}
	return true, ""
}

// Disconnect handles DISCONNECT_NOTICE (§2.4) received on connection conn
// from ip: every slot registered with regID over that connection, or from
// that IP, is dropped. It returns the dropped slots.
func (g *Game) Disconnect(regID uint32, conn uint64, ip netip.Addr) []int {
	var dropped []int
	for s, r := range g.regs {
		if r.Present() && r.RegID == regID && (g.regConn[s] == conn || g.regIP[s] == ip.Unmap()) {
			g.Drop(s, false)
			dropped = append(dropped, s)
		}
	}
	return dropped
}

// Drop removes slot's registration and marks it disconnected in the status
// byte (§2.4, §3.5). Its later events hold neutral keys rather than the
// last ones received (§6 Q8: a held accelerator or direction for the rest
// of the game): every client plays what the server decides, so any value
// keeps the machines in step. With spectate the client may go on watching
// read-only.
//
// A slot that holds no registration (a member that never registered) is
// only marked disconnected.
func (g *Game) Drop(slot int, spectate bool) {
	g.status |= proto.StatusDisconnected(slot)
	r := g.regs[slot]
	if !r.Present() {
		return
	}
	g.regs[slot] = proto.Registration{}
	g.regConn[slot] = 0
	p := &g.players[slot]
	p.pending = event{plugin: r.Plugin}
	p.healthSum, p.healthN = 0, 0
	if _, still := g.slotOf(r.RegID); !still {
		if spectate {
			g.addSpectator(r.RegID)
		}
		g.prunePeers()
	}
}

// Liveness returns the registered slots whose last sign of life is older
// than timeout (§3.5); it does not drop them. Signs of life are type 2
// requests once the table was sent. Before that, while clients boot and
// wait for each other at the start barrier, a slot also lives while the
// TCP connection that registered it is open (connOpen); the barrier
// timeout deals with members that never register.
func (g *Game) Liveness(now time.Time, timeout time.Duration, connOpen func(conn uint64) bool) []int {
	var silent []int
	for s, r := range g.regs {
		if !r.Present() || now.Sub(g.lastSeen[s]) <= timeout {
			continue
		}
		if !g.frozen && connOpen != nil && connOpen(g.regConn[s]) {
			continue
		}
		silent = append(silent, s)
	}
	return silent
}

// touch refreshes slot and every slot registered over the same TCP
// connection: a client with two local players sends type 2 with one
// reg_id only (§6 Q15).
func (g *Game) touch(slot int, now time.Time) {
	c := g.regConn[slot]
	for s, r := range g.regs {
		if r.Present() && (s == slot || c != 0 && g.regConn[s] == c) {
			g.lastSeen[s] = now
		}
	}
}

// BufferChange is one change of B made by AdjustBuffers.
type BufferChange struct {
	Player   int
	Old, New int
	Health   float64 // average `buffered` of the lead requests
}

// AdjustBuffers runs one buffer-control tick for every player (§3.3); with
// a fixed delay it only drops the samples.
func (g *Game) AdjustBuffers() []BufferChange {
	var changes []BufferChange
	for i := range g.players {
		if g.fixed {
			g.players[i].healthSum, g.players[i].healthN = 0, 0
			continue
		}
		if avg, old, changed := g.players[i].adjust(g.target, g.maxBuf); changed {
			changes = append(changes, BufferChange{Player: i, Old: old, New: g.players[i].buf, Health: avg})
		}
	}
	return changes
}

// Outbox collects the datagrams a call to HandleDatagram wants sent. Reuse
// one per receiving goroutine: Reset keeps the memory.
type Outbox struct {
	buf  []byte
	msgs []outMsg
}

type outMsg struct {
	to       netip.AddrPort
	off, end int
}

// Reset empties the outbox.
func (o *Outbox) Reset() { o.buf, o.msgs = o.buf[:0], o.msgs[:0] }

// Len returns the number of datagrams.
func (o *Outbox) Len() int { return len(o.msgs) }

// At returns datagram i and its destination.
func (o *Outbox) At(i int) (netip.AddrPort, []byte) {
	m := o.msgs[i]
	return m.to, o.buf[m.off:m.end]
}

func (o *Outbox) add(to netip.AddrPort, p proto.KeyInfoServer) error {
	off := len(o.buf)
	b, err := p.AppendBinary(o.buf)
	if err != nil {
		return err
	}
	o.buf = b
	o.msgs = append(o.msgs, outMsg{to, off, len(b)})
	return nil
}

// HandleDatagram handles one UDP datagram from src (§3) and adds the
// replies to out. A datagram that is malformed, of a server type, from an
// unknown reg_id or from an address that is no player of this room is
// dropped with an error and changes nothing.
func (g *Game) HandleDatagram(src netip.AddrPort, b []byte, now time.Time, out *Outbox) error {
	g.stats.received++
	err := g.handleDatagram(src, b, now, out)
	if err != nil {
		g.stats.dropped++
	}
	return err
}

func (g *Game) handleDatagram(src netip.AddrPort, b []byte, now time.Time, out *Outbox) error {
	src = netip.AddrPortFrom(src.Addr().Unmap(), src.Port())
	if len(b) == 0 {
		return fmt.Errorf("%w: empty datagram", proto.ErrShort)
	}
	switch proto.PacketType(b[0]) {
	case proto.PacketKeyInfoClient:
		k, err := proto.DecodeKeyInfoClient(b)
		if err != nil {
			return err
		}
		return g.keyInfo(src, k, out)
	case proto.PacketRequestKeyInfo:
		r, err := proto.DecodeRequestKeyInfo(b)
		if err != nil {
			return err
		}
		return g.request(src, r, now, out)
	case proto.PacketSyncData:
		d, err := proto.DecodeSyncData(b)
		if err != nil {
			return err
		}
		return g.syncData(src, d)
	case proto.PacketKeyInfoServer, proto.PacketKeyInfoServerGratuitous:
		return errServerPacket
	}
	return fmt.Errorf("%w: UDP packet type %d", proto.ErrUnknown, b[0])
}

// request answers a type 2 (§3.2).
func (g *Game) request(src netip.AddrPort, r proto.RequestKeyInfo, now time.Time, out *Outbox) error {
	s, member := g.slotOf(r.RegID)
	if !member && !g.isSpectator(r.RegID) {
		return errUnknownRegID // Q1 for an unknown reg_id: nothing to serve
	}
	g.bindPeer(r.RegID, src)
	if member {
		g.touch(s, now)
	}
	p := &g.players[r.Player]
	lag, ok := p.request(r.Count, member && !r.Spectator, r.Buffered)
	if !ok {
		return errFutureCount
	}
	st := &g.stats.spectator
	if member {
		st = &g.stats.slots[s]
		st.lag, st.buffered = lag, r.Buffered
	}
	st.requests++
	g.events = p.appendEvents(g.events[:0], r.Count)
	if len(g.events) == 0 {
		return nil // §3.2 step 5: nothing to send
	}
	st.replies++
	return out.add(src, proto.KeyInfoServer{Player: r.Player, Status: g.status, Lag: satLag(lag), Events: g.events})
}

// mayControl reports whether a type 0 for slot from src is genuine: src
// is the UDP address of a reg_id registered over the same TCP connection
// as slot, or has the IP that connection came from. The stock servers
// accept key info from anyone (§8 "forged inputs").
func (g *Game) mayControl(src netip.AddrPort, slot int) bool {
	if g.regIP[slot] == src.Addr() {
		return true
	}
	for _, p := range g.peers {
		if p.addr != src {
			continue
		}
		if s, ok := g.slotOf(p.regID); ok && g.regConn[s] == g.regConn[slot] {
			return true
		}
	}
	return false
}

// keyInfo handles a type 0: it sets pending and pushes the decided events
// from its count on to every known address as type 3 (§3.2).
func (g *Game) keyInfo(src netip.AddrPort, k proto.KeyInfoClient, out *Outbox) error {
	s := int(k.Player)
	if !g.regs[s].Present() {
		return errNotRegistered
	}
	if !g.mayControl(src, s) {
		return errForeignSource
	}
	p := &g.players[s]
	p.pending = event{keys: k.Keys, plugin: k.Plugin}
	g.stats.slots[s].keyInfo++
	g.events = p.appendEvents(g.events[:0], k.Count)
	if len(g.events) == 0 {
		return nil
	}
	push := proto.KeyInfoServer{Gratuitous: true, Player: k.Player, Status: g.status, Events: g.events}
	first := len(out.msgs)
	for _, peer := range g.peers {
		dup := false
		for _, m := range out.msgs[first:] {
			if m.to == peer.addr {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		if len(out.msgs) == first {
			if err := out.add(peer.addr, push); err != nil {
				return err
			}
			continue
		}
		m := out.msgs[first]
		out.msgs = append(out.msgs, outMsg{peer.addr, m.off, m.end})
	}
	g.stats.pushes += uint64(len(out.msgs) - first)
	return nil
}

// sender identifies the player a datagram without reg_id comes from: the
// slot bound to src, −1 for a spectator.
func (g *Game) sender(src netip.AddrPort) (int, bool) {
	for _, p := range g.peers {
		if p.addr == src {
			if s, ok := g.slotOf(p.regID); ok {
				return s, true
			}
			return -1, true
		}
	}
	for s, r := range g.regs {
		if r.Present() && g.regIP[s] == src.Addr() {
			return s, true
		}
	}
	return 0, false
}

// syncData handles a type 4 (§3.6): the first payload for a VI count is
// the reference; one that differs sets the desync bit, which stays set.
// Unlike the stock servers, checking goes on after the first desync, so
// every diverging VI is logged, and only room players are heard (§8
// "forged desyncs").
func (g *Game) syncData(src netip.AddrPort, d proto.SyncData) error {
	who, ok := g.sender(src)
	if !ok {
		return errForeignSource
	}
	if who >= 0 {
		g.stats.slots[who].syncData++
	} else {
		g.stats.spectator.syncData++
	}
	for i := range g.sync {
		e := &g.sync[i]
		if !e.used || e.vi != d.VICount {
			continue
		}
		if e.cp0 == d.CP0 || e.desynced {
			return nil
		}
		e.desynced = true
		g.desyncs++
		g.status |= proto.StatusDesync
		diff := -1
		for r := range e.cp0 {
			if e.cp0[r] != d.CP0[r] {
				diff = r
				break
			}
		}
		g.log.Warn("desync", "vi", d.VICount, "first_player", e.from+1, "other_player", who+1,
			"cp0_reg", diff, "first_value", e.cp0[diff], "other_value", d.CP0[diff])
		return nil
	}
	g.sync[g.syncNext] = syncEntry{used: true, vi: d.VICount, cp0: d.CP0, from: who}
	g.syncNext = (g.syncNext + 1) % syncEntries
	return nil
}
