package io

import (
	"fmt"
	"testing"

	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
)

// testROM is a 1 MiB ROM whose header starts with the standard PI timing
// word 0x80371240 and whose bytes from romCounter on count 0,1,2,…,255,0,…
// (n64-systemtest's COUNTER16 pattern).
const romCounter = 0x1000

func testROM() []byte {
	rom := make([]byte, 1<<20)
	put32(rom, 0, 0x80371240)
	for i := 0; i < 4096; i++ {
		rom[romCounter+i] = byte(i)
	}
	return rom
}

func newPIRig() (*rig, *PI) {
	r := newRig()
	p := NewPI(r.s, r.mi, r.bus, testROM())
	r.handler[sched.PI] = p.Event
	return r, p
}

func (p *PI) write(off, v uint32)    { p.Write32(0x0460_0000+off, v, 0xFFFF_FFFF) }
func (p *PI) read(off uint32) uint32 { return p.Read32(0x0460_0000 + off) }

func TestPIAddressMasks(t *testing.T) {
	// n64-systemtest "cart_memory: cart address (masking)".
	for _, x := range []uint32{0, 0xFFFF_FFFF, 0xFEDC_BA97} {
		_, p := newPIRig()
		p.write(PICartAddr, x)
		p.write(PIDRAMAddr, x)
		if got := p.read(PICartAddr); got != x&0xFFFF_FFFE {
			t.Errorf("CART_ADDR(%#x) = %#x", x, got)
		}
		if got := p.read(PIDRAMAddr); got != x&0x00FF_FFFE {
			t.Errorf("DRAM_ADDR(%#x) = %#x", x, got)
		}
	}
}

func TestPIDomainRegisters(t *testing.T) {
	_, p := newPIRig()
	// IPL2 loads domain 1 from the header word 0x80371240.
	want := map[uint32]uint32{PIBSDDom1Lat: 0x40, PIBSDDom1Pwd: 0x12, PIBSDDom1Pgs: 7, PIBSDDom1Rls: 3}
	for _, off := range []uint32{PIBSDDom1Lat, PIBSDDom1Pwd, PIBSDDom1Pgs, PIBSDDom1Rls} {
		if got := p.read(off); got != want[off] {
			t.Errorf("reg %#x after boot = %#x, want %#x", off, got, want[off])
		}
	}
	masks := []struct{ off, mask uint32 }{
		{PIBSDDom1Lat, 0xFF}, {PIBSDDom1Pwd, 0xFF}, {PIBSDDom1Pgs, 0xF}, {PIBSDDom1Rls, 3},
		{PIBSDDom2Lat, 0xFF}, {PIBSDDom2Pwd, 0xFF}, {PIBSDDom2Pgs, 0xF}, {PIBSDDom2Rls, 3},
	}
	for _, m := range masks {
		p.write(m.off, 0xFFFF_FFFF)
		if got := p.read(m.off); got != m.mask {
			t.Errorf("reg %#x = %#x, want %#x", m.off, got, m.mask)
		}
	}
}

// n64-systemtest "cart_memory: DMA CART -> RDRAM": 16 bytes, both
// addresses advance by 16, STATUS is the interrupt bit alone afterwards.
func TestPIDMABasic(t *testing.T) {
	r, p := newPIRig()
	rom := p.Cart.ROM
	put32(rom, 0x2000, 0x01234567)
	put32(rom, 0x2004, 0x89ABCDEF)
	put32(rom, 0x2008, 0x21436587)
	put32(rom, 0x200C, 0x99BADCFE)
	const dram = 0x10_0000
	p.write(PICartAddr, 0x1000_2000)
	p.write(PIDRAMAddr, dram)
	p.write(PIWrLen, 15)
	if p.read(PIStatus) != PIStatusDMABusy {
		t.Fatalf("STATUS during DMA = %#x, want busy", p.read(PIStatus))
	}
	if r.intr(memory.IntrPI) {
		t.Fatal("PI interrupt before the DMA ended")
	}
	r.runTo(1_000_000)
	if got := r.bus.Read32(dram); got != 0x01234567 {
		t.Errorf("first word %#x", got)
	}
	if got := r.bus.Read32(dram + 12); got != 0x99BADCFE {
		t.Errorf("last word %#x", got)
	}
	if got := p.read(PICartAddr) - 0x1000_2000; got != 16 {
		t.Errorf("cart address advanced %d, want 16", got)
	}
	if got := p.read(PIDRAMAddr) - dram; got != 16 {
		t.Errorf("dram address advanced %d, want 16", got)
	}
	if got := p.read(PIStatus); got != PIStatusInterrupt {
		t.Errorf("STATUS after DMA = %#x, want interrupt only", got)
	}
	if !r.intr(memory.IntrPI) {
		t.Error("no MI PI interrupt")
	}
	if got := p.read(PIWrLen); got != 0x7F {
		t.Errorf("WR_LEN reads %#x, want 0x7F", got)
	}
	p.write(PIStatus, 2)
	if r.intr(memory.IntrPI) || p.read(PIStatus) != 0 {
		t.Error("STATUS bit 1 did not clear the interrupt")
	}
}

// The DMA lasts, with the header's domain-1 timing (LAT 0x40, PWD 0x12,
// RLS 3) for 16 bytes in one page: 14+0x41 + 8×(0x13+4) + 16 = 279 RCP
// cycles = 418.5 CPU cycles.
func TestPIDMADuration(t *testing.T) {
	r, p := newPIRig()
	p.write(PICartAddr, 0x1000_2000)
	p.write(PIDRAMAddr, 0x10_0000)
	p.write(PIWrLen, 15)
	r.runTo(418)
	if p.read(PIStatus)&PIStatusDMABusy == 0 {
		t.Fatal("DMA finished before 418 cycles")
	}
	r.runTo(420)
	if p.read(PIStatus)&PIStatusDMABusy != 0 {
		t.Fatal("DMA still busy after 420 cycles")
	}
}

// piTransfer runs one cart→RDRAM DMA of size bytes from the counter
// pattern to an RDRAM address misaligned by m, RDRAM prefilled with 0xAA,
// and checks it against n64-systemtest's expectations.
func piTransfer(t *testing.T, m, size int, expected []byte, cartSize, dramSize int) {
	t.Helper()
	r, p := newPIRig()
	ram := r.bus.RDRAM
	const page = 0x10_0000
	for i := 0; i < 4096; i++ {
		ram[page+i] = 0xAA
	}
	dram := uint32(page + 16 + m)
	p.write(PICartAddr, 0x1000_0000+romCounter)
	p.write(PIDRAMAddr, dram)
	p.write(PIWrLen, uint32(size-1))
	r.runTo(1_000_000)
	for i := -16; i < 0; i++ {
		if got := ram[int(dram)+i]; got != 0xAA {
			t.Errorf("prefix byte %d = %#x", i, got)
		}
	}
	for i, want := range expected {
		if got := ram[int(dram)+i]; got != want {
			t.Errorf("byte %d = %#x, want %#x", i, got, want)
		}
	}
	for i := len(expected); i < len(expected)+16; i++ {
		if got := ram[int(dram)+i]; got != 0xAA {
			t.Errorf("suffix byte %d = %#x", i, got)
		}
	}
	if got := int(p.read(PICartAddr)) - (0x1000_0000 + romCounter); got != cartSize {
		t.Errorf("cart address advanced %d, want %d", got, cartSize)
	}
	if got := int(p.read(PIDRAMAddr)) - int(dram); got != dramSize {
		t.Errorf("dram address advanced %d, want %d", got, dramSize)
	}
	if got := p.read(PIStatus); got != PIStatusInterrupt {
		t.Errorf("STATUS %#x", got)
	}
}

// n64-systemtest "cart_memory: DMA CART -> RDRAM (small sizes)": lengths of
// 126 and more round up to even; the RDRAM address ends rounded up to 8.
func TestPIDMASmallSizes(t *testing.T) {
	for _, size := range []int{1, 2, 3, 4, 5, 7, 124, 125, 126, 127, 128, 129, 131, 133} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			actual := size
			if size >= 126 {
				actual = (size + 1) &^ 1
			}
			want := make([]byte, actual)
			for i := range want {
				want[i] = byte(i)
			}
			piTransfer(t, 0, size, want, (actual+1)&^1, (actual+7)&^7)
		})
	}
}

// n64-systemtest "cart_memory: DMA CART -> RDRAM (misaligned)", RDRAM
// address ≡ 6 mod 8: the first block loses 6 bytes at its end.
func TestPIDMAMisaligned(t *testing.T) {
	const m = 6
	for _, size := range []int{1, 2, 6, 7, 8, 16, 119, 120, 121, 122, 128, 284} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			romSize := size
			if size >= 126-m {
				romSize = (size + 1) &^ 1
			}
			actual := romSize
			if romSize < 128-m {
				actual = max(0, romSize-m)
			}
			want := make([]byte, actual)
			for x := range want {
				if x >= 128-2*m && x < 128-m {
					want[x] = 0xAA
				} else {
					want[x] = byte(x)
				}
			}
			piTransfer(t, m, size, want, (romSize+1)&^1, ((actual+m+7)&^7)-m)
		})
	}
}

// PI_WR_LEN reads 0x7F after a DMA, less the RDRAM misalignment when the
// length was at most 8 (n64brew "Peripheral Interface", readbacks).
func TestPIWrLenReadback(t *testing.T) {
	tests := []struct{ m, size, want uint32 }{
		{0, 4, 0x7F}, {6, 4, 0x79}, {2, 8, 0x7D}, {6, 9, 0x7F}, {6, 200, 0x7F},
	}
	for _, tc := range tests {
		r, p := newPIRig()
		p.write(PICartAddr, 0x1000_0000)
		p.write(PIDRAMAddr, 0x10_0000+tc.m)
		p.write(PIWrLen, tc.size-1)
		r.runTo(100_000)
		if got := p.read(PIWrLen); got != tc.want {
			t.Errorf("misalign %d size %d: WR_LEN %#x, want %#x", tc.m, tc.size, got, tc.want)
		}
	}
}

func TestPIBusyWritesAndReset(t *testing.T) {
	r, p := newPIRig()
	p.write(PICartAddr, 0x1000_0000)
	p.write(PIDRAMAddr, 0x10_0000)
	p.write(PIWrLen, 0xFFF)
	p.write(PIDRAMAddr, 0x20_0000) // dropped: DMA in flight
	if got := p.read(PIStatus); got != PIStatusDMABusy|PIStatusError {
		t.Fatalf("STATUS %#x, want busy|error", got)
	}
	if got := p.read(PIDRAMAddr); got != 0x10_1000 {
		t.Errorf("DRAM_ADDR %#x changed during the DMA", got)
	}
	p.write(PIStatus, 1) // reset
	if got := p.read(PIStatus); got != 0 {
		t.Fatalf("STATUS after reset %#x", got)
	}
	r.runTo(10_000_000)
	if r.intr(memory.IntrPI) {
		t.Error("a reset DMA still raised its interrupt")
	}
}

// PI_RD_LEN moves RDRAM to the bus in 16-bit words, the length rounded up
// to even; here into save memory.
func TestPIDMAToCartSave(t *testing.T) {
	r, p := newPIRig()
	save := &fakeSave{}
	p.Cart.Save = save
	put32(r.bus.RDRAM, 0x1000, 0xCAFEBABE)
	put16(r.bus.RDRAM, 0x1004, 0x1234)
	p.write(PIDRAMAddr, 0x1000)
	p.write(PICartAddr, 0x0800_0010)
	p.write(PIRdLen, 4) // 5 bytes → 6
	if got := p.read(PIRdLen); got != 6 {
		t.Errorf("RD_LEN reads %d, want 6", got)
	}
	r.runTo(100_000)
	want := map[uint32]uint16{0x0800_0010: 0xCAFE, 0x0800_0012: 0xBABE, 0x0800_0014: 0x1234}
	if len(save.writes) != 3 {
		t.Fatalf("save saw %d writes, want 3", len(save.writes))
	}
	for _, w := range save.writes {
		if want[w.addr] != w.v {
			t.Errorf("write %#x = %#x, want %#x", w.addr, w.v, want[w.addr])
		}
	}
	if !r.intr(memory.IntrPI) {
		t.Error("no interrupt after RD DMA")
	}
	// And back: domain-2 DMA reads the save device.
	p.write(PIDRAMAddr, 0x2000)
	p.write(PICartAddr, 0x0800_0000)
	p.write(PIWrLen, 3)
	r.runTo(200_000)
	if got := r.bus.Read32(0x2000); got != 0x0800_0802 {
		t.Errorf("read from save %#x, want 0x08000802 (the fake answers addr>>16 | addr&0xFF)", got)
	}
}

type fakeSave struct {
	writes []struct {
		addr uint32
		v    uint16
	}
}

func (f *fakeSave) ReadHalf(addr uint32) uint16 { return uint16(addr>>16) | uint16(addr&0xFF) }
func (f *fakeSave) StartBurst(uint32)           {}
func (f *fakeSave) WriteHalf(addr uint32, v uint16) {
	f.writes = append(f.writes, struct {
		addr uint32
		v    uint16
	}{addr, v})
}

// Open bus on the PI: the low 16 bits of the address in both halves
// (n64brew "Memory map"); ROM words as stored.
func TestCartRead(t *testing.T) {
	tests := []struct {
		name string
		addr uint32
		want uint32
	}{
		{"ROM header", 0x1000_0000, 0x80371240},
		{"ROM counter", 0x1000_0000 + romCounter + 4, 0x04050607},
		{"past ROM end", 0x1012_3454, 0x3454_3454},
		{"last ROM megabyte", 0x1FBF_FFFC, 0xFFFC_FFFC},
		{"64DD registers", 0x0500_0508, 0x0508_0508},
		{"64DD IPL ROM", 0x0600_1000, 0x1000_1000},
		{"SRAM without save", 0x0800_1234, 0x1234_1234},
	}
	for _, tc := range tests {
		_, p := newPIRig()
		if got := p.Cart.Read32(tc.addr); got != tc.want {
			t.Errorf("%s: Read32(%#x) = %#08x, want %#08x", tc.name, tc.addr, got, tc.want)
		}
	}
}

// Writes to cartridge space (n64-systemtest cart_memory/write.rs): the
// first write is latched and the next read returns it, once; PI_STATUS
// shows IO busy meanwhile; narrow writes are zero-extended; the latch
// decays after a bus write's time; ROM itself is unchanged.
func TestCartWriteLatch(t *testing.T) {
	const a = 0x1000_0000 + romCounter
	t.Run("write then read", func(t *testing.T) {
		_, p := newPIRig()
		p.Cart.Write32(a, 0xBADC0FFE, 0xFFFF_FFFF)
		p.Cart.Write32(a, 0x000DECAF, 0xFFFF_FFFF) // dropped: only the first counts
		if p.read(PIStatus)&PIStatusIOBusy == 0 {
			t.Error("IO busy not set after a cart write")
		}
		for i, want := range []uint32{0xBADC0FFE, 0x00010203, 0x00010203} {
			if got := p.Cart.Read32(a); got != want {
				t.Errorf("read %d = %#x, want %#x", i, got, want)
			}
		}
		if p.read(PIStatus)&PIStatusIOBusy != 0 {
			t.Error("IO busy still set after a read")
		}
	})
	t.Run("byte write zero-extended", func(t *testing.T) {
		r, p := newPIRig()
		r.bus.Map(0x1000_0000, 0x1FBF_FFFF, p.Cart)
		r.bus.Write8(0x1000_0000, 0xBA)
		if got := r.bus.Read32(a); got != 0xBA00_0000 {
			t.Errorf("read %#x, want 0xBA000000", got)
		}
	})
	t.Run("decay", func(t *testing.T) {
		r, p := newPIRig()
		p.Cart.Write32(a, 0xBADC0FFE, 0xFFFF_FFFF)
		r.runTo(120) // ~10 loop iterations of the test: still there
		if p.read(PIStatus)&PIStatusIOBusy == 0 {
			t.Fatal("latch gone after 120 cycles")
		}
		r.runTo(1300) // ~110 iterations: gone
		if got := p.Cart.Read32(a); got != 0x00010203 {
			t.Errorf("read after decay %#x, want ROM", got)
		}
	})
	t.Run("register writes wait for the bus", func(t *testing.T) {
		_, p := newPIRig()
		p.Cart.Write32(a, 1, 0xFFFF_FFFF)
		p.write(PIDRAMAddr, 0x1234)
		if p.read(PIDRAMAddr) != 0 || p.read(PIStatus)&PIStatusError == 0 {
			t.Error("PI register written while IO busy")
		}
	})
}

func TestPISerialize(t *testing.T) {
	r, p := newPIRig()
	p.write(PICartAddr, 0x1000_0000)
	p.write(PIDRAMAddr, 0x10_0000)
	p.write(PIWrLen, 0x3FF)
	p.Cart.ISViewer.Write32(isvBase, 0x49533634, 0xFFFF_FFFF)
	r.runTo(100)
	_, p2 := newPIRig()
	roundTrip(t, p.Serialize, p2.Serialize)
	if p2.read(PIDRAMAddr) != p.read(PIDRAMAddr) || !p2.dmaBusy || p2.Cart.ISViewer.Read32(isvBase) != 0x49533634 {
		t.Error("restored PI differs")
	}
}

// CPU reads of the cartridge bus, as krom's DMAAlignment-PI-ROM-FROM shows
// them on hardware (its rows "80371240 0000000F 80001000 00001444", "8037
// 0000 0000 8000 8000 0000", "80 37 00 00 00 00" for a ROM starting
// 80371240 0000000F 80001000 00001444): a narrow read is a 32-bit bus read
// of the two halfwords from its own (even) address, not from the aligned
// word, and the CPU takes its lane of that.
func TestCartNarrowReads(t *testing.T) {
	r, p := newPIRig()
	for i, w := range []uint32{0x80371240, 0x0000000F, 0x80001000, 0x00001444} {
		put32(p.Cart.ROM, uint32(4*i), w)
	}
	r.bus.Map(0x1000_0000, 0x1FBF_FFFF, p.Cart)
	tests := []struct {
		size uint32 // 1, 2 or 4 bytes
		addr uint32
		want uint32
	}{
		{4, 0x1000_0000, 0x80371240},
		{4, 0x1000_0004, 0x0000000F},
		{4, 0x1000_0008, 0x80001000},
		{4, 0x1000_000C, 0x00001444},
		{2, 0x1000_0000, 0x8037},
		{2, 0x1000_0002, 0x0000}, // the halfword at 4, not 0x1240
		{2, 0x1000_0004, 0x0000},
		{2, 0x1000_0006, 0x8000}, // the halfword at 8, not 0x000F
		{2, 0x1000_0008, 0x8000},
		{2, 0x1000_000A, 0x0000}, // the halfword at C, not 0x1000
		{1, 0x1000_0000, 0x80},
		{1, 0x1000_0001, 0x37},
		{1, 0x1000_0002, 0x00}, // not 0x12
		{1, 0x1000_0003, 0x00}, // not 0x40
		{1, 0x1000_0004, 0x00},
		{1, 0x1000_0005, 0x00},
	}
	for _, tc := range tests {
		var got uint32
		switch tc.size {
		case 1:
			got = uint32(r.bus.Read8(tc.addr))
		case 2:
			got = uint32(r.bus.Read16(tc.addr))
		default:
			got = r.bus.Read32(tc.addr)
		}
		if got != tc.want {
			t.Errorf("%d-byte read at %#x = %#x, want %#x", tc.size, tc.addr, got, tc.want)
		}
	}
}

// PI register read-back after boot-like traffic, as krom's
// DMAAlignment-PI-ROM-FROM shows it on hardware.
func TestPIRegisterReadback(t *testing.T) {
	t.Run("CART_ADDR after a CPU read", func(t *testing.T) {
		// The IPL3's last cartridge access is LW 0xB0000008 (the entry
		// point), after its DMA; the test then reads PI_CART_ADDR as
		// 0x1000000C.
		r, p := newPIRig()
		r.bus.Map(0x1000_0000, 0x1FBF_FFFF, p.Cart)
		p.write(PICartAddr, 0x1000_1000)
		p.write(PIDRAMAddr, 0x1000)
		p.write(PIWrLen, 0xFFF)
		r.runTo(1 << 20)
		r.bus.Read32(0x1000_0008)
		if got := p.read(PICartAddr); got != 0x1000_000C {
			t.Errorf("PI_CART_ADDR = %#x, want 0x1000000C", got)
		}
		if got := p.read(PIDRAMAddr); got != 0x2000 {
			t.Errorf("PI_DRAM_ADDR = %#x, want 0x2000 (a CPU read leaves it)", got)
		}
	})
	t.Run("RD_LEN after a cartridge to RDRAM DMA", func(t *testing.T) {
		// Both length registers read 0x7F after the IPL3's DMA and after
		// the test's 7-byte DMA to an aligned address.
		for _, n := range []uint32{0xFFF, 6} {
			r, p := newPIRig()
			p.write(PICartAddr, 0x1000_0100)
			p.write(PIDRAMAddr, 0x24400)
			p.write(PIWrLen, n)
			r.runTo(1 << 20)
			if rd, wr := p.read(PIRdLen), p.read(PIWrLen); rd != 0x7F || wr != 0x7F {
				t.Errorf("WR_LEN %#x: PI_RD_LEN = %#x, PI_WR_LEN = %#x, want 0x7F both", n, rd, wr)
			}
		}
	})
}
