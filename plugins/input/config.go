package input

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/n64go/n64/core/pif"
)

// Hotkey actions of the player window. Keys for them are in Config.Hotkeys.
const (
	HotQuit         = "quit"
	HotPause        = "pause"
	HotFrameAdvance = "frame_advance"
	HotFastForward  = "fast_forward" // held
	HotReset        = "reset"
	HotFullscreen   = "fullscreen"
	HotScreenshot   = "screenshot"
	HotSaveState    = "save_state"
	HotLoadState    = "load_state"
	HotVolumeDown   = "volume_down"
	HotVolumeUp     = "volume_up"
	HotMute         = "mute"
	HotSlot         = "slot_" // slot_0 .. slot_9 select a state slot
)

// HotkeyNames lists every hotkey action, in the order the README lists
// them.
func HotkeyNames() []string {
	names := []string{HotQuit, HotPause, HotFrameAdvance, HotFastForward, HotReset,
		HotFullscreen, HotScreenshot, HotSaveState, HotLoadState,
		HotVolumeDown, HotVolumeUp, HotMute}
	for i := 0; i < 10; i++ {
		names = append(names, HotSlot+strconv.Itoa(i))
	}
	return names
}

// Config is the player's input configuration.
type Config struct {
	Players  [pif.NumPorts]Player
	DeadZone float64
	Hotkeys  map[string][]ebiten.Key
}

// DefaultConfig is the configuration without a config file.
func DefaultConfig() Config {
	c := Config{Players: DefaultPlayers(), DeadZone: DefaultDeadZone,
		Hotkeys: map[string][]ebiten.Key{
			HotQuit:         {ebiten.KeyEscape},
			HotPause:        {ebiten.KeyP, ebiten.KeyPause},
			HotFrameAdvance: {ebiten.KeySlash},
			HotFastForward:  {ebiten.KeyF},
			HotReset:        {ebiten.KeyF9},
			HotFullscreen:   {ebiten.KeyF11},
			HotScreenshot:   {ebiten.KeyF12},
			HotSaveState:    {ebiten.KeyF5},
			HotLoadState:    {ebiten.KeyF7},
			HotVolumeDown:   {ebiten.KeyMinus},
			HotVolumeUp:     {ebiten.KeyEqual},
			HotMute:         {ebiten.KeyM},
		}}
	for i := 0; i < 10; i++ {
		c.Hotkeys[HotSlot+strconv.Itoa(i)] = []ebiten.Key{ebiten.Key0 + ebiten.Key(i)}
	}
	return c
}

// ConfigName is the config file's name in the n64 config folder.
const ConfigName = "input.conf"

// DefaultConfigPath is os.UserConfigDir()/n64/input.conf.
func DefaultConfigPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "n64", ConfigName), nil
}

// LoadConfig reads the config file at path over the defaults. A missing
// file is the defaults, not an error.
func LoadConfig(path string) (Config, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return DefaultConfig(), nil
	}
	if err != nil {
		return Config{}, err
	}
	defer f.Close()
	return ParseConfig(f, path)
}

// ParseConfig reads a config over the defaults. The format is one setting
// per line, "#" starting a comment:
//
//	p1.a = ShiftLeft            keys for player 1's A (ebiten key names,
//	p1.stick_up = ArrowUp, W    comma-separated; "none" unbinds)
//	p2.gamepad = 1              player 2 uses the second gamepad ("none": no gamepad)
//	deadzone = 0.2              fraction of stick travel read as centre
//	hotkey.pause = P            keys for a hotkey
//
// A setting replaces the default of that control or hotkey. Errors name
// the file (name) and line.
func ParseConfig(r io.Reader, name string) (Config, error) {
	c := DefaultConfig()
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		if err := c.set(text); err != nil {
			return Config{}, fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return Config{}, fmt.Errorf("%s: %w", name, err)
	}
	return c, nil
}

func (c *Config) set(text string) error {
	key, value, ok := strings.Cut(text, "=")
	if !ok {
		return fmt.Errorf("%q: want setting = value", text)
	}
	key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
	switch {
	case key == "deadzone":
		v, err := strconv.ParseFloat(value, 64)
		if err != nil || v < 0 || v >= 1 {
			return fmt.Errorf("deadzone %q: want a number from 0 to below 1", value)
		}
		c.DeadZone = v
		return nil
	case strings.HasPrefix(key, "hotkey."):
		action := strings.TrimPrefix(key, "hotkey.")
		if _, ok := c.Hotkeys[action]; !ok {
			return fmt.Errorf("unknown hotkey %q", action)
		}
		keys, err := parseKeys(value)
		if err != nil {
			return err
		}
		c.Hotkeys[action] = keys
		return nil
	case len(key) > 3 && key[0] == 'p' && key[2] == '.':
		n := int(key[1] - '1')
		if n < 0 || n >= pif.NumPorts {
			return fmt.Errorf("player %q: players are p1 to p4", key[:2])
		}
		p := &c.Players[n]
		what := key[3:]
		if what == "gamepad" {
			if strings.EqualFold(value, "none") {
				p.Gamepad = -1
				return nil
			}
			g, err := strconv.Atoi(value)
			if err != nil || g < 0 || g > 15 {
				return fmt.Errorf("gamepad %q: want 0-15 or none", value)
			}
			p.Gamepad = g
			return nil
		}
		for ctl := Control(0); ctl < NumControls; ctl++ {
			if ctl.String() == what {
				keys, err := parseKeys(value)
				if err != nil {
					return err
				}
				p.Keys[ctl] = keys
				return nil
			}
		}
		return fmt.Errorf("unknown control %q (one of %s, gamepad)", what, strings.Join(controlNames[:], ", "))
	}
	return fmt.Errorf("unknown setting %q", key)
}

// parseKeys parses a comma-separated list of ebiten key names, or "none".
func parseKeys(value string) ([]ebiten.Key, error) {
	if strings.EqualFold(value, "none") {
		return nil, nil
	}
	var keys []ebiten.Key
	for _, name := range strings.Split(value, ",") {
		name = strings.TrimSpace(name)
		var k ebiten.Key
		if err := k.UnmarshalText([]byte(name)); err != nil || name == "" {
			return nil, fmt.Errorf("unknown key %q (ebiten key names: A, Digit1, ShiftLeft, ArrowUp, F5, ...)", name)
		}
		keys = append(keys, k)
	}
	return keys, nil
}
