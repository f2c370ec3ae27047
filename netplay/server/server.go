// Package server is the netplay server: the lobby (a WebSocket carrying
// JSON, NETPLAY.md §4) and one game server per room (TCP and UDP on one
// port, §2–§3), speaking the Mupen64Plus v2.0 protocol so that stock
// clients (mupen64plus-core, simple64, RMG) and ours can play through it.
//
// NETPLAY.md is the authority; comments cite its sections as §n. Wire
// formats come from package proto. The server is built to be left running
// for friends on a small machine: every index and length is checked before
// use, every buffer and table is bounded, every read has a deadline, no
// write happens under a lock, and a slow or hostile client can only lose
// its own connection.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/n64go/n64/netplay/proto"
)

// Config configures a Server. Zero values select the defaults listed.
type Config struct {
	// Name is the server name LAN discovery answers with (§4). Default "n64".
	Name string
	// Host is the address to listen on; "" listens on every interface.
	Host string
	// Port is B, the lobby's TCP port; room k uses TCP and UDP port B+k,
	// k = 1…MaxRooms (§1). 0 lets the system choose the lobby port and each
	// room's port (for tests). The n64 serve command defaults it to 45000.
	Port int
	// MaxRooms is max_games, the most rooms at once. Default 10.
	MaxRooms int
	// MOTD is the reply to request_motd; it may contain HTML.
	MOTD string
	// LAN enables LAN discovery on DiscoveryAddr.
	LAN bool
	// DiscoveryAddr is the UDP address discovery listens on. Default
	// ":45000", the constant the stock clients broadcast to (§1).
	DiscoveryAddr string
	// BufferTarget is T for rooms that do not ask for one, 1–255. 0 picks
	// 1 when every member's address is private or loopback and 2 otherwise
	// ([G64], §2.1, which does not count loopback as private).
	BufferTarget int
	// InputDelay is the input delay of rooms whose create request names
	// none in its features (proto.FeatureInputDelayMode, FeatureInputDelay).
	// The zero value is DelayAuto; a fixed delay must be 1…MaxBufferSize.
	InputDelay InputDelay
	// RTTProbeInterval: members of rooms that have not started are sent a
	// round-trip probe this often (and one when they enter). Default 2 s.
	RTTProbeInterval time.Duration
	// StatusAddr, if set, is the TCP address of the HTTP status page
	// (status.go): JSON per room, without passwords or addresses.
	StatusAddr string
	// EnableAuth requires the lobby's auth fields (§4 "Authentication").
	EnableAuth bool
	// AuthSecret returns the secret for an emulator name. Default: the
	// environment variable <EMULATOR>_AUTH.
	AuthSecret func(emulator string) string
	// Version is the revision reply_version reports. Default: the VCS
	// revision in the build info.
	Version string
	// Logger receives the server's log. Default slog.Default().
	Logger *slog.Logger

	// LivenessTimeout: a registered player silent on UDP for this long is
	// disconnected, and a room whose players are all gone closes (§3.5).
	// Default 30 s.
	LivenessTimeout time.Duration
	// StartTimeout: a started room in which nobody registers for this
	// long closes. Default 2 min.
	StartTimeout time.Duration
	// BarrierTimeout: once a client waits for the registration table this
	// long, members that never registered are dropped and the table is
	// sent (§6 Q3). Default 60 s.
	BarrierTimeout time.Duration
	// ReplyTimeout: a TCP request waiting for data (settings, a save, a
	// custom blob) gives up after this long and its connection is closed.
	// Default 5 min, as the stock servers.
	ReplyTimeout time.Duration
	// HandshakeTimeout bounds the WebSocket handshake and the time a game
	// TCP connection may take to send its first REGISTER_PLAYER. Default
	// 30 s.
	HandshakeTimeout time.Duration
	// RequestTimeout: a TCP request must arrive whole within this long of
	// its first byte. Default 60 s.
	RequestTimeout time.Duration
	// WriteTimeout bounds every write to a client. Default 30 s.
	WriteTimeout time.Duration
	// BufferInterval is the buffer-control period (§3.3), also the period
	// of the liveness check. Default 1 s.
	BufferInterval time.Duration
	// PingInterval: the lobby pings idle WebSockets this often. Default
	// 30 s.
	PingInterval time.Duration
	// LobbyIdleTimeout: a lobby WebSocket from which nothing (not even a
	// pong) arrives for this long is closed. Default 2 min.
	LobbyIdleTimeout time.Duration

	// MaxBufferSize is the largest B, in events. Default 30.
	MaxBufferSize int
	// MaxMessageSize caps a lobby message. Default 256 KiB.
	MaxMessageSize int
	// MaxLobbyConns caps lobby WebSockets, in all and per IP address.
	// Defaults 512 and 32.
	MaxLobbyConns      int
	MaxLobbyConnsPerIP int
	// MaxGameConns caps the TCP connections of one room. Default 16.
	MaxGameConns int
}

func (c *Config) setDefaults() {
	def := func(p *time.Duration, d time.Duration) {
		if *p <= 0 {
			*p = d
		}
	}
	defInt := func(p *int, d int) {
		if *p <= 0 {
			*p = d
		}
	}
	if c.Name == "" {
		c.Name = "n64"
	}
	defInt(&c.MaxRooms, proto.DefaultMaxGames)
	if c.DiscoveryAddr == "" {
		c.DiscoveryAddr = ":" + strconv.Itoa(proto.DiscoveryPort)
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Version == "" {
		c.Version = buildRevision()
	}
	def(&c.LivenessTimeout, proto.LivenessInterval)
	def(&c.StartTimeout, 2*time.Minute)
	def(&c.BarrierTimeout, time.Minute)
	def(&c.ReplyTimeout, proto.TCPReplyTimeout)
	def(&c.HandshakeTimeout, 30*time.Second)
	def(&c.RequestTimeout, time.Minute)
	def(&c.WriteTimeout, 30*time.Second)
	def(&c.BufferInterval, time.Second)
	def(&c.PingInterval, 30*time.Second)
	def(&c.RTTProbeInterval, 2*time.Second)
	def(&c.LobbyIdleTimeout, 2*time.Minute)
	defInt(&c.MaxBufferSize, 30)
	defInt(&c.MaxMessageSize, 256<<10)
	defInt(&c.MaxLobbyConns, 512)
	defInt(&c.MaxLobbyConnsPerIP, 32)
	defInt(&c.MaxGameConns, 16)
}

func (c *Config) validate() error {
	switch {
	case c.Port < 0 || c.Port > 65535:
		return fmt.Errorf("port %d not in 0…65535", c.Port)
	case c.Port > 0 && c.Port+c.MaxRooms > 65535:
		return fmt.Errorf("port %d + %d rooms exceeds 65535", c.Port, c.MaxRooms)
	case c.BufferTarget < 0 || c.BufferTarget > 255:
		return fmt.Errorf("buffer target %d not in 0…255", c.BufferTarget)
	case c.MaxMessageSize > proto.MaxLobbyMessageSize:
		return fmt.Errorf("max message size %d > %d", c.MaxMessageSize, proto.MaxLobbyMessageSize)
	}
	return c.InputDelay.validate(c.MaxBufferSize)
}

func buildRevision() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && s.Value != "" {
				return s.Value
			}
		}
	}
	return "unknown"
}

// Server is a netplay server: the lobby, LAN discovery and the rooms.
type Server struct {
	cfg Config
	log *slog.Logger

	ln     net.Listener
	disc   *net.UDPConn
	http   *http.Server
	lobby  *lobby
	status net.Listener // the status page, nil without StatusAddr

	wg       sync.WaitGroup // every goroutine the server started
	serveMu  sync.Mutex
	serving  bool
	testHook testHooks
}

// testHooks lets tests in this package observe events without sleeping.
type testHooks struct {
	roomClosed func(port int)
}

// New checks cfg and returns a server; nothing is bound yet.
func New(cfg Config) (*Server, error) {
	cfg.setDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("netplay server: %w", err)
	}
	s := &Server{cfg: cfg, log: cfg.Logger}
	s.lobby = newLobby(s)
	return s, nil
}

// Listen binds the lobby port and, with LAN, the discovery port, and
// with StatusAddr the status page's.
func (s *Server) Listen() error {
	if s.ln != nil {
		return errors.New("netplay server: already listening")
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port)))
	if err != nil {
		return fmt.Errorf("netplay server: lobby: %w", err)
	}
	if s.cfg.StatusAddr != "" {
		st, err := net.Listen("tcp", s.cfg.StatusAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("netplay server: status page: %w", err)
		}
		s.status = st
	}
	if s.cfg.LAN {
		disc, err := listenDiscovery(s.cfg.DiscoveryAddr)
		if err != nil {
			ln.Close()
			if s.status != nil {
				s.status.Close()
			}
			return fmt.Errorf("netplay server: LAN discovery: %w", err)
		}
		s.disc = disc
	}
	s.ln = ln
	return nil
}

// LobbyAddr returns the lobby's address once Listen succeeded.
func (s *Server) LobbyAddr() net.Addr { return s.ln.Addr() }

// lobbyPort is B as clients see it.
func (s *Server) lobbyPort() int { return s.ln.Addr().(*net.TCPAddr).Port }

// StatusAddr returns the status page's address, or nil without one.
func (s *Server) StatusAddr() net.Addr {
	if s.status == nil {
		return nil
	}
	return s.status.Addr()
}

// DiscoveryAddr returns the discovery socket's address, or nil without LAN.
func (s *Server) DiscoveryAddr() net.Addr {
	if s.disc == nil {
		return nil
	}
	return s.disc.LocalAddr()
}

// Run listens and serves until ctx is done.
func (s *Server) Run(ctx context.Context) error {
	if err := s.Listen(); err != nil {
		return err
	}
	return s.Serve(ctx)
}

// Serve serves the bound sockets until ctx is done, then closes every
// room and connection, waits for them, and returns nil. It returns an
// error if the lobby listener fails.
func (s *Server) Serve(ctx context.Context) error {
	s.serveMu.Lock()
	if s.ln == nil || s.serving {
		s.serveMu.Unlock()
		return errors.New("netplay server: Serve needs one successful Listen")
	}
	s.serving = true
	s.serveMu.Unlock()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.lobby.start(ctx)
	s.http = &http.Server{
		Handler:           http.HandlerFunc(s.lobby.serveHTTP),
		ReadHeaderTimeout: s.cfg.HandshakeTimeout,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	s.http.SetKeepAlivesEnabled(false)
	httpErr := make(chan error, 1)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		// Connections not yet upgraded count too; a few spare per IP for
		// handshakes in flight.
		lim := newLimitListener(s.ln, s.cfg.MaxLobbyConns+s.cfg.MaxLobbyConns/4, s.cfg.MaxLobbyConnsPerIP+4)
		httpErr <- s.http.Serve(lim)
	}()
	if s.disc != nil {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serveDiscovery(ctx)
		}()
	}
	var status *http.Server
	if s.status != nil {
		status = &http.Server{
			Handler:           s.lobby.statusHandler(),
			ReadHeaderTimeout: s.cfg.HandshakeTimeout,
			WriteTimeout:      s.cfg.WriteTimeout,
			MaxHeaderBytes:    16 << 10,
			ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		}
		s.goTracked(func() {
			if err := status.Serve(s.status); !errors.Is(err, http.ErrServerClosed) {
				s.log.Error("status page stopped", "err", err)
			}
		})
		s.log.Info("status page", "url", "http://"+s.status.Addr().String()+"/rooms")
	}
	s.log.Info("netplay server running", "lobby", s.ln.Addr().String(), "max_rooms", s.cfg.MaxRooms,
		"lan", s.cfg.LAN, "auth", s.cfg.EnableAuth, "input_delay", s.cfg.InputDelay.String(),
		"version", s.cfg.Version, "api", proto.APIVersion)

	var err error
	select {
	case <-ctx.Done():
	case err = <-httpErr:
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
	}
	cancel()
	s.http.Close()
	if status != nil {
		status.Close()
	}
	if s.disc != nil {
		s.disc.Close()
	}
	s.lobby.shutdown()
	s.wg.Wait()
	s.log.Info("netplay server stopped")
	if err != nil {
		return fmt.Errorf("netplay server: %w", err)
	}
	return nil
}

// go runs f as a goroutine the server waits for at shutdown.
func (s *Server) goTracked(f func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
}

// listenRoom binds TCP and UDP on one port for a new room (§1): the first
// of B+1…B+MaxRooms not in use whose TCP and UDP binds both work; with
// Port 0, a port the system chooses. Unlike the stock servers, a failed
// UDP bind moves on to the next port instead of failing the room.
func (s *Server) listenRoom(inUse func(int) bool) (*net.TCPListener, *net.UDPConn, error) {
	try := func(port int) (*net.TCPListener, *net.UDPConn, error) {
		tl, err := net.Listen("tcp", net.JoinHostPort(s.cfg.Host, strconv.Itoa(port)))
		if err != nil {
			return nil, nil, err
		}
		p := tl.Addr().(*net.TCPAddr).Port
		uc, err := net.ListenPacket("udp", net.JoinHostPort(s.cfg.Host, strconv.Itoa(p)))
		if err != nil {
			tl.Close()
			return nil, nil, err
		}
		return tl.(*net.TCPListener), uc.(*net.UDPConn), nil
	}
	var last error = errors.New("every room port is in use")
	if s.cfg.Port == 0 {
		for range 8 {
			tl, uc, err := try(0)
			if err == nil {
				return tl, uc, nil
			}
			last = err
		}
		return nil, nil, last
	}
	for k := 1; k <= s.cfg.MaxRooms; k++ {
		port := s.cfg.Port + k
		if inUse(port) {
			continue
		}
		tl, uc, err := try(port)
		if err == nil {
			return tl, uc, nil
		}
		last = err
	}
	return nil, nil, last
}

// addrOf returns the IP of a net.Addr, unmapped.
func addrOf(a net.Addr) netip.Addr {
	switch a := a.(type) {
	case *net.TCPAddr:
		ip, _ := netip.AddrFromSlice(a.IP)
		return ip.Unmap()
	case *net.UDPAddr:
		ip, _ := netip.AddrFromSlice(a.IP)
		return ip.Unmap()
	}
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

// localNet reports whether ip is private (RFC 1918, fc00::/7), loopback
// or link-local: for picking T, a game between such addresses is on a LAN.
func localNet(ip netip.Addr) bool {
	return ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast()
}
