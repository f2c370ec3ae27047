// Package rdp is the Reality Display Processor: the command interface
// (n64brew "Reality Display Processor/Interface", io.go), the command
// parser (commands.go), TMEM and its loads (tmem.go), the rasterizer for
// rectangles and triangles (raster.go), the texture unit: coordinates,
// texel fetch, filter, LOD and copy-mode fetches (texture.go), and the
// per-pixel pipeline: color combiner, blender, framebuffer and Z-buffer
// access (pixel.go). Command lists run synchronously when DPC_END is
// written.
package rdp

import "github.com/n64go/n64/core/memory"

// DP is the RDP: command interface plus rasterizer state.
type DP struct {
	start, end, current uint32 // DPC_START, DPC_END, DPC_CURRENT (24-bit, 8-aligned)
	status              uint32 // DPC_STATUS read bits (see io.go)

	// Performance counters (DPC_CLOCK, DPC_BUFBUSY, DPC_PIPEBUSY,
	// DPC_TMEM). Rendering is synchronous and untimed, so they stay at 0.
	clock, bufBusy, pipeBusy, tmem uint32

	// cmd holds the words of a command whose end has not been fetched yet
	// (a list may stop in the middle of a triangle and continue at the
	// next DPC_END write).
	cmd    [maxCmdWords]uint64
	cmdLen uint32

	r raster // modes, images, tiles, TMEM (commands.go)

	mi   *memory.MI
	bus  *memory.Bus
	dmem *[4096]byte
}

// New returns the DP at power-on: idle, command buffer ready, the
// addresses 0.
func New(mi *memory.MI, bus *memory.Bus) *DP {
	d := &DP{status: statusCBufReady, mi: mi, bus: bus}
	d.r.rdram = bus.RDRAM
	return d
}

// SetDMEM connects the RSP's DMEM, where commands come from while
// DPC_STATUS.XBUS is set.
func (d *DP) SetDMEM(dmem *[4096]byte) { d.dmem = dmem }

// fetch reads the command doubleword at addr from RDRAM or, with XBUS,
// from DMEM (12-bit address, wrapping).
func (d *DP) fetch(addr uint32) uint64 {
	if d.status&statusXBus != 0 {
		if d.dmem == nil {
			return 0
		}
		var v uint64
		for i := uint32(0); i < 8; i++ {
			v = v<<8 | uint64(d.dmem[(addr+i)&0xFFF])
		}
		return v
	}
	a := addr & 0xFF_FFF8
	ram := d.bus.RDRAM
	if int(a)+8 > len(ram) {
		return 0
	}
	var v uint64
	for i := uint32(0); i < 8; i++ {
		v = v<<8 | uint64(ram[a+i])
	}
	return v
}

// processList is called when commands from CURRENT up to END may run: after
// a write of DPC_END, and when FREEZE is cleared. Commands are fetched from
// RDRAM, or from DMEM when DPC_STATUS.XBUS is set; END may pass the end
// of DMEM (n64-systemtest "RDP STATUS: Run from DMEM (xbus) (overflowing
// dmem)" shows the RDP comparing CURRENT < END, not wrapping END).
// Everything runs at once, so the busy bits are never seen set; SYNC_FULL
// raises the DP interrupt (n64brew "Reality Display Processor/Commands").
func (d *DP) processList() {
	if d.status&statusFreeze != 0 {
		return
	}
	d.r.rdram = d.bus.RDRAM
	for d.current < d.end {
		w := d.fetch(d.current)
		d.current += 8
		d.cmd[d.cmdLen] = w
		d.cmdLen++
		op := uint32(d.cmd[0]>>56) & 0x3F
		if d.cmdLen < cmdWords[op] {
			continue
		}
		d.cmdLen = 0
		if d.r.execute(op, d.cmd[:cmdWords[op]]) {
			// SYNC_FULL
			d.mi.Raise(memory.IntrDP)
		}
	}
}
