// Package asm is a small two-pass MIPS III (VR4300) assembler for the
// hand-written programs of the emulator's test ROMs. It emits exactly what
// is written: no delay-slot filling, no reordering.
//
// Syntax, GNU-as-like, one statement per line:
//
//	# or ; starts a comment; "name:" defines a label (several may precede
//	a statement). Mnemonics are case-insensitive, symbols are not.
//	Registers: $0..$31 or $zero $at $v0 $v1 $a0-$a3 $t0-$t9 $s0-$s7 $k0
//	$k1 $gp $sp $fp/$s8 $ra; FPU $f0..$f31; FPU control $0..$31; CP0 $0..$31
//	or its name (Status, Cause, EPC, ... case-insensitive).
//	Expressions: decimal, 0x hex, 0b binary (a leading 0 is not octal),
//	symbols, %hi(e) (carry-adjusted for a sign-extended low half), %lo(e),
//	parentheses, unary -, binary + and -. A %hi/%lo operand fits any 16-bit
//	field; other immediates must fit the field's signed or unsigned range.
//	Memory operands: offset(base) or (base).
//	Branch and jump operands are target addresses, usually labels.
//	Directives: .org ADDR, .align N (2^N bytes), .space N, .byte, .half,
//	.word, .dword, .ascii, .asciiz (Go string escapes), .equ NAME, VALUE,
//	.include "NAME" (the text of NAME, from AssembleWith's include function).
//	Pseudo-instructions: nop, move, b, beqz, bnez, neg, negu, not (one word
//	each), li (one or two words, from a constant), la (lui+ori, always two).
//	A two-word li or la in a branch's delay slot is an error.
//
// Values that decide a size (li, .org, .align, .space, .equ) must be
// constants: numbers and .equ names defined above. Instructions and .half,
// .word, .dword must be naturally aligned; misalignment is an error, never
// silent padding.
package asm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Program is assembled machine code.
type Program struct {
	Origin  uint32            // virtual address of Code[0]
	Code    []byte            // big-endian machine code
	Symbols map[string]uint32 // label -> address
}

// maxSize bounds a program, so that a mistyped .org or .space is an error
// rather than an allocation of gigabytes: 64 MiB, the largest cartridge.
const maxSize = 64 << 20

type assembler struct {
	origin uint32
	pass   int
	out    []byte
	labels map[string]uint32
	consts map[string]int64 // .equ values, defined in pass 1
	errs   []error

	// inDelaySlot: the last statement emitted a branch or jump, so the
	// next word is its delay slot.
	inDelaySlot bool
}

// Assemble assembles src for loading at origin. Errors name the line.
// src may not use .include.
func Assemble(src string, origin uint32) (*Program, error) {
	return AssembleWith(src, origin, nil)
}

// maxIncludeDepth bounds nested .include, so a file that includes itself
// is an error rather than a hang.
const maxIncludeDepth = 8

// AssembleWith is Assemble where `.include "NAME"` statements are replaced
// by the text include(NAME) returns; errors in an included file name it
// ("NAME:LINE").
func AssembleWith(src string, origin uint32, include func(name string) (string, error)) (*Program, error) {
	a := &assembler{origin: origin, labels: map[string]uint32{}, consts: map[string]int64{}}
	stmts := a.parse(src, "line ", include, 0)
	return a.assemble(stmts)
}

// parse splits src into statements, expanding .include; prefix names the
// source in positions ("line " for the main text, "NAME:" for includes).
func (a *assembler) parse(src, prefix string, include func(string) (string, error), depth int) []stmt {
	var stmts []stmt
	for i, line := range strings.Split(src, "\n") {
		where := prefix + strconv.Itoa(i+1)
		st, err := parseLine(where, line)
		switch {
		case err != nil:
			a.errs = append(a.errs, fmt.Errorf("%s: %w", where, err))
		case st.op == ".include":
			if len(st.labels) > 0 { // labels before .include name its first byte
				stmts = append(stmts, stmt{where: where, labels: st.labels})
			}
			name, err := includeName(st.args)
			if err == nil && include == nil {
				err = errors.New("no include files here")
			}
			if err == nil && depth >= maxIncludeDepth {
				err = fmt.Errorf("includes nested deeper than %d", maxIncludeDepth)
			}
			var text string
			if err == nil {
				text, err = include(name)
			}
			if err != nil {
				a.errs = append(a.errs, fmt.Errorf("%s: .include: %w", where, err))
				continue
			}
			stmts = append(stmts, a.parse(text, name+":", include, depth+1)...)
		case st.op != "" || len(st.labels) > 0:
			stmts = append(stmts, st)
		}
	}
	return stmts
}

// includeName is the one quoted operand of .include.
func includeName(args []string) (string, error) {
	if len(args) != 1 {
		return "", errors.New("want one quoted file name")
	}
	name, err := strconv.Unquote(args[0])
	if err != nil || name == "" {
		return "", fmt.Errorf("bad file name %s", args[0])
	}
	return name, nil
}

func (a *assembler) assemble(stmts []stmt) (*Program, error) {
	// Pass 1 lays out every statement and defines the labels; pass 2, with
	// all labels known, encodes. Each statement's size is the same in both.
	for a.pass = 1; a.pass <= 2 && len(a.errs) == 0; a.pass++ {
		a.out = a.out[:0]
		for i := range stmts {
			a.stmt(&stmts[i])
		}
	}
	if len(a.errs) > 0 {
		return nil, errors.Join(a.errs...)
	}
	return &Program{Origin: a.origin, Code: a.out, Symbols: a.labels}, nil
}

func (a *assembler) pc() uint32 { return a.origin + uint32(len(a.out)) }

func (a *assembler) words(ws ...uint32) {
	for _, w := range ws {
		a.out = binary.BigEndian.AppendUint32(a.out, w)
	}
}

func (a *assembler) stmt(st *stmt) {
	fail := func(err error) {
		if err != nil {
			a.errs = append(a.errs, fmt.Errorf("%s: %s: %w", st.where, st.op, err))
		}
	}
	if a.pass == 1 {
		for _, l := range st.labels {
			if _, dup := a.labels[l]; dup || a.isConst(l) {
				a.errs = append(a.errs, fmt.Errorf("%s: %q redefined", st.where, l))
			}
			a.labels[l] = a.pc()
		}
	}
	slot := a.inDelaySlot
	if st.op != "" {
		a.inDelaySlot = isBranch(st.op)
	}
	start := len(a.out)
	defer func() {
		// A two-word pseudo-instruction after a branch would put only its
		// first word in the delay slot and run the second after the branch
		// (on its target, when taken): never what was meant.
		if slot && len(a.out)-start > 4 && (st.op == "li" || st.op == "la") {
			a.errs = append(a.errs, fmt.Errorf("%s: %s: expands to two instructions in a delay slot", st.where, st.op))
		}
	}()
	switch {
	case st.op == "":
	case strings.HasPrefix(st.op, "."):
		fail(a.directive(st))
	case a.pc()%4 != 0:
		fail(fmt.Errorf("instruction at unaligned address 0x%08x (use .align 2)", a.pc()))
	case st.op == "li":
		ws, err := a.li(st.args)
		a.words(ws...)
		fail(err)
	case st.op == "la" && a.pass == 1:
		a.words(0, 0)
	case st.op == "la":
		ws, err := a.la(st.args)
		a.words(ws...)
		fail(err)
	default:
		w, err := a.instruction(st)
		a.words(w)
		fail(err)
	}
}

// isBranch reports whether mnemonic op has a delay slot: it takes a branch
// or jump target, or is JR or JALR.
func isBranch(op string) bool {
	if op == "jr" || op == "jalr" {
		return true
	}
	for _, f := range ops[op] {
		if strings.ContainsAny(f.args, "bj") {
			return true
		}
	}
	return false
}

func (a *assembler) isConst(name string) bool {
	_, ok := a.consts[name]
	return ok
}

// instruction encodes a one-word instruction; in pass 1 it only checks the
// mnemonic, since operands may name labels not yet defined.
func (a *assembler) instruction(st *stmt) (uint32, error) {
	forms, ok := ops[st.op]
	if !ok {
		return 0, fmt.Errorf("unknown instruction")
	}
	if a.pass == 1 {
		return 0, nil
	}
	var counts []string
	for _, f := range forms {
		if len(f.args) == len(st.args) {
			return a.encode(f, st.args)
		}
		counts = append(counts, strconv.Itoa(len(f.args)))
	}
	return 0, fmt.Errorf("takes %s operands, got %d", strings.Join(counts, " or "), len(st.args))
}

// symbol is the value of a .equ constant or, unless constOnly, a label.
func (a *assembler) symbol(name string, constOnly bool) (int64, error) {
	if v, ok := a.consts[name]; ok {
		return v, nil
	}
	addr, ok := a.labels[name]
	switch {
	case constOnly && (ok || a.pass == 1):
		return 0, fmt.Errorf("%q: the value must be a constant known in pass 1 (.equ before use; la loads an address)", name)
	case !ok:
		return 0, fmt.Errorf("undefined symbol %q", name)
	}
	return int64(addr), nil
}

func (a *assembler) directive(st *stmt) error {
	nargs := map[string]int{".org": 1, ".align": 1, ".space": 1, ".equ": 2}
	if n, ok := nargs[st.op]; ok && len(st.args) != n {
		return fmt.Errorf("takes %d operands, got %d", n, len(st.args))
	}
	switch st.op {
	case ".org":
		v, _, err := a.eval(st.args[0], true)
		if err != nil {
			return err
		}
		if v < int64(a.pc()) {
			return fmt.Errorf("address 0x%x is below the current address 0x%08x", v, a.pc())
		}
		return a.pad(v - int64(a.pc()))
	case ".align":
		v, _, err := a.eval(st.args[0], true)
		if err != nil {
			return err
		}
		if v < 0 || v > 16 {
			return fmt.Errorf("alignment %d out of range 0..16", v)
		}
		return a.pad(int64(-a.pc() & (1<<v - 1)))
	case ".space":
		v, _, err := a.eval(st.args[0], true)
		if err != nil {
			return err
		}
		if v < 0 {
			return fmt.Errorf("negative size %d", v)
		}
		return a.pad(v)
	case ".byte":
		return a.data(st.args, 1)
	case ".half":
		return a.data(st.args, 2)
	case ".word":
		return a.data(st.args, 4)
	case ".dword":
		return a.data(st.args, 8)
	case ".ascii", ".asciiz":
		for _, arg := range st.args {
			s, err := strconv.Unquote(arg)
			if err != nil || arg[0] != '"' {
				return fmt.Errorf("want a double-quoted string, got %s", arg)
			}
			a.out = append(a.out, s...)
			if st.op == ".asciiz" {
				a.out = append(a.out, 0)
			}
		}
		return nil
	case ".equ":
		name := st.args[0]
		if a.pass == 2 {
			return nil
		}
		if identLen(name) != len(name) {
			return fmt.Errorf("bad name %q", name)
		}
		if _, dup := a.labels[name]; dup || a.isConst(name) {
			return fmt.Errorf("%q redefined", name)
		}
		v, _, err := a.eval(st.args[1], true)
		a.consts[name] = v
		return err
	}
	return fmt.Errorf("unknown directive")
}

// pad appends n zero bytes.
func (a *assembler) pad(n int64) error {
	if int64(len(a.out))+n > maxSize {
		return fmt.Errorf("program would exceed %d MiB", maxSize>>20)
	}
	a.out = append(a.out, make([]byte, n)...)
	return nil
}

// data emits one big-endian value of size bytes per operand. Operands may
// name labels, so they are evaluated in pass 2 only.
func (a *assembler) data(args []string, size int) error {
	if a.pc()%uint32(size) != 0 {
		return fmt.Errorf("unaligned address 0x%08x (use .align)", a.pc())
	}
	var firstErr error
	for i, arg := range args {
		var v int64
		if a.pass == 2 {
			var err error
			v, _, err = a.eval(arg, false)
			if lo, hi := int64(-1)<<(8*size-1), uint64(1)<<(8*size)-1; err == nil && size < 8 && (v < lo || v > int64(hi)) {
				err = fmt.Errorf("value %d out of range %d..%d", v, lo, hi)
			}
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("operand %d: %w", i+1, err)
			}
		}
		for shift := 8 * (size - 1); shift >= 0; shift -= 8 {
			a.out = append(a.out, byte(v>>shift))
		}
	}
	return firstErr
}
