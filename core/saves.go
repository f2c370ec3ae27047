package core

import (
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/state"
)

// Save memory (DESIGN.md §4): the cartridge's EEPROM lives on the PIF's
// joybus channel 4, SRAM and FlashRAM on the PI bus; Controller Paks are
// in the PIF too (Machine.PIF.SetPak/Mempak). The core keeps them in
// memory only: reading and writing save files is the front end's business
// (internal/savefile), which watches SaveWrites.

// SetSaveType gives the cartridge save memory of type t, blank (EEPROM and
// FlashRAM erased to 0xFF, SRAM zero). New calls it with the ROM's
// detected type; a front end may call it again before the first frame to
// override that, then fill SaveData from a file.
func (m *Machine) SetSaveType(t cart.SaveType) {
	m.saveType = t
	m.cartSave = nil
	m.Cart.Save = nil
	m.PIF.SetEEPROM(nil)
	switch {
	case t.IsEEPROM():
		mem := make([]byte, t.Size())
		for i := range mem {
			mem[i] = 0xFF
		}
		m.PIF.SetEEPROM(mem)
	case t != cart.SaveNone:
		if s := m.newCartSave(t); s != nil {
			m.cartSave = s
			m.Cart.Save = s
		}
	}
}

// newCartSave is blank PI-bus save memory of type t on the machine's clock
// (FlashRAM's erase and program take time).
func (m *Machine) newCartSave(t cart.SaveType) cart.SaveMemory {
	s := cart.NewSaveMemory(t, nil)
	if f, ok := s.(*cart.Flash); ok {
		sch := m.Sched
		f.SetClock(func() uint64 { return sch.Now })
	}
	return s
}

// SaveType is the cartridge's save memory type.
func (m *Machine) SaveType() cart.SaveType { return m.saveType }

// SaveData is the cartridge save memory's contents in cartridge
// (big-endian) byte order, which the game writes in place; nil when the
// cartridge has none. A front end may copy a save file into it before the
// first frame.
func (m *Machine) SaveData() []byte {
	if m.saveType.IsEEPROM() {
		return m.PIF.EEPROM()
	}
	if m.cartSave != nil {
		return m.cartSave.Data()
	}
	return nil
}

// SaveWrites counts the game's writes to save memory (cartridge and
// Controller Paks); when it changes, the save files are out of date.
func (m *Machine) SaveWrites() uint64 {
	n := m.PIF.SaveWrites
	if m.cartSave != nil {
		n += m.cartSave.Writes()
	}
	return n
}

// serializeCartSave saves or restores the PI-bus save memory (the EEPROM
// is part of the PIF's state).
func (m *Machine) serializeCartSave(s *state.S) {
	t := uint8(m.saveType)
	s.U8(&t)
	if s.Loading() && cart.SaveType(t) != m.saveType {
		m.saveType = cart.SaveType(t)
		m.cartSave = m.newCartSave(m.saveType)
		m.Cart.Save = nil
		if m.cartSave != nil {
			m.Cart.Save = m.cartSave
		}
	}
	if m.cartSave != nil {
		m.cartSave.Serialize(s)
	}
}

// Mempak is the SRAM of the Controller Pak in port (nil when none).
func (m *Machine) Mempak(port int) []byte { return m.PIF.Mempak(port) }
