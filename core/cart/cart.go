// Package cart loads Nintendo 64 cartridge ROM images: it detects and undoes
// the byte orders dumps come in, parses the header, identifies the CIC the
// cartridge's boot code (IPL3) was written for, and hashes the ROM.
//
// The layout follows the n64brew wiki page "ROM Header"
// (https://n64brew.dev/wiki/ROM_Header).
package cart

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
)

// ByteOrder is the order of the bytes of a ROM file. The cartridge bus itself
// is big-endian; the other two orders are artefacts of old copiers (the
// Doctor V64 swapped each 16-bit halfword, others stored 32-bit words
// little-endian).
type ByteOrder int

const (
	BigEndian    ByteOrder = iota // .z64: the cartridge's own order
	ByteSwapped                   // .v64: each 16-bit halfword swapped
	LittleEndian                  // .n64: each 32-bit word reversed
)

// String gives the file extension conventionally used for the order.
func (o ByteOrder) String() string {
	switch o {
	case BigEndian:
		return "z64"
	case ByteSwapped:
		return "v64"
	case LittleEndian:
		return "n64"
	}
	return fmt.Sprintf("ByteOrder(%d)", int(o))
}

// The first word of every commercial ROM is the PI domain 1 timing word
// 0x80371240 (n64brew "ROM Header", offset 0x00). Seeing it in one of its
// three permutations is how the file's byte order is recognised.
const (
	magicZ64 = 0x80371240
	magicV64 = 0x37804012
	magicN64 = 0x40123780
)

// ipl3End is where the IPL3 boot code ends: the PIF copies ROM bytes
// 0x000..0xFFF (header + IPL3) into SP DMEM and jumps to 0x40, so a ROM
// shorter than this cannot boot at all.
const (
	ipl3Start = 0x40
	ipl3End   = 0x1000
)

// SaveType is the save memory a ROM declares in the "advanced homebrew ROM
// header" (n64brew "ROM Header", section Advanced Homebrew ROM Header;
// introduced by the EverDrive-64 and written by libdragon's n64tool). The
// values are the header nibble's values, in order.
type SaveType int

const (
	SaveNone      SaveType = iota // 0: no save memory
	SaveEEPROM4K                  // 1: 4 Kbit EEPROM
	SaveEEPROM16K                 // 2: 16 Kbit EEPROM
	SaveSRAM256K                  // 3: 256 Kbit SRAM
	SaveSRAM768K                  // 4: 3 banks of 256 Kbit SRAM
	SaveFlash1M                   // 5: 1 Mbit FlashRAM
	SaveSRAM1M                    // 6: 1 Mbit SRAM
)

func (s SaveType) String() string {
	switch s {
	case SaveNone:
		return "none"
	case SaveEEPROM4K:
		return "EEPROM 4K"
	case SaveEEPROM16K:
		return "EEPROM 16K"
	case SaveSRAM256K:
		return "SRAM 256K"
	case SaveSRAM768K:
		return "SRAM 768K"
	case SaveFlash1M:
		return "FlashRAM 1M"
	case SaveSRAM1M:
		return "SRAM 1M"
	}
	return fmt.Sprintf("SaveType(%d)", int(s))
}

// Header is the 64-byte ROM header (n64brew "ROM Header").
type Header struct {
	ClockRate  uint32 // 0x04: libultra's CPU clock hint
	EntryPoint uint32 // 0x08: where IPL3 jumps once the game is loaded
	Release    uint32 // 0x0C: libultra version the game was built with
	CRC1, CRC2 uint32 // 0x10, 0x14: IPL3's checksum of ROM 0x1000..0x100FFF; informative only
	Title      string // 0x20..0x33, trimmed; see sanitizeTitle for what is shown
	GameCode   string // 0x3B..0x3E (category, 2-char id, region); "" when all NUL, '?' for non-printable bytes
	Region     byte   // 0x3E: destination code
	Version    byte   // 0x3F
	// SaveType is meaningful only when HasSaveType: the ROM carries the
	// advanced homebrew header (game id "ED") with a known save type.
	SaveType    SaveType
	HasSaveType bool
}

// ROM is a parsed cartridge image.
type ROM struct {
	// Data is the whole ROM in big-endian (z64) order. For a z64 input it is
	// the caller's slice itself; a swapped input is converted into a new
	// slice, rounded up to whole halfwords (v64) or words (n64) with zero
	// bytes standing in for the bytes the file lacks.
	Data   []byte
	Order  ByteOrder // the order the file had
	Header Header
	CIC    CIC
	MD5    [16]byte // of Data
	SHA256 [32]byte // of Data
}

// Parse parses a ROM image in any of the three byte orders. It never fails on
// header checksums: real hardware only checks them inside IPL3, and homebrew
// often leaves them zero.
func Parse(data []byte) (*ROM, error) {
	r, err := parse(data)
	if err != nil {
		return nil, fail("", err.Error(), nil)
	}
	return r, nil
}

// parse does the work of Parse, with errors that the callers prefix.
func parse(data []byte) (*ROM, error) {
	if len(data) < 4 {
		return nil, fmt.Errorf("truncated: %d bytes, a ROM needs at least %d", len(data), ipl3End)
	}
	w := binary.BigEndian.Uint32(data)
	order, ok := orderOf(w)
	if !ok {
		return nil, fmt.Errorf("not an N64 ROM (first word 0x%08X)", w)
	}
	if len(data) < ipl3End {
		return nil, fmt.Errorf("truncated: %d bytes, a ROM needs at least %d", len(data), ipl3End)
	}
	be := toBigEndian(data, order)
	return &ROM{
		Data:   be,
		Order:  order,
		Header: parseHeader(be),
		CIC:    detectCIC(be[ipl3Start:ipl3End]),
		MD5:    md5.Sum(be),
		SHA256: sha256.Sum256(be),
	}, nil
}

// orderOf recognises a file's byte order from its first word.
func orderOf(first uint32) (ByteOrder, bool) {
	switch first {
	case magicZ64:
		return BigEndian, true
	case magicV64:
		return ByteSwapped, true
	case magicN64:
		return LittleEndian, true
	}
	return 0, false
}

// toBigEndian returns data in cartridge order: data itself when it already
// is, otherwise a converted copy. A swapped file whose length is not a whole
// number of swap units is padded with zeros first, so that each of its bytes
// still lands where the cartridge had it.
func toBigEndian(data []byte, order ByteOrder) []byte {
	unit := 1
	switch order {
	case ByteSwapped:
		unit = 2
	case LittleEndian:
		unit = 4
	}
	if unit == 1 {
		return data
	}
	out := make([]byte, (len(data)+unit-1)/unit*unit)
	copy(out, data)
	for i := 0; i < len(out); i += unit {
		if unit == 2 {
			out[i], out[i+1] = out[i+1], out[i]
		} else {
			out[i], out[i+1], out[i+2], out[i+3] = out[i+3], out[i+2], out[i+1], out[i]
		}
	}
	return out
}

// parseHeader reads the header fields from a big-endian ROM of at least
// 0x40 bytes.
func parseHeader(d []byte) Header {
	h := Header{
		ClockRate:  binary.BigEndian.Uint32(d[0x04:]),
		EntryPoint: binary.BigEndian.Uint32(d[0x08:]),
		Release:    binary.BigEndian.Uint32(d[0x0C:]),
		CRC1:       binary.BigEndian.Uint32(d[0x10:]),
		CRC2:       binary.BigEndian.Uint32(d[0x14:]),
		Title:      sanitizeTitle(d[0x20:0x34]),
		GameCode:   sanitizeCode(d[0x3B:0x3F]),
		Region:     d[0x3E],
		Version:    d[0x3F],
	}
	// Advanced homebrew header: game id "ED" marks it, and the high nibble of
	// 0x3F is the save type (the low nibble holds RTC / region-free flags).
	if d[0x3C] == 'E' && d[0x3D] == 'D' {
		if st := SaveType(d[0x3F] >> 4); st <= SaveSRAM1M {
			h.SaveType, h.HasSaveType = st, true
		}
	}
	return h
}

// sanitizeTitle makes the title field safe to print. Commercial titles are
// ASCII padded with spaces, libdragon pads with NULs, and Japanese games use
// JIS X 0201 half-width katakana (bytes 0xA1..0xDF), which map one-to-one
// onto U+FF61..U+FF9F. Anything else (control bytes, Shift-JIS double-byte
// characters) becomes U+FFFD rather than reaching a terminal raw.
func sanitizeTitle(b []byte) string {
	var s strings.Builder
	for _, c := range trimSpaceNUL(b) {
		switch {
		case c >= 0x20 && c < 0x7F:
			s.WriteByte(c)
		case c >= 0xA1 && c <= 0xDF:
			s.WriteRune(0xFF61 + rune(c-0xA1))
		default:
			s.WriteRune('\uFFFD')
		}
	}
	return s.String()
}

// sanitizeCode keeps the game code exactly four ASCII bytes, so that its
// positions (category, id, region) stay indexable; homebrew leaves it all NUL.
func sanitizeCode(b []byte) string {
	if len(trimSpaceNUL(b)) == 0 {
		return ""
	}
	code := make([]byte, len(b))
	for i, c := range b {
		if c >= 0x20 && c < 0x7F {
			code[i] = c
		} else {
			code[i] = '?'
		}
	}
	return string(code)
}

func trimSpaceNUL(b []byte) []byte {
	isPad := func(c byte) bool { return c == ' ' || c == 0 }
	for len(b) > 0 && isPad(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isPad(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// regionNames maps the destination code at 0x3E (n64brew "ROM Header";
// mroach/rom64 notes) to a name.
var regionNames = map[byte]string{
	'7': "Beta",
	'A': "Asia",
	'B': "Brazil",
	'C': "China",
	'D': "Germany",
	'E': "USA",
	'F': "France",
	'G': "Gateway 64 (NTSC)",
	'H': "Netherlands",
	'I': "Italy",
	'J': "Japan",
	'K': "Korea",
	'L': "Gateway 64 (PAL)",
	'N': "Canada",
	'P': "Europe",
	'S': "Spain",
	'U': "Australia",
	'W': "Scandinavia",
	'X': "Europe",
	'Y': "Europe",
}

// RegionName names the ROM's destination code, e.g. "USA"; an unlisted code
// gives "Unknown (X)" with the byte shown as a character when printable and
// in hex otherwise.
func (r *ROM) RegionName() string {
	c := r.Header.Region
	if name, ok := regionNames[c]; ok {
		return name
	}
	if c > 0x20 && c < 0x7F {
		return fmt.Sprintf("Unknown (%c)", c)
	}
	return fmt.Sprintf("Unknown (0x%02X)", c)
}
