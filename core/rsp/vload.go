package rsp

// Vector loads and stores (LWC2/SWC2; n64brew "RSP Vector Instructions"
// loads and stores; the edge cases as ares models them and n64-systemtest
// op_vector_loads.rs / op_vector_stores.rs measure them). The rd field
// selects the instruction, bits 10-7 are the element (a byte index into
// the register), bits 6-0 a signed offset scaled by the access size.
// Every DMEM access wraps within DMEM's 4 KiB.

// LWC2/SWC2 sub-opcodes.
const (
	lsB = 0x00 // LBV/SBV
	lsS = 0x01 // LSV/SSV
	lsL = 0x02 // LLV/SLV
	lsD = 0x03 // LDV/SDV
	lsQ = 0x04 // LQV/SQV
	lsR = 0x05 // LRV/SRV
	lsP = 0x06 // LPV/SPV
	lsU = 0x07 // LUV/SUV
	lsH = 0x08 // LHV/SHV
	lsF = 0x09 // LFV/SFV
	lsW = 0x0A // LWV/SWV
	lsT = 0x0B // LTV/STV
)

// lsShift is the offset scale (log2 bytes) of each sub-opcode.
var lsShift = [16]uint32{0, 1, 2, 3, 4, 4, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4}

func (r *RSP) rd8(a uint32) byte    { return r.DMEM[a&dmemMask] }
func (r *RSP) wr8(a uint32, b byte) { r.DMEM[a&dmemMask] = b }

// lsDecode returns the register, element, sub-opcode and address of a
// vector load or store.
func (r *RSP) lsDecode(w uint32) (vt, e, op, addr uint32) {
	vt = w >> 16 & 31
	op = w >> 11 & 31
	e = w >> 7 & 15
	off := uint32(int32(w<<25) >> 25)
	addr = r.gpr[w>>21&31] + off<<lsShift[op&15]
	return
}

// vload executes LWC2.
func (r *RSP) vload(w uint32) {
	vt, e, op, addr := r.lsDecode(w)
	v := &r.vr[vt]
	if op <= lsF {
		// The single-register loads (LWV writes nothing; LTV's group
		// write is not tracked).
		r.noteLoad(vt)
	}
	switch op {
	case lsB, lsS, lsL, lsD:
		// Bytes past the end of the register are not loaded.
		n := uint32(1) << lsShift[op]
		for i := uint32(0); i < n && e+i < 16; i++ {
			setByte(v, e+i, r.rd8(addr+i))
		}
	case lsQ:
		// Up to the end of the 16-byte-aligned DMEM line.
		end := min(e+16-addr&15, 16)
		for i := e; i < end; i++ {
			setByte(v, i, r.rd8(addr))
			addr++
		}
	case lsR:
		// The bytes of the aligned line before addr, into the end of the
		// register.
		start := 16 - (addr & 15) + e
		addr &^= 15
		for i := start; i < 16; i++ {
			setByte(v, i, r.rd8(addr))
			addr++
		}
	case lsP, lsU:
		// Eight bytes into the lanes' top bits (LPV) or bits 14-7 (LUV),
		// rotating within the aligned 16 bytes.
		shift := uint16(8)
		if op == lsU {
			shift = 7
		}
		idx := addr&7 - e
		addr &^= 7
		for i := range uint32(8) {
			v[i] = uint16(r.rd8(addr+(idx+i)&15)) << shift
		}
	case lsH:
		idx := addr&7 - e
		addr &^= 7
		for i := range uint32(8) {
			v[i] = uint16(r.rd8(addr+(idx+2*i)&15)) << 7
		}
	case lsF:
		// Four bytes of every fourth, twice, into a temporary vector
		// whose bytes e..e+7 are then loaded. Lane 0 reads at +e where
		// the others read at -e (n64-systemtest op_vector_loads.rs LFV,
		// measured on hardware).
		idx := addr&7 - e
		mis := addr & 7
		addr &^= 7
		var tmp [8]uint16
		for i := range uint32(4) {
			tmp[i] = uint16(r.rd8(addr+(idx+4*i)&15)) << 7
			tmp[i+4] = uint16(r.rd8(addr+(idx+4*i+8)&15)) << 7
		}
		tmp[0] = uint16(r.rd8(addr+(mis+e)&15)) << 7
		for i := e; i < min(e+8, 16); i++ {
			setByte(v, i, getByte(&tmp, i))
		}
	case lsW:
		// LWV does not load anything on hardware: krom
		// RSPTest/CP2/LOADSTORE/LWV shows the register unchanged for
		// every element (unlike SWV).
	case lsT:
		// LTV: a transposed load into the eight registers of vt's group,
		// one lane of each (a diagonal).
		begin := addr &^ 7
		addr = begin + (e+addr&8)&15
		base := vt &^ 7
		off := e >> 1
		for i := range uint32(8) {
			reg := &r.vr[base+off]
			setByte(reg, 2*i, r.rd8(addr))
			addr++
			if addr == begin+16 {
				addr = begin
			}
			setByte(reg, 2*i+1, r.rd8(addr))
			addr++
			if addr == begin+16 {
				addr = begin
			}
			off = (off + 1) & 7
		}
	}
	// Sub-opcodes 0x0C-0x1F load nothing.
}

// vstore executes SWC2.
func (r *RSP) vstore(w uint32) {
	vt, e, op, addr := r.lsDecode(w)
	v := &r.vr[vt]
	switch op {
	case lsB, lsS, lsL, lsD:
		// Bytes wrap around within the register.
		n := uint32(1) << lsShift[op]
		for i := range n {
			r.wr8(addr+i, getByte(v, (e+i)&15))
		}
	case lsQ:
		end := e + 16 - addr&15
		for i := e; i < end; i++ {
			r.wr8(addr, getByte(v, i&15))
			addr++
		}
	case lsR:
		end := e + addr&15
		base := 16 - addr&15
		addr &^= 15
		for i := e; i < end; i++ {
			r.wr8(addr, getByte(v, (i+base)&15))
			addr++
		}
	case lsP, lsU:
		// Bytes 0-7 of the walk store a lane's top byte (SPV) or bits
		// 14-7 (SUV), bytes 8-15 the other form.
		for i := e; i < e+8; i++ {
			hi := i&15 < 8
			if op == lsU {
				hi = !hi
			}
			if hi {
				r.wr8(addr, getByte(v, (i&7)<<1))
			} else {
				r.wr8(addr, byte(v[i&7]>>7))
			}
			addr++
		}
	case lsH:
		idx := addr & 7
		addr &^= 7
		for i := range uint32(8) {
			b := e + 2*i
			x := getByte(v, b&15)<<1 | getByte(v, (b+1)&15)>>7
			r.wr8(addr+(idx+2*i)&15, x)
		}
	case lsF:
		// SFV stores four lanes' bits 14-7 in every fourth byte; which
		// lanes depends on the element, and elements other than those
		// listed store zeros (ares' measured table).
		base := addr & 7
		addr &^= 7
		lanes, ok := sfvLanes(e)
		for i := range uint32(4) {
			var x byte
			if ok {
				x = byte(v[lanes[i]] >> 7)
			}
			r.wr8(addr+(base+4*i)&15, x)
		}
	case lsW:
		// SWV: the register rotated by e into the aligned 16 bytes,
		// starting at addr's offset in them.
		base := addr & 7
		addr &^= 7
		for i := e; i < e+16; i++ {
			r.wr8(addr+base&15, getByte(v, i&15))
			base++
		}
	case lsT:
		// STV: a transposed store from the eight registers of vt's group.
		start := vt &^ 7
		el := 16 - e&^1
		base := addr&7 - e&^1
		addr &^= 7
		for reg := start; reg < start+8; reg++ {
			x := &r.vr[reg]
			r.wr8(addr+base&15, getByte(x, el&15))
			base++
			el++
			r.wr8(addr+base&15, getByte(x, el&15))
			base++
			el++
		}
	}
}

// sfvLanes gives the four lanes SFV stores for element e.
func sfvLanes(e uint32) ([4]uint8, bool) {
	switch e {
	case 0, 15:
		return [4]uint8{0, 1, 2, 3}, true
	case 1:
		return [4]uint8{6, 7, 4, 5}, true
	case 4:
		return [4]uint8{1, 2, 3, 0}, true
	case 5:
		return [4]uint8{7, 4, 5, 6}, true
	case 8:
		return [4]uint8{4, 5, 6, 7}, true
	case 11:
		return [4]uint8{3, 0, 1, 2}, true
	case 12:
		return [4]uint8{5, 6, 7, 4}, true
	}
	return [4]uint8{}, false
}
