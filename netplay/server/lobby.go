package server

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/n64go/n64/netplay/proto"
)

// Lobby limits. The stock servers only require non-empty names (§4
// "Limits"); simple64's client allows 30 characters.
const (
	maxNameLen    = 64   // player and room names, bytes
	maxChatLen    = 1024 // chat text, bytes
	lobbyQueueLen = 64   // frames waiting to be written to one socket
	lobbyRate     = 20   // messages per second a socket may send, sustained
	lobbyBurst    = 40
	pingPayload   = "request_ping" // tells a request_ping's pong from a keepalive's
)

// lobby is the WebSocket lobby (§4). All its state is behind mu; no
// network write happens under it (frames are queued to each socket's
// writer goroutine, and a socket that falls behind is closed).
type lobby struct {
	s   *Server
	log *slog.Logger
	ctx context.Context
	// epoch is the zero of round-trip probe payloads.
	epoch time.Time

	mu     sync.Mutex
	closed bool
	conns  map[*lobbyConn]struct{}
	perIP  map[netip.Addr]int
	rooms  map[string]*lobbyRoom // by name: names are unique (§4)
	byPort map[int]*lobbyRoom    // clients name rooms by port
}

// lobbyRoom is a room as the lobby knows it.
type lobbyRoom struct {
	name, gameName, md5 string
	password            string
	emulator, clientSHA string
	features            map[string]string // with the server's proto.FeatureInputDelay* keys
	delay               InputDelay        // the mode; Events only for DelayFixed
	bufferTarget        int
	port                int
	running             bool
	members             [proto.MaxPlayers]*member
	game                *Room
	log                 *slog.Logger
}

// member is a player of a room; conn is nil once its socket closed in a
// running room (§4 "A lobby socket closes").
type member struct {
	name string
	conn *lobbyConn
	ip   netip.Addr
}

// lobbyConn is one lobby WebSocket.
type lobbyConn struct {
	l     *lobby
	c     net.Conn
	ip    netip.Addr
	addr  string
	out   chan []byte   // encoded frames for the writer
	probe chan struct{} // asks the writer for a round-trip probe
	done  chan struct{}
	once  sync.Once

	// Under l.mu.
	authenticated bool
	room          *lobbyRoom
	rtt           rttLog

	// Reader goroutine only.
	pingStart   time.Time
	pingWaiting bool
	tokens      float64
	tokenTime   time.Time
}

func newLobby(s *Server) *lobby {
	return &lobby{s: s, log: s.log, epoch: time.Now(), conns: make(map[*lobbyConn]struct{}), perIP: make(map[netip.Addr]int),
		rooms: make(map[string]*lobbyRoom), byPort: make(map[int]*lobbyRoom)}
}

func (l *lobby) start(ctx context.Context) { l.ctx = ctx }

// shutdown closes every socket and room.
func (l *lobby) shutdown() {
	l.mu.Lock()
	l.closed = true
	conns := make([]*lobbyConn, 0, len(l.conns))
	for lc := range l.conns {
		conns = append(conns, lc)
	}
	rooms := make([]*Room, 0, len(l.rooms))
	for _, lr := range l.rooms {
		rooms = append(rooms, lr.game)
	}
	l.mu.Unlock()
	for _, lc := range conns {
		lc.sendClose(closeGoingAway, "server shutdown")
		time.AfterFunc(time.Second, lc.close)
	}
	for _, r := range rooms {
		r.Close("server shutdown")
	}
}

// serveHTTP upgrades a request to a lobby WebSocket, on any path (§4).
func (l *lobby) serveHTTP(w http.ResponseWriter, req *http.Request) {
	accept, status, err := checkUpgrade(req)
	if err != nil {
		if status == http.StatusUpgradeRequired {
			w.Header().Set("Sec-WebSocket-Version", "13")
		}
		http.Error(w, err.Error(), status)
		return
	}
	ip := netip.Addr{}
	if ap, err := netip.ParseAddrPort(req.RemoteAddr); err == nil {
		ip = ap.Addr().Unmap()
	}
	c, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		l.log.Warn("lobby hijack", "err", err)
		return
	}
	c.SetDeadline(time.Now().Add(l.s.cfg.WriteTimeout))
	lc := &lobbyConn{l: l, c: c, ip: ip, addr: req.RemoteAddr, out: make(chan []byte, lobbyQueueLen),
		probe: make(chan struct{}, 1), done: make(chan struct{}), tokens: lobbyBurst, tokenTime: time.Now()}
	l.mu.Lock()
	full := len(l.conns) >= l.s.cfg.MaxLobbyConns || l.perIP[ip] >= l.s.cfg.MaxLobbyConnsPerIP
	if l.closed || full {
		l.mu.Unlock()
		l.log.Warn("refused lobby connection", "from", req.RemoteAddr, "reason", "too many connections")
		io.WriteString(c, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		c.Close()
		return
	}
	l.conns[lc] = struct{}{}
	l.perIP[ip]++
	l.s.wg.Add(2) // reader (this goroutine) and writer; Add before shutdown sets closed
	l.mu.Unlock()
	defer l.s.wg.Done()

	if _, err := io.WriteString(c, upgradeResponse(accept)); err != nil {
		lc.close()
		l.s.wg.Done()
		l.leave(lc)
		return
	}
	c.SetDeadline(time.Time{})
	l.log.Debug("lobby connection", "from", lc.addr)
	go func() {
		defer l.s.wg.Done()
		lc.writer()
	}()
	lc.reader(brw.Reader)
}

// close closes the socket; the reader then leaves the lobby.
func (lc *lobbyConn) close() {
	lc.once.Do(func() {
		close(lc.done)
		lc.c.Close()
	})
}

// send queues a frame; a socket whose queue is full is too slow and is
// closed rather than allowed to hold anyone up.
func (lc *lobbyConn) send(frame []byte) {
	select {
	case lc.out <- frame:
	case <-lc.done:
	default:
		lc.l.log.Warn("closing slow lobby connection", "from", lc.addr)
		lc.close()
	}
}

func (lc *lobbyConn) sendClose(code uint16, reason string) {
	lc.send(appendFrame(nil, opClose, closePayload(code, reason)))
}

// writer writes queued frames, keepalive pings and, while the socket is
// in a room that has not started, round-trip probes, each with a
// deadline. A close frame ends the connection once written.
func (lc *lobbyConn) writer() {
	defer lc.close()
	cfg := &lc.l.s.cfg
	ping := time.NewTicker(cfg.PingInterval)
	defer ping.Stop()
	probe := time.NewTicker(cfg.RTTProbeInterval)
	defer probe.Stop()
	for {
		var frame []byte
		select {
		case <-lc.done:
			return
		case frame = <-lc.out:
		case <-ping.C:
			frame = appendFrame(nil, opPing, nil)
		case <-probe.C:
			if !lc.wantsProbe() {
				continue
			}
			frame = lc.l.probeFrame()
		case <-lc.probe:
			frame = lc.l.probeFrame() // stamped now, just before the write
		}
		lc.c.SetWriteDeadline(time.Now().Add(cfg.WriteTimeout))
		if _, err := lc.c.Write(frame); err != nil {
			return
		}
		if frame[0] == 0x80|opClose {
			return
		}
	}
}

// reader reads the socket's messages and dispatches them.
func (lc *lobbyConn) reader(br *bufio.Reader) {
	l := lc.l
	defer func() {
		lc.close()
		l.leave(lc)
	}()
	cfg := &l.s.cfg
	wr := newWSReader(br, cfg.MaxMessageSize)
	for {
		lc.c.SetReadDeadline(time.Now().Add(cfg.LobbyIdleTimeout))
		op, p, err := wr.Next()
		if err != nil {
			var we *wsError
			if errors.As(err, &we) {
				l.log.Info("lobby protocol error", "from", lc.addr, "err", err)
				lc.sendClose(we.code, we.msg)
				lc.awaitWriter()
			}
			return
		}
		switch op {
		case opPing:
			lc.send(appendFrame(nil, opPong, p))
		case opPong:
			if d, ok := l.probeRTT(p); ok {
				l.recordRTT(lc, d)
			} else if lc.pingWaiting && string(p) == pingPayload {
				lc.pingWaiting = false
				ms := time.Since(lc.pingStart).Milliseconds()
				lc.sendMsg(proto.LobbyMessage{Type: proto.TypeReplyPing, Message: strconv.FormatInt(ms, 10)})
			}
		case opClose:
			lc.sendClose(closeCode(p), "")
			lc.awaitWriter()
			return
		case opText, opBinary:
			if !lc.allow() {
				l.log.Debug("lobby message over the rate limit", "from", lc.addr)
				continue
			}
			l.handle(lc, p)
		}
	}
}

// awaitWriter gives the writer a moment to send a queued close frame.
func (lc *lobbyConn) awaitWriter() {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case <-lc.done:
	case <-t.C:
	}
}

// allow is a token bucket: lobbyRate messages per second, lobbyBurst at once.
func (lc *lobbyConn) allow() bool {
	now := time.Now()
	lc.tokens = min(lobbyBurst, lc.tokens+now.Sub(lc.tokenTime).Seconds()*lobbyRate)
	lc.tokenTime = now
	if lc.tokens < 1 {
		return false
	}
	lc.tokens--
	return true
}

// textFrame encodes a lobby message as a text frame.
func (l *lobby) textFrame(m proto.LobbyMessage) []byte {
	b, err := proto.EncodeLobbyMessage(m)
	if err != nil {
		l.log.Error("encoding lobby message", "type", m.Type, "err", err)
		return nil
	}
	return appendFrame(make([]byte, 0, len(b)+10), opText, b)
}

func (lc *lobbyConn) sendMsg(m proto.LobbyMessage) {
	if f := lc.l.textFrame(m); f != nil {
		lc.send(f)
	}
}

// leave removes a closed socket (§4 "A lobby socket closes"): before the
// start its member leaves the room, and an empty room is deleted; in a
// running room the member is only marked out of the lobby. Either way the
// others get reply_players.
func (l *lobby) leave(lc *lobbyConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.conns[lc]; !ok {
		return
	}
	delete(l.conns, lc)
	if l.perIP[lc.ip]--; l.perIP[lc.ip] <= 0 {
		delete(l.perIP, lc.ip)
	}
	l.leaveRoomLocked(lc)
}

// leaveRoomLocked takes lc out of its room.
func (l *lobby) leaveRoomLocked(lc *lobbyConn) {
	lr := lc.room
	lc.room = nil
	if lr == nil {
		return
	}
	for s, m := range lr.members {
		if m == nil || m.conn != lc {
			continue
		}
		if lr.running {
			m.conn = nil
			lr.log.Info("player left the lobby", "player", s+1, "name", m.name)
		} else {
			lr.members[s] = nil
			lr.log.Info("player left", "player", s+1, "name", m.name)
		}
	}
	if !lr.running && lr.memberCount() == 0 {
		l.deleteRoomLocked(lr)
		lr.game.Close("every member left the lobby")
		return
	}
	if !lr.running {
		l.updateDelayFeaturesLocked(lr) // the leaver's round trip no longer counts
	}
	lr.game.setMembers(lr.names(), lr.ips())
	l.broadcastPlayersLocked(lr)
}

func (l *lobby) deleteRoomLocked(lr *lobbyRoom) {
	if l.rooms[lr.name] == lr {
		delete(l.rooms, lr.name)
	}
	if l.byPort[lr.port] == lr {
		delete(l.byPort, lr.port)
	}
	for _, m := range lr.members {
		if m != nil && m.conn != nil && m.conn.room == lr {
			m.conn.room = nil
		}
	}
}

func (lr *lobbyRoom) memberCount() int {
	n := 0
	for _, m := range lr.members {
		if m != nil {
			n++
		}
	}
	return n
}

func (lr *lobbyRoom) names() [proto.MaxPlayers]string {
	var n [proto.MaxPlayers]string
	for s, m := range lr.members {
		if m != nil {
			n[s] = m.name
		}
	}
	return n
}

func (lr *lobbyRoom) ips() []netip.Addr {
	var ips []netip.Addr
	for _, m := range lr.members {
		if m != nil {
			ips = append(ips, m.ip)
		}
	}
	return ips
}

func (lr *lobbyRoom) slotOf(lc *lobbyConn) int {
	for s, m := range lr.members {
		if m != nil && m.conn == lc {
			return s
		}
	}
	return -1
}

// wire is the room object of replies.
func (lr *lobbyRoom) wire() *proto.Room {
	return &proto.Room{RoomName: lr.name, GameName: lr.gameName, MD5: lr.md5, Port: lr.port,
		Protected: lr.password != "", Features: lr.features}
}

// broadcastLocked sends a message to every member in the lobby.
func (l *lobby) broadcastLocked(lr *lobbyRoom, m proto.LobbyMessage) {
	f := l.textFrame(m)
	if f == nil {
		return
	}
	for _, mb := range lr.members {
		if mb != nil && mb.conn != nil {
			mb.conn.send(f)
		}
	}
}

// broadcastPlayersLocked sends reply_players: the names of the members in
// the lobby, by slot.
func (l *lobby) broadcastPlayersLocked(lr *lobbyRoom) {
	names := make([]string, proto.MaxPlayers)
	for s, m := range lr.members {
		if m != nil && m.conn != nil {
			names[s] = m.name
		}
	}
	l.broadcastLocked(lr, proto.LobbyMessage{Type: proto.TypeReplyPlayers, PlayerNames: names})
}

// playersDropped removes the members of slots the room dropped.
func (l *lobby) playersDropped(r *Room, slots []int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lr := l.byPort[r.port]
	if lr == nil || lr.game != r {
		return
	}
	for _, s := range slots {
		if m := lr.members[s]; m != nil {
			if m.conn != nil && m.conn.room == lr {
				m.conn.room = nil
			}
			lr.members[s] = nil
		}
	}
	lr.game.setMembers(lr.names(), lr.ips())
	l.broadcastPlayersLocked(lr)
}

// roomClosed forgets a closed room and frees its port.
func (l *lobby) roomClosed(r *Room) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if lr := l.byPort[r.port]; lr != nil && lr.game == r {
		l.deleteRoomLocked(lr)
	}
}

// checkAuth runs the version, emulator and auth checks (§4).
func (l *lobby) checkAuth(m *proto.LobbyMessage) (proto.Accept, string) {
	cfg := &l.s.cfg
	switch {
	case m.NetplayVersion != proto.APIVersion:
		return proto.MismatchVersion, "client and server API versions differ (server: " + strconv.Itoa(proto.APIVersion) + ")"
	case m.Emulator == "":
		return proto.BadEmulator, "emulator name cannot be empty"
	case !cfg.EnableAuth:
		return proto.Accepted, ""
	}
	secret := ""
	if cfg.AuthSecret != nil {
		secret = cfg.AuthSecret(m.Emulator)
	} else {
		secret = envSecret(m.Emulator)
	}
	if secret == "" || !proto.CheckAuth(m.AuthTime, m.Auth, secret, time.Now()) {
		return proto.BadAuth, "authentication failed"
	}
	return proto.Accepted, ""
}

// envSecret is the default auth secret: env <EMULATOR>_AUTH (§4).
func envSecret(emulator string) string { return os.Getenv(strings.ToUpper(emulator) + "_AUTH") }

// validName reports a name fit for the lobby: non-empty, at most
// maxNameLen bytes of UTF-8 without control characters.
func validName(s string) bool {
	if s == "" || len(s) > maxNameLen || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7F {
			return false
		}
	}
	return true
}

// handle answers one lobby message (§4 table). Messages that are not JSON
// of the right shape, of an unknown type, or (before authentication) of a
// type that needs it, get no reply at all, as with the stock servers.
func (l *lobby) handle(lc *lobbyConn, p []byte) {
	m, err := proto.DecodeLobbyMessage(p)
	if err != nil && !errors.Is(err, proto.ErrMissing) {
		l.log.Debug("ignored lobby message", "from", lc.addr, "err", err)
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	// Before authentication only these are answered (§4); [G64] also
	// lets a join authenticate itself and answers ping.
	open := m.Type == proto.TypeRequestGetRooms || m.Type == proto.TypeRequestCreateRoom ||
		m.Type == proto.TypeRequestVersion || m.Type == proto.TypeRequestJoinRoom || m.Type == proto.TypeRequestPing
	if !open && !lc.authenticated {
		l.log.Debug("ignored lobby message before authentication", "from", lc.addr, "type", m.Type)
		return
	}
	switch m.Type {
	case proto.TypeRequestGetRooms:
		l.getRooms(lc, &m)
	case proto.TypeRequestCreateRoom:
		l.createRoom(lc, &m)
	case proto.TypeRequestJoinRoom:
		l.joinRoom(lc, &m)
	case proto.TypeRequestPlayers:
		if lr := l.memberRoom(lc, &m); lr != nil {
			l.broadcastPlayersLocked(lr)
		}
	case proto.TypeRequestChatMessage:
		l.chat(lc, &m)
	case proto.TypeRequestBeginGame:
		l.beginGame(lc, &m)
	case proto.TypeRequestEditRoom:
		l.editRoom(lc, &m)
	case proto.TypeRequestMotd:
		lc.sendMsg(proto.LobbyMessage{Type: proto.TypeReplyMotd, Message: l.s.cfg.MOTD})
	case proto.TypeRequestVersion:
		lc.sendMsg(proto.LobbyMessage{Type: proto.TypeReplyVersion, Message: proto.VersionMessage(l.s.cfg.Version)})
	case proto.TypeRequestPing:
		if !lc.pingWaiting {
			lc.pingWaiting, lc.pingStart = true, time.Now()
			lc.send(appendFrame(nil, opPing, []byte(pingPayload)))
		}
	default:
		l.log.Debug("ignored lobby message", "from", lc.addr, "type", m.Type)
	}
}

// memberRoom returns the room a request names by port if lc is one of its
// members in the lobby; the stock servers check neither (§6 Q12).
func (l *lobby) memberRoom(lc *lobbyConn, m *proto.LobbyMessage) *lobbyRoom {
	if m.Room == nil {
		return nil
	}
	lr := l.byPort[m.Room.Port]
	if lr == nil || lc.room != lr || lr.slotOf(lc) < 0 {
		l.log.Debug("lobby request for a room the socket is not in", "from", lc.addr, "type", m.Type)
		return nil
	}
	return lr
}

func (l *lobby) getRooms(lc *lobbyConn, m *proto.LobbyMessage) {
	reply := proto.LobbyMessage{Type: proto.TypeReplyGetRooms}
	if a, msg := l.checkAuth(m); a != proto.Accepted {
		reply.Accept, reply.Message = a, msg
		lc.sendMsg(reply)
		return
	}
	lc.authenticated = true
	for _, lr := range l.rooms {
		if !lr.running && lr.emulator == m.Emulator {
			reply.Rooms = append(reply.Rooms, *lr.wire())
		}
	}
	slices.SortFunc(reply.Rooms, func(a, b proto.Room) int { return strings.Compare(a.RoomName, b.RoomName) })
	lc.sendMsg(reply)
}

func (l *lobby) createRoom(lc *lobbyConn, m *proto.LobbyMessage) {
	reply := proto.LobbyMessage{Type: proto.TypeReplyCreateRoom}
	fail := func(a proto.Accept, msg string) {
		reply.Accept, reply.Message = a, msg
		lc.sendMsg(reply)
	}
	// [G64]'s order: room data, name taken, names, then version,
	// emulator and auth; then the port.
	if m.Room == nil {
		fail(proto.BadRoomName, "room data is required")
		return
	}
	if _, taken := l.rooms[m.Room.RoomName]; taken {
		fail(proto.DuplicateName, "a room with this name already exists")
		return
	}
	if !validName(m.Room.RoomName) || !validName(m.PlayerName) {
		fail(proto.BadName, "room and player names must be 1 to 64 printable characters")
		return
	}
	if a, msg := l.checkAuth(m); a != proto.Accepted {
		fail(a, msg)
		return
	}
	lc.authenticated = true
	delay, ok, err := delayFromFeatures(m.Room.Features, l.s.cfg.MaxBufferSize)
	if err != nil {
		fail(proto.Other, err.Error())
		return
	}
	if !ok {
		delay = l.s.cfg.InputDelay
	}
	if len(l.rooms) >= l.s.cfg.MaxRooms {
		fail(proto.Other, "the server has no free room")
		return
	}
	tl, uc, err := l.s.listenRoom(func(port int) bool { return l.byPort[port] != nil })
	if err != nil {
		l.log.Warn("cannot open a room port", "err", err)
		fail(proto.Other, "the server has no free room port")
		return
	}
	l.leaveRoomLocked(lc)
	lr := &lobbyRoom{name: m.Room.RoomName, gameName: m.Room.GameName, md5: m.Room.MD5,
		password: m.Room.Password, emulator: m.Emulator, clientSHA: m.ClientSHA,
		bufferTarget: m.Room.BufferTarget}
	lr.game = newRoom(l.s, l.ctx, lr.name, tl, uc, l)
	lr.port = lr.game.Port()
	lr.log = lr.game.log
	lr.members[0] = &member{name: m.PlayerName, conn: lc, ip: lc.ip}
	lc.room = lr
	l.setRoomDelay(lr, delay, m.Room.Features)
	l.rooms[lr.name] = lr
	l.byPort[lr.port] = lr
	lr.game.setMembers(lr.names(), lr.ips())
	lc.requestProbe()
	lr.log.Info("room created", "game", lr.gameName, "creator", m.PlayerName, "from", lc.addr,
		"emulator", lr.emulator, "protected", lr.password != "", "buffer_target", lr.bufferTarget,
		"input_delay", lr.delay.String())
	reply.PlayerName = m.PlayerName
	reply.Room = lr.wire()
	lc.sendMsg(reply)
}

func (l *lobby) joinRoom(lc *lobbyConn, m *proto.LobbyMessage) {
	if !lc.authenticated {
		// [G64] lets a join authenticate itself; a failure gets no reply.
		if a, _ := l.checkAuth(m); a != proto.Accepted {
			l.log.Debug("join without authentication", "from", lc.addr)
			return
		}
		lc.authenticated = true
	}
	reply := proto.LobbyMessage{Type: proto.TypeReplyJoinRoom}
	fail := func(a proto.Accept, msg string) {
		reply.Accept, reply.Message = a, msg
		lc.sendMsg(reply)
	}
	if m.Room == nil {
		fail(proto.BadRoomName, "room data is required")
		return
	}
	lr := l.byPort[m.Room.Port]
	switch {
	case lr == nil:
		fail(proto.RoomDeleted, "the room has been deleted")
		return
	case lr.password != "" && !samePassword(lr.password, m.Room.Password):
		fail(proto.BadPassword, "incorrect password")
		return
	case lr.clientSHA != m.ClientSHA:
		fail(proto.MismatchVersion, "client versions do not match")
		return
	case lr.md5 != m.Room.MD5:
		fail(proto.MismatchVersion, "the ROM does not match the room's")
		return
	case lr.memberCount() >= proto.MaxPlayers:
		fail(proto.RoomFull, "the room is full")
		return
	case lr.running:
		fail(proto.BadGameState, "the game is already running")
		return
	case !validName(m.PlayerName):
		fail(proto.BadName, "player names must be 1 to 64 printable characters")
		return
	case lc.room == lr:
		fail(proto.Other, "already in this room")
		return
	}
	for _, mb := range lr.members {
		if mb != nil && mb.name == m.PlayerName {
			fail(proto.DuplicateName, "player name already in use")
			return
		}
	}
	l.leaveRoomLocked(lc)
	if l.byPort[lr.port] != lr { // cannot happen: lc was not in lr
		fail(proto.RoomDeleted, "the room has been deleted")
		return
	}
	slot := slices.IndexFunc(lr.members[:], func(m *member) bool { return m == nil })
	lr.members[slot] = &member{name: m.PlayerName, conn: lc, ip: lc.ip}
	lc.room = lr
	l.updateDelayFeaturesLocked(lr) // the joiner may have a round trip already
	lc.requestProbe()
	lr.game.setMembers(lr.names(), lr.ips())
	lr.log.Info("player joined", "player", slot+1, "name", m.PlayerName, "from", lc.addr)
	reply.PlayerName = m.PlayerName
	reply.Room = lr.wire()
	lc.sendMsg(reply)
}

func (l *lobby) chat(lc *lobbyConn, m *proto.LobbyMessage) {
	lr := l.memberRoom(lc, m)
	if lr == nil {
		return
	}
	text := m.Message
	for len(text) > maxChatLen {
		_, size := utf8.DecodeLastRuneInString(text)
		text = text[:len(text)-size]
	}
	// The sender's member name, not the name it claims (§6 Q12).
	name := lr.members[lr.slotOf(lc)].name
	l.broadcastLocked(lr, proto.LobbyMessage{Type: proto.TypeReplyChatMessage, Message: name + ": " + text})
}

func (l *lobby) beginGame(lc *lobbyConn, m *proto.LobbyMessage) {
	reply := proto.LobbyMessage{Type: proto.TypeReplyBeginGame}
	if m.Room == nil {
		reply.Accept, reply.Message = proto.BadRoomName, "room data is required"
		lc.sendMsg(reply)
		return
	}
	lr := l.byPort[m.Room.Port]
	switch {
	case lr == nil:
		return // §4: unknown port, no reply
	case lr.members[0] == nil || lr.members[0].conn != lc:
		reply.Accept, reply.Message = proto.BadPlayer, "only the room's creator can start the game"
		lc.sendMsg(reply)
		return
	case lr.running:
		reply.Accept, reply.Message = proto.BadGameState, "the game is already running"
		lc.sendMsg(reply)
		return
	}
	lr.running = true
	l.updateDelayFeaturesLocked(lr) // the value the game starts with
	d, rtt, measured := l.resolveDelay(lr)
	switch {
	case d.Mode == DelayAuto:
		lr.game.begin(l.bufferTarget(lr), false)
	case d.Mode == DelayPing && !measured:
		lr.log.Warn("no member answered a round-trip probe; fixed input delay", "events", d.Events)
		lr.game.begin(uint8(d.Events), true)
	default:
		lr.log.Info("input delay", "mode", d.Mode.String(), "events", d.Events, "max_rtt", rtt)
		lr.game.begin(uint8(d.Events), true)
	}
	l.broadcastLocked(lr, reply)
}

// bufferTarget picks T for a starting room (§2.1): the room's own, else
// the server's, else 1 when every member is on a local network (loopback
// included, unlike [G64]) and 2 otherwise.
func (l *lobby) bufferTarget(lr *lobbyRoom) uint8 {
	if lr.bufferTarget > 0 {
		return uint8(lr.bufferTarget)
	}
	if t := l.s.cfg.BufferTarget; t > 0 {
		return uint8(t)
	}
	for _, m := range lr.members {
		if m != nil && !localNet(m.ip) {
			return proto.DefaultBufferTarget
		}
	}
	return 1
}

func (l *lobby) editRoom(lc *lobbyConn, m *proto.LobbyMessage) {
	reply := proto.LobbyMessage{Type: proto.TypeReplyEditRoom}
	fail := func(a proto.Accept, msg string) {
		reply.Accept, reply.Message = a, msg
		lc.sendMsg(reply)
	}
	if m.Room == nil {
		fail(proto.BadRoomName, "room data is required")
		return
	}
	lr := l.byPort[m.Room.Port]
	switch {
	case lr == nil:
		fail(proto.BadRoomName, "room not found")
	case lr.members[0] == nil || lr.members[0].conn != lc:
		fail(proto.BadPlayer, "only the room's creator can edit it")
	case lr.running:
		fail(proto.BadGameState, "the game is already running")
	case m.Room.RoomName != lr.name:
		fail(proto.BadRoomName, "the room name must match")
	default:
		delay, ok, err := delayFromFeatures(m.Room.Features, l.s.cfg.MaxBufferSize)
		if err != nil {
			fail(proto.Other, err.Error())
			return
		}
		if !ok {
			delay = lr.delay // an edit without the keys keeps the mode
		}
		lr.md5, lr.gameName = m.Room.MD5, m.Room.GameName
		l.setRoomDelay(lr, delay, m.Room.Features)
		lr.log.Info("room edited", "game", lr.gameName, "input_delay", lr.delay.String())
		l.broadcastLocked(lr, proto.LobbyMessage{Type: proto.TypeReplyEditRoom, Room: lr.wire()})
	}
}

// samePassword compares a room's password with a guess in constant time:
// both are hashed first, so neither the contents nor the length of the
// password shows in the time a refusal takes.
func samePassword(password, guess string) bool {
	a, b := sha256.Sum256([]byte(password)), sha256.Sum256([]byte(guess))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}
