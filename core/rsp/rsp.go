// Package rsp is the Reality Signal Processor. For now it is the RSP's
// interface to the rest of the machine (n64brew "Reality Signal Processor/
// Interface"): its two 4 KiB memories (DMEM, IMEM), the SP registers, and
// the DMA engine between RDRAM and those memories. The scalar and vector
// units that run code from IMEM are a later issue (files scalar.go,
// vector.go, decode.go, disasm.go per DESIGN.md §10).
package rsp

import (
	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
)

// MemSize is the size of DMEM and of IMEM.
const MemSize = 4096

// RSP holds the SP's memories and interface state.
type RSP struct {
	// DMEM (data) at 0x0400_0000 and IMEM (instructions) at 0x0400_1000,
	// in the N64's big-endian byte order.
	DMEM, IMEM [MemSize]byte

	// status holds the SP_STATUS bits that are state of their own: halt,
	// broke, single-step, interrupt-on-break and the eight signals, in
	// their SP_STATUS read positions. DMA busy/full come from dma; the
	// SP interrupt itself lives in the MI.
	status uint32

	semaphore uint32
	pc        uint32 // SP_PC: the address of the next instruction in IMEM

	dma dma

	sched *sched.Scheduler
	mi    *memory.MI
	bus   *memory.Bus
}

// New returns the RSP at power-on: halted (SP_STATUS = 0x1 and SP_PC = 0,
// as n64-systemtest's StartupTest reads them after boot), memories clear.
func New(s *sched.Scheduler, mi *memory.MI, bus *memory.Bus) *RSP {
	return &RSP{status: statusHalt, sched: s, mi: mi, bus: bus}
}

// mem returns the SP memory an SP address selects: bit 12 picks IMEM
// over DMEM, and the low 12 bits index it. CPU addresses 0x0400_0000-
// 0x0403_FFFF mirror DMEM+IMEM every 8 KiB (n64-systemtest "spmem: SW (out
// of bounds)": 0x0403_E000 is DMEM 0).
func (r *RSP) mem(addr uint32) *[MemSize]byte {
	if addr&MemSize != 0 {
		return &r.IMEM
	}
	return &r.DMEM
}

func (r *RSP) readMem(paddr uint32) uint32 {
	m := r.mem(paddr)
	i := paddr & (MemSize - 4)
	return uint32(m[i])<<24 | uint32(m[i+1])<<16 | uint32(m[i+2])<<8 | uint32(m[i+3])
}

// writeMem stores the bytes of v that mask selects. Real hardware writes
// the whole word on SB/SH, zero-filling or repeating the register into the
// other lanes (n64-systemtest "spmem: SB/SH"); our bus hands devices only
// the stored bytes, and the masked form is what games expect.
func (r *RSP) writeMem(paddr, v, mask uint32) {
	m := r.mem(paddr)
	i := paddr & (MemSize - 4)
	for b := uint32(0); b < 4; b++ {
		shift := 24 - 8*b
		if mask>>shift&0xFF != 0 {
			m[i+b] = byte(v >> shift)
		}
	}
}
