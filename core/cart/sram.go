package cart

import "github.com/n64go/n64/core/state"

// SRAM is battery-backed SRAM on the PI bus at 0x0800_0000 (n64brew
// "SRAM"): 256 Kbit answer at 0x0800_0000-0x0800_7FFF (mirrored through
// the bank); the 768 Kbit cartridges (Dezaemon 3D) have 3 such banks, bank
// n at 0x0800_0000 + n×0x4_0000 (address bits 18-19 select the bank; bank
// 3 does not exist and mirrors bank 0). The 1 Mbit homebrew type is one
// contiguous 128 KiB at 0x0800_0000-0x0801_FFFF, as SummerCart64 maps it
// (meeq's SaveTest names it "SRAM 1MBIT (Contiguous)").
type SRAM struct {
	data   []byte
	banks  int // 1 or 3 banks of 32 KiB; 4 means contiguous 128 KiB
	writes uint64
}

func (m *SRAM) offset(addr uint32) int {
	if m.banks == 4 {
		return int(addr & (SRAM1MSize - 2))
	}
	bank := int(addr>>18) & 3
	if bank >= m.banks {
		bank = 0
	}
	return bank*SRAM256KSize + int(addr&(SRAM256KSize-1)&^1)
}

// ReadHalf reads a big-endian halfword.
func (m *SRAM) ReadHalf(addr uint32) uint16 {
	o := m.offset(addr)
	return uint16(m.data[o])<<8 | uint16(m.data[o+1])
}

// WriteHalf writes a big-endian halfword.
func (m *SRAM) WriteHalf(addr uint32, v uint16) {
	o := m.offset(addr)
	if m.data[o] != byte(v>>8) || m.data[o+1] != byte(v) {
		m.data[o], m.data[o+1] = byte(v>>8), byte(v)
		m.writes++
	}
}

// StartBurst implements SaveMemory: SRAM is addressed per access.
func (m *SRAM) StartBurst(uint32) {}

// Data implements SaveMemory.
func (m *SRAM) Data() []byte { return m.data }

// Writes implements SaveMemory.
func (m *SRAM) Writes() uint64 { return m.writes }

// Serialize implements SaveMemory: the contents.
func (m *SRAM) Serialize(s *state.S) { s.Raw(m.data) }
