package core

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/n64go/n64/core/cart"
)

// sharedROM loads a ROM from ../shared/roms, skipping the test when the
// shared folder is absent.
func sharedROM(t testing.TB, rel string) *cart.ROM {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "roms", rel)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s absent: test needs ../shared/roms", path)
	}
	rom, err := cart.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return rom
}

// determinismFrames is the foundation issue's bar: 300 frames.
const determinismFrames = 300

// TestDeterminism runs the same ROM twice and requires equal machine
// hashes at every frame (DESIGN.md §5, §7).
func TestDeterminism(t *testing.T) {
	frames := determinismFrames
	if testing.Short() {
		frames = 30
	}
	for _, rel := range []string{
		"krom/CPUTest/CPU/ADD/CPUADD.N64.gz",
		"systemtest/n64-systemtest.z64.gz",
	} {
		t.Run(filepath.Base(rel), func(t *testing.T) {
			rom := sharedROM(t, rel)
			a, err := New(rom, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			b, err := New(rom, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if a.Hash() != b.Hash() {
				t.Fatal("hashes differ right after boot")
			}
			for f := 0; f < frames; f++ {
				errA, errB := a.RunFrame(), b.RunFrame()
				if (errA == nil) != (errB == nil) {
					t.Fatalf("frame %d: runs disagree on errors: %v vs %v", f, errA, errB)
				}
				if a.Hash() != b.Hash() {
					t.Fatalf("frame %d: machine hashes differ", f)
				}
				if errA != nil {
					t.Logf("both runs stopped at frame %d with %v", f, errA)
					return
				}
			}
		})
	}
}

func TestHashSeesState(t *testing.T) {
	rom := sharedROM(t, "krom/CPUTest/CPU/ADD/CPUADD.N64.gz")
	m, err := New(rom, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	h := m.Hash()
	m.Bus.RDRAM[0x12345] ^= 1
	if m.Hash() == h {
		t.Fatal("flipping one RDRAM bit did not change the hash")
	}
	m.Bus.RDRAM[0x12345] ^= 1
	m.CPU.GPR[5]++
	if m.Hash() == h {
		t.Fatal("changing a GPR did not change the hash")
	}
}

func TestSaveLoadState(t *testing.T) {
	rom := sharedROM(t, "krom/CPUTest/CPU/ADD/CPUADD.N64.gz")
	m, err := New(rom, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		if err := m.RunFrame(); err != nil {
			t.Fatal(err)
		}
	}
	saved, err := m.SaveState()
	if err != nil {
		t.Fatal(err)
	}
	at20 := m.Hash()
	for i := 0; i < 10; i++ {
		if err := m.RunFrame(); err != nil {
			t.Fatal(err)
		}
	}
	at30 := m.Hash()
	if err := m.LoadState(saved); err != nil {
		t.Fatal(err)
	}
	if m.Hash() != at20 {
		t.Fatal("loading the state did not restore the frame-20 machine")
	}
	for i := 0; i < 10; i++ {
		if err := m.RunFrame(); err != nil {
			t.Fatal(err)
		}
	}
	if m.Hash() != at30 {
		t.Fatal("running on from a loaded state diverged from the original run")
	}

	other := *rom
	other.SHA256[0] ^= 0xFF
	otherMachine, err := New(&other, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		m    *Machine
		data []byte
		want string
	}{
		{"another ROM", otherMachine, saved, "another ROM"},
		{"not a state", m, []byte("hello world, not a state at all, no no no"), "not an n64 savestate"},
		{"truncated", m, saved[:len(saved)/2], "savestate"},
		{"future version", m, append([]byte(stateMagic+"\x63"), saved[len(stateMagic)+1:]...), "version 99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.m.Hash()
			err := tt.m.LoadState(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
			if tt.m.Hash() != before {
				t.Fatal("a failed load changed the machine")
			}
		})
	}
}
