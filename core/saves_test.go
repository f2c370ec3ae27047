package core

import (
	"testing"

	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/pif"
)

func blankROM(t *testing.T) *cart.ROM {
	t.Helper()
	data := make([]byte, 0x10_1000)
	copy(data, []byte{0x80, 0x37, 0x12, 0x40})
	rom, err := cart.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return rom
}

func TestSetSaveType(t *testing.T) {
	m, err := New(blankROM(t), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if m.SaveType() != cart.SaveNone || m.SaveData() != nil || m.Cart.Save != nil {
		t.Fatalf("a ROM without save info got save memory %v", m.SaveType())
	}
	for _, st := range []cart.SaveType{cart.SaveEEPROM4K, cart.SaveEEPROM16K, cart.SaveSRAM256K, cart.SaveSRAM768K, cart.SaveSRAM1M, cart.SaveFlash1M, cart.SaveNone} {
		m.SetSaveType(st)
		if got := len(m.SaveData()); got != st.Size() {
			t.Errorf("%v: %d bytes of save memory, want %d", st, got, st.Size())
		}
		if (m.PIF.EEPROM() != nil) != st.IsEEPROM() || (m.Cart.Save != nil) != (st.IsSRAM() || st == cart.SaveFlash1M) {
			t.Errorf("%v: wired wrongly (EEPROM %v, PI device %v)", st, m.PIF.EEPROM() != nil, m.Cart.Save != nil)
		}
	}
	// A CPU store to SRAM goes through the PI bus into the memory.
	m.SetSaveType(cart.SaveSRAM256K)
	before := m.SaveWrites()
	m.Cart.Write32(0x0800_0010, 0x1234_5678, 0xFFFF_FFFF)
	if d := m.SaveData()[0x10:0x14]; d[0] != 0x12 || d[3] != 0x78 || m.SaveWrites() == before {
		t.Errorf("SRAM after store: % X, writes %d", d, m.SaveWrites())
	}
}

// Save memory and paks are machine state: a savestate restores them, and
// its save type, into a machine set up differently.
func TestSavestateKeepsSaveMemory(t *testing.T) {
	rom := blankROM(t)
	m, _ := New(rom, DefaultOptions())
	m.SetSaveType(cart.SaveFlash1M)
	m.SaveData()[5] = 0x42
	m.PIF.SetPak(1, pif.PakController, nil)
	m.Mempak(1)[7] = 0x99
	st, err := m.SaveState()
	if err != nil {
		t.Fatal(err)
	}
	h := m.Hash()

	n, _ := New(rom, DefaultOptions())
	n.SetSaveType(cart.SaveEEPROM4K)
	if err := n.LoadState(st); err != nil {
		t.Fatal(err)
	}
	if n.SaveType() != cart.SaveFlash1M || n.SaveData()[5] != 0x42 || n.Mempak(1) == nil || n.Mempak(1)[7] != 0x99 {
		t.Errorf("loaded: type %v, flash[5] %#x, pak %v", n.SaveType(), n.SaveData()[5], n.Mempak(1) != nil)
	}
	if n.PIF.EEPROM() != nil {
		t.Errorf("the EEPROM survived loading a FlashRAM state")
	}
	if n.Hash() != h {
		t.Errorf("hash differs after loading")
	}
	m.SaveData()[5] = 0x43
	if m.Hash() == h {
		t.Errorf("Hash does not see save memory")
	}
}
