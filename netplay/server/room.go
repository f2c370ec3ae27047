package server

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/n64go/n64/netplay/proto"
)

// Bounds on what one room stores from its clients (§6 Q7).
const (
	maxSaveNames = 8       // mpk, eep, fla, sra, and a few more (gopher64 sent img, rom)
	maxSaveBytes = 4 << 20 // all saves together; the four boot saves are 288 KiB
	maxCustomAll = 1 << 20 // all custom blobs together; blobs in use are ≤ 92 bytes
)

// roomHooks is how a room tells the lobby about changes it made itself.
// Hooks are called without the room's lock held.
type roomHooks interface {
	// playersDropped: the room removed these slots (disconnect notice,
	// silence, or never registering); their lobby members must go.
	playersDropped(r *Room, slots []int)
	// roomClosed: the room closed and released its port.
	roomClosed(r *Room)
}

// Room is the game server of one room: a TCP listener for registration,
// settings, saves and custom blobs (§2) and a UDP socket for inputs (§3),
// both on Port. Its protocol state lives in a Game behind mu.
type Room struct {
	srv   *Server
	cfg   *Config
	log   *slog.Logger
	name  string
	port  int
	tcp   *net.TCPListener
	udp   *net.UDPConn
	hooks roomHooks

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // the room's own goroutines

	mu           sync.Mutex
	game         *Game
	members      [proto.MaxPlayers]string // lobby member names by slot; "" = none
	memberIPs    []netip.Addr             // their lobby addresses
	started      bool
	startTime    time.Time
	settings     []byte // the 24-byte block, nil until player 1 sent it
	saves        map[string][]byte
	saveBytes    int
	custom       [proto.NumCustomSlots][]byte // nil = not sent
	customBytes  int
	conns        map[uint64]*gameConn
	nextConn     uint64
	changed      chan struct{} // closed and replaced whenever waiters may proceed
	barrierSince time.Time     // when a client first asked for the table
	closing      bool
	closeReason  string
	drops        int   // datagrams dropped since the last report
	dropErr      error // the last reason
	dropFrom     netip.AddrPort
	dropReport   time.Time
}

// gameConn is one TCP connection to a room.
type gameConn struct {
	id       uint64
	c        net.Conn
	ip       netip.Addr
	accepted time.Time
	// attempted: the connection sent REGISTER_PLAYER. Only its own
	// goroutine uses it.
	attempted bool
}

func newRoom(s *Server, parent context.Context, name string, tl *net.TCPListener, uc *net.UDPConn, hooks roomHooks) *Room {
	port := tl.Addr().(*net.TCPAddr).Port
	r := &Room{
		srv: s, cfg: &s.cfg, name: name, port: port, tcp: tl, udp: uc, hooks: hooks,
		log:     s.log.With("room", name, "port", port),
		saves:   make(map[string][]byte),
		conns:   make(map[uint64]*gameConn),
		changed: make(chan struct{}),
	}
	r.game = newGame(r.log, s.cfg.MaxBufferSize)
	r.ctx, r.cancel = context.WithCancel(parent)
	setTOS(uc, r.log)
	r.goRoom(r.acceptLoop)
	r.goRoom(r.udpLoop)
	r.goRoom(r.tickLoop)
	s.goTracked(r.closer)
	return r
}

func (r *Room) goRoom(f func()) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		f()
	}()
}

// Port returns the room's TCP and UDP port.
func (r *Room) Port() int { return r.port }

// notifyLocked wakes every waiting request. r.mu must be held.
func (r *Room) notifyLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// setMembers updates the lobby members by slot and their addresses.
func (r *Room) setMembers(names [proto.MaxPlayers]string, ips []netip.Addr) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.members = names
	r.memberIPs = ips
	r.notifyLocked()
}

// maxStrangerConns caps the game connections from addresses that are not
// a lobby member's. Anyone can connect to a room's port; members are
// counted apart so that strangers cannot take every connection, yet a
// member whose game traffic takes another route (another address family,
// §6 Q16) still gets in.
const maxStrangerConns = 4

// admitLocked decides whether a new game connection from ip may stay.
func (r *Room) admitLocked(ip netip.Addr) bool {
	if r.closing || len(r.conns) >= r.cfg.MaxGameConns {
		return false
	}
	if slices.Contains(r.memberIPs, ip) {
		return true
	}
	strangers := 0
	for _, gc := range r.conns {
		if !slices.Contains(r.memberIPs, gc.ip) {
			strangers++
		}
	}
	return strangers < maxStrangerConns
}

// begin starts the room (request_begin_game) with buffer target t; with
// fixed, t is also every player's B and buffer control is off.
func (r *Room) begin(t uint8, fixed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.started = true
	r.startTime = time.Now()
	if fixed {
		r.game.SetFixedDelay(t)
	} else {
		r.game.SetTarget(t)
	}
	r.notifyLocked()
	r.log.Info("room started", "buffer_target", t, "fixed_delay", fixed, "players", r.memberCountLocked())
}

func (r *Room) memberCountLocked() int {
	n := 0
	for _, m := range r.members {
		if m != "" {
			n++
		}
	}
	return n
}

// Close closes the room; it returns at once, and the lobby hears of it
// through roomClosed once every goroutine of the room ended.
func (r *Room) Close(reason string) {
	r.mu.Lock()
	if !r.closing {
		r.closing = true
		r.closeReason = reason
	}
	r.mu.Unlock()
	r.cancel()
}

// closer waits for the room to be closed, releases its sockets and tells
// the lobby.
func (r *Room) closer() {
	<-r.ctx.Done()
	r.tcp.Close()
	r.udp.Close()
	r.mu.Lock()
	if !r.closing {
		r.closing = true
		r.closeReason = "server shutdown"
	}
	for _, gc := range r.conns {
		gc.c.Close()
	}
	reason := r.closeReason
	r.notifyLocked()
	r.mu.Unlock()
	r.wg.Wait()
	r.log.Info("room closed", "reason", reason)
	r.hooks.roomClosed(r)
	if h := r.srv.testHook.roomClosed; h != nil {
		h(r.port)
	}
}

// shouldCloseLocked reports whether a started room is over: every
// registered player left after the table was sent, or nobody is registered
// StartTimeout after the start. A room whose players all sent the
// disconnect notice closes at once, not at the next liveness check (§8
// "Lifetime").
func (r *Room) shouldCloseLocked(now time.Time) (bool, string) {
	if !r.started || r.game.RegisteredCount() > 0 {
		return false, ""
	}
	if r.game.Frozen() {
		return true, "every player left"
	}
	if now.Sub(r.startTime) > r.cfg.StartTimeout {
		return true, "no player registered"
	}
	return false, ""
}

// dropLocked removes slots from the game and the members, logging why.
func (r *Room) dropLocked(slots []int, spectate bool, why string) {
	for _, s := range slots {
		name := r.members[s]
		r.game.Drop(s, spectate)
		r.members[s] = ""
		r.log.Info("player left", "player", s+1, "name", name, "reason", why)
	}
	if len(slots) > 0 {
		r.notifyLocked()
	}
}

// afterDrop tells the lobby and closes the room if it is over.
func (r *Room) afterDrop(slots []int, closeNow bool, reason string) {
	if len(slots) > 0 {
		r.hooks.playersDropped(r, slots)
	}
	if closeNow {
		r.Close(reason)
	}
}

// tickLoop runs buffer control and the liveness check (§3.3, §3.5).
func (r *Room) tickLoop() {
	t := time.NewTicker(r.cfg.BufferInterval)
	defer t.Stop()
	for {
		select {
		case <-r.ctx.Done():
			return
		case now := <-t.C:
			r.tick(now)
		}
	}
}

func (r *Room) tick(now time.Time) {
	r.mu.Lock()
	if !r.started {
		r.mu.Unlock()
		return
	}
	for _, c := range r.game.AdjustBuffers() {
		r.log.Info("buffer changed", "player", c.Player+1, "from", c.Old, "to", c.New,
			"health", c.Health, "target", r.game.Target())
	}
	silent := r.game.Liveness(now, r.cfg.LivenessTimeout, func(id uint64) bool { return r.conns[id] != nil })
	r.dropLocked(silent, true, "timed out")
	closeNow, reason := r.shouldCloseLocked(now)
	if r.drops > 0 && now.Sub(r.dropReport) >= 10*time.Second {
		r.log.Info("dropped datagrams", "count", r.drops, "last_reason", r.dropErr.Error(), "last_from", r.dropFrom.String())
		r.drops, r.dropReport = 0, now
	}
	r.mu.Unlock()
	r.afterDrop(silent, closeNow, reason)
}

// udpLoop serves the room's UDP socket (§3). One goroutine handles every
// datagram in order; replies are sent after the lock is released.
func (r *Room) udpLoop() {
	buf := make([]byte, 2048)
	var out Outbox
	for {
		n, src, err := r.udp.ReadFromUDPAddrPort(buf)
		if err != nil {
			if r.ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			r.log.Debug("UDP read", "err", err)
			time.Sleep(time.Millisecond) // a persistent error must not spin
			continue
		}
		now := time.Now()
		out.Reset()
		r.mu.Lock()
		if err := r.game.HandleDatagram(src, buf[:n], now, &out); err != nil {
			r.drops++
			r.dropErr, r.dropFrom = err, src
		}
		r.mu.Unlock()
		if out.Len() == 0 {
			continue
		}
		r.udp.SetWriteDeadline(now.Add(100 * time.Millisecond))
		for i := range out.Len() {
			to, b := out.At(i)
			if _, err := r.udp.WriteToUDPAddrPort(b, to); err != nil {
				r.log.Debug("UDP write", "to", to.String(), "err", err)
			}
		}
	}
}

// acceptLoop accepts game TCP connections.
func (r *Room) acceptLoop() {
	for {
		c, err := r.tcp.Accept()
		if err != nil {
			if r.ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			r.log.Warn("TCP accept", "err", err)
			select { // e.g. out of file descriptors: do not spin
			case <-r.ctx.Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
			continue
		}
		gc := &gameConn{c: c, ip: addrOf(c.RemoteAddr()), accepted: time.Now()}
		r.mu.Lock()
		if !r.admitLocked(gc.ip) {
			r.mu.Unlock()
			r.log.Warn("refused game connection", "from", c.RemoteAddr().String(), "reason", "too many connections")
			c.Close()
			continue
		}
		r.nextConn++
		gc.id = r.nextConn
		r.conns[gc.id] = gc
		r.mu.Unlock()
		r.log.Debug("game connection", "from", c.RemoteAddr().String(), "conn", gc.id)
		r.goRoom(func() { r.serveConn(gc) })
	}
}

// serveConn reads one connection's requests in order and answers each
// before reading the next, so replies never overtake each other (§6 Q13).
func (r *Room) serveConn(gc *gameConn) {
	defer func() {
		gc.c.Close()
		r.mu.Lock()
		delete(r.conns, gc.id)
		r.mu.Unlock()
	}()
	br := bufio.NewReaderSize(gc.c, 4096)
	for {
		// Between requests: a new connection must register within
		// HandshakeTimeout; afterwards it may stay idle for the whole game
		// (the stock client keeps it open until DISCONNECT_NOTICE).
		var idle time.Time
		if !gc.attempted {
			idle = gc.accepted.Add(r.cfg.HandshakeTimeout)
		}
		gc.c.SetReadDeadline(idle)
		if _, err := br.Peek(1); err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				r.log.Info("game connection closed", "conn", gc.id, "from", gc.c.RemoteAddr().String(), "err", err)
			}
			return
		}
		gc.c.SetReadDeadline(time.Now().Add(r.cfg.RequestTimeout))
		if !r.precheck(gc, br) {
			return
		}
		req, err := proto.ReadRequest(br)
		if err != nil {
			var re *proto.RequestError
			if errors.As(err, &re) && re.Framed {
				// A whole request with a field out of range: answer
				// what can be answered and go on (§6 Q5).
				r.log.Warn("bad TCP request", "conn", gc.id, "err", err)
				if re.Code == proto.CodeRegisterPlayer {
					gc.attempted = true
					if !r.reply(gc, r.registerReply(false)) {
						return
					}
				}
				continue
			}
			// Unknown code, oversized length or a broken stream: the
			// request boundary is lost, so the connection ends (the stock
			// server jams on it instead, §6 Q6).
			r.log.Warn("closing game connection", "conn", gc.id, "from", gc.c.RemoteAddr().String(), "err", err)
			return
		}
		if !r.handle(gc, req) {
			return
		}
	}
}

// isP1Locked reports whether gc registered slot 0, the player who supplies
// settings, saves and custom blobs (§1).
func (r *Room) isP1Locked(gc *gameConn) bool {
	return r.game.Registered(0) && r.game.regConn[0] == gc.id
}

// precheck refuses uploads from connections not allowed to make them
// before their payload is read: saves and custom blobs larger than one
// byte come from player 1 only (the core's netplay_send_config lets any
// client send 1 byte).
func (r *Room) precheck(gc *gameConn, br *bufio.Reader) bool {
	b, err := br.Peek(1)
	if err != nil {
		return false
	}
	code := proto.RequestCode(b[0])
	isSend := code == proto.CodeSendSave || code >= proto.CodeSendCustom && code < proto.CodeSendCustom+proto.NumCustomSlots
	if !isSend {
		return true
	}
	r.mu.Lock()
	p1 := r.isP1Locked(gc)
	r.mu.Unlock()
	if p1 {
		return true
	}
	if code != proto.CodeSendSave && gc.attempted {
		h, err := br.Peek(5)
		if err != nil {
			return false
		}
		if binary.BigEndian.Uint32(h[1:]) <= 1 {
			return true
		}
	}
	r.log.Warn("closing game connection", "conn", gc.id, "from", gc.c.RemoteAddr().String(),
		"err", "upload by a client that is not player 1", "code", code.String())
	return false
}

func (r *Room) registerReply(ok bool) []byte {
	r.mu.Lock()
	t := r.game.Target()
	r.mu.Unlock()
	b, _ := proto.RegisterReply{OK: ok, BufferTarget: t}.MarshalBinary()
	return b
}

// reply writes b with a deadline.
func (r *Room) reply(gc *gameConn, b []byte) bool {
	gc.c.SetWriteDeadline(time.Now().Add(r.cfg.WriteTimeout))
	if _, err := gc.c.Write(b); err != nil {
		r.log.Info("game connection write", "conn", gc.id, "err", err)
		return false
	}
	return true
}

// handle executes one request; false closes the connection.
func (r *Room) handle(gc *gameConn, req proto.Request) bool {
	switch q := req.(type) {
	case proto.RegisterPlayer:
		gc.attempted = true
		r.mu.Lock()
		var ok bool
		why := "the slot has no lobby member and the client is no member's address"
		// A slot nobody joined may only be taken from a member's address
		// (a second local player, §6 Q15), so strangers cannot add ports.
		if r.members[q.Slot] != "" || slices.Contains(r.memberIPs, gc.ip) {
			ok, why = r.game.Register(q, gc.id, gc.ip, time.Now())
		}
		name := r.members[q.Slot]
		r.notifyLocked()
		r.mu.Unlock()
		if ok {
			r.log.Info("player registered", "player", q.Slot+1, "name", name, "reg_id", q.RegID,
				"plugin", q.Plugin.String(), "raw", q.Raw, "from", gc.c.RemoteAddr().String())
		} else {
			r.log.Info("registration refused", "player", q.Slot+1, "reg_id", q.RegID, "reason", why,
				"from", gc.c.RemoteAddr().String())
		}
		return r.reply(gc, r.registerReply(ok))

	case proto.SendSettings:
		b, _ := q.Settings.MarshalBinary()
		r.mu.Lock()
		p1 := r.isP1Locked(gc)
		if p1 {
			r.settings = b
			r.notifyLocked()
		}
		r.mu.Unlock()
		if !p1 {
			r.log.Warn("ignored settings from a client that is not player 1", "conn", gc.id)
		}
		return true

	case proto.ReceiveSettings:
		b, ok := r.waitFor(gc, "settings", func() ([]byte, bool) { return r.settings, r.settings != nil })
		return ok && r.reply(gc, b)

	case proto.SendSave:
		r.mu.Lock()
		defer r.mu.Unlock()
		old, exists := r.saves[q.Name]
		switch {
		case !r.isP1Locked(gc):
			return false
		case !exists && len(r.saves) >= maxSaveNames, r.saveBytes-len(old)+len(q.Data) > maxSaveBytes:
			r.log.Warn("ignored save: room save storage full", "name", q.Name, "size", len(q.Data))
			return true
		}
		r.saves[q.Name] = q.Data
		r.saveBytes += len(q.Data) - len(old)
		r.notifyLocked()
		r.log.Debug("save received", "name", q.Name, "size", len(q.Data))
		return true

	case proto.ReceiveSave:
		b, ok := r.waitFor(gc, "save "+q.Name, func() ([]byte, bool) { d, ok := r.saves[q.Name]; return d, ok })
		return ok && r.reply(gc, b)

	case proto.ReceiveSaveWithSize:
		b, ok := r.waitFor(gc, "save "+q.Name, func() ([]byte, bool) { d, ok := r.saves[q.Name]; return d, ok })
		if !ok {
			return false
		}
		out, err := proto.AppendSaveWithSizeReply(nil, b)
		return err == nil && r.reply(gc, out)

	case proto.GetRegistration:
		b, ok := r.waitTable(gc)
		return ok && r.reply(gc, b)

	case proto.DisconnectNotice:
		r.mu.Lock()
		slots := r.game.Disconnect(q.RegID, gc.id, gc.ip)
		r.dropLocked(slots, false, "disconnect notice")
		closeNow, reason := r.shouldCloseLocked(time.Now())
		r.mu.Unlock()
		if len(slots) == 0 {
			r.log.Info("ignored disconnect notice", "reg_id", q.RegID, "conn", gc.id)
		}
		r.afterDrop(slots, closeNow, reason)
		return true

	case proto.SendCustom:
		r.mu.Lock()
		defer r.mu.Unlock()
		old := r.custom[q.Slot]
		if r.customBytes-len(old)+len(q.Data) > maxCustomAll {
			r.log.Warn("ignored custom data: room storage full", "slot", q.Slot, "size", len(q.Data))
			return true
		}
		if q.Data == nil {
			q.Data = []byte{}
		}
		r.custom[q.Slot] = q.Data
		r.customBytes += len(q.Data) - len(old)
		r.notifyLocked()
		return true

	case proto.ReceiveCustom:
		b, ok := r.waitFor(gc, "custom data", func() ([]byte, bool) { d := r.custom[q.Slot]; return d, d != nil })
		return ok && r.reply(gc, b)
	}
	return false
}

// p1GoneLocked reports that player 1 left a started room: settings and
// saves it did not send will never come.
func (r *Room) p1GoneLocked() bool {
	return r.started && !r.game.Registered(0) && r.members[0] == ""
}

// waitFor waits until get finds the data a request asks for (§2 "Replies":
// the stock server polls every 1 ms for 5 min). It gives up, and the
// connection is closed so the client fails instead of hanging for ever
// (§6 Q3), when ReplyTimeout passes, when player 1 is gone, when a
// connection that never registered reaches HandshakeTimeout, or when the
// room closes.
func (r *Room) waitFor(gc *gameConn, what string, get func() ([]byte, bool)) ([]byte, bool) {
	deadline := time.Now().Add(r.cfg.ReplyTimeout)
	if !gc.attempted {
		deadline = gc.accepted.Add(r.cfg.HandshakeTimeout)
	}
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		r.mu.Lock()
		data, ok := get()
		gone := r.p1GoneLocked()
		ch := r.changed
		r.mu.Unlock()
		if ok {
			return data, true
		}
		if gone {
			r.log.Info("gave up waiting: player 1 left", "waiting_for", what, "conn", gc.id)
			return nil, false
		}
		select {
		case <-ch:
		case <-r.ctx.Done():
			return nil, false
		case <-timer.C:
			r.log.Warn("gave up waiting", "waiting_for", what, "conn", gc.id)
			return nil, false
		}
	}
}

// barrierReadyLocked: the room started and every lobby member's slot is
// registered (§2.4). The stock servers compare counts, so a registration
// for a slot nobody joined could stand in for a missing member.
func (r *Room) barrierReadyLocked() bool {
	if !r.started || r.game.RegisteredCount() == 0 {
		return false
	}
	for s, m := range r.members {
		if m != "" && !r.game.Registered(s) {
			return false
		}
	}
	return true
}

// waitTable answers GET_REGISTRATION: the table once every member is
// registered. If that has not happened BarrierTimeout after a client
// first asked, the members that never registered are dropped and the
// others start (§6 Q3: the stock server waits 5 min and then goes silent,
// and the stock client hangs).
func (r *Room) waitTable(gc *gameConn) ([]byte, bool) {
	now := time.Now()
	r.mu.Lock()
	if r.barrierSince.IsZero() {
		r.barrierSince = now
	}
	barrier := r.barrierSince.Add(r.cfg.BarrierTimeout)
	r.mu.Unlock()
	giveUp := now.Add(r.cfg.ReplyTimeout)
	if !gc.attempted {
		giveUp = gc.accepted.Add(r.cfg.HandshakeTimeout)
	}
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		now = time.Now()
		r.mu.Lock()
		var dropped []int
		if !r.game.Frozen() && r.started && !now.Before(barrier) && r.game.RegisteredCount() > 0 {
			for s, m := range r.members {
				if m != "" && !r.game.Registered(s) {
					dropped = append(dropped, s)
				}
			}
			r.dropLocked(dropped, false, "never registered")
		}
		if !r.game.Frozen() && (r.barrierReadyLocked() || len(dropped) > 0) {
			r.game.Freeze(now)
			r.notifyLocked()
			r.log.Info("start barrier passed", "registered", r.game.RegisteredCount())
		}
		var table []byte
		if r.game.Frozen() {
			table, _ = r.game.Table().MarshalBinary()
		}
		ch := r.changed
		r.mu.Unlock()
		if len(dropped) > 0 {
			r.hooks.playersDropped(r, dropped)
		}
		if table != nil {
			return table, true
		}
		if !now.Before(giveUp) {
			r.log.Warn("gave up waiting", "waiting_for", "registration table", "conn", gc.id)
			return nil, false
		}
		next := giveUp
		if now.Before(barrier) && barrier.Before(next) {
			next = barrier
		}
		if timer == nil {
			timer = time.NewTimer(next.Sub(now))
		} else {
			timer.Reset(next.Sub(now)) // Go ≥ 1.23: no stale tick to drain
		}
		select {
		case <-ch:
		case <-r.ctx.Done():
			return nil, false
		case <-timer.C:
		}
	}
}
