package cart

import (
	"fmt"
	"hash/crc32"
)

// CIC is the lockout chip a cartridge's IPL3 boot code was written for. The
// PIF's IPL2 checksums IPL3 with a seed the CIC supplies and IPL3 in turn
// expects the CIC-specific seed and RDRAM size location (n64brew "CIC-NUS",
// "PIF-NUS"), so a high-level boot must know which CIC a ROM pairs with. PAL
// 710x chips share IPL3 with their NTSC 610x twins except 7102, whose IPL3
// (Lylat Wars) differs from the 6101 one.
type CIC int

const (
	CIC6101 CIC = iota
	CIC6102     // also 7101
	CIC6103     // also 7103
	CIC6105     // also 7105
	CIC6106     // also 7106
	CIC7102
	CICUnknown // an IPL3 not in the table, such as libdragon's open-source one
)

func (c CIC) String() string {
	switch c {
	case CIC6101:
		return "6101"
	case CIC6102:
		return "6102/7101"
	case CIC6103:
		return "6103/7103"
	case CIC6105:
		return "6105/7105"
	case CIC6106:
		return "6106/7106"
	case CIC7102:
		return "7102"
	case CICUnknown:
		return "unknown"
	}
	return fmt.Sprintf("CIC(%d)", int(c))
}

// BootAs is the CIC the machine boots the ROM as. An unknown IPL3 (libdragon's
// open-source one, most homebrew) is booted as 6102: the most common chip,
// and the one homebrew is run with on flashcarts and other emulators.
func (c CIC) BootAs() CIC {
	if c == CICUnknown {
		return CIC6102
	}
	return c
}

// Seed is the IPL3 seed byte the CIC hands the PIF at boot, which the PIF
// leaves in $s6 for IPL3 (values as in cen64 si.c, ares cic.cpp and
// mupen64plus cic.c). An unknown CIC gives the seed of the chip it boots as.
func (c CIC) Seed() byte {
	switch c.BootAs() {
	case CIC6103:
		return 0x78
	case CIC6105:
		return 0x91
	case CIC6106:
		return 0x85
	}
	return 0x3F // 6101, 6102/7101, 7102
}

// ipl3CRCs maps the CRC-32 (IEEE) of ROM bytes 0x40..0xFFF, the IPL3 boot
// code in big-endian order, to its CIC. The values are the ones cen64
// (si.c, get_cic_seed) identifies Nintendo's IPL3 builds by; the 7102 entry
// is the Lylat Wars IPL3.
var ipl3CRCs = map[uint32]CIC{
	0x6170A4A1: CIC6101,
	0x90BB6CB5: CIC6102,
	0x0B050EE0: CIC6103,
	0x98BC2C86: CIC6105,
	0xACC8580A: CIC6106,
	0x009E9EA3: CIC7102,
}

// detectCIC identifies the CIC from the IPL3 bytes (ROM 0x40..0xFFF).
func detectCIC(ipl3 []byte) CIC {
	if c, ok := ipl3CRCs[crc32.ChecksumIEEE(ipl3)]; ok {
		return c
	}
	return CICUnknown
}
