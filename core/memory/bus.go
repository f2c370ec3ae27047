// Package memory is the physical bus of DESIGN.md §3: RDRAM, its RI and
// RDRAM-register interfaces, the MIPS Interface (interrupts) and the
// decode of the 512 MiB physical space into devices.
package memory

// Device is a bus target other than RDRAM. The RCP's interfaces are 32 bits
// wide: narrower CPU writes arrive as a 32-bit word with the bytes being
// written selected by mask (bytes already shifted into their lane), and each
// device decides what the hardware does with the other lanes.
type Device interface {
	Read32(paddr uint32) uint32
	Write32(paddr, value, mask uint32)
}

// NarrowReader is a Device whose 8- and 16-bit CPU reads are not a lane of
// the aligned word. ReadNarrow(paddr) returns the 32-bit word the device
// puts on the bus for a narrow read at the halfword address paddr; the CPU
// takes its byte or halfword from lane paddr&3 of it. The PI is one: it
// reads two bus halfwords starting at the address itself, so LHU at
// 0xB0000002 gives the halfword at 0xB0000004 (krom DMAAlignment-PI-ROM-FROM
// on hardware; ares' PI::readWord).
type NarrowReader interface {
	ReadNarrow(paddr uint32) uint32
}

// Physical address space decoded in 1 MiB regions.
const (
	regionShift = 20
	numRegions  = 1 << (29 - regionShift)
	// PhysMask keeps the 29 physical address bits the RCP decodes.
	PhysMask = 1<<29 - 1
)

// RDRAM sizes: the base 4 MiB and with the Expansion Pak.
const (
	RDRAMSize4M = 4 << 20
	RDRAMSize8M = 8 << 20
)

// Bus routes physical addresses to RDRAM or a Device. RDRAM is a byte slice
// in the N64's big-endian order, read straight by the hot path.
type Bus struct {
	RDRAM   []byte
	devices [numRegions]Device
}

// NewBus returns a bus with rdramSize bytes of RDRAM and open bus everywhere else.
func NewBus(rdramSize int) *Bus {
	b := &Bus{RDRAM: make([]byte, rdramSize)}
	for i := range b.devices {
		b.devices[i] = openBus{}
	}
	return b
}

// Map routes the physical range [start, end] (both rounded to 1 MiB regions)
// to d. Later mappings replace earlier ones.
func (b *Bus) Map(start, end uint32, d Device) {
	for r := start >> regionShift; r <= end>>regionShift; r++ {
		b.devices[r] = d
	}
}

// rdramWindow is the part of the address space RDRAM decodes: 0 to the
// RDRAM registers. Beyond the installed size, reads give 0 and writes are
// dropped (no mirroring), per DESIGN.md §3.
const rdramWindow = 0x03F0_0000

// Read32 reads the aligned word at paddr.
func (b *Bus) Read32(paddr uint32) uint32 {
	if paddr < uint32(len(b.RDRAM)) {
		m := b.RDRAM[paddr : paddr+4 : paddr+4]
		return uint32(m[0])<<24 | uint32(m[1])<<16 | uint32(m[2])<<8 | uint32(m[3])
	}
	if paddr < rdramWindow {
		return 0
	}
	return b.devices[paddr>>regionShift&(numRegions-1)].Read32(paddr)
}

// Read64 reads the aligned doubleword at paddr; outside RDRAM it is two
// 32-bit bus reads, high word first.
func (b *Bus) Read64(paddr uint32) uint64 {
	if paddr < uint32(len(b.RDRAM)) {
		m := b.RDRAM[paddr : paddr+8 : paddr+8]
		return uint64(m[0])<<56 | uint64(m[1])<<48 | uint64(m[2])<<40 | uint64(m[3])<<32 |
			uint64(m[4])<<24 | uint64(m[5])<<16 | uint64(m[6])<<8 | uint64(m[7])
	}
	return uint64(b.Read32(paddr))<<32 | uint64(b.Read32(paddr+4))
}

// Read16 reads the aligned halfword at paddr.
func (b *Bus) Read16(paddr uint32) uint16 {
	if paddr < uint32(len(b.RDRAM)) {
		return uint16(b.RDRAM[paddr])<<8 | uint16(b.RDRAM[paddr+1])
	}
	return uint16(b.readNarrow(paddr) >> (16 - (paddr&2)*8))
}

// Read8 reads the byte at paddr.
func (b *Bus) Read8(paddr uint32) uint8 {
	if paddr < uint32(len(b.RDRAM)) {
		return b.RDRAM[paddr]
	}
	return uint8(b.readNarrow(paddr) >> (24 - (paddr&3)*8))
}

// readNarrow is the bus word an 8- or 16-bit read at paddr (outside RDRAM)
// takes its lane from: the aligned word, or a NarrowReader's own answer.
func (b *Bus) readNarrow(paddr uint32) uint32 {
	if paddr >= rdramWindow {
		if n, ok := b.devices[paddr>>regionShift&(numRegions-1)].(NarrowReader); ok {
			return n.ReadNarrow(paddr &^ 1)
		}
	}
	return b.Read32(paddr &^ 3)
}

// Write32 writes the aligned word at paddr.
func (b *Bus) Write32(paddr, v uint32) {
	if paddr < uint32(len(b.RDRAM)) {
		m := b.RDRAM[paddr : paddr+4 : paddr+4]
		m[0], m[1], m[2], m[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		return
	}
	b.writeDevice(paddr, v, 0xFFFF_FFFF)
}

// Write64 writes the aligned doubleword at paddr.
func (b *Bus) Write64(paddr uint32, v uint64) {
	if paddr < uint32(len(b.RDRAM)) {
		m := b.RDRAM[paddr : paddr+8 : paddr+8]
		m[0], m[1], m[2], m[3] = byte(v>>56), byte(v>>48), byte(v>>40), byte(v>>32)
		m[4], m[5], m[6], m[7] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		return
	}
	b.writeDevice(paddr, uint32(v>>32), 0xFFFF_FFFF)
	b.writeDevice(paddr+4, uint32(v), 0xFFFF_FFFF)
}

// Write16 writes the aligned halfword at paddr.
func (b *Bus) Write16(paddr uint32, v uint16) {
	if paddr < uint32(len(b.RDRAM)) {
		b.RDRAM[paddr], b.RDRAM[paddr+1] = byte(v>>8), byte(v)
		return
	}
	shift := 16 - (paddr&2)*8
	b.writeDevice(paddr&^3, uint32(v)<<shift, 0xFFFF<<shift)
}

// Write8 writes the byte at paddr.
func (b *Bus) Write8(paddr uint32, v uint8) {
	if paddr < uint32(len(b.RDRAM)) {
		b.RDRAM[paddr] = v
		return
	}
	shift := 24 - (paddr&3)*8
	b.writeDevice(paddr&^3, uint32(v)<<shift, 0xFF<<shift)
}

func (b *Bus) writeDevice(paddr, v, mask uint32) {
	if paddr < rdramWindow {
		return
	}
	b.devices[paddr>>regionShift&(numRegions-1)].Write32(paddr, v, mask)
}

// openBus answers unmapped addresses. The value the CPU sees on an unmapped
// RCP address is the low half of the address twice (n64brew "Memory map":
// the PI/RCP bus keeps the last address on its lines); writes vanish.
type openBus struct{}

func (openBus) Read32(paddr uint32) uint32     { return paddr&0xFFFF | paddr<<16 }
func (openBus) Write32(uint32, uint32, uint32) {}
