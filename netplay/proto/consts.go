package proto

import "time"

// Ports (§1).
const (
	// DefaultBasePort is B, the lobby's WebSocket port; room k listens on
	// TCP and UDP port B+k.
	DefaultBasePort = 45000
	// DiscoveryPort is the LAN discovery UDP port. Both stock servers use
	// this constant, not B (§1, §4 "LAN discovery").
	DiscoveryPort = 45000
	// DefaultMaxGames is max_games: rooms use ports B+1 … B+max_games.
	DefaultMaxGames = 10
)

// APIVersion is the lobby's netplay_version (§4 "Versions": API 17, 2024-12-28).
const APIVersion = 17

// MaxPlayers is the number of controller ports and slots; slot = player − 1.
const MaxPlayers = 4

// Timing (§2 "Framing", §3.5, §3.6).
const (
	// TCPReplyTimeout: the stock server gives up on a waiting reply
	// (codes 2, 4, 6, 8, 128–191) after this long, silently.
	TCPReplyTimeout = 5 * time.Minute
	// InputTimeout: the stock client stops waiting for an input event.
	InputTimeout = 10 * time.Second
	// InputResendInterval: the stock client resends type 2 this often while
	// it waits.
	InputResendInterval = 5 * time.Millisecond
	// LivenessInterval: the server's liveness check period, and the delay
	// of its first check after begin_game.
	LivenessInterval = 30 * time.Second
	// SyncInterval: clients send type 4 when vi_counter % SyncInterval == 0.
	SyncInterval = 600
)

// Buffering (§2.1, §3.1), in events.
const (
	// InitialBufferSize is B, the server's lead buffer, at the start.
	InitialBufferSize = 3
	// DefaultBufferTarget is T when the room sets none ([S64]; [G64] uses
	// it unless every member's address is private).
	DefaultBufferTarget = 2
)
