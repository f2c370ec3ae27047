package savefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/n64go/n64/core/cart"
	"github.com/n64go/n64/core/pif"
)

// Machine is what a Manager needs of core.Machine.
type Machine interface {
	SaveType() cart.SaveType
	SaveData() []byte // cartridge save memory, cartridge byte order, written in place
	SaveWrites() uint64
	Mempak(port int) []byte // Controller Pak SRAM, nil when none
}

// DefaultDebounce is how many emulated frames (VI fields) without a new
// save write the Manager waits before writing the files: a game writes
// its save in many small pieces (EEPROM blocks, flash pages) over a few
// frames, and this writes the file once, after the last one (about half
// a second at 60 fields per second).
const DefaultDebounce = 30

// DefaultMaxDelay bounds how long a game that keeps writing (never idle
// for Debounce frames) goes without its files being written: 10 seconds of
// fields at 60 Hz.
const DefaultMaxDelay = 600

const numPorts = 4

// Manager loads a machine's save memories from files at start, and
// writes them back after the game changed them (debounced in emulated
// frames, not wall time, so runs stay reproducible) and on Close.
type Manager struct {
	m        Machine
	cartPath string // "" when the cartridge has no save memory
	mpkPath  string // "" when no Controller Pak is plugged
	cartOK   bool   // cartPath may be written
	mpkOK    bool

	seen        uint64
	dirty       bool
	lastChange  int
	firstChange int

	// Debounce is the number of frames without writes before Frame
	// writes the files; MaxDelay the most frames a change waits.
	Debounce, MaxDelay int
}

// Open loads the save files for m from dir (created if missing), named
// after base (see BaseName). Plug the Controller Paks and choose the save
// type before calling it. Problems with single files are returned as
// warnings (the machine then starts with blank memory of that kind); err
// is set only when the folder cannot be made.
func Open(dir, base string, m Machine) (mgr *Manager, warnings []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("saves: %w", err)
	}
	mgr = &Manager{m: m, Debounce: DefaultDebounce, MaxDelay: DefaultMaxDelay, seen: m.SaveWrites()}
	t := m.SaveType()
	if ext := Ext(t); ext != "" && m.SaveData() != nil {
		mgr.cartPath = filepath.Join(dir, base+ext)
		removeTemps(mgr.cartPath)
		_, warn, err := readFile(mgr.cartPath, func(b []byte) error { return Decode(t, b, m.SaveData()) })
		mgr.cartOK = err == nil
		warnings = appendWarn(warnings, warn, err)
	}
	if mgr.hasMempak() {
		mgr.mpkPath = filepath.Join(dir, base+".mpk")
		removeTemps(mgr.mpkPath)
		_, warn, err := readFile(mgr.mpkPath, mgr.decodeMPK)
		mgr.mpkOK = err == nil
		warnings = appendWarn(warnings, warn, err)
	}
	return mgr, warnings, nil
}

func appendWarn(w []string, warn string, err error) []string {
	if warn != "" {
		w = append(w, warn)
	}
	if err != nil {
		w = append(w, err.Error())
	}
	return w
}

func (g *Manager) hasMempak() bool {
	for p := 0; p < numPorts; p++ {
		if g.m.Mempak(p) != nil {
			return true
		}
	}
	return false
}

// decodeMPK copies the four paks of a .mpk file into the plugged paks.
func (g *Manager) decodeMPK(b []byte) error {
	if len(b) != MPKFileSize {
		return fmt.Errorf("%w: %d bytes, want %d", ErrSize, len(b), MPKFileSize)
	}
	for p := 0; p < numPorts; p++ {
		if mem := g.m.Mempak(p); mem != nil {
			copy(mem, b[p*mempakSize:(p+1)*mempakSize])
		}
	}
	return nil
}

// encodeMPK builds the .mpk file: the plugged paks' contents, and for
// ports without a pak what the file held before or, in a new file, a
// formatted pak, as mupen64plus creates a .mpk with all four paks
// formatted (main.c open_mpk_file).
func (g *Manager) encodeMPK() []byte {
	out := make([]byte, MPKFileSize)
	old, err := os.ReadFile(g.mpkPath)
	keep := err == nil && len(old) == MPKFileSize
	if keep {
		copy(out, old)
	}
	for p := 0; p < numPorts; p++ {
		dst := out[p*mempakSize : (p+1)*mempakSize]
		if mem := g.m.Mempak(p); mem != nil {
			copy(dst, mem)
		} else if !keep {
			pif.FormatMempak(dst, p)
		}
	}
	return out
}

// Paths are the files this manager reads and writes ("" when unused).
func (g *Manager) Paths() (cartFile, mpkFile string) { return g.cartPath, g.mpkPath }

// Frame is called after each emulated frame with its number; it writes
// the files once Debounce frames have passed since the game's last write,
// or MaxDelay frames since the first unwritten one.
func (g *Manager) Frame(frame int) error {
	if w := g.m.SaveWrites(); w != g.seen {
		if !g.dirty {
			g.firstChange = frame
		}
		g.seen, g.dirty, g.lastChange = w, true, frame
	}
	if g.dirty && (frame-g.lastChange >= g.Debounce || frame-g.firstChange >= g.MaxDelay) {
		return g.Flush()
	}
	return nil
}

// Flush writes every save file now.
func (g *Manager) Flush() error {
	g.dirty = false
	var errs []error
	if g.cartPath != "" && g.cartOK {
		if mem := g.m.SaveData(); mem != nil {
			if err := WriteAtomic(g.cartPath, Encode(g.m.SaveType(), mem)); err != nil {
				errs = append(errs, fmt.Errorf("saves: %w", err))
			}
		}
	}
	if g.mpkPath != "" && g.mpkOK {
		if err := WriteAtomic(g.mpkPath, g.encodeMPK()); err != nil {
			errs = append(errs, fmt.Errorf("saves: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Close writes the files if the game changed them since the last write.
func (g *Manager) Close() error {
	if w := g.m.SaveWrites(); w != g.seen {
		g.seen, g.dirty = w, true
	}
	if !g.dirty {
		return nil
	}
	return g.Flush()
}
