// Package rsp is the Reality Signal Processor (n64brew "Reality Signal
// Processor"): its interface to the rest of the machine (the two 4 KiB
// memories DMEM and IMEM, the SP registers, the DMA engine: io.go, dma.go),
// the scalar unit that runs code from IMEM (scalar.go), the vector unit
// (COP2: vector.go, vload.go, divide.go) and a disassembler (disasm.go).
//
// The RSP runs 2 cycles per 3 CPU cycles and one instruction per RSP cycle;
// it is caught up lazily to the scheduler's clock (DESIGN.md §2) by Sync,
// which the machine calls after each CPU slice and which the RSP itself
// calls before the CPU touches its registers or memories.
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

	// Scalar unit: the 32 general registers ($0 reads 0) and the address
	// of the instruction after the one at pc, which a taken branch sets
	// to its target so that the delay slot at pc runs first.
	gpr [32]uint32
	npc uint32

	// Vector unit (COP2): 32 registers of 8 16-bit lanes (lane 0 is the
	// most significant in memory order), the 48-bit accumulator per lane
	// (kept sign-extended in an int64) and the flag registers, one bit
	// per lane (bit i = lane i): VCO carry and not-equal, VCC compare
	// and clip, VCE. divIn/divOut/divLoaded are the divide unit's state
	// between VRCPH/VRSQH and VRCPL/VRSQL.
	vr                             [32][8]uint16
	acc                            [8]int64
	vcoC, vcoNE, vccLT, vccCL, vce uint8
	divIn, divOut                  uint16
	divLoaded                      bool

	// loads is a ring of the last vector loads (LWC2), newest at
	// loads[(nLoads-1)%len]: the reserved encodings that read vs and vt
	// without waiting for loads in flight (vector.go, unwaited) see a
	// register as it was before a load of the previous loadLatency
	// instructions.
	loads  [loadLatency]vloadRec
	nLoads uint8

	// clock counts the RSP cycles accounted for so far: Sync runs the RSP
	// until clock = sched.Now * 2 / 3 (cycles spent halted are skipped).
	clock uint64

	sched *sched.Scheduler
	mi    *memory.MI
	bus   *memory.Bus
	dp    memory.Device // the DP command registers (MTC0/MFC0 c8-c15)

	// syncing guards Sync against re-entry (an RSP access to its own
	// registers never goes back through the bus, but keep it robust);
	// running is set while Run executes instructions (the DMA engine then
	// keeps time by the RSP clock).
	syncing, running bool

	// Trace, when set, is called before each RSP instruction with its
	// IMEM address and word (a debugging aid; see Disasm).
	Trace func(pc, w uint32)
}

// New returns the RSP at power-on: halted (SP_STATUS = 0x1 and SP_PC = 0,
// as n64-systemtest's StartupTest reads them after boot), memories clear.
func New(s *sched.Scheduler, mi *memory.MI, bus *memory.Bus) *RSP {
	return &RSP{status: statusHalt, npc: 4, sched: s, mi: mi, bus: bus}
}

// SetDP connects the DP command registers (core/rdp's DP, mapped at
// 0x0410_0000) that the RSP reaches as COP0 registers 8-15.
func (r *RSP) SetDP(dp memory.Device) { r.dp = dp }

// Sync runs the RSP up to the scheduler's current cycle: 2 RSP cycles per 3
// CPU cycles, one instruction per RSP cycle. Cycles while halted pass
// without running anything.
func (r *RSP) Sync() {
	target := r.sched.Now * 2 / 3
	if r.clock >= target || r.syncing {
		return
	}
	if r.status&statusHalt != 0 {
		r.clock = target
		return
	}
	r.syncing = true
	r.Run(target - r.clock)
	if r.status&statusHalt != 0 {
		r.clock = target
	}
	r.syncing = false
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

// SyncedDevice is a device the RSP also reaches (the DP command registers,
// COP0 c8-c15) as the CPU's bus sees it: every CPU access first catches
// the RSP up to the current cycle (DESIGN.md §2), so the CPU sees the DP
// registers as a running RSP has left them by now.
type SyncedDevice struct {
	RSP *RSP
	memory.Device
}

// Read32 implements memory.Device.
func (d SyncedDevice) Read32(paddr uint32) uint32 {
	d.RSP.Sync()
	return d.Device.Read32(paddr)
}

// Write32 implements memory.Device.
func (d SyncedDevice) Write32(paddr, v, mask uint32) {
	d.RSP.Sync()
	d.Device.Write32(paddr, v, mask)
}
