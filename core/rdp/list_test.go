package rdp

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/state"
)

// A list in RDRAM with SYNC_FULL raises MI DP (n64brew "Reality Display
// Processor/Commands": SYNC_FULL "generates an interrupt when the pipeline
// is empty"); the fill rectangle before it is drawn.
func TestListSyncFullInterrupt(t *testing.T) {
	d, mi := newDP()
	list := []uint64{
		0x2F<<56 | 3<<52,                  // Set Other Modes: fill
		0x3F<<56 | 2<<51 | 7<<32 | 0x8000, // Set Color Image 16b width 8 at 0x8000
		0x2D<<56 | (8<<2)<<12 | 8<<2,      // Set Scissor 0,0-8,8
		0x37<<56 | 0xABCD_ABCD,            // Set Fill Color
		0x36<<56 | (1<<2)<<44,             // Fill Rectangle 0,0-1,0
		0x29 << 56,                        // Sync Full
	}
	for i, w := range list {
		binary.BigEndian.PutUint64(d.bus.RDRAM[0x1000+8*i:], w)
	}
	wr(d, DPCStart, 0x1000)
	wr(d, DPCEnd, 0x1000+8*uint32(len(list)-1))
	if mi.Intr&memory.IntrDP != 0 {
		t.Fatal("DP interrupt before SYNC_FULL")
	}
	if got := binary.BigEndian.Uint16(d.bus.RDRAM[0x8002:]); got != 0xABCD {
		t.Errorf("pixel 1 = %#x, want 0xABCD", got)
	}
	wr(d, DPCEnd, 0x1000+8*uint32(len(list)))
	if mi.Intr&memory.IntrDP == 0 {
		t.Error("no DP interrupt after SYNC_FULL")
	}
	if got := rd(d, DPCCurrent); got != 0x1000+8*uint32(len(list)) {
		t.Errorf("CURRENT = %#x", got)
	}
}

// With DPC_STATUS.XBUS the list comes from DMEM; a texture rectangle (two
// words) split across two DPC_END writes still runs once complete.
func TestListFromDMEMSplitCommand(t *testing.T) {
	d, mi := newDP()
	var dmem [4096]byte
	d.SetDMEM(&dmem)
	wr(d, DPCStatus, wSetXBus)
	binary.BigEndian.PutUint64(dmem[0x100:], 0x29<<56)
	wr(d, DPCStart, 0x100)
	wr(d, DPCEnd, 0x108)
	if mi.Intr&memory.IntrDP == 0 {
		t.Error("SYNC_FULL from DMEM did not interrupt")
	}
	// First word of a texture rectangle, then its second word.
	binary.BigEndian.PutUint64(dmem[0x108:], 0x24<<56)
	binary.BigEndian.PutUint64(dmem[0x110:], 0)
	wr(d, DPCEnd, 0x110)
	if d.cmdLen != 1 {
		t.Errorf("pending words = %d, want 1", d.cmdLen)
	}
	wr(d, DPCEnd, 0x118)
	if d.cmdLen != 0 {
		t.Errorf("pending words = %d after the second word", d.cmdLen)
	}
}

// Serialize keeps TMEM, tiles, modes and a pending partial command.
func TestSerializeRasterState(t *testing.T) {
	d, _ := newDP()
	d.r.tmem[0x123] = 0x45
	run(&d.r, 0x2F<<56|2<<52|1<<47, 0x35<<56|3<<53|2<<51|5<<41|7<<24|9,
		0x3A<<56|0x1122_3344, 0x3C<<56|0xA<<52)
	d.cmd[0], d.cmdLen = 0x0C<<56, 3
	w := state.NewWriter()
	d.Serialize(w)
	e, _ := newDP()
	r := state.NewReader(w.Bytes())
	e.Serialize(r)
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
	if e.r.tmem != d.r.tmem || e.r.tiles != d.r.tiles || e.r.modes != d.r.modes ||
		e.r.comb != d.r.comb || e.r.prim != d.r.prim || e.cmd != d.cmd || e.cmdLen != 3 {
		t.Error("raster state differs after round trip")
	}
	w2 := state.NewWriter()
	e.Serialize(w2)
	if !bytes.Equal(w.Bytes(), w2.Bytes()) {
		t.Error("re-serialized state differs")
	}
}

// The saved prim colour, key and convert words are replayed as the
// commands they came from: a damaged word with a rectangle's opcode bits
// loads as a colour and draws nothing (FuzzLoadState once saw it draw and
// panic on the missing second word).
func TestLoadedWordsDoNotDraw(t *testing.T) {
	d, mi := newDP()
	for i := range d.bus.RDRAM {
		d.bus.RDRAM[i] = 0x5A
	}
	run(&d.r, 0x3F<<56|0x10_0000)              // SET_COLOR_IMAGE at 1 MiB
	d.r.primColorWord = 0x24<<56 | 0x00C8_00C8 // TEXTURE_RECTANGLE's opcode
	w := state.NewWriter()
	d.Serialize(w)
	before := bytes.Clone(d.bus.RDRAM)
	e := New(mi, d.bus)
	r := state.NewReader(w.Bytes())
	e.Serialize(r)
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.bus.RDRAM, before) {
		t.Error("loading the state drew into RDRAM")
	}
	if e.r.prim != colorOf(0x00C8_00C8) {
		t.Errorf("prim colour %v, want the word's low 32 bits", e.r.prim)
	}
}
