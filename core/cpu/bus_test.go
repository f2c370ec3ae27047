package cpu

import (
	"testing"

	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/sched"
)

// ramDevice is a 4 KiB device memory (like SP DMEM) that records the
// writes it receives.
type ramDevice struct {
	mem    [1024]uint32
	writes []struct{ addr, v, mask uint32 }
}

func (d *ramDevice) Read32(paddr uint32) uint32 { return d.mem[paddr>>2&1023] }
func (d *ramDevice) Write32(paddr, v, mask uint32) {
	d.writes = append(d.writes, struct{ addr, v, mask uint32 }{paddr, v, mask})
	i := paddr >> 2 & 1023
	d.mem[i] = d.mem[i]&^mask | v&mask
}

func TestRunFromDevice(t *testing.T) {
	// The PIF boot starts the CPU in SP DMEM at 0xA400_0040 (DESIGN.md
	// §4): kseg1 outside RDRAM is fetched through the bus.
	c := newCPU(t)
	d := &ramDevice{}
	c.bus.Map(0x0400_0000, 0x0400_0FFF, d)
	d.mem[0x40/4] = 0x2408_0007 // addiu $t0, $zero, 7
	c.PC = sext32(0xA400_0040)
	step(t, c, 1)
	if c.GPR[rT0] != 7 || c.PC != sext32(0xA400_0044) {
		t.Errorf("t0 = %d, PC = %#x", c.GPR[rT0], c.PC)
	}
}

func TestPartialStoresToDevice(t *testing.T) {
	// SWL/SWR write only the bytes they cover: on a 32-bit device each
	// arrives as a masked write (memory.Device), never a read-modify-write.
	c := newCPU(t)
	d := &ramDevice{}
	c.bus.Map(0x0400_0000, 0x0400_0FFF, d)
	d.mem[0] = 0x8192_A3B4
	program(t, c, "lui $a0, 0xA400\nswl $t0, 2($a0)\nsb $t0, 0($a0)")
	c.GPR[rT0] = 0x4455_6677
	step(t, c, 3)
	if d.mem[0] != 0x7792_4455 {
		t.Errorf("device word = %#x, want 0x77924455", d.mem[0])
	}
	for _, w := range d.writes {
		if w.mask == 0xFFFF_FFFF {
			t.Errorf("full-word write %+v for a partial store", w)
		}
	}
}

func TestMIInterrupt(t *testing.T) {
	// The MI drives Cause.IP2 (DESIGN.md §3): unmasking a pending VI
	// interrupt with a store to MI_INTR_MASK interrupts the next
	// instruction.
	c := newCPU(t)
	mi := &memory.MI{OnLine: func(on bool) { c.SetInterrupt(2, on) }}
	c.bus.Map(0x0430_0000, 0x043F_FFFF, mi)
	mi.Raise(memory.IntrVI)
	c.CP0[CP0Status] = bootStatus | StatusIE | 1<<10
	program(t, c, `
		lui $a0, 0xA430
		li $t0, 0x80           # MI_INTR_MASK: set VI
		sw $t0, 0xC($a0)
		addiu $t1, $zero, 1
	`)
	step(t, c, 4)
	if c.CP0[CP0Cause]>>2&31 != ExcInt || c.CP0[CP0EPC] != sext32(codeOrigin+12) || c.GPR[rT1] != 0 {
		t.Errorf("Cause %#x EPC %#x t1 %d: want an interrupt before the addiu", c.CP0[CP0Cause], c.CP0[CP0EPC], c.GPR[rT1])
	}
}

func TestRunStopsAtEvents(t *testing.T) {
	// DESIGN.md §2: the CPU runs until the next event's cycle; an event
	// scheduled during the run (here before it) stops it there.
	c := newCPU(t)
	program(t, c, "")
	c.sched.Schedule(sched.VI, 40)
	c.Run(1000)
	if c.sched.Now != 40 || c.Steps != 10 {
		t.Errorf("stopped at cycle %d after %d instructions, want 40 and 10", c.sched.Now, c.Steps)
	}
	if c.Run(1000); c.sched.Now != 40 {
		t.Errorf("ran past a due event: cycle %d", c.sched.Now)
	}
	c.sched.Pop()
	if c.Run(1000); c.sched.Now != 1000 {
		t.Errorf("after the event: cycle %d", c.sched.Now)
	}
}
