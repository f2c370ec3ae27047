# branch.s: branch delay slots, branch-likely nullification, 64-bit branch
# comparisons, and the links of BLTZAL/BGEZAL(L), JAL and JALR.
#
# Built into the .z64 of the same name by `go generate ./roms/...`;
# roms/testdata_test.go runs it and checks every result slot against a table
# worked out by hand from the VR4300 manual.
#
# Runs from cartridge ROM (0xB0001000) after the high-level PIF boot, which
# leaves Status = 0x241000E0: kernel mode, BEV = EXL = ERL = IE = 0, so
# exceptions go to 0x80000180 (KX/SX/UX are set, which changes nothing for
# the sign-extended 32-bit addresses used here).
#
# Memory (all through uncached kseg1; RDRAM physical = address - 0xA0000000):
#   RES  0xA0100000  result slots: slot n is the doubleword at RES + 8n. The
#                    first 256 are filled with 0xFFFFFFFFDEADBEEF at start,
#                    so a slot the program never writes is seen as such.
#   SCR  0xA0101000  scratch
#   POOL 0xA0102000  64-bit constants, copied here from `pool` in ROM
#   EXC  0xA0103000  the handler's record of the last exception: +0 count,
#                    +8 Cause, +16 EPC, +24 Status, +32 BadVAddr
# Registers: $s0 = RES, $s1 = SCR, $s2 = POOL, $s3 = EXC. The handler uses
# only $k0 and $k1.

        .equ RES, 0xA0100000
        .equ SCR, 0xA0101000
        .equ POOL, 0xA0102000
        .equ EXC, 0xA0103000
        .equ SENTINEL, 0xDEADBEEF

start:
        la      $s0, RES
        la      $s1, SCR
        la      $s2, POOL
        la      $s3, EXC
        # Fill 256 result slots with the sentinel.
        li      $t0, SENTINEL           # 0xFFFFFFFFDEADBEEF
        move    $t1, $s0
        addiu   $t2, $s0, 2048
fill:   sd      $t0, 0($t1)
        addiu   $t1, $t1, 8
        bne     $t1, $t2, fill
        nop
        # Copy the constant pool to RDRAM, a word at a time.
        la      $t1, pool
        la      $t2, pool_end
        move    $t3, $s2
copy:   lw      $t0, 0($t1)
        sw      $t0, 0($t3)
        addiu   $t1, $t1, 4
        bne     $t1, $t2, copy
        addiu   $t3, $t3, 4
        # Install the exception handler at 0x80000180 (written via kseg1).
        la      $t1, handler
        la      $t2, handler_end
        la      $t3, 0xA0000180
inst:   lw      $t0, 0($t1)
        sw      $t0, 0($t3)
        addiu   $t1, $t1, 4
        bne     $t1, $t2, inst
        addiu   $t3, $t3, 4
        sd      $zero, 0($s3)           # clear the exception record
        sd      $zero, 8($s3)
        sd      $zero, 16($s3)

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

# The exception handler, copied to 0x80000180. It counts the exception,
# records Cause, EPC, Status and BadVAddr at EXC, and returns past the
# faulting instruction: to EPC+4, or to EPC+8 when Cause.BD says EPC is a
# branch whose delay slot faulted. Its branch is PC-relative, so it runs
# wherever it is copied.
handler:
        lui     $k1, %hi(EXC)
        ld      $k0, %lo(EXC)($k1)
        daddiu  $k0, $k0, 1
        sd      $k0, %lo(EXC)($k1)
        mfc0    $k0, Cause
        sd      $k0, %lo(EXC+8)($k1)
        dmfc0   $k0, EPC
        sd      $k0, %lo(EXC+16)($k1)
        mfc0    $k0, Status
        sd      $k0, %lo(EXC+24)($k1)
        dmfc0   $k0, BadVAddr
        sd      $k0, %lo(EXC+32)($k1)
        mfc0    $k1, Cause
        dmfc0   $k0, EPC
        bgez    $k1, h_ret              # BD clear: return to EPC+4
        daddiu  $k0, $k0, 4
        daddiu  $k0, $k0, 4             # BD set: step over the delay slot too
h_ret:  dmtc0   $k0, EPC
        nop
        nop
        eret
        daddiu  $s7, $s7, 1             # never runs: ERET has no delay slot
handler_end:

        .align  3
pool:
K_1_0000_0000:  .dword 0x0000000100000000
K_8000_0000:    .dword 0x0000000080000000
K_HI32:         .dword 0xFFFFFFFF00000000
pool_end:
