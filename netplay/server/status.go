package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/n64go/n64/netplay/proto"
)

// The status page: an HTTP server on Config.StatusAddr, apart from the
// lobby, answering
//
//	GET /rooms         {"rooms": [room, …]} by port
//	GET /rooms/{port}  one room, 404 if none
//
// with JSON built from the rooms' state. It never shows a password, an
// address or a reg_id (which, with the port, is all a datagram needs to
// speak for a player, §3.2), so it can be shown to the players; it is
// still meant for a loopback or admin address.

// gameStats counts a Game's datagrams. Under the room's lock, like the
// Game.
type gameStats struct {
	received, dropped uint64 // every datagram; those refused (malformed, foreign, …)
	pushes            uint64 // type 3 sent
	slots             [proto.MaxPlayers]slotStats
	spectator         slotStats // every spectator's requests together
}

// slotStats counts the datagrams of the client in one slot.
type slotStats struct {
	keyInfo  uint64 // type 0 accepted for this player
	requests uint64 // type 2 served, for any player
	replies  uint64 // type 1 sent in answer
	syncData uint64 // type 4 accepted
	lag      uint32 // lead − count of the latest request (§3.2)
	buffered uint8  // its `buffered` byte (§3.4)
}

// RoomStatus is one room on the status page.
type RoomStatus struct {
	Port      int               `json:"port"`
	Name      string            `json:"name"`
	GameName  string            `json:"game_name"`
	MD5       string            `json:"md5"`
	Emulator  string            `json:"emulator"`
	Protected bool              `json:"protected"`
	Features  map[string]string `json:"features"`
	Running   bool              `json:"running"` // begin_game was accepted
	Started   *time.Time        `json:"started,omitempty"`
	// DelayMode is "auto", "fixed" or "ping"; in fixed and ping mode
	// every player's buffer_size is the delay once running.
	DelayMode    string `json:"input_delay_mode"`
	BufferTarget int    `json:"buffer_target"` // T, sent at registration (§2.1)
	Status       uint8  `json:"status"`        // the status byte (§3.2)
	Desyncs      int    `json:"desyncs"`       // VI counts whose sync data differed (§3.6)
	Packets      struct {
		Received uint64 `json:"received"` // UDP datagrams
		Dropped  uint64 `json:"dropped"`  // refused: malformed, foreign, unknown reg_id, …
		Replies  uint64 `json:"replies"`  // type 1 sent
		Pushes   uint64 `json:"pushes"`   // type 3 sent
		// SpectatorRequests counts type 2 from read-only clients (§3.7).
		SpectatorRequests uint64 `json:"spectator_requests"`
	} `json:"packets"`
	Players []PlayerStatus `json:"players"` // slots 0–3
}

// PlayerStatus is one slot: its lobby member, its registration, the
// input stream of that player and the traffic of the client in the slot.
type PlayerStatus struct {
	Player       int      `json:"player"` // slot + 1
	Name         string   `json:"name,omitempty"`
	InLobby      bool     `json:"in_lobby"`         // its lobby socket is open
	RTTMillis    *float64 `json:"rtt_ms,omitempty"` // median lobby round trip
	Registered   bool     `json:"registered"`
	Disconnected bool     `json:"disconnected"` // its status bit
	Plugin       uint8    `json:"plugin,omitempty"`
	// The player's input stream (§3.1).
	BufferSize    int    `json:"buffer_size"`    // B
	EventsDecided uint64 `json:"events_decided"` // events decided so far
	// The client's traffic.
	Lag      uint32 `json:"lag"`      // of its latest request
	Buffered uint8  `json:"buffered"` // of its latest request
	KeyInfo  uint64 `json:"key_info"` // type 0 accepted
	Requests uint64 `json:"requests"` // type 2 served
	Replies  uint64 `json:"replies"`  // type 1 sent
	SyncData uint64 `json:"sync_data"`
}

// status fills the game part of a room's status.
func (r *Room) status(rs *RoomStatus) {
	r.mu.Lock()
	defer r.mu.Unlock()
	g := r.game
	if r.started {
		t := r.startTime.UTC()
		rs.Started = &t
	}
	rs.BufferTarget = int(g.target)
	rs.Status = uint8(g.status)
	rs.Desyncs = g.desyncs
	rs.Packets.Received = g.stats.received
	rs.Packets.Dropped = g.stats.dropped
	rs.Packets.Pushes = g.stats.pushes
	rs.Packets.SpectatorRequests = g.stats.spectator.requests
	rs.Packets.Replies = g.stats.spectator.replies
	for s := range rs.Players {
		p, st, in := &rs.Players[s], &g.stats.slots[s], &g.players[s]
		p.Registered = g.regs[s].Present()
		p.Disconnected = g.status&proto.StatusDisconnected(s) != 0
		if p.Registered {
			p.Plugin = uint8(g.regs[s].Plugin)
		}
		p.BufferSize, p.EventsDecided = in.buf, in.decided
		p.Lag, p.Buffered = st.lag, st.buffered
		p.KeyInfo, p.Requests, p.Replies, p.SyncData = st.keyInfo, st.requests, st.replies, st.syncData
		rs.Packets.Replies += st.replies
	}
}

// roomStatus builds a room's status: the lobby's part under the lobby's
// lock, then the game's under the room's.
func (l *lobby) roomStatus(port int) (RoomStatus, bool) {
	l.mu.Lock()
	lr := l.byPort[port]
	if lr == nil {
		l.mu.Unlock()
		return RoomStatus{}, false
	}
	rs := RoomStatus{Port: lr.port, Name: lr.name, GameName: lr.gameName, MD5: lr.md5, Emulator: lr.emulator,
		Protected: lr.password != "", Features: lr.features, Running: lr.running, DelayMode: lr.delay.Mode.String(),
		Players: make([]PlayerStatus, proto.MaxPlayers)}
	for s, m := range lr.members {
		p := &rs.Players[s]
		p.Player = s + 1
		if m == nil {
			continue
		}
		p.Name, p.InLobby = m.name, m.conn != nil
		if m.conn != nil {
			if d, ok := m.conn.rtt.median(); ok {
				ms := float64(d.Microseconds()) / 1000
				p.RTTMillis = &ms
			}
		}
	}
	game := lr.game
	l.mu.Unlock()
	game.status(&rs) // features is never changed in place, so sharing it is safe
	return rs, true
}

func (l *lobby) roomPorts() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	ports := make([]int, 0, len(l.byPort))
	for p := range l.byPort {
		ports = append(ports, p)
	}
	slices.Sort(ports)
	return ports
}

// statusHandler serves the status page.
func (l *lobby) statusHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /rooms", func(w http.ResponseWriter, _ *http.Request) {
		rooms := []RoomStatus{}
		for _, p := range l.roomPorts() {
			if rs, ok := l.roomStatus(p); ok { // it may have closed meanwhile
				rooms = append(rooms, rs)
			}
		}
		writeJSON(w, struct {
			Rooms []RoomStatus `json:"rooms"`
		}{rooms})
	})
	mux.HandleFunc("GET /rooms/{port}", func(w http.ResponseWriter, req *http.Request) {
		port, err := strconv.Atoi(req.PathValue("port"))
		if err != nil {
			http.Error(w, "room port must be a number", http.StatusBadRequest)
			return
		}
		rs, ok := l.roomStatus(port)
		if !ok {
			http.Error(w, "no room on port "+strconv.Itoa(port), http.StatusNotFound)
			return
		}
		writeJSON(w, rs)
	})
	return mux
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
