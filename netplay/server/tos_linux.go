package server

import (
	"log/slog"
	"net"
	"syscall"
)

// setTOS marks the room's UDP traffic DSCP CS4 (TOS 0x80), as both the
// stock client and servers do (§1).
func setTOS(c *net.UDPConn, log *slog.Logger) {
	rc, err := c.SyscallConn()
	if err != nil {
		return
	}
	const tos = 0x80
	var e4, e6 error
	rc.Control(func(fd uintptr) {
		e4 = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, syscall.IP_TOS, tos)
		e6 = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IPV6, syscall.IPV6_TCLASS, tos)
	})
	if e4 != nil && e6 != nil {
		log.Debug("could not set DSCP", "ipv4", e4, "ipv6", e6)
	}
}
