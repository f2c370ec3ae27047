// Package core wires the N64's parts into a Machine and runs it frame by
// frame on one emulated timeline (DESIGN.md §2).
package core

import (
	"crypto/sha256"
	"fmt"
	"image"

	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/cpu"
	"github.com/n64go/n64/core/io"
	"github.com/n64go/n64/core/memory"
	"github.com/n64go/n64/core/pif"
	"github.com/n64go/n64/core/rdp"
	"github.com/n64go/n64/core/rsp"
	"github.com/n64go/n64/core/sched"
	"github.com/n64go/n64/core/state"
)

// Machine is one N64: CPU, RCP interfaces, PIF and cartridge on one clock.
type Machine struct {
	Opts  Options
	ROM   *cart.ROM
	Sched *sched.Scheduler
	Bus   *memory.Bus

	CPU       *cpu.CPU
	MI        *memory.MI
	RI        *memory.RI
	RDRAMRegs *memory.RDRAMRegs
	RSP       *rsp.RSP
	DP        *rdp.DP
	VI        *io.VI
	AI        *io.AI
	PI        *io.PI
	SI        *io.SI
	Cart      *io.Cart
	PIF       *pif.PIF

	input   pif.InputSource
	frame   *image.RGBA
	hashBuf []byte

	// Cartridge save memory (saves.go).
	saveType cart.SaveType
	cartSave cart.SaveMemory
}

// Physical address ranges of DESIGN.md §3.
const (
	addrRDRAMRegs = 0x03F0_0000
	addrSP        = 0x0400_0000
	addrDP        = 0x0410_0000
	addrDPSpan    = 0x0420_0000
	addrMI        = 0x0430_0000
	addrVI        = 0x0440_0000
	addrAI        = 0x0450_0000
	addrPI        = 0x0460_0000
	addrRI        = 0x0470_0000
	addrSI        = 0x0480_0000
	addrCartDom2  = 0x0500_0000
	addrPIF       = 0x1FC0_0000
	addrTop       = 0x1FFF_FFFF
)

// New builds a machine for rom with opts and performs the high-level PIF
// boot, so the next RunFrame executes the cartridge's IPL3.
func New(rom *cart.ROM, opts Options) (*Machine, error) {
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("core: %w", err)
	}
	m := &Machine{Opts: opts, ROM: rom, Sched: sched.New(),
		MI: &memory.MI{}, RI: &memory.RI{}, RDRAMRegs: &memory.RDRAMRegs{}}
	m.Bus = memory.NewBus(opts.RDRAMSize())
	m.CPU = cpu.New(m.Bus, m.Sched, cpu.Timing{CountPerOp: opts.CountPerOp, CountPerOpDenomPot: opts.CountPerOpDenomPot})
	m.MI.OnLine = func(on bool) { m.CPU.SetInterrupt(2, on) }
	m.RSP = rsp.New(m.Sched, m.MI, m.Bus)
	m.DP = rdp.New(m.MI, m.Bus)
	m.RSP.SetDP(m.DP)
	m.DP.SetDMEM(&m.RSP.DMEM) // commands from DMEM with DPC_STATUS.XBUS
	m.VI = io.New(m.Sched, m.MI, m.Bus, opts.PAL)
	m.AI = io.NewAI(m.Sched, m.MI, m.Bus, opts.PAL)
	m.PI = io.NewPI(m.Sched, m.MI, m.Bus, rom.Data)
	m.PIF = pif.New()
	sch := m.Sched
	m.PIF.SetClock(func() uint64 { return sch.Now })
	// Count runs at half the CPU clock: SIDMADuration Count ticks are
	// twice as many CPU cycles.
	m.SI = io.NewSI(m.Sched, m.MI, m.Bus, m.PIF, 2*uint64(opts.SIDMADuration))
	m.Cart = m.PI.Cart

	m.Bus.Map(addrRDRAMRegs, addrRDRAMRegs, m.RDRAMRegs)
	m.Bus.Map(addrSP, addrSP, m.RSP)
	// CPU accesses to the DP registers first catch the RSP up (it writes
	// them too, through COP0).
	m.Bus.Map(addrDP, addrDPSpan, rsp.SyncedDevice{RSP: m.RSP, Device: m.DP})
	m.Bus.Map(addrMI, addrMI, m.MI)
	m.Bus.Map(addrVI, addrVI, m.VI)
	m.Bus.Map(addrAI, addrAI, m.AI)
	m.Bus.Map(addrPI, addrPI, m.PI)
	m.Bus.Map(addrRI, addrRI, m.RI)
	m.Bus.Map(addrSI, addrSI, m.SI)
	m.Bus.Map(addrCartDom2, addrPIF-1, m.Cart)
	m.Bus.Map(addrPIF, addrTop, m.PIF)

	st, _ := rom.DetectSaveType()
	m.SetSaveType(st)
	m.boot()
	return m, nil
}

// Every cross-reference between the parts is a pointer to a part, never to
// a field of Machine, so LoadState can replace a Machine's contents with a
// freshly loaded one.

// SetInput sets where controller reads come from (nil: nothing pressed).
func (m *Machine) SetInput(src pif.InputSource) {
	m.input = src
	m.PIF.SetInput(src)
}

// SetISViewerOutput sets where the ROM's ISViewer text goes.
func (m *Machine) SetISViewerOutput(out func([]byte)) { m.Cart.ISViewer.Output = out }

// SetAudioSink sets where AI samples go.
func (m *Machine) SetAudioSink(out func(rate int, stereo []int16)) { m.AI.Samples = out }

// adoptHooks gives m the front-end connections of old (LoadState).
func (m *Machine) adoptHooks(old *Machine) {
	m.SetInput(old.input)
	m.SetISViewerOutput(old.Cart.ISViewer.Output)
	m.SetAudioSink(old.AI.Samples)
	m.VI.OnField = old.VI.OnField
}

// RunFrame runs the machine until the VI finishes its current field.
// A fault inside the core (a bug) stops it with an *EmulatorError rather
// than a crash of the host program.
func (m *Machine) RunFrame() (err error) {
	defer m.recoverFault(&err)
	start := m.VI.Fields
	for m.VI.Fields == start {
		m.step()
	}
	return nil
}

// RunCycles runs the machine for at least n CPU cycles (tests use it to
// run programs that never set up the VI).
func (m *Machine) RunCycles(n uint64) (err error) {
	defer m.recoverFault(&err)
	end := m.Sched.Now + n
	for m.Sched.Now < end {
		m.step()
	}
	return nil
}

// rspSlice bounds how far the CPU runs ahead of a running RSP, in CPU
// cycles: the RSP is caught up after every slice (DESIGN.md §2), so its
// interrupts and DP writes are seen within this many cycles.
const rspSlice = 1500

// step runs the CPU up to the next event (or one RSP slice, while the RSP
// runs), catches the RSP up, and fires every event that is due.
func (m *Machine) step() {
	until := m.Sched.Next()
	if !m.RSP.Halted() && until > m.Sched.Now+rspSlice {
		until = m.Sched.Now + rspSlice
	}
	m.CPU.Run(until)
	m.RSP.Sync()
	for {
		k, ok := m.Sched.Pop()
		if !ok {
			return
		}
		switch k {
		case sched.Compare:
			m.CPU.CompareEvent()
		case sched.VI:
			m.VI.Event()
		case sched.AI:
			m.AI.Event()
		case sched.PI:
			m.PI.Event()
		case sched.SI:
			m.SI.Event()
		case sched.SP:
			m.RSP.Event()
		case sched.DP:
			// The RDP renders a command list synchronously when DPC_END is
			// written (core/rdp); nothing schedules this kind yet.
		}
	}
}

// Frame is the VI's current output image at its native size, unfiltered.
// The image is reused by the next call.
func (m *Machine) Frame() *image.RGBA {
	m.frame = m.VI.Frame(m.frame)
	return m.frame
}

// Serialize saves or restores the whole machine state (DESIGN.md §5).
// The ROM itself is not part of the state; its SHA-256 is checked by the
// state file header.
func (m *Machine) Serialize(s *state.S) {
	s.Section("options", m.Opts.Serialize)
	s.Section("sched", m.Sched.Serialize)
	s.Section("rdram", func(s *state.S) { s.Raw(m.Bus.RDRAM) })
	s.Section("cpu", m.CPU.Serialize)
	s.Section("mi", m.MI.Serialize)
	s.Section("ri", m.RI.Serialize)
	s.Section("rdramregs", m.RDRAMRegs.Serialize)
	s.Section("rsp", m.RSP.Serialize)
	s.Section("dp", m.DP.Serialize)
	s.Section("vi", m.VI.Serialize)
	s.Section("ai", m.AI.Serialize)
	s.Section("pi", m.PI.Serialize)
	s.Section("si", m.SI.Serialize)
	s.Section("pif", m.PIF.Serialize)
	s.Section("cartsave", m.serializeCartSave)
}

// Hash is the SHA-256 of the serialized machine state: equal hashes mean
// equal machines (DESIGN.md §5; netplay's desync check and the golden
// traces rely on it).
func (m *Machine) Hash() [32]byte {
	s := state.NewWriterBuffer(m.hashBuf)
	m.Serialize(s)
	m.hashBuf = s.Bytes()
	return sha256.Sum256(m.hashBuf)
}
