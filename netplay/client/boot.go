package client

import (
	"errors"
	"fmt"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/pif"
	"github.com/n64go/n64/internal/savefile"
	"github.com/n64go/n64/netplay/proto"
)

// SettingsFromOptions is the settings block player 1 sends (§2.2) for o.
// PAL is not part of it: every client derives it from the same ROM.
func SettingsFromOptions(o core.Options) (proto.Settings, error) {
	s := proto.Settings{
		CountPerOp:         o.CountPerOp,
		CountPerOpDenomPot: o.CountPerOpDenomPot,
		SIDMADuration:      int32(o.SIDMADuration),
		EmuMode:            o.EmuMode,
	}
	if o.DisableExtraMem {
		s.DisableExtraMem = 1
	}
	if o.NoCompiledJump {
		s.NoCompiledJump = 1
	}
	if o.SIDMADuration > 1<<31-1 {
		return s, fmt.Errorf("netplay: si_dma_duration %d does not fit the settings block", o.SIDMADuration)
	}
	return s, s.Validate()
}

// OptionsFromSettings turns a received settings block into core.Options,
// keeping base's PAL (derived from the ROM, not synced). Values are taken
// as they are, without clamping (§2.2); a block our core cannot run is an
// error rather than a silently different machine.
func OptionsFromSettings(s proto.Settings, base core.Options) (core.Options, error) {
	if err := s.Validate(); err != nil {
		return base, fmt.Errorf("netplay: settings from player 1: %w", err)
	}
	o := core.Options{
		CountPerOp:         s.CountPerOp,
		CountPerOpDenomPot: s.CountPerOpDenomPot,
		DisableExtraMem:    s.DisableExtraMem != 0,
		SIDMADuration:      uint32(s.SIDMADuration),
		EmuMode:            s.EmuMode,
		NoCompiledJump:     s.NoCompiledJump != 0,
		PAL:                base.PAL,
	}
	if err := o.Validate(); err != nil {
		return base, fmt.Errorf("netplay: player 1's settings are not supported here: %w", err)
	}
	return o, nil
}

// Saves are the four save images exchanged at boot (§2.3), keyed by the
// protocol's names (proto.SaveMempak, SaveEEPROM, SaveFlash, SaveSRAM),
// each at its full size, in mupen64plus' file layouts (internal/savefile):
// mpk the four Controller Paks, eep 2048 bytes, fla 128 KiB and sra
// 32 KiB with byte-reversed 32-bit words. All zeros means "no file".
type Saves map[string][]byte

// BlankSaves returns the four images all zero ("no file").
func BlankSaves() Saves {
	s := make(Saves, len(proto.BootSaves))
	for _, f := range proto.BootSaves {
		s[f.Name] = make([]byte, f.Size)
	}
	return s
}

// mempakSize is one Controller Pak's share of the mpk image.
const mempakSize = proto.SaveSizeMempak / proto.MaxPlayers

// SavesFromMachine builds the images from m's save memories, as player 1
// sends them: its files are loaded into m first (savefile.Open); memories
// the cartridge or the ports do not have are sent as zeros.
func SavesFromMachine(m *core.Machine) Saves {
	s := BlankSaves()
	for p := range proto.MaxPlayers {
		if mem := m.Mempak(p); mem != nil {
			copy(s[proto.SaveMempak][p*mempakSize:(p+1)*mempakSize], mem)
		}
	}
	t, data := m.SaveType(), m.SaveData()
	if data == nil {
		return s
	}
	switch {
	case t.IsEEPROM():
		copy(s[proto.SaveEEPROM], savefile.Encode(t, data))
	case t.IsSRAM():
		copy(s[proto.SaveSRAM], savefile.Encode(t, data))
	case t == cart.SaveFlash1M:
		copy(s[proto.SaveFlash], savefile.Encode(t, data))
	}
	return s
}

// Validate checks that every image is present at its full size.
func (s Saves) Validate() error {
	for _, f := range proto.BootSaves {
		if len(s[f.Name]) != f.Size {
			return fmt.Errorf("netplay: save %q is %d bytes, want %d", f.Name, len(s[f.Name]), f.Size)
		}
	}
	return nil
}

func allZero(b []byte) bool {
	for _, v := range b {
		if v != 0 {
			return false
		}
	}
	return true
}

// Apply loads the images into m's save memories, the same way on every
// client, player 1 included, so that all machines start from identical
// saves (§7): an all-zero image gives blank memory (EEPROM and FlashRAM
// erased to 0xFF, SRAM zero, Controller Paks zero) rather than zeros where
// blank differs — the divergence of §6 Q10 cannot happen. Plug the paks
// (Client.Setup does) before calling it. Nothing is written to disk.
func (s Saves) Apply(m *core.Machine) error {
	if err := s.Validate(); err != nil {
		return err
	}
	mpk := s[proto.SaveMempak]
	for p := range proto.MaxPlayers {
		if m.Mempak(p) == nil {
			continue
		}
		img := mpk[p*mempakSize : (p+1)*mempakSize]
		if allZero(mpk) {
			m.PIF.SetPak(p, pif.PakController, nil)
			continue
		}
		copy(m.Mempak(p), img)
	}
	t, mem := m.SaveType(), m.SaveData()
	if mem == nil {
		return nil
	}
	var img []byte
	var blank byte
	switch {
	case t.IsEEPROM():
		img, blank = s[proto.SaveEEPROM], 0xFF
	case t.IsSRAM():
		img, blank = s[proto.SaveSRAM], 0
	case t == cart.SaveFlash1M:
		img, blank = s[proto.SaveFlash], 0xFF
	default:
		return nil
	}
	if allZero(img) {
		for i := range mem {
			mem[i] = blank
		}
		return nil
	}
	file := img
	if !t.IsEEPROM() && len(mem) != len(img) {
		// SRAM types larger than the 32 KiB image: the image fills the
		// start, the rest is blank on every client.
		file = make([]byte, len(mem))
		for i := range file {
			file[i] = blank
		}
		copy(file, img)
	}
	if err := savefile.Decode(t, file, mem); err != nil {
		return fmt.Errorf("netplay: save image for %v: %w", t, err)
	}
	return nil
}

// ErrROMMismatch is returned when the local ROM is not the room's.
var ErrROMMismatch = errors.New("netplay: the ROM differs from the room's")

// ROMMD5 is the MD5 the lobby compares (§4 "Room object"): of the
// big-endian image, as 32 uppercase hex digits.
func ROMMD5(rom *cart.ROM) string { return fmt.Sprintf("%X", rom.MD5) }

// CheckROM refuses to play rom in a room whose MD5 is roomMD5.
func CheckROM(rom *cart.ROM, roomMD5 string) error {
	if mine := ROMMD5(rom); mine != roomMD5 {
		return fmt.Errorf("%w: the room plays MD5 %s, this ROM (%s) is %s; load the same ROM image as the room's creator",
			ErrROMMismatch, roomMD5, rom.Header.Title, mine)
	}
	return nil
}
