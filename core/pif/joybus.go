package pif

import (
	"errors"

	"github.com/n64go/n64/core/state"
)

// Joybus channels: the four controller ports, then the cartridge.
const (
	numChannels = NumPorts + 1
	cartChannel = NumPorts
)

// Command-block bytes in PIF RAM (n64brew "PIF-NUS" / the joybus layout
// notes on n64brew): a block is a TX length byte, an RX length byte, TX
// bytes (the first is the joybus command), then room for RX bytes. In
// place of a block a single byte may stand for:
const (
	blockSkip  = 0x00 // no command for this channel; go to the next one
	blockReset = 0xFD // reset this channel's device, then the next one
	blockEnd   = 0xFE // no more commands: the remaining channels are idle
	blockNop   = 0xFF // padding, ignored
)

// TX length byte flags (bits 0-5 are the length) and RX length byte error
// flags the PIF writes back (bits 0-5 are the expected length).
const (
	txSkip     = 0x80 // skip this channel (like blockSkip)
	txReset    = 0x40 // reset this channel's device (like blockReset)
	lenMask    = 0x3F
	rxNoDevice = 0x80 // no device answered (nothing plugged, or no reply)
	rxOverrun  = 0x40 // the device sent more bytes than RX asked for
)

// channel is one joybus channel's setup: where its command block starts
// in PIF RAM, or that it is idle or to be reset.
type channel struct {
	offset uint8 // index of the block's TX length byte
	active bool  // a command block was found for this channel
	reset  bool  // a 0xFD byte stood for this channel
}

func (c *channel) serialize(s *state.S) {
	s.U8(&c.offset)
	s.Bool(&c.active)
	s.Bool(&c.reset)
	if s.Loading() && c.offset >= controlByte {
		s.Fail(errors.New("pif: joybus channel offset out of range"))
	}
}

// configure parses the command blocks in ram into a channel setup, as the
// PIF does when the control byte's 0x01 bit is written. It is a pure
// function of the RAM contents. Channels after a 0xFE byte, after the end
// of RAM, or whose block would run into the control byte are idle.
func configure(ram *[RAMSize]byte) (ch [numChannels]channel) {
	i, c := 0, 0
	for c < numChannels && i < controlByte {
		b := ram[i]
		switch b {
		case blockEnd:
			return ch
		case blockNop:
			i++
			continue
		case blockSkip:
			c++
			i++
			continue
		case blockReset:
			ch[c].reset = true
			c++
			i++
			continue
		}
		// A command block. Its flags in the TX byte are looked at when it
		// runs; the lengths here only find the next block.
		end := i + 2 + int(b&lenMask) + int(ram[i+1]&lenMask)
		if end >= RAMSize {
			// The block would reach the control byte (or beyond): the
			// PIF stops parsing here.
			return ch
		}
		ch[c] = channel{offset: uint8(i), active: true}
		c++
		i = end
	}
	return ch
}

// runJoybus runs the transactions of the channel setup against the
// devices, writing responses and RX error flags into PIF RAM. The lengths
// and command bytes are read from RAM again now, so a game may rewrite a
// block in place (without the 0x01 bit) and read again. Channels run in
// port order 0-4.
func (p *PIF) runJoybus() {
	var resp [RAMSize]byte
	for c := 0; c < numChannels; c++ {
		ch := p.chans[c]
		if ch.reset {
			p.resetDevice(c)
			continue
		}
		if !ch.active {
			continue
		}
		at := int(ch.offset)
		tx := p.ram[at]
		if tx&txSkip != 0 || tx == blockSkip {
			continue
		}
		if tx&txReset != 0 {
			p.resetDevice(c)
			continue
		}
		txLen := int(tx & lenMask)
		rxLen := int(p.ram[at+1] & lenMask)
		txAt := at + 2
		rxAt := txAt + txLen
		if rxAt+rxLen >= RAMSize {
			continue // the block no longer fits before the control byte
		}
		n, ok := p.command(c, p.ram[txAt:rxAt], &resp)
		flags := byte(0)
		switch {
		case !ok:
			flags = rxNoDevice
		case n > rxLen:
			flags = rxOverrun
			copy(p.ram[rxAt:rxAt+rxLen], resp[:rxLen])
		default:
			// A shorter answer fills the first n bytes; the rest keep
			// what the game put there.
			copy(p.ram[rxAt:rxAt+n], resp[:n])
		}
		// The flags replace those of an earlier run of the same block.
		p.ram[at+1] = byte(rxLen) | flags
	}
}

// command sends one joybus command (tx, whose first byte is the command)
// to channel c's device and returns the response in resp[:n], or ok=false
// when nothing answers.
func (p *PIF) command(c int, tx []byte, resp *[RAMSize]byte) (n int, ok bool) {
	if c == cartChannel {
		// The cartridge's EEPROM, when it has one (no RTC yet).
		return p.eepromCommand(tx, resp)
	}
	if !p.plugged[c] {
		return 0, false
	}
	return p.controllerCommand(c, tx, resp)
}

// resetDevice handles a channel reset (0xFD, or TX flag 0x40): the device
// gets the reset command and the answer is discarded. A standard
// controller keeps little state that a reset changes (a real one
// re-centres its stick; our readings come already centred): the pak
// address-CRC error flag and a running rumble motor stop.
func (p *PIF) resetDevice(c int) {
	if c < NumPorts && p.plugged[c] {
		p.paks[c].crcErr = false
		p.paks[c].motor = false
	}
}
