package core

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"github.com/n64go/n64/core/state"
)

// Savestate file layout (DESIGN.md §5): the magic, the format version, the
// ROM's SHA-256, then the gzip-compressed machine state (whose first
// section is the Options).
const (
	stateMagic   = "N64GOST"
	stateVersion = 4 // 2: PIF paks/EEPROM, cartridge save memory; 3: RDP state and TMEM; 4: FlashRAM busy state
	// maxStateSize bounds decompression: a machine state is RDRAM (8 MiB)
	// plus well under 1 MiB of registers and chip memories.
	maxStateSize = 16 << 20
)

// SaveState returns the machine's state as a savestate file.
func (m *Machine) SaveState() ([]byte, error) {
	s := state.NewWriter()
	m.Serialize(s)
	var buf bytes.Buffer
	buf.WriteString(stateMagic)
	buf.WriteByte(stateVersion)
	buf.Write(m.ROM.SHA256[:])
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(s.Bytes()); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// LoadState restores a savestate made by SaveState. A state of another ROM
// or format version, or a damaged one, is an error that leaves m untouched:
// the state is loaded into a scratch machine first and only then swapped in.
func (m *Machine) LoadState(data []byte) error {
	head := len(stateMagic) + 1 + len(m.ROM.SHA256)
	switch {
	case len(data) < head || string(data[:len(stateMagic)]) != stateMagic:
		return errors.New("savestate: not an n64 savestate")
	case data[len(stateMagic)] != stateVersion:
		return fmt.Errorf("savestate: format version %d, this build reads version %d", data[len(stateMagic)], stateVersion)
	case !bytes.Equal(data[len(stateMagic)+1:head], m.ROM.SHA256[:]):
		return errors.New("savestate: made with another ROM")
	}
	zr, err := gzip.NewReader(bytes.NewReader(data[head:]))
	if err != nil {
		return fmt.Errorf("savestate: %w", err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, maxStateSize+1))
	if err != nil {
		return fmt.Errorf("savestate: %w", err)
	}
	if len(raw) > maxStateSize {
		return errors.New("savestate: larger than any machine state")
	}
	return m.loadRaw(raw)
}

// loadRaw restores an uncompressed machine state into m, through a scratch
// machine so that m is untouched on error.
func (m *Machine) loadRaw(raw []byte) error {
	// The options come first; build the scratch machine with them so its
	// memory size matches the state.
	var opts Options
	peek := state.NewReader(raw)
	peek.Section("options", opts.Serialize)
	if err := peek.Err(); err != nil {
		return fmt.Errorf("savestate: %w", err)
	}
	scratch, err := New(m.ROM, opts)
	if err != nil {
		return fmt.Errorf("savestate: %w", err)
	}
	s := state.NewReader(raw)
	scratch.Serialize(s)
	if err := s.Done(); err != nil {
		return fmt.Errorf("savestate: %w", err)
	}
	scratch.adoptHooks(m)
	*m = *scratch
	return nil
}
