package proto

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// RequestCode is the first byte of a TCP request (§2).
type RequestCode uint8

// TCP request codes (§2 table).
const (
	CodeSendSave            RequestCode = 1
	CodeReceiveSave         RequestCode = 2
	CodeSendSettings        RequestCode = 3
	CodeReceiveSettings     RequestCode = 4
	CodeRegisterPlayer      RequestCode = 5
	CodeGetRegistration     RequestCode = 6
	CodeDisconnectNotice    RequestCode = 7
	CodeReceiveSaveWithSize RequestCode = 8   // 2025-01; ≤2023-05 C++ servers used 8/9 for a GLideN64 block
	CodeSendCustom          RequestCode = 64  // + slot k, k = 0…NumCustomSlots−1 (2023-08)
	CodeReceiveCustom       RequestCode = 128 // + slot k
)

// NumCustomSlots is the number of custom-data slots: codes 64–127 send and
// 128–191 receive (§2.4).
const NumCustomSlots = 64

// Known reports whether c is a request code of §2: 1–8, 64–191.
func (c RequestCode) Known() bool {
	return c >= CodeSendSave && c <= CodeReceiveSaveWithSize ||
		c >= CodeSendCustom && c < CodeReceiveCustom+NumCustomSlots
}

var codeNames = [...]string{"", "SEND_SAVE", "RECEIVE_SAVE", "SEND_SETTINGS", "RECEIVE_SETTINGS",
	"REGISTER_PLAYER", "GET_REGISTRATION", "DISCONNECT_NOTICE", "RECEIVE_SAVE_WITH_SIZE"}

func (c RequestCode) String() string {
	switch {
	case c >= CodeSendSave && c <= CodeReceiveSaveWithSize:
		return codeNames[c]
	case c >= CodeSendCustom && c < CodeSendCustom+NumCustomSlots:
		return fmt.Sprintf("SEND_CUSTOM(%d)", c-CodeSendCustom)
	case c >= CodeReceiveCustom && c < CodeReceiveCustom+NumCustomSlots:
		return fmt.Sprintf("RECEIVE_CUSTOM(%d)", c-CodeReceiveCustom)
	}
	return fmt.Sprintf("code(%d)", uint8(c))
}

// Save files the core exchanges at boot, in this order, each at full size
// (§2.3). Names are the file extension only (since 2022-12).
const (
	SaveMempak = "mpk"
	SaveEEPROM = "eep"
	SaveFlash  = "fla"
	SaveSRAM   = "sra"

	SaveSizeMempak = 131072 // 4 × 32 KiB
	SaveSizeEEPROM = 2048   // always the full buffer
	SaveSizeFlash  = 131072
	SaveSizeSRAM   = 32768
)

// SaveFile names one save exchanged at boot.
type SaveFile struct {
	Name string
	Size int
}

// BootSaves lists the saves in the order the core sends them (§2.3).
var BootSaves = [4]SaveFile{
	{SaveMempak, SaveSizeMempak},
	{SaveEEPROM, SaveSizeEEPROM},
	{SaveFlash, SaveSizeFlash},
	{SaveSRAM, SaveSizeSRAM},
}

// Hard caps on TCP length fields. The stock server buffers whatever size a
// client declares, up to 4 GiB (§6 Q7); readers here refuse more than these.
const (
	// MaxSaveNameLen caps a save name, NUL excluded. Names are extensions
	// since 2022-12 and were file base names before; 255 is the usual
	// file-name limit.
	MaxSaveNameLen = 255
	// MaxSaveSize caps SEND_SAVE data and the RECEIVE_SAVE(_WITH_SIZE)
	// replies: 1 MiB, 8× the largest save the core sends (131072, mpk and
	// fla). Old gopher64 pushed whole ROMs and disk images through code 8;
	// that is not supported.
	MaxSaveSize = 1 << 20
	// MaxCustomSize caps SEND_CUSTOM data and RECEIVE_CUSTOM replies:
	// 64 KiB. Blobs in use are 1 to 92 bytes (§2, §2.4).
	MaxCustomSize = 1 << 16
)

// Request is one TCP request, client to server (§2). The concrete types are
// the values (not pointers) SendSave, ReceiveSave, SendSettings,
// ReceiveSettings, RegisterPlayer, GetRegistration, DisconnectNotice,
// ReceiveSaveWithSize, SendCustom and ReceiveCustom.
type Request interface {
	// RequestCode is the code byte the request is sent with.
	RequestCode() RequestCode
	// Validate reports a field out of range.
	Validate() error
	// AppendBinary appends the code byte and the fields.
	AppendBinary(b []byte) ([]byte, error)
	// MarshalBinary returns the code byte and the fields.
	MarshalBinary() ([]byte, error)
}

// SendSave is SEND_SAVE (1): `[1] name NUL u32 size data` (§2.3). Player 1
// sends each save at full size.
type SendSave struct {
	Name string // 1…MaxSaveNameLen bytes, no NUL
	Data []byte // ≤ MaxSaveSize bytes
}

// ReceiveSave is RECEIVE_SAVE (2): `[2] name NUL`. The reply is the stored
// bytes with no length prefix; see ReadSaveReply.
type ReceiveSave struct {
	Name string
}

// SendSettings is SEND_SETTINGS (3): `[3]` + the 24-byte block (§2.2).
type SendSettings struct {
	Settings Settings
}

// ReceiveSettings is RECEIVE_SETTINGS (4), the code byte alone. The reply
// is the 24-byte block; see ReadSettings.
type ReceiveSettings struct{}

// RegisterPlayer is REGISTER_PLAYER (5): `[5] u8 slot, u8 plugin, u8 raw,
// u32 reg_id` (§2.1). The reply is a RegisterReply.
type RegisterPlayer struct {
	Slot   uint8  // 0…3
	Plugin Plugin // 0…6
	Raw    bool   // wire 0 or 1
	RegID  uint32 // non-zero
}

// GetRegistration is GET_REGISTRATION (6), the code byte alone. The reply
// is a RegistrationTable.
type GetRegistration struct{}

// DisconnectNotice is DISCONNECT_NOTICE (7): `[7] u32 reg_id` (§2.4).
type DisconnectNotice struct {
	RegID uint32 // non-zero
}

// ReceiveSaveWithSize is RECEIVE_SAVE_WITH_SIZE (8, 2025-01): `[8] name NUL`.
// The reply is `u32 size` then the bytes; see ReadSaveWithSizeReply.
type ReceiveSaveWithSize struct {
	Name string
}

// SendCustom is SEND_CUSTOM (64+k): `[64+k] u32 size data` (§2.4).
type SendCustom struct {
	Slot uint8  // k, 0…NumCustomSlots−1
	Data []byte // ≤ MaxCustomSize bytes
}

// ReceiveCustom is RECEIVE_CUSTOM (128+k), the code byte alone. The reply
// is the stored bytes with no length prefix; see ReadCustomReply.
type ReceiveCustom struct {
	Slot uint8 // k, 0…NumCustomSlots−1
}

func (SendSave) RequestCode() RequestCode            { return CodeSendSave }
func (ReceiveSave) RequestCode() RequestCode         { return CodeReceiveSave }
func (SendSettings) RequestCode() RequestCode        { return CodeSendSettings }
func (ReceiveSettings) RequestCode() RequestCode     { return CodeReceiveSettings }
func (RegisterPlayer) RequestCode() RequestCode      { return CodeRegisterPlayer }
func (GetRegistration) RequestCode() RequestCode     { return CodeGetRegistration }
func (DisconnectNotice) RequestCode() RequestCode    { return CodeDisconnectNotice }
func (ReceiveSaveWithSize) RequestCode() RequestCode { return CodeReceiveSaveWithSize }

// RequestCode is 64+Slot; it is only meaningful when Slot is in range.
func (q SendCustom) RequestCode() RequestCode { return CodeSendCustom + RequestCode(q.Slot) }

// RequestCode is 128+Slot; it is only meaningful when Slot is in range.
func (q ReceiveCustom) RequestCode() RequestCode { return CodeReceiveCustom + RequestCode(q.Slot) }

func validateSaveName(what, name string) error {
	switch {
	case name == "":
		return rangeError(what, "empty save name")
	case len(name) > MaxSaveNameLen:
		return fmt.Errorf("%w: %s: save name of %d bytes > %d", ErrTooLarge, what, len(name), MaxSaveNameLen)
	case strings.IndexByte(name, 0) >= 0:
		return rangeError(what, "save name contains NUL")
	}
	return nil
}

func (q SendSave) Validate() error {
	if err := validateSaveName("SEND_SAVE", q.Name); err != nil {
		return err
	}
	if len(q.Data) > MaxSaveSize {
		return fmt.Errorf("%w: SEND_SAVE: %d bytes > %d", ErrTooLarge, len(q.Data), MaxSaveSize)
	}
	return nil
}

func (q ReceiveSave) Validate() error { return validateSaveName("RECEIVE_SAVE", q.Name) }
func (q ReceiveSaveWithSize) Validate() error {
	return validateSaveName("RECEIVE_SAVE_WITH_SIZE", q.Name)
}
func (q SendSettings) Validate() error  { return q.Settings.Validate() }
func (ReceiveSettings) Validate() error { return nil }
func (GetRegistration) Validate() error { return nil }

func (q RegisterPlayer) Validate() error {
	switch {
	case q.Slot >= MaxPlayers:
		return rangeError("REGISTER_PLAYER", "slot %d ≥ %d", q.Slot, MaxPlayers)
	case !q.Plugin.Valid():
		return rangeError("REGISTER_PLAYER", "plugin %d > %d", q.Plugin, PluginBioPak)
	case q.RegID == 0:
		return rangeError("REGISTER_PLAYER", "reg_id 0")
	}
	return nil
}

func (q DisconnectNotice) Validate() error {
	if q.RegID == 0 {
		return rangeError("DISCONNECT_NOTICE", "reg_id 0")
	}
	return nil
}

func (q SendCustom) Validate() error {
	if q.Slot >= NumCustomSlots {
		return rangeError("SEND_CUSTOM", "slot %d ≥ %d", q.Slot, NumCustomSlots)
	}
	if len(q.Data) > MaxCustomSize {
		return fmt.Errorf("%w: SEND_CUSTOM: %d bytes > %d", ErrTooLarge, len(q.Data), MaxCustomSize)
	}
	return nil
}

func (q ReceiveCustom) Validate() error {
	if q.Slot >= NumCustomSlots {
		return rangeError("RECEIVE_CUSTOM", "slot %d ≥ %d", q.Slot, NumCustomSlots)
	}
	return nil
}

func appendName(b []byte, name string) []byte {
	b = append(b, name...)
	return append(b, 0)
}

func (q SendSave) AppendBinary(b []byte) ([]byte, error) {
	if err := q.Validate(); err != nil {
		return b, err
	}
	b = appendName(append(b, byte(CodeSendSave)), q.Name)
	b = binary.BigEndian.AppendUint32(b, uint32(len(q.Data)))
	return append(b, q.Data...), nil
}

func (q ReceiveSave) AppendBinary(b []byte) ([]byte, error) {
	if err := q.Validate(); err != nil {
		return b, err
	}
	return appendName(append(b, byte(CodeReceiveSave)), q.Name), nil
}

func (q SendSettings) AppendBinary(b []byte) ([]byte, error) {
	if err := q.Validate(); err != nil {
		return b, err
	}
	return q.Settings.AppendBinary(append(b, byte(CodeSendSettings)))
}

func (ReceiveSettings) AppendBinary(b []byte) ([]byte, error) {
	return append(b, byte(CodeReceiveSettings)), nil
}

func (q RegisterPlayer) AppendBinary(b []byte) ([]byte, error) {
	if err := q.Validate(); err != nil {
		return b, err
	}
	b = append(b, byte(CodeRegisterPlayer), q.Slot, byte(q.Plugin), boolByte(q.Raw))
	return binary.BigEndian.AppendUint32(b, q.RegID), nil
}

func (GetRegistration) AppendBinary(b []byte) ([]byte, error) {
	return append(b, byte(CodeGetRegistration)), nil
}

func (q DisconnectNotice) AppendBinary(b []byte) ([]byte, error) {
	if err := q.Validate(); err != nil {
		return b, err
	}
	return binary.BigEndian.AppendUint32(append(b, byte(CodeDisconnectNotice)), q.RegID), nil
}

func (q ReceiveSaveWithSize) AppendBinary(b []byte) ([]byte, error) {
	if err := q.Validate(); err != nil {
		return b, err
	}
	return appendName(append(b, byte(CodeReceiveSaveWithSize)), q.Name), nil
}

func (q SendCustom) AppendBinary(b []byte) ([]byte, error) {
	if err := q.Validate(); err != nil {
		return b, err
	}
	b = binary.BigEndian.AppendUint32(append(b, byte(q.RequestCode())), uint32(len(q.Data)))
	return append(b, q.Data...), nil
}

func (q ReceiveCustom) AppendBinary(b []byte) ([]byte, error) {
	if err := q.Validate(); err != nil {
		return b, err
	}
	return append(b, byte(q.RequestCode())), nil
}

func (q SendSave) MarshalBinary() ([]byte, error) {
	return q.AppendBinary(make([]byte, 0, 6+len(q.Name)+len(q.Data)))
}
func (q ReceiveSave) MarshalBinary() ([]byte, error) { return q.AppendBinary(nil) }
func (q SendSettings) MarshalBinary() ([]byte, error) {
	return q.AppendBinary(make([]byte, 0, 1+SettingsSize))
}
func (q ReceiveSettings) MarshalBinary() ([]byte, error)     { return q.AppendBinary(nil) }
func (q RegisterPlayer) MarshalBinary() ([]byte, error)      { return q.AppendBinary(make([]byte, 0, 8)) }
func (q GetRegistration) MarshalBinary() ([]byte, error)     { return q.AppendBinary(nil) }
func (q DisconnectNotice) MarshalBinary() ([]byte, error)    { return q.AppendBinary(make([]byte, 0, 5)) }
func (q ReceiveSaveWithSize) MarshalBinary() ([]byte, error) { return q.AppendBinary(nil) }
func (q SendCustom) MarshalBinary() ([]byte, error) {
	return q.AppendBinary(make([]byte, 0, 5+len(q.Data)))
}
func (q ReceiveCustom) MarshalBinary() ([]byte, error) { return q.AppendBinary(nil) }

// RequestError is the error ReadRequest and DecodeRequest return for a
// request they started to read. Err wraps one of the package's error
// classes or an I/O error (io.ErrUnexpectedEOF for a stream that ended
// inside the request).
type RequestError struct {
	Code RequestCode
	// Framed reports that the whole request was consumed, so the next byte
	// of the stream starts a new request: the request was well-formed but a
	// field is out of range (Err wraps ErrRange), or DecodeRequest found
	// trailing bytes (ErrLong). A server can answer it (e.g. REGISTER_PLAYER
	// for slot ≥ 4 with ok = 0) and go on. When Framed is false the stream
	// position is lost and the connection should be closed; the stock server
	// instead stays stuck on unknown codes (§6 Q6), except 0xFF, which it
	// skips.
	Framed bool
	Err    error
}

func (e *RequestError) Error() string {
	return fmt.Sprintf("proto: TCP request %v: %v", e.Code, e.Err)
}

func (e *RequestError) Unwrap() error { return e.Err }

// stream reads from an io.Reader, using io.ByteReader when it has one. It
// never reads past the current request.
type stream struct {
	r   io.Reader
	br  io.ByteReader
	buf [8]byte
}

func (s *stream) readByte() (byte, error) {
	if s.br != nil {
		return s.br.ReadByte()
	}
	_, err := io.ReadFull(s.r, s.buf[:1])
	return s.buf[0], err
}

// readFull reads len(p) bytes; a stream that ends early, even before the
// first byte, gives io.ErrUnexpectedEOF.
func (s *stream) readFull(p []byte) error {
	_, err := io.ReadFull(s.r, p)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}

func (s *stream) readU32() (uint32, error) {
	if err := s.readFull(s.buf[:4]); err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint32(s.buf[:4]), nil
}

// readN reads n ≤ limit bytes. Large payloads are read in growing chunks,
// so a peer that declares a large size and sends nothing holds little
// memory.
func (s *stream) readN(n uint32, limit int, what string) ([]byte, error) {
	if int64(n) > int64(limit) {
		return nil, fmt.Errorf("%w: %s: declared size %d > %d", ErrTooLarge, what, n, limit)
	}
	const chunk = 64 << 10
	if n <= chunk {
		p := make([]byte, n)
		return p, s.readFull(p)
	}
	var buf bytes.Buffer
	buf.Grow(chunk)
	m, err := io.CopyN(&buf, s.r, int64(n))
	if err == io.EOF || err == nil && m < int64(n) {
		err = io.ErrUnexpectedEOF
	}
	return buf.Bytes(), err
}

// readName reads a NUL-terminated name of at most MaxSaveNameLen bytes.
func (s *stream) readName(what string) (string, error) {
	var name []byte
	for {
		c, err := s.readByte()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return "", err
		}
		if c == 0 {
			return string(name), nil
		}
		if len(name) == MaxSaveNameLen {
			return "", fmt.Errorf("%w: %s: save name longer than %d bytes", ErrTooLarge, what, MaxSaveNameLen)
		}
		name = append(name, c)
	}
}

// ReadRequest reads exactly one TCP request from r (§2): the code byte, then
// the fields its code defines. Reading byte-wise from a net.Conn is slow,
// so wrap it in a bufio.Reader; ReadRequest never reads past the request
// from an io.ByteReader, and reads whole fields otherwise.
//
// It returns io.EOF, unwrapped, when r ends before the code byte. Every
// other error is a *RequestError: an unknown code (ErrUnknown), a length
// field over its cap (ErrTooLarge: MaxSaveNameLen, MaxSaveSize,
// MaxCustomSize; the payload is not read), a stream that ends inside the
// request (io.ErrUnexpectedEOF) or a read error leave the stream
// unframed; an out-of-range field (ErrRange) is reported after the whole
// request was read (Framed).
func ReadRequest(r io.Reader) (Request, error) {
	s := &stream{r: r}
	s.br, _ = r.(io.ByteReader)
	c, err := s.readByte()
	if err != nil {
		return nil, err
	}
	code := RequestCode(c)
	req, err := readBody(s, code)
	if err == nil {
		err = req.Validate()
	}
	if err != nil {
		return nil, &RequestError{Code: code, Framed: errors.Is(err, ErrRange), Err: err}
	}
	return req, nil
}

// readBody reads the fields of a request whose code byte was read. Range
// checks that need no later field are deferred to Validate, so that a
// request is read whole before it is judged.
func readBody(s *stream, code RequestCode) (Request, error) {
	switch {
	case code == CodeSendSave:
		name, err := s.readName("SEND_SAVE")
		if err != nil {
			return nil, err
		}
		size, err := s.readU32()
		if err != nil {
			return nil, err
		}
		data, err := s.readN(size, MaxSaveSize, "SEND_SAVE")
		if err != nil {
			return nil, err
		}
		return SendSave{Name: name, Data: data}, nil
	case code == CodeReceiveSave, code == CodeReceiveSaveWithSize:
		name, err := s.readName(code.String())
		if err != nil {
			return nil, err
		}
		if code == CodeReceiveSave {
			return ReceiveSave{Name: name}, nil
		}
		return ReceiveSaveWithSize{Name: name}, nil
	case code == CodeSendSettings:
		var b [SettingsSize]byte
		if err := s.readFull(b[:]); err != nil {
			return nil, err
		}
		var set Settings
		if err := set.UnmarshalBinary(b[:]); err != nil {
			return nil, err
		}
		return SendSettings{Settings: set}, nil
	case code == CodeReceiveSettings:
		return ReceiveSettings{}, nil
	case code == CodeRegisterPlayer:
		var b [7]byte
		if err := s.readFull(b[:]); err != nil {
			return nil, err
		}
		if b[2] > 1 {
			return nil, rangeError("REGISTER_PLAYER", "raw %d not 0 or 1", b[2])
		}
		return RegisterPlayer{Slot: b[0], Plugin: Plugin(b[1]), Raw: b[2] == 1,
			RegID: binary.BigEndian.Uint32(b[3:])}, nil
	case code == CodeGetRegistration:
		return GetRegistration{}, nil
	case code == CodeDisconnectNotice:
		id, err := s.readU32()
		if err != nil {
			return nil, err
		}
		return DisconnectNotice{RegID: id}, nil
	case code >= CodeSendCustom && code < CodeSendCustom+NumCustomSlots:
		size, err := s.readU32()
		if err != nil {
			return nil, err
		}
		data, err := s.readN(size, MaxCustomSize, code.String())
		if err != nil {
			return nil, err
		}
		return SendCustom{Slot: uint8(code - CodeSendCustom), Data: data}, nil
	case code >= CodeReceiveCustom && code < CodeReceiveCustom+NumCustomSlots:
		return ReceiveCustom{Slot: uint8(code - CodeReceiveCustom)}, nil
	}
	return nil, fmt.Errorf("%w: TCP request code %d", ErrUnknown, uint8(code))
}

// DecodeRequest decodes b as exactly one TCP request. Errors are as for
// ReadRequest, except that input ending early is ErrShort and bytes after
// the request are ErrLong.
func DecodeRequest(b []byte) (Request, error) {
	r := bytes.NewReader(b)
	req, err := ReadRequest(r)
	if err == io.EOF {
		return nil, fmt.Errorf("%w: empty TCP request", ErrShort)
	}
	var re *RequestError
	if errors.As(err, &re) && errors.Is(re.Err, io.ErrUnexpectedEOF) {
		re.Err = fmt.Errorf("%w: %d bytes end inside the request", ErrShort, len(b))
	}
	if err != nil {
		return nil, err
	}
	if r.Len() > 0 {
		return nil, &RequestError{Code: req.RequestCode(), Framed: true,
			Err: fmt.Errorf("%w: %d bytes after the request", ErrLong, r.Len())}
	}
	return req, nil
}

// ReadSaveReply reads the reply to RECEIVE_SAVE (2): exactly size bytes, no
// length prefix; the receiver must know the size (§2.3). size must be in
// 0…MaxSaveSize.
func ReadSaveReply(r io.Reader, size int) ([]byte, error) {
	return readSized(r, size, MaxSaveSize, "RECEIVE_SAVE reply")
}

// ReadCustomReply reads the reply to RECEIVE_CUSTOM (128+k): exactly size
// bytes, no length prefix (§2.4). size must be in 0…MaxCustomSize.
func ReadCustomReply(r io.Reader, size int) ([]byte, error) {
	return readSized(r, size, MaxCustomSize, "RECEIVE_CUSTOM reply")
}

func readSized(r io.Reader, size, limit int, what string) ([]byte, error) {
	if size < 0 {
		return nil, rangeError(what, "size %d < 0", size)
	}
	if size > limit {
		return nil, fmt.Errorf("%w: %s: size %d > %d", ErrTooLarge, what, size, limit)
	}
	s := &stream{r: r}
	return s.readN(uint32(size), limit, what)
}

// AppendSaveWithSizeReply appends the reply to RECEIVE_SAVE_WITH_SIZE (8):
// `u32 size` then the bytes (§2.3). data may be empty; it must not exceed
// MaxSaveSize.
func AppendSaveWithSizeReply(b, data []byte) ([]byte, error) {
	if len(data) > MaxSaveSize {
		return b, fmt.Errorf("%w: RECEIVE_SAVE_WITH_SIZE reply: %d bytes > %d", ErrTooLarge, len(data), MaxSaveSize)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	return append(b, data...), nil
}

// DecodeSaveWithSizeReply decodes a whole RECEIVE_SAVE_WITH_SIZE reply and
// returns a copy of its data.
func DecodeSaveWithSizeReply(b []byte) ([]byte, error) {
	const what = "RECEIVE_SAVE_WITH_SIZE reply"
	if len(b) < 4 {
		return nil, lengthError(what, len(b), 4)
	}
	size := binary.BigEndian.Uint32(b)
	if size > MaxSaveSize {
		return nil, fmt.Errorf("%w: %s: size %d > %d", ErrTooLarge, what, size, MaxSaveSize)
	}
	if want := 4 + int(size); len(b) != want {
		return nil, lengthError(what, len(b), want)
	}
	return bytes.Clone(b[4:]), nil
}

// ReadSaveWithSizeReply reads a RECEIVE_SAVE_WITH_SIZE reply from r. A
// size over MaxSaveSize is ErrTooLarge and its data is left unread.
func ReadSaveWithSizeReply(r io.Reader) ([]byte, error) {
	s := &stream{r: r}
	size, err := s.readU32()
	if err != nil {
		return nil, err
	}
	return s.readN(size, MaxSaveSize, "RECEIVE_SAVE_WITH_SIZE reply")
}
