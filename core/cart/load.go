package cart

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// maxSize bounds how much Load reads or decompresses. The largest
// cartridges are 64 MiB (512 Mbit); twice that leaves room for homebrew and
// keeps a hostile archive from exhausting memory.
const maxSize = 128 << 20

// Load reads a ROM file. Gzip (magic 1F 8B) and zip (magic "PK\x03\x04")
// files are recognised by content, whatever their name; from a zip the first
// entry whose content starts like a ROM is used.
func Load(path string) (*ROM, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, fail(path, err.Error(), err)
	}
	return decode(path, data)
}

// readFile reads at most maxSize bytes of the file, reporting an OS error
// without repeating the path.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, cannotRead(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		if fi.Size() > maxSize {
			return nil, tooLarge("")
		}
		// Size the buffer up front so a 64 MiB ROM is read without regrowing.
		buf.Grow(int(fi.Size()) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, maxSize+1)); err != nil {
		return nil, cannotRead(err)
	}
	if buf.Len() > maxSize {
		return nil, tooLarge("")
	}
	return buf.Bytes(), nil
}

func cannotRead(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot read: %w", err)
}

func tooLarge(what string) error {
	return fmt.Errorf("too large: more than %d MiB%s", maxSize>>20, what)
}

// decode unpacks data when it is compressed and parses the ROM; name prefixes
// the errors.
func decode(name string, data []byte) (*ROM, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0x1F, 0x8B}):
		raw, err := gunzip(data)
		if err != nil {
			return nil, fail(name, err.Error(), err)
		}
		data = raw
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		raw, err := unzip(data)
		if err != nil {
			return nil, fail(name, err.Error(), err)
		}
		data = raw
	}
	r, err := parse(data)
	if err != nil {
		return nil, fail(name, err.Error(), nil)
	}
	return r, nil
}

func gunzip(data []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return readLimited(zr, "gzip")
}

// unzip returns the content of the first entry that starts with one of the
// three ROM magic words.
func unzip(data []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	// ErrInsecurePath only flags entry names unsafe to extract to disk; the
	// entries are read into memory here, so the archive is still usable.
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("zip: %w", err)
	}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			continue // e.g. a compression method Go does not support
		}
		head := make([]byte, 4)
		if _, err := io.ReadFull(rc, head); err == nil && isROMStart(head) {
			raw, err := readLimited(io.MultiReader(bytes.NewReader(head), rc), "zip: "+printable(f.Name))
			rc.Close()
			return raw, err
		}
		rc.Close()
	}
	return nil, fmt.Errorf("no N64 ROM among the %d entries of the zip archive", len(zr.File))
}

func isROMStart(head []byte) bool {
	_, ok := orderOf(binary.BigEndian.Uint32(head))
	return ok
}

// readLimited reads a decompressed stream, refusing more than maxSize bytes.
func readLimited(r io.Reader, what string) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if len(raw) > maxSize {
		return nil, tooLarge(" uncompressed")
	}
	return raw, nil
}

// fail builds the package's one-line error: "cart: NAME: MSG", or "cart: MSG"
// without a name. wrapped, when not nil, stays reachable through errors.Is.
func fail(name, msg string, wrapped error) error {
	prefix := "cart: "
	if name != "" {
		prefix += printable(name) + ": "
	}
	return &loadError{msg: prefix + strings.Join(strings.Fields(msg), " "), err: wrapped}
}

type loadError struct {
	msg string
	err error
}

func (e *loadError) Error() string { return e.msg }
func (e *loadError) Unwrap() error { return e.err }

// printable quotes a name that holds control characters, so it cannot break
// the error onto several lines.
func printable(name string) string {
	if strings.IndexFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7F }) >= 0 {
		return strconv.Quote(name)
	}
	return name
}
