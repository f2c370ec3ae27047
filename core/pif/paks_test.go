package pif

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/n64go/n64/core/state"
)

// Address CRCs from the addresses libultra and libdragon send (libdragon
// joybus_accessory_internal.h, the probe and rumble writes in
// TestPakWithoutPak): 0x0000 → 0x0000, 0x8000 → 0x8001, 0xC000 → 0xC01B.
func TestAddrCRC(t *testing.T) {
	for _, tc := range []struct {
		addr uint16
		want byte
	}{{0x0000, 0x00}, {0x8000, 0x01}, {0xC000, 0x1B}} {
		if got := addrCRC(tc.addr); got != tc.want {
			t.Errorf("addrCRC(%#04x) = %#02x, want %#02x", tc.addr, got, tc.want)
		}
	}
}

// Data CRCs of 32 repeated bytes: the complements of cube64's "no pak"
// answers (see TestPakWithoutPak): 0x00→0x00, 0x01→0xEB, 0x02→0x53,
// 0x10→0x17, 0x20→0x2E.
func TestDataCRC(t *testing.T) {
	for _, tc := range []struct{ fill, want byte }{
		{0x00, 0x00}, {0x01, 0xEB}, {0x02, 0x53}, {0x10, 0x17}, {0x20, 0x2E},
	} {
		if got := dataCRC(bytes.Repeat([]byte{tc.fill}, 32)); got != tc.want {
			t.Errorf("dataCRC(32×%#02x) = %#02x, want %#02x", tc.fill, got, tc.want)
		}
	}
}

// pakWrite builds a 0x03 block for port 0 at addr (with its CRC bits as
// given) filled with fill; the answer CRC lands at out[37].
func pakWrite(addr uint16, fill byte) *[RAMSize]byte {
	b := []byte{0x23, 0x01, jbPakWrite, byte(addr >> 8), byte(addr)}
	b = append(b, bytes.Repeat([]byte{fill}, 32)...)
	b = append(b, 0x00, 0xFE)
	return block(0x01, b...)
}

func pakRead(addr uint16) *[RAMSize]byte {
	b := []byte{0x03, 0x21, jbPakRead, byte(addr >> 8), byte(addr)}
	b = append(b, make([]byte, 33)...)
	b = append(b, 0xFE)
	return block(0x01, b...)
}

func TestControllerPak(t *testing.T) {
	p := New()
	mem := make([]byte, MempakSize)
	p.SetPak(0, PakController, mem)

	out := exchange(p, block(0x01, 0x01, 0x03, 0x00, 0, 0, 0, 0xFE))
	if out[5] != statusPak {
		t.Errorf("status with pak = %#02x, want 0x01", out[5])
	}
	// Write 0x01s at 0x0100 (CRC from addrCRC), read them back.
	addr := uint16(0x0100) | uint16(addrCRC(0x0100))
	out = exchange(p, pakWrite(addr, 0x01))
	if out[37] != 0xEB {
		t.Errorf("write answer CRC = %#02x, want 0xEB", out[37])
	}
	if !bytes.Equal(mem[0x100:0x120], bytes.Repeat([]byte{1}, 32)) || mem[0xFF] != 0 || mem[0x120] != 0 {
		t.Errorf("pak memory not written in place at 0x100")
	}
	if p.SaveWrites != 1 {
		t.Errorf("SaveWrites = %d, want 1", p.SaveWrites)
	}
	out = exchange(p, pakRead(addr))
	if !bytes.Equal(out[5:37], bytes.Repeat([]byte{1}, 32)) || out[37] != 0xEB {
		t.Errorf("read back % X CRC %#02x", out[5:37], out[37])
	}
	// A wrong address CRC sets status bit 0x04.
	exchange(p, pakRead(0x0100))
	out = exchange(p, block(0x01, 0x01, 0x03, 0x00, 0, 0, 0, 0xFE))
	if out[5] != statusPak|statusAddrCRCError {
		t.Errorf("status after bad address CRC = %#02x, want 0x05", out[5])
	}
	// Above 0x7FFF a Controller Pak reads zeros.
	out = exchange(p, pakRead(0x8001))
	if out[37] != 0x00 || out[5] != 0 {
		t.Errorf("read at 0x8000 = %#02x… CRC %#02x, want zeros", out[5], out[37])
	}
}

func TestRumbleAndTransferPak(t *testing.T) {
	p := New()
	p.SetPak(0, PakRumble, nil)
	out := exchange(p, pakRead(0x8001))
	if !bytes.Equal(out[5:37], bytes.Repeat([]byte{0x80}, 32)) {
		t.Errorf("rumble probe read = % X, want 32×80", out[5:37])
	}
	exchange(p, pakWrite(0xC01B, 0x01))
	if !p.Rumble(0) {
		t.Errorf("motor off after writing 0x01 to 0xC000")
	}
	exchange(p, pakWrite(0xC01B, 0x00))
	if p.Rumble(0) {
		t.Errorf("motor on after writing 0x00 to 0xC000")
	}
	if p.SaveWrites != 0 {
		t.Errorf("rumble writes counted as save writes")
	}

	p.SetPak(1, PakTransfer, nil)
	p.SetPak(0, PakTransfer, nil)
	out = exchange(p, pakRead(0x8001))
	if out[5] != 0x00 {
		t.Errorf("transfer pak off reads %#02x at 0x8000, want 0", out[5])
	}
	exchange(p, pakWrite(0x8001, tpakPowerOn))
	out = exchange(p, pakRead(0x8001))
	if out[5] != 0x84 {
		t.Errorf("transfer pak on reads %#02x at 0x8000, want 0x84", out[5])
	}
}

// EEPROM answers on channel 4 (n64brew "Joybus Protocol"/"EEPROM"): info
// 00 80 00 (4 Kbit) or 00 C0 00 (16 Kbit), busy bit 0x80 during a write.
func TestEEPROM(t *testing.T) {
	for _, tc := range []struct {
		size    int
		typ     byte
		nblocks int
	}{{EEPROM4KSize, 0x80, 64}, {EEPROM16KSize, 0xC0, 256}} {
		p := New()
		var now uint64
		p.SetClock(func() uint64 { return now })
		mem := make([]byte, tc.size)
		p.SetEEPROM(mem)
		info := block(0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x00, 0, 0, 0, 0xFE)
		out := exchange(p, info)
		if got := out[7:10]; !bytes.Equal(got, []byte{0x00, tc.typ, 0x00}) {
			t.Errorf("%d: info = % X", tc.size, got)
		}
		// Write block 3.
		wr := block(0x01, 0, 0, 0, 0, 0x0A, 0x01, jbEEPROMWrite, 3, 1, 2, 3, 4, 5, 6, 7, 8, 0xAA, 0xFE)
		out = exchange(p, wr)
		if out[5] != 0x01 || out[16] != 0x00 {
			t.Errorf("%d: write RX len %#02x answer %#02x", tc.size, out[5], out[16])
		}
		if !bytes.Equal(mem[24:32], []byte{1, 2, 3, 4, 5, 6, 7, 8}) {
			t.Errorf("%d: block 3 = % X", tc.size, mem[24:32])
		}
		out = exchange(p, info)
		if out[9] != 0x80 {
			t.Errorf("%d: status right after a write = %#02x, want busy 0x80", tc.size, out[9])
		}
		now = EEPROMWriteCycles
		out = exchange(p, info)
		if out[9] != 0x00 {
			t.Errorf("%d: status after 15 ms = %#02x, want 0", tc.size, out[9])
		}
		rd := block(0x01, 0, 0, 0, 0, 0x02, 0x08, jbEEPROMRead, byte(3+tc.nblocks), 0, 0, 0, 0, 0, 0, 0, 0, 0xFE)
		out = exchange(p, rd)
		if !bytes.Equal(out[8:16], []byte{1, 2, 3, 4, 5, 6, 7, 8}) {
			t.Errorf("%d: read of block %d (wraps to 3) = % X", tc.size, 3+tc.nblocks, out[8:16])
		}
	}
	// No EEPROM: channel 4 reports no device.
	p := New()
	out := exchange(p, block(0x01, 0, 0, 0, 0, 0x01, 0x03, 0x00, 0, 0, 0, 0xFE))
	if out[5] != 0x83 {
		t.Errorf("no EEPROM: RX byte %#02x, want 0x83", out[5])
	}
}

// The 6105 response follows the described algorithm: the first nibble is
// (0xB + 5c) mod 16, so an all-zero challenge starts with 0xB, and the
// response replaces the challenge with the control byte cleared.
func TestChallenge6105(t *testing.T) {
	p := New()
	var ram [RAMSize]byte
	ram[controlByte] = ctlChallenge
	p.DMAWrite(&ram)
	var out [RAMSize]byte
	p.DMARead(&out)
	if out[controlByte] != 0 {
		t.Errorf("control byte = %#02x after challenge, want 0", out[controlByte])
	}
	if out[challengeAt]>>4 != 0xB {
		t.Errorf("first response nibble = %#x, want 0xB", out[challengeAt]>>4)
	}
	// Second nibble: key = table0[0xB] = 0xF; r0 = 0xB: sgn 1, mag ^0xB&7 = 4,
	// 4 mod 3 = 1 → table sgn = 1. r1 = (0xF + 0) & 0xF = 0xF.
	if out[challengeAt]&0xF != 0xF {
		t.Errorf("second response nibble = %#x, want 0xF", out[challengeAt]&0xF)
	}
}

func TestSerializePaksAndEEPROM(t *testing.T) {
	p := New()
	p.SetPak(0, PakController, nil)
	p.Mempak(0)[100] = 0xAB
	p.SetPak(1, PakRumble, nil)
	p.paks[1].motor = true
	p.SetPak(2, PakTransfer, nil)
	eep := make([]byte, EEPROM16KSize)
	eep[2047] = 0xCD
	p.SetEEPROM(eep)
	p.eepBusyUntil = 1234

	w := state.NewWriter()
	p.Serialize(w)
	q := New()
	r := state.NewReader(w.Bytes())
	q.Serialize(r)
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
	if q.Pak(0) != PakController || q.Mempak(0)[100] != 0xAB || !q.Rumble(1) || q.Pak(2) != PakTransfer ||
		len(q.EEPROM()) != EEPROM16KSize || q.EEPROM()[2047] != 0xCD || q.eepBusyUntil != 1234 {
		t.Errorf("paks/EEPROM not restored")
	}
	// A state without EEPROM removes the loading PIF's.
	w = state.NewWriter()
	New().Serialize(w)
	r = state.NewReader(w.Bytes())
	q.Serialize(r)
	if err := r.Done(); err != nil || q.EEPROM() != nil || q.Pak(0) != PakNone || q.Mempak(0) != nil {
		t.Errorf("loading an empty state kept EEPROM %v pak %v (%v)", q.EEPROM() != nil, q.Pak(0), err)
	}
}

// idBlockOK checks a 32-byte Controller Pak ID block as libultra does
// (n64brew "Controller Pak/Filesystem"; libdragon mempak.c
// __validate_header): word 14 is the sum of words 0-13 modulo 2^16, words
// 14 and 15 add up to 0xFFF2, the device ID has bit 0 set and the bank
// count is 1.
func idBlockOK(id []byte) bool {
	word := func(i int) int { return int(id[2*i])<<8 | int(id[2*i+1]) }
	sum := 0
	for i := 0; i < 14; i++ {
		sum += word(i)
	}
	return sum&0xFFFF == word(14) && word(14)+word(15) == 0xFFF2 && id[0x19]&1 == 1 && id[0x1A] == 1
}

// The checker itself: mupen64plus' format_mempak ID block, which games
// accept, passes; the same block with one serial byte changed does not.
func TestIDBlockChecker(t *testing.T) {
	mupen := []byte{
		0xFF, 0xFF, 0xFF, 0xFF, 0x05, 0x1A, 0x5F, 0x13, 0, 0, 0, 0, 0, 0, 0, 0,
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0xFF, 0x66, 0x25, 0x99, 0xCD,
	}
	if !idBlockOK(mupen) {
		t.Error("mupen64plus' ID block fails the check")
	}
	bad := bytes.Clone(mupen)
	bad[5]++
	if idBlockOK(bad) {
		t.Error("a damaged ID block passes the check")
	}
}

// Published outputs of the two generators mupen64plus draws pak serials
// from. SplitMix64 from state 0: the first four outputs of Vigna's
// splitmix64.c, the standard seeding of the xoshiro generators (quoted
// widely, e.g. as the default xoshiro256 state). From 1477776061723855037:
// rand_xoshiro's reference test (rust-random/rngs,
// rand_xoshiro/src/splitmix64.rs, "produced with the reference
// implementation"). xoshiro256++ from state {1, 2, 3, 4}: rand_xoshiro's
// reference test (rand_xoshiro/src/xoshiro256plusplus.rs, values from
// Blackman and Vigna's xoshiro256plusplus.c).
func TestMempakGenerators(t *testing.T) {
	for _, tc := range []struct {
		seed uint64
		want []uint64
	}{
		{0, []uint64{0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F, 0xF88BB8A8724C81EC}},
		{1477776061723855037, []uint64{1985237415132408290, 2979275885539914483, 13511426838097143398, 8488337342461049707, 15141737807933549159}},
	} {
		x := tc.seed
		for i, w := range tc.want {
			if got := splitmix64(&x); got != w {
				t.Errorf("splitmix64 seed %d output %d = %#x, want %#x", tc.seed, i, got, w)
			}
		}
	}
	s := xoshiro256pp{1, 2, 3, 4}
	for i, w := range []uint64{
		41943041, 58720359, 3588806011781223, 3591011842654386, 9228616714210784205,
		9973669472204895162, 14011001112246962877, 12406186145184390807, 15849039046786891736, 10450023813501588000,
	} {
		if got := s.next(); got != w {
			t.Errorf("xoshiro256++ output %d = %d, want %d", i, got, w)
		}
	}
	// Seeded from 0, the state is the first four splitmix64 outputs and
	// the first outputs follow from the definition (computed apart from
	// this code); their low halves start port 0's serial in mupenPaks.
	s = newXoshiro256pp(0)
	if s != (xoshiro256pp{0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F, 0xF88BB8A8724C81EC}) {
		t.Errorf("xoshiro256++ seeded from 0 = %#x, want the first four splitmix64 outputs", s)
	}
	for i, w := range []uint64{0x53175D61490B23DF, 0x61DA6F3DC380D507, 0x5C0FDF91EC9A7BFC} {
		if got := s.next(); got != w {
			t.Errorf("xoshiro256++ seed 0 output %d = %#x, want %#x", i, got, w)
		}
	}
}

// mupenPaks are the four default paks of mupen64plus-core (818ce77)
// seeded with 0, as a netplay session builds them: its own
// xoshiro256pp_seed, xoshiro256pp_next and format_mempak, compiled and run
// the way open_mpk_file calls them, gave these ID blocks (offset 0x20) and
// these SHA-256 sums of each whole 32 KiB pak.
var mupenPaks = [NumPorts]struct{ id, sum string }{
	{"490b23dfc380d507ec9a7bfc3bbe5e1aaf4a5eea57f08d9a00010100fc9e0354", "ef53779c7d80de111a124d213d61a338a95827ac0cf0de9330cee8a691094a04"},
	{"5ab5026e464bc9592389f0ffc0424c1606c19968e9aa4dfc000101006677997b", "bc005018fd13142d1eddb2ea13f2b3eaae57f4bc2098b4298968561a559ab783"},
	{"43960cc110fae720b8ac10fadd1496f7d0fc04a830af9cc3000101002a39d5b9", "1ad68cc802d754906d6bce162c61721326f295dbab995f129b7c7135266a29ba"},
	{"ed35f6983f7908e14535fbdccbac57c0063a44df4877819700010100a6cc5926", "e15b28b38dfac1e2695e3eb138437ce242830e512a734d92d7ad569312165ccb"},
}

// A new pak (SetPak with nil memory, FormatMempak) is byte for byte the
// pak mupen64plus makes for that port in netplay, so that mixed sessions
// without a .mpk file start in sync (NETPLAY.md §2.3).
func TestFormatMempakMatchesMupen64plus(t *testing.T) {
	p := New()
	for port, want := range mupenPaks {
		mem := make([]byte, MempakSize)
		FormatMempak(mem, port)
		if got := hex.EncodeToString(mem[0x20:0x40]); got != want.id {
			t.Errorf("port %d ID block %s, want %s", port, got, want.id)
		}
		if sum := sha256.Sum256(mem); hex.EncodeToString(sum[:]) != want.sum {
			t.Errorf("port %d pak differs from mupen64plus' (SHA-256 %x)", port, sum)
		}
		p.SetPak(port, PakController, nil)
		if !bytes.Equal(p.Mempak(port), mem) {
			t.Errorf("SetPak(%d, nil) is not FormatMempak's pak for port %d", port, port)
		}
	}
	// Bad arguments leave the memory alone.
	for _, tc := range []struct {
		size, port int
	}{{MempakSize, -1}, {MempakSize, NumPorts}, {MempakSize - 1, 0}} {
		mem := bytes.Repeat([]byte{0xA5}, tc.size)
		FormatMempak(mem, tc.port)
		if !bytes.Equal(mem, bytes.Repeat([]byte{0xA5}, tc.size)) {
			t.Errorf("FormatMempak(%d bytes, port %d) wrote", tc.size, tc.port)
		}
	}
}

// A new Controller Pak (SetPak with nil memory) holds an empty formatted
// filesystem as n64brew "Controller Pak/Filesystem" describes it: the ID
// block valid and identical at 0x20, 0x60, 0x80 and 0xC0, the other
// 32-byte blocks of page 0 zero; index tables (pages 1 and 2) identical,
// pages 5-127 free (0x0003), pages 0-4 not, and the checksum byte at
// offset 1 equal to the sum of the bytes of entries 5-127: 123 × 3 = 369,
// so 0x71 (the value mupen64plus writes); the note table (pages 3-4) and
// the data pages empty.
func TestNewMempakFormatted(t *testing.T) {
	p := New()
	for port := range NumPorts {
		p.SetPak(port, PakController, nil)
		checkFormatted(t, port, p.Mempak(port))
	}
	// Memory handed in is kept as it is (a pak loaded from a file).
	own := bytes.Repeat([]byte{0x5A}, MempakSize)
	p.SetPak(1, PakController, own)
	if !bytes.Equal(p.Mempak(1), bytes.Repeat([]byte{0x5A}, MempakSize)) {
		t.Error("SetPak formatted memory it was given")
	}
}

func checkFormatted(t *testing.T, port int, mem []byte) {
	t.Helper()
	for _, off := range []int{0x20, 0x60, 0x80, 0xC0} {
		if !idBlockOK(mem[off : off+32]) {
			t.Errorf("port %d: ID block at %#02x: % X", port, off, mem[off:off+32])
		}
		if !bytes.Equal(mem[off:off+32], mem[0x20:0x40]) {
			t.Errorf("port %d: ID block at %#02x differs from the primary", port, off)
		}
	}
	for _, off := range []int{0x00, 0x40, 0xA0, 0xE0} {
		if !bytes.Equal(mem[off:off+32], make([]byte, 32)) {
			t.Errorf("port %d: page 0 block at %#02x not zero", port, off)
		}
	}
	index := mem[0x100:0x200]
	if !bytes.Equal(index, mem[0x200:0x300]) {
		t.Errorf("port %d: backup index table (page 2) differs from page 1", port)
	}
	free := 0
	for page := 0; page < 128; page++ {
		e := int(index[2*page])<<8 | int(index[2*page+1])
		if page >= 5 && e == 0x0003 {
			free++
		}
		if page > 0 && page < 5 && e == 0x0003 {
			t.Errorf("port %d: system page %d marked free", port, page)
		}
	}
	if free != 123 {
		t.Errorf("port %d: %d free pages, want 123", port, free)
	}
	if index[1] != 0x71 {
		t.Errorf("port %d: index checksum %#02x, want 0x71", port, index[1])
	}
	if !bytes.Equal(mem[0x300:], make([]byte, MempakSize-0x300)) {
		t.Errorf("port %d: note table or data pages not empty", port)
	}
}
