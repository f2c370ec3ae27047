package asm

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

func TestInclude(t *testing.T) {
	files := map[string]string{
		"two.inc":  "addiu $t0, $zero, 2    # 0x24080002\nlab2: nop",
		"nest.inc": ".include \"two.inc\"\njr $ra                 # 0x03E00008",
		"bad.inc":  "nop\nfrob $t0",
		"self.inc": ".include \"self.inc\"",
	}
	include := func(name string) (string, error) {
		if text, ok := files[name]; ok {
			return text, nil
		}
		return "", errors.New("no such file")
	}
	tests := []struct {
		name  string
		src   string
		words []uint32
		err   string // part of the error; "" = success
	}{
		{"text is spliced in place", "nop\n.include \"two.inc\"\nnop", []uint32{0, 0x24080002, 0, 0}, ""},
		{"nested includes", "first: .include \"nest.inc\"", []uint32{0x24080002, 0, 0x03E00008}, ""},
		{"errors name the included file and line", ".include \"bad.inc\"", nil, "bad.inc:2: frob"},
		{"missing file", "\n.include \"gone.inc\"", nil, "line 2: .include: no such file"},
		{"unquoted name", ".include two.inc", nil, "line 1: .include: bad file name"},
		{"self-inclusion is bounded", ".include \"self.inc\"", nil, "nested deeper than 8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := AssembleWith(tt.src, 0x80001000, include)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Code) != 4*len(tt.words) {
				t.Fatalf("%d bytes, want %d words", len(p.Code), len(tt.words))
			}
			for i, w := range tt.words {
				if got := binary.BigEndian.Uint32(p.Code[4*i:]); got != w {
					t.Errorf("word %d = %#08x, want %#08x", i, got, w)
				}
			}
		})
	}
	// A label before .include names the included text's first word, and
	// labels inside included text are defined as usual.
	p, err := AssembleWith("first: .include \"nest.inc\"", 0x80001000, include)
	if err != nil {
		t.Fatal(err)
	}
	if p.Symbols["first"] != 0x80001000 || p.Symbols["lab2"] != 0x80001004 {
		t.Errorf("symbols %v, want first at 0x80001000 and lab2 at 0x80001004", p.Symbols)
	}
	if _, err := Assemble(".include \"two.inc\"", 0); err == nil || !strings.Contains(err.Error(), "no include files") {
		t.Errorf("Assemble with .include: %v, want an error", err)
	}
}
