package pif

import (
	"encoding/binary"
	"math/bits"

	"github.com/n64go/n64/core/state"
)

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

// Controller Pak filesystem layout (n64brew "Controller Pak/Filesystem";
// libultra's __OSPackId and inode table as libdragon's mempak.c reads
// them): 128 pages of 256 bytes; page 0 holds four copies of the 32-byte
// ID block, pages 1 and 2 the index table and its backup, pages 3-4 the
// 16 note entries, pages 5-127 note data.
const (
	mempakPage       = 256
	mempakFirstData  = 5      // first page a note may use
	mempakFreePage   = 0x03   // index entry of a free page
	mempakIDChecksum = 0xFFF2 // checksum + inverted checksum of an ID block
	mempakDeviceID   = 0x0001 // bit 0 set, else libultra repairs the ID
	mempakBanks      = 1      // one 32 KiB bank
	mempakVersion    = 0      // mupen64plus' DEFAULT_MEMPAK_VERSION
)

// mempakIDBlocks are the offsets of the ID block and its three backups.
var mempakIDBlocks = [4]int{0x20, 0x60, 0x80, 0xC0}

// New paks get the serial mupen64plus-core gives the pak of their port
// when it seeds its generator with 0, as it does in netplay so that every
// player builds the same default paks (main.c main_run seeds with
// time(NULL), or 0 when netplay_is_init(); NETPLAY.md §2.3). Its
// open_mpk_file formats the four paks of a new .mpk in port order, each
// serial six 32-bit words, big-endian: the low halves of the next six
// xoshiro256++ outputs (xoshiro256pp_next truncated to uint32_t). The
// generator's state is four splitmix64 outputs from the seed (util.c
// xoshiro256pp_seed).
const (
	mempakSeed        = 0
	mempakSerialWords = 6
)

// splitmix64 advances *x and returns the next output of Steele, Lea and
// Flood's SplitMix64 ("Fast splittable pseudorandom number generators",
// OOPSLA 2014), as Vigna's splitmix64.c (prng.di.unimi.it) computes it.
func splitmix64(x *uint64) uint64 {
	*x += 0x9E3779B97F4A7C15
	z := *x
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// xoshiro256pp is the state of Blackman and Vigna's xoshiro256++
// ("Scrambled linear pseudorandom number generators", ACM TOMS 2021;
// xoshiro256plusplus.c at prng.di.unimi.it).
type xoshiro256pp [4]uint64

// newXoshiro256pp seeds the state with four splitmix64 outputs, the
// seeding the xoshiro authors recommend and mupen64plus uses.
func newXoshiro256pp(seed uint64) xoshiro256pp {
	var s xoshiro256pp
	for i := range s {
		s[i] = splitmix64(&seed)
	}
	return s
}

// next returns the generator's next output and advances it.
func (s *xoshiro256pp) next() uint64 {
	out := bits.RotateLeft64(s[0]+s[3], 23) + s[0]
	t := s[1] << 17
	s[2] ^= s[0]
	s[3] ^= s[1]
	s[1] ^= s[2]
	s[0] ^= s[3]
	s[2] ^= t
	s[3] = bits.RotateLeft64(s[3], 45)
	return out
}

// mempakIDSum is the ID block checksum: the sum of its first fourteen
// big-endian 16-bit words, modulo 2^16.
func mempakIDSum(id []byte) uint16 {
	var sum uint16
	for i := 0; i < 28; i += 2 {
		sum += uint16(id[i])<<8 | uint16(id[i+1])
	}
	return sum
}

// mempakIndexSum is the index table checksum kept in the low byte of its
// first entry: the sum of the bytes of the entries for pages 5-127,
// modulo 256.
func mempakIndexSum(table []byte) byte {
	var sum byte
	for _, b := range table[2*mempakFirstData : mempakPage] {
		sum += b
	}
	return sum
}

// FormatMempak writes an empty filesystem into mem (MempakSize bytes), the
// new pak of port (0-3): a valid ID block in all four places, every data
// page free in both index tables, no notes. Software that finds an
// unformatted pak asks to repair or format it (libdragon's cpaktest says
// "not formatted" for an all-zero one), so new paks get this layout, byte
// for byte what mupen64plus' format_mempak writes for that port with the
// netplay seed (see mempakSeed).
func FormatMempak(mem []byte, port int) {
	if len(mem) != MempakSize || port < 0 || port >= NumPorts {
		return
	}
	clear(mem)
	rng := newXoshiro256pp(mempakSeed)
	for range port * mempakSerialWords {
		rng.next()
	}
	var id [32]byte
	for w := range mempakSerialWords {
		binary.BigEndian.PutUint32(id[4*w:], uint32(rng.next()))
	}
	binary.BigEndian.PutUint16(id[0x18:], mempakDeviceID)
	id[0x1A], id[0x1B] = mempakBanks, mempakVersion
	sum := mempakIDSum(id[:])
	binary.BigEndian.PutUint16(id[0x1C:], sum)
	binary.BigEndian.PutUint16(id[0x1E:], mempakIDChecksum-sum)
	for _, off := range mempakIDBlocks {
		copy(mem[off:], id[:])
	}
	index := mem[mempakPage : 2*mempakPage]
	for page := mempakFirstData; page < MempakSize/mempakPage; page++ {
		index[2*page+1] = mempakFreePage
	}
	index[1] = mempakIndexSum(index)
	copy(mem[2*mempakPage:3*mempakPage], index)
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
// bytes, kept and written in place; nil gives a new pak, formatted by
// FormatMempak for port); other kinds ignore mem.
func (p *PIF) SetPak(port int, kind PakKind, mem []byte) {
	if port < 0 || port >= NumPorts {
		return
	}
	k := pak{kind: kind}
	if kind == PakController {
		if len(mem) != MempakSize {
			mem = make([]byte, MempakSize)
			FormatMempak(mem, port)
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
