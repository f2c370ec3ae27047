package pif

import "github.com/n64go/n64/core/state"

// Cartridge EEPROM on joybus channel 4 (n64brew "EEPROM", "Joybus
// Protocol"): 4 Kbit (64 blocks) or 16 Kbit (256 blocks) of 8-byte blocks.
const (
	EEPROM4KSize  = 512
	EEPROM16KSize = 2048
	eepBlock      = 8

	jbEEPROMRead  = 0x04 // TX 2 (command, block), RX 8
	jbEEPROMWrite = 0x05 // TX 10 (command, block, 8 bytes), RX 1

	// Identify answers: type 0x0080 for 4 Kbit, 0x00C0 for 16 Kbit, then a
	// status byte whose 0x80 bit means a write is still in progress.
	eepType4K   = 0x80
	eepType16K  = 0xC0
	eepBusyFlag = 0x80

	// EEPROMWriteCycles is how long a block write keeps the EEPROM busy:
	// 15 ms of the 93.75 MHz CPU clock (n64brew "EEPROM": a write takes up
	// to 15 ms, during which the status byte reports busy; libultra waits
	// that long between blocks).
	EEPROMWriteCycles = 93_750_000 * 15 / 1000
)

// SetEEPROM installs cartridge EEPROM on channel 4: mem must be
// EEPROM4KSize or EEPROM16KSize bytes and is read and written in place
// (its length picks the chip); nil (or another length) removes it.
func (p *PIF) SetEEPROM(mem []byte) {
	if len(mem) != EEPROM4KSize && len(mem) != EEPROM16KSize {
		mem = nil
	}
	p.eeprom = mem
	p.eepBusyUntil = 0
}

// EEPROM is the cartridge EEPROM's memory (nil: none).
func (p *PIF) EEPROM() []byte { return p.eeprom }

// SetClock sets where the PIF reads the current CPU cycle (for the
// EEPROM's write busy time); nil reads 0.
func (p *PIF) SetClock(now func() uint64) { p.now = now }

func (p *PIF) cycle() uint64 {
	if p.now == nil {
		return 0
	}
	return p.now()
}

// eepromCommand answers a joybus command on the cartridge channel.
func (p *PIF) eepromCommand(tx []byte, resp *[RAMSize]byte) (n int, ok bool) {
	if p.eeprom == nil || len(tx) == 0 {
		return 0, false
	}
	blocks := len(p.eeprom) / eepBlock
	switch tx[0] {
	case jbInfo, jbReset:
		resp[0], resp[1], resp[2] = 0x00, eepType4K, 0x00
		if len(p.eeprom) == EEPROM16KSize {
			resp[1] = eepType16K
		}
		if p.cycle() < p.eepBusyUntil {
			resp[2] = eepBusyFlag
		}
		return 3, true
	case jbEEPROMRead:
		if len(tx) < 2 {
			return 0, false
		}
		// The 4 Kbit chip decodes 6 block bits, the 16 Kbit one 8.
		at := int(tx[1]) % blocks * eepBlock
		copy(resp[:eepBlock], p.eeprom[at:at+eepBlock])
		return eepBlock, true
	case jbEEPROMWrite:
		if len(tx) < 2+eepBlock {
			return 0, false
		}
		at := int(tx[1]) % blocks * eepBlock
		copy(p.eeprom[at:at+eepBlock], tx[2:2+eepBlock])
		p.SaveWrites++
		p.eepBusyUntil = p.cycle() + EEPROMWriteCycles
		resp[0] = 0x00
		return 1, true
	}
	return 0, false
}

func (p *PIF) serializeEEPROM(s *state.S) {
	size := uint32(len(p.eeprom))
	s.U32(&size)
	if s.Loading() {
		switch size {
		case 0:
			p.eeprom = nil
		case EEPROM4KSize, EEPROM16KSize:
			if len(p.eeprom) != int(size) {
				p.eeprom = make([]byte, size)
			}
		default:
			s.Fail(errBadEEPROMSize)
			return
		}
	}
	if p.eeprom != nil {
		s.Raw(p.eeprom)
	}
	s.U64(&p.eepBusyUntil)
}
