package rsp

import "github.com/n64go/n64/core/sched"

// Register field masks (n64brew "Reality Signal Processor/Interface";
// n64-systemtest sp_memory/dma.rs: "RDRAM address and SPMEM address are
// aligned on 8 byte boundaries (the lower 3 bits are ignored)").
const (
	memAddrMask  = 0x1FF8     // bit 12 IMEM/DMEM, bits 3-11 address
	dramAddrMask = 0xFF_FFF8  // bits 3-23
	lenMask      = 0xFF8FFFF8 // length bits 3-11, count 12-19, skip 23-31
	dramWrap     = 1 << 24    // the RDRAM address counter has 24 bits
)

// A DMA request as written to the registers.
type dmaRequest struct {
	memAddr, dramAddr uint32
	length            uint32 // SP_RD_LEN/SP_WR_LEN value: length, count, skip
	toRDRAM           bool   // SP_WR_LEN: DMEM/IMEM → RDRAM
}

// dma is the SP DMA engine: the hardware's two-entry queue as one running
// transfer (busy) and one waiting (full).
type dma struct {
	// What the address and length registers read: the running transfer,
	// or the last one's end values.
	regMem, regDRAM, regLen uint32
	// Addresses written for the next request (they apply to the request
	// made by the next length-register write, even while busy).
	nextMem, nextDRAM uint32

	busy, full bool
	pending    dmaRequest
	doneAt     uint64 // CPU cycle at which the running transfer ends
}

// setMemAddr and setDRAMAddr latch the address for the next transfer. The
// registers keep reading the last transfer's end values until a transfer
// starts (krom RSPTest/DMAAlignment-SP, by Lemmy: "If only RDRAM/SPMEM is
// written to, the values aren't visible when read" - 0x30 and 0x80F0 still
// read back after writing other addresses).
func (d *dma) setMemAddr(v uint32) { d.nextMem = v & memAddrMask }

func (d *dma) setDRAMAddr(v uint32) { d.nextDRAM = v & dramAddrMask }

// request handles a write of SP_RD_LEN (toRDRAM false) or SP_WR_LEN: the
// transfer starts now if the engine is idle, else waits in the second
// slot. With both slots taken the write is dropped (software checks
// SP_DMA_FULL first).
func (r *RSP) request(v uint32, toRDRAM bool) {
	r.dmaCatchUp()
	req := dmaRequest{memAddr: r.dma.nextMem, dramAddr: r.dma.nextDRAM, length: v & lenMask, toRDRAM: toRDRAM}
	switch {
	case !r.dma.busy:
		r.startAt(req, r.dmaNow())
	case !r.dma.full:
		r.dma.pending = req
		r.dma.full = true
	}
}

// Event handles sched.SP: the running DMA may have finished.
func (r *RSP) Event() { r.dmaCatchUp() }

// dmaNow is the current time for the DMA engine in CPU cycles: while the
// RSP executes, the RSP's own clock (it runs behind the scheduler and
// must see its DMAs finish as it polls SP_DMA_BUSY, as on hardware);
// otherwise the scheduler's clock.
func (r *RSP) dmaNow() uint64 {
	if r.running {
		return r.clock * 3 / 2
	}
	return r.sched.Now
}

// dmaCatchUp finishes the running transfer if its time has come; a
// waiting one then starts, timed from the end of the first.
func (r *RSP) dmaCatchUp() {
	now := r.dmaNow()
	for r.dma.busy && now >= r.dma.doneAt {
		r.dma.busy = false
		if r.dma.full {
			r.dma.full = false
			r.startAt(r.dma.pending, r.dma.doneAt)
		}
	}
}

// start runs a transfer. count+1 rows of (length|7)+1 bytes are copied
// (the length is rounded up to 8 bytes); between rows the RDRAM address
// skips skip bytes, the SP address does not. The SP address wraps within
// the 4 KiB memory it started in, never crossing into the other
// (n64-systemtest "spmem: DMA RDRAM -> DMEM (overflow)"). RDRAM beyond the
// installed size reads 0 and ignores writes.
//
// The data moves at once; the registers then read their end values (the
// SP address and RDRAM address just past the last byte, the length field
// 0xFF8 and count 0 with skip kept: n64-systemtest "SP Register Read Access
// From RSP" reads 0x60, 0x20 and 0xFF8 after 16 bytes from 0x10 to 0x50),
// and SP_DMA_BUSY stays set for dmaCycles from at (sched.SP is scheduled
// then, so the CPU side sees it end even without polling).
func (r *RSP) startAt(req dmaRequest, at uint64) {
	rowBytes := (req.length&0xFFF | 7) + 1
	rows := (req.length>>12)&0xFF + 1
	skip := req.length >> 20 & 0xFF8
	bank := req.memAddr & MemSize
	m := r.mem(bank)
	spOff := req.memAddr & (MemSize - 8)
	dram := req.dramAddr
	rdram := r.bus.RDRAM
	for row := uint32(0); row < rows; row++ {
		if row > 0 {
			dram = (dram + skip) % dramWrap
		}
		for i := uint32(0); i < rowBytes; i++ {
			if req.toRDRAM {
				if int(dram) < len(rdram) {
					rdram[dram] = m[spOff]
				}
			} else {
				var b byte
				if int(dram) < len(rdram) {
					b = rdram[dram]
				}
				m[spOff] = b
			}
			spOff = (spOff + 1) & (MemSize - 1)
			dram = (dram + 1) % dramWrap
		}
	}
	r.dma.regMem = bank | spOff
	r.dma.regDRAM = dram
	r.dma.regLen = req.length&^0xF_FFFF | 0xFF8
	r.dma.busy = true
	r.dma.doneAt = at + dmaCycles(rows*rowBytes)
	r.sched.Schedule(sched.SP, r.dma.doneAt)
}

// dmaCycles is how long a DMA of n bytes keeps SP_DMA_BUSY set, in CPU
// cycles: 3 RCP cycles per 8 bytes (the rate ares models for SP DMA), and
// an RCP cycle is 1.5 CPU cycles (62.5 vs 93.75 MHz), so 4.5 CPU cycles per
// 8 bytes, rounded up. This is a fixed function of the size, not measured
// timing; a later timing issue may refine it.
func dmaCycles(n uint32) uint64 {
	words := uint64(n) / 8
	return (words*9 + 1) / 2
}
