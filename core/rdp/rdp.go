// Package rdp is the Reality Display Processor. For now it is the RDP's
// command interface (n64brew "Reality Display Processor/Interface"): the
// DPC registers through which the CPU or RSP hand it command lists, and
// the DPS span (test) registers. The software rasterizer (command parser,
// TMEM, combiner, blender) is a later issue; it plugs in at processList.
package rdp

import "github.com/n64go/n64/core/memory"

// DP is the RDP command interface.
type DP struct {
	start, end, current uint32 // DPC_START, DPC_END, DPC_CURRENT (24-bit, 8-aligned)
	status              uint32 // DPC_STATUS read bits (see io.go)

	// Performance counters (DPC_CLOCK, DPC_BUFBUSY, DPC_PIPEBUSY,
	// DPC_TMEM). Nothing runs yet, so they stay at 0 until cleared.
	clock, bufBusy, pipeBusy, tmem uint32

	mi  *memory.MI
	bus *memory.Bus
}

// New returns the DP at power-on: idle, command buffer ready, the
// addresses 0.
func New(mi *memory.MI, bus *memory.Bus) *DP {
	return &DP{status: statusCBufReady, mi: mi, bus: bus}
}

// processList is called when commands from CURRENT up to END may run: after
// a write of DPC_END, and when FREEZE is cleared. Commands are fetched from
// RDRAM, or from DMEM when DPC_STATUS.XBUS is set; END may pass the end
// of DMEM (n64-systemtest "RDP STATUS: Run from DMEM (xbus) (overflowing
// dmem)" shows the RDP comparing CURRENT < END, not wrapping END).
//
// TODO(rasterizer): parse and execute the commands here; set START_GCLK
// and PIPE_BUSY while working, and on SYNC_FULL clear them and raise the
// DP interrupt (d.mi.Raise(memory.IntrDP)). Until then the list is
// consumed at once and nothing is drawn or raised.
func (d *DP) processList() {
	if d.status&statusFreeze != 0 {
		return
	}
	if d.end > d.current {
		d.current = d.end
	}
}
