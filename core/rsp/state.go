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

	// Scalar and vector units, the divide unit, the RSP clock.
	s.U32s(r.gpr[:])
	s.U32(&r.npc)
	for i := range r.vr {
		for j := range r.vr[i] {
			s.U16(&r.vr[i][j])
		}
	}
	for i := range r.acc {
		a := uint64(r.acc[i])
		s.U64(&a)
		r.acc[i] = sext48(int64(a))
	}
	s.U8(&r.vcoC)
	s.U8(&r.vcoNE)
	s.U8(&r.vccLT)
	s.U8(&r.vccCL)
	s.U8(&r.vce)
	s.U16(&r.divIn)
	s.U16(&r.divOut)
	s.Bool(&r.divLoaded)
	s.U64(&r.clock)
	s.U64(&d.doneAt)
	for i := range r.loads {
		l := &r.loads[i]
		s.U8(&l.reg)
		for j := range l.old {
			s.U16(&l.old[j])
		}
		s.U64(&l.visible)
	}
	s.U8(&r.nLoads)
	if s.Loading() {
		r.gpr[0] = 0
		r.nLoads %= loadLatency
		for i := range r.loads {
			r.loads[i].reg &= 31
		}
		r.npc &= 0xFFC
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
