package client

import (
	"context"
	"sync"
	"testing"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/pif"
)

// counter is a local controller whose reading tells whose input of which
// moment it is: the player in X, the read number in the button bits.
type counter struct {
	player int8
	n      pif.Buttons
}

func (c *counter) Input(int) pif.Input {
	c.n++
	return pif.Input{Buttons: c.n & 0x3FFF, X: c.player}
}

// TestTwoClientsBothPorts: two players read both ports, as a game polling
// two controllers does, in lockstep through the real server. Both play
// identical streams on each port, each port carries only its owner's
// input, in the order it was sampled.
func TestTwoClientsBothPorts(t *testing.T) {
	addr := lobbyGame(t, startServer(t), demoROM(t))
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	var cs [2]*Client
	for i := range cs {
		var err error
		cs[i], err = Dial(ctx, Config{Addr: addr, Player: i + 1, Local: &counter{player: int8(i + 1)}, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		defer cs[i].Close()
	}
	errs := make(chan error, 2)
	for _, c := range cs {
		go func() { errs <- c.Boot(ctx, core.DefaultOptions(), nil) }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	const events = 300
	var played [2][2][]pif.Input // client, port
	var wg sync.WaitGroup
	var step [events]sync.WaitGroup
	for i := range step {
		step[i].Add(2)
	}
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range events {
				for port := range 2 {
					played[i][port] = append(played[i][port], c.Input(port))
				}
				step[e].Done()
				step[e].Wait()
			}
		}()
	}
	wg.Wait()
	for i, c := range cs {
		if err := c.Err(); err != nil {
			t.Fatalf("player %d: %v", i+1, err)
		}
	}
	for port := range 2 {
		last := pif.Buttons(0)
		for e := range events {
			a, b := played[0][port][e], played[1][port][e]
			if a != b {
				t.Fatalf("port %d event %d: %+v and %+v", port+1, e, a, b)
			}
			if a == (pif.Input{}) {
				continue // before the first input reached the server
			}
			if a.X != int8(port+1) || a.Buttons < last {
				t.Fatalf("port %d event %d carries %+v after %#x", port+1, e, a, last)
			}
			last = a.Buttons
		}
		if int(last) < events-40 {
			t.Fatalf("port %d: the last input played is number %d of %d", port+1, last, events)
		}
	}
}
