package proto

import (
	"bytes"
	"testing"
	"testing/iotest"
)

// §2.2: count_per_op, count_per_op_denom_pot, disable_extra_mem,
// si_dma_duration, emumode, no_compiled_jump, each a big-endian 32-bit word.
var settingsDefault = hx("00000002 00000000 00000000 00000900 00000002 00000000")

func TestSettingsDecode(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want Settings
	}{
		// §2.2 defaults: CountPerOp 2, SI DMA 0x900, dynarec.
		{"defaults", settingsDefault, Settings{CountPerOp: 2, SIDMADuration: 0x900, EmuMode: EmuModeDynarec}},
		// §2.2 offsets 0/4/8/12/16/20: overclock denom 20 (the 2024-01 clamp), 4 MiB, pure interpreter, no_compiled_jump 1.
		{"offsets", hx("00000001 00000014 00000001 00000000 00000000 00000001"),
			Settings{CountPerOp: 1, CountPerOpDenomPot: 20, DisableExtraMem: 1, EmuMode: EmuModePureInterpreter, NoCompiledJump: 1}},
		// §2.2: disable_extra_mem is "≠0 → 4 MiB": any value.
		{"extra mem any", hx("00000003 00000003 FFFFFFFF 7FFFFFFF 00000001 00000000"),
			Settings{CountPerOp: 3, CountPerOpDenomPot: 3, DisableExtraMem: 0xFFFFFFFF, SIDMADuration: 0x7FFFFFFF, EmuMode: EmuModeCachedInterpreter}},
		// §2.2 emumode 2 = dynarec; the core's config says "Dynamic Recompiler if 2 or more".
		// no_compiled_jump is a C boolean: any non-zero value is true.
		{"emumode 3", hx("7FFFFFFF 00000000 00000000 00000000 00000003 FFFFFFFF"),
			Settings{CountPerOp: 0x7FFFFFFF, EmuMode: 3, NoCompiledJump: -1}},
	}
	for _, tt := range tests {
		got, err := DecodeSettings(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("%s: DecodeSettings = %+v, %v; want %+v", tt.name, got, err, tt.want)
			continue
		}
		if out := marshal(t, got); !bytes.Equal(out, tt.in) {
			t.Errorf("%s: MarshalBinary = %x, want %x", tt.name, out, tt.in)
		}
		r, err := ReadSettings(iotest.OneByteReader(bytes.NewReader(tt.in)))
		if err != nil || r != tt.want {
			t.Errorf("%s: ReadSettings = %+v, %v", tt.name, r, err)
		}
	}
	if (Settings{DisableExtraMem: 1}).RDRAMSize() != 0x400000 || (Settings{}).RDRAMSize() != 0x800000 {
		t.Error("RDRAMSize (§7)")
	}
	if (Settings{EmuMode: 7}).CPUMode() != EmuModeDynarec || (Settings{EmuMode: 1}).CPUMode() != EmuModeCachedInterpreter {
		t.Error("CPUMode")
	}
}

func TestSettingsReject(t *testing.T) {
	tests := []struct {
		name  string
		in    []byte
		class error
	}{
		{"empty", nil, ErrShort},
		// §2.2 history: the 20-byte block of 2020-04, without count_per_op_denom_pot.
		{"20-byte 2020-04", settingsDefault[:20], ErrShort},
		// §2.2 history: simple64's 28-byte block with rsp_delay_time at 24.
		{"28-byte simple64", cat(settingsDefault, hx("00000000")), ErrLong},
		{"count_per_op 0", hx("00000000 00000000 00000000 00000900 00000002 00000000"), ErrRange},
		{"count_per_op negative", hx("80000000 00000000 00000000 00000900 00000002 00000000"), ErrRange},
		{"denom_pot 21", hx("00000002 00000015 00000000 00000900 00000002 00000000"), ErrRange},
		{"si_dma negative", hx("00000002 00000000 00000000 FFFFFFFF 00000002 00000000"), ErrRange},
	}
	for _, tt := range tests {
		s := Settings{CountPerOp: 7}
		err := s.UnmarshalBinary(tt.in)
		expectErr(t, tt.name, err, tt.class)
		if s != (Settings{CountPerOp: 7}) {
			t.Errorf("%s: UnmarshalBinary changed the value on error", tt.name)
		}
	}
	if _, err := (Settings{}).MarshalBinary(); err == nil {
		t.Error("encoding CountPerOp 0 succeeded")
	}
	if _, err := ReadSettings(bytes.NewReader(settingsDefault[:10])); err == nil {
		t.Error("ReadSettings of 10 bytes succeeded")
	}
}

func FuzzDecodeSettings(f *testing.F) {
	fuzzBinary(f, [][]byte{settingsDefault, settingsDefault[:20], cat(settingsDefault, hx("00000000")),
		hx("00000001 00000014 00000001 00000000 00000000 00000001")},
		DecodeSettings, Settings.MarshalBinary)
}
