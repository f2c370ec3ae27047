# branch.s: branch delay slots, branch-likely nullification, 64-bit branch
# comparisons, and the links of BLTZAL/BGEZAL(L), JAL and JALR.
#
# Built into the .z64 of the same name by `go generate ./roms/...`;
# roms/testdata_test.go runs it and checks every result slot against a table
# worked out by hand from the VR4300 manual.
#
# Start-up, memory layout and registers: prelude.inc.

        .include "prelude.inc"

# Most checks below follow one pattern: $t0 = 0, then the branch, a delay
# slot adding 1 and a fall-through instruction adding 0x10, so $t0 ends as 1
# (taken), 0x11 (not taken) or 0x10 (not taken, delay slot nullified).

# --- Delay slots and branch-likely nullification.
        move    $t0, $zero
        beq     $zero, $zero, b0        # taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b0:     sd      $t0, 0($s0)             # slot 0
        move    $t0, $zero
        bne     $zero, $zero, b1        # not taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b1:     sd      $t0, 8($s0)             # slot 1
        move    $t0, $zero
        beql    $zero, $zero, b2        # taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b2:     sd      $t0, 16($s0)            # slot 2
        li      $t1, 1
        move    $t0, $zero
        beql    $t1, $zero, b3          # not taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b3:     sd      $t0, 24($s0)            # slot 3
        move    $t0, $zero
        bnel    $t1, $zero, b4          # taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b4:     sd      $t0, 32($s0)            # slot 4
        move    $t0, $zero
        bnel    $zero, $zero, b5        # not taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b5:     sd      $t0, 40($s0)            # slot 5
        move    $t0, $zero
        blezl   $t1, b6                 # 1 <= 0: not taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b6:     sd      $t0, 48($s0)            # slot 6
        move    $t0, $zero
        bgtzl   $zero, b7               # 0 > 0: not taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b7:     sd      $t0, 56($s0)            # slot 7
        move    $t0, $zero
        bltzl   $zero, b8               # 0 < 0: not taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b8:     sd      $t0, 64($s0)            # slot 8
        li      $t2, -1
        move    $t0, $zero
        bgezl   $t2, b9                 # -1 >= 0: not taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b9:     sd      $t0, 72($s0)            # slot 9
        move    $t0, $zero
        bgezl   $zero, b10              # 0 >= 0: taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b10:    sd      $t0, 80($s0)            # slot 10
        move    $t0, $zero
        bltzl   $t2, b11                # -1 < 0: taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b11:    sd      $t0, 88($s0)            # slot 11

# --- Branch conditions compare all 64 bits.
        ld      $t1, K_1_0000_0000 - pool($s2)
        move    $t0, $zero
        bgtz    $t1, b12                # 0x100000000 > 0: taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b12:    sd      $t0, 96($s0)            # slot 12
        move    $t0, $zero
        beq     $t1, $zero, b13         # 0x100000000 == 0: not taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b13:    sd      $t0, 104($s0)           # slot 13
        ld      $t1, K_8000_0000 - pool($s2)
        move    $t0, $zero
        bltz    $t1, b14                # 0x0000000080000000 < 0: not taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b14:    sd      $t0, 112($s0)           # slot 14
        ld      $t1, K_HI32 - pool($s2)
        move    $t0, $zero
        blez    $t1, b15                # 0xFFFFFFFF00000000 <= 0: taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b15:    sd      $t0, 120($s0)           # slot 15

# --- Branch-and-link: $ra = the branch's address + 8, taken or not.
        li      $t1, -1
        move    $ra, $zero
        move    $t0, $zero
bal1:   bltzal  $t1, b17                # taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b17:    sd      $ra, 128($s0)           # slot 16
        sd      $t0, 136($s0)           # slot 17
        li      $t1, 1
        move    $ra, $zero
        move    $t0, $zero
bal2:   bltzal  $t1, b19                # not taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b19:    sd      $ra, 144($s0)           # slot 18
        sd      $t0, 152($s0)           # slot 19
        move    $ra, $zero
        move    $t0, $zero
bal3:   bgezal  $zero, b21              # taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b21:    sd      $ra, 160($s0)           # slot 20
        sd      $t0, 168($s0)           # slot 21
        move    $ra, $zero
        move    $t0, $zero
bal4:   bltzall $t1, b23                # 1 < 0: not taken, delay slot nullified
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b23:    sd      $ra, 176($s0)           # slot 22
        sd      $t0, 184($s0)           # slot 23
        move    $ra, $zero
        move    $t0, $zero
bal5:   bgezall $t1, b25                # 1 >= 0: taken
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
b25:    sd      $ra, 192($s0)           # slot 24
        sd      $t0, 200($s0)           # slot 25

# --- Jumps.
        move    $t0, $zero
jal1:   jal     sub_ra                  # adds 0x100 to $t0 and returns
        addiu   $t0, $t0, 1
        sd      $ra, 208($s0)           # slot 26
        sd      $t0, 216($s0)           # slot 27
        la      $t1, sub_t5
        move    $ra, $zero
        move    $t0, $zero
jalr1:  jalr    $t5, $t1                # links in $t5, not $ra
        addiu   $t0, $t0, 1
        sd      $t5, 224($s0)           # slot 28
        sd      $ra, 232($s0)           # slot 29
        sd      $t0, 240($s0)           # slot 30
        la      $t1, jr_t
        move    $t0, $zero
        jr      $t1
        addiu   $t1, $t1, 8             # the delay slot changes $t1 after JR read it
        addiu   $t0, $t0, 0x10
jr_t:   addiu   $t0, $t0, 1
        addiu   $t0, $t0, 2
        addiu   $t0, $t0, 4             # jr_t+8
        sd      $t0, 248($s0)           # slot 31
        move    $t0, $zero
        j       j_t
        addiu   $t0, $t0, 1
        addiu   $t0, $t0, 0x10
j_t:    sd      $t0, 256($s0)           # slot 32

# --- Loops: a backward branch's delay slot runs on every pass; a likely
# --- branch's only when taken.
        li      $t1, 5
        move    $t0, $zero
loop1:  addiu   $t1, $t1, -1
        bnez    $t1, loop1
        addiu   $t0, $t0, 1
        sd      $t0, 264($s0)           # slot 33
        li      $t1, 5
        move    $t0, $zero
loop2:  addiu   $t1, $t1, -1
        bnel    $t1, $zero, loop2
        addiu   $t0, $t0, 1
        sd      $t0, 272($s0)           # slot 34

# --- A branch compares its operands before its delay slot changes them.
        move    $t1, $zero
        move    $t0, $zero
        beq     $t1, $zero, b35         # taken: $t1 is 0 when compared
        addiu   $t1, $t1, 1
        addiu   $t0, $t0, 0x10
b35:    daddu   $t0, $t0, $t1
        sd      $t0, 280($s0)           # slot 35

        ld      $t0, 0($s3)
        sd      $t0, 288($s0)           # slot 36: exceptions (none expected)

done:   j       done
        nop

sub_ra: jr      $ra
        addiu   $t0, $t0, 0x100
sub_t5: jr      $t5
        addiu   $t0, $t0, 0x100

        .include "handler.inc"  # copied to 0x80000180 by the prelude

        .align  3
pool:
K_1_0000_0000:  .dword 0x0000000100000000
K_8000_0000:    .dword 0x0000000080000000
K_HI32:         .dword 0xFFFFFFFF00000000
pool_end:
