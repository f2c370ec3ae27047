package proto

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// tcpRequests are requests written out by hand from §2's table.
var tcpRequests = []struct {
	name string
	in   []byte
	want Request
}{
	// §2.3: [1] ext NUL u32 size data.
	{"SEND_SAVE eep", hx("01 656570 00 00000004 DEADBEEF"), SendSave{Name: "eep", Data: hx("DEADBEEF")}},
	// §2.3: code 8 allows empty files; code 1 with size 0 stores an empty save.
	{"SEND_SAVE empty", hx("01 737261 00 00000000"), SendSave{Name: "sra", Data: []byte{}}},
	// §2.3: [2] ext NUL.
	{"RECEIVE_SAVE mpk", hx("02 6D706B 00"), ReceiveSave{Name: "mpk"}},
	// §2.3: before 2022-12 the name was the file's base name.
	{"RECEIVE_SAVE base name", cat([]byte{2}, []byte("SUPER MARIO 64.eep"), []byte{0}), ReceiveSave{Name: "SUPER MARIO 64.eep"}},
	// §2.2: [3] + 24-byte block; 25 bytes from the stock client.
	{"SEND_SETTINGS", cat(hx("03"), settingsDefault), SendSettings{Settings{CountPerOp: 2, SIDMADuration: 0x900, EmuMode: 2}}},
	// §2: code 4 is 1 byte.
	{"RECEIVE_SETTINGS", hx("04"), ReceiveSettings{}},
	// §2.1: [5] u8 slot, u8 plugin, u8 raw, u32 reg_id; 8 bytes.
	{"REGISTER_PLAYER", hx("05 00 02 00 12345671"), RegisterPlayer{Slot: 0, Plugin: PluginMempak, RegID: 0x12345671}},
	{"REGISTER_PLAYER raw slot 3", hx("05 03 05 01 FFFFFFFC"), RegisterPlayer{Slot: 3, Plugin: PluginRaw, Raw: true, RegID: 0xFFFFFFFC}},
	// §2: code 6 is 1 byte.
	{"GET_REGISTRATION", hx("06"), GetRegistration{}},
	// §2.4: [7][u32 reg_id]; 5 bytes.
	{"DISCONNECT_NOTICE", hx("07 12345671"), DisconnectNotice{RegID: 0x12345671}},
	// §2: code 8 (2025-01): name, NUL.
	{"RECEIVE_SAVE_WITH_SIZE", hx("08 666C61 00"), ReceiveSaveWithSize{Name: "fla"}},
	// §2.4: gopher64 used 64/128 for the RTC: u32 8 + i64 Unix seconds.
	{"SEND_CUSTOM 0 rtc", hx("40 00000008 0000000065F0A1B2"), SendCustom{Slot: 0, Data: hx("0000000065F0A1B2")}},
	// §2.4: 65/129 for a u64 RNG seed; 64+63 = 127 is the last send slot.
	{"SEND_CUSTOM 63", hx("7F 00000001 2A"), SendCustom{Slot: 63, Data: hx("2A")}},
	{"RECEIVE_CUSTOM 1", hx("81"), ReceiveCustom{Slot: 1}},
	// §2: 128+k, k 0..63: 191 is the last receive slot.
	{"RECEIVE_CUSTOM 63", hx("BF"), ReceiveCustom{Slot: 63}},
}

func TestDecodeRequest(t *testing.T) {
	for _, tt := range tcpRequests {
		got, err := DecodeRequest(tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: DecodeRequest(%x) = %#v, %v; want %#v", tt.name, tt.in, got, err, tt.want)
			continue
		}
		if got.RequestCode() != RequestCode(tt.in[0]) {
			t.Errorf("%s: RequestCode %v, want %d", tt.name, got.RequestCode(), tt.in[0])
		}
		if out := marshal(t, got); !bytes.Equal(out, tt.in) {
			t.Errorf("%s: MarshalBinary = %x, want %x", tt.name, out, tt.in)
		}
		pre := []byte("prefix")
		out, err := got.AppendBinary(pre)
		if err != nil || !bytes.Equal(out, cat(pre, tt.in)) {
			t.Errorf("%s: AppendBinary = %x, %v", tt.name, out, err)
		}
	}
}

func TestReadRequestStream(t *testing.T) {
	var all []byte
	for _, tt := range tcpRequests {
		all = append(all, tt.in...)
	}
	readers := map[string]func() io.Reader{
		"bufio":       func() io.Reader { return bufio.NewReader(bytes.NewReader(all)) },
		"one byte":    func() io.Reader { return iotest.OneByteReader(bytes.NewReader(all)) },
		"half reader": func() io.Reader { return iotest.HalfReader(bytes.NewReader(all)) },
	}
	for rname, mk := range readers {
		r := mk()
		for _, tt := range tcpRequests {
			got, err := ReadRequest(r)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("%s: %s: ReadRequest = %#v, %v", rname, tt.name, got, err)
			}
		}
		if _, err := ReadRequest(r); err != io.EOF {
			t.Fatalf("%s: at the end: %v, want io.EOF", rname, err)
		}
	}
}

func TestReadRequestLarge(t *testing.T) {
	// §2.3: mpk and fla are 131072 bytes, over readN's 64 KiB chunk.
	data := bytes.Repeat([]byte{0xA5, 0x5A, 0x00}, SaveSizeFlash/3+1)[:SaveSizeFlash]
	req := SendSave{Name: SaveFlash, Data: data}
	b := marshal(t, req)
	if len(b) != 1+4+4+SaveSizeFlash {
		t.Fatalf("len %d", len(b))
	}
	got, err := ReadRequest(iotest.HalfReader(bytes.NewReader(append(b, 6))))
	if err != nil || !reflect.DeepEqual(got, req) {
		t.Fatalf("ReadRequest: %v", err)
	}
	// A payload cut short is io.ErrUnexpectedEOF from a stream, ErrShort from bytes.
	_, err = ReadRequest(bytes.NewReader(b[:len(b)-1]))
	expectErr(t, "cut stream", err, io.ErrUnexpectedEOF)
	_, err = DecodeRequest(b[:len(b)-1])
	expectErr(t, "cut bytes", err, ErrShort)
}

func TestRequestReject(t *testing.T) {
	long := strings.Repeat("x", MaxSaveNameLen)
	tests := []struct {
		name   string
		in     []byte
		class  error
		framed bool
	}{
		{"empty", nil, ErrShort, false},
		// §2: no other TCP codes exist; §6 Q6 / §8: 0, 9, 10, 63, 192–254 jam the stock server, 0xFF is its "none".
		{"code 0", hx("00"), ErrUnknown, false},
		{"code 9", hx("09 00"), ErrUnknown, false},
		{"code 63", hx("3F"), ErrUnknown, false},
		{"code 192", hx("C0"), ErrUnknown, false},
		{"code 255", hx("FF"), ErrUnknown, false},
		// §2.1: 8 bytes from the stock client.
		{"register short", hx("05 00 02 00 123456"), ErrShort, false},
		{"register long", hx("05 00 02 00 12345671 00"), ErrLong, true},
		// §6 Q5: a slot ≥ 4 crashes the stock server.
		{"register slot 4", hx("05 04 01 00 12345671"), ErrRange, true},
		{"register slot 255", hx("05 FF 01 00 12345671"), ErrRange, true},
		{"register plugin 7", hx("05 00 07 00 12345671"), ErrRange, true},
		{"register raw 2", hx("05 00 01 02 12345671"), ErrRange, true},
		// §2.1: reg_id must be non-zero, since 0 marks an empty slot.
		{"register reg_id 0", hx("05 00 01 00 00000000"), ErrRange, true},
		{"disconnect reg_id 0", hx("07 00000000"), ErrRange, true},
		{"disconnect short", hx("07 123456"), ErrShort, false},
		// §2.2: 25 bytes from the stock client.
		{"settings short", cat(hx("03"), settingsDefault[:20]), ErrShort, false},
		{"settings denom_pot 21", hx("03 00000002 00000015 00000000 00000900 00000002 00000000"), ErrRange, true},
		{"save name no NUL", hx("02 6D706B"), ErrShort, false},
		{"save name empty", hx("02 00"), ErrRange, true},
		{"send save empty name", hx("01 00 00000001 AA"), ErrRange, true},
		{"save name at cap", cat([]byte{2}, []byte(long), []byte{0}), nil, false},
		// §6 Q7 / §8: names without NUL are buffered without limit by the stock server.
		{"save name over cap", cat([]byte{2}, []byte(long+"x"), []byte{0}), ErrTooLarge, false},
		// §6 Q7: declared sizes up to 4 GiB are buffered by the stock server.
		{"save size 4 GiB", hx("01 656570 00 FFFFFFFF"), ErrTooLarge, false},
		{"save size cap+1", cat(hx("01 656570 00"), binary.BigEndian.AppendUint32(nil, MaxSaveSize+1)), ErrTooLarge, false},
		{"save data short", hx("01 656570 00 00000004 DEADBE"), ErrShort, false},
		{"save size short", hx("01 656570 00 0000"), ErrShort, false},
		{"custom size cap+1", cat(hx("40"), binary.BigEndian.AppendUint32(nil, MaxCustomSize+1)), ErrTooLarge, false},
		{"custom data short", hx("40 00000008 00"), ErrShort, false},
		{"trailing", hx("04 04"), ErrLong, true},
	}
	for _, tt := range tests {
		_, err := DecodeRequest(tt.in)
		if tt.class == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		expectErr(t, tt.name, err, tt.class)
		var re *RequestError
		if len(tt.in) > 0 {
			if !errors.As(err, &re) {
				t.Errorf("%s: %T is not a *RequestError", tt.name, err)
				continue
			}
			if re.Code != RequestCode(tt.in[0]) || re.Framed != tt.framed {
				t.Errorf("%s: code %v framed %v, want %d %v", tt.name, re.Code, re.Framed, tt.in[0], tt.framed)
			}
		}
	}
}

func TestReadRequestFramedContinues(t *testing.T) {
	// A REGISTER_PLAYER for slot 4 is reported after it was read whole, so
	// the next request (§2.1's refusal case, then GET_REGISTRATION) follows.
	r := bufio.NewReader(bytes.NewReader(hx("05 04 01 00 12345671 | 06")))
	_, err := ReadRequest(r)
	var re *RequestError
	if !errors.As(err, &re) || !re.Framed || re.Code != CodeRegisterPlayer || !errors.Is(err, ErrRange) {
		t.Fatalf("first: %v", err)
	}
	if q, err := ReadRequest(r); err != nil || q != (GetRegistration{}) {
		t.Fatalf("second: %#v, %v", q, err)
	}
	// An oversized declared size is reported before its payload is read.
	r = bufio.NewReader(bytes.NewReader(hx("01 656570 00 FFFFFFFF AA")))
	if _, err := ReadRequest(r); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("oversize: %v", err)
	}
	if c, _ := r.ReadByte(); c != 0xAA {
		t.Fatalf("payload consumed: next byte %#x", c)
	}
}

func TestRequestEncodeReject(t *testing.T) {
	tests := []struct {
		name  string
		req   Request
		class error
	}{
		{"register slot 4", RegisterPlayer{Slot: 4, Plugin: 1, RegID: 1}, ErrRange},
		{"register reg 0", RegisterPlayer{Plugin: 1}, ErrRange},
		{"register plugin 7", RegisterPlayer{Plugin: 7, RegID: 1}, ErrRange},
		{"save empty name", SendSave{}, ErrRange},
		{"save NUL in name", ReceiveSave{Name: "e\x00p"}, ErrRange},
		{"save long name", ReceiveSaveWithSize{Name: strings.Repeat("n", MaxSaveNameLen+1)}, ErrTooLarge},
		{"save too big", SendSave{Name: "eep", Data: make([]byte, MaxSaveSize+1)}, ErrTooLarge},
		{"custom slot 64", SendCustom{Slot: 64}, ErrRange},
		{"custom too big", SendCustom{Data: make([]byte, MaxCustomSize+1)}, ErrTooLarge},
		{"receive custom slot 64", ReceiveCustom{Slot: 64}, ErrRange},
		{"settings", SendSettings{}, ErrRange},
		{"disconnect 0", DisconnectNotice{}, ErrRange},
	}
	for _, tt := range tests {
		_, err := tt.req.MarshalBinary()
		expectErr(t, tt.name, err, tt.class)
	}
}

func TestRequestCodes(t *testing.T) {
	// §2 table.
	if CodeSendSave != 1 || CodeReceiveSave != 2 || CodeSendSettings != 3 || CodeReceiveSettings != 4 ||
		CodeRegisterPlayer != 5 || CodeGetRegistration != 6 || CodeDisconnectNotice != 7 ||
		CodeReceiveSaveWithSize != 8 || CodeSendCustom != 64 || CodeReceiveCustom != 128 {
		t.Fatal("codes")
	}
	for c := 0; c < 256; c++ {
		want := c >= 1 && c <= 8 || c >= 64 && c <= 191
		if RequestCode(c).Known() != want {
			t.Errorf("Known(%d) = %v", c, !want)
		}
	}
	if CodeRegisterPlayer.String() != "REGISTER_PLAYER" || RequestCode(65).String() != "SEND_CUSTOM(1)" ||
		RequestCode(191).String() != "RECEIVE_CUSTOM(63)" || RequestCode(9).String() != "code(9)" {
		t.Fatal("String")
	}
	// §2.3: order and sizes.
	want := [4]SaveFile{{"mpk", 131072}, {"eep", 2048}, {"fla", 131072}, {"sra", 32768}}
	if BootSaves != want {
		t.Fatal("BootSaves")
	}
}

func TestSaveReplies(t *testing.T) {
	// §2.3: code 2's reply is the stored bytes with no length prefix.
	data := hx("0102030405")
	got, err := ReadSaveReply(bytes.NewReader(cat(data, hx("FF"))), 5)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("ReadSaveReply = %x, %v", got, err)
	}
	_, err = ReadSaveReply(bytes.NewReader(data), 6)
	expectErr(t, "save reply short", err, io.ErrUnexpectedEOF)
	_, err = ReadSaveReply(bytes.NewReader(data), MaxSaveSize+1)
	expectErr(t, "save reply cap", err, ErrTooLarge)
	_, err = ReadSaveReply(bytes.NewReader(data), -1)
	expectErr(t, "save reply negative", err, ErrRange)
	// §2.4: code 128+k's reply likewise; the receiver knows the size.
	got, err = ReadCustomReply(bytes.NewReader(hx("0000000065F0A1B2")), 8)
	if err != nil || !bytes.Equal(got, hx("0000000065F0A1B2")) {
		t.Fatalf("ReadCustomReply = %x, %v", got, err)
	}
	_, err = ReadCustomReply(bytes.NewReader(nil), MaxCustomSize+1)
	expectErr(t, "custom reply cap", err, ErrTooLarge)

	// §2: code 8's reply is u32 size, then bytes; empty files allowed (§2.3).
	tests := []struct {
		name string
		in   []byte
		want []byte
	}{
		{"eep 4", hx("00000004 DEADBEEF"), hx("DEADBEEF")},
		{"empty", hx("00000000"), []byte{}},
	}
	for _, tt := range tests {
		got, err := DecodeSaveWithSizeReply(tt.in)
		if err != nil || !bytes.Equal(got, tt.want) {
			t.Errorf("%s: DecodeSaveWithSizeReply = %x, %v", tt.name, got, err)
		}
		got, err = ReadSaveWithSizeReply(iotest.OneByteReader(bytes.NewReader(tt.in)))
		if err != nil || !bytes.Equal(got, tt.want) {
			t.Errorf("%s: ReadSaveWithSizeReply = %x, %v", tt.name, got, err)
		}
		out, err := AppendSaveWithSizeReply(nil, tt.want)
		if err != nil || !bytes.Equal(out, tt.in) {
			t.Errorf("%s: AppendSaveWithSizeReply = %x, %v", tt.name, out, err)
		}
	}
	for _, tt := range []struct {
		name  string
		in    []byte
		class error
	}{
		{"no size", hx("000000"), ErrShort},
		{"data short", hx("00000004 DEADBE"), ErrShort},
		{"data long", hx("00000004 DEADBEEF00"), ErrLong},
		{"4 GiB", hx("FFFFFFFF"), ErrTooLarge},
	} {
		_, err := DecodeSaveWithSizeReply(tt.in)
		expectErr(t, tt.name, err, tt.class)
	}
	_, err = ReadSaveWithSizeReply(bytes.NewReader(hx("FFFFFFFF")))
	expectErr(t, "read 4 GiB", err, ErrTooLarge)
	_, err = AppendSaveWithSizeReply(nil, make([]byte, MaxSaveSize+1))
	expectErr(t, "append too big", err, ErrTooLarge)
}

func tcpSeeds() [][]byte {
	var seeds [][]byte
	for _, tt := range tcpRequests {
		seeds = append(seeds, tt.in)
	}
	return append(seeds, nil, hx("05 04 01 00 12345671 | 06"), hx("01 656570 00 FFFFFFFF"),
		hx("09"), hx("02 00"), hx("040404"))
}

func FuzzDecodeTCPRequest(f *testing.F) {
	fuzzBinary(f, tcpSeeds(), DecodeRequest, Request.MarshalBinary)
}

// FuzzReadTCPRequest reads requests from a stream until one fails unframed.
// Each accepted request must re-encode to exactly the bytes it consumed,
// the same sequence must come out of a one-byte-at-a-time reader, and the
// first request must agree with DecodeRequest.
func FuzzReadTCPRequest(f *testing.F) {
	for _, s := range tcpSeeds() {
		f.Add(s)
	}
	var all []byte
	for _, tt := range tcpRequests {
		all = append(all, tt.in...)
	}
	f.Add(all)
	type result struct {
		req    Request
		err    string
		offset int
	}
	run := func(t *testing.T, b []byte, r io.Reader, pos func() int) []result {
		var out []result
		for i := 0; i < 1000; i++ {
			start := pos()
			req, err := ReadRequest(r)
			if err == io.EOF && start == len(b) {
				break
			}
			if err != nil {
				var re *RequestError
				if !errors.As(err, &re) {
					t.Fatalf("error %v (%T) is not a *RequestError", err, err)
				}
				checkClassified(t, err, true)
				out = append(out, result{err: err.Error(), offset: start})
				if re.Framed {
					continue
				}
				break
			}
			enc, err := req.MarshalBinary()
			if err != nil {
				t.Fatalf("%#v does not encode: %v", req, err)
			}
			if pos != nil && !bytes.Equal(enc, b[start:pos()]) {
				t.Fatalf("%#v encodes to %x, read from %x", req, enc, b[start:pos()])
			}
			out = append(out, result{req: req, offset: start})
		}
		return out
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		br := bytes.NewReader(b)
		pos := func() int { return len(b) - br.Len() }
		a := run(t, b, br, pos)
		cr := &countReader{r: iotest.OneByteReader(bytes.NewReader(b))}
		c := run(t, b, cr, func() int { return cr.n })
		if len(a) != len(c) {
			t.Fatalf("byte reader gave %d results, one-byte reader %d", len(a), len(c))
		}
		for i := range a {
			if a[i].err != c[i].err || !reflect.DeepEqual(a[i].req, c[i].req) {
				t.Fatalf("result %d differs: %+v vs %+v", i, a[i], c[i])
			}
		}
		if q, err := DecodeRequest(b); err == nil {
			if len(a) != 1 || !reflect.DeepEqual(a[0].req, q) {
				t.Fatalf("DecodeRequest = %#v but the stream gave %+v", q, a)
			}
		}
	})
}

type countReader struct {
	r io.Reader
	n int
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func FuzzDecodeSaveWithSizeReply(f *testing.F) {
	encode := func(d []byte) ([]byte, error) { return AppendSaveWithSizeReply(nil, d) }
	decodeBoth := func(b []byte) ([]byte, error) {
		d, err := DecodeSaveWithSizeReply(b)
		r, rerr := ReadSaveWithSizeReply(bytes.NewReader(b))
		if err == nil && (rerr != nil || !bytes.Equal(d, r)) {
			panic("ReadSaveWithSizeReply disagrees with DecodeSaveWithSizeReply")
		}
		return d, err
	}
	fuzzBinary(f, [][]byte{hx("00000004 DEADBEEF"), hx("00000000"), hx("000000"), hx("FFFFFFFF"), hx("00000001 0102")},
		decodeBoth, encode)
}
