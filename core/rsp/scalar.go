package rsp

import (
	"encoding/binary"

	"github.com/n64go/n64/core/memory"
)

// The scalar unit (n64brew "Reality Signal Processor/CPU Core"): a MIPS
// R4000 integer subset on 32-bit registers, without multiply/divide,
// without 64-bit operations and without exceptions (ADD/SUB behave like
// ADDU/SUBU, reserved encodings do nothing). Instructions come from IMEM,
// whose 12-bit PC wraps; loads and stores reach DMEM only, any alignment,
// wrapping at its end. Branches and jumps have one delay slot.

// Primary opcodes.
const (
	opSpecial = 0x00
	opRegimm  = 0x01
	opJ       = 0x02
	opJAL     = 0x03
	opBEQ     = 0x04
	opBNE     = 0x05
	opBLEZ    = 0x06
	opBGTZ    = 0x07
	opADDI    = 0x08
	opADDIU   = 0x09
	opSLTI    = 0x0A
	opSLTIU   = 0x0B
	opANDI    = 0x0C
	opORI     = 0x0D
	opXORI    = 0x0E
	opLUI     = 0x0F
	opCOP0    = 0x10
	opCOP2    = 0x12
	opLB      = 0x20
	opLH      = 0x21
	opLW      = 0x23
	opLBU     = 0x24
	opLHU     = 0x25
	opLWU     = 0x27
	opSB      = 0x28
	opSH      = 0x29
	opSW      = 0x2B
	opLWC2    = 0x32
	opSWC2    = 0x3A
)

// SPECIAL functions.
const (
	fnSLL   = 0x00
	fnSRL   = 0x02
	fnSRA   = 0x03
	fnSLLV  = 0x04
	fnSRLV  = 0x06
	fnSRAV  = 0x07
	fnJR    = 0x08
	fnJALR  = 0x09
	fnBREAK = 0x0D
	fnADD   = 0x20
	fnADDU  = 0x21
	fnSUB   = 0x22
	fnSUBU  = 0x23
	fnAND   = 0x24
	fnOR    = 0x25
	fnXOR   = 0x26
	fnNOR   = 0x27
	fnSLT   = 0x2A
	fnSLTU  = 0x2B
)

const imemMask = MemSize - 4 // a word address in IMEM
const dmemMask = MemSize - 1

// Run executes up to n instructions (one RSP cycle each, advancing the
// RSP clock) and returns how many ran: fewer when the RSP halts (BREAK, a write of SP_STATUS halt,
// single-step mode).
func (r *RSP) Run(n uint64) uint64 {
	var i uint64
	r.running = true
	for i < n && r.status&statusHalt == 0 {
		r.step()
		r.clock++
		i++
		if r.status&statusSStep != 0 {
			// Single-step mode: halt after each instruction (n64brew
			// "SP_STATUS": SSTEP).
			r.status |= statusHalt
		}
	}
	r.running = false
	return i
}

// step executes the instruction at pc.
func (r *RSP) step() {
	pc := r.pc
	w := binary.BigEndian.Uint32(r.IMEM[pc&imemMask:])
	if r.Trace != nil {
		r.Trace(pc, w)
	}
	r.pc = r.npc
	r.npc = (r.npc + 4) & imemMask

	rs := w >> 21 & 31
	rt := w >> 16 & 31
	imm := uint32(int32(int16(w)))
	g := &r.gpr
	switch w >> 26 {
	case opSpecial:
		rd := w >> 11 & 31
		sa := w >> 6 & 31
		var v uint32
		switch w & 0x3F {
		case fnSLL:
			v = g[rt] << sa
		case fnSRL:
			v = g[rt] >> sa
		case fnSRA:
			v = uint32(int32(g[rt]) >> sa)
		case fnSLLV:
			v = g[rt] << (g[rs] & 31)
		case fnSRLV:
			v = g[rt] >> (g[rs] & 31)
		case fnSRAV:
			v = uint32(int32(g[rt]) >> (g[rs] & 31))
		case fnJR:
			r.npc = g[rs] & imemMask
			return
		case fnJALR:
			target := g[rs]
			v = (pc + 8) & imemMask
			r.npc = target & imemMask
		case fnBREAK:
			r.brk()
			return
		case fnADD, fnADDU:
			v = g[rs] + g[rt]
		case fnSUB, fnSUBU:
			v = g[rs] - g[rt]
		case fnAND:
			v = g[rs] & g[rt]
		case fnOR:
			v = g[rs] | g[rt]
		case fnXOR:
			v = g[rs] ^ g[rt]
		case fnNOR:
			v = ^(g[rs] | g[rt])
		case fnSLT:
			v = b2u(int32(g[rs]) < int32(g[rt]))
		case fnSLTU:
			v = b2u(g[rs] < g[rt])
		default:
			return // reserved: no effect
		}
		g[rd] = v
	case opRegimm:
		var taken bool
		switch rt {
		case 0x00, 0x10: // BLTZ, BLTZAL
			taken = int32(g[rs]) < 0
		case 0x01, 0x11: // BGEZ, BGEZAL
			taken = int32(g[rs]) >= 0
		default:
			return
		}
		if rt&0x10 != 0 {
			// The link register is written whether or not the branch is
			// taken.
			g[31] = (pc + 8) & imemMask
		}
		if taken {
			r.npc = (pc + 4 + imm<<2) & imemMask
		}
	case opJ:
		r.npc = w << 2 & imemMask
	case opJAL:
		g[31] = (pc + 8) & imemMask
		r.npc = w << 2 & imemMask
	case opBEQ:
		if g[rs] == g[rt] {
			r.npc = (pc + 4 + imm<<2) & imemMask
		}
	case opBNE:
		if g[rs] != g[rt] {
			r.npc = (pc + 4 + imm<<2) & imemMask
		}
	case opBLEZ:
		if int32(g[rs]) <= 0 {
			r.npc = (pc + 4 + imm<<2) & imemMask
		}
	case opBGTZ:
		if int32(g[rs]) > 0 {
			r.npc = (pc + 4 + imm<<2) & imemMask
		}
	case opADDI, opADDIU:
		g[rt] = g[rs] + imm
	case opSLTI:
		g[rt] = b2u(int32(g[rs]) < int32(imm))
	case opSLTIU:
		g[rt] = b2u(g[rs] < imm)
	case opANDI:
		g[rt] = g[rs] & (w & 0xFFFF)
	case opORI:
		g[rt] = g[rs] | (w & 0xFFFF)
	case opXORI:
		g[rt] = g[rs] ^ (w & 0xFFFF)
	case opLUI:
		g[rt] = w << 16
	case opCOP0:
		rd := w >> 11 & 15
		switch rs {
		case 0x00: // MFC0
			g[rt] = r.readCop0(rd)
		case 0x04: // MTC0
			r.writeCop0(rd, g[rt])
		}
	case opCOP2:
		if w&(1<<25) != 0 {
			r.vector(w) // the hot path: no $0 to restore
			return
		}
		r.cop2(w)
	case opLB:
		g[rt] = uint32(int32(int8(r.DMEM[(g[rs]+imm)&dmemMask])))
	case opLH:
		g[rt] = uint32(int32(int16(r.load16(g[rs] + imm))))
	case opLW, opLWU:
		// The RSP has no 64-bit registers: LWU is LW (n64-systemtest
		// rsp op_lwu.rs).
		g[rt] = r.load32(g[rs] + imm)
	case opLBU:
		g[rt] = uint32(r.DMEM[(g[rs]+imm)&dmemMask])
	case opLHU:
		g[rt] = uint32(r.load16(g[rs] + imm))
	case opSB:
		r.DMEM[(g[rs]+imm)&dmemMask] = byte(g[rt])
	case opSH:
		a := g[rs] + imm
		r.DMEM[a&dmemMask] = byte(g[rt] >> 8)
		r.DMEM[(a+1)&dmemMask] = byte(g[rt])
	case opSW:
		a := g[rs] + imm
		v := g[rt]
		r.DMEM[a&dmemMask] = byte(v >> 24)
		r.DMEM[(a+1)&dmemMask] = byte(v >> 16)
		r.DMEM[(a+2)&dmemMask] = byte(v >> 8)
		r.DMEM[(a+3)&dmemMask] = byte(v)
	case opLWC2:
		r.vload(w)
	case opSWC2:
		r.vstore(w)
	}
	g[0] = 0
}

// load16 and load32 read DMEM big-endian at any alignment, wrapping from
// its last byte to its first (n64-systemtest rsp wrap_around.rs).
func (r *RSP) load16(a uint32) uint16 {
	return uint16(r.DMEM[a&dmemMask])<<8 | uint16(r.DMEM[(a+1)&dmemMask])
}

func (r *RSP) load32(a uint32) uint32 {
	if a&dmemMask <= MemSize-4 {
		return binary.BigEndian.Uint32(r.DMEM[a&dmemMask:])
	}
	return uint32(r.DMEM[a&dmemMask])<<24 | uint32(r.DMEM[(a+1)&dmemMask])<<16 |
		uint32(r.DMEM[(a+2)&dmemMask])<<8 | uint32(r.DMEM[(a+3)&dmemMask])
}

// brk is BREAK: the RSP halts and sets SP_STATUS.BROKE, and raises the SP
// interrupt when SP_STATUS.INTR_BREAK is set (n64brew "SP_STATUS").
func (r *RSP) brk() {
	r.status |= statusHalt | statusBroke
	if r.status&statusIntrBreak != 0 {
		r.mi.Raise(memory.IntrSP)
	}
}

// readCop0 is MFC0: c0-c7 are the SP registers as the CPU sees them at
// 0x0404_0000 (reading c7 takes the semaphore), c8-c15 the DP command
// registers at 0x0410_0000.
func (r *RSP) readCop0(c uint32) uint32 {
	if c < 8 {
		return r.readReg(c * 4)
	}
	if r.dp == nil {
		return 0
	}
	return r.dp.Read32(dpBase + (c-8)*4)
}

// writeCop0 is MTC0 to the same registers.
func (r *RSP) writeCop0(c, v uint32) {
	if c < 8 {
		r.writeReg(c*4, v)
		return
	}
	if r.dp != nil {
		r.dp.Write32(dpBase+(c-8)*4, v, 0xFFFF_FFFF)
	}
}

// dpBase is the physical address of DPC_START.
const dpBase = 0x0410_0000
