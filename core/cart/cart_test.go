package cart

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"hash/crc32"
	"strings"
	"testing"
)

// synthROM builds a big-endian ROM of the given size with known header
// fields and a patterned body.
func synthROM(size int) []byte {
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(i*7 + 3)
	}
	copy(b[0x00:], []byte{0x80, 0x37, 0x12, 0x40})
	copy(b[0x04:], []byte{0x00, 0x00, 0x00, 0x0F})
	copy(b[0x08:], []byte{0x80, 0x00, 0x04, 0x00})
	copy(b[0x0C:], []byte{0x00, 0x00, 0x14, 0x4B})
	copy(b[0x10:], []byte{0x11, 0x22, 0x33, 0x44})
	copy(b[0x14:], []byte{0x55, 0x66, 0x77, 0x88})
	copy(b[0x20:0x34], "SYNTHETIC TEST ROM  ")
	copy(b[0x3B:0x40], []byte{'N', 'X', 'Y', 'E', 0x01})
	return b
}

// swap16 and swap32 make the file a V64 or N64 copier would have written.
func swap16(z []byte) []byte {
	out := make([]byte, len(z))
	for i := 0; i+1 < len(z); i += 2 {
		out[i] = z[i+1]
		out[i+1] = z[i]
	}
	return out
}

func swap32(z []byte) []byte {
	out := make([]byte, len(z))
	for i := 0; i+3 < len(z); i += 4 {
		out[i] = z[i+3]
		out[i+1] = z[i+2]
		out[i+2] = z[i+1]
		out[i+3] = z[i]
	}
	return out
}

func TestByteOrders(t *testing.T) {
	z := synthROM(4096)
	tests := []struct {
		name      string
		file      []byte
		wantOrder ByteOrder
		wantName  string
		firstWord []byte
	}{
		{"z64", append([]byte(nil), z...), BigEndian, "z64", []byte{0x80, 0x37, 0x12, 0x40}},
		{"v64", swap16(z), ByteSwapped, "v64", []byte{0x37, 0x80, 0x40, 0x12}},
		{"n64", swap32(z), LittleEndian, "n64", []byte{0x40, 0x12, 0x37, 0x80}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Equal(tc.file[:4], tc.firstWord) {
				t.Fatalf("test setup: first word % X, want % X", tc.file[:4], tc.firstWord)
			}
			r, err := Parse(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if r.Order != tc.wantOrder {
				t.Errorf("Order = %v, want %v", r.Order, tc.wantOrder)
			}
			if got := r.Order.String(); got != tc.wantName {
				t.Errorf("Order.String() = %q, want %q", got, tc.wantName)
			}
			if !bytes.Equal(r.Data, z) {
				t.Errorf("Data differs from the big-endian ROM")
			}
			if r.Header.Title != "SYNTHETIC TEST ROM" {
				t.Errorf("Title = %q", r.Header.Title)
			}
			// A converted ROM must not share memory with the caller's slice;
			// an unconverted one is used in place.
			tc.file[0x100] ^= 0xFF
			changed := r.Data[0x100] != z[0x100]
			if want := tc.wantOrder == BigEndian; changed != want {
				t.Errorf("Data aliases the input: %v, want %v", changed, want)
			}
		})
	}
}

// TestOddLengths checks that files whose length is not a whole number of
// words are converted without panicking and with every byte in its place;
// the missing partner bytes of the last unit read as zero.
func TestOddLengths(t *testing.T) {
	z := synthROM(4100)
	tests := []struct {
		name string
		file []byte
		want []byte
	}{
		{"z64 4097", z[:4097], z[:4097]},
		{"v64 4097", swap16(z)[:4097], append(append([]byte(nil), z[:4096]...), 0, z[4097])},
		{"n64 4097", swap32(z)[:4097], append(append([]byte(nil), z[:4096]...), 0, 0, 0, z[4099])},
		{"n64 4098", swap32(z)[:4098], append(append([]byte(nil), z[:4096]...), 0, 0, z[4098], z[4099])},
		{"n64 4099", swap32(z)[:4099], append(append([]byte(nil), z[:4096]...), 0, z[4097], z[4098], z[4099])},
		{"v64 4098", swap16(z)[:4098], z[:4098]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(r.Data, tc.want) {
				t.Errorf("len %d tail % X, want len %d tail % X",
					len(r.Data), r.Data[4090:], len(tc.want), tc.want[4090:])
			}
		})
	}
}

func TestHeader(t *testing.T) {
	r, err := Parse(synthROM(8192))
	if err != nil {
		t.Fatal(err)
	}
	h := r.Header
	tests := []struct {
		field     string
		got, want any
	}{
		{"ClockRate", h.ClockRate, uint32(0x0000000F)},
		{"EntryPoint", h.EntryPoint, uint32(0x80000400)},
		{"Release", h.Release, uint32(0x0000144B)},
		{"CRC1", h.CRC1, uint32(0x11223344)},
		{"CRC2", h.CRC2, uint32(0x55667788)},
		{"Title", h.Title, "SYNTHETIC TEST ROM"},
		{"GameCode", h.GameCode, "NXYE"},
		{"Region", h.Region, byte('E')},
		{"Version", h.Version, byte(0x01)},
		{"SaveType", h.SaveType, SaveNone},
		{"HasSaveType", h.HasSaveType, false},
		{"RegionName", r.RegionName(), "USA"},
		{"CIC", r.CIC, CICUnknown},
		{"len(Data)", len(r.Data), 8192},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.field, tc.got, tc.want)
		}
	}
}

func TestTitleAndGameCode(t *testing.T) {
	tests := []struct {
		name      string
		title     string // the 20 raw bytes at 0x20
		code      string // the 4 raw bytes at 0x3B
		wantTitle string
		wantCode  string
	}{
		{"space padded", "SUPER MARIO 64      ", "NSME", "SUPER MARIO 64", "NSME"},
		{"NUL padded", "Audio Player\x00\x00\x00\x00\x00\x00\x00\x00", "\x00\x00\x00\x00", "Audio Player", ""},
		{"leading padding", "  \x00 Hello\x00 \x00\x00\x00\x00\x00\x00\x00\x00\x00", "\x00ED\x00", "Hello", "?ED?"},
		{"control byte inside", "AB\x01CD\x1b[2J           ", "N\x7fZE", "AB\uFFFDCD\uFFFD[2J", "N?ZE"},
		{"half-width katakana", "\xc4\xde\xd7\xb4\xd3\xdd\xa1\xdf            ", "NDOJ", "ﾄﾞﾗｴﾓﾝ｡ﾟ", "NDOJ"},
		{"high bytes", "\x80\xff\xe0                 ", "    ", "\uFFFD\uFFFD\uFFFD", ""},
		{"all blank", "                    ", "NAAE", "", "NAAE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.title) != 20 || len(tc.code) != 4 {
				t.Fatalf("test setup: title %d bytes, code %d bytes", len(tc.title), len(tc.code))
			}
			b := synthROM(4096)
			copy(b[0x20:0x34], tc.title)
			copy(b[0x3B:0x3F], tc.code)
			r, err := Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			if r.Header.Title != tc.wantTitle {
				t.Errorf("Title = %q, want %q", r.Header.Title, tc.wantTitle)
			}
			if r.Header.GameCode != tc.wantCode {
				t.Errorf("GameCode = %q, want %q", r.Header.GameCode, tc.wantCode)
			}
		})
	}
}

func TestRegionName(t *testing.T) {
	tests := []struct {
		code byte
		want string
	}{
		{'E', "USA"},
		{'J', "Japan"},
		{'P', "Europe"},
		{'D', "Germany"},
		{'F', "France"},
		{'U', "Australia"},
		{'X', "Europe"},
		{'Q', "Unknown (Q)"},
		{0x00, "Unknown (0x00)"},
		{' ', "Unknown (0x20)"},
		{0xC8, "Unknown (0xC8)"},
	}
	for _, tc := range tests {
		b := synthROM(4096)
		b[0x3E] = tc.code
		r, err := Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.RegionName(); got != tc.want {
			t.Errorf("region 0x%02X: RegionName() = %q, want %q", tc.code, got, tc.want)
		}
	}
}

func TestSaveType(t *testing.T) {
	tests := []struct {
		name     string
		id       string // bytes 0x3C..0x3D
		b3f      byte
		wantType SaveType
		wantHas  bool
	}{
		{"ED none", "ED", 0x00, SaveNone, true},
		{"ED eeprom4k", "ED", 0x10, SaveEEPROM4K, true},
		{"ED eeprom16k", "ED", 0x20, SaveEEPROM16K, true},
		{"ED sram256k + RTC flag", "ED", 0x31, SaveSRAM256K, true},
		{"ED sram768k", "ED", 0x40, SaveSRAM768K, true},
		{"ED flash + region-free flag", "ED", 0x52, SaveFlash1M, true},
		{"ED sram1m", "ED", 0x60, SaveSRAM1M, true},
		{"ED undefined type", "ED", 0x70, SaveNone, false},
		{"ED undefined type F", "ED", 0xF3, SaveNone, false},
		{"not ED", "SM", 0x10, SaveNone, false},
		{"lower-case ed", "ed", 0x10, SaveNone, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := synthROM(4096)
			copy(b[0x3C:0x3E], tc.id)
			b[0x3F] = tc.b3f
			r, err := Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			if r.Header.SaveType != tc.wantType || r.Header.HasSaveType != tc.wantHas {
				t.Errorf("SaveType, HasSaveType = %v, %v, want %v, %v",
					r.Header.SaveType, r.Header.HasSaveType, tc.wantType, tc.wantHas)
			}
			if r.Header.Version != tc.b3f {
				t.Errorf("Version = 0x%02X, want 0x%02X", r.Header.Version, tc.b3f)
			}
		})
	}
}

func TestStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{BigEndian.String(), "z64"},
		{ByteSwapped.String(), "v64"},
		{LittleEndian.String(), "n64"},
		{ByteOrder(7).String(), "ByteOrder(7)"},
		{SaveNone.String(), "none"},
		{SaveEEPROM4K.String(), "EEPROM 4K"},
		{SaveEEPROM16K.String(), "EEPROM 16K"},
		{SaveSRAM256K.String(), "SRAM 256K"},
		{SaveSRAM768K.String(), "SRAM 768K"},
		{SaveFlash1M.String(), "FlashRAM 1M"},
		{SaveSRAM1M.String(), "SRAM 1M"},
		{SaveType(9).String(), "SaveType(9)"},
		{CIC(42).String(), "CIC(42)"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// forgeIPL3 returns 0xFC0 bytes of stand-in IPL3 whose CRC-32 is want: a
// pattern followed by four bytes solved for. It runs the table-driven CRC
// backwards (the top bytes of the 256 table entries are all distinct, so each
// step's table index can be read off the register), then forwards from the
// pattern's CRC to find the bytes that select those indices.
func forgeIPL3(t *testing.T, want uint32) []byte {
	tab := crc32.MakeTable(crc32.IEEE)
	b := make([]byte, ipl3End-ipl3Start)
	for i := range b {
		b[i] = byte(i*13 + 5)
	}
	var idx [4]byte
	reg := ^want
	for k := 3; k >= 0; k-- {
		for i := range tab {
			if tab[i]>>24 == reg>>24 {
				idx[k] = byte(i)
			}
		}
		reg = (reg ^ tab[idx[k]]) << 8
	}
	reg = ^crc32.ChecksumIEEE(b[:len(b)-4])
	for k := range idx {
		b[len(b)-4+k] = byte(reg) ^ idx[k]
		reg = reg>>8 ^ tab[idx[k]]
	}
	if got := crc32.ChecksumIEEE(b); got != want {
		t.Fatalf("test setup: forged IPL3 has CRC 0x%08X, want 0x%08X", got, want)
	}
	return b
}

func TestCIC(t *testing.T) {
	// IPL3 CRC-32s from cen64 si.c; seeds from cen64, ares and mupen64plus.
	tests := []struct {
		crc        uint32
		want       CIC
		wantName   string
		wantBootAs CIC
		wantSeed   byte
	}{
		{0x6170A4A1, CIC6101, "6101", CIC6101, 0x3F},
		{0x90BB6CB5, CIC6102, "6102/7101", CIC6102, 0x3F},
		{0x0B050EE0, CIC6103, "6103/7103", CIC6103, 0x78},
		{0x98BC2C86, CIC6105, "6105/7105", CIC6105, 0x91},
		{0xACC8580A, CIC6106, "6106/7106", CIC6106, 0x85},
		{0x009E9EA3, CIC7102, "7102", CIC7102, 0x3F},
		{0x12345678, CICUnknown, "unknown", CIC6102, 0x3F},
	}
	for _, tc := range tests {
		t.Run(tc.wantName, func(t *testing.T) {
			b := synthROM(4096)
			copy(b[ipl3Start:ipl3End], forgeIPL3(t, tc.crc))
			r, err := Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			if r.CIC != tc.want {
				t.Errorf("CIC = %v, want %v", r.CIC, tc.want)
			}
			if got := r.CIC.String(); got != tc.wantName {
				t.Errorf("String() = %q, want %q", got, tc.wantName)
			}
			if got := r.CIC.BootAs(); got != tc.wantBootAs {
				t.Errorf("BootAs() = %v, want %v", got, tc.wantBootAs)
			}
			if got := r.CIC.Seed(); got != tc.wantSeed {
				t.Errorf("Seed() = 0x%02X, want 0x%02X", got, tc.wantSeed)
			}
		})
	}
}

func TestHashes(t *testing.T) {
	z := synthROM(6000)
	wantMD5 := md5.Sum(z)
	wantSHA := sha256.Sum256(z)
	for _, file := range [][]byte{append([]byte(nil), z...), swap16(z), swap32(z)} {
		r, err := Parse(file)
		if err != nil {
			t.Fatal(err)
		}
		if r.MD5 != wantMD5 {
			t.Errorf("%v: MD5 = %x, want %x", r.Order, r.MD5, wantMD5)
		}
		if r.SHA256 != wantSHA {
			t.Errorf("%v: SHA256 = %x, want %x", r.Order, r.SHA256, wantSHA)
		}
	}
}

// checkOneLine fails unless err is a single-line cart error mentioning all
// of want.
func checkOneLine(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one mentioning %q", want)
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("error spans several lines: %q", msg)
	}
	if !strings.HasPrefix(msg, "cart: ") {
		t.Errorf("error %q does not start with \"cart: \"", msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not mention %q", msg, w)
		}
	}
}

func TestParseErrors(t *testing.T) {
	z := synthROM(4096)
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"empty", nil, []string{"truncated: 0 bytes", "4096"}},
		{"3 bytes", z[:3], []string{"truncated: 3 bytes"}},
		{"812 bytes", z[:812], []string{"truncated: 812 bytes", "at least 4096"}},
		{"4095 bytes v64", swap16(z)[:4095], []string{"truncated: 4095 bytes"}},
		{"not a ROM", append([]byte{0x12, 0x34, 0x56, 0x78}, z[4:]...), []string{"not an N64 ROM", "0x12345678"}},
		{"short non-ROM", []byte("PNG\x00"), []string{"not an N64 ROM", "0x504E4700"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.data)
			if r != nil {
				t.Errorf("got a ROM with the error")
			}
			checkOneLine(t, err, tc.want...)
		})
	}
}
