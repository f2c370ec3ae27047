package cpu

// The unaligned loads and stores, LL/SC, and the masked stores they need.
// Byte lanes are big-endian: the byte at the lowest address is the most
// significant (the N64 runs the VR4300 big-endian, Config.BE = 1; manual
// ch. 16 LWL/LWR, the big-endian byte figures). Little-endian mode is not modelled.

// loadWordLeft is LWL: the bytes from the address to the end of its word
// go into the high end of rt, the rest of rt's low word is kept, and the
// result is sign-extended.
func (c *CPU) loadWordLeft(w uint32) {
	vaddr := c.ea(w)
	p, ok := c.addr(vaddr&^3, 4, accLoad)
	if !ok {
		return
	}
	rt := w >> 16 & 31
	shift := uint32(vaddr&3) * 8
	mem := c.bus.Read32(p)
	c.GPR[rt] = sext32(mem<<shift | uint32(c.GPR[rt])&(1<<shift-1))
}

// loadWordRight is LWR: the bytes from the start of the word to the
// address go into the low end of rt. Loading all four bytes sign-extends;
// loading fewer keeps bits 63..32 of rt in 32-bit mode and sign-extends in
// 64-bit mode (n64-systemtest, as ares models it).
func (c *CPU) loadWordRight(w uint32) {
	vaddr := c.ea(w)
	p, ok := c.addr(vaddr&^3, 4, accLoad)
	if !ok {
		return
	}
	rt := w >> 16 & 31
	shift := (3 - uint32(vaddr&3)) * 8
	mem := c.bus.Read32(p)
	r := mem>>shift | uint32(c.GPR[rt])&^(0xFFFF_FFFF>>shift)
	if shift == 0 || c.addr64 {
		c.GPR[rt] = sext32(r)
	} else {
		c.GPR[rt] = c.GPR[rt]&^0xFFFF_FFFF | uint64(r)
	}
}

// loadDoubleLeft is LDL, LWL's 64-bit counterpart.
func (c *CPU) loadDoubleLeft(w uint32) {
	if !c.need64() {
		return
	}
	vaddr := c.ea(w)
	p, ok := c.addr(vaddr&^7, 8, accLoad)
	if !ok {
		return
	}
	rt := w >> 16 & 31
	shift := uint32(vaddr&7) * 8
	c.GPR[rt] = c.bus.Read64(p)<<shift | c.GPR[rt]&(1<<shift-1)
}

// loadDoubleRight is LDR, LWR's 64-bit counterpart.
func (c *CPU) loadDoubleRight(w uint32) {
	if !c.need64() {
		return
	}
	vaddr := c.ea(w)
	p, ok := c.addr(vaddr&^7, 8, accLoad)
	if !ok {
		return
	}
	rt := w >> 16 & 31
	shift := (7 - uint32(vaddr&7)) * 8
	c.GPR[rt] = c.bus.Read64(p)>>shift | c.GPR[rt]&^(^uint64(0)>>shift)
}

// storeWordLeft is SWL: the high bytes of rt's low word go from the
// address to the end of its word.
func (c *CPU) storeWordLeft(w uint32) {
	vaddr := c.ea(w)
	p, ok := c.addr(vaddr&^3, 4, accStore)
	if !ok {
		return
	}
	shift := uint32(vaddr&3) * 8
	c.writeMasked32(p, uint32(c.GPR[w>>16&31])>>shift, 0xFFFF_FFFF>>shift)
}

// storeWordRight is SWR: the low bytes of rt go from the start of the word
// to the address.
func (c *CPU) storeWordRight(w uint32) {
	vaddr := c.ea(w)
	p, ok := c.addr(vaddr&^3, 4, accStore)
	if !ok {
		return
	}
	shift := (3 - uint32(vaddr&3)) * 8
	c.writeMasked32(p, uint32(c.GPR[w>>16&31])<<shift, 0xFFFF_FFFF<<shift)
}

// storeDoubleLeft is SDL.
func (c *CPU) storeDoubleLeft(w uint32) {
	if !c.need64() {
		return
	}
	vaddr := c.ea(w)
	p, ok := c.addr(vaddr&^7, 8, accStore)
	if !ok {
		return
	}
	shift := uint32(vaddr&7) * 8
	c.writeMasked64(p, c.GPR[w>>16&31]>>shift, ^uint64(0)>>shift)
}

// storeDoubleRight is SDR.
func (c *CPU) storeDoubleRight(w uint32) {
	if !c.need64() {
		return
	}
	vaddr := c.ea(w)
	p, ok := c.addr(vaddr&^7, 8, accStore)
	if !ok {
		return
	}
	shift := (7 - uint32(vaddr&7)) * 8
	c.writeMasked64(p, c.GPR[w>>16&31]<<shift, ^uint64(0)<<shift)
}

// writeMasked32 writes the bytes of v that mask selects into the aligned
// word at p, byte by byte unless it is the whole word, so that no byte
// outside the mask is written (or read back) on any device.
func (c *CPU) writeMasked32(p, v, mask uint32) {
	if mask == 0xFFFF_FFFF {
		c.bus.Write32(p, v)
		return
	}
	for i := uint32(0); i < 4; i++ {
		if sh := 24 - 8*i; mask>>sh&0xFF != 0 {
			c.bus.Write8(p+i, uint8(v>>sh))
		}
	}
}

// writeMasked64 is writeMasked32 for an aligned doubleword.
func (c *CPU) writeMasked64(p uint32, v, mask uint64) {
	if mask == ^uint64(0) {
		c.bus.Write64(p, v)
		return
	}
	for i := uint32(0); i < 8; i++ {
		if sh := 56 - 8*i; mask>>sh&0xFF != 0 {
			c.bus.Write8(p+i, uint8(v>>sh))
		}
	}
}

// loadLinked is LL/LLD: a load that sets LLBit and records the physical
// address, >> 4, in LLAddr (manual ch. 16 LL; ch. 6).
func (c *CPU) loadLinked(w uint32, size uint64) {
	p, ok := c.addr(c.ea(w), size, accLoad)
	if !ok {
		return
	}
	rt := w >> 16 & 31
	if size == 4 {
		c.GPR[rt] = sext32(c.bus.Read32(p))
	} else {
		c.GPR[rt] = c.bus.Read64(p)
	}
	c.CP0[CP0LLAddr] = uint64(p >> 4)
	c.LLBit = true
}

// storeConditional is SC/SCD: with LLBit set the store happens and rt
// becomes 1, otherwise nothing is stored and rt becomes 0 (manual ch. 16 SC).
// The VR4300 has no other processor to break the link, so only ERET clears
// LLBit — and, as ares and mupen64plus model it, the SC itself.
func (c *CPU) storeConditional(w uint32, size uint64) {
	rt := w >> 16 & 31
	if !c.LLBit {
		c.GPR[rt] = 0
		return
	}
	c.LLBit = false
	p, ok := c.addr(c.ea(w), size, accStore)
	if !ok {
		return
	}
	if size == 4 {
		c.bus.Write32(p, uint32(c.GPR[rt]))
	} else {
		c.bus.Write64(p, c.GPR[rt])
	}
	c.GPR[rt] = 1
}
