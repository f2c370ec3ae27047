package cpu

import "github.com/n64go/n64/core/memory"

// Virtual address segments (manual ch. 5).
const (
	kseg0Base      = 0xFFFF_FFFF_8000_0000 // kseg0, then kseg1 at +0x2000_0000
	kseg01Size     = 0x4000_0000
	kseg01PhysMask = 0x1FFF_FFFF
	xkphysBase     = 0x8000_0000_0000_0000
	xkphysEnd      = 0xC000_0000_0000_0000
	xkphysZero     = 0x07FF_FFFF_0000_0000 // must be zero: 32-bit physical addresses
	xksegBase      = 0xC000_0000_0000_0000
	xksegEnd       = 0xC000_00FF_8000_0000
	xsegSize       = 1 << 40 // xkuseg/xsuseg/xuseg, xksseg/xsseg: 40-bit VAs
	xssegBase      = 0x4000_0000_0000_0000
	csegBase       = 0xFFFF_FFFF_8000_0000 // ckseg0 … ckseg3: the 32-bit kernel space
)

// Access kinds, for the exception a failed translation raises.
const (
	accFetch uint8 = iota
	accLoad
	accStore
)

// tlbUnused is the EntryHi of the entries at reset: region R = 2 is
// xkphys, which is never mapped, so no access matches them and a mapped
// access raises a TLB refill until software writes the TLB. (The hardware's
// power-on contents are undefined; this is a deterministic stand-in.)
const tlbUnused = 2 << 62

// TLBEntry is one entry of the joint TLB (manual ch. 5), held as the
// EntryHi, EntryLo0/1 and PageMask values TLBWI wrote, normalised as the
// hardware stores them.
type TLBEntry struct {
	PageMask uint64
	EntryHi  uint64 // VPN2, R and ASID; G lives in the EntryLo values
	EntryLo0 uint64
	EntryLo1 uint64
}

// fetchSlow translates an instruction address the fast path did not take
// (TLB-mapped code, xkphys, user mode, errors). The last translated 4 KiB
// page is cached, since the TLB search is linear; every change that can
// alter a translation (TLB write, EntryHi, mode) drops the cache.
func (c *CPU) fetchSlow(pc uint64) (uint32, bool) {
	if c.fetchPageOK && pc&^0xFFF == c.fetchVPage && pc&3 == 0 {
		return c.bus.Read32(c.fetchPPage | uint32(pc&0xFFC)), true
	}
	c.curDelay = c.slot != slotNone
	p, ok := c.translate(pc, 4, accFetch)
	if !ok {
		c.slot = slotNone
		return 0, false
	}
	c.fetchVPage, c.fetchPPage, c.fetchPageOK = pc&^0xFFF, p&^0xFFF, true
	return c.bus.Read32(p), true
}

// addr translates the data address vaddr of an access of size bytes (a
// power of two), raising an address error or TLB exception on failure. The
// common case — kernel mode, kseg0/kseg1, aligned — is inlined.
func (c *CPU) addr(vaddr uint64, size uint64, acc uint8) (uint32, bool) {
	if off := vaddr - kseg0Base; off < kseg01Size && c.kernel && vaddr&(size-1) == 0 {
		return uint32(off) & kseg01PhysMask, true
	}
	return c.translate(vaddr, size, acc)
}

// translate is the full virtual-to-physical translation (manual ch. 5):
// alignment, the mode's segments, 32-bit address checks, unmapped windows
// and the TLB.
func (c *CPU) translate(vaddr uint64, size uint64, acc uint8) (uint32, bool) {
	if vaddr&(size-1) != 0 {
		c.addressError(vaddr, acc == accStore)
		return 0, false
	}
	if !c.addr64 {
		// 32-bit mode: an address must be a sign-extended 32-bit value
		// (n64-systemtest; ares "vaddrAlignedError").
		if sext32(uint32(vaddr)) != vaddr {
			c.addressError(vaddr, acc == accStore)
			return 0, false
		}
		return c.translate32(vaddr, acc)
	}
	switch c.mode {
	case modeKernel:
		switch {
		case vaddr < xsegSize: // xkuseg
			if c.CP0[CP0Status]&StatusERL != 0 && vaddr < 0x8000_0000 {
				return uint32(vaddr) & memory.PhysMask, true
			}
			return c.tlbTranslate(vaddr, acc)
		case vaddr >= xssegBase && vaddr < xssegBase+xsegSize: // xksseg
			return c.tlbTranslate(vaddr, acc)
		case vaddr >= xkphysBase && vaddr < xkphysEnd: // xkphys: unmapped
			if vaddr&xkphysZero == 0 {
				return uint32(vaddr) & memory.PhysMask, true
			}
		case vaddr >= xksegBase && vaddr < xksegEnd: // xkseg
			return c.tlbTranslate(vaddr, acc)
		case vaddr >= csegBase: // ckseg0 … ckseg3
			return c.translate32(vaddr, acc)
		}
	case modeSupervisor:
		switch {
		case vaddr < xsegSize, vaddr >= xssegBase && vaddr < xssegBase+xsegSize,
			vaddr >= 0xFFFF_FFFF_C000_0000 && vaddr < 0xFFFF_FFFF_E000_0000: // xsuseg, xsseg, csseg
			return c.tlbTranslate(vaddr, acc)
		}
	default:
		if vaddr < xsegSize { // xuseg
			return c.tlbTranslate(vaddr, acc)
		}
	}
	c.addressError(vaddr, acc == accStore)
	return 0, false
}

// translate32 maps a sign-extended 32-bit address (manual ch. 5,
// 32-bit kernel, supervisor and user address spaces).
func (c *CPU) translate32(vaddr uint64, acc uint8) (uint32, bool) {
	v := uint32(vaddr)
	switch c.mode {
	case modeKernel:
		switch {
		case v < 0x8000_0000: // kuseg: unmapped while ERL is set (manual ch. 5)
			if c.CP0[CP0Status]&StatusERL != 0 {
				return v & memory.PhysMask, true
			}
			return c.tlbTranslate(vaddr, acc)
		case v < 0xC000_0000: // kseg0, kseg1
			return v & kseg01PhysMask, true
		default: // ksseg, kseg3
			return c.tlbTranslate(vaddr, acc)
		}
	case modeSupervisor:
		if v < 0x8000_0000 || (v >= 0xC000_0000 && v < 0xE000_0000) { // suseg, sseg
			return c.tlbTranslate(vaddr, acc)
		}
	default:
		if v < 0x8000_0000 { // useg
			return c.tlbTranslate(vaddr, acc)
		}
	}
	c.addressError(vaddr, acc == accStore)
	return 0, false
}

// TLB entry fields.
const (
	entryLoG    = 1 << 0
	entryLoV    = 1 << 1
	entryLoD    = 1 << 2
	entryLoPFN  = 0x3FFF_FFC0 // PFN, bits 29..6 = physical address bits 35..12
	entryHiVPN  = 0xFF_FFFF_E000
	entryHiR    = 0xC000_0000_0000_0000
	entryHiASID = 0xFF
)

// matches reports whether e maps vaddr for the current ASID (manual ch. 5):
// VPN2 above the page size, the region, and the ASID unless the entry is
// global.
func (e *TLBEntry) matches(vaddr uint64, asid uint64) bool {
	mask := entryHiVPN&^e.PageMask | entryHiR
	return (vaddr^e.EntryHi)&mask == 0 &&
		(e.EntryLo0&e.EntryLo1&entryLoG != 0 || e.EntryHi&entryHiASID == asid)
}

// tlbTranslate looks vaddr up in the TLB, raising a refill (no entry),
// invalid (V clear) or modification (store to a page with D clear)
// exception on failure (manual ch. 6).
func (c *CPU) tlbTranslate(vaddr uint64, acc uint8) (uint32, bool) {
	asid := c.CP0[CP0EntryHi] & entryHiASID
	for i := range c.TLB {
		e := &c.TLB[i]
		if !e.matches(vaddr, asid) {
			continue
		}
		// The page is half of the entry's span: the bit just above the
		// page offset selects EntryLo0 or EntryLo1.
		offMask := (e.PageMask | 0x1FFF) >> 1
		lo := e.EntryLo0
		if vaddr&(offMask+1) != 0 {
			lo = e.EntryLo1
		}
		code := uint32(ExcTLBL)
		if acc == accStore {
			code = ExcTLBS
		}
		if lo&entryLoV == 0 {
			c.setBadVAddr(vaddr)
			c.exceptionAt(code, 0, c.curDelay, offsetCommon)
			return 0, false
		}
		if acc == accStore && lo&entryLoD == 0 {
			c.setBadVAddr(vaddr)
			c.exceptionAt(ExcMod, 0, c.curDelay, offsetCommon)
			return 0, false
		}
		page := (lo & entryLoPFN) << 6
		return uint32(page&^offMask|vaddr&offMask) & memory.PhysMask, true
	}
	c.setBadVAddr(vaddr)
	code := uint32(ExcTLBL)
	if acc == accStore {
		code = ExcTLBS
	}
	off := uint64(offsetTLB)
	if c.addr64 {
		off = offsetXTLB
	}
	c.exceptionAt(code, 0, c.curDelay, off)
	return 0, false
}

// normalizePageMask keeps the page sizes the VR4300 has (4 KiB … 16 MiB in
// steps of 4): each pair of mask bits acts as its upper bit (ares, from
// n64-systemtest).
func normalizePageMask(m uint64) uint64 {
	m &= 0xAAA << 13
	return m | m>>1
}

// tlbWrite stores EntryHi, EntryLo0/1 and PageMask into entry i (TLBWI,
// TLBWR; manual ch. 16 TLBWI): G is the AND of the two EntryLo G bits, and
// VPN2 bits below the page size are dropped.
func (c *CPU) tlbWrite(i uint32) {
	if i >= tlbEntries {
		return
	}
	c.fetchPageOK = false
	e := &c.TLB[i]
	e.PageMask = normalizePageMask(c.CP0[CP0PageMask])
	g := c.CP0[CP0EntryLo0] & c.CP0[CP0EntryLo1] & entryLoG
	e.EntryLo0 = c.CP0[CP0EntryLo0]&^entryLoG | g
	e.EntryLo1 = c.CP0[CP0EntryLo1]&^entryLoG | g
	e.EntryHi = c.CP0[CP0EntryHi] &^ (e.PageMask & entryHiVPN)
}

// tlbRead loads entry Index into EntryHi, EntryLo0/1 and PageMask (TLBR).
func (c *CPU) tlbRead() {
	i := c.CP0[CP0Index] & 0x3F
	if i >= tlbEntries {
		return
	}
	e := &c.TLB[i]
	c.fetchPageOK = false // EntryHi's ASID changes
	c.CP0[CP0PageMask] = e.PageMask
	c.CP0[CP0EntryHi] = e.EntryHi
	c.CP0[CP0EntryLo0] = e.EntryLo0
	c.CP0[CP0EntryLo1] = e.EntryLo1
}

// tlbProbe finds the entry matching EntryHi (TLBP): Index gets its number,
// or the probe-failure bit P when none matches.
func (c *CPU) tlbProbe() {
	hi := c.CP0[CP0EntryHi]
	for i := range c.TLB {
		if c.TLB[i].matches(hi, hi&entryHiASID) {
			c.CP0[CP0Index] = uint64(i)
			return
		}
	}
	c.CP0[CP0Index] = 1 << 31
}
