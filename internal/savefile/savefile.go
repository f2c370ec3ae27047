// Package savefile keeps a machine's save memories (cartridge EEPROM,
// SRAM, FlashRAM and Controller Paks) in files on disk, so that the core
// never does file I/O (DESIGN.md §1).
//
// One file per type in a folder, named "<title>-<sha256 prefix>.<ext>"
// with mupen64plus' extensions and byte layouts:
//
//	.eep  EEPROM, 2048 bytes (a 4 Kbit chip uses the first 512; the rest
//	      is 0xFF); a 512-byte file from other tools is read too
//	.sra  SRAM, 32 KiB (96/128 KiB for the 768 Kbit/1 Mbit types), each
//	      32-bit word byte-reversed (little-endian), as mupen64plus and
//	      Project64 store it
//	.fla  FlashRAM, 128 KiB, 32-bit words byte-reversed like .sra
//	.mpk  the four Controller Paks, 4 × 32 KiB, in plain byte order
//
// Files are written atomically (temporary file, fsync, rename); Open
// deletes the temporary files a killed writer left. A file
// that exists but cannot be used (wrong size, unreadable) gets a warning
// and is renamed to "<name>.bad-N" so that it is never overwritten.
package savefile

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/n64go/n64/core/cart"
)

// DefaultDir is where saves go unless the user says otherwise:
// $XDG_DATA_HOME/n64/saves, else ~/.local/share/n64/saves.
func DefaultDir() (string, error) {
	if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "n64", "saves"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("saves: no save folder (set --save-dir): %w", err)
	}
	return filepath.Join(home, ".local", "share", "n64", "saves"), nil
}

// BaseName is the file name (without extension) of a ROM's saves: its
// title with anything but letters, digits, '.', '_' and '-' replaced by
// '_', then '-' and the first 12 hex digits of its SHA-256.
func BaseName(title string, sum [sha256.Size]byte) string {
	var b strings.Builder
	for _, r := range title {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	t := strings.Trim(b.String(), "._")
	if t == "" {
		t = "rom"
	}
	return t + "-" + hex.EncodeToString(sum[:6])
}

// Ext is the file extension of a cartridge save type ("" for none).
func Ext(t cart.SaveType) string {
	switch {
	case t.IsEEPROM():
		return ".eep"
	case t.IsSRAM():
		return ".sra"
	case t == cart.SaveFlash1M:
		return ".fla"
	}
	return ""
}

// Sizes in the file layouts.
const (
	EEPFileSize = 2048
	MPKFileSize = 4 * 32 << 10
	mempakSize  = 32 << 10
)

// swap32 reverses the bytes of each 32-bit word (cartridge order ↔
// mupen64plus' .sra/.fla order); a trailing partial word is left alone.
func swap32(dst, src []byte) {
	n := min(len(dst), len(src)) &^ 3
	for i := 0; i < n; i += 4 {
		dst[i], dst[i+1], dst[i+2], dst[i+3] = src[i+3], src[i+2], src[i+1], src[i]
	}
}

// Encode returns the file contents for save memory mem (cartridge byte
// order) of type t.
func Encode(t cart.SaveType, mem []byte) []byte {
	switch {
	case t.IsEEPROM():
		out := make([]byte, EEPFileSize)
		for i := range out {
			out[i] = 0xFF
		}
		copy(out, mem)
		return out
	case t.IsSRAM(), t == cart.SaveFlash1M:
		out := make([]byte, len(mem))
		swap32(out, mem)
		return out
	}
	return nil
}

// ErrSize reports a save file whose size does not fit its type.
var ErrSize = errors.New("wrong size")

// Decode copies file contents data of type t into mem (cartridge byte
// order, len(mem) = t.Size()).
func Decode(t cart.SaveType, data, mem []byte) error {
	switch {
	case t.IsEEPROM():
		if len(data) != EEPFileSize && len(data) != len(mem) {
			return fmt.Errorf("%w: %d bytes, want %d or %d", ErrSize, len(data), len(mem), EEPFileSize)
		}
		copy(mem, data)
	case t.IsSRAM(), t == cart.SaveFlash1M:
		if len(data) != len(mem) {
			return fmt.Errorf("%w: %d bytes, want %d", ErrSize, len(data), len(mem))
		}
		swap32(mem, data)
	default:
		return errors.New("no save memory of this type")
	}
	return nil
}

// WriteAtomic replaces path with data: a temporary file in the same
// folder, fsync, rename, then a best-effort fsync of the folder. Readers
// see the old file or the new one, never half of one.
func WriteAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, tempPrefix(path)+"*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	// CreateTemp makes the file 0600; a save file is an ordinary file.
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		return err
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// tempPrefix starts the names of WriteAtomic's temporary files for path.
func tempPrefix(path string) string { return "." + filepath.Base(path) + ".tmp-" }

// removeTemps deletes the temporary files a writer of path left when it
// was killed before its rename (best effort: they are never read).
func removeTemps(path string) {
	ents, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), tempPrefix(path)) && e.Type().IsRegular() {
			os.Remove(filepath.Join(filepath.Dir(path), e.Name()))
		}
	}
}

// Quarantine renames path to the first free "<path>.bad-N" (N from 1) and
// returns the new name.
func Quarantine(path string) (string, error) {
	for n := 1; n < 1000; n++ {
		bad := fmt.Sprintf("%s.bad-%d", path, n)
		if _, err := os.Lstat(bad); errors.Is(err, fs.ErrNotExist) {
			if err := os.Rename(path, bad); err != nil {
				return "", err
			}
			return bad, nil
		}
	}
	return "", fmt.Errorf("too many %s.bad-N files", path)
}

// readFile reads path into mem with decode. A missing file is not an
// error (found=false). A file that exists but does not decode is renamed
// aside and reported in warning; if even that fails, err is set and the
// caller must not write the file.
func readFile(path string, decode func([]byte) error) (found bool, warning string, err error) {
	data, rerr := os.ReadFile(path)
	if errors.Is(rerr, fs.ErrNotExist) {
		return false, "", nil
	}
	if rerr == nil {
		if derr := decode(data); derr == nil {
			return true, "", nil
		} else {
			rerr = derr
		}
	}
	bad, qerr := Quarantine(path)
	if qerr != nil {
		return false, "", fmt.Errorf("save file %s unusable (%v) and could not be moved aside: %v; saves to it are disabled", path, rerr, qerr)
	}
	return false, fmt.Sprintf("save file %s unusable (%v); kept as %s, starting blank", path, rerr, bad), nil
}
