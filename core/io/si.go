package io

import (
	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
	"github.com/n64go/n64/core/state"
)

// SI register offsets from 0x0480_0000 (n64brew "Serial Interface").
const (
	SIDRAMAddr    = 0x00 // SI_DRAM_ADDR
	SIPIFAdRd64B  = 0x04 // SI_PIF_AD_RD64B: write starts PIF RAM → RDRAM
	SIPIFAdWr4B   = 0x08 // SI_PIF_AD_WR4B (not modelled)
	SIPIFAdWr64B  = 0x10 // SI_PIF_AD_WR64B: write starts RDRAM → PIF RAM
	SIPIFAdRd4B   = 0x14 // SI_PIF_AD_RD4B (not modelled)
	SIStatus      = 0x18 // SI_STATUS
	siDRAMMask    = 0x00FF_FFF8
	siPIFAddrMask = 0xFFFF_FFFE
)

// SI_STATUS bits (read); any write clears the interrupt.
const (
	SIStatusDMABusy   = 1 << 0
	SIStatusIOBusy    = 1 << 1
	SIStatusInterrupt = 1 << 12
)

// PIFRAM is the PIF's side of an SI DMA, implemented by *pif.PIF:
// DMAWrite receives the 64 bytes RDRAM sends (the PIF then runs the joybus
// commands in them), DMARead gives the 64 bytes of PIF RAM to send back.
type PIFRAM interface {
	DMAWrite(src *[64]byte)
	DMARead(dst *[64]byte)
}

// SI is the Serial Interface: 64-byte DMAs between RDRAM and PIF RAM.
//
// Timing follows mupen64plus, whose netplay settings we share: the data
// moves when the DMA starts, the DMA stays busy for dmaCycles (the
// machine passes Options.SIDMADuration Count ticks × 2, Count running at
// half the CPU clock), then the SI interrupt is raised.
type SI struct {
	dramAddr  uint32
	pifRdAddr uint32
	pifWrAddr uint32
	dmaBusy   bool
	interrupt bool

	dmaCycles uint64
	buf       [64]byte // transfer scratch, not state

	s   *sched.Scheduler
	mi  *memory.MI
	bus *memory.Bus
	pif PIFRAM
}

// NewSI returns an SI talking to the PIF p whose DMAs last dmaCycles CPU cycles.
func NewSI(s *sched.Scheduler, mi *memory.MI, bus *memory.Bus, p PIFRAM, dmaCycles uint64) *SI {
	return &SI{s: s, mi: mi, bus: bus, pif: p, dmaCycles: dmaCycles}
}

// Read32 implements memory.Device.
func (si *SI) Read32(paddr uint32) uint32 {
	switch paddr & 0x1F {
	case SIDRAMAddr:
		return si.dramAddr
	case SIPIFAdRd64B:
		return si.pifRdAddr
	case SIPIFAdWr64B:
		return si.pifWrAddr
	case SIStatus:
		var v uint32
		if si.dmaBusy {
			v |= SIStatusDMABusy
		}
		if si.interrupt {
			v |= SIStatusInterrupt
		}
		return v
	}
	return 0
}

// Write32 implements memory.Device.
func (si *SI) Write32(paddr, value, mask uint32) {
	switch paddr & 0x1F {
	case SIDRAMAddr:
		si.dramAddr = merge(si.dramAddr, value, mask) & siDRAMMask
	case SIPIFAdRd64B:
		si.pifRdAddr = merge(si.pifRdAddr, value, mask) & siPIFAddrMask
		si.pif.DMARead(&si.buf)
		ram := si.bus.RDRAM
		for i, b := range si.buf {
			if a := si.dramAddr + uint32(i); a < uint32(len(ram)) {
				ram[a] = b
			}
		}
		si.start()
	case SIPIFAdWr64B:
		si.pifWrAddr = merge(si.pifWrAddr, value, mask) & siPIFAddrMask
		ram := si.bus.RDRAM
		for i := range si.buf {
			si.buf[i] = 0
			if a := si.dramAddr + uint32(i); a < uint32(len(ram)) {
				si.buf[i] = ram[a]
			}
		}
		si.pif.DMAWrite(&si.buf)
		si.start()
	case SIStatus:
		si.interrupt = false
		si.mi.Lower(memory.IntrSI)
	}
}

func (si *SI) start() {
	si.dmaBusy = true
	si.s.After(sched.SI, si.dmaCycles)
}

// Event runs when sched.SI fires: the DMA has finished.
func (si *SI) Event() {
	si.dmaBusy = false
	si.interrupt = true
	si.mi.Raise(memory.IntrSI)
}

// Serialize saves or restores the SI registers. The DMA length comes from
// Options, which a state records separately.
func (si *SI) Serialize(s *state.S) {
	s.U32(&si.dramAddr)
	s.U32(&si.pifRdAddr)
	s.U32(&si.pifWrAddr)
	s.Bool(&si.dmaBusy)
	s.Bool(&si.interrupt)
}
