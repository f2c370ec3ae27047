package io

import (
	"testing"

	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
)

// fakePIF records what the SI sends and answers with a fixed pattern.
type fakePIF struct {
	got    [64]byte
	writes int
	reads  int
}

func (f *fakePIF) DMAWrite(src *[64]byte) { f.got = *src; f.writes++ }
func (f *fakePIF) DMARead(dst *[64]byte) {
	for i := range dst {
		dst[i] = byte(0xC0 + i)
	}
	f.reads++
}

// mupen64plus' default SiDmaDuration is 0x900 Count ticks = 0x1200 cycles.
const siCycles = 2 * 0x900

func newSIRig() (*rig, *SI, *fakePIF) {
	r := newRig()
	f := &fakePIF{}
	si := NewSI(r.s, r.mi, r.bus, f, siCycles)
	r.handler[sched.SI] = si.Event
	return r, si, f
}

func (si *SI) write(off, v uint32)    { si.Write32(0x0480_0000+off, v, 0xFFFF_FFFF) }
func (si *SI) read(off uint32) uint32 { return si.Read32(0x0480_0000 + off) }

func TestSIWrite64B(t *testing.T) {
	r, si, f := newSIRig()
	for i := 0; i < 64; i++ {
		r.bus.RDRAM[0x1000+i] = byte(i)
	}
	si.write(SIDRAMAddr, 0x1000)
	si.write(SIPIFAdWr64B, 0x1FC007C0)
	if f.writes != 1 || f.got[0] != 0 || f.got[63] != 63 {
		t.Fatalf("PIF got %d writes, bytes %d..%d", f.writes, f.got[0], f.got[63])
	}
	if si.read(SIStatus) != SIStatusDMABusy {
		t.Fatalf("STATUS during DMA %#x", si.read(SIStatus))
	}
	r.runTo(siCycles - 1)
	if r.intr(memory.IntrSI) {
		t.Fatal("SI interrupt before the DMA duration")
	}
	r.runTo(siCycles)
	if !r.intr(memory.IntrSI) {
		t.Fatal("no SI interrupt after the DMA duration")
	}
	if got := si.read(SIStatus); got != SIStatusInterrupt {
		t.Fatalf("STATUS after DMA %#x, want interrupt bit 12 only", got)
	}
	si.write(SIStatus, 0) // any write clears
	if r.intr(memory.IntrSI) || si.read(SIStatus) != 0 {
		t.Fatal("STATUS write did not clear the interrupt")
	}
}

func TestSIRead64B(t *testing.T) {
	r, si, f := newSIRig()
	si.write(SIDRAMAddr, 0x2000)
	si.write(SIPIFAdRd64B, 0x1FC007C0)
	if f.reads != 1 {
		t.Fatalf("PIF read %d times", f.reads)
	}
	for i := 0; i < 64; i++ {
		if got := r.bus.RDRAM[0x2000+i]; got != byte(0xC0+i) {
			t.Fatalf("RDRAM byte %d = %#x", i, got)
		}
	}
	r.runTo(siCycles)
	if !r.intr(memory.IntrSI) {
		t.Fatal("no SI interrupt")
	}
}

func TestSIRegisters(t *testing.T) {
	_, si, _ := newSIRig()
	si.write(SIDRAMAddr, 0xFFFF_FFFF)
	if got := si.read(SIDRAMAddr); got != 0x00FF_FFF8 {
		t.Errorf("SI_DRAM_ADDR %#x, want 0xFFFFF8", got)
	}
	si.write(SIDRAMAddr, 0)
	si.write(SIPIFAdWr64B, 0x1FC0_07C1)
	if got := si.read(SIPIFAdWr64B); got != 0x1FC0_07C0 {
		t.Errorf("SI_PIF_AD_WR64B %#x", got)
	}
}

func TestSISerialize(t *testing.T) {
	_, si, _ := newSIRig()
	si.write(SIDRAMAddr, 0x1230)
	si.write(SIPIFAdWr64B, 0x1FC007C0)
	_, si2, _ := newSIRig()
	roundTrip(t, si.Serialize, si2.Serialize)
	if si2.read(SIDRAMAddr) != 0x1230 || si2.read(SIStatus) != SIStatusDMABusy {
		t.Error("restored SI differs")
	}
}
