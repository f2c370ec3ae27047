package pif

import "github.com/n64go/n64/core/state"

// PakKind is what is plugged into a controller's accessory port.
type PakKind uint8

// Accessories (n64brew "Controller Pak", "Rumble Pak", "Transfer Pak").
const (
	PakNone       PakKind = iota // empty accessory port
	PakController                // Controller Pak: 32 KiB of battery-backed SRAM
	PakRumble                    // Rumble Pak: a motor switched at 0xC000
	PakTransfer                  // Transfer Pak: identified only (power register at 0x8000)
)

func (k PakKind) String() string {
	switch k {
	case PakNone:
		return "none"
	case PakController:
		return "controller"
	case PakRumble:
		return "rumble"
	case PakTransfer:
		return "transfer"
	}
	return "unknown"
}

// MempakSize is the size of a Controller Pak's SRAM (256 Kbit).
const MempakSize = 32 << 10

// Accessory address space (n64brew "Joybus Protocol", 0x02/0x03; libdragon
// joybus_accessory_internal.h): the 16-bit address sent with a pak command
// is a 32-byte-aligned offset (bits 15-5) and a 5-bit CRC of it (bits 4-0).
const (
	pakAddrMask   = 0xFFE0
	pakAddrCRC    = 0x001F
	pakProbe      = 0x8000 // identification area of rumble and transfer paks
	pakRumbleCtl  = 0xC000 // Rumble Pak motor
	pakBlock      = 32     // bytes per pak read/write
	tpakPowerOn   = 0x84   // Transfer Pak: written at 0x8000 to power on, read back while on
	rumbleProbeID = 0x80   // Rumble Pak: every byte read at 0x8000-0x8FFF
)

// pak is the accessory plugged into one controller.
type pak struct {
	kind   PakKind
	mem    []byte // PakController: MempakSize bytes, shared with the front end
	motor  bool   // PakRumble: motor on
	power  bool   // PakTransfer: powered on
	crcErr bool   // the last pak command's address CRC was wrong (status bit 0x04)
}

// addrCRC is the 5-bit CRC a pak address carries in its low bits: the
// address bits 15-5, then five zero bits, through the polynomial
// x^5+x^4+x^2+1 (0x15), MSB first (n64brew "Joybus Protocol", 0x02 Read
// Controller Accessory: "address checksum").
func addrCRC(addr uint16) byte {
	var crc byte
	for bit := 15; bit >= 0; bit-- {
		var in byte
		if bit >= 5 {
			in = byte(addr>>uint(bit)) & 1
		}
		top := crc & 0x10
		crc = (crc<<1 | in) & 0x1F
		if top != 0 {
			crc ^= 0x15
		}
	}
	return crc
}

// read fills out (32 bytes) from the pak at the 32-byte-aligned address a.
func (k *pak) read(a uint16, out []byte) {
	clear(out)
	switch k.kind {
	case PakController:
		// The 32 KiB SRAM answers 0x0000-0x7FFF; above it nothing drives
		// the bus and the data reads 0 (as mupen64plus and ares answer).
		if int(a)+pakBlock <= len(k.mem) {
			copy(out, k.mem[a:int(a)+pakBlock])
		}
	case PakRumble:
		// Reads of 0x8000-0x8FFF identify the Rumble Pak with 0x80 in
		// every byte (libultra osMotorInit; n64brew "Rumble Pak").
		if a>>12 == pakProbe>>12 {
			for i := range out {
				out[i] = rumbleProbeID
			}
		}
	case PakTransfer:
		// Identification only: 0x8000 reads 0x84 while powered on, 0x00
		// while off (n64brew "Transfer Pak").
		if a>>12 == pakProbe>>12 && k.power {
			for i := range out {
				out[i] = tpakPowerOn
			}
		}
	}
}

// write stores 32 bytes at the 32-byte-aligned address a; it reports
// whether save memory changed.
func (k *pak) write(a uint16, data []byte) bool {
	switch k.kind {
	case PakController:
		if int(a)+pakBlock <= len(k.mem) {
			copy(k.mem[a:int(a)+pakBlock], data)
			return true
		}
	case PakRumble:
		// 0xC000-0xCFFF: the motor turns on for 0x01, off for 0x00 in the
		// block (libultra writes 32 equal bytes; the last one is used).
		if a>>12 == pakRumbleCtl>>12 {
			k.motor = data[pakBlock-1]&1 != 0
		}
	case PakTransfer:
		if a>>12 == pakProbe>>12 {
			k.power = data[pakBlock-1] == tpakPowerOn
		}
	}
	return false
}

// SetPak plugs an accessory into the controller in port (0-3), replacing
// what was there. For PakController, mem is the pak's SRAM (MempakSize
// bytes, kept and written in place; nil gives a blank pak); other kinds
// ignore mem.
func (p *PIF) SetPak(port int, kind PakKind, mem []byte) {
	if port < 0 || port >= NumPorts {
		return
	}
	k := pak{kind: kind}
	if kind == PakController {
		if len(mem) != MempakSize {
			mem = make([]byte, MempakSize)
		}
		k.mem = mem
	}
	p.paks[port] = k
}

// Pak reports the accessory in port.
func (p *PIF) Pak(port int) PakKind {
	if port < 0 || port >= NumPorts {
		return PakNone
	}
	return p.paks[port].kind
}

// Mempak is the SRAM of the Controller Pak in port, written in place by
// the game, or nil when another accessory (or none) is plugged.
func (p *PIF) Mempak(port int) []byte {
	if port < 0 || port >= NumPorts {
		return nil
	}
	return p.paks[port].mem
}

// Rumble reports whether the Rumble Pak in port has its motor on.
func (p *PIF) Rumble(port int) bool {
	return port >= 0 && port < NumPorts && p.paks[port].kind == PakRumble && p.paks[port].motor
}

func (k *pak) serialize(s *state.S) {
	kind := uint8(k.kind)
	s.U8(&kind)
	if s.Loading() {
		if kind > uint8(PakTransfer) {
			kind = uint8(PakNone)
		}
		k.kind = PakKind(kind)
		if k.kind == PakController && len(k.mem) != MempakSize {
			k.mem = make([]byte, MempakSize)
		}
		if k.kind != PakController {
			k.mem = nil
		}
	}
	if k.kind == PakController {
		s.Raw(k.mem)
	}
	s.Bool(&k.motor)
	s.Bool(&k.power)
	s.Bool(&k.crcErr)
}
