package cart

import (
	"fmt"
	"strings"

	"github.com/n64go/n64/core/state"
)

// Sizes of the save memories in bytes.
const (
	SRAM256KSize = 32 << 10  // 256 Kbit
	SRAM768KSize = 96 << 10  // 3 banks of 256 Kbit
	SRAM1MSize   = 128 << 10 // 4 banks of 256 Kbit
	FlashSize    = 128 << 10 // 1 Mbit
	EEPROM4KSize = 512
	EEPROM16K    = 2048
)

// Size is the number of bytes of save memory of this type (0 for none).
func (s SaveType) Size() int {
	switch s {
	case SaveEEPROM4K:
		return EEPROM4KSize
	case SaveEEPROM16K:
		return EEPROM16K
	case SaveSRAM256K:
		return SRAM256KSize
	case SaveSRAM768K:
		return SRAM768KSize
	case SaveSRAM1M:
		return SRAM1MSize
	case SaveFlash1M:
		return FlashSize
	}
	return 0
}

// IsEEPROM reports whether the save memory sits on the joybus (channel 4)
// rather than on the PI bus.
func (s SaveType) IsEEPROM() bool { return s == SaveEEPROM4K || s == SaveEEPROM16K }

// IsSRAM reports whether the save memory is battery-backed SRAM.
func (s SaveType) IsSRAM() bool {
	return s == SaveSRAM256K || s == SaveSRAM768K || s == SaveSRAM1M
}

// saveTypeNames are the names ParseSaveType accepts (the --save-type flag).
var saveTypeNames = []struct {
	name string
	t    SaveType
}{
	{"none", SaveNone},
	{"eeprom4k", SaveEEPROM4K},
	{"eeprom16k", SaveEEPROM16K},
	{"sram256k", SaveSRAM256K},
	{"sram768k", SaveSRAM768K},
	{"sram1m", SaveSRAM1M},
	{"flash1m", SaveFlash1M},
}

// SaveTypeNames lists the names ParseSaveType accepts.
func SaveTypeNames() []string {
	n := make([]string, len(saveTypeNames))
	for i, s := range saveTypeNames {
		n[i] = s.name
	}
	return n
}

// ParseSaveType parses a save type name such as "eeprom4k" or "flash1m"
// (case-insensitive).
func ParseSaveType(name string) (SaveType, error) {
	for _, s := range saveTypeNames {
		if strings.EqualFold(name, s.name) {
			return s.t, nil
		}
	}
	return 0, fmt.Errorf("unknown save type %q (want one of %s)", name, strings.Join(SaveTypeNames(), ", "))
}

// saveTypeByID is the save memory of commercial games, keyed by the two
// ID characters of the game code (0x3C-0x3D, the same in every region).
// Entries come from public save-type lists (n64brew "Game Saves" and the
// save files named by game code that dumpers and emulators exchange:
// NGEE.eep, NPDE.eep, CZLE.sra, NZSE.fla, NFUE.eep …); a game missing here
// boots with no save memory unless --save-type says otherwise.
var saveTypeByID = map[string]SaveType{
	"SM": SaveEEPROM4K,  // Super Mario 64
	"MK": SaveEEPROM4K,  // Mario Kart 64
	"GE": SaveEEPROM4K,  // GoldenEye 007
	"FX": SaveEEPROM4K,  // Star Fox 64 / Lylat Wars
	"PW": SaveEEPROM4K,  // Pilotwings 64
	"WR": SaveEEPROM4K,  // Wave Race 64
	"BK": SaveEEPROM4K,  // Banjo-Kazooie
	"DY": SaveEEPROM4K,  // Diddy Kong Racing
	"YS": SaveEEPROM16K, // Yoshi's Story
	"PD": SaveEEPROM16K, // Perfect Dark
	"B7": SaveEEPROM16K, // Banjo-Tooie
	"FU": SaveEEPROM16K, // Conker's Bad Fur Day
	"DO": SaveEEPROM16K, // Donkey Kong 64
	"ZL": SaveSRAM256K,  // The Legend of Zelda: Ocarina of Time
	"FZ": SaveSRAM256K,  // F-Zero X
	"AL": SaveSRAM256K,  // Super Smash Bros.
	"MF": SaveSRAM256K,  // Mario Golf
	"ZS": SaveFlash1M,   // The Legend of Zelda: Majora's Mask
	"MQ": SaveFlash1M,   // Paper Mario
	"JF": SaveFlash1M,   // Jet Force Gemini
	"PF": SaveFlash1M,   // Pokémon Snap
}

// DetectSaveType is the save memory the ROM gets when the user does not
// choose one: the advanced homebrew header's (libdragon, EverDrive) when
// present, else the game-code table's entry, else none. ok is false when
// neither source knew the ROM.
func (r *ROM) DetectSaveType() (t SaveType, ok bool) {
	if r.Header.HasSaveType {
		return r.Header.SaveType, true
	}
	if len(r.Header.GameCode) == 4 {
		if t, ok := saveTypeByID[r.Header.GameCode[1:3]]; ok {
			return t, true
		}
	}
	return SaveNone, false
}

// SaveMemory is save memory on the PI bus (domain 2, 0x0800_0000): SRAM or
// FlashRAM. It answers the cartridge bus's 16-bit accesses (io.PIBusDevice).
type SaveMemory interface {
	ReadHalf(addr uint32) uint16
	WriteHalf(addr uint32, v uint16)
	// StartBurst tells the device a new bus transfer (a PI DMA or a CPU
	// access) starts at addr.
	StartBurst(addr uint32)
	// Data is the memory's contents in cartridge (big-endian) order,
	// written in place by the game.
	Data() []byte
	// Writes counts the game's changes to Data (host bookkeeping for the
	// save files, not machine state).
	Writes() uint64
	Serialize(s *state.S)
}

// NewSaveMemory returns the PI-bus save memory of type t holding data (a
// copy is not made; nil or a wrong length gives blank memory), or nil for
// EEPROM types (on the joybus, core/pif) and none.
func NewSaveMemory(t SaveType, data []byte) SaveMemory {
	size := t.Size()
	if t.IsEEPROM() || size == 0 {
		return nil
	}
	if len(data) != size {
		data = make([]byte, size)
		if t == SaveFlash1M {
			for i := range data {
				data[i] = 0xFF // erased flash
			}
		}
	}
	if t == SaveFlash1M {
		return newFlash(data)
	}
	return &SRAM{data: data, banks: size / SRAM256KSize}
}
