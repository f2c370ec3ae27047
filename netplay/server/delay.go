package server

import (
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/n64go/n64/netplay/proto"
)

// Input delay. The server decides every input (§3.2): a lead requester at
// count c decides the events up to c+B−1 from the pending samples, so an
// input reaches the game about B events after it was pressed. In auto
// mode B follows buffer control (§3.3); a fixed delay sets B and T to one
// value for every player and turns buffer control off, so all players get
// the same, constant delay.

// DelayMode is how a room sets its input delay.
type DelayMode uint8

// Delay modes; the names are the values of proto.FeatureInputDelayMode.
const (
	DelayAuto  DelayMode = iota // buffer control (§3.3), T as BufferTarget picks it
	DelayFixed                  // B = T = Events for every player, no adjustment
	DelayPing                   // fixed, Events = DelayForRTT(largest member round trip) at begin_game
)

var delayModeNames = [...]string{"auto", "fixed", "ping"}

func (m DelayMode) String() string {
	if int(m) < len(delayModeNames) {
		return delayModeNames[m]
	}
	return "mode(" + strconv.Itoa(int(m)) + ")"
}

// InputDelay is a delay mode and, for DelayFixed, the delay in events.
type InputDelay struct {
	Mode   DelayMode
	Events int
}

func (d InputDelay) String() string {
	if d.Mode == DelayFixed {
		return strconv.Itoa(d.Events)
	}
	return d.Mode.String()
}

// ParseInputDelay parses the n64 serve flag: "auto", "ping", or a fixed
// delay in events, 1 or more.
func ParseInputDelay(s string) (InputDelay, error) {
	switch s {
	case "auto":
		return InputDelay{Mode: DelayAuto}, nil
	case "ping":
		return InputDelay{Mode: DelayPing}, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return InputDelay{}, fmt.Errorf("input delay %q: want auto, ping or a number of events ≥ 1", s)
	}
	return InputDelay{Mode: DelayFixed, Events: n}, nil
}

// maxDelay is the largest fixed delay: the largest B, within T's byte.
func maxDelay(maxBuf int) int { return min(maxBuf, 255) }

func (d InputDelay) validate(maxBuf int) error {
	switch {
	case d.Mode > DelayPing:
		return fmt.Errorf("input delay mode %d", d.Mode)
	case d.Mode == DelayFixed && (d.Events < 1 || d.Events > maxDelay(maxBuf)):
		return fmt.Errorf("fixed input delay %d not in 1…%d events", d.Events, maxDelay(maxBuf))
	}
	return nil
}

// delayFromFeatures reads a room's override from the features of a create
// or edit request (proto.FeatureInputDelayMode and FeatureInputDelay);
// ok is false when they name none.
func delayFromFeatures(f map[string]string, maxBuf int) (d InputDelay, ok bool, err error) {
	mode, hasMode := f[proto.FeatureInputDelayMode]
	events, hasEvents := f[proto.FeatureInputDelay]
	if !hasMode && !hasEvents {
		return InputDelay{}, false, nil
	}
	if !hasMode {
		mode = "fixed"
	}
	switch mode {
	case "auto":
		d.Mode = DelayAuto
	case "ping":
		d.Mode = DelayPing
	case "fixed":
		d.Mode = DelayFixed
		n, err := strconv.Atoi(events)
		if err != nil {
			return InputDelay{}, false, fmt.Errorf("feature %s %q is not a number of events", proto.FeatureInputDelay, events)
		}
		d.Events = n
	default:
		return InputDelay{}, false, fmt.Errorf("feature %s %q: want auto, fixed or ping", proto.FeatureInputDelayMode, mode)
	}
	if err := d.validate(maxBuf); err != nil {
		return InputDelay{}, false, err
	}
	return d, true, nil
}

// framesPerSecond is the NTSC VI rate the delay table counts frames at.
const framesPerSecond = 60

// DelayForRTT proposes an input delay, in events, for a round trip: one
// event per started 1/60 s of round trip, ⌊rtt_ms·60/1000⌋ + 1, at most
// maxBuf. It is Kaillera's table for its LAN connection type, which sends
// one packet per frame like the Mupen64Plus client sends one request per
// controller read (EmuLinker figures: ping 0–16 ms → 1 frame of delay,
// 17–33 → 2, 34–49 → 3, 50–66 → 4). Its other connection types batch 2
// ("Excellent": 0–33 ms → 3 frames, 34–66 → 5, 67–99 → 7, 100–133 → 9) or
// 3 frames per packet ("Good": 0–49 → 5, 50–99 → 8, 100–150 → 11,
// 151–199 → 14), which adds batching delay this protocol does not have.
//
// Why the round trip: a client at lag 0 that asks for count c gets events
// c…c+B−1 one round trip later, and meanwhile plays the events it holds;
// it never waits when B events last longer than the round trip. Events are
// counted at 60 per second (a game reading the controller once per NTSC
// VI); a game that reads at 30 Hz gets twice the margin.
func DelayForRTT(rtt time.Duration, maxBuf int) int {
	ms := max(rtt.Milliseconds(), 0)
	d := ms*framesPerSecond/1000 + 1
	return int(min(d, int64(max(maxBuf, 1))))
}

// rttSamples is how many lobby round trips are kept per connection; the
// median of them is the player's round trip, so one late pong (a GC pause,
// a retransmission) does not raise the delay of the whole room.
const rttSamples = 5

// rttLog is the latest round trips of one lobby connection.
type rttLog struct {
	samples [rttSamples]time.Duration
	n       int // samples recorded, all time
}

func (l *rttLog) add(d time.Duration) {
	l.samples[l.n%rttSamples] = d
	l.n++
}

// median returns the median of the kept samples; ok is false without any.
func (l *rttLog) median() (time.Duration, bool) {
	k := min(l.n, rttSamples)
	if k == 0 {
		return 0, false
	}
	s := slices.Clone(l.samples[:k])
	slices.Sort(s)
	return s[k/2], true
}

// Lobby round-trip probes: WebSocket pings (RFC 6455 §5.5.2: the peer
// answers with a pong carrying the same payload) whose payload is
// rttProbePrefix and the send time as nanoseconds since the lobby's epoch.
// Every stock client answers pings (the stock servers send keepalives
// too), before the game starts, over the same route the game traffic
// takes to this host; the game's UDP requests cannot serve, since the
// server only answers them and the delay must be known before the first
// one, when T is sent at registration (§2.1).
const rttProbePrefix = "rtt"

// maxRTT bounds a believable sample; a pong carrying a time in the future
// or older than this (a forged payload) is ignored.
const maxRTT = 10 * time.Second

func (l *lobby) probeFrame() []byte {
	var p [len(rttProbePrefix) + 8]byte
	copy(p[:], rttProbePrefix)
	binary.BigEndian.PutUint64(p[len(rttProbePrefix):], uint64(time.Since(l.epoch)))
	return appendFrame(nil, opPing, p[:])
}

// probeRTT returns the round trip a pong's payload shows, if it answers a
// probe.
func (l *lobby) probeRTT(payload []byte) (time.Duration, bool) {
	if len(payload) != len(rttProbePrefix)+8 || string(payload[:len(rttProbePrefix)]) != rttProbePrefix {
		return 0, false
	}
	sent := time.Duration(binary.BigEndian.Uint64(payload[len(rttProbePrefix):]))
	d := time.Since(l.epoch) - sent
	if d < 0 || d > maxRTT {
		return 0, false
	}
	return d, true
}

// recordRTT stores a round trip of lc and, if lc is in a room that has not
// started, updates the room's proposal.
func (l *lobby) recordRTT(lc *lobbyConn, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lc.rtt.add(d)
	if lr := lc.room; lr != nil && !lr.running {
		l.updateDelayFeaturesLocked(lr)
	}
}

// maxMemberRTT returns the largest round trip of the room's members in the
// lobby that have one.
func (lr *lobbyRoom) maxMemberRTT() (time.Duration, bool) {
	var worst time.Duration
	found := false
	for _, m := range lr.members {
		if m == nil || m.conn == nil {
			continue
		}
		if d, ok := m.conn.rtt.median(); ok {
			worst, found = max(worst, d), true
		}
	}
	return worst, found
}

// resolveDelay returns the delay a room starts with: the mode and events
// of a fixed delay, and in ping mode the value DelayForRTT proposes from
// the largest member round trip (InitialBufferSize when nobody answered a
// probe yet).
func (l *lobby) resolveDelay(lr *lobbyRoom) (d InputDelay, rtt time.Duration, measured bool) {
	d = lr.delay
	if d.Mode == DelayPing {
		rtt, measured = lr.maxMemberRTT()
		d.Events = proto.InitialBufferSize
		if measured {
			d.Events = DelayForRTT(rtt, maxDelay(l.s.cfg.MaxBufferSize))
		}
	}
	return d, rtt, measured
}

// updateDelayFeaturesLocked writes the room's delay into its features
// (proto.FeatureInputDelay*), replacing the map rather than changing it,
// since replies may still hold the old one.
func (l *lobby) updateDelayFeaturesLocked(lr *lobbyRoom) {
	d, rtt, measured := l.resolveDelay(lr)
	f := maps.Clone(lr.features)
	if f == nil {
		f = make(map[string]string, 3)
	}
	delete(f, proto.FeatureInputDelay)
	delete(f, proto.FeatureInputDelayRTT)
	f[proto.FeatureInputDelayMode] = d.Mode.String()
	switch {
	case d.Mode == DelayFixed:
		f[proto.FeatureInputDelay] = strconv.Itoa(d.Events)
	case d.Mode == DelayPing && measured:
		f[proto.FeatureInputDelay] = strconv.Itoa(d.Events)
		f[proto.FeatureInputDelayRTT] = strconv.FormatInt(rtt.Milliseconds(), 10)
	case d.Mode == DelayPing && lr.running:
		f[proto.FeatureInputDelay] = strconv.Itoa(d.Events) // started without a measurement
	}
	lr.features = f
}

// setRoomDelay sets a room's delay and features (from a create or edit
// request) and writes the server's keys into them.
func (l *lobby) setRoomDelay(lr *lobbyRoom, d InputDelay, features map[string]string) {
	lr.delay = d
	lr.features = features
	l.updateDelayFeaturesLocked(lr)
}

// requestProbe asks lc's writer for a round-trip probe now.
func (lc *lobbyConn) requestProbe() {
	select {
	case lc.probe <- struct{}{}:
	default: // one is already due
	}
}

// wantsProbe reports whether lc is in a room that has not started, whose
// input delay may come from its round trip.
func (lc *lobbyConn) wantsProbe() bool {
	lc.l.mu.Lock()
	defer lc.l.mu.Unlock()
	return lc.room != nil && !lc.room.running
}
