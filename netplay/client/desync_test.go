package client

import (
	"testing"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/pif"
	"github.com/n64go/n64/netplay/proto"
)

// TestDesyncWithinSyncInterval: two clients play the demo through our
// server with the protocol's sync interval (600 VIs, §3.6), and player 2's
// machine is made to differ on purpose — its settings, its save images, or
// its save memory changed in the middle of the game. Both players must
// see the desync flag from the first sync at or after the difference, and
// not before: the sync data of the VIs before it matched.
func TestDesyncWithinSyncInterval(t *testing.T) {
	if raceEnabled {
		t.Skip("up to 630 frames of two machines: too slow under the race detector")
	}
	rom := demoROM(t)
	for _, tc := range []struct {
		name string
		// session changes player 2's session before its machine is built.
		session func(c *Client)
		// at, when non-zero, is the VI at which change alters player 2's
		// machine.
		at     int
		change func(m *core.Machine)
	}{
		// Count advances at another rate: CP0 itself differs.
		{name: "count_per_op", session: func(c *Client) { c.opts.CountPerOp = 3 }},
		// Neither of these reaches CP0 (the demo never reads RDRAM above
		// 4 MiB nor its EEPROM): the digest in the sync data catches them.
		{name: "4 MiB RDRAM", session: func(c *Client) { c.opts.DisableExtraMem = true }},
		{name: "EEPROM image", session: func(c *Client) {
			img := make([]byte, proto.SaveSizeEEPROM)
			img[7] = 0x42
			c.saves[proto.SaveEEPROM] = img
		}},
		{name: "EEPROM changed at VI 100", at: 100, change: func(m *core.Machine) { m.SaveData()[300] ^= 0x80 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := lobbyGame(t, startServer(t), rom)
			scripts := []*script{
				{steps: []step{{10, pif.Input{Buttons: pif.DRight}}, {40, pif.Input{}}}},
				{steps: []step{{20, pif.Input{Buttons: pif.DDown}}, {50, pif.Input{}}}},
			}
			seats := joinSeats(t, []string{addr, addr}, rom, core.DefaultOptions(), scripts, Config{},
				func(i int, c *Client) (*core.Machine, error) {
					if i == 1 && tc.session != nil {
						tc.session(c)
					}
					m, err := core.New(rom, c.Options())
					if err == nil {
						m.SetSaveType(cart.SaveEEPROM4K) // both, as --save-type would
					}
					return m, err
				})
			if tc.at > 0 {
				p2 := seats[1]
				prev := p2.m.VI.OnField
				vi := 0
				p2.m.VI.OnField = func() {
					if vi++; vi == tc.at {
						tc.change(p2.m)
					}
					prev()
				}
			}
			// The first sync VI at or after the difference.
			syncVI := (uint32(tc.at) + proto.SyncInterval - 1) / proto.SyncInterval * proto.SyncInterval
			// The status byte comes back on a later input reply, and these
			// machines run unpaced, several frames per real-time millisecond
			// on a loaded host: CI once saw it 3 frames after the sync. Half
			// a second of play is still far inside the 600-VI interval.
			const slack = 30
			limit := int(syncVI) + 1 + slack + 1
			done := func() bool { return seats[0].desync >= 0 && seats[1].desync >= 0 }
			if _, err := lockstep(seats, limit, false, done); err != nil {
				t.Fatal(err)
			}
			for _, s := range seats {
				// VI v's sync data goes out in the frame that ends with v+1 VIs.
				if s.desync < 0 {
					t.Fatalf("player %d: no desync after %d frames (%d VIs); the difference began at VI %d", s.c.Player(),
						len(s.vis), s.c.vi, tc.at)
				}
				seen := s.vis[s.desync]
				if seen < syncVI+1 || seen > syncVI+1+slack {
					t.Errorf("player %d saw the desync with %d VIs run; want it from the sync at VI %d, within %d frames",
						s.c.Player(), seen, syncVI, slack)
				}
				t.Logf("player %d saw the desync after frame %d (%d VIs; sync at VI %d)", s.c.Player(), s.desync, seen, syncVI)
			}
			if !seats[0].c.Status().Desync() {
				t.Error("player 1's status lost the desync bit")
			}
		})
	}
}
