// Package slots keeps the player's files: savestates in ten slots per ROM
// and screenshots, written atomically (a temporary file in the same
// folder, fsync, rename, fsync of the folder) so a crash never leaves a
// half-written file under a real name.
package slots

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// NumSlots is the number of savestate slots per ROM.
const NumSlots = 10

// State file header (core/savestate.go): magic "N64GOST", a version byte,
// then the ROM's SHA-256.
const (
	stateMagic  = "N64GOST"
	shaAt       = len(stateMagic) + 1
	stateHeader = shaAt + 32
)

// Base turns a ROM's file name into the stem of its state and screenshot
// files: the name without folder and extensions (.gz/.zip and the ROM
// extension), every character outside [A-Za-z0-9._-] replaced by "_".
func Base(romPath string) string {
	name := filepath.Base(romPath)
	for _, ext := range []string{".gz", ".zip", ".z64", ".v64", ".n64", ".bin", ".rom"} {
		if strings.HasSuffix(strings.ToLower(name), ext) {
			name = name[:len(name)-len(ext)]
		}
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "rom"
	}
	return b.String()
}

// StatePath is the file of slot (0-9) for a ROM: BASE-XXXXXXXX.stN in dir,
// where XXXXXXXX are the first four bytes of the ROM's SHA-256 in hex, so
// two ROMs with the same file name never share a file.
func StatePath(dir, base string, sha [32]byte, slot int) string {
	return filepath.Join(dir, fmt.Sprintf("%s-%x.st%d", base, sha[:4], slot))
}

// ErrOtherROM is returned by SaveState when the slot's file holds a state
// of another ROM (or something that is not a state).
var ErrOtherROM = errors.New("holds a state of another ROM; not overwritten")

// SaveState writes a savestate (as core.Machine.SaveState makes it) to
// path atomically. An existing file is replaced only if it is a state of
// the same ROM (sha); otherwise the error wraps ErrOtherROM and the file is
// left alone.
func SaveState(path string, sha [32]byte, state []byte) error {
	if len(state) < stateHeader || !bytes.Equal(state[shaAt:stateHeader], sha[:]) {
		return errors.New("savestate: not a state of this ROM")
	}
	old, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case len(old) < stateHeader || string(old[:len(stateMagic)]) != stateMagic || !bytes.Equal(old[shaAt:stateHeader], sha[:]):
		return fmt.Errorf("%s %w", path, ErrOtherROM)
	}
	return WriteAtomic(path, state)
}

// WriteAtomic writes data to path: a temporary file in the same folder,
// written, fsynced and closed, then renamed over path; the folder is
// fsynced last so the rename itself is durable. On any error the
// temporary file is removed and path is untouched.
func WriteAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync() // best effort: not every file system syncs folders
		d.Close()
	}
	return nil
}

// ScreenshotPath is a new screenshot's file in dir:
// BASE-YYYYMMDD-HHMMSS.png, or BASE-YYYYMMDD-HHMMSS-N.png (N = 2, 3, ...)
// when that exists already.
func ScreenshotPath(dir, base string, t time.Time) string {
	stem := filepath.Join(dir, base+"-"+t.Format("20060102-150405"))
	p := stem + ".png"
	for n := 2; ; n++ {
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p
		}
		p = fmt.Sprintf("%s-%d.png", stem, n)
	}
}
