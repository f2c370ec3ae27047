package cpu

import (
	"testing"

	"github.com/n64go/n64/core/sched"
)

// benchLoop is a CPU-bound loop in RDRAM (kseg0): integer ALU work, a
// multiply, a store and a load, and a taken branch per 12 instructions.
const benchLoop = `
	lui $a0, 0x8000
	ori $a0, $a0, 0x3000
	li $t1, 0x1234
outer:
	li $t0, 4096
L:	addu $t2, $t2, $t0
	xor $t3, $t2, $t1
	sll $t4, $t3, 3
	sw $t4, 0($a0)
	lw $t5, 0($a0)
	subu $t6, $t5, $t2
	sltu $t7, $t6, $t5
	or $s0, $s0, $t7
	andi $s1, $t6, 0xFF
	addiu $t0, $t0, -1
	bne $t0, $zero, L
	addu $s2, $s2, $s1
	b outer
	nop
`

// BenchmarkCPU runs b.N guest instructions of benchLoop and reports guest
// MIPS (DESIGN.md §9).
func BenchmarkCPU(b *testing.B) {
	c := newCPU(b)
	program(b, c, benchLoop)
	b.ReportAllocs()
	b.ResetTimer()
	start := c.Steps
	// An instruction costs 4 cycles (CountPerOp 2).
	end := c.sched.Now + 4*uint64(b.N)
	for c.sched.Now < end {
		c.Run(end)
		for {
			k, ok := c.sched.Pop()
			if !ok {
				break
			}
			if k == sched.Compare {
				c.CompareEvent()
			}
		}
	}
	b.StopTimer()
	n := c.Steps - start
	b.ReportMetric(float64(n)/b.Elapsed().Seconds()/1e6, "MIPS")
}

// BenchmarkCPUMapped runs benchLoop from a TLB-mapped page (virtual 0,
// physical 0x4000): the fetch goes through the slow path's page cache.
func BenchmarkCPUMapped(b *testing.B) {
	c := newCPU(b)
	load(b, c, benchLoop, 0x8000_4000)
	program(b, c, "li $a0, 4"+mapZero+"jr $zero\nnop")
	step(b, c, 11)
	if c.PC != 0 {
		b.Fatalf("not at mapped code: PC %#x", c.PC)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := c.Steps
	end := c.sched.Now + 4*uint64(b.N)
	for c.sched.Now < end {
		c.Run(end)
		dispatch(c)
	}
	b.StopTimer()
	b.ReportMetric(float64(c.Steps-start)/b.Elapsed().Seconds()/1e6, "MIPS")
}
