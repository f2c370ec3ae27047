package core

import (
	"fmt"
	"runtime/debug"

	"github.com/n64go/n64/core/cpu"
	"github.com/n64go/n64/core/memory"
)

// EmulatorError is a fault inside the emulator itself (a bug, never a
// guest exception, which the machine handles as the hardware does). It
// names where the guest CPU was, so a report can be reproduced.
type EmulatorError struct {
	PC    uint64 // the guest CPU's PC when the fault happened
	Word  uint32 // the instruction word at PC (0 when PC is not in kseg0/kseg1)
	Fault any    // what the core panicked with
	Stack []byte // the host stack, for a bug report
}

func (e *EmulatorError) Error() string {
	return fmt.Sprintf("emulator error at PC %016X (instruction %08X: %s): %v",
		e.PC, e.Word, cpu.Disassemble(uint32(e.PC), e.Word), e.Fault)
}

// recoverFault turns a panic inside the core into an *EmulatorError in
// *err. Deferred by the methods that run the machine.
func (m *Machine) recoverFault(err *error) {
	r := recover()
	if r == nil {
		return
	}
	e := &EmulatorError{PC: m.CPU.PC, Fault: r, Stack: debug.Stack()}
	// kseg0 and kseg1 map straight onto physical memory; other segments
	// would need the TLB, which a faulted machine should not be trusted with.
	if seg := uint32(m.CPU.PC) >> 29; m.CPU.PC == uint64(int64(int32(m.CPU.PC))) && (seg == 4 || seg == 5) {
		e.Word = m.Bus.Read32(uint32(m.CPU.PC) & memory.PhysMask &^ 3)
	}
	*err = e
}
