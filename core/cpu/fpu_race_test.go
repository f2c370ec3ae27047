//go:build race

package cpu

// raceEnabled skips the multi-million-operation FPU stress hashes under the
// race detector: they are pure arithmetic, and the detector makes them
// take tens of seconds.
const raceEnabled = true
