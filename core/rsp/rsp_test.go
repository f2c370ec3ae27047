package rsp

import (
	"bytes"
	"testing"

	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
	"github.com/n64go/n64/core/state"
)

const (
	base    = 0x0400_0000
	regBase = 0x0404_0000
	pcAddr  = 0x0408_0000
)

func newRSP(t *testing.T) (*RSP, *sched.Scheduler, *memory.MI, *memory.Bus) {
	t.Helper()
	s := sched.New()
	mi := &memory.MI{}
	bus := memory.NewBus(memory.RDRAMSize4M)
	return New(s, mi, bus), s, mi, bus
}

func reg(r *RSP, off uint32) uint32 { return r.Read32(regBase + off) }
func setReg(r *RSP, off, v uint32)  { r.Write32(regBase+off, v, 0xFFFF_FFFF) }
func fill(b []byte, v byte) {
	for i := range b {
		b[i] = v
	}
}
func seq(b []byte, start byte) {
	for i := range b {
		b[i] = start + byte(i)
	}
}
func waitDMA(r *RSP, s *sched.Scheduler) {
	for r.dma.busy {
		at, ok := s.Pending(sched.SP)
		if !ok {
			panic("DMA busy with no SP event")
		}
		s.Now = at
		if k, _ := s.Pop(); k == sched.SP {
			r.Event()
		}
	}
}

func TestPowerOn(t *testing.T) {
	r, _, _, _ := newRSP(t)
	// n64-systemtest StartupTest: SP_STATUS 0x1, SP_PC 0.
	if got := reg(r, SPStatus); got != 0x1 {
		t.Errorf("SP_STATUS = %#x, want 0x1", got)
	}
	if got := r.Read32(pcAddr); got != 0 {
		t.Errorf("SP_PC = %#x, want 0", got)
	}
}

// The DMA cases of n64-systemtest sp_memory/dma.rs (RDRAM source of 32
// known bytes at 0x1000): SP and RDRAM addresses lose their low 3 bits,
// length+1 is rounded up to 8, and an overflow wraps within the same
// memory.
func TestDMAToSP(t *testing.T) {
	tests := []struct {
		name       string
		dramOff    uint32 // added to the 0x1000 source
		spAddr     uint32
		length     uint32
		checkAt    uint32 // SP address (0x0000-0x1FFF) of the checked window
		want       []byte // 0xAA = untouched
		wrapCheck  uint32 // SP address of a second window, if wantWrap
		wantWrap   []byte
		wantSPEnd  uint32
		wantRAMEnd uint32
	}{
		{"all aligned", 0, 8, 7, 0,
			[]byte{0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0, 1, 2, 3, 4, 5, 6, 7, 0xAA}, 0, nil, 0x10, 0x1008},
		{"SP offset unaligned", 0, 12, 7, 0,
			[]byte{0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0, 1, 2, 3, 4, 5, 6, 7, 0xAA}, 0, nil, 0x10, 0x1008},
		{"IMEM, SP offset unaligned", 0, 0x100B, 7, 0x1000,
			[]byte{0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0, 1, 2, 3, 4, 5, 6, 7, 0xAA}, 0, nil, 0x1010, 0x1008},
		{"RAM offset unaligned", 4, 8, 7, 0,
			[]byte{0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0, 1, 2, 3, 4, 5, 6, 7, 0xAA}, 0, nil, 0x10, 0x1008},
		{"length 11", 0, 8, 11, 0,
			[]byte{0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0xAA}, 0, nil, 0x18, 0x1010},
		{"DMEM overflow wraps in DMEM", 0, 0xFF0, 31, 0xFF0,
			[]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
			0x0000, []byte{16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 0xAA}, 0x010, 0x1020},
		{"IMEM overflow wraps in IMEM", 0, 0x1FF0, 31, 0x1FF0,
			[]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
			0x1000, []byte{16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 0xAA}, 0x1010, 0x1020},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, s, _, bus := newRSP(t)
			seq(bus.RDRAM[0x1000:0x1020], 0)
			fill(r.DMEM[:], 0xAA)
			fill(r.IMEM[:], 0xAA)
			setReg(r, SPMemAddr, tc.spAddr)
			setReg(r, SPDRAMAddr, 0x1000+tc.dramOff)
			setReg(r, SPRdLen, tc.length)
			waitDMA(r, s)
			check := func(at uint32, want []byte) {
				m := r.mem(at)
				got := m[at&0xFFF : at&0xFFF+uint32(len(want))]
				if !bytes.Equal(got, want) {
					t.Errorf("SP[%#x:] = % X, want % X", at, got, want)
				}
			}
			check(tc.checkAt, tc.want)
			if tc.wantWrap != nil {
				check(tc.wrapCheck, tc.wantWrap)
				// Nothing spills into the other memory.
				other := r.mem(tc.checkAt ^ 0x1000)
				for i, b := range other {
					if b != 0xAA {
						t.Fatalf("other memory[%#x] = %#x, DMA spilled", i, b)
					}
				}
			}
			if got := reg(r, SPMemAddr); got != tc.wantSPEnd {
				t.Errorf("SP_MEM_ADDR after = %#x, want %#x", got, tc.wantSPEnd)
			}
			if got := reg(r, SPDRAMAddr); got != tc.wantRAMEnd {
				t.Errorf("SP_DRAM_ADDR after = %#x, want %#x", got, tc.wantRAMEnd)
			}
			for _, off := range []uint32{SPRdLen, SPWrLen} {
				if got := reg(r, off); got != 0xFF8 {
					t.Errorf("length register %#x after = %#x, want 0xFF8", off, got)
				}
			}
		})
	}
}

// n64-systemtest "SP Register Read Access From RSP": 16 bytes from RDRAM
// 0x10 to DMEM 0x50 leave 0x60, 0x20, 0xFF8 in the registers, DMA_FULL and
// DMA_BUSY 0.
func TestDMAEndRegisters(t *testing.T) {
	r, s, _, bus := newRSP(t)
	seq(bus.RDRAM[0x10:0x20], 0x40)
	setReg(r, SPMemAddr, 0x50)
	setReg(r, SPDRAMAddr, 0x10)
	setReg(r, SPRdLen, 15)
	if reg(r, SPDMABusy) != 1 || reg(r, SPStatus)&statusDMABusy == 0 {
		t.Errorf("DMA not busy right after the length write")
	}
	waitDMA(r, s)
	want := map[uint32]uint32{SPMemAddr: 0x60, SPDRAMAddr: 0x20, SPRdLen: 0xFF8, SPWrLen: 0xFF8, SPDMAFull: 0, SPDMABusy: 0, SPStatus: 0x1}
	for _, off := range []uint32{SPMemAddr, SPDRAMAddr, SPRdLen, SPWrLen, SPStatus, SPDMAFull, SPDMABusy} {
		if got := reg(r, off); got != want[off] {
			t.Errorf("reg %#x = %#x, want %#x", off, got, want[off])
		}
	}
	if !bytes.Equal(r.DMEM[0x50:0x60], bus.RDRAM[0x10:0x20]) {
		t.Errorf("DMEM[0x50:0x60] = % X", r.DMEM[0x50:0x60])
	}
}

// Rows and skip: count+1 rows of the rounded length, the RDRAM address
// skipping `skip` bytes between rows, SP memory contiguous.
func TestDMACountSkip(t *testing.T) {
	r, s, _, bus := newRSP(t)
	seq(bus.RDRAM[0x2000:0x2100], 0)
	fill(r.DMEM[:], 0xAA)
	// length 8 bytes (7), count 2 → 3 rows, skip 0x18.
	setReg(r, SPMemAddr, 0x200)
	setReg(r, SPDRAMAddr, 0x2000)
	setReg(r, SPRdLen, 0x018<<20|2<<12|7)
	waitDMA(r, s)
	want := []byte{
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, // row 0 at 0x2000
		0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, // row 1 at 0x2000+8+0x18
		0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, // row 2 at 0x2040
		0xAA,
	}
	if got := r.DMEM[0x200 : 0x200+len(want)]; !bytes.Equal(got, want) {
		t.Errorf("DMEM = % X\nwant   % X", got, want)
	}
	if got := reg(r, SPMemAddr); got != 0x218 {
		t.Errorf("SP_MEM_ADDR = %#x, want 0x218", got)
	}
	// The address just past the last row (no skip after it).
	if got := reg(r, SPDRAMAddr); got != 0x2048 {
		t.Errorf("SP_DRAM_ADDR = %#x, want 0x2048", got)
	}
	// Length 0xFF8, count 0, skip kept.
	if got := reg(r, SPRdLen); got != 0x0180_0FF8 {
		t.Errorf("SP_RD_LEN = %#x, want 0x01800FF8", got)
	}
}

func TestDMAToRDRAM(t *testing.T) {
	r, s, _, bus := newRSP(t)
	seq(r.IMEM[0x100:0x120], 0x80)
	fill(bus.RDRAM[0x3000:0x3100], 0xAA)
	// Two rows of 16 bytes from IMEM, 16 bytes apart in RDRAM.
	setReg(r, SPMemAddr, 0x1100)
	setReg(r, SPDRAMAddr, 0x3000)
	setReg(r, SPWrLen, 0x010<<20|1<<12|15)
	waitDMA(r, s)
	want := []byte{
		0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F,
		0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA,
		0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F,
		0xAA,
	}
	if got := bus.RDRAM[0x3000 : 0x3000+len(want)]; !bytes.Equal(got, want) {
		t.Errorf("RDRAM = % X", got)
	}
	if got := reg(r, SPMemAddr); got != 0x1120 {
		t.Errorf("SP_MEM_ADDR = %#x, want 0x1120", got)
	}
}

// RDRAM above the installed 4 MiB reads as 0 and ignores writes.
func TestDMABeyondRDRAM(t *testing.T) {
	r, s, _, bus := newRSP(t)
	fill(r.DMEM[:16], 0xAA)
	setReg(r, SPMemAddr, 0)
	setReg(r, SPDRAMAddr, memory.RDRAMSize4M-8)
	seq(bus.RDRAM[memory.RDRAMSize4M-8:], 1)
	setReg(r, SPRdLen, 15)
	waitDMA(r, s)
	want := []byte{1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0}
	if !bytes.Equal(r.DMEM[:16], want) {
		t.Errorf("DMEM = % X, want % X", r.DMEM[:16], want)
	}
	// And the other way: no panic, nothing written.
	setReg(r, SPDRAMAddr, memory.RDRAMSize4M+0x100)
	setReg(r, SPWrLen, 15)
	waitDMA(r, s)
}

// One transfer runs, one waits (DMA_FULL); the waiting one starts when the
// first completes via sched.SP.
func TestDMAQueue(t *testing.T) {
	r, s, _, bus := newRSP(t)
	seq(bus.RDRAM[0:0x40], 0x10)
	setReg(r, SPMemAddr, 0)
	setReg(r, SPDRAMAddr, 0)
	setReg(r, SPRdLen, 7)
	at, ok := s.Pending(sched.SP)
	if !ok || at != s.Now+dmaCycles(8) {
		t.Fatalf("SP event at %d %v, want %d", at, ok, s.Now+dmaCycles(8))
	}
	// Second request while busy: the registers keep reading the running
	// transfer; the new addresses wait with it.
	setReg(r, SPMemAddr, 0x100)
	setReg(r, SPDRAMAddr, 0x20)
	setReg(r, SPRdLen, 7)
	if got := reg(r, SPStatus) & (statusDMABusy | statusDMAFull); got != statusDMABusy|statusDMAFull {
		t.Errorf("status busy/full = %#x, want 0xC", got)
	}
	if reg(r, SPDMAFull) != 1 || reg(r, SPDMABusy) != 1 {
		t.Errorf("SP_DMA_FULL/BUSY = %d/%d, want 1/1", reg(r, SPDMAFull), reg(r, SPDMABusy))
	}
	if got := reg(r, SPMemAddr); got != 0x8 {
		t.Errorf("SP_MEM_ADDR while busy = %#x, want 0x8 (running transfer)", got)
	}
	// A third request while full is dropped.
	setReg(r, SPMemAddr, 0x200)
	setReg(r, SPRdLen, 7)
	if r.DMEM[0x100] != 0 {
		t.Errorf("queued DMA ran early")
	}
	s.Now = at
	s.Pop()
	r.Event()
	if r.DMEM[0x100] != 0x30 || reg(r, SPDMAFull) != 0 || reg(r, SPDMABusy) != 1 {
		t.Errorf("after first completion: DMEM[0x100]=%#x full=%d busy=%d, want 0x30 0 1",
			r.DMEM[0x100], reg(r, SPDMAFull), reg(r, SPDMABusy))
	}
	waitDMA(r, s)
	if r.DMEM[0x200] != 0 {
		t.Errorf("the dropped third request ran")
	}
	if reg(r, SPStatus) != statusHalt {
		t.Errorf("SP_STATUS after all = %#x, want 0x1", reg(r, SPStatus))
	}
}

func TestDMACycles(t *testing.T) {
	// 4.5 CPU cycles per 8 bytes, rounded up.
	for _, tc := range []struct {
		n    uint32
		want uint64
	}{{8, 5}, {16, 9}, {24, 14}, {4096, 2304}} {
		if got := dmaCycles(tc.n); got != tc.want {
			t.Errorf("dmaCycles(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

// SP_STATUS write bits (n64brew "Reality Signal Processor/Interface"); a
// flag whose set and clear bits are both written is unchanged
// (n64-systemtest rsp/registers.rs).
func TestStatusWrites(t *testing.T) {
	tests := []struct {
		name   string
		before uint32 // status flags before
		write  uint32
		want   uint32 // SP_STATUS after
	}{
		{"clear halt", statusHalt, 1 << 0, 0},
		{"set halt", 0, 1 << 1, 0x1},
		{"set+clear halt: no change (halted)", statusHalt, 0b11, 0x1},
		{"set+clear halt: no change (running)", 0, 0b11, 0},
		{"clear broke", statusBroke | statusHalt, 1 << 2, 0x1},
		{"set sstep", 0, 1 << 6, 0x20},
		{"clear sstep", 0x20, 1 << 5, 0},
		{"set intr on break", 0, 1 << 8, 0x40},
		{"clear intr on break", 0x40, 1 << 7, 0},
		{"set+clear intr on break", 0x40, 0b11 << 7, 0x40},
		{"set signal 0", 0, 1 << 10, 0x80},
		{"clear signal 0", 0x80, 1 << 9, 0},
		{"set signal 7", 0, 1 << 24, 0x4000},
		{"clear signal 7", 0x4000, 1 << 23, 0},
		{"set all signals", 0, 0x0155_5400, 0x7F80},
		{"clear all signals", 0x7F80, 0x00AA_AA00, 0},
		{"set+clear signal 4", 0x800, 0b11 << 17, 0x800},
		{"set signal 3, clear signal 2", 0x200, 1<<16 | 1<<13, 0x400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, _, mi, _ := newRSP(t)
			r.status = tc.before
			setReg(r, SPStatus, tc.write)
			if got := reg(r, SPStatus); got != tc.want {
				t.Errorf("SP_STATUS = %#x, want %#x", got, tc.want)
			}
			if mi.Intr != 0 {
				t.Errorf("MI_INTR = %#x, want 0", mi.Intr)
			}
		})
	}
}

// SP_STATUS bits 3/4 clear/set the SP interrupt in MI_INTR; both at once
// change nothing (n64-systemtest "SP Set/Clear Interrupt").
func TestStatusInterrupt(t *testing.T) {
	r, _, mi, _ := newRSP(t)
	mi.Mask = memory.IntrSP
	var line bool
	mi.OnLine = func(a bool) { line = a }
	steps := []struct {
		write uint32
		want  bool
	}{
		{1 << 4, true},
		{1 << 3, false},
		{1 << 4, true},
		{1<<3 | 1<<4, true},
		{1 << 3, false},
		{1<<3 | 1<<4, false},
	}
	for i, st := range steps {
		setReg(r, SPStatus, st.write)
		if got := mi.Intr&memory.IntrSP != 0; got != st.want {
			t.Errorf("step %d: SP interrupt %v, want %v", i, got, st.want)
		}
		if line != st.want {
			t.Errorf("step %d: CPU line %v, want %v", i, line, st.want)
		}
		if reg(r, SPStatus) != statusHalt {
			t.Errorf("step %d: SP_STATUS changed to %#x", i, reg(r, SPStatus))
		}
	}
}

// n64-systemtest "SP Semaphore Register (CPU only)": a write of any value
// makes the next read 0, later reads 1.
func TestSemaphore(t *testing.T) {
	r, _, _, _ := newRSP(t)
	for _, w := range []uint32{0, 1, 0xFFFF_FFFF} {
		setReg(r, SPSemaphore, w)
		for i, want := range []uint32{0, 1, 1, 1, 1} {
			if got := reg(r, SPSemaphore); got != want {
				t.Errorf("write %#x, read %d = %d, want %d", w, i+1, got, want)
			}
		}
	}
	setReg(r, SPSemaphore, 6)
	setReg(r, SPSemaphore, 6)
	for i, want := range []uint32{0, 1, 1} {
		if got := reg(r, SPSemaphore); got != want {
			t.Errorf("double write, read %d = %d, want %d", i+1, got, want)
		}
	}
}

func TestMemAccess(t *testing.T) {
	r, _, _, _ := newRSP(t)
	r.Write32(base+0x000, 0x01234567, 0xFFFF_FFFF)
	r.Write32(base+0x004, 0x89ABCDEF, 0xFFFF_FFFF)
	r.Write32(base+0x1000, 0xDEADBEEF, 0xFFFF_FFFF)
	if r.DMEM[0] != 0x01 || r.DMEM[7] != 0xEF || r.IMEM[0] != 0xDE || r.IMEM[3] != 0xEF {
		t.Errorf("SW stored DMEM % X IMEM % X", r.DMEM[:8], r.IMEM[:4])
	}
	reads := []struct{ addr, want uint32 }{
		{base + 0x0000, 0x01234567},
		{base + 0x0004, 0x89ABCDEF},
		{base + 0x0006, 0x89ABCDEF}, // the containing word
		{base + 0x1000, 0xDEADBEEF},
		{base + 0x2004, 0x89ABCDEF},  // mirror every 8 KiB
		{base + 0x3E000, 0x01234567}, // last mirror (n64-systemtest)
		{base + 0x3F000, 0xDEADBEEF},
	}
	for _, rd := range reads {
		if got := r.Read32(rd.addr); got != rd.want {
			t.Errorf("Read32(%#x) = %#x, want %#x", rd.addr, got, rd.want)
		}
	}
	// Narrow stores arrive as the shifted value with a byte mask: only
	// those bytes change.
	narrow := []struct {
		addr, v, mask, want uint32
	}{
		{base + 0x0, 0x00005600, 0x0000FF00, 0x01235667}, // SB to byte 2
		{base + 0x0, 0xAB000000, 0xFF000000, 0xAB235667}, // SB to byte 0
		{base + 0x4, 0x0000BEEF, 0x0000FFFF, 0x89ABBEEF}, // SH to bytes 2-3
		{base + 0x4, 0x12340000, 0xFFFF0000, 0x1234BEEF}, // SH to bytes 0-1
	}
	for _, n := range narrow {
		r.Write32(n.addr, n.v, n.mask)
		if got := r.Read32(n.addr); got != n.want {
			t.Errorf("after narrow write %#x/%#x: %#x, want %#x", n.v, n.mask, got, n.want)
		}
	}
	// A mirror write lands in DMEM 0.
	r.Write32(base+0x3E000, 0x76543210, 0xFFFF_FFFF)
	if got := r.Read32(base); got != 0x76543210 {
		t.Errorf("mirror write: DMEM[0] = %#x", got)
	}
}

func TestPCAndUnmapped(t *testing.T) {
	r, _, _, _ := newRSP(t)
	// n64-systemtest "RSP PC REG": 0xFFFFFFFF reads back 0xFFC.
	r.Write32(pcAddr, 0xFFFF_FFFF, 0xFFFF_FFFF)
	if got := r.Read32(pcAddr); got != 0xFFC {
		t.Errorf("SP_PC = %#x, want 0xFFC", got)
	}
	r.Write32(pcAddr, 0x1234, 0xFFFF_FFFF)
	if got := r.Read32(pcAddr); got != 0x234 {
		t.Errorf("SP_PC = %#x, want 0x234", got)
	}
	for _, a := range []uint32{pcAddr + 4, regBase + 0x20, 0x040C_0000, 0x040F_FFFC} {
		if got := r.Read32(a); got != 0 {
			t.Errorf("Read32(%#x) = %#x, want 0", a, got)
		}
	}
	// Read-only registers ignore writes.
	setReg(r, SPDMABusy, 1)
	setReg(r, SPDMAFull, 1)
	if reg(r, SPDMABusy) != 0 || reg(r, SPDMAFull) != 0 {
		t.Errorf("DMA busy/full writable")
	}
}

func TestSerializeRoundTrip(t *testing.T) {
	r, s, _, bus := newRSP(t)
	seq(bus.RDRAM[:0x40], 1)
	seq(r.IMEM[:], 3)
	setReg(r, SPStatus, 1<<0|1<<10|1<<8)
	r.Write32(pcAddr, 0x120, 0xFFFF_FFFF)
	setReg(r, SPSemaphore, 0)
	reg(r, SPSemaphore)
	setReg(r, SPMemAddr, 0x40)
	setReg(r, SPDRAMAddr, 0x8)
	setReg(r, SPRdLen, 15)
	setReg(r, SPMemAddr, 0x1080)
	setReg(r, SPWrLen, 7) // queued
	if _, ok := s.Pending(sched.SP); !ok {
		t.Fatal("no SP event pending")
	}

	w := state.NewWriter()
	r.Serialize(w)
	q, _, _, _ := newRSP(t)
	rd := state.NewReader(w.Bytes())
	q.Serialize(rd)
	if err := rd.Done(); err != nil {
		t.Fatal(err)
	}
	if q.DMEM != r.DMEM || q.IMEM != r.IMEM || q.status != r.status || q.semaphore != r.semaphore ||
		q.pc != r.pc || q.dma != r.dma {
		t.Errorf("round trip differs")
	}
	w2 := state.NewWriter()
	q.Serialize(w2)
	if !bytes.Equal(w.Bytes(), w2.Bytes()) {
		t.Error("re-serialized state differs")
	}
}
