package memory

import "testing"

// recorder is a Device that remembers the last write and answers reads
// with a fixed word.
type recorder struct {
	word            uint32
	addr, val, mask uint32
}

func (r *recorder) Read32(uint32) uint32           { return r.word }
func (r *recorder) Write32(addr, val, mask uint32) { r.addr, r.val, r.mask = addr, val, mask }

func TestRDRAMIsBigEndian(t *testing.T) {
	b := NewBus(RDRAMSize4M)
	b.Write32(0x100, 0x11223344)
	tests := []struct {
		name string
		got  uint64
		want uint64
	}{
		{"byte 0 is the most significant", uint64(b.Read8(0x100)), 0x11},
		{"byte 3", uint64(b.Read8(0x103)), 0x44},
		{"halfword 2", uint64(b.Read16(0x102)), 0x3344},
		{"word", uint64(b.Read32(0x100)), 0x11223344},
		{"doubleword high word first", b.Read64(0x100), 0x11223344_00000000},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %#x, want %#x", tt.name, tt.got, tt.want)
		}
	}
	b.Write64(0x200, 0x0102030405060708)
	b.Write16(0x202, 0xAABB)
	b.Write8(0x207, 0xCC)
	if got := b.Read64(0x200); got != 0x0102AABB050607CC {
		t.Errorf("after narrow writes got %#x", got)
	}
}

// DESIGN.md §3: reads above installed RDRAM return 0 and do not mirror.
func TestRDRAMAboveInstalledSize(t *testing.T) {
	b := NewBus(RDRAMSize4M)
	b.Write32(0, 0xCAFEBABE)
	b.Write32(RDRAMSize4M, 0x12345678) // dropped
	if got := b.Read32(RDRAMSize4M); got != 0 {
		t.Errorf("read at 4 MiB on a 4 MiB machine = %#x, want 0", got)
	}
	if got := b.Read32(0x03EF_FFFC); got != 0 {
		t.Errorf("read at top of RDRAM window = %#x, want 0", got)
	}
	if got := b.Read64(RDRAMSize4M); got != 0 {
		t.Errorf("64-bit read above RDRAM = %#x, want 0", got)
	}
}

// Unmapped RCP addresses read as the low half of the address twice.
func TestOpenBus(t *testing.T) {
	b := NewBus(RDRAMSize4M)
	if got := b.Read32(0x0480_1234); got != 0x1234_1234 {
		t.Errorf("open bus read = %#x, want 0x12341234", got)
	}
}

func TestNarrowWritesToDevices(t *testing.T) {
	b := NewBus(RDRAMSize4M)
	d := &recorder{word: 0x11223344}
	b.Map(0x0440_0000, 0x044F_FFFF, d)
	tests := []struct {
		name            string
		write           func()
		addr, val, mask uint32
	}{
		{"byte lane 1", func() { b.Write8(0x0440_0005, 0xAB) }, 0x0440_0004, 0x00AB_0000, 0x00FF_0000},
		{"byte lane 3", func() { b.Write8(0x0440_0007, 0xAB) }, 0x0440_0004, 0x0000_00AB, 0x0000_00FF},
		{"upper halfword", func() { b.Write16(0x0440_0008, 0xBEEF) }, 0x0440_0008, 0xBEEF_0000, 0xFFFF_0000},
		{"lower halfword", func() { b.Write16(0x0440_000A, 0xBEEF) }, 0x0440_0008, 0x0000_BEEF, 0x0000_FFFF},
		{"doubleword low word last", func() { b.Write64(0x0440_0010, 0x1111_2222_3333_4444) }, 0x0440_0014, 0x3333_4444, 0xFFFF_FFFF},
	}
	for _, tt := range tests {
		tt.write()
		if d.addr != tt.addr || d.val != tt.val || d.mask != tt.mask {
			t.Errorf("%s: device saw addr %#x val %#x mask %#x, want %#x %#x %#x",
				tt.name, d.addr, d.val, d.mask, tt.addr, tt.val, tt.mask)
		}
	}
	if got := b.Read8(0x0440_0002); got != 0x33 {
		t.Errorf("byte read from device word 0x11223344 at lane 2 = %#x, want 0x33", got)
	}
	if got := b.Read16(0x0440_0002); got != 0x3344 {
		t.Errorf("halfword read from device = %#x, want 0x3344", got)
	}
}

func BenchmarkRDRAMRead32(b *testing.B) {
	bus := NewBus(RDRAMSize8M)
	var sum uint32
	for i := 0; i < b.N; i++ {
		sum += bus.Read32(uint32(i*4) & (RDRAMSize8M - 1))
	}
	_ = sum
}

// narrowDev answers a narrow read with the address it was asked for.
type narrowDev struct{ recorder }

func (narrowDev) ReadNarrow(paddr uint32) uint32 { return paddr<<16 | (paddr+2)&0xFFFF }

func TestNarrowReads(t *testing.T) {
	// A plain device: narrow reads are lanes of the aligned word. A
	// NarrowReader (the PI) is asked at the access's own halfword address
	// and the lane is taken from its answer (krom DMAAlignment-PI-ROM-FROM).
	b := NewBus(RDRAMSize4M)
	b.Map(0x0460_0000, 0x0460_0000, &recorder{word: 0x11223344})
	b.Map(0x1000_0000, 0x1000_0000, &narrowDev{})
	tests := []struct {
		name string
		got  uint32
		want uint32
	}{
		{"plain halfword 2", uint32(b.Read16(0x0460_0002)), 0x3344},
		{"plain byte 1", uint32(b.Read8(0x0460_0001)), 0x22},
		{"narrow halfword 0: asked at 0", uint32(b.Read16(0x1000_0000)), 0x0000},
		{"narrow halfword 2: asked at 2, low lane", uint32(b.Read16(0x1000_0002)), 0x0004},
		{"narrow byte 3: asked at 2, lane 3", uint32(b.Read8(0x1000_0003)), 0x04},
		{"narrow byte 1: asked at 0, lane 1", uint32(b.Read8(0x1000_0001)), 0x00},
		{"narrow byte 5: asked at 4, lane 1", uint32(b.Read8(0x1000_0005)), 0x04},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %#x, want %#x", tt.name, tt.got, tt.want)
		}
	}
}
