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
	// or the last one's end values, or what was last written while idle.
	regMem, regDRAM, regLen uint32
	// Addresses written for the next request (they apply to the request
	// made by the next length-register write, even while busy).
	nextMem, nextDRAM uint32

	busy, full bool
	pending    dmaRequest
}

func (d *dma) setMemAddr(v uint32) {
	d.nextMem = v & memAddrMask
	if !d.busy {
		d.regMem = d.nextMem
	}
}

func (d *dma) setDRAMAddr(v uint32) {
	d.nextDRAM = v & dramAddrMask
	if !d.busy {
		d.regDRAM = d.nextDRAM
	}
}

// request handles a write of SP_RD_LEN (toRDRAM false) or SP_WR_LEN: the
// transfer starts now if the engine is idle, else waits in the second
// slot. With both slots taken the write is dropped (software checks
// SP_DMA_FULL first).
func (r *RSP) request(v uint32, toRDRAM bool) {
	req := dmaRequest{memAddr: r.dma.nextMem, dramAddr: r.dma.nextDRAM, length: v & lenMask, toRDRAM: toRDRAM}
	switch {
	case !r.dma.busy:
		r.start(req)
	case !r.dma.full:
		r.dma.pending = req
		r.dma.full = true
	}
}

// Event handles sched.SP: the running DMA has finished; a waiting one
// starts.
func (r *RSP) Event() {
	if !r.dma.busy {
		return
	}
	r.dma.busy = false
	if r.dma.full {
		r.dma.full = false
		r.start(r.dma.pending)
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
// and SP_DMA_BUSY stays set until sched.SP fires dmaCycles later.
func (r *RSP) start(req dmaRequest) {
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
	r.sched.After(sched.SP, dmaCycles(rows*rowBytes))
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
