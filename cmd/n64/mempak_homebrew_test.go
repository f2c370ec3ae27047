package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/n64go/n64/core"
	"github.com/n64go/n64/core/pif"
)

// withPak plugs a new Controller Pak into port 1, as --pak controller.
func withPak(m *core.Machine) { m.PIF.SetPak(0, pif.PakController, nil) }

// TestCpaktestSeesFormattedPak runs libdragon's cpaktest with a new pak in
// port 1. Its menu (examples/cpaktest.c) reads the pak on A (the 16 note
// entries and the free space, or "not formatted"), formats it with
// libdragon's format_mempak on B and overwrites pages 0-4 with 0xFF on Z.
// Our new pak must list exactly as the same pak does after the ROM
// formatted it itself, and not as it does once corrupted.
func TestCpaktestSeesFormattedPak(t *testing.T) {
	rom := sharedROMs + "homebrew/libdragon/cpaktest.z64.gz"
	if _, err := os.Stat(rom); err != nil {
		t.Skip("shared ROMs absent:", err)
	}
	// Read, corrupt, read, format, read.
	shots, _ := run{rom: rom, setup: withPak, script: pressScript(t, "A", "Z", "A", "B", "A")}.capture(t,
		afterPresses(1), afterPresses(3), afterPresses(5))
	ours, corrupted, formatted := shots[afterPresses(1)], shots[afterPresses(3)], shots[afterPresses(5)]
	if !sameScreen(ours, formatted) {
		t.Error("the new pak does not list as the pak the ROM formatted")
	}
	if sameScreen(ours, corrupted) {
		t.Error("the new pak lists as the corrupted pak")
	}
}

// TestControllerPakDump runs meeq's ControllerPakDump (examples/
// ControllerPakDump.c) with a new pak in port 1: on A it reads the pak's
// 32 KiB in 32-byte joybus reads, stopping at the first data CRC mismatch
// or missing pak, and only then DMAs the dump into cartridge SRAM (which
// it erased at boot). So SRAM must end up holding the pak, every block
// read with a good CRC: the filesystem as pif.FormatMempak formats it,
// and in the 32-byte label area (page 0, 0x00-0x1F) the pattern the
// ROM's accessory probe writes there to tell a Controller Pak
// (src/joypad_accessory.c, "Overwrite label area").
func TestControllerPakDump(t *testing.T) {
	rom := sharedROMs + "homebrew/meeq/ControllerPakDump.z64.gz"
	if _, err := os.Stat(rom); err != nil {
		t.Skip("shared ROMs absent:", err)
	}
	// The ROM redraws its console after each of the 1024 reads, about two
	// frames each.
	const done = firstPress + 2300
	_, m := run{rom: rom, setup: withPak, script: pressA(t, 1)}.capture(t, done)
	const label = 0x20
	want := make([]byte, pif.MempakSize)
	pif.FormatMempak(want, 0)
	pak, sram := m.Mempak(0), m.SaveData()
	if len(sram) != pif.MempakSize {
		t.Fatalf("SRAM is %d bytes, want %d (the ROM's header asks for SRAM 256K)", len(sram), pif.MempakSize)
	}
	if !bytes.Equal(pak[label:], want[label:]) {
		t.Fatal("the ROM changed the pak beyond its label area")
	}
	if !bytes.Equal(sram, pak) {
		n := 0
		for n < len(sram) && sram[n] == pak[n] {
			n++
		}
		t.Errorf("SRAM differs from the pak from byte %#x on", n)
	}
}
