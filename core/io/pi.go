package io

import (
	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
	"github.com/n64go/n64/core/state"
)

// PI register offsets from 0x0460_0000 (n64brew "Peripheral Interface").
const (
	PIDRAMAddr   = 0x00 // PI_DRAM_ADDR
	PICartAddr   = 0x04 // PI_CART_ADDR
	PIRdLen      = 0x08 // PI_RD_LEN: RDRAM → cartridge DMA
	PIWrLen      = 0x0C // PI_WR_LEN: cartridge → RDRAM DMA
	PIStatus     = 0x10 // PI_STATUS
	PIBSDDom1Lat = 0x14 // PI_BSD_DOM1_LAT
	PIBSDDom1Pwd = 0x18 // PI_BSD_DOM1_PWD
	PIBSDDom1Pgs = 0x1C // PI_BSD_DOM1_PGS
	PIBSDDom1Rls = 0x20 // PI_BSD_DOM1_RLS
	PIBSDDom2Lat = 0x24 // PI_BSD_DOM2_LAT
	PIBSDDom2Pwd = 0x28 // PI_BSD_DOM2_PWD
	PIBSDDom2Pgs = 0x2C // PI_BSD_DOM2_PGS
	PIBSDDom2Rls = 0x30 // PI_BSD_DOM2_RLS
)

// PI_STATUS bits. Read: [0] DMA busy, [1] IO busy, [2] DMA error,
// [3] interrupt (DMA completed). Write: [0] reset the controller (ends a
// DMA, clears the error), [1] clear the interrupt.
const (
	PIStatusDMABusy   = 1 << 0
	PIStatusIOBusy    = 1 << 1
	PIStatusError     = 1 << 2
	PIStatusInterrupt = 1 << 3

	piStatusReset    = 1 << 0
	piStatusClearInt = 1 << 1
)

// Register masks: bit 0 of both addresses is fixed at 0 (n64brew; checked
// by n64-systemtest "cart address (masking)"); the lengths are 24 bits.
const (
	piDRAMMask = 0x00FF_FFFE
	piCartMask = 0xFFFF_FFFE
	piLenMask  = 0x00FF_FFFF
)

// piDomain is one domain's bus timing (PI_BSD_DOMn_*), in RCP cycles:
// latency before the first access of a page, strobe pulse width and
// release time per 16-bit access, page size 2^(pgs+2) bytes.
type piDomain struct {
	lat, pwd, pgs, rls uint32
}

func (d *piDomain) serialize(s *state.S) {
	s.U32(&d.lat)
	s.U32(&d.pwd)
	s.U32(&d.pgs)
	s.U32(&d.rls)
}

// accessCycles is the CPU-cycle cost of moving n bytes starting at bus
// address addr through this domain, modelled on ares' pi/dma.cpp: each page
// touched costs 14 + LAT+1 RCP cycles, each 16-bit access PWD+1 + RLS+1,
// and each full 128-byte RDRAM buffer 28 with 1 per byte of a partial one.
// The RCP runs at 62.5 MHz, so CPU cycles = RCP cycles × 3/2.
func (d *piDomain) accessCycles(addr, n uint32) uint64 {
	if n == 0 {
		return 1
	}
	shift := d.pgs + 2
	first := uint64(addr) >> shift
	last := (uint64(addr) + uint64(n) - 1) >> shift
	pages := last - first + 1
	halves := (uint64(n) + 1) / 2
	rcp := pages*(14+uint64(d.lat)+1) +
		halves*(uint64(d.pwd)+1+uint64(d.rls)+1) +
		uint64(n/128)*28 + uint64(n%128)
	return (rcp*3 + 1) / 2
}

// PI is the Peripheral Interface: DMA between RDRAM and the cartridge bus,
// the bus timing registers, and the write latch CPU writes to the bus go
// through. The cartridge bus itself, as the CPU sees it, is Cart.
type PI struct {
	dramAddr, cartAddr uint32
	rdLen, wrLen       uint32
	dom                [2]piDomain
	dmaBusy            bool
	dmaError           bool
	interrupt          bool

	// CPU writes to the PI bus: the first write is latched and keeps the
	// PI "IO busy" until ioBusyUntil; the next CPU read of the bus before
	// then returns the latched word (n64-systemtest cart_memory/write.rs).
	latch       uint32
	ioBusyUntil uint64

	// Cart is the cartridge bus the PI talks to; the machine maps it at
	// 0x0500_0000–0x1FBF_FFFF.
	Cart *Cart

	s   *sched.Scheduler
	mi  *memory.MI
	bus *memory.Bus
}

// NewPI returns a PI for the given cartridge ROM (big-endian). Domain 1's
// timing starts as IPL2 leaves it: read from the ROM header's first word
// (n64brew "ROM Header": 0x80371240 → LAT 0x40, PWD 0x12, PGS 7, RLS 3).
// The cartridge bus is p.Cart, with an ISViewer (active unless the ROM
// reaches into its window).
func NewPI(s *sched.Scheduler, mi *memory.MI, bus *memory.Bus, rom []byte) *PI {
	p := &PI{s: s, mi: mi, bus: bus}
	p.Cart = &Cart{ROM: rom, ISViewer: &ISViewer{}, pi: p}
	if len(rom) >= 4 {
		p.dom[0] = piDomain{
			lat: uint32(rom[3]),
			pwd: uint32(rom[2]),
			pgs: uint32(rom[1] & 0xF),
			rls: uint32(rom[1] >> 4 & 3),
		}
	}
	return p
}

// ioBusy reports whether a CPU write to the bus is still in flight.
func (p *PI) ioBusy() bool { return p.s.Now < p.ioBusyUntil }

// domainOf is the timing domain of a bus address: domain 2 is the 64DD
// registers (0x0500_0000) and SRAM/FlashRAM (0x0800_0000–0x0FFF_FFFF).
func (p *PI) domainOf(addr uint32) *piDomain {
	if addr>>24 == 0x05 || addr>>24 >= 0x08 && addr>>24 <= 0x0F {
		return &p.dom[1]
	}
	return &p.dom[0]
}

// Read32 implements memory.Device for the PI registers (mirrored every 0x40).
func (p *PI) Read32(paddr uint32) uint32 {
	switch paddr & 0x3F {
	case PIDRAMAddr:
		return p.dramAddr
	case PICartAddr:
		return p.cartAddr
	case PIRdLen:
		return p.rdLen
	case PIWrLen:
		return p.wrLen
	case PIStatus:
		var v uint32
		if p.dmaBusy {
			v |= PIStatusDMABusy
		}
		if p.ioBusy() {
			v |= PIStatusIOBusy
		}
		if p.dmaError {
			v |= PIStatusError
		}
		if p.interrupt {
			v |= PIStatusInterrupt
		}
		return v
	case PIBSDDom1Lat:
		return p.dom[0].lat
	case PIBSDDom1Pwd:
		return p.dom[0].pwd
	case PIBSDDom1Pgs:
		return p.dom[0].pgs
	case PIBSDDom1Rls:
		return p.dom[0].rls
	case PIBSDDom2Lat:
		return p.dom[1].lat
	case PIBSDDom2Pwd:
		return p.dom[1].pwd
	case PIBSDDom2Pgs:
		return p.dom[1].pgs
	case PIBSDDom2Rls:
		return p.dom[1].rls
	}
	return 0
}

// Write32 implements memory.Device. Only PI_STATUS may be written while a
// DMA or bus write is in flight; any other write then sets the error bit
// and is dropped (as ares does).
func (p *PI) Write32(paddr, value, mask uint32) {
	reg := paddr & 0x3F
	if reg == PIStatus {
		v := value & mask
		if v&piStatusReset != 0 {
			p.dmaBusy = false
			p.dmaError = false
			p.s.Cancel(sched.PI)
		}
		if v&piStatusClearInt != 0 {
			p.interrupt = false
			p.mi.Lower(memory.IntrPI)
		}
		return
	}
	if p.dmaBusy || p.ioBusy() {
		p.dmaError = true
		return
	}
	switch reg {
	case PIDRAMAddr:
		p.dramAddr = merge(p.dramAddr, value, mask) & piDRAMMask
	case PICartAddr:
		p.cartAddr = merge(p.cartAddr, value, mask) & piCartMask
	case PIRdLen:
		p.rdLen = merge(p.rdLen, value, mask) & piLenMask
		p.startDMA(p.dmaToCart())
	case PIWrLen:
		p.wrLen = merge(p.wrLen, value, mask) & piLenMask
		p.startDMA(p.dmaToRDRAM())
	case PIBSDDom1Lat:
		p.dom[0].lat = value & mask & 0xFF
	case PIBSDDom1Pwd:
		p.dom[0].pwd = value & mask & 0xFF
	case PIBSDDom1Pgs:
		p.dom[0].pgs = value & mask & 0xF
	case PIBSDDom1Rls:
		p.dom[0].rls = value & mask & 3
	case PIBSDDom2Lat:
		p.dom[1].lat = value & mask & 0xFF
	case PIBSDDom2Pwd:
		p.dom[1].pwd = value & mask & 0xFF
	case PIBSDDom2Pgs:
		p.dom[1].pgs = value & mask & 0xF
	case PIBSDDom2Rls:
		p.dom[1].rls = value & mask & 3
	}
}

// startDMA marks the PI busy for the given number of cycles. The data
// itself moves at once (as in ares): nothing can observe the difference
// except a program polling RDRAM, which the busy bit tells not to.
func (p *PI) startDMA(cycles uint64) {
	p.dmaBusy = true
	p.s.After(sched.PI, cycles)
}

// Event runs when sched.PI fires: the DMA has finished.
func (p *PI) Event() {
	p.dmaBusy = false
	p.interrupt = true
	p.mi.Raise(memory.IntrPI)
}

// dmaToRDRAM performs a PI_WR_LEN DMA (cartridge → RDRAM) and returns its
// duration. It follows the hardware's documented behaviour (n64brew
// "Peripheral Interface"; n64-systemtest cart_memory/dma.rs):
//   - data moves in blocks of up to 128 bytes, the first block ending at
//     the first 128-byte boundary counted from the RDRAM address rounded
//     down to 8;
//   - the cartridge side reads whole 16-bit words, so an odd length rounds
//     up to even for every block after the first, and for the first when
//     it is one byte short of the block;
//   - in the first block an RDRAM address misaligned by m (mod 8) loses
//     m bytes at the end of the block;
//   - after each block the RDRAM address rounds up to 8;
//   - afterwards PI_DRAM_ADDR/PI_CART_ADDR hold the end addresses and
//     PI_WR_LEN reads 0x7F, minus the misalignment for lengths up to 8;
//   - the PI has one length counter, which PI_RD_LEN reads back too (krom
//     DMAAlignment-PI-ROM-FROM: PI_RD_LEN reads 0x7F after the IPL3's and
//     the test's cartridge → RDRAM DMAs; n64brew: "almost always 0x7F").
func (p *PI) dmaToRDRAM() uint64 {
	length := int(p.wrLen) + 1
	cart := p.cartAddr
	dram := p.dramAddr
	cycles := p.domainOf(cart).accessCycles(cart, uint32((length+1)&^1))

	p.wrLen = 0x7F
	if length <= 8 {
		p.wrLen -= dram & 7
	}
	ram := p.bus.RDRAM
	var block [128]byte
	first := true
	p.Cart.startBurst(cart)
	for length > 0 {
		misalign := int(dram & 7)
		room := 128 - misalign
		n := min(length, room)
		length -= n
		if length&1 != 0 {
			length++
		}
		words := (n + 1) &^ 1
		for i := 0; i < words; i += 2 {
			h := p.Cart.busRead16(cart)
			block[i], block[i+1] = byte(h>>8), byte(h)
			cart += 2
		}
		if first {
			if n == room-1 {
				n++
			}
			n = max(n-misalign, 0)
			first = false
		}
		for i := 0; i < n; i++ {
			if a := dram & 0xFF_FFFF; a < uint32(len(ram)) {
				ram[a] = block[i]
			}
			dram++
		}
		dram = (dram + 7) &^ 7
	}
	p.dramAddr = dram & piDRAMMask
	p.cartAddr = cart
	p.rdLen = p.wrLen
	return cycles
}

// dmaToCart performs a PI_RD_LEN DMA (RDRAM → cartridge bus) in 16-bit
// words and returns its duration. As in ares, the length rounds up to even
// (and reads back so, in both length registers: the PI has one length
// counter, see dmaToRDRAM) and the address registers keep their values.
func (p *PI) dmaToCart() uint64 {
	length := (p.rdLen | 1) + 1
	p.rdLen = length
	p.wrLen = length
	p.Cart.startBurst(p.cartAddr)
	for off := uint32(0); off < length; off += 2 {
		h := rdramRead16(p.bus.RDRAM, (p.dramAddr+off)&0xFF_FFFF)
		p.Cart.busWrite16(p.cartAddr+off, h)
	}
	return p.domainOf(p.cartAddr).accessCycles(p.cartAddr, length)
}

// Serialize saves or restores the PI and the cartridge bus state.
func (p *PI) Serialize(s *state.S) {
	s.U32(&p.dramAddr)
	s.U32(&p.cartAddr)
	s.U32(&p.rdLen)
	s.U32(&p.wrLen)
	p.dom[0].serialize(s)
	p.dom[1].serialize(s)
	s.Bool(&p.dmaBusy)
	s.Bool(&p.dmaError)
	s.Bool(&p.interrupt)
	s.U32(&p.latch)
	s.U64(&p.ioBusyUntil)
	if p.Cart.ISViewer != nil {
		p.Cart.ISViewer.Serialize(s)
	}
}

// PI bus address map (n64brew "Memory map", "Peripheral Interface").
const (
	busDD      = 0x0500_0000 // domain 2 addr 1: 64DD registers (open bus: no 64DD)
	busDDIPL   = 0x0600_0000 // domain 1 addr 1: 64DD IPL ROM (open bus: no 64DD)
	busSave    = 0x0800_0000 // domain 2 addr 2: SRAM / FlashRAM
	busROM     = 0x1000_0000 // domain 1 addr 2: cartridge ROM
	busROMEnd  = 0x1FC0_0000 // PIF ROM/RAM from here (not on the PI bus)
	busSaveEnd = busROM
)

// PIBusDevice is something on the cartridge bus answering 16-bit accesses:
// the cartridge's save memory (SRAM or FlashRAM, core/cart) at 0x0800_0000,
// plugged into Cart.Save by the machine. StartBurst is called with the
// first bus address of every transfer (a PI DMA, or one CPU access) that
// reaches the device's range, before its halfword accesses: FlashRAM in
// read mode latches the array address there and counts on from it.
type PIBusDevice interface {
	ReadHalf(addr uint32) uint16
	WriteHalf(addr uint32, v uint16)
	StartBurst(addr uint32)
}

// startBurst tells the save device a transfer starts at addr.
func (c *Cart) startBurst(addr uint32) {
	if c.Save != nil && addr >= busSave && addr < busSaveEnd {
		c.Save.StartBurst(addr)
	}
}

// Cart is the cartridge bus behind the PI as the CPU sees it
// (0x0500_0000–0x1FBF_FFFF); it implements memory.Device. The bus is
// 16 bits wide: a CPU word access is two bus accesses, high half first.
//
// Decode: ROM at 0x1000_0000 (big-endian words); the ISViewer's window
// 0x13FF_0000–0x13FF_0FFF when ISViewer is set and the ROM ends before
// it; Save at 0x0800_0000 when
// set; everything else (64DD space, past the end of the ROM, domain 1
// address 3) is open bus: the bus still holds the low 16 bits of the
// address, so a word reads them in both halves (n64brew "Memory map").
//
// CPU writes go through the PI's write latch: the first write is held
// (narrow writes zero-extended, as the bus delivers them), the PI reports
// IO busy for the duration of a two-word bus write, further writes are
// dropped meanwhile, and the next read returns the held word instead of
// the bus (n64-systemtest cart_memory/write.rs). ROM itself ignores the
// write. ISViewer writes bypass the latch (as ares does) so debug output
// is never lost.
type Cart struct {
	ROM      []byte
	ISViewer *ISViewer
	Save     PIBusDevice

	pi *PI
}

// isvHit reports whether addr falls in the ISViewer window and the window
// is the ISViewer's: a ROM larger than isvROMLimit keeps it (as in ares).
func (c *Cart) isvHit(addr uint32) bool {
	return addr&^(isvWindow-1) == isvBase && c.ISViewer != nil && len(c.ROM) <= isvROMLimit
}

// read16 reads a bus halfword; ok is false where nothing answers.
func (c *Cart) read16(addr uint32) (v uint16, ok bool) {
	switch {
	case addr >= busSave && addr < busSaveEnd:
		if c.Save != nil {
			return c.Save.ReadHalf(addr), true
		}
	case addr >= busROM && addr < busROMEnd:
		if c.isvHit(addr) {
			return c.ISViewer.read16(addr), true
		}
		if off := uint64(addr - busROM); off+1 < uint64(len(c.ROM)) {
			return uint16(c.ROM[off])<<8 | uint16(c.ROM[off+1]), true
		}
	}
	return 0, false
}

// busRead16 is a DMA read of the bus: open bus gives the address's low half.
func (c *Cart) busRead16(addr uint32) uint16 {
	if v, ok := c.read16(addr); ok {
		return v
	}
	return uint16(addr)
}

// busWrite16 is a bus write: save memory and the ISViewer take it, ROM and
// open bus ignore it.
func (c *Cart) busWrite16(addr uint32, v uint16) {
	switch {
	case addr >= busSave && addr < busSaveEnd:
		if c.Save != nil {
			c.Save.WriteHalf(addr, v)
		}
	case c.isvHit(addr):
		c.ISViewer.write16(addr, v)
	}
}

// Read32 implements memory.Device.
func (c *Cart) Read32(paddr uint32) uint32 { return c.cpuRead(paddr) }

// ReadNarrow implements memory.NarrowReader: an 8- or 16-bit CPU read is
// still a 32-bit bus read, of the two halfwords starting at the (even)
// address itself, not at the aligned word (krom DMAAlignment-PI-ROM-FROM:
// LHU 0xB0000002 reads the halfword at 0xB0000004 on hardware).
func (c *Cart) ReadNarrow(paddr uint32) uint32 { return c.cpuRead(paddr) }

// cpuRead is a CPU read of the bus: two 16-bit accesses from paddr, high
// half first. The PI drives them from its cartridge address counter, so
// PI_CART_ADDR reads the address after them afterwards (krom
// DMAAlignment-PI-ROM-FROM: after the IPL3's last read, of the entry point
// at 0x1000_0008, PI_CART_ADDR reads 0x1000_000C).
func (c *Cart) cpuRead(paddr uint32) uint32 {
	p := c.pi
	if p.ioBusy() {
		p.ioBusyUntil = 0
		return p.latch
	}
	if c.isvHit(paddr) {
		return c.ISViewer.Read32(paddr &^ 3)
	}
	open := paddr & 0xFFFF
	c.startBurst(paddr)
	hi, ok := c.read16(paddr)
	if !ok {
		hi = uint16(open)
	}
	lo, ok := c.read16(paddr + 2)
	if !ok {
		lo = uint16(open)
	}
	p.cartAddr = (paddr + 4) & piCartMask
	return uint32(hi)<<16 | uint32(lo)
}

// Write32 implements memory.Device.
func (c *Cart) Write32(paddr, value, mask uint32) {
	if c.isvHit(paddr) {
		c.ISViewer.Write32(paddr, value, mask)
		return
	}
	p := c.pi
	if p.ioBusy() {
		return
	}
	p.latch = value
	p.ioBusyUntil = p.s.Now + p.domainOf(paddr).accessCycles(paddr, 4)
	c.startBurst(paddr)
	c.busWrite16(paddr, uint16(value>>16))
	c.busWrite16(paddr+2, uint16(value))
}
