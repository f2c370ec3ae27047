package asm

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"
)

func TestBuildROMHeader(t *testing.T) {
	p, err := Assemble("loop: b loop\nnop", ROMOrigin)
	if err != nil {
		t.Fatal(err)
	}
	rom := BuildROM(p, "CPU TEST")
	if len(rom) != 0x2000 {
		t.Fatalf("size 0x%x, want 0x2000", len(rom))
	}
	be := binary.BigEndian
	for _, h := range []struct{ off, want uint32 }{
		{0x00, 0x80371240}, {0x04, 0x0000000F}, {0x08, ROMOrigin}, {0x0C, 0x0000144C},
		{0x10, 0}, {0x14, 0}, // CRCs
	} {
		if got := be.Uint32(rom[h.off:]); got != h.want {
			t.Errorf("header[0x%02x] = %08x, want %08x", h.off, got, h.want)
		}
	}
	if got := string(rom[0x20:0x34]); got != "CPU TEST            " {
		t.Errorf("title %q", got)
	}
	if got := string(rom[0x3B:0x40]); got != "NTEE\x00" {
		t.Errorf("game code and version %q", got)
	}
	stub := words(rom[0x40:0x50])
	want := []uint32{
		0x3C08B000, // lui $t0, 0xB000
		0x35081000, // ori $t0, $t0, 0x1000
		0x01000008, // jr $t0
		0x00000000, // nop
	}
	if !slices.Equal(stub, want) {
		t.Errorf("stub %08x, want %08x", stub, want)
	}
	if !bytes.Equal(rom[0x1000:0x1008], p.Code) || !bytes.Equal(rom[0x1008:], make([]byte, 0x1000-8)) {
		t.Errorf("program not at 0x1000, or padding not zero")
	}
}

// TestBuildROMCopyStub runs the stub of a program assembled for RDRAM on a
// tiny interpreter of the instructions it uses, to see that it copies the
// program and jumps to it.
func TestBuildROMCopyStub(t *testing.T) {
	p, err := Assemble(".word 1, 2, 3\n.byte 4", 0x80000400)
	if err != nil {
		t.Fatal(err)
	}
	rom := BuildROM(p, "a title longer than twenty bytes")
	if got := string(rom[0x20:0x34]); got != "a title longer than " {
		t.Errorf("title %q", got)
	}
	rdram := make([]byte, 8<<20)
	mem := func(addr uint32) []byte {
		switch phys := addr & 0x1FFFFFFF; {
		case addr>>29 != 5:
			t.Fatalf("access 0x%08x not through kseg1", addr)
		case phys >= 0x04000000 && phys < 0x04001000:
			return rom[phys-0x04000000:] // SP DMEM, holding ROM[0:0x1000]
		case phys >= 0x10000000:
			return rom[phys-0x10000000:]
		case phys < uint32(len(rdram)):
			return rdram[phys:]
		}
		t.Fatalf("access 0x%08x unmapped", addr)
		return nil
	}
	var r [32]uint32
	pc, next := uint32(0xA4000040), uint32(0xA4000044)
	for steps := 0; pc != p.Origin; steps++ {
		if steps > 1000 {
			t.Fatal("stub does not reach the program")
		}
		w := binary.BigEndian.Uint32(mem(pc))
		rs, rt, imm := w>>21&31, w>>16&31, w&0xFFFF
		simm := uint32(int32(int16(imm)))
		target := next + 4
		switch w >> 26 {
		case 0: // only jr and nop (sll $0, $0, 0)
			if w&63 == 8 {
				target = r[rs]
			} else if w != 0 {
				t.Fatalf("unexpected word %08x", w)
			}
		case 5: // bne
			if r[rs] != r[rt] {
				target = next + simm<<2
			}
		case 9: // addiu
			r[rt] = r[rs] + simm
		case 13: // ori
			r[rt] = r[rs] | imm
		case 15: // lui
			r[rt] = imm << 16
		case 35: // lw
			r[rt] = binary.BigEndian.Uint32(mem(r[rs] + simm))
		case 43: // sw
			binary.BigEndian.PutUint32(mem(r[rs]+simm), r[rt])
		default:
			t.Fatalf("unexpected word %08x at %08x", w, pc)
		}
		r[0] = 0
		pc, next = next, target
	}
	if want := append(p.Code, 0, 0, 0); !bytes.Equal(rdram[0x400:0x410], want) {
		t.Errorf("copied % x, want % x", rdram[0x400:0x410], want)
	}
}

func TestBuildROMBadOrigin(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for an origin outside RDRAM")
		}
	}()
	BuildROM(&Program{Origin: 0x80800000, Code: make([]byte, 4)}, "")
}
