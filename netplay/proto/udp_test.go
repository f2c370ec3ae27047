package proto

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"testing"
)

// §3: 0, u8 player, u32 count, u32 keys, u8 plugin; 11 bytes.
var keyInfoClient = hx("00 01 00000010 00000080 01")

// §3: 1, u8 player, u8 status, u8 lag, u8 n, n × {u32 count, u32 keys, u8 plugin}.
var keyInfoServer = hx("01 02 03 00 02 | 00000005 00000080 01 | 00000006 B0500000 01")

// §3: 2, u8 player, u32 reg_id, u32 count, u8 spectator, u8 buffered; 12 bytes.
var requestKeyInfo = hx("02 00 CAFEBAB9 00000010 00 03")

// §3: 4, u32 vi_count, 32 × u32 CP0 regs 0..31; 133 bytes.
func syncDataBytes() ([]byte, SyncData) {
	b := hx("04 00000258")
	var want SyncData
	want.VICount = 600
	for i := range want.CP0 {
		want.CP0[i] = uint32(i) * 0x01010101
		b = binary.BigEndian.AppendUint32(b, want.CP0[i])
	}
	return b, want
}

func maxKeyInfoServer() ([]byte, KeyInfoServer) {
	// §3: at most 55 events, 500 bytes; counts wrap at 2³² (§3.1).
	b := hx("03 03 1E 00 37")
	p := KeyInfoServer{Gratuitous: true, Player: 3, Status: 0x1E}
	for i := range MaxKeyEvents {
		c := uint32(0xFFFFFFE0 + i)
		b = binary.BigEndian.AppendUint32(b, c)
		b = binary.BigEndian.AppendUint32(b, uint32(i))
		b = append(b, 5)
		p.Events = append(p.Events, KeyEvent{Count: c, Keys: Keys(i), Plugin: PluginRaw})
	}
	return b, p
}

func TestUDPDecode(t *testing.T) {
	sync, syncWant := syncDataBytes()
	maxB, maxP := maxKeyInfoServer()
	if len(maxB) != MaxKeyInfoServerSize || MaxKeyInfoServerSize != 500 {
		t.Fatalf("max packet %d bytes", len(maxB))
	}
	tests := []struct {
		name string
		in   []byte
		want Packet
	}{
		{"KEY_INFO_CLIENT", keyInfoClient, KeyInfoClient{Player: 1, Count: 16, Keys: KeyA, Plugin: PluginNone}},
		// §3.2 status: bit 0 desync, bit 1 player 1 disconnected.
		{"KEY_INFO_SERVER", keyInfoServer, KeyInfoServer{Player: 2, Status: StatusDesync | StatusDisconnected(0), Events: []KeyEvent{
			{Count: 5, Keys: KeyA, Plugin: PluginNone}, {Count: 6, Keys: NewKeys(0, 80, -80), Plugin: PluginNone}}}},
		// §3: type 3 is the same as 1.
		{"KEY_INFO_SERVER_GRATUITOUS", hx("03 00 00 07 01 | 00000000 00000000 02"),
			KeyInfoServer{Gratuitous: true, Lag: 7, Events: []KeyEvent{{Plugin: PluginMempak}}}},
		{"KEY_INFO_SERVER 55 events", maxB, maxP},
		{"REQUEST_KEY_INFO", requestKeyInfo, RequestKeyInfo{RegID: 0xCAFEBAB9, Count: 16, Buffered: 3}},
		// §3.7: a spectator sends spectator = 1.
		{"REQUEST_KEY_INFO spectator", hx("02 03 00000001 FFFFFFFF 01 FF"),
			RequestKeyInfo{Player: 3, RegID: 1, Count: 0xFFFFFFFF, Spectator: true, Buffered: 255}},
		{"SYNC_DATA", sync, syncWant},
	}
	for _, tt := range tests {
		got, err := DecodePacket(tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: DecodePacket = %#v, %v; want %#v", tt.name, got, err, tt.want)
			continue
		}
		if got.PacketType() != PacketType(tt.in[0]) {
			t.Errorf("%s: PacketType %v", tt.name, got.PacketType())
		}
		if out := marshal(t, got); !bytes.Equal(out, tt.in) {
			t.Errorf("%s: MarshalBinary = %x, want %x", tt.name, out, tt.in)
		}
	}
	if p, _ := DecodeKeyInfoServer(keyInfoServer); !p.Status.Desync() || !p.Status.Disconnected(0) || p.Status.Disconnected(1) {
		t.Error("Status accessors")
	}
}

func TestUDPReject(t *testing.T) {
	sync, _ := syncDataBytes()
	maxB, _ := maxKeyInfoServer()
	tests := []struct {
		name  string
		in    []byte
		class error
	}{
		{"empty", nil, ErrShort},
		// §3: types 0–4 only; the stock client drops others.
		{"type 5", hx("05 00"), ErrUnknown},
		// §8: a 1-byte datagram makes the stock server parse stale bytes.
		{"type 0 one byte", hx("00"), ErrShort},
		{"type 0 short", keyInfoClient[:10], ErrShort},
		{"type 0 long", cat(keyInfoClient, hx("00")), ErrLong},
		// §6 Q5: player ≥ 4 crashes the stock server.
		{"type 0 player 4", hx("00 04 00000010 00000080 01"), ErrRange},
		{"type 0 plugin 7", hx("00 01 00000010 00000080 07"), ErrRange},
		{"type 2 short", requestKeyInfo[:11], ErrShort},
		{"type 2 long", cat(requestKeyInfo, hx("00")), ErrLong},
		{"type 2 player 4", hx("02 04 CAFEBAB9 00000010 00 03"), ErrRange},
		{"type 2 reg_id 0", hx("02 00 00000000 00000010 00 03"), ErrRange},
		{"type 2 spectator 2", hx("02 00 CAFEBAB9 00000010 02 03"), ErrRange},
		{"type 4 short", sync[:132], ErrShort},
		{"type 4 long", cat(sync, hx("00")), ErrLong},
		{"type 1 header short", hx("01 00 00 00"), ErrShort},
		// §6 Q9: n not checked against the datagram length by the stock client.
		{"type 1 n too big for length", keyInfoServer[:len(keyInfoServer)-1], ErrShort},
		{"type 1 long", cat(keyInfoServer, hx("00")), ErrLong},
		// §3: at most 55 events.
		{"type 1 n 56", cat(hx("01 00 00 00 38"), make([]byte, 9*56)), ErrRange},
		{"type 3 n 56", cat(maxB[:4], hx("38"), maxB[5:], make([]byte, 9)), ErrRange},
		// §3.2: the server sends nothing when no event was appended.
		{"type 1 n 0", hx("01 00 00 00 00"), ErrRange},
		{"type 1 player 4", hx("01 04 00 00 01 | 00000000 00000000 01"), ErrRange},
		// §3.2: status bits 5–7 = 0.
		{"type 1 status bit 5", hx("01 00 20 00 01 | 00000000 00000000 01"), ErrRange},
		{"type 1 plugin 7", hx("01 00 00 00 01 | 00000000 00000000 07"), ErrRange},
		// §3.2 step 4: events are appended with c++.
		{"type 1 gap", hx("01 00 00 00 02 | 00000005 00000000 01 | 00000007 00000000 01"), ErrRange},
		{"type 1 repeat", hx("01 00 00 00 02 | 00000005 00000000 01 | 00000005 00000000 01"), ErrRange},
	}
	for _, tt := range tests {
		_, err := DecodePacket(tt.in)
		expectErr(t, tt.name, err, tt.class)
	}
	// A typed decoder refuses another type's datagram.
	_, err := DecodeKeyInfoClient(requestKeyInfo)
	expectErr(t, "type mismatch", err, ErrRange)
	_, err = DecodeSyncData(nil)
	expectErr(t, "sync empty", err, ErrShort)
}

func TestKeyInfoServerReuse(t *testing.T) {
	var p KeyInfoServer
	if err := p.UnmarshalBinary(keyInfoServer); err != nil {
		t.Fatal(err)
	}
	events := p.Events
	// A rejected datagram leaves p and its events alone.
	bad := hx("01 00 00 00 02 | 00000009 00000000 01 | 00000007 00000000 01")
	if err := p.UnmarshalBinary(bad); err == nil {
		t.Fatal("accepted a gap")
	}
	if p.Player != 2 || p.Events[0].Count != 5 || p.Events[1].Count != 6 {
		t.Fatalf("changed on error: %+v", p)
	}
	if err := p.UnmarshalBinary(hx("01 01 00 00 01 | 00000009 00000000 01")); err != nil {
		t.Fatal(err)
	}
	if &p.Events[0] != &events[0] || len(p.Events) != 1 || p.Events[0].Count != 9 {
		t.Fatal("Events not reused")
	}
}

func TestUDPEncodeReject(t *testing.T) {
	tests := []struct {
		name string
		p    Packet
	}{
		{"client player 4", KeyInfoClient{Player: 4}},
		{"client plugin 7", KeyInfoClient{Plugin: 7}},
		{"server no events", KeyInfoServer{}},
		{"server 56 events", KeyInfoServer{Events: make([]KeyEvent, 56)}},
		{"server status", KeyInfoServer{Status: 0x80, Events: make([]KeyEvent, 1)}},
		{"server gap", KeyInfoServer{Events: []KeyEvent{{Count: 1}, {Count: 3}}}},
		{"request reg 0", RequestKeyInfo{}},
		{"request player 4", RequestKeyInfo{Player: 4, RegID: 1}},
	}
	for _, tt := range tests {
		_, err := tt.p.MarshalBinary()
		expectErr(t, tt.name, err, ErrRange)
	}
}

func TestUDPConstants(t *testing.T) {
	// §3 table.
	if PacketKeyInfoClient != 0 || PacketKeyInfoServer != 1 || PacketRequestKeyInfo != 2 ||
		PacketKeyInfoServerGratuitous != 3 || PacketSyncData != 4 {
		t.Fatal("packet types")
	}
	if KeyInfoClientSize != 11 || RequestKeyInfoSize != 12 || SyncDataSize != 133 || ClientReceiveBufferSize != 512 {
		t.Fatal("sizes")
	}
	if StatusDisconnected(3) != 0x10 || PacketSyncData.String() != "SYNC_DATA" || PacketType(9).String() != "packet(9)" {
		t.Fatal("status/strings")
	}
}

func udpSeeds() [][]byte {
	sync, _ := syncDataBytes()
	maxB, _ := maxKeyInfoServer()
	return [][]byte{keyInfoClient, keyInfoServer, requestKeyInfo, sync, maxB, nil, hx("00"), hx("05"),
		hx("01 00 00 00 00"), hx("03 00 00 07 01 | 00000000 00000000 02")}
}

func FuzzDecodePacket(f *testing.F) {
	fuzzBinary(f, udpSeeds(), DecodePacket, Packet.MarshalBinary)
}

func FuzzDecodeKeyInfoClient(f *testing.F) {
	fuzzBinary(f, udpSeeds(), DecodeKeyInfoClient, KeyInfoClient.MarshalBinary)
}

func FuzzDecodeKeyInfoServer(f *testing.F) {
	fuzzBinary(f, udpSeeds(), DecodeKeyInfoServer, KeyInfoServer.MarshalBinary)
}

func FuzzDecodeRequestKeyInfo(f *testing.F) {
	fuzzBinary(f, udpSeeds(), DecodeRequestKeyInfo, RequestKeyInfo.MarshalBinary)
}

func FuzzDecodeSyncData(f *testing.F) {
	fuzzBinary(f, udpSeeds(), DecodeSyncData, SyncData.MarshalBinary)
}
