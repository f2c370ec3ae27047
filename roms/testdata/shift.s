# shift.s: 64-bit shifts (DSLL/DSRL/DSRA, their ...32 and ...V forms) and
# 32-bit shifts, whose results are sign-extended from bit 31.
#
# Built into the .z64 of the same name by `go generate ./roms/...`;
# roms/testdata_test.go runs it and checks every result slot against a table
# worked out by hand from the VR4300 manual.
#
# Start-up, memory layout and registers: prelude.inc.

        .include "prelude.inc"

        ld      $t4, K_A - pool($s2)    # A = 0x8000000000000000
        ld      $t5, K_B - pool($s2)    # B = 0x0123456789ABCDEF
        ld      $t6, K_C - pool($s2)    # C = 0xFEDCBA9876543210

# --- 64-bit shifts by a constant: ...32 forms shift by sa+32.
        dsll    $t0, $t5, 4
        sd      $t0, 0($s0)             # slot 0: DSLL B, 4
        dsll32  $t0, $t5, 4
        sd      $t0, 8($s0)             # slot 1: DSLL32 B, 4
        dsrl    $t0, $t5, 4
        sd      $t0, 16($s0)            # slot 2: DSRL B, 4
        dsrl32  $t0, $t5, 4
        sd      $t0, 24($s0)            # slot 3: DSRL32 B, 4
        dsra    $t0, $t6, 4
        sd      $t0, 32($s0)            # slot 4: DSRA C, 4
        dsra32  $t0, $t4, 0
        sd      $t0, 40($s0)            # slot 5: DSRA32 A, 0
        dsra32  $t0, $t6, 4
        sd      $t0, 48($s0)            # slot 6: DSRA32 C, 4
        dsra32  $t0, $t4, 31
        sd      $t0, 56($s0)            # slot 7: DSRA32 A, 31
        dsrl32  $t0, $t4, 31
        sd      $t0, 64($s0)            # slot 8: DSRL32 A, 31
        li      $t1, 1
        dsll32  $t0, $t1, 31
        sd      $t0, 72($s0)            # slot 9: DSLL32 1, 31

# --- 64-bit shifts by a register: the amount is its low 6 bits.
        li      $t3, 68
        dsllv   $t0, $t5, $t3
        sd      $t0, 80($s0)            # slot 10: DSLLV B, 68
        li      $t3, 40
        dsrlv   $t0, $t5, $t3
        sd      $t0, 88($s0)            # slot 11: DSRLV B, 40
        li      $t3, 8
        dsrav   $t0, $t6, $t3
        sd      $t0, 96($s0)            # slot 12: DSRAV C, 8
        li      $t3, 63
        dsrav   $t0, $t4, $t3
        sd      $t0, 104($s0)           # slot 13: DSRAV A, 63
        li      $t1, -1
        dsll32  $t0, $t1, 0
        sd      $t0, 112($s0)           # slot 14: DSLL32 -1, 0
        dsrl32  $t0, $t0, 0
        sd      $t0, 120($s0)           # slot 15: DSRL32 0xFFFFFFFF00000000, 0

# --- 32-bit shifts: the 32-bit result is sign-extended from bit 31.
        ld      $t1, K_8000_0000 - pool($s2)
        sll     $t0, $t1, 0
        sd      $t0, 128($s0)           # slot 16: SLL 0x0000000080000000, 0
        sll     $t0, $t5, 4
        sd      $t0, 136($s0)           # slot 17: SLL B, 4
        li      $t1, 0x40000000
        sll     $t0, $t1, 1
        sd      $t0, 144($s0)           # slot 18: SLL 0x40000000, 1
        li      $t1, 0x80000001
        sll     $t0, $t1, 1
        sd      $t0, 152($s0)           # slot 19: SLL 0xFFFFFFFF80000001, 1
        li      $t1, 0x80000000
        srl     $t0, $t1, 4
        sd      $t0, 160($s0)           # slot 20: SRL 0xFFFFFFFF80000000, 4
        srl     $t0, $t1, 0
        sd      $t0, 168($s0)           # slot 21: SRL 0xFFFFFFFF80000000, 0
        sra     $t0, $t1, 4
        sd      $t0, 176($s0)           # slot 22: SRA 0xFFFFFFFF80000000, 4
        li      $t2, 0x7FFFFFFF
        sra     $t0, $t2, 31
        sd      $t0, 184($s0)           # slot 23: SRA 0x7FFFFFFF, 31
        sra     $t0, $t1, 31
        sd      $t0, 192($s0)           # slot 24: SRA 0xFFFFFFFF80000000, 31

# --- 32-bit shifts by a register: the amount is its low 5 bits.
        li      $t2, 1
        li      $t3, 33
        sllv    $t0, $t2, $t3
        sd      $t0, 200($s0)           # slot 25: SLLV 1, 33
        li      $t3, 31
        sllv    $t0, $t2, $t3
        sd      $t0, 208($s0)           # slot 26: SLLV 1, 31
        li      $t3, 35
        srlv    $t0, $t1, $t3
        sd      $t0, 216($s0)           # slot 27: SRLV 0xFFFFFFFF80000000, 35
        li      $t3, 36
        srav    $t0, $t1, $t3
        sd      $t0, 224($s0)           # slot 28: SRAV 0xFFFFFFFF80000000, 36

# --- 32-bit right shifts of values that are not sign-extended 32-bit ones
# --- (the manual leaves them undefined; these are the VR4300's results).
        srl     $t0, $t5, 4
        sd      $t0, 232($s0)           # slot 29: SRL B, 4
        sra     $t0, $t5, 4
        sd      $t0, 240($s0)           # slot 30: SRA B, 4
        ld      $t1, K_Q - pool($s2)
        sra     $t0, $t1, 4
        sd      $t0, 248($s0)           # slot 31: SRA 0x00000008789ABCDE, 4

# --- A shift into $zero is discarded.
        sll     $zero, $t5, 1
        move    $t0, $zero
        sd      $t0, 256($s0)           # slot 32

        ld      $t0, 0($s3)
        sd      $t0, 264($s0)           # slot 33: exceptions (none expected)

done:   j       done
        nop

        .include "handler.inc"  # copied to 0x80000180 by the prelude

        .align  3
pool:
K_A:            .dword 0x8000000000000000
K_B:            .dword 0x0123456789ABCDEF
K_C:            .dword 0xFEDCBA9876543210
K_8000_0000:    .dword 0x0000000080000000
K_Q:            .dword 0x00000008789ABCDE
pool_end:
