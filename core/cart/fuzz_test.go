package cart

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"testing"
)

func FuzzParse(f *testing.F) {
	z := synthROM(4096)
	f.Add(z)
	f.Add(swap16(z))
	f.Add(swap32(z))
	f.Add(swap32(synthROM(4100))[:4099])
	f.Add(z[:4095])
	f.Add(z[:4])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		in := append([]byte(nil), data...)
		r, err := Parse(data)
		if !bytes.Equal(data, in) {
			t.Fatalf("Parse modified its input")
		}
		if err != nil {
			if r != nil {
				t.Fatalf("ROM and error both returned")
			}
			return
		}
		if len(r.Data) < 4096 || len(r.Data) < len(data) || len(r.Data) > len(data)+3 {
			t.Fatalf("len(Data) = %d for %d input bytes", len(r.Data), len(data))
		}
		if w := binary.BigEndian.Uint32(r.Data); w != 0x80371240 {
			t.Fatalf("Data starts with 0x%08X", w)
		}
		if r.CIC < CIC6101 || r.CIC > CICUnknown {
			t.Fatalf("CIC = %d", int(r.CIC))
		}
	})
}

// FuzzDecode feeds hostile bytes to the gzip and zip paths of Load.
func FuzzDecode(f *testing.F) {
	z := synthROM(4096)
	f.Add(z)
	f.Add(gzipBytes(f, z))
	f.Add(zipBytes(f, zipEntry{"a.txt", []byte("x"), zip.Deflate}, zipEntry{"g.n64", swap32(z), zip.Deflate}))
	f.Add(zipBytes(f, zipEntry{"g.v64", swap16(z), zip.Store}))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{0x1F, 0x8B, 8, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := decode("fuzz", data)
		if (r == nil) == (err == nil) {
			t.Fatalf("decode returned ROM %v and error %v", r != nil, err)
		}
	})
}
