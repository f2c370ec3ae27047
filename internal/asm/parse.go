package asm

import (
	"fmt"
	"strconv"
	"strings"
)

// stmt is one source line: its labels, then an optional mnemonic or
// directive (lower-cased) and its comma-separated operands.
type stmt struct {
	where  string // "line N", or "FILE:N" for an included file
	labels []string
	op     string
	args   []string
}

func parseLine(where, s string) (stmt, error) {
	st := stmt{where: where}
	s, err := stripComment(s)
	if err != nil {
		return st, err
	}
	for {
		s = strings.TrimSpace(s)
		i := identLen(s)
		if i == 0 || i == len(s) || s[i] != ':' {
			break
		}
		st.labels = append(st.labels, s[:i])
		s = s[i+1:]
	}
	if s == "" {
		return st, nil
	}
	op, rest := s, ""
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		op, rest = s[:i], s[i:]
	}
	st.op = strings.ToLower(op)
	st.args, err = splitArgs(rest)
	return st, err
}

// stripComment drops a '#' or ';' comment that is not inside a string.
func stripComment(s string) (string, error) {
	inStr := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case !inStr && (c == '#' || c == ';'):
			return s[:i], nil
		}
	}
	if inStr {
		return "", fmt.Errorf("unterminated string")
	}
	return s, nil
}

// splitArgs splits operands at commas outside strings and parentheses.
func splitArgs(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var args []string
	depth, inStr, start := 0, false, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch c := s[i]; {
			case inStr && c == '\\':
				i++
				continue
			case c == '"':
				inStr = !inStr
				continue
			case inStr:
				continue
			case c == '(':
				depth++
				continue
			case c == ')':
				depth--
				continue
			case c != ',' || depth != 0:
				continue
			}
		}
		arg := strings.TrimSpace(s[start:i])
		if arg == "" {
			return nil, fmt.Errorf("empty operand")
		}
		args = append(args, arg)
		start = i + 1
	}
	return args, nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// identLen is the length of the identifier s starts with: a letter, '_' or
// '.', then letters, digits, '_' and '.'.
func identLen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		digit := c >= '0' && c <= '9'
		if !isAlnum(c) && c != '_' && c != '.' || i == 0 && digit {
			return i
		}
	}
	return len(s)
}

var gprNames = map[string]uint32{
	"zero": 0, "at": 1, "v0": 2, "v1": 3, "a0": 4, "a1": 5, "a2": 6, "a3": 7,
	"t0": 8, "t1": 9, "t2": 10, "t3": 11, "t4": 12, "t5": 13, "t6": 14, "t7": 15,
	"s0": 16, "s1": 17, "s2": 18, "s3": 19, "s4": 20, "s5": 21, "s6": 22, "s7": 23,
	"t8": 24, "t9": 25, "k0": 26, "k1": 27, "gp": 28, "sp": 29, "fp": 30, "s8": 30, "ra": 31,
}

// cp0Names are the VR4300's CP0 register names by number (manual ch. 5-6);
// the empty ones are reserved and written as $n.
var cp0Names = [32]string{
	"Index", "Random", "EntryLo0", "EntryLo1", "Context", "PageMask", "Wired", "",
	"BadVAddr", "Count", "EntryHi", "Compare", "Status", "Cause", "EPC", "PRId",
	"Config", "LLAddr", "WatchLo", "WatchHi", "XContext", "", "", "",
	"", "", "PErr", "CacheErr", "TagLo", "TagHi", "ErrorEPC", "",
}

func gpr(s string) (uint32, error) {
	if n, ok := gprNames[strings.TrimPrefix(s, "$")]; ok && strings.HasPrefix(s, "$") {
		return n, nil
	}
	return numberedReg(s, "$", "register")
}

func cp0Reg(s string) (uint32, error) {
	for i, name := range cp0Names {
		if name != "" && strings.EqualFold(s, name) {
			return uint32(i), nil
		}
	}
	return numberedReg(s, "$", "CP0 register")
}

// numberedReg parses prefix followed by a decimal 0..31.
func numberedReg(s, prefix, what string) (uint32, error) {
	d, ok := strings.CutPrefix(s, prefix)
	if ok && len(d) > 0 && len(d) <= 2 && (len(d) == 1 || d[0] != '0') {
		if n, err := strconv.Atoi(d); err == nil && n >= 0 && n <= 31 {
			return uint32(n), nil
		}
	}
	return 0, fmt.Errorf("bad %s %q", what, s)
}

// exprParser evaluates expressions: terms (decimal, 0x hex or 0b binary
// numbers, symbols, %hi(e), %lo(e), (e), with unary - and +) joined by + and
// -, in 64-bit arithmetic.
type exprParser struct {
	a         *assembler
	s         string
	i         int
	constOnly bool // labels are refused: the value decides a size in pass 1
	relocEnd  int  // end of a %hi/%lo term that starts the expression
}

// eval evaluates s. reloc reports that s is exactly one %hi(...) or
// %lo(...) term.
func (a *assembler) eval(s string, constOnly bool) (v int64, reloc bool, err error) {
	p := &exprParser{a: a, s: strings.TrimSpace(s), constOnly: constOnly, relocEnd: -1}
	v, err = p.sum()
	if err == nil && p.skip() < len(p.s) {
		err = fmt.Errorf("unexpected %q in expression %q", p.s[p.i:], p.s)
	}
	return v, p.relocEnd == len(p.s), err
}

func (p *exprParser) skip() int {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
	return p.i
}

func (p *exprParser) sum() (int64, error) {
	v, err := p.unary()
	for err == nil && p.skip() < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
		op := p.s[p.i]
		p.i++
		var w int64
		if w, err = p.unary(); op == '+' {
			v += w
		} else {
			v -= w
		}
	}
	return v, err
}

func (p *exprParser) unary() (int64, error) {
	if p.skip() < len(p.s) && (p.s[p.i] == '-' || p.s[p.i] == '+') {
		neg := p.s[p.i] == '-'
		p.i++
		v, err := p.unary()
		if neg {
			v = -v
		}
		return v, err
	}
	return p.term()
}

func (p *exprParser) term() (int64, error) {
	start := p.skip()
	rest := p.s[p.i:]
	switch {
	case rest == "":
		return 0, fmt.Errorf("missing value in expression %q", p.s)
	case strings.HasPrefix(rest, "%hi(") || strings.HasPrefix(rest, "%lo("):
		p.i += 3
		v, err := p.term()
		if err != nil {
			return 0, err
		}
		if start == 0 {
			p.relocEnd = p.i
		}
		if rest[1] == 'h' {
			// The low half is sign-extended by addiu/lw, so the high half
			// carries its bit 15.
			return (v + 0x8000) >> 16 & 0xFFFF, nil
		}
		return int64(int16(v)), nil
	case rest[0] == '(':
		p.i++
		v, err := p.sum()
		if err == nil && (p.skip() == len(p.s) || p.s[p.i] != ')') {
			err = fmt.Errorf("missing ')' in expression %q", p.s)
		}
		p.i++
		return v, err
	case rest[0] >= '0' && rest[0] <= '9':
		n := 0
		for n < len(rest) && (isAlnum(rest[n]) || rest[n] == '_') {
			n++
		}
		p.i += n
		return parseNumber(rest[:n])
	}
	n := identLen(rest)
	if n == 0 {
		return 0, fmt.Errorf("unexpected %q in expression %q", rest, p.s)
	}
	p.i += n
	return p.a.symbol(rest[:n], p.constOnly)
}

// parseNumber reads decimal, 0x hex or 0b binary; a leading 0 is not octal.
func parseNumber(s string) (int64, error) {
	base, digits := 10, s
	if len(s) > 2 && s[0] == '0' && (s[1]|0x20 == 'x' || s[1]|0x20 == 'b') {
		base, digits = 16, s[2:]
		if s[1]|0x20 == 'b' {
			base = 2
		}
	}
	u, err := strconv.ParseUint(digits, base, 64)
	if err != nil {
		return 0, fmt.Errorf("bad number %q", s)
	}
	return int64(u), nil
}
