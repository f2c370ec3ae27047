package rsp

import "github.com/n64go/n64/core/memory"

// CPU-visible layout of the SP's 1 MiB region at 0x0400_0000 (n64brew
// "Memory map", "Reality Signal Processor/Interface").
const (
	memEnd   = 0x0004_0000 // DMEM/IMEM, mirrored every 8 KiB below this
	regsEnd  = 0x0008_0000 // SP registers at 0x0404_0000
	pcRegEnd = 0x000C_0000 // SP_PC, SP_IBIST at 0x0408_0000
)

// SP register offsets from 0x0404_0000.
const (
	SPMemAddr   = 0x00 // SP_DMA_SPADDR: DMEM/IMEM address of a DMA
	SPDRAMAddr  = 0x04 // SP_DMA_RAMADDR: RDRAM address of a DMA
	SPRdLen     = 0x08 // SP_DMA_RDLEN: start a DMA RDRAM → DMEM/IMEM
	SPWrLen     = 0x0C // SP_DMA_WRLEN: start a DMA DMEM/IMEM → RDRAM
	SPStatus    = 0x10
	SPDMAFull   = 0x14
	SPDMABusy   = 0x18
	SPSemaphore = 0x1C
	spNumRegs   = 8
)

// Offsets from 0x0408_0000.
const (
	SPPC    = 0x00
	SPIBIST = 0x04
)

// SP_STATUS read bits.
const (
	statusHalt      = 1 << 0
	statusBroke     = 1 << 1
	statusDMABusy   = 1 << 2
	statusDMAFull   = 1 << 3
	statusIOFull    = 1 << 4 // always 0 here
	statusSStep     = 1 << 5
	statusIntrBreak = 1 << 6
	statusSig0      = 1 << 7 // signals 0-7 are bits 7-14
)

// SP_STATUS write bits: each flag has a clear bit and a set bit; BROKE can
// only be cleared. Signal i is cleared by bit 9+2i and set by bit 10+2i.
const (
	wClearHalt      = 1 << 0
	wSetHalt        = 1 << 1
	wClearBroke     = 1 << 2
	wClearIntr      = 1 << 3
	wSetIntr        = 1 << 4
	wClearSStep     = 1 << 5
	wSetSStep       = 1 << 6
	wClearIntrBreak = 1 << 7
	wSetIntrBreak   = 1 << 8
	wClearSig0      = 1 << 9
)

// Read32 implements memory.Device for 0x0400_0000-0x040F_FFFF.
// The RSP is first caught up to the current cycle, so the CPU sees what a
// running RSP has done by now.
func (r *RSP) Read32(paddr uint32) uint32 {
	r.Sync()
	off := paddr & 0xF_FFFF
	switch {
	case off < memEnd:
		return r.readMem(off)
	case off < regsEnd:
		return r.readReg(off - memEnd)
	case off < pcRegEnd:
		if off-regsEnd == SPPC {
			return r.pc
		}
		return 0 // SP_IBIST (the IMEM self-test) reads 0; unused addresses too
	}
	return 0
}

// Write32 implements memory.Device. Registers take the written bytes with
// the other lanes zero.
func (r *RSP) Write32(paddr, v, mask uint32) {
	r.Sync()
	off := paddr & 0xF_FFFF
	switch {
	case off < memEnd:
		r.writeMem(off, v, mask)
	case off < regsEnd:
		r.writeReg(off-memEnd, v&mask)
	case off < pcRegEnd:
		if off-regsEnd == SPPC {
			// Only the word address within IMEM is kept (n64-systemtest
			// "RSP PC REG": writing 0xFFFFFFFF reads back 0xFFC).
			r.pc = v & mask & 0xFFC
			r.npc = (r.pc + 4) & 0xFFC
		}
	}
}

func (r *RSP) readReg(off uint32) uint32 {
	r.dmaCatchUp()
	switch off {
	case SPMemAddr:
		return r.dma.regMem
	case SPDRAMAddr:
		return r.dma.regDRAM
	case SPRdLen, SPWrLen:
		return r.dma.regLen // both read the current transfer's length
	case SPStatus:
		return r.Status()
	case SPDMAFull:
		return b2u(r.dma.full)
	case SPDMABusy:
		return b2u(r.dma.busy)
	case SPSemaphore:
		// Reading returns the semaphore and sets it: a test-and-set.
		v := r.semaphore
		r.semaphore = 1
		return v
	}
	return 0
}

func (r *RSP) writeReg(off, v uint32) {
	switch off {
	case SPMemAddr:
		r.dma.setMemAddr(v)
	case SPDRAMAddr:
		r.dma.setDRAMAddr(v)
	case SPRdLen:
		r.request(v, false)
	case SPWrLen:
		r.request(v, true)
	case SPStatus:
		r.writeStatus(v)
	case SPSemaphore:
		r.semaphore = 0 // any value releases it
	}
	// SP_DMA_FULL and SP_DMA_BUSY are read-only.
}

// Status is SP_STATUS as the CPU reads it.
func (r *RSP) Status() uint32 {
	s := r.status
	if r.dma.busy {
		s |= statusDMABusy
	}
	if r.dma.full {
		s |= statusDMAFull
	}
	return s
}

// Halted reports whether the RSP is halted.
func (r *RSP) Halted() bool { return r.status&statusHalt != 0 }

// writeStatus applies an SP_STATUS write. Writing a flag's set and clear
// bits together leaves it unchanged (n64-systemtest rsp/registers.rs: "SP
// Set/Clear Interrupt", "Set/Clear Signal", "Set/Clear Halt" ...).
func (r *RSP) writeStatus(w uint32) {
	// Clearing HALT starts the RSP at SP_PC (Sync runs it from then on).
	r.status = setClear(r.status, w, wClearHalt, wSetHalt, statusHalt)
	if w&wClearBroke != 0 {
		r.status &^= statusBroke
	}
	switch w & (wClearIntr | wSetIntr) {
	case wClearIntr:
		r.mi.Lower(memory.IntrSP)
	case wSetIntr:
		r.mi.Raise(memory.IntrSP)
	}
	r.status = setClear(r.status, w, wClearSStep, wSetSStep, statusSStep)
	r.status = setClear(r.status, w, wClearIntrBreak, wSetIntrBreak, statusIntrBreak)
	for i := uint32(0); i < 8; i++ {
		r.status = setClear(r.status, w, wClearSig0<<(2*i), wClearSig0<<(2*i+1), statusSig0<<i)
	}
}

// setClear applies one clear/set bit pair of a write w to flag in reg:
// only one of the two bits written changes the flag.
func setClear(reg, w, clear, set, flag uint32) uint32 {
	switch w & (clear | set) {
	case clear:
		return reg &^ flag
	case set:
		return reg | flag
	}
	return reg
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}
