package rdp

import (
	"bytes"
	"testing"

	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/state"
)

const (
	dpc = 0x0410_0000
	dps = 0x0420_0000
)

func newDP() (*DP, *memory.MI) {
	mi := &memory.MI{}
	return New(mi, memory.NewBus(memory.RDRAMSize4M)), mi
}

func rd(d *DP, off uint32) uint32 { return d.Read32(dpc + off) }
func wr(d *DP, off, v uint32)     { d.Write32(dpc+off, v, 0xFFFF_FFFF) }

func TestPowerOn(t *testing.T) {
	d, _ := newDP()
	for _, tc := range []struct{ off, want uint32 }{
		{DPCStart, 0}, {DPCEnd, 0}, {DPCCurrent, 0},
		{DPCStatus, 0x80}, // idle: command buffer ready
		{DPCClock, 0}, {DPCBufBusy, 0}, {DPCPipeBusy, 0}, {DPCTMEM, 0},
	} {
		if got := rd(d, tc.off); got != tc.want {
			t.Errorf("reg %#x = %#x, want %#x", tc.off, got, tc.want)
		}
	}
}

// DPC_STATUS write bits (n64brew "Reality Display Processor/Interface").
func TestStatusWrites(t *testing.T) {
	tests := []struct {
		name          string
		before, write uint32
		want          uint32
	}{
		{"set xbus", 0x80, wSetXBus, 0x81},
		{"clear xbus", 0x81, wClearXBus, 0x80},
		{"set freeze", 0x80, wSetFreeze, 0x82},
		{"clear freeze", 0x82, wClearFreeze, 0x80},
		{"set flush", 0x80, wSetFlush, 0x84},
		{"clear flush", 0x84, wClearFlush, 0x80},
		{"set all three", 0x80, wSetXBus | wSetFreeze | wSetFlush, 0x87},
		{"clear all three", 0x87, wClearXBus | wClearFreeze | wClearFlush, 0x80},
		{"set+clear xbus: unchanged (set)", 0x81, wSetXBus | wClearXBus, 0x81},
		{"set+clear xbus: unchanged (clear)", 0x80, wSetXBus | wClearXBus, 0x80},
		{"counter clears leave flags", 0x82, 0xF << 6, 0x82},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, mi := newDP()
			d.status = tc.before
			wr(d, DPCStatus, tc.write)
			if got := rd(d, DPCStatus); got != tc.want {
				t.Errorf("DPC_STATUS = %#x, want %#x", got, tc.want)
			}
			if mi.Intr != 0 {
				t.Errorf("MI_INTR = %#x", mi.Intr)
			}
		})
	}
}

func TestCounterClears(t *testing.T) {
	for _, tc := range []struct {
		bit uint32
		off uint32
	}{{wClearTMEMCtr, DPCTMEM}, {wClearPipeCtr, DPCPipeBusy}, {wClearCmdCtr, DPCBufBusy}, {wClearClockCtr, DPCClock}} {
		d, _ := newDP()
		d.clock, d.bufBusy, d.pipeBusy, d.tmem = 1, 2, 3, 4
		wr(d, DPCStatus, tc.bit)
		if got := rd(d, tc.off); got != 0 {
			t.Errorf("write %#x: reg %#x = %d, want 0", tc.bit, tc.off, got)
		}
		n := 0
		for _, off := range []uint32{DPCClock, DPCBufBusy, DPCPipeBusy, DPCTMEM} {
			if rd(d, off) == 0 {
				n++
			}
		}
		if n != 1 {
			t.Errorf("write %#x cleared %d counters, want 1", tc.bit, n)
		}
		// Counters are read-only.
		wr(d, tc.off, 0x55)
		if got := rd(d, tc.off); got != 0 {
			t.Errorf("counter %#x writable", tc.off)
		}
	}
}

// n64-systemtest "RDP START & END REG (masking)": with FREEZE set, writing
// the same value to START then END reads back value & 0xFF_FFF8 in START,
// CURRENT and END.
func TestStartEndMasking(t *testing.T) {
	d, _ := newDP()
	wr(d, DPCStatus, wSetFreeze)
	for _, v := range []uint32{0xFFF, 0xFF_FFFF, 0x12FF_FFFF, 0x1280_0000, 0xFFFF_FFFF, 0} {
		wr(d, DPCStart, v)
		wr(d, DPCEnd, v)
		for _, off := range []uint32{DPCStart, DPCCurrent, DPCEnd} {
			if got := rd(d, off); got != v&0xFF_FFF8 {
				t.Errorf("wrote %#x: reg %#x = %#x, want %#x", v, off, got, v&0xFF_FFF8)
			}
		}
	}
}

// n64-systemtest "RSP STATUS: start-valid" (an RDP test): START sets
// START_VALID; while set, START writes are ignored and CURRENT is
// untouched; END clears it and, frozen, does not set END_VALID.
func TestStartValid(t *testing.T) {
	for _, start := range []uint32{0x1238, 0} {
		d, _ := newDP()
		wr(d, DPCStart, 0x40)
		wr(d, DPCEnd, 0x40)
		before := rd(d, DPCCurrent)
		wr(d, DPCStatus, wSetFreeze)

		wr(d, DPCStart, start)
		if s := rd(d, DPCStatus); s&statusStartValid == 0 || s&statusEndValid != 0 {
			t.Errorf("after START: status %#x, want start-valid only", s)
		}
		if got := rd(d, DPCStart); got != start {
			t.Errorf("START = %#x, want %#x", got, start)
		}
		wr(d, DPCStart, 0x12_3450)
		if got := rd(d, DPCStart); got != start {
			t.Errorf("second START write took effect: %#x", got)
		}
		if rd(d, DPCStatus)&statusStartValid == 0 {
			t.Errorf("start-valid lost")
		}
		if got := rd(d, DPCCurrent); got != before {
			t.Errorf("START write moved CURRENT to %#x", got)
		}
		wr(d, DPCEnd, start)
		if s := rd(d, DPCStatus); s&(statusStartValid|statusEndValid) != 0 {
			t.Errorf("after END: status %#x, want neither valid bit", s)
		}
		if got := rd(d, DPCCurrent); got != start {
			t.Errorf("CURRENT = %#x, want %#x", got, start)
		}
		wr(d, DPCStatus, wClearFreeze)
		if rd(d, DPCStatus)&statusFreeze != 0 {
			t.Errorf("still frozen")
		}
	}
}

// A list of NOPs (zeroed RDRAM) is consumed at once: CURRENT = END,
// nothing raised without SYNC_FULL. A second END without START continues
// from CURRENT.
func TestListConsumed(t *testing.T) {
	d, mi := newDP()
	wr(d, DPCStart, 0x1000)
	wr(d, DPCEnd, 0x1040)
	if got := rd(d, DPCCurrent); got != 0x1040 {
		t.Errorf("CURRENT = %#x, want 0x1040", got)
	}
	wr(d, DPCEnd, 0x1080)
	if got, s := rd(d, DPCCurrent), rd(d, DPCStart); got != 0x1080 || s != 0x1000 {
		t.Errorf("incremental END: CURRENT %#x START %#x, want 0x1080 0x1000", got, s)
	}
	if mi.Intr != 0 {
		t.Errorf("MI_INTR = %#x, want 0 (no SYNC_FULL)", mi.Intr)
	}
	if got := rd(d, DPCStatus); got != 0x80 {
		t.Errorf("DPC_STATUS = %#x, want 0x80", got)
	}
}

// FREEZE holds the list back; clearing it lets it run.
func TestFreezeHoldsList(t *testing.T) {
	d, _ := newDP()
	wr(d, DPCStatus, wSetFreeze)
	wr(d, DPCStart, 0x2000)
	wr(d, DPCEnd, 0x2100)
	if got := rd(d, DPCCurrent); got != 0x2000 {
		t.Errorf("frozen: CURRENT = %#x, want 0x2000", got)
	}
	wr(d, DPCStatus, wClearFreeze)
	if got := rd(d, DPCCurrent); got != 0x2100 {
		t.Errorf("unfrozen: CURRENT = %#x, want 0x2100", got)
	}
}

func TestSpanAndUnused(t *testing.T) {
	d, _ := newDP()
	wr(d, DPCStart, 0x100)
	for _, a := range []uint32{dps, dps + 4, dps + 8, dps + 0xC, dpc + 0x20, dpc + 0x100} {
		d.Write32(a, 0xFFFF_FFFF, 0xFFFF_FFFF)
		if got := d.Read32(a); got != 0 {
			t.Errorf("Read32(%#x) = %#x, want 0", a, got)
		}
	}
	if rd(d, DPCStart) != 0x100 || rd(d, DPCStatus) != 0x80|statusStartValid {
		t.Errorf("span writes changed DPC registers")
	}
	// CURRENT is read-only.
	wr(d, DPCCurrent, 0x5000)
	if rd(d, DPCCurrent) != 0 {
		t.Errorf("CURRENT writable")
	}
}

func TestSerializeRoundTrip(t *testing.T) {
	d, _ := newDP()
	wr(d, DPCStatus, wSetXBus|wSetFreeze)
	wr(d, DPCStart, 0x123458)
	wr(d, DPCEnd, 0x123500)
	wr(d, DPCStart, 0x200)
	d.clock, d.tmem = 7, 9
	w := state.NewWriter()
	d.Serialize(w)
	e, _ := newDP()
	r := state.NewReader(w.Bytes())
	e.Serialize(r)
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
	if e.start != d.start || e.end != d.end || e.current != d.current || e.status != d.status ||
		e.clock != d.clock || e.bufBusy != d.bufBusy || e.pipeBusy != d.pipeBusy || e.tmem != d.tmem {
		t.Errorf("round trip differs: %+v vs %+v", e, d)
	}
	w2 := state.NewWriter()
	e.Serialize(w2)
	if !bytes.Equal(w.Bytes(), w2.Bytes()) {
		t.Error("re-serialized state differs")
	}
}
