package client

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/pif"
	"github.com/n64go/n64/netplay/proto"
)

// Config configures a Client.
type Config struct {
	// Addr is the game server, host:port; TCP and UDP use the same port (§1).
	Addr string
	// Player is the player number, 1–4 (slot = Player−1); 0 joins as a
	// spectator, which receives every port's events and sends nothing (§3.7).
	Player int
	// RegID identifies this client to the server, non-zero; 0 picks a
	// random one with the player number in the low 3 bits, as simple64
	// and RMG do (§2.1).
	RegID uint32
	// Plugin is the pak in the local controller (§5): proto.PluginNone
	// (the default when 0), PluginMempak (player 1 only; the server turns
	// it into none for the others) or PluginRumblePak.
	Plugin proto.Plugin
	// Raw is the registration's raw-data flag (§2.1); our core runs the
	// joybus itself, so it is normally false.
	Raw bool
	// Local is the local player's controller, read with port 0 once per
	// input event of the player's own port. Nil: nothing pressed.
	Local pif.InputSource
	// OnStatus is called, from the client's receive goroutine, whenever the
	// server's status byte changes: bit 0 desync, bit k player k
	// disconnected (§3.2). It must not block.
	OnStatus func(old, new proto.Status)
	// Logger receives the client's log. Default slog.Default().
	Logger *slog.Logger

	// DialTimeout bounds connecting. Default 10 s.
	DialTimeout time.Duration
	// BootTimeout bounds each step of the boot sequence (the server may
	// wait for the other players there). Default 3 min.
	BootTimeout time.Duration
	// InputTimeout: an input event that has not arrived this long after it
	// was first asked for fails the session (§3.5). Default 10 s.
	InputTimeout time.Duration
	// ResendInterval: type 2 is resent this often while waiting. Default 5 ms.
	ResendInterval time.Duration
	// SyncInterval: CP0 sync data goes out every SyncInterval VIs, from VI
	// 0 on (§3.6). Default 600; all clients must use the same value.
	SyncInterval uint32
}

// Client is one netplay session with a game server.
type Client struct {
	cfg  Config
	log  *slog.Logger
	tcp  net.Conn
	br   *bufio.Reader
	udp  *net.UDPConn
	slot int // −1: spectator
	*stream

	opts  core.Options
	saves Saves
	table proto.RegistrationTable

	vi        uint32 // VI interrupts seen (§7 "Counters")
	syncSent  uint64
	started   bool
	recvDone  chan struct{}
	closeOnce sync.Once
}

// NewRegID returns a random non-zero reg_id with player (1–4; 0 for a
// spectator) in the low 3 bits.
func NewRegID(player int) uint32 {
	var b [4]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic(err) // crypto/rand never fails on supported systems
		}
		id := binary.BigEndian.Uint32(b[:])&^7 | uint32(player&7)
		if id != 0 {
			return id
		}
	}
}

func (c *Config) setDefaults() {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.RegID == 0 {
		c.RegID = NewRegID(c.Player)
	}
	if c.Plugin == proto.PluginUnset {
		c.Plugin = proto.PluginNone
	}
	def := func(p *time.Duration, d time.Duration) {
		if *p <= 0 {
			*p = d
		}
	}
	def(&c.DialTimeout, 10*time.Second)
	def(&c.BootTimeout, 3*time.Minute)
	def(&c.InputTimeout, proto.InputTimeout)
	def(&c.ResendInterval, proto.InputResendInterval)
	if c.SyncInterval == 0 {
		c.SyncInterval = proto.SyncInterval
	}
}

// Dial connects to the game server over TCP and UDP and registers the
// player (§2.1). A slot held by someone else is an error for a player; a
// spectator (Player 0) asks for slot 1 and expects the refusal that makes
// it a spectator.
func Dial(ctx context.Context, cfg Config) (*Client, error) {
	cfg.setDefaults()
	if cfg.Player < 0 || cfg.Player > proto.MaxPlayers {
		return nil, fmt.Errorf("netplay: player %d not in 1…%d (0: spectator)", cfg.Player, proto.MaxPlayers)
	}
	if !cfg.Plugin.Valid() {
		return nil, fmt.Errorf("netplay: plugin %d", cfg.Plugin)
	}
	d := net.Dialer{Timeout: cfg.DialTimeout}
	tc, err := d.DialContext(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("netplay: game server: %w", err)
	}
	// The UDP socket talks to the address TCP reached (one IP for both).
	ua := *tc.RemoteAddr().(*net.TCPAddr)
	uc, err := net.DialUDP("udp", nil, &net.UDPAddr{IP: ua.IP, Port: ua.Port, Zone: ua.Zone})
	if err != nil {
		tc.Close()
		return nil, fmt.Errorf("netplay: game server UDP: %w", err)
	}
	c := &Client{cfg: cfg, log: cfg.Logger, tcp: tc, br: bufio.NewReader(tc), udp: uc, slot: cfg.Player - 1,
		recvDone: make(chan struct{})}
	plugin := cfg.Plugin
	if c.slot > 0 && plugin == proto.PluginMempak {
		plugin = proto.PluginNone // §2.1: only player 1 keeps a mempak
	}
	if plugin == proto.PluginTransferPak {
		plugin = proto.PluginNone // §2.4: no transfer pak in netplay
	}
	slot := max(c.slot, 0)
	var reply proto.RegisterReply
	err = c.step(ctx, func() error {
		if err := c.write(proto.RegisterPlayer{Slot: uint8(slot), Plugin: plugin, Raw: cfg.Raw, RegID: cfg.RegID}); err != nil {
			return err
		}
		reply, err = proto.ReadRegisterReply(c.br)
		return err
	})
	if err != nil {
		c.closeSockets()
		return nil, fmt.Errorf("netplay: register: %w", err)
	}
	switch {
	case c.slot >= 0 && !reply.OK:
		c.closeSockets()
		return nil, fmt.Errorf("netplay: the server refused player %d: the slot is taken (or the game has started)", cfg.Player)
	case c.slot < 0 && reply.OK:
		// A spectator took a free slot 1: give it back.
		c.write(proto.DisconnectNotice{RegID: cfg.RegID})
		c.closeSockets()
		return nil, errors.New("netplay: cannot spectate: player 1's slot is free")
	}
	c.stream = newStream(c.sendUDP, cfg.RegID, c.slot, plugin, reply.BufferTarget)
	c.stream.log = c.log
	c.stream.local = cfg.Local
	c.stream.onStatus = cfg.OnStatus
	c.stream.timeout = cfg.InputTimeout
	c.stream.resend = cfg.ResendInterval
	c.log.Info("netplay: registered", "player", cfg.Player, "reg_id", cfg.RegID, "buffer_target", reply.BufferTarget)
	return c, nil
}

func (c *Client) sendUDP(b []byte) error {
	_, err := c.udp.Write(b)
	return err
}

// step runs one TCP exchange with a deadline, and aborts it when ctx ends.
func (c *Client) step(ctx context.Context, f func() error) error {
	deadline := time.Now().Add(c.cfg.BootTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	c.tcp.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { c.tcp.SetDeadline(time.Unix(1, 0)) })
	err := f()
	if !stop() || ctx.Err() != nil {
		return ctx.Err()
	}
	c.tcp.SetDeadline(time.Time{})
	if errors.Is(err, os.ErrDeadlineExceeded) {
		err = fmt.Errorf("the server did not answer in %v: %w", c.cfg.BootTimeout, err)
	}
	return err
}

func (c *Client) write(r proto.Request) error {
	b, err := r.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = c.tcp.Write(b)
	return err
}

// Player is the player number (1–4), 0 for a spectator.
func (c *Client) Player() int { return c.slot + 1 }

// RegID is the client's reg_id.
func (c *Client) RegID() uint32 { return c.cfg.RegID }

// BufferTarget is T from the registration reply (§2.1).
func (c *Client) BufferTarget() uint8 { return c.target }

// Boot runs the rest of the boot sequence in the protocol's fixed order
// (§1 step 3): the settings (player 1 sends opts, the others receive them),
// the four saves (player 1 uploads saves, the others download them), then
// the registration table, which waits for every player. After Boot,
// Options, Saves and Table hold what every client of the session uses, and
// the client is ready to serve input.
func (c *Client) Boot(ctx context.Context, opts core.Options, saves Saves) error {
	if err := c.syncSettings(ctx, opts); err != nil {
		return err
	}
	if err := c.syncSaves(ctx, saves); err != nil {
		return err
	}
	var tab proto.RegistrationTable
	err := c.step(ctx, func() error {
		if err := c.write(proto.GetRegistration{}); err != nil {
			return err
		}
		var err error
		tab, err = proto.ReadRegistrationTable(c.br)
		return err
	})
	if err != nil {
		return fmt.Errorf("netplay: registration table: %w", err)
	}
	c.table = tab
	c.log.Info("netplay: starting", "table", fmt.Sprintf("%+v", tab))
	c.started = true
	go c.receive()
	return nil
}

func (c *Client) syncSettings(ctx context.Context, opts core.Options) error {
	if c.slot == 0 {
		s, err := SettingsFromOptions(opts)
		if err != nil {
			return err
		}
		if err := c.step(ctx, func() error { return c.write(proto.SendSettings{Settings: s}) }); err != nil {
			return fmt.Errorf("netplay: send settings: %w", err)
		}
		c.opts = opts
		return nil
	}
	var s proto.Settings
	err := c.step(ctx, func() error {
		if err := c.write(proto.ReceiveSettings{}); err != nil {
			return err
		}
		var err error
		s, err = proto.ReadSettings(c.br)
		return err
	})
	if err != nil {
		return fmt.Errorf("netplay: receive settings: %w", err)
	}
	c.opts, err = OptionsFromSettings(s, opts)
	return err
}

func (c *Client) syncSaves(ctx context.Context, saves Saves) error {
	got := make(Saves, len(proto.BootSaves))
	for _, f := range proto.BootSaves {
		if c.slot == 0 {
			data := saves[f.Name]
			if len(data) != f.Size {
				data = make([]byte, f.Size) // §2.3: a file P1 cannot open goes as zeros
				copy(data, saves[f.Name])
			}
			if err := c.step(ctx, func() error { return c.write(proto.SendSave{Name: f.Name, Data: data}) }); err != nil {
				return fmt.Errorf("netplay: send save %s: %w", f.Name, err)
			}
			got[f.Name] = data
			continue
		}
		err := c.step(ctx, func() error {
			if err := c.write(proto.ReceiveSave{Name: f.Name}); err != nil {
				return err
			}
			var err error
			got[f.Name], err = proto.ReadSaveReply(c.br, f.Size)
			return err
		})
		if err != nil {
			return fmt.Errorf("netplay: receive save %s: %w", f.Name, err)
		}
	}
	c.saves = got
	return nil
}

// Options are the session's core options (player 1's, §2.2).
func (c *Client) Options() core.Options { return c.opts }

// Saves are the session's save images (player 1's, §2.3).
func (c *Client) Saves() Saves { return c.saves }

// Table is the registration table (§2.4).
func (c *Client) Table() proto.RegistrationTable { return c.table }

// Setup prepares a machine built with Options for the session, the same
// way on every client: controllers plugged in exactly the registered
// ports, paks from the table (a mempak on port 1 only, no transfer pak),
// the session's saves loaded (for this session only: nothing is written
// to disk here), the client as its InputSource, and CP0 sync data sent
// from the machine's VI (§3.6). Call it before the first frame.
func (c *Client) Setup(m *core.Machine) error {
	if m.Opts != c.opts {
		return fmt.Errorf("netplay: the machine's options %+v are not the session's %+v", m.Opts, c.opts)
	}
	for p, r := range c.table {
		m.PIF.SetPlugged(p, r.Present())
		kind := pif.PakNone
		switch {
		case !r.Present():
		case r.Plugin == proto.PluginMempak && p == 0:
			kind = pif.PakController
		case r.Plugin == proto.PluginRumblePak:
			kind = pif.PakRumble
		}
		m.PIF.SetPak(p, kind, nil)
	}
	if err := c.saves.Apply(m); err != nil {
		return err
	}
	m.SetInput(c)
	prev := m.VI.OnField
	m.VI.OnField = func() {
		if prev != nil {
			prev()
		}
		c.OnVI(m)
	}
	return nil
}

// The sync data's CP0 slots that carry a digest of the machine: numbers
// 21–25 are reserved in the VR4300 (no register; cpu.CP0Name), so
// mupen64plus sends whatever its array holds there, and the server only
// compares the bytes (§3.6).
const (
	digestReg   = 21
	digestWords = 5
)

// OnVI is called once per VI interrupt (Setup hooks it to the machine's
// VI): every SyncInterval VIs, from VI 0, it sends the CP0 registers as
// sync data (§3.6). Spectators send it too.
//
// CP0 alone shows a divergence only once it has changed the CPU's timing
// or state: machines whose RDRAM size, save memory or RDRAM contents
// differ can run with equal CP0 for minutes. So slots 21–25 carry the
// first 160 bits of Machine.Hash (DESIGN.md §5), and any difference
// between the machines is flagged at the next sync. This costs nothing in
// compatibility: a stock client never stays in step with our core anyway
// (§7).
func (c *Client) OnVI(m *core.Machine) {
	if c.vi%c.cfg.SyncInterval == 0 {
		d := proto.SyncData{VICount: c.vi}
		for i := range d.CP0 {
			d.CP0[i] = uint32(m.CPU.CP0Value(i))
		}
		h := m.Hash()
		for i := range digestWords {
			d.CP0[digestReg+i] = binary.BigEndian.Uint32(h[4*i:])
		}
		c.sendPacket(d)
		c.syncSent++
	}
	c.vi++
}

// receive reads the UDP socket until Close.
func (c *Client) receive() {
	defer close(c.recvDone)
	buf := make([]byte, 2048)
	for {
		n, err := c.udp.Read(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// ICMP port unreachable and the like: the server may come back.
			c.log.Debug("netplay: UDP read", "err", err)
			select {
			case <-c.closed:
				return
			case <-time.After(c.cfg.ResendInterval):
			}
			continue
		}
		c.deliver(buf[:n])
	}
}

// Close ends the session: it sends the disconnect notice (§2.4), closes
// the sockets and releases a blocked Input.
func (c *Client) Close() error {
	var err error
	c.closeOnce.Do(func() {
		close(c.closed)
		c.tcp.SetWriteDeadline(time.Now().Add(2 * time.Second))
		err = c.write(proto.DisconnectNotice{RegID: c.cfg.RegID})
		c.closeSockets()
		if c.started {
			<-c.recvDone
		}
	})
	return err
}

func (c *Client) closeSockets() {
	c.tcp.Close()
	c.udp.Close()
}

var _ io.Closer = (*Client)(nil)

// SetLocal sets the local player's controller (Config.Local) before play.
func (c *Client) SetLocal(src pif.InputSource) { c.stream.local = src }
