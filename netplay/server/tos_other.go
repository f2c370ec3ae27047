//go:build !linux

package server

import (
	"log/slog"
	"net"
)

// setTOS is a no-op off Linux: the DSCP mark is an optimisation.
func setTOS(*net.UDPConn, *slog.Logger) {}
