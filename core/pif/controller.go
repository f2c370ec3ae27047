package pif

// Joybus commands a standard controller understands (n64brew "Joybus
// Protocol", command list: TX/RX lengths 1/3, 1/3, 1/4, 3/33, 35/1).
const (
	jbInfo        = 0x00 // identify: device type and status
	jbReadButtons = 0x01 // controller state: buttons and stick
	jbPakRead     = 0x02 // read 32 bytes from the accessory (pak) port
	jbPakWrite    = 0x03 // write 32 bytes to the accessory port
	jbReset       = 0xFF // reset, then answer as jbInfo
)

// Identify answer of a standard controller: type 0x0500, then a status
// byte whose 0x01 bit means a pak is plugged and 0x02 that none is
// (n64brew "Joybus Protocol", 0x00 Info).
const (
	controllerType0 = 0x05
	controllerType1 = 0x00
	statusPak       = 0x01
	statusNoPak     = 0x02
	// statusAddrCRCError: the last pak command's address CRC was wrong
	// (n64brew "Joybus Protocol", 0x00 Info status bit 2).
	statusAddrCRCError = 0x04
)

// controllerCommand answers a command sent to the standard controller in
// port. A command the controller does not know, or one cut short (fewer
// TX bytes than it needs), gets no answer. Extra TX bytes are ignored.
//
// Pak reads and writes go to the accessory (paks.go). With nothing in the
// accessory port the controller answers them with the data CRC inverted,
// which is how software tells "no pak" from a CRC error (libdragon
// joybus_accessory: received CRC == ~expected means disconnected).
func (p *PIF) controllerCommand(port int, tx []byte, resp *[RAMSize]byte) (n int, ok bool) {
	if len(tx) == 0 {
		return 0, false
	}
	k := &p.paks[port]
	switch tx[0] {
	case jbInfo, jbReset:
		status := byte(statusNoPak)
		if k.kind != PakNone {
			status = statusPak
		}
		if k.crcErr {
			status |= statusAddrCRCError
		}
		if tx[0] == jbReset {
			k.crcErr = false
			k.motor = false
		}
		resp[0], resp[1], resp[2] = controllerType0, controllerType1, status
		return 3, true
	case jbReadButtons:
		in := p.input(port)
		resp[0] = byte(in.Buttons >> 8)
		resp[1] = byte(in.Buttons)
		resp[2] = byte(in.X)
		resp[3] = byte(in.Y)
		return 4, true
	case jbPakRead:
		if len(tx) < 3 {
			return 0, false
		}
		addr := uint16(tx[1])<<8 | uint16(tx[2])
		data := resp[:pakBlock]
		if k.kind == PakNone {
			clear(data)
			resp[pakBlock] = dataCRC(data) ^ 0xFF
			return pakBlock + 1, true
		}
		k.crcErr = addrCRC(addr) != byte(addr&pakAddrCRC)
		k.read(addr&pakAddrMask, data)
		resp[pakBlock] = dataCRC(data)
		return pakBlock + 1, true
	case jbPakWrite:
		if len(tx) < 3+pakBlock {
			return 0, false
		}
		data := tx[3 : 3+pakBlock]
		if k.kind == PakNone {
			resp[0] = dataCRC(data) ^ 0xFF
			return 1, true
		}
		addr := uint16(tx[1])<<8 | uint16(tx[2])
		k.crcErr = addrCRC(addr) != byte(addr&pakAddrCRC)
		if k.write(addr&pakAddrMask, data) {
			p.SaveWrites++
		}
		resp[0] = dataCRC(data)
		return 1, true
	}
	return 0, false
}

// input takes one input event for port from the InputSource and counts it.
func (p *PIF) input(port int) Input {
	p.ReadsByPort[port]++
	if p.src == nil {
		return Input{}
	}
	return p.src.Input(port)
}

// dataCRC is the CRC-8 a controller sends after pak data: polynomial 0x85
// over the data bits MSB first, followed by eight zero bits (n64brew
// "Joybus Protocol", 0x02 Read Controller Accessory).
func dataCRC(data []byte) byte {
	var crc byte
	for i := 0; i <= len(data); i++ {
		var b byte
		if i < len(data) {
			b = data[i]
		}
		for bit := 7; bit >= 0; bit-- {
			var x byte
			if crc&0x80 != 0 {
				x = 0x85
			}
			crc = crc<<1 | b>>uint(bit)&1
			crc ^= x
		}
	}
	return crc
}
