// Package pif is the PIF-NUS as the rest of the machine sees it: the 64
// bytes of PIF RAM the SI reaches by DMA (and the CPU by loads and stores),
// the control byte at its end, and the joybus transactions the PIF runs
// with the controllers and the cartridge (n64brew "PIF-NUS", "Joybus
// Protocol", "Serial Interface").
//
// We boot at a high level (DESIGN.md §4): the PIF ROM's IPL1/IPL2 and the
// CIC handshake are not run, so the PIF starts in the state the real one is
// in once IPL2 has handed over to the cartridge's IPL3 — waiting for the
// IPL3 to write the "boot done" bit.
//
// Ports are numbered from 0: port 0 is the socket labelled 1 on the
// console. Joybus channels 0-3 are the four controller ports, channel 4 is
// the cartridge (EEPROM; no RTC yet).
package pif

import (
	"errors"

	"github.com/n64go/n64/core/state"
)

var errBadEEPROMSize = errors.New("pif: EEPROM size in state is neither 4 Kbit nor 16 Kbit")

// Buttons is a standard controller's button word as the joybus "read
// buttons" command (0x01) returns it in its first two bytes, high byte
// first (n64brew "Joybus Protocol", 0x01 Controller State).
type Buttons uint16

// Standard controller button bits.
const (
	ButtonA     Buttons = 0x8000
	ButtonB     Buttons = 0x4000
	ButtonZ     Buttons = 0x2000
	ButtonStart Buttons = 0x1000
	DUp         Buttons = 0x0800
	DDown       Buttons = 0x0400
	DLeft       Buttons = 0x0200
	DRight      Buttons = 0x0100
	// ButtonReset is the RST bit a real controller reports while L, R and
	// Start are held (it then also clears Start and re-centres the stick).
	// The PIF passes the InputSource's word through unchanged, so a source
	// that wants this behaviour sets the bit itself.
	ButtonReset Buttons = 0x0080
	ButtonL     Buttons = 0x0020
	ButtonR     Buttons = 0x0010
	CUp         Buttons = 0x0008
	CDown       Buttons = 0x0004
	CLeft       Buttons = 0x0002
	CRight      Buttons = 0x0001
)

// Input is one reading of a standard controller: the button word and the
// analog stick (two's complement, +X right, +Y up).
type Input struct {
	Buttons Buttons
	X, Y    int8
}

// InputSource supplies controller readings (DESIGN.md §6). Input is called
// exactly once per joybus "read buttons" command the game sends to a
// plugged controller, from the core's goroutine; each call is one input
// event for that port.
type InputSource interface {
	Input(port int) Input
}

// NumPorts is the number of controller ports.
const NumPorts = 4

// RAMSize is the size of PIF RAM.
const RAMSize = 64

// PIF RAM control byte (the last byte, 0x1FC0_07FF) bits, per n64brew
// "PIF-NUS" and the PIF ROM's command loop as ares models it.
const (
	ctlJoybus    = 0x01 // configure the joybus channels from RAM (on a write)
	ctlChallenge = 0x02 // CIC-NUS-6105 challenge/response (on a read)
	ctlBootDone  = 0x08 // IPL3 → PIF: boot finished ("terminate boot process")
	// 0x10 (lock the PIF ROM), 0x20 (acquire checksum, answered with 0x80)
	// and 0x40 (check checksum) are IPL2's handshake during boot, which the
	// high-level boot skips; after boot the PIF ignores them.
	controlByte = RAMSize - 1
)

// ramBase is the offset of PIF RAM in the PIF's 2 KiB window
// (0x1FC0_07C0; n64brew "Serial Interface": 0x000-0x7BF ROM, 0x7C0-0x7FF RAM).
const ramBase = 0x7C0

// PIF is the PIF chip: its RAM, the joybus channel setup and the devices
// plugged into the controller ports.
type PIF struct {
	ram [RAMSize]byte

	// chans is the joybus setup the last configure (control bit 0x01)
	// parsed; every 64-byte SI read runs it again.
	chans [numChannels]channel

	plugged [NumPorts]bool

	// bootDone is set once the IPL3 has written the boot-done bit.
	bootDone bool

	// ReadsByPort counts the "read buttons" commands answered per port:
	// the input events of DESIGN.md §6, which netplay numbers.
	ReadsByPort [NumPorts]uint64

	// paks are the accessories in the controllers' ports.
	paks [NumPorts]pak

	// eeprom is the cartridge EEPROM (nil: none), busy with a write until
	// the CPU cycle eepBusyUntil.
	eeprom       []byte
	eepBusyUntil uint64

	// SaveWrites counts writes to save memory (EEPROM blocks, Controller
	// Pak blocks): a front end that sees it change knows to write the save
	// files. It is host bookkeeping, not machine state.
	SaveWrites uint64

	src InputSource
	now func() uint64
}

// New returns a PIF with a standard controller (without a pak) in port 0
// and the other ports empty, in the state after IPL2 (waiting for the IPL3
// to finish booting).
func New() *PIF {
	p := &PIF{}
	p.plugged[0] = true
	return p
}

// SetInput sets where controller readings come from; nil reads as a
// controller with nothing pressed and the stick centred.
func (p *PIF) SetInput(src InputSource) { p.src = src }

// SetPlugged plugs a standard controller into port (0-3) or removes it.
// Other port numbers are ignored.
func (p *PIF) SetPlugged(port int, plugged bool) {
	if port >= 0 && port < NumPorts {
		p.plugged[port] = plugged
	}
}

// Plugged reports whether a controller is plugged into port.
func (p *PIF) Plugged(port int) bool {
	return port >= 0 && port < NumPorts && p.plugged[port]
}

// RAM gives direct access to PIF RAM (for the boot code, debuggers, tests).
func (p *PIF) RAM() *[RAMSize]byte { return &p.ram }

// DMAWrite is an SI DMA from RDRAM into PIF RAM (the SI's 64-byte write,
// "WR64B"). The PIF then acts on the control byte: bit 0x01 makes it parse
// the command blocks into its joybus channel setup.
func (p *PIF) DMAWrite(src *[RAMSize]byte) {
	p.ram = *src
	p.written()
}

// DMARead is an SI DMA from PIF RAM into RDRAM (the SI's 64-byte read,
// "RD64B"). Before answering, the PIF runs the joybus transactions of its
// channel setup and stores the results in PIF RAM (n64brew "Serial
// Interface": the PIF runs the joybus handshake on RD64B, then sends the
// RAM), so this is where the controllers are read.
func (p *PIF) DMARead(dst *[RAMSize]byte) {
	if p.ram[controlByte]&ctlChallenge != 0 {
		// The CIC-NUS-6105 challenge (cic6105.go); as on the real PIF, no
		// joybus commands run on this read.
		p.answerChallenge()
	} else {
		p.runJoybus()
	}
	*dst = p.ram
}

// Read32 implements memory.Device for the PIF's window at 0x1FC0_0000
// (mirrored every 2 KiB): the PIF ROM reads 0 (it is locked out after
// boot, and we boot without it), PIF RAM reads big-endian.
func (p *PIF) Read32(paddr uint32) uint32 {
	a := paddr & 0x7FC
	if a < ramBase {
		return 0
	}
	m := p.ram[a-ramBase:]
	return uint32(m[0])<<24 | uint32(m[1])<<16 | uint32(m[2])<<8 | uint32(m[3])
}

// Write32 implements memory.Device. Only the bytes selected by mask change
// (n64-systemtest "pifram: SH/SB" shows real hardware zero-filling the other
// lanes of the word instead; our bus does not carry the whole register for
// narrow stores, so the masked form is kept). Writes to the ROM area are
// dropped. A write of the control byte is acted on as after an SI write.
func (p *PIF) Write32(paddr, v, mask uint32) {
	a := paddr & 0x7FC
	if a < ramBase {
		return
	}
	i := a - ramBase
	for b := uint32(0); b < 4; b++ {
		shift := 24 - 8*b
		if mask>>shift&0xFF != 0 {
			p.ram[i+b] = byte(v >> shift)
		}
	}
	p.written()
}

// written acts on the control byte after PIF RAM was written (by DMA or by
// the CPU).
func (p *PIF) written() {
	c := p.ram[controlByte]
	if c&ctlJoybus != 0 {
		p.chans = configure(&p.ram)
		c &^= ctlJoybus
	}
	if !p.bootDone && c&ctlBootDone != 0 {
		// The PIF leaves its boot loop and clears the whole byte (the
		// IPL3 must do this within about 5 s of reset, or the PIF halts
		// the console; not modelled).
		p.bootDone = true
		c = 0
	}
	p.ram[controlByte] = c
}

// Serialize saves or restores the PIF: RAM, channel setup, ports, boot
// state and the input event counters. The InputSource is host wiring, not
// state.
func (p *PIF) Serialize(s *state.S) {
	s.Raw(p.ram[:])
	for i := range p.chans {
		p.chans[i].serialize(s)
	}
	for i := range p.plugged {
		s.Bool(&p.plugged[i])
	}
	s.Bool(&p.bootDone)
	s.U64s(p.ReadsByPort[:])
	for i := range p.paks {
		p.paks[i].serialize(s)
	}
	p.serializeEEPROM(s)
}
