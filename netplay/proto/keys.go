package proto

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// Keys is the controller word carried by UDP key info: BUTTONS.Value of
// m64p_plugin.h, sent as a big-endian u32 (§5).
//
// Bits 0–13 are buttons, bits 14–15 are reserved, bits 16–23 and 24–31 are
// the signed X and Y axes (right and up positive). The core stores the word
// natively over the 4 bytes of the joybus CONTROLLER_READ response, so the
// word is the little-endian reading of those bytes (see KeysFromJoybus).
//
// Keys are opaque to the server and are passed through unchanged: decoders
// accept every 32-bit value, including the reserved bits. On hardware bit 15
// is the controller's "reset" flag (L+R+START held) and a raw-data input
// plugin may pass it on, so rejecting it would drop genuine input.
type Keys uint32

// Button bits, named after the BUTTONS bit-fields of m64p_plugin.h (§5).
const (
	KeyRDPad     Keys = 1 << 0  // R_DPAD
	KeyLDPad     Keys = 1 << 1  // L_DPAD
	KeyDDPad     Keys = 1 << 2  // D_DPAD
	KeyUDPad     Keys = 1 << 3  // U_DPAD
	KeyStart     Keys = 1 << 4  // START_BUTTON
	KeyZ         Keys = 1 << 5  // Z_TRIG
	KeyB         Keys = 1 << 6  // B_BUTTON
	KeyA         Keys = 1 << 7  // A_BUTTON
	KeyRCButton  Keys = 1 << 8  // R_CBUTTON
	KeyLCButton  Keys = 1 << 9  // L_CBUTTON
	KeyDCButton  Keys = 1 << 10 // D_CBUTTON
	KeyUCButton  Keys = 1 << 11 // U_CBUTTON
	KeyR         Keys = 1 << 12 // R_TRIG
	KeyL         Keys = 1 << 13 // L_TRIG
	KeyReserved1 Keys = 1 << 14 // Reserved1, 0 from stock input plugins
	KeyReserved2 Keys = 1 << 15 // Reserved2; the joybus "reset" flag on hardware

	// KeyButtonsMask selects the 14 button bits.
	KeyButtonsMask Keys = 0x3FFF
	// KeyReservedMask selects the two reserved bits.
	KeyReservedMask Keys = 0xC000
)

// KeysSize is the size of the keys word on the wire.
const KeysSize = 4

// NewKeys builds a keys word from button bits (bits 16–31 of buttons are
// ignored) and the two axes.
func NewKeys(buttons Keys, x, y int8) Keys {
	return buttons&0xFFFF | Keys(uint8(x))<<16 | Keys(uint8(y))<<24
}

// Buttons returns the button bits (0–13) alone.
func (k Keys) Buttons() Keys { return k & KeyButtonsMask }

// Reserved returns the reserved bits (14–15) alone.
func (k Keys) Reserved() Keys { return k & KeyReservedMask }

// Has reports whether every bit of b is set in k.
func (k Keys) Has(b Keys) bool { return k&b == b }

// X is X_AXIS, bits 16–23: int8(keys >> 16), right positive.
func (k Keys) X() int8 { return int8(k >> 16) }

// Y is Y_AXIS, bits 24–31: int8(keys >> 24), up positive.
func (k Keys) Y() int8 { return int8(k >> 24) }

// WithAxes returns k with both axes replaced.
func (k Keys) WithAxes(x, y int8) Keys { return NewKeys(k, x, y) }

// KeysFromJoybus converts the 4 bytes of a joybus CONTROLLER_READ response
// (buttons high, buttons low, X, Y, as the PIF RAM holds them) into the keys
// word: the core stores BUTTONS over those bytes, so on its little-endian
// hosts byte 0 is bits 0–7 (§5).
func KeysFromJoybus(resp [4]byte) Keys { return Keys(binary.LittleEndian.Uint32(resp[:])) }

// Joybus returns the 4 CONTROLLER_READ response bytes for k; the inverse of
// KeysFromJoybus.
func (k Keys) Joybus() [4]byte {
	var r [4]byte
	binary.LittleEndian.PutUint32(r[:], uint32(k))
	return r
}

// AppendBinary appends the big-endian word. It never fails.
func (k Keys) AppendBinary(b []byte) ([]byte, error) {
	return binary.BigEndian.AppendUint32(b, uint32(k)), nil
}

// MarshalBinary returns the 4-byte big-endian word.
func (k Keys) MarshalBinary() ([]byte, error) { return k.AppendBinary(make([]byte, 0, KeysSize)) }

// UnmarshalBinary decodes exactly 4 bytes.
func (k *Keys) UnmarshalBinary(b []byte) error {
	if len(b) != KeysSize {
		return lengthError("keys", len(b), KeysSize)
	}
	*k = Keys(binary.BigEndian.Uint32(b))
	return nil
}

// DecodeKeys decodes a 4-byte big-endian keys word.
func DecodeKeys(b []byte) (Keys, error) {
	var k Keys
	err := k.UnmarshalBinary(b)
	return k, err
}

var keyNames = [16]string{
	"R_DPAD", "L_DPAD", "D_DPAD", "U_DPAD", "START", "Z", "B", "A",
	"R_CBUTTON", "L_CBUTTON", "D_CBUTTON", "U_CBUTTON", "R", "L", "RESERVED1", "RESERVED2",
}

// String lists the pressed buttons and the axes, e.g. "A|Z x=-3 y=80".
func (k Keys) String() string {
	var sb strings.Builder
	for i, n := range keyNames {
		if k&(1<<i) != 0 {
			if sb.Len() > 0 {
				sb.WriteByte('|')
			}
			sb.WriteString(n)
		}
	}
	if sb.Len() == 0 {
		sb.WriteString("-")
	}
	fmt.Fprintf(&sb, " x=%d y=%d", k.X(), k.Y())
	return sb.String()
}

// Plugin is the controller pak byte of m64p_plugin.h's CONTROL.Plugin,
// carried by registration and key info (§5). The stock client always sends
// the plugin fixed at registration and receivers ignore it; servers pass it
// through unchanged.
type Plugin uint8

// Plugin values (§5).
const (
	PluginUnset       Plugin = 0
	PluginNone        Plugin = 1
	PluginMempak      Plugin = 2
	PluginRumblePak   Plugin = 3
	PluginTransferPak Plugin = 4
	PluginRaw         Plugin = 5 // the input plugin handles the pak through raw data
	PluginBioPak      Plugin = 6
)

// Valid reports whether p is one of the values above.
func (p Plugin) Valid() bool { return p <= PluginBioPak }

var pluginNames = [...]string{"unset", "none", "mempak", "rumble_pak", "transfer_pak", "raw", "bio_pak"}

func (p Plugin) String() string {
	if p.Valid() {
		return pluginNames[p]
	}
	return fmt.Sprintf("plugin(%d)", uint8(p))
}
