package cpu

import (
	"encoding/binary"
	"math/bits"
)

// opSpecial offsets the SPECIAL function codes in Run's decoder switch.
const opSpecial = 0x40

// Run executes instructions until the clock reaches until, or until an
// event falls due (sched.Now >= sched.Next()), whichever is first: the
// caller then dispatches the due events (sched.Compare to CompareEvent) and
// calls Run again. Each instruction advances the clock by its cost.
func (c *CPU) Run(until uint64) {
	c.syncExternal()
	s := c.sched
	ram := c.bus.RDRAM
	for s.Now < until && s.Now < s.Next() {
		if c.intPending {
			c.interrupt()
		}
		pc := c.PC
		var w uint32
		// Fast path: kseg0/kseg1 (ckseg0/ckseg1) in kernel mode, backed by
		// RDRAM; kseg0/kseg1 are unmapped windows on physical memory
		// (manual ch. 5).
		if off := pc - kseg0Base; off < kseg01Size && c.kernel && pc&3 == 0 {
			p := uint32(off) & kseg01PhysMask
			if int(p) < len(ram)-3 {
				w = binary.BigEndian.Uint32(ram[p:])
			} else {
				w = c.bus.Read32(p)
			}
		} else {
			var ok bool
			if w, ok = c.fetchSlow(pc); !ok {
				// The fetch raised an exception; the slot still takes time.
				c.charge()
				continue
			}
		}
		if c.Trace != nil {
			c.Trace(pc, w)
		}

		slot, target := c.slot, c.target
		c.slot = slotNone
		c.curDelay = slot != slotNone

		// Decode and execute (manual ch. 16; opcode encoding tables). The
		// decoder is written into the loop: as a call it costs ~10%.
		// Encodings the VR4300 does not define raise a reserved
		// instruction exception; an instruction that raises an exception
		// breaks out of the switch.
		rs := w >> 21 & 31
		rt := w >> 16 & 31
		rd := w >> 11 & 31
		sa := w >> 6 & 31
		// One switch for the primary opcodes and the SPECIAL functions (a
		// single jump table: SPECIAL holds most ALU instructions).
		op := w >> 26
		if op == 0 {
			op = opSpecial + w&0x3F
		}
		switch op {
		case 0x01:
			c.regimm(w)
		case 0x02: // J
			c.jump(w)
		case 0x03: // JAL
			c.GPR[31] = c.PC + 8
			c.jump(w)
		case 0x04: // BEQ
			c.branch(c.GPR[rs] == c.GPR[rt], w)
		case 0x05: // BNE
			c.branch(c.GPR[rs] != c.GPR[rt], w)
		case 0x06: // BLEZ
			c.branch(int64(c.GPR[rs]) <= 0, w)
		case 0x07: // BGTZ
			c.branch(int64(c.GPR[rs]) > 0, w)
		case 0x08: // ADDI
			a, b := uint32(c.GPR[rs]), uint32(int32(int16(w)))
			r := a + b
			if (a^r)&(b^r)&0x8000_0000 != 0 {
				c.exception(ExcOv)
				break
			}
			c.GPR[rt] = sext32(r)
		case 0x09: // ADDIU
			c.GPR[rt] = sext32(uint32(c.GPR[rs]) + uint32(int32(int16(w))))
		case 0x0A: // SLTI
			c.GPR[rt] = b2u(int64(c.GPR[rs]) < int64(int16(w)))
		case 0x0B: // SLTIU: the immediate is sign-extended, the compare unsigned
			c.GPR[rt] = b2u(c.GPR[rs] < uint64(int64(int16(w))))
		case 0x0C: // ANDI
			c.GPR[rt] = c.GPR[rs] & uint64(w&0xFFFF)
		case 0x0D: // ORI
			c.GPR[rt] = c.GPR[rs] | uint64(w&0xFFFF)
		case 0x0E: // XORI
			c.GPR[rt] = c.GPR[rs] ^ uint64(w&0xFFFF)
		case 0x0F: // LUI
			c.GPR[rt] = sext32(w << 16)
		case 0x10:
			c.cop0(w)
		case 0x11:
			c.cop1(w)
		case 0x12:
			c.cop2(w)
		case 0x14: // BEQL
			c.branchLikely(c.GPR[rs] == c.GPR[rt], w)
		case 0x15: // BNEL
			c.branchLikely(c.GPR[rs] != c.GPR[rt], w)
		case 0x16: // BLEZL
			c.branchLikely(int64(c.GPR[rs]) <= 0, w)
		case 0x17: // BGTZL
			c.branchLikely(int64(c.GPR[rs]) > 0, w)
		case 0x18: // DADDI
			if !c.ops64 {
				c.exception(ExcRI)
				break
			}
			a, b := c.GPR[rs], uint64(int64(int16(w)))
			r := a + b
			if (a^r)&(b^r)&(1<<63) != 0 {
				c.exception(ExcOv)
				break
			}
			c.GPR[rt] = r
		case 0x19: // DADDIU
			if !c.ops64 {
				c.exception(ExcRI)
				break
			}
			c.GPR[rt] = c.GPR[rs] + uint64(int64(int16(w)))
		case 0x1A: // LDL
			c.loadDoubleLeft(w)
		case 0x1B: // LDR
			c.loadDoubleRight(w)
		case 0x20: // LB
			if p, ok := c.addr(c.ea(w), 1, accLoad); ok {
				c.GPR[rt] = uint64(int64(int8(c.bus.Read8(p))))
			}
		case 0x21: // LH
			if p, ok := c.addr(c.ea(w), 2, accLoad); ok {
				c.GPR[rt] = uint64(int64(int16(c.bus.Read16(p))))
			}
		case 0x22: // LWL
			c.loadWordLeft(w)
		case 0x23: // LW
			if p, ok := c.addr(c.ea(w), 4, accLoad); ok {
				c.GPR[rt] = sext32(c.bus.Read32(p))
			}
		case 0x24: // LBU
			if p, ok := c.addr(c.ea(w), 1, accLoad); ok {
				c.GPR[rt] = uint64(c.bus.Read8(p))
			}
		case 0x25: // LHU
			if p, ok := c.addr(c.ea(w), 2, accLoad); ok {
				c.GPR[rt] = uint64(c.bus.Read16(p))
			}
		case 0x26: // LWR
			c.loadWordRight(w)
		case 0x27: // LWU: a 64-bit instruction (manual ch. 16 LWU)
			if !c.ops64 {
				c.exception(ExcRI)
				break
			}
			if p, ok := c.addr(c.ea(w), 4, accLoad); ok {
				c.GPR[rt] = uint64(c.bus.Read32(p))
			}
		case 0x28: // SB
			if p, ok := c.addr(c.ea(w), 1, accStore); ok {
				c.bus.Write8(p, uint8(c.GPR[rt]))
			}
		case 0x29: // SH
			if p, ok := c.addr(c.ea(w), 2, accStore); ok {
				c.bus.Write16(p, uint16(c.GPR[rt]))
			}
		case 0x2A: // SWL
			c.storeWordLeft(w)
		case 0x2B: // SW
			if p, ok := c.addr(c.ea(w), 4, accStore); ok {
				c.bus.Write32(p, uint32(c.GPR[rt]))
			}
		case 0x2C: // SDL
			c.storeDoubleLeft(w)
		case 0x2D: // SDR
			c.storeDoubleRight(w)
		case 0x2E: // SWR
			c.storeWordRight(w)
		case 0x2F: // CACHE: no caches are modelled; a CP0 instruction.
			if !c.kernel && c.CP0[CP0Status]&StatusCU0 == 0 {
				c.copUnusable(0)
			}
		case 0x30: // LL
			c.loadLinked(w, 4)
		case 0x31: // LWC1
			c.loadFPU(w, 4)
		case 0x32, 0x36: // LWC2, LDC2
			c.cop2LoadStore()
		case 0x34: // LLD
			if !c.ops64 {
				c.exception(ExcRI)
				break
			}
			c.loadLinked(w, 8)
		case 0x35: // LDC1
			c.loadFPU(w, 8)
		case 0x37: // LD
			if !c.ops64 {
				c.exception(ExcRI)
				break
			}
			if p, ok := c.addr(c.ea(w), 8, accLoad); ok {
				c.GPR[rt] = c.bus.Read64(p)
			}
		case 0x38: // SC
			c.storeConditional(w, 4)
		case 0x39: // SWC1
			c.storeFPU(w, 4)
		case 0x3A, 0x3E: // SWC2, SDC2
			c.cop2LoadStore()
		case 0x3C: // SCD
			if !c.ops64 {
				c.exception(ExcRI)
				break
			}
			c.storeConditional(w, 8)
		case 0x3D: // SDC1
			c.storeFPU(w, 8)
		case 0x3F: // SD
			if !c.ops64 {
				c.exception(ExcRI)
				break
			}
			if p, ok := c.addr(c.ea(w), 8, accStore); ok {
				c.bus.Write64(p, c.GPR[rt])
			}
		case opSpecial + 0x00: // SLL
			c.GPR[rd] = sext32(uint32(c.GPR[rt]) << sa)
		case opSpecial + 0x02: // SRL
			c.GPR[rd] = sext32(uint32(c.GPR[rt]) >> sa)
		case opSpecial + 0x03: // SRA: shifts the 64-bit value, keeps the low word (ares, n64-systemtest)
			c.GPR[rd] = sext32(uint32(int64(c.GPR[rt]) >> sa))
		case opSpecial + 0x04: // SLLV
			c.GPR[rd] = sext32(uint32(c.GPR[rt]) << (c.GPR[rs] & 31))
		case opSpecial + 0x06: // SRLV
			c.GPR[rd] = sext32(uint32(c.GPR[rt]) >> (c.GPR[rs] & 31))
		case opSpecial + 0x07: // SRAV
			c.GPR[rd] = sext32(uint32(int64(c.GPR[rt]) >> (c.GPR[rs] & 31)))
		case opSpecial + 0x08: // JR
			c.jumpTo(c.GPR[rs])
		case opSpecial + 0x09: // JALR: the target is read before the link is written
			t := c.GPR[rs]
			c.GPR[rd] = c.PC + 8
			c.jumpTo(t)
		case opSpecial + 0x0C: // SYSCALL
			c.exception(ExcSys)
		case opSpecial + 0x0D: // BREAK
			c.exception(ExcBp)
		case opSpecial + 0x0F: // SYNC: loads and stores complete in order anyway.
		case opSpecial + 0x10: // MFHI
			c.GPR[rd] = c.HI
		case opSpecial + 0x11: // MTHI
			c.HI = c.GPR[rs]
		case opSpecial + 0x12: // MFLO
			c.GPR[rd] = c.LO
		case opSpecial + 0x13: // MTLO
			c.LO = c.GPR[rs]
		case opSpecial + 0x14: // DSLLV
			if c.need64() {
				c.GPR[rd] = c.GPR[rt] << (c.GPR[rs] & 63)
			}
		case opSpecial + 0x16: // DSRLV
			if c.need64() {
				c.GPR[rd] = c.GPR[rt] >> (c.GPR[rs] & 63)
			}
		case opSpecial + 0x17: // DSRAV
			if c.need64() {
				c.GPR[rd] = uint64(int64(c.GPR[rt]) >> (c.GPR[rs] & 63))
			}
		case opSpecial + 0x18: // MULT: HI and LO get the sign-extended halves
			p := uint64(int64(int32(c.GPR[rs])) * int64(int32(c.GPR[rt])))
			c.LO, c.HI = sext32(uint32(p)), sext32(uint32(p>>32))
		case opSpecial + 0x19: // MULTU
			p := uint64(uint32(c.GPR[rs])) * uint64(uint32(c.GPR[rt]))
			c.LO, c.HI = sext32(uint32(p)), sext32(uint32(p>>32))
		case opSpecial + 0x1A: // DIV
			c.div(int32(c.GPR[rs]), int32(c.GPR[rt]))
		case opSpecial + 0x1B: // DIVU
			c.divu(uint32(c.GPR[rs]), uint32(c.GPR[rt]))
		case opSpecial + 0x1C: // DMULT: the 128-bit signed product
			if c.need64() {
				a, b := c.GPR[rs], c.GPR[rt]
				hi, lo := bits.Mul64(a, b)
				if int64(a) < 0 {
					hi -= b
				}
				if int64(b) < 0 {
					hi -= a
				}
				c.HI, c.LO = hi, lo
			}
		case opSpecial + 0x1D: // DMULTU
			if c.need64() {
				c.HI, c.LO = bits.Mul64(c.GPR[rs], c.GPR[rt])
			}
		case opSpecial + 0x1E: // DDIV
			if c.need64() {
				c.ddiv(int64(c.GPR[rs]), int64(c.GPR[rt]))
			}
		case opSpecial + 0x1F: // DDIVU
			if c.need64() {
				c.ddivu(c.GPR[rs], c.GPR[rt])
			}
		case opSpecial + 0x20: // ADD: overflow traps and leaves rd unchanged (manual ch. 16 ADD)
			a, b := uint32(c.GPR[rs]), uint32(c.GPR[rt])
			r := a + b
			if (a^r)&(b^r)&0x8000_0000 != 0 {
				c.exception(ExcOv)
				break
			}
			c.GPR[rd] = sext32(r)
		case opSpecial + 0x21: // ADDU
			c.GPR[rd] = sext32(uint32(c.GPR[rs]) + uint32(c.GPR[rt]))
		case opSpecial + 0x22: // SUB
			a, b := uint32(c.GPR[rs]), uint32(c.GPR[rt])
			r := a - b
			if (a^b)&(a^r)&0x8000_0000 != 0 {
				c.exception(ExcOv)
				break
			}
			c.GPR[rd] = sext32(r)
		case opSpecial + 0x23: // SUBU
			c.GPR[rd] = sext32(uint32(c.GPR[rs]) - uint32(c.GPR[rt]))
		case opSpecial + 0x24: // AND
			c.GPR[rd] = c.GPR[rs] & c.GPR[rt]
		case opSpecial + 0x25: // OR
			c.GPR[rd] = c.GPR[rs] | c.GPR[rt]
		case opSpecial + 0x26: // XOR
			c.GPR[rd] = c.GPR[rs] ^ c.GPR[rt]
		case opSpecial + 0x27: // NOR
			c.GPR[rd] = ^(c.GPR[rs] | c.GPR[rt])
		case opSpecial + 0x2A: // SLT
			c.GPR[rd] = b2u(int64(c.GPR[rs]) < int64(c.GPR[rt]))
		case opSpecial + 0x2B: // SLTU
			c.GPR[rd] = b2u(c.GPR[rs] < c.GPR[rt])
		case opSpecial + 0x2C: // DADD
			if c.need64() {
				a, b := c.GPR[rs], c.GPR[rt]
				r := a + b
				if (a^r)&(b^r)&(1<<63) != 0 {
					c.exception(ExcOv)
					break
				}
				c.GPR[rd] = r
			}
		case opSpecial + 0x2D: // DADDU
			if c.need64() {
				c.GPR[rd] = c.GPR[rs] + c.GPR[rt]
			}
		case opSpecial + 0x2E: // DSUB
			if c.need64() {
				a, b := c.GPR[rs], c.GPR[rt]
				r := a - b
				if (a^b)&(a^r)&(1<<63) != 0 {
					c.exception(ExcOv)
					break
				}
				c.GPR[rd] = r
			}
		case opSpecial + 0x2F: // DSUBU
			if c.need64() {
				c.GPR[rd] = c.GPR[rs] - c.GPR[rt]
			}
		case opSpecial + 0x30: // TGE
			c.trap(int64(c.GPR[rs]) >= int64(c.GPR[rt]))
		case opSpecial + 0x31: // TGEU
			c.trap(c.GPR[rs] >= c.GPR[rt])
		case opSpecial + 0x32: // TLT
			c.trap(int64(c.GPR[rs]) < int64(c.GPR[rt]))
		case opSpecial + 0x33: // TLTU
			c.trap(c.GPR[rs] < c.GPR[rt])
		case opSpecial + 0x34: // TEQ
			c.trap(c.GPR[rs] == c.GPR[rt])
		case opSpecial + 0x36: // TNE
			c.trap(c.GPR[rs] != c.GPR[rt])
		case opSpecial + 0x38: // DSLL
			if c.need64() {
				c.GPR[rd] = c.GPR[rt] << sa
			}
		case opSpecial + 0x3A: // DSRL
			if c.need64() {
				c.GPR[rd] = c.GPR[rt] >> sa
			}
		case opSpecial + 0x3B: // DSRA
			if c.need64() {
				c.GPR[rd] = uint64(int64(c.GPR[rt]) >> sa)
			}
		case opSpecial + 0x3C: // DSLL32
			if c.need64() {
				c.GPR[rd] = c.GPR[rt] << (sa + 32)
			}
		case opSpecial + 0x3E: // DSRL32
			if c.need64() {
				c.GPR[rd] = c.GPR[rt] >> (sa + 32)
			}
		case opSpecial + 0x3F: // DSRA32
			if c.need64() {
				c.GPR[rd] = uint64(int64(c.GPR[rt]) >> (sa + 32))
			}
		default:
			// Reserved: primary 0x13 (COP3: the VR4300 has none, ares),
			// 0x1C-0x1F, 0x33 (LWC3), 0x3B (SWC3), and the undefined
			// SPECIAL functions (manual ch. 16, encoding tables).
			c.exception(ExcRI)
		}
		c.GPR[0] = 0
		if slot|c.slot == slotNone {
			c.PC = pc + 4
		} else {
			switch c.slot {
			case slotJumped:
				c.slot = slotNone
			default:
				next := pc + 4
				if slot == slotTaken {
					next = target
				}
				if c.slot == slotSkip {
					next += 4
					c.slot = slotNone
				}
				c.PC = next
			}
		}
		c.charge()
	}
	c.publish()
}

// regimm executes the REGIMM (opcode 1) instructions, selected by rt.
func (c *CPU) regimm(w uint32) {
	s := int64(c.GPR[w>>21&31])
	imm := int64(int16(w))
	switch w >> 16 & 31 {
	case 0x00: // BLTZ
		c.branch(s < 0, w)
	case 0x01: // BGEZ
		c.branch(s >= 0, w)
	case 0x02: // BLTZL
		c.branchLikely(s < 0, w)
	case 0x03: // BGEZL
		c.branchLikely(s >= 0, w)
	case 0x08: // TGEI
		c.trap(s >= imm)
	case 0x09: // TGEIU: sign-extended immediate, unsigned compare
		c.trap(uint64(s) >= uint64(imm))
	case 0x0A: // TLTI
		c.trap(s < imm)
	case 0x0B: // TLTIU
		c.trap(uint64(s) < uint64(imm))
	case 0x0C: // TEQI
		c.trap(s == imm)
	case 0x0E: // TNEI
		c.trap(s != imm)
	case 0x10: // BLTZAL: links whether or not it branches (manual ch. 16 BLTZAL)
		c.GPR[31] = c.PC + 8
		c.branch(s < 0, w)
	case 0x11: // BGEZAL
		c.GPR[31] = c.PC + 8
		c.branch(s >= 0, w)
	case 0x12: // BLTZALL
		c.GPR[31] = c.PC + 8
		c.branchLikely(s < 0, w)
	case 0x13: // BGEZALL
		c.GPR[31] = c.PC + 8
		c.branchLikely(s >= 0, w)
	default:
		c.exception(ExcRI)
	}
}

// b2u is a comparison result as a register value.
func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// ea is the effective address base + offset of a load or store.
func (c *CPU) ea(w uint32) uint64 {
	return c.GPR[w>>21&31] + uint64(int64(int16(w)))
}

// need64 checks that a 64-bit instruction may run: in user and supervisor
// mode with 32-bit addressing they are reserved (manual ch. 16).
func (c *CPU) need64() bool {
	if !c.ops64 {
		c.exception(ExcRI)
		return false
	}
	return true
}

// branch sets up a conditional branch: the delay slot runs either way, and
// the target is relative to it (manual ch. 16, branch instructions).
func (c *CPU) branch(taken bool, w uint32) {
	if taken {
		c.slot = slotTaken
		c.target = c.PC + 4 + uint64(int64(int16(w))<<2)
	} else {
		c.slot = slotNotTaken
	}
}

// branchLikely is a branch whose delay slot is nullified when it is not
// taken (manual ch. 16 BEQL).
func (c *CPU) branchLikely(taken bool, w uint32) {
	if taken {
		c.slot = slotTaken
		c.target = c.PC + 4 + uint64(int64(int16(w))<<2)
	} else {
		c.slot = slotSkip
	}
}

// jump is J/JAL: the 26-bit target replaces bits 27..2 of the delay slot's
// address (manual ch. 16 J).
func (c *CPU) jump(w uint32) {
	c.slot = slotTaken
	c.target = (c.PC+4)&^0x0FFF_FFFF | uint64(w&0x03FF_FFFF)<<2
}

// jumpTo is JR/JALR. A misaligned or invalid target raises its address
// error when it is fetched, after the delay slot (manual ch. 16 JR).
func (c *CPU) jumpTo(t uint64) {
	c.slot = slotTaken
	c.target = t
}

// trap raises the trap exception when cond holds.
func (c *CPU) trap(cond bool) {
	if cond {
		c.exception(ExcTr)
	}
}

// div is DIV. Division by zero does not trap: LO is -1 for a non-negative
// dividend and +1 for a negative one, HI the dividend; the most negative
// value divided by -1 gives itself and 0 (n64brew "VR4300"; ares).
func (c *CPU) div(n, d int32) {
	var q, r int32
	switch {
	case d == 0:
		q, r = 1, n
		if n >= 0 {
			q = -1
		}
	case d == -1 && n == -1<<31:
		q, r = n, 0
	default:
		q, r = n/d, n%d
	}
	c.LO, c.HI = uint64(int64(q)), uint64(int64(r))
}

// divu is DIVU; by zero LO is all ones and HI the dividend.
func (c *CPU) divu(n, d uint32) {
	q, r := uint32(0xFFFF_FFFF), n
	if d != 0 {
		q, r = n/d, n%d
	}
	c.LO, c.HI = sext32(q), sext32(r)
}

// ddiv is DDIV, with DIV's results for zero and overflow at 64 bits.
func (c *CPU) ddiv(n, d int64) {
	var q, r int64
	switch {
	case d == 0:
		q, r = 1, n
		if n >= 0 {
			q = -1
		}
	case d == -1 && n == -1<<63:
		q, r = n, 0
	default:
		q, r = n/d, n%d
	}
	c.LO, c.HI = uint64(q), uint64(r)
}

// ddivu is DDIVU.
func (c *CPU) ddivu(n, d uint64) {
	q, r := ^uint64(0), n
	if d != 0 {
		q, r = n/d, n%d
	}
	c.LO, c.HI = q, r
}
