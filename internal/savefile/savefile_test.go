package savefile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/n64go/n64/core/cart"
)

type fakeMachine struct {
	t      cart.SaveType
	mem    []byte
	writes uint64
	paks   [4][]byte
}

func (f *fakeMachine) SaveType() cart.SaveType { return f.t }
func (f *fakeMachine) SaveData() []byte        { return f.mem }
func (f *fakeMachine) SaveWrites() uint64      { return f.writes }
func (f *fakeMachine) Mempak(p int) []byte     { return f.paks[p] }

func TestBaseNameAndExt(t *testing.T) {
	var sum [32]byte
	sum[0], sum[5], sum[6] = 0xAB, 0x01, 0xFF
	if got := BaseName("SUPER MARIO 64", sum); got != "SUPER_MARIO_64-ab0000000001" {
		t.Errorf("BaseName = %q", got)
	}
	if got := BaseName("../..", sum); got != "rom-ab0000000001" {
		t.Errorf("BaseName of a path-like title = %q", got)
	}
	for _, tc := range []struct {
		t    cart.SaveType
		want string
	}{{cart.SaveEEPROM4K, ".eep"}, {cart.SaveEEPROM16K, ".eep"}, {cart.SaveSRAM256K, ".sra"}, {cart.SaveSRAM768K, ".sra"}, {cart.SaveFlash1M, ".fla"}, {cart.SaveNone, ""}} {
		if got := Ext(tc.t); got != tc.want {
			t.Errorf("Ext(%v) = %q, want %q", tc.t, got, tc.want)
		}
	}
}

// mupen64plus/Project64 store SRAM and FlashRAM as little-endian 32-bit
// words (ares issue #2034: "SRAM and flash saves from mupen64plus and
// project64 are little endian"); EEPROM files are 2048 bytes.
func TestEncodeDecode(t *testing.T) {
	mem := make([]byte, cart.SRAM256KSize)
	copy(mem, []byte{1, 2, 3, 4, 5, 6, 7, 8})
	file := Encode(cart.SaveSRAM256K, mem)
	if !bytes.Equal(file[:8], []byte{4, 3, 2, 1, 8, 7, 6, 5}) || len(file) != 32<<10 {
		t.Errorf("sra file starts % X (len %d)", file[:8], len(file))
	}
	back := make([]byte, len(mem))
	if err := Decode(cart.SaveSRAM256K, file, back); err != nil || !bytes.Equal(back, mem) {
		t.Errorf("sra round trip: %v", err)
	}
	eep := make([]byte, 512)
	eep[0] = 0x42
	f := Encode(cart.SaveEEPROM4K, eep)
	if len(f) != 2048 || f[0] != 0x42 || f[511] != 0 || f[512] != 0xFF || f[2047] != 0xFF {
		t.Errorf("eep file: len %d, % X", len(f), f[510:514])
	}
	for _, tc := range []struct {
		t    cart.SaveType
		size int
		ok   bool
	}{
		{cart.SaveEEPROM4K, 512, true}, {cart.SaveEEPROM4K, 2048, true}, {cart.SaveEEPROM4K, 1000, false},
		{cart.SaveEEPROM16K, 512, false}, {cart.SaveEEPROM16K, 2048, true},
		{cart.SaveFlash1M, 128 << 10, true}, {cart.SaveFlash1M, 32 << 10, false},
		{cart.SaveSRAM768K, 96 << 10, true}, {cart.SaveSRAM768K, 32 << 10, false},
	} {
		err := Decode(tc.t, make([]byte, tc.size), make([]byte, tc.t.Size()))
		if (err == nil) != tc.ok {
			t.Errorf("Decode %v of %d bytes: err %v, want ok=%v", tc.t, tc.size, err, tc.ok)
		}
	}
}

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.sra")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(p, []byte("new contents")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new contents" {
		t.Errorf("file = %q", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
	if err := WriteAtomic(filepath.Join(dir, "missing", "y"), nil); err == nil {
		t.Errorf("write into a missing folder succeeded")
	}
}

// A wrong-sized file is kept aside as .bad-N (never overwritten), with a
// warning, and the machine starts blank; the next write makes a new file.
func TestCorruptFileQuarantine(t *testing.T) {
	dir := t.TempDir()
	base := "GAME-000000000000"
	p := filepath.Join(dir, base+".fla")
	os.WriteFile(p, []byte("short"), 0o644)
	os.WriteFile(p+".bad-1", []byte("older bad"), 0o644)
	m := &fakeMachine{t: cart.SaveFlash1M, mem: make([]byte, cart.FlashSize)}
	g, warns, err := Open(dir, base, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], ".bad-2") || !strings.Contains(warns[0], "wrong size") {
		t.Errorf("warnings = %q", warns)
	}
	if b, _ := os.ReadFile(p + ".bad-2"); string(b) != "short" {
		t.Errorf(".bad-2 = %q, want the corrupt file", b)
	}
	if b, _ := os.ReadFile(p + ".bad-1"); string(b) != "older bad" {
		t.Errorf(".bad-1 was touched: %q", b)
	}
	if _, err := os.Stat(p); err == nil {
		t.Errorf("corrupt file still in place")
	}
	m.mem[0] = 0x11
	m.writes++
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); len(b) != cart.FlashSize || b[3] != 0x11 {
		t.Errorf("new save not written (len %d)", len(b))
	}
}

// Files load at Open, and writes are debounced in frames.
func TestManagerLoadAndDebounce(t *testing.T) {
	dir := t.TempDir()
	base := "G-1"
	eep := make([]byte, 2048)
	eep[0] = 0x5A
	os.WriteFile(filepath.Join(dir, base+".eep"), eep, 0o644)
	mpk := make([]byte, MPKFileSize)
	mpk[0] = 0x77            // port 0
	mpk[mempakSize+1] = 0x88 // port 1 (no pak plugged: kept as is)
	os.WriteFile(filepath.Join(dir, base+".mpk"), mpk, 0o644)

	m := &fakeMachine{t: cart.SaveEEPROM4K, mem: make([]byte, 512)}
	m.paks[0] = make([]byte, mempakSize)
	g, warns, err := Open(dir, base, m)
	if err != nil || len(warns) != 0 {
		t.Fatalf("Open: %v %v", err, warns)
	}
	if m.mem[0] != 0x5A || m.paks[0][0] != 0x77 {
		t.Fatalf("not loaded: eep %#x pak %#x", m.mem[0], m.paks[0][0])
	}
	g.Debounce = 3
	m.mem[1] = 0x01
	m.writes++
	for f := 0; f < 3; f++ {
		g.Frame(f)
		if b, _ := os.ReadFile(filepath.Join(dir, base+".eep")); b[1] != 0 {
			t.Fatalf("written at frame %d, before the debounce", f)
		}
	}
	g.Frame(3)
	b, _ := os.ReadFile(filepath.Join(dir, base+".eep"))
	if b[1] != 0x01 || len(b) != 2048 {
		t.Errorf("not written after the debounce")
	}
	mb, _ := os.ReadFile(filepath.Join(dir, base+".mpk"))
	if mb[0] != 0x77 || mb[mempakSize+1] != 0x88 {
		t.Errorf("mpk rewritten wrongly")
	}
}

// A game that writes every frame still gets its file written after
// MaxDelay frames.
func TestManagerMaxDelay(t *testing.T) {
	dir := t.TempDir()
	m := &fakeMachine{t: cart.SaveSRAM256K, mem: make([]byte, cart.SRAM256KSize)}
	g, _, err := Open(dir, "B", m)
	if err != nil {
		t.Fatal(err)
	}
	g.Debounce, g.MaxDelay = 5, 20
	p := filepath.Join(dir, "B.sra")
	for f := 0; f < 20; f++ {
		m.writes++
		g.Frame(f)
		if _, err := os.Stat(p); err == nil {
			t.Fatalf("written at frame %d, before MaxDelay", f)
		}
	}
	m.writes++
	g.Frame(20)
	if _, err := os.Stat(p); err != nil {
		t.Errorf("not written after MaxDelay: %v", err)
	}
}

// A new .mpk holds all four paks formatted, as mupen64plus creates one
// (main.c open_mpk_file): the plugged pak as the game left it, the other
// ports byte for byte mupen64plus' netplay default pak for that port (the
// SHA-256 of each 32 KiB pak its format_mempak wrote with seed 0; see
// core/pif mupenPaks). An existing file keeps its bytes for ports without
// a pak.
func TestNewMPKFormatsEveryPort(t *testing.T) {
	mupen := [4]string{
		"ef53779c7d80de111a124d213d61a338a95827ac0cf0de9330cee8a691094a04",
		"bc005018fd13142d1eddb2ea13f2b3eaae57f4bc2098b4298968561a559ab783",
		"1ad68cc802d754906d6bce162c61721326f295dbab995f129b7c7135266a29ba",
		"e15b28b38dfac1e2695e3eb138437ce242830e512a734d92d7ad569312165ccb",
	}
	for _, tc := range []struct {
		name string
		old  []byte // file before, nil for none
	}{{"new file", nil}, {"existing file", bytes.Repeat([]byte{0xC3}, MPKFileSize)}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "P.mpk")
			if tc.old != nil {
				if err := os.WriteFile(path, tc.old, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			m := &fakeMachine{}
			m.paks[2] = make([]byte, mempakSize)
			g, warns, err := Open(dir, "P", m)
			if err != nil || len(warns) != 0 {
				t.Fatalf("Open: %v %v", err, warns)
			}
			m.paks[2][0x300] = 0x42 // the game writes a note
			m.writes++
			if err := g.Close(); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil || len(b) != MPKFileSize {
				t.Fatalf("mpk: %d bytes, %v", len(b), err)
			}
			for p := range 4 {
				pak := b[p*mempakSize : (p+1)*mempakSize]
				switch {
				case p == 2:
					if !bytes.Equal(pak, m.paks[2]) {
						t.Errorf("port 2: not the plugged pak")
					}
				case tc.old != nil:
					if !bytes.Equal(pak, tc.old[p*mempakSize:(p+1)*mempakSize]) {
						t.Errorf("port %d: existing contents not kept", p)
					}
				default:
					if sum := sha256.Sum256(pak); hex.EncodeToString(sum[:]) != mupen[p] {
						t.Errorf("port %d: not mupen64plus' default pak (ID block % X)", p, pak[0x20:0x40])
					}
				}
			}
		})
	}
}
