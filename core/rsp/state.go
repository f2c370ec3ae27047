package rsp

import "github.com/n64go/n64/core/state"

// Serialize saves or restores the RSP: memories, status, semaphore, PC and
// the DMA engine, in a fixed order. The pending SP event is part of the
// scheduler's state.
func (r *RSP) Serialize(s *state.S) {
	s.Raw(r.DMEM[:])
	s.Raw(r.IMEM[:])
	s.U32(&r.status)
	s.U32(&r.semaphore)
	s.U32(&r.pc)
	d := &r.dma
	s.U32(&d.regMem)
	s.U32(&d.regDRAM)
	s.U32(&d.regLen)
	s.U32(&d.nextMem)
	s.U32(&d.nextDRAM)
	s.Bool(&d.busy)
	s.Bool(&d.full)
	s.U32(&d.pending.memAddr)
	s.U32(&d.pending.dramAddr)
	s.U32(&d.pending.length)
	s.Bool(&d.pending.toRDRAM)
	if s.Loading() {
		// Keep loaded values inside the fields' widths so a damaged
		// state cannot index outside the memories.
		r.status &= statusHalt | statusBroke | statusSStep | statusIntrBreak | 0xFF*statusSig0
		r.pc &= 0xFFC
		d.regMem &= memAddrMask
		d.nextMem &= memAddrMask
		d.pending.memAddr &= memAddrMask
		d.regDRAM &= dramAddrMask
		d.nextDRAM &= dramAddrMask
		d.pending.dramAddr &= dramAddrMask
	}
}
