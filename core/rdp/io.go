package rdp

// DPC register offsets from 0x0410_0000 (n64brew "Reality Display
// Processor/Interface").
const (
	DPCStart    = 0x00
	DPCEnd      = 0x04
	DPCCurrent  = 0x08
	DPCStatus   = 0x0C
	DPCClock    = 0x10
	DPCBufBusy  = 0x14
	DPCPipeBusy = 0x18
	DPCTMEM     = 0x1C
)

// DPC_STATUS read bits.
const (
	statusXBus       = 1 << 0 // commands come from DMEM (XBUS), not RDRAM
	statusFreeze     = 1 << 1
	statusFlush      = 1 << 2
	statusStartGClk  = 1 << 3
	statusTMEMBusy   = 1 << 4
	statusPipeBusy   = 1 << 5
	statusCmdBusy    = 1 << 6
	statusCBufReady  = 1 << 7
	statusDMABusy    = 1 << 8
	statusEndValid   = 1 << 9
	statusStartValid = 1 << 10
)

// DPC_STATUS write bits.
const (
	wClearXBus     = 1 << 0
	wSetXBus       = 1 << 1
	wClearFreeze   = 1 << 2
	wSetFreeze     = 1 << 3
	wClearFlush    = 1 << 4
	wSetFlush      = 1 << 5
	wClearTMEMCtr  = 1 << 6
	wClearPipeCtr  = 1 << 7
	wClearCmdCtr   = 1 << 8
	wClearClockCtr = 1 << 9
)

// addrMask keeps what DPC_START/DPC_END store (n64-systemtest "RDP START &
// END REG (masking)": value & 0xFF_FFF8).
const addrMask = 0xFF_FFF8

// The DP's two register blocks, by the 1 MiB region of the address.
const (
	regionDPC = 0x041 // 0x0410_0000: command registers
	regionDPS = 0x042 // 0x0420_0000: span/test registers
)

// Read32 implements memory.Device for 0x0410_0000-0x042F_FFFF (map both
// regions to the DP). The DPS span registers (TBIST, test mode, buffer
// test) read 0; unused addresses read 0.
func (d *DP) Read32(paddr uint32) uint32 {
	if paddr>>20&0x1FF != regionDPC {
		return 0
	}
	switch paddr & 0xF_FFFF {
	case DPCStart:
		return d.start
	case DPCEnd:
		return d.end
	case DPCCurrent:
		return d.current
	case DPCStatus:
		return d.status
	case DPCClock:
		return d.clock
	case DPCBufBusy:
		return d.bufBusy
	case DPCPipeBusy:
		return d.pipeBusy
	case DPCTMEM:
		return d.tmem
	}
	return 0
}

// Write32 implements memory.Device. Registers take the written bytes with
// the other lanes zero. DPC_CURRENT and the counters are read-only; DPS
// writes are ignored.
func (d *DP) Write32(paddr, v, mask uint32) {
	if paddr>>20&0x1FF != regionDPC {
		return
	}
	v &= mask
	switch paddr & 0xF_FFFF {
	case DPCStart:
		// While a start is pending (START_VALID), further writes are
		// ignored (n64-systemtest "RSP STATUS: start-valid").
		if d.status&statusStartValid == 0 {
			d.start = v & addrMask
			d.status |= statusStartValid
		}
	case DPCEnd:
		// A pending start begins a new list at START; otherwise the
		// list continues from CURRENT to the new END.
		d.end = v & addrMask
		if d.status&statusStartValid != 0 {
			d.current = d.start
			d.status &^= statusStartValid
		}
		d.processList()
	case DPCStatus:
		d.writeStatus(v)
	}
}

// writeStatus applies a DPC_STATUS write. A flag whose set and clear bits
// are both written is left unchanged: that is what SP_STATUS does on
// hardware (n64-systemtest rsp/registers.rs); for DPC_STATUS it is assumed,
// not measured.
func (d *DP) writeStatus(w uint32) {
	d.status = setClear(d.status, w, wClearXBus, wSetXBus, statusXBus)
	frozen := d.status&statusFreeze != 0
	d.status = setClear(d.status, w, wClearFreeze, wSetFreeze, statusFreeze)
	d.status = setClear(d.status, w, wClearFlush, wSetFlush, statusFlush)
	if w&wClearTMEMCtr != 0 {
		d.tmem = 0
	}
	if w&wClearPipeCtr != 0 {
		d.pipeBusy = 0
	}
	if w&wClearCmdCtr != 0 {
		d.bufBusy = 0
	}
	if w&wClearClockCtr != 0 {
		d.clock = 0
	}
	if frozen && d.status&statusFreeze == 0 {
		// Unfrozen: commands held back run now.
		d.processList()
	}
}

func setClear(reg, w, clear, set, flag uint32) uint32 {
	switch w & (clear | set) {
	case clear:
		return reg &^ flag
	case set:
		return reg | flag
	}
	return reg
}
