package proto

import (
	"encoding/binary"
	"fmt"
)

// PacketType is the first byte of a UDP datagram (§3).
type PacketType uint8

// UDP packet types (§3 table).
const (
	PacketKeyInfoClient           PacketType = 0 // c→s, 11 bytes
	PacketKeyInfoServer           PacketType = 1 // s→c, 5+9n bytes
	PacketRequestKeyInfo          PacketType = 2 // c→s, 12 bytes
	PacketKeyInfoServerGratuitous PacketType = 3 // s→c, like 1 (API 13, 2023-06)
	PacketSyncData                PacketType = 4 // c→s, 133 bytes
)

var packetNames = [...]string{"KEY_INFO_CLIENT", "KEY_INFO_SERVER", "REQUEST_KEY_INFO",
	"KEY_INFO_SERVER_GRATUITOUS", "SYNC_DATA"}

func (t PacketType) String() string {
	if int(t) < len(packetNames) {
		return packetNames[t]
	}
	return fmt.Sprintf("packet(%d)", uint8(t))
}

// UDP sizes (§3).
const (
	KeyInfoClientSize       = 11
	RequestKeyInfoSize      = 12
	SyncDataSize            = 133
	KeyInfoServerHeaderSize = 5
	KeyEventSize            = 9
	// MaxKeyEvents is the most events in one type 1 or 3 packet: the stock
	// server stops while fewer than 10 bytes remain of its 508-byte buffer.
	MaxKeyEvents = 55
	// MaxKeyInfoServerSize is 5 + 9 × MaxKeyEvents.
	MaxKeyInfoServerSize = KeyInfoServerHeaderSize + KeyEventSize*MaxKeyEvents
	// ClientReceiveBufferSize is the stock client's receive buffer; longer
	// datagrams are cut.
	ClientReceiveBufferSize = 512
	// CP0RegCount is the number of CP0 words in SYNC_DATA.
	CP0RegCount = 32
)

// Status is the status byte of types 1 and 3 (§3.2): bit 0 = desync
// (sticky), bit k (1–4) = player k (slot k−1) disconnected, bits 5–7 = 0.
type Status uint8

// StatusDesync is the desync bit.
const StatusDesync Status = 1

// StatusMask selects the bits that may be set.
const StatusMask Status = 0x1F

// StatusDisconnected is the bit for slot (0–3) disconnected, 1 << (slot+1).
func StatusDisconnected(slot int) Status { return Status(1 << (slot + 1)) }

// Desync reports bit 0.
func (s Status) Desync() bool { return s&StatusDesync != 0 }

// Disconnected reports whether slot (0–3) is marked disconnected.
func (s Status) Disconnected(slot int) bool {
	return slot >= 0 && slot < MaxPlayers && s&StatusDisconnected(slot) != 0
}

// Valid reports bits 5–7 clear.
func (s Status) Valid() bool { return s&^StatusMask == 0 }

// Packet is one UDP datagram (§3). The concrete types are the values
// KeyInfoClient, KeyInfoServer (types 1 and 3), RequestKeyInfo and SyncData.
type Packet interface {
	PacketType() PacketType
	Validate() error
	AppendBinary(b []byte) ([]byte, error)
	MarshalBinary() ([]byte, error)
}

// KeyInfoClient is type 0, a client's own input: `0, u8 player, u32 count,
// u32 keys, u8 plugin` (§3, §3.4).
type KeyInfoClient struct {
	Player uint8  // the slot the input is for, 0–3
	Count  uint32 // the client's count_i for that port
	Keys   Keys
	Plugin Plugin // 0–6; the stock client sends the registered plugin
}

// KeyEvent is one decided input event of types 1 and 3: `u32 count,
// u32 keys, u8 plugin`.
type KeyEvent struct {
	Count  uint32
	Keys   Keys
	Plugin Plugin
}

// KeyInfoServer is type 1 (the reply to a type 2) or, with Gratuitous set,
// type 3 (pushed after a type 0): `1|3, u8 player, u8 status, u8 lag, u8 n`,
// then n events (§3, §3.2).
type KeyInfoServer struct {
	Gratuitous bool   // type 3; the client ignores Lag then
	Player     uint8  // the slot the events are for, 0–3
	Status     Status // bits 5–7 clear
	Lag        uint8  // lead − count truncated to u8; 0 = the requester leads
	// Events holds 1…MaxKeyEvents events with consecutive counts (wrapping
	// at 2³²): stock servers append count, count+1, … and send nothing when
	// they have no event.
	Events []KeyEvent
}

// RequestKeyInfo is type 2, a client's request for a player's events:
// `2, u8 player, u32 reg_id, u32 count, u8 spectator, u8 buffered` (§3.2).
type RequestKeyInfo struct {
	Player    uint8  // the slot asked about, 0–3
	RegID     uint32 // the requester's reg_id, non-zero
	Count     uint32 // the first event wanted (count_i)
	Spectator bool   // wire 0 or 1
	Buffered  uint8  // events queued for Player at the client (u8, wraps, §6 Q11)
}

// SyncData is type 4: `4, u32 vi_count, 32 × u32` CP0 registers 0…31 as the
// core stores them (§3.6).
type SyncData struct {
	VICount uint32
	CP0     [CP0RegCount]uint32
}

func (KeyInfoClient) PacketType() PacketType  { return PacketKeyInfoClient }
func (RequestKeyInfo) PacketType() PacketType { return PacketRequestKeyInfo }
func (SyncData) PacketType() PacketType       { return PacketSyncData }

// PacketType is PacketKeyInfoServerGratuitous when p.Gratuitous, else
// PacketKeyInfoServer.
func (p KeyInfoServer) PacketType() PacketType {
	if p.Gratuitous {
		return PacketKeyInfoServerGratuitous
	}
	return PacketKeyInfoServer
}

func validPlayer(what string, player uint8) error {
	if player >= MaxPlayers {
		return rangeError(what, "player %d ≥ %d", player, MaxPlayers)
	}
	return nil
}

func (p KeyInfoClient) Validate() error {
	if err := validPlayer("KEY_INFO_CLIENT", p.Player); err != nil {
		return err
	}
	if !p.Plugin.Valid() {
		return rangeError("KEY_INFO_CLIENT", "plugin %d > %d", p.Plugin, PluginBioPak)
	}
	return nil
}

func (p KeyInfoServer) Validate() error {
	what := p.PacketType().String()
	if err := validPlayer(what, p.Player); err != nil {
		return err
	}
	if !p.Status.Valid() {
		return rangeError(what, "status %#02x has bits 5–7 set", uint8(p.Status))
	}
	if len(p.Events) == 0 || len(p.Events) > MaxKeyEvents {
		return rangeError(what, "%d events not in 1…%d", len(p.Events), MaxKeyEvents)
	}
	first := p.Events[0].Count
	for i, e := range p.Events {
		if e.Count != first+uint32(i) {
			return rangeError(what, "event %d has count %d, want %d (consecutive)", i, e.Count, first+uint32(i))
		}
		if !e.Plugin.Valid() {
			return rangeError(what, "event %d: plugin %d > %d", i, e.Plugin, PluginBioPak)
		}
	}
	return nil
}

func (p RequestKeyInfo) Validate() error {
	if err := validPlayer("REQUEST_KEY_INFO", p.Player); err != nil {
		return err
	}
	if p.RegID == 0 {
		return rangeError("REQUEST_KEY_INFO", "reg_id 0")
	}
	return nil
}

// Validate always succeeds: every vi_count and register value is legal.
func (SyncData) Validate() error { return nil }

func (p KeyInfoClient) AppendBinary(b []byte) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return b, err
	}
	b = append(b, byte(PacketKeyInfoClient), p.Player)
	b = binary.BigEndian.AppendUint32(b, p.Count)
	b = binary.BigEndian.AppendUint32(b, uint32(p.Keys))
	return append(b, byte(p.Plugin)), nil
}

func (p KeyInfoServer) AppendBinary(b []byte) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return b, err
	}
	b = append(b, byte(p.PacketType()), p.Player, byte(p.Status), p.Lag, byte(len(p.Events)))
	for _, e := range p.Events {
		b = binary.BigEndian.AppendUint32(b, e.Count)
		b = binary.BigEndian.AppendUint32(b, uint32(e.Keys))
		b = append(b, byte(e.Plugin))
	}
	return b, nil
}

func (p RequestKeyInfo) AppendBinary(b []byte) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return b, err
	}
	b = append(b, byte(PacketRequestKeyInfo), p.Player)
	b = binary.BigEndian.AppendUint32(b, p.RegID)
	b = binary.BigEndian.AppendUint32(b, p.Count)
	return append(b, boolByte(p.Spectator), p.Buffered), nil
}

func (p SyncData) AppendBinary(b []byte) ([]byte, error) {
	b = binary.BigEndian.AppendUint32(append(b, byte(PacketSyncData)), p.VICount)
	for _, r := range p.CP0 {
		b = binary.BigEndian.AppendUint32(b, r)
	}
	return b, nil
}

func (p KeyInfoClient) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(make([]byte, 0, KeyInfoClientSize))
}
func (p KeyInfoServer) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(make([]byte, 0, KeyInfoServerHeaderSize+KeyEventSize*len(p.Events)))
}
func (p RequestKeyInfo) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(make([]byte, 0, RequestKeyInfoSize))
}
func (p SyncData) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(make([]byte, 0, SyncDataSize))
}

func checkType(what string, b []byte, want ...PacketType) error {
	if len(b) == 0 {
		return fmt.Errorf("%w: %s: empty datagram", ErrShort, what)
	}
	for _, t := range want {
		if PacketType(b[0]) == t {
			return nil
		}
	}
	return rangeError(what, "type byte %d", b[0])
}

// UnmarshalBinary decodes exactly 11 bytes of type 0. On error p is
// unchanged.
func (p *KeyInfoClient) UnmarshalBinary(b []byte) error {
	const what = "KEY_INFO_CLIENT"
	if err := checkType(what, b, PacketKeyInfoClient); err != nil {
		return err
	}
	if len(b) != KeyInfoClientSize {
		return lengthError(what, len(b), KeyInfoClientSize)
	}
	v := KeyInfoClient{Player: b[1], Count: binary.BigEndian.Uint32(b[2:]),
		Keys: Keys(binary.BigEndian.Uint32(b[6:])), Plugin: Plugin(b[10])}
	if err := v.Validate(); err != nil {
		return err
	}
	*p = v
	return nil
}

// UnmarshalBinary decodes a whole type 1 or 3 datagram. It reuses the
// capacity of p.Events. On error p is unchanged.
func (p *KeyInfoServer) UnmarshalBinary(b []byte) error {
	const what = "KEY_INFO_SERVER"
	if err := checkType(what, b, PacketKeyInfoServer, PacketKeyInfoServerGratuitous); err != nil {
		return err
	}
	if len(b) < KeyInfoServerHeaderSize {
		return lengthError(what, len(b), KeyInfoServerHeaderSize)
	}
	n := int(b[4])
	if n == 0 || n > MaxKeyEvents {
		return rangeError(what, "%d events not in 1…%d", n, MaxKeyEvents)
	}
	if want := KeyInfoServerHeaderSize + KeyEventSize*n; len(b) != want {
		return lengthError(what, len(b), want)
	}
	v := KeyInfoServer{Gratuitous: b[0] == byte(PacketKeyInfoServerGratuitous),
		Player: b[1], Status: Status(b[2]), Lag: b[3]}
	if err := validPlayer(what, v.Player); err != nil {
		return err
	}
	if !v.Status.Valid() {
		return rangeError(what, "status %#02x has bits 5–7 set", b[2])
	}
	// Check every event before writing any, so that a rejected datagram
	// leaves the events p already holds intact.
	first := binary.BigEndian.Uint32(b[KeyInfoServerHeaderSize:])
	for i := range n {
		e := b[KeyInfoServerHeaderSize+KeyEventSize*i:]
		if c := binary.BigEndian.Uint32(e); c != first+uint32(i) {
			return rangeError(what, "event %d has count %d, want %d (consecutive)", i, c, first+uint32(i))
		}
		if !Plugin(e[8]).Valid() {
			return rangeError(what, "event %d: plugin %d > %d", i, e[8], PluginBioPak)
		}
	}
	v.Events = p.Events[:0]
	for i := range n {
		e := b[KeyInfoServerHeaderSize+KeyEventSize*i:]
		v.Events = append(v.Events, KeyEvent{Count: binary.BigEndian.Uint32(e),
			Keys: Keys(binary.BigEndian.Uint32(e[4:])), Plugin: Plugin(e[8])})
	}
	*p = v
	return nil
}

// UnmarshalBinary decodes exactly 12 bytes of type 2. On error p is
// unchanged.
func (p *RequestKeyInfo) UnmarshalBinary(b []byte) error {
	const what = "REQUEST_KEY_INFO"
	if err := checkType(what, b, PacketRequestKeyInfo); err != nil {
		return err
	}
	if len(b) != RequestKeyInfoSize {
		return lengthError(what, len(b), RequestKeyInfoSize)
	}
	if b[10] > 1 {
		return rangeError(what, "spectator %d not 0 or 1", b[10])
	}
	v := RequestKeyInfo{Player: b[1], RegID: binary.BigEndian.Uint32(b[2:]),
		Count: binary.BigEndian.Uint32(b[6:]), Spectator: b[10] == 1, Buffered: b[11]}
	if err := v.Validate(); err != nil {
		return err
	}
	*p = v
	return nil
}

// UnmarshalBinary decodes exactly 133 bytes of type 4.
func (p *SyncData) UnmarshalBinary(b []byte) error {
	const what = "SYNC_DATA"
	if err := checkType(what, b, PacketSyncData); err != nil {
		return err
	}
	if len(b) != SyncDataSize {
		return lengthError(what, len(b), SyncDataSize)
	}
	p.VICount = binary.BigEndian.Uint32(b[1:])
	for i := range p.CP0 {
		p.CP0[i] = binary.BigEndian.Uint32(b[5+4*i:])
	}
	return nil
}

// DecodeKeyInfoClient decodes a type 0 datagram.
func DecodeKeyInfoClient(b []byte) (KeyInfoClient, error) {
	var p KeyInfoClient
	err := p.UnmarshalBinary(b)
	return p, err
}

// DecodeKeyInfoServer decodes a type 1 or 3 datagram.
func DecodeKeyInfoServer(b []byte) (KeyInfoServer, error) {
	var p KeyInfoServer
	err := p.UnmarshalBinary(b)
	return p, err
}

// DecodeRequestKeyInfo decodes a type 2 datagram.
func DecodeRequestKeyInfo(b []byte) (RequestKeyInfo, error) {
	var p RequestKeyInfo
	err := p.UnmarshalBinary(b)
	return p, err
}

// DecodeSyncData decodes a type 4 datagram.
func DecodeSyncData(b []byte) (SyncData, error) {
	var p SyncData
	err := p.UnmarshalBinary(b)
	return p, err
}

// DecodePacket decodes any UDP datagram by its type byte. An unknown type
// is ErrUnknown (the stock client logs and drops it). Servers on a hot path
// can switch on b[0] and call the typed decoders instead, which do not
// allocate for types 0, 2 and 4.
func DecodePacket(b []byte) (Packet, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty datagram", ErrShort)
	}
	var p Packet
	var err error
	switch PacketType(b[0]) {
	case PacketKeyInfoClient:
		p, err = DecodeKeyInfoClient(b)
	case PacketKeyInfoServer, PacketKeyInfoServerGratuitous:
		p, err = DecodeKeyInfoServer(b)
	case PacketRequestKeyInfo:
		p, err = DecodeRequestKeyInfo(b)
	case PacketSyncData:
		p, err = DecodeSyncData(b)
	default:
		return nil, fmt.Errorf("%w: UDP packet type %d", ErrUnknown, b[0])
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}
