package cart

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipEntry is one file of a test archive; a method the zip package cannot
// compress with is written raw, as an archiver supporting it would have.
type zipEntry struct {
	name   string
	data   []byte
	method uint16
}

func zipBytes(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		create := zw.CreateHeader
		if e.method != zip.Store && e.method != zip.Deflate {
			create = zw.CreateRaw
		}
		w, err := create(&zip.FileHeader{Name: e.name, Method: e.method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLoad(t *testing.T) {
	z := synthROM(8192)
	other := synthROM(4096)
	copy(other[0x20:0x34], "THE OTHER ROM       ")
	tests := []struct {
		name      string
		file      string
		data      []byte
		wantOrder ByteOrder
		wantData  []byte
	}{
		{"plain z64", "game.z64", z, BigEndian, z},
		{"plain n64 named .z64", "game.z64", swap32(z), LittleEndian, z},
		{"gzip named .bin", "game.bin", gzipBytes(t, swap16(z)), ByteSwapped, z},
		{"gzip named .zip", "game.zip", gzipBytes(t, z), BigEndian, z},
		{"zip: first ROM entry after a text file and a directory", "roms.dat", zipBytes(t,
			zipEntry{"README.txt", []byte("not a rom at all"), zip.Deflate},
			zipEntry{"dir/", nil, zip.Store},
			zipEntry{"tiny", []byte{0x80}, zip.Deflate},
			zipEntry{"lzma.z64", other, 14}, // LZMA, which Go cannot open
			zipEntry{"game.n64", swap32(z), zip.Deflate},
			zipEntry{"other.z64", other, zip.Deflate},
		), LittleEndian, z},
		{"zip stored", "game.zip", zipBytes(t, zipEntry{"game.v64", swap16(z), zip.Store}), ByteSwapped, z},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Load(writeFile(t, tc.file, tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if r.Order != tc.wantOrder {
				t.Errorf("Order = %v, want %v", r.Order, tc.wantOrder)
			}
			if !bytes.Equal(r.Data, tc.wantData) {
				t.Errorf("Data differs (len %d, want %d)", len(r.Data), len(tc.wantData))
			}
			if r.Header.Title != "SYNTHETIC TEST ROM" {
				t.Errorf("Title = %q", r.Header.Title)
			}
		})
	}
}

// bomb writes a compressed stream that starts like a ROM and inflates to one
// byte more than the 128 MiB limit, without holding it all in memory.
func bomb(t *testing.T, w io.Writer) {
	t.Helper()
	chunk := make([]byte, 1<<20)
	copy(chunk, synthROM(4096))
	for i := 0; i < 128; i++ {
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
		clear(chunk)
	}
	if _, err := w.Write([]byte{0}); err != nil {
		t.Fatal(err)
	}
}

func TestLoadErrors(t *testing.T) {
	z := synthROM(4096)
	gz := gzipBytes(t, z)
	dir := t.TempDir()

	t.Run("missing file", func(t *testing.T) {
		path := filepath.Join(dir, "nope.z64")
		_, err := Load(path)
		checkOneLine(t, err, path, "cannot read", "no such file")
		if n := strings.Count(err.Error(), path); n != 1 {
			t.Errorf("error %q names the path %d times, want once", err, n)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("errors.Is(err, fs.ErrNotExist) = false for %v", err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		_, err := Load(dir)
		checkOneLine(t, err, dir, "cannot read")
	})

	tests := []struct {
		name string
		file string
		data []byte
		want []string
	}{
		{"truncated", "foo.z64", z[:812], []string{"foo.z64: truncated: 812 bytes, a ROM needs at least 4096"}},
		{"empty", "empty.z64", nil, []string{"empty.z64: truncated: 0 bytes"}},
		{"not a ROM", "foo.z64", []byte("\x12\x34\x56\x78 and more"), []string{"foo.z64: not an N64 ROM (first word 0x12345678)"}},
		{"truncated gzip stream", "foo.gz", gz[:len(gz)/2], []string{"foo.gz: gzip:", "unexpected EOF"}},
		{"gzip header only", "foo.gz", []byte{0x1F, 0x8B}, []string{"foo.gz: gzip:"}},
		{"gzip of a short ROM", "foo.gz", gzipBytes(t, z[:1000]), []string{"foo.gz: truncated: 1000 bytes"}},
		{"gzip of not a ROM", "foo.gz", gzipBytes(t, []byte("hello, world")), []string{"foo.gz: not an N64 ROM (first word 0x68656C6C)"}},
		{"zip without ROM", "foo.zip", zipBytes(t, zipEntry{"a.txt", []byte("text"), zip.Deflate}, zipEntry{"b/", nil, zip.Store}),
			[]string{"foo.zip: no N64 ROM among the 2 entries of the zip archive"}},
		{"zip local header only", "foo.zip", []byte("PK\x03\x04 not really"), []string{"foo.zip: zip:"}},
		{"zip with a short ROM", "foo.zip", zipBytes(t, zipEntry{"x.z64", z[:2000], zip.Deflate}), []string{"foo.zip: truncated: 2000 bytes"}},
		{"name with a newline", "two\nlines.z64", z[:10], []string{`"`, `two\nlines.z64`, "truncated"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Load(writeFile(t, tc.file, tc.data))
			if r != nil {
				t.Errorf("got a ROM with the error")
			}
			checkOneLine(t, err, tc.want...)
		})
	}
}

func TestLoadTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and inflates 128 MiB")
	}
	var gz bytes.Buffer
	gw, err := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	bomb(t, gw)
	if err := gw.Close(); err != nil {
		t.Fatal(err)
	}

	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, err := zw.Create("huge.z64")
	if err != nil {
		t.Fatal(err)
	}
	bomb(t, w)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}

	plain := filepath.Join(t.TempDir(), "huge.z64")
	f, err := os.Create(plain)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file, so the test does not fill the disk.
	if err := f.Truncate(128<<20 + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()

	tests := []struct {
		name string
		path string
		want []string
	}{
		{"gzip", writeFile(t, "huge.gz", gz.Bytes()), []string{"huge.gz: too large: more than 128 MiB uncompressed"}},
		{"zip", writeFile(t, "huge.zip", zb.Bytes()), []string{"huge.zip: too large: more than 128 MiB uncompressed"}},
		{"plain", plain, []string{"huge.z64: too large: more than 128 MiB"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.path)
			checkOneLine(t, err, tc.want...)
		})
	}
}
