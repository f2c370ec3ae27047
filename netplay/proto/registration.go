package proto

import (
	"encoding/binary"
	"io"
)

// Registration is one slot's entry in the registration table (§2.4):
// `u32` reg_id, `u8` plugin, `u8` raw.
type Registration struct {
	RegID  uint32 // chosen by the frontend, non-zero; 0 marks an empty slot
	Plugin Plugin // pak plugin of the slot's controller (§5)
	Raw    bool   // the input plugin runs the port's joybus traffic itself (wire 0 or 1)
}

// Present reports whether the slot is registered (reg_id ≠ 0).
func (r Registration) Present() bool { return r.RegID != 0 }

// RegistrationTableSize is the size of the GET_REGISTRATION reply (§2.4).
const RegistrationTableSize = MaxPlayers * 6

// RegistrationTable is the 24-byte reply to GET_REGISTRATION (code 6),
// indexed by slot (§2.4).
type RegistrationTable [MaxPlayers]Registration

// Validate checks each entry: a present slot has a valid plugin (0–6); an
// empty slot is 6 zero bytes.
func (t RegistrationTable) Validate() error {
	for i, r := range t {
		if !r.Present() {
			if r.Plugin != 0 || r.Raw {
				return rangeError("registration table", "slot %d: empty (reg_id 0) but plugin %d raw %v", i, r.Plugin, r.Raw)
			}
			continue
		}
		if !r.Plugin.Valid() {
			return rangeError("registration table", "slot %d: plugin %d > %d", i, r.Plugin, PluginBioPak)
		}
	}
	return nil
}

// AppendBinary appends the 24-byte table after validating it.
func (t RegistrationTable) AppendBinary(b []byte) ([]byte, error) {
	if err := t.Validate(); err != nil {
		return b, err
	}
	for _, r := range t {
		b = binary.BigEndian.AppendUint32(b, r.RegID)
		b = append(b, byte(r.Plugin), boolByte(r.Raw))
	}
	return b, nil
}

// MarshalBinary returns the 24-byte table.
func (t RegistrationTable) MarshalBinary() ([]byte, error) {
	return t.AppendBinary(make([]byte, 0, RegistrationTableSize))
}

// UnmarshalBinary decodes exactly 24 bytes. On error t is unchanged.
func (t *RegistrationTable) UnmarshalBinary(b []byte) error {
	if len(b) != RegistrationTableSize {
		return lengthError("registration table", len(b), RegistrationTableSize)
	}
	var v RegistrationTable
	for i := range v {
		e := b[i*6 : i*6+6]
		if e[5] > 1 {
			return rangeError("registration table", "slot %d: raw %d not 0 or 1", i, e[5])
		}
		v[i] = Registration{RegID: binary.BigEndian.Uint32(e), Plugin: Plugin(e[4]), Raw: e[5] == 1}
	}
	if err := v.Validate(); err != nil {
		return err
	}
	*t = v
	return nil
}

// DecodeRegistrationTable decodes the 24-byte registration table.
func DecodeRegistrationTable(b []byte) (RegistrationTable, error) {
	var t RegistrationTable
	err := t.UnmarshalBinary(b)
	return t, err
}

// ReadRegistrationTable reads the 24-byte reply to GET_REGISTRATION.
func ReadRegistrationTable(r io.Reader) (RegistrationTable, error) {
	var buf [RegistrationTableSize]byte
	if _, err := io.ReadFull(r, buf[:]); err != nil {
		return RegistrationTable{}, err
	}
	return DecodeRegistrationTable(buf[:])
}

// RegisterReplySize is the size of the REGISTER_PLAYER reply (§2.1).
const RegisterReplySize = 2

// RegisterReply is the reply to REGISTER_PLAYER (code 5): `u8` ok,
// `u8` buffer_target (§2.1).
type RegisterReply struct {
	OK           bool  // the slot is now (or already was) this reg_id's; wire 1, else 0
	BufferTarget uint8 // T, 1–255: stock servers never send 0
}

// Validate checks BufferTarget ≠ 0.
func (r RegisterReply) Validate() error {
	if r.BufferTarget == 0 {
		return rangeError("register reply", "buffer_target 0")
	}
	return nil
}

// AppendBinary appends the 2-byte reply.
func (r RegisterReply) AppendBinary(b []byte) ([]byte, error) {
	if err := r.Validate(); err != nil {
		return b, err
	}
	return append(b, boolByte(r.OK), r.BufferTarget), nil
}

// MarshalBinary returns the 2-byte reply.
func (r RegisterReply) MarshalBinary() ([]byte, error) {
	return r.AppendBinary(make([]byte, 0, RegisterReplySize))
}

// UnmarshalBinary decodes exactly 2 bytes: ok ∈ {0, 1}, buffer_target ≠ 0.
func (r *RegisterReply) UnmarshalBinary(b []byte) error {
	if len(b) != RegisterReplySize {
		return lengthError("register reply", len(b), RegisterReplySize)
	}
	if b[0] > 1 {
		return rangeError("register reply", "ok %d not 0 or 1", b[0])
	}
	v := RegisterReply{OK: b[0] == 1, BufferTarget: b[1]}
	if err := v.Validate(); err != nil {
		return err
	}
	*r = v
	return nil
}

// DecodeRegisterReply decodes the 2-byte REGISTER_PLAYER reply.
func DecodeRegisterReply(b []byte) (RegisterReply, error) {
	var r RegisterReply
	err := r.UnmarshalBinary(b)
	return r, err
}

// ReadRegisterReply reads the 2-byte REGISTER_PLAYER reply.
func ReadRegisterReply(r io.Reader) (RegisterReply, error) {
	var buf [RegisterReplySize]byte
	if _, err := io.ReadFull(r, buf[:]); err != nil {
		return RegisterReply{}, err
	}
	return DecodeRegisterReply(buf[:])
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}
