package server

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/n64go/n64/netplay/proto"
)

// LAN discovery (§4): a client broadcasts a datagram starting with 0x01 to
// UDP 45000 and the server answers {"<name>":"ws://<ip>:<B>"}.

// discoveryRate caps discovery replies per second: a reply is ~40 times
// the size of a request, so an open responder is a reflection amplifier.
const discoveryRate = 20

func listenDiscovery(addr string) (*net.UDPConn, error) {
	ua, err := net.ResolveUDPAddr("udp4", addr)
	if err != nil {
		return nil, err
	}
	return net.ListenUDP("udp4", ua)
}

// cgnat is 100.64.0.0/10, the shared address space of carrier-grade NAT
// and of overlay networks such as Tailscale.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// discoveryAllowed reports whether a discovery request from ip may be
// answered: only from local networks, since LAN discovery is for the LAN
// and answering the Internet would help reflection attacks.
func discoveryAllowed(ip netip.Addr) bool {
	return localNet(ip) || cgnat.Contains(ip)
}

// serveDiscovery answers discovery requests until the socket closes.
func (s *Server) serveDiscovery(ctx context.Context) {
	buf := make([]byte, 1500)
	tokens, last := float64(discoveryRate), time.Now()
	for {
		n, src, err := s.disc.ReadFromUDPAddrPort(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if !proto.IsDiscoveryRequest(buf[:n]) {
			continue
		}
		ip := src.Addr().Unmap()
		if !discoveryAllowed(ip) {
			s.log.Debug("ignored discovery request", "from", src.String(), "reason", "not a local address")
			continue
		}
		now := time.Now()
		tokens = min(discoveryRate, tokens+now.Sub(last).Seconds()*discoveryRate)
		last = now
		if tokens < 1 {
			continue
		}
		tokens--
		reply, err := s.discoveryReply(ip)
		if err != nil {
			s.log.Warn("discovery reply", "to", src.String(), "err", err)
			continue
		}
		s.disc.SetWriteDeadline(now.Add(time.Second))
		if _, err := s.disc.WriteToUDPAddrPort(reply, src); err != nil {
			s.log.Debug("discovery reply", "to", src.String(), "err", err)
			continue
		}
		s.log.Info("answered LAN discovery", "from", src.String())
	}
}

// discoveryReply builds the answer for a client at ip: the lobby URL on
// the configured host address, or else on this machine's outbound IPv4
// address towards the client.
func (s *Server) discoveryReply(to netip.Addr) ([]byte, error) {
	host, err := netip.ParseAddr(s.cfg.Host)
	if err != nil || host.IsUnspecified() {
		host, err = outboundIP(to)
		if err != nil {
			return nil, err
		}
	}
	url := "ws://" + net.JoinHostPort(host.String(), strconv.Itoa(s.lobbyPort()))
	return proto.EncodeDiscoveryReply(map[string]string{s.cfg.Name: url})
}

// outboundIP returns the local address the system would send from to
// reach to; connecting a UDP socket sends nothing.
func outboundIP(to netip.Addr) (netip.Addr, error) {
	c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(to, proto.DiscoveryPort)))
	if err != nil {
		return netip.Addr{}, err
	}
	defer c.Close()
	return addrOf(c.LocalAddr()), nil
}
