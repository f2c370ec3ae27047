package proto

import (
	"encoding/binary"
	"io"
	"math"
)

// SettingsSize is the size of the settings block (§2.2).
const SettingsSize = 24

// EmuMode values of Settings.EmuMode (§2.2). The core's config reads
// "Dynamic Recompiler if 2 or more", so values above 2 are legal and mean
// dynarec.
const (
	EmuModePureInterpreter   = 0
	EmuModeCachedInterpreter = 1
	EmuModeDynarec           = 2
)

// MaxCountPerOpDenomPot is the largest CountPerOpDenomPot accepted: the
// clamp player 1's core applies before sending since 2024-01 (§2.2; it was
// 50, then 8, then 11). The core shifts a 32-bit count by this many bits.
const MaxCountPerOpDenomPot = 20

// Settings is the 24-byte core settings block player 1 sends with TCP
// code 3 and the others receive as the reply to code 4 (§2.2). Fields are
// in wire order, each a big-endian 32-bit word.
type Settings struct {
	CountPerOp         uint32 // offset 0: cycles per instruction, 1…2³¹−1
	CountPerOpDenomPot uint32 // offset 4: Count advances by cycles/2^n, 0…MaxCountPerOpDenomPot
	DisableExtraMem    uint32 // offset 8: ≠0 → 4 MiB RDRAM, 0 → 8 MiB; any value
	SIDMADuration      int32  // offset 12: SI DMA cycles, ≥ 0 (the core resolves negative config values first)
	EmuMode            uint32 // offset 16: 0 pure interpreter, 1 cached interpreter, ≥ 2 dynarec; any value
	NoCompiledJump     int32  // offset 20: boolean dynarec option (≠ 0 = true); any value
}

// Validate reports a field outside the ranges documented on Settings.
// CountPerOp is the resolved value (config, or the ROM DB when ≤ 0), so 0
// or a value that is negative as the core's int is out of range; likewise
// SIDMADuration (config, or the ROM DB when negative).
func (s Settings) Validate() error {
	switch {
	case s.CountPerOp == 0 || s.CountPerOp > math.MaxInt32:
		return rangeError("settings", "count_per_op %d not in 1…%d", s.CountPerOp, math.MaxInt32)
	case s.CountPerOpDenomPot > MaxCountPerOpDenomPot:
		return rangeError("settings", "count_per_op_denom_pot %d > %d", s.CountPerOpDenomPot, MaxCountPerOpDenomPot)
	case s.SIDMADuration < 0:
		return rangeError("settings", "si_dma_duration %d < 0", s.SIDMADuration)
	}
	return nil
}

// CPUMode returns EmuMode clamped to EmuModeDynarec, as the core reads it.
func (s Settings) CPUMode() uint32 { return min(s.EmuMode, EmuModeDynarec) }

// RDRAMSize is the RDRAM size the settings select (§7): 0x400000 when
// DisableExtraMem ≠ 0, else 0x800000.
func (s Settings) RDRAMSize() int {
	if s.DisableExtraMem != 0 {
		return 0x400000
	}
	return 0x800000
}

// AppendBinary appends the 24-byte block after validating it.
func (s Settings) AppendBinary(b []byte) ([]byte, error) {
	if err := s.Validate(); err != nil {
		return b, err
	}
	b = binary.BigEndian.AppendUint32(b, s.CountPerOp)
	b = binary.BigEndian.AppendUint32(b, s.CountPerOpDenomPot)
	b = binary.BigEndian.AppendUint32(b, s.DisableExtraMem)
	b = binary.BigEndian.AppendUint32(b, uint32(s.SIDMADuration))
	b = binary.BigEndian.AppendUint32(b, s.EmuMode)
	b = binary.BigEndian.AppendUint32(b, uint32(s.NoCompiledJump))
	return b, nil
}

// MarshalBinary returns the 24-byte block.
func (s Settings) MarshalBinary() ([]byte, error) {
	return s.AppendBinary(make([]byte, 0, SettingsSize))
}

// UnmarshalBinary decodes exactly 24 bytes and validates them. On error s
// is unchanged.
func (s *Settings) UnmarshalBinary(b []byte) error {
	if len(b) != SettingsSize {
		return lengthError("settings", len(b), SettingsSize)
	}
	v := Settings{
		CountPerOp:         binary.BigEndian.Uint32(b[0:]),
		CountPerOpDenomPot: binary.BigEndian.Uint32(b[4:]),
		DisableExtraMem:    binary.BigEndian.Uint32(b[8:]),
		SIDMADuration:      int32(binary.BigEndian.Uint32(b[12:])),
		EmuMode:            binary.BigEndian.Uint32(b[16:]),
		NoCompiledJump:     int32(binary.BigEndian.Uint32(b[20:])),
	}
	if err := v.Validate(); err != nil {
		return err
	}
	*s = v
	return nil
}

// DecodeSettings decodes a 24-byte settings block.
func DecodeSettings(b []byte) (Settings, error) {
	var s Settings
	err := s.UnmarshalBinary(b)
	return s, err
}

// ReadSettings reads the 24-byte reply to RECEIVE_SETTINGS (code 4).
func ReadSettings(r io.Reader) (Settings, error) {
	var buf [SettingsSize]byte
	if _, err := io.ReadFull(r, buf[:]); err != nil {
		return Settings{}, err
	}
	return DecodeSettings(buf[:])
}
