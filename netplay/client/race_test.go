//go:build race

package client

// raceEnabled: the race detector slows the machines down about tenfold.
const raceEnabled = true
