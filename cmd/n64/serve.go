package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/n64go/n64/netplay/proto"
	"github.com/n64go/n64/netplay/server"
)

// runServe runs the netplay server: the lobby on --port and one game
// server per room on the ports after it, until SIGINT or SIGTERM.
func runServe(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	port := fs.Int("port", proto.DefaultBasePort, "lobby WebSocket port B; room k listens on TCP and UDP port B+k")
	name := fs.String("name", "n64", "server name announced by LAN discovery")
	maxRooms := fs.Int("max-rooms", proto.DefaultMaxGames, "most rooms at once")
	motd := fs.String("motd", "", "message of the day shown by clients (may contain HTML)")
	lan := fs.Bool("lan", false, fmt.Sprintf("answer LAN discovery on UDP port %d", proto.DiscoveryPort))
	bufferTarget := fs.Int("buffer-target", 0, "input buffer target T in events, 1-255, for auto input delay; 0 = 1 on a LAN, 2 otherwise")
	inputDelay := fs.String("input-delay", "auto", "input delay of rooms that ask for none: auto (buffer control), ping (fixed, from the players' round trips) or a fixed number of events")
	statusAddr := fs.String("status-addr", "", "serve a JSON status page per room on this address, e.g. 127.0.0.1:8064 (GET /rooms, /rooms/PORT)")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	bind := fs.String("bind", "", "address to listen on (default: every interface)")
	enableAuth := fs.Bool("enable-auth", false, "require lobby authentication; the secret of emulator E is env E_AUTH (uppercase)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: n64 serve [flags]")
		fmt.Fprintln(fs.Output(), "Runs a Mupen64Plus-compatible netplay server (lobby API 17) until interrupted.")
		fs.PrintDefaults()
	}
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(out)
			fs.Usage()
			return errHelp
		}
		return fmt.Errorf("serve: %w", err)
	}
	switch {
	case fs.NArg() != 0:
		return fmt.Errorf("serve: unexpected argument %q (n64 serve --help)", fs.Arg(0))
	case *port < 1 || *port > 65535:
		return fmt.Errorf("serve: --port %d not in 1-65535", *port)
	case *maxRooms < 1:
		return fmt.Errorf("serve: --max-rooms must be at least 1, got %d", *maxRooms)
	case *port+*maxRooms > 65535:
		return fmt.Errorf("serve: --port %d + --max-rooms %d exceeds port 65535", *port, *maxRooms)
	case *bufferTarget < 0 || *bufferTarget > 255:
		return fmt.Errorf("serve: --buffer-target %d not in 0-255", *bufferTarget)
	case strings.TrimSpace(*name) == "" || *name == "Custom":
		// Clients list a "Custom" entry of their own beside discovered servers.
		return fmt.Errorf("serve: --name must be non-empty and not %q", "Custom")
	}
	delay, err := server.ParseInputDelay(*inputDelay)
	if err != nil {
		return fmt.Errorf("serve: --input-delay: %w", err)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("serve: --log-level %q: want debug, info, warn or error", *logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch *logFormat {
	case "text":
		h = slog.NewTextHandler(out, opts)
	case "json":
		h = slog.NewJSONHandler(out, opts)
	default:
		return fmt.Errorf("serve: --log-format %q: want text or json", *logFormat)
	}

	srv, err := server.New(server.Config{
		Name:         *name,
		Host:         *bind,
		Port:         *port,
		MaxRooms:     *maxRooms,
		MOTD:         *motd,
		LAN:          *lan,
		BufferTarget: *bufferTarget,
		InputDelay:   delay,
		StatusAddr:   *statusAddr,
		EnableAuth:   *enableAuth,
		Logger:       slog.New(h),
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Run(ctx); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
