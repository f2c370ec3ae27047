# muldiv.s: MULT/MULTU/DIV/DIVU/DMULT/DMULTU/DDIV/DDIVU and HI/LO, with
# division by zero and the most negative value divided by -1.
#
# Built into the .z64 of the same name by `go generate ./roms/...`;
# roms/testdata_test.go runs it and checks every result slot against a table
# worked out by hand from the VR4300 manual.
#
# Start-up, memory layout and registers: prelude.inc.

        .include "prelude.inc"

        ld      $t4, K_MIN - pool($s2)  # MIN = 0x8000000000000000
        ld      $t5, K_B - pool($s2)    # B = 0x0123456789ABCDEF
        ld      $t6, K_C - pool($s2)    # C = 0xFEDCBA9876543210

# Each operation stores LO in one slot and HI in the next. Its operands are
# loaded by two instructions after the previous MFHI, as the VR4300 wants
# (manual ch. 16 MULT: an MFHI/MFLO within the two instructions before a
# multiply or divide makes the result undefined).

# --- 32-bit multiplies: LO and HI are each a sign-extended 32-bit half.
        li      $t1, 0x7FFFFFFF
        li      $t2, 0x7FFFFFFF
        mult    $t1, $t2                # MULT 0x7FFFFFFF x 0x7FFFFFFF
        mflo    $t0
        sd      $t0, 0($s0)             # slot 0: LO
        mfhi    $t0
        sd      $t0, 8($s0)             # slot 1: HI

        li      $t1, -1
        li      $t2, 1
        mult    $t1, $t2                # MULT -1 x 1
        mflo    $t0
        sd      $t0, 16($s0)            # slot 2: LO
        mfhi    $t0
        sd      $t0, 24($s0)            # slot 3: HI

        li      $t1, 0x10000
        li      $t2, 0x8000
        mult    $t1, $t2                # MULT 0x10000 x 0x8000
        mflo    $t0
        sd      $t0, 32($s0)            # slot 4: LO
        mfhi    $t0
        sd      $t0, 40($s0)            # slot 5: HI

        li      $t1, -1
        li      $t2, -1
        multu   $t1, $t2                # MULTU 0xFFFFFFFF x 0xFFFFFFFF
        mflo    $t0
        sd      $t0, 48($s0)            # slot 6: LO
        mfhi    $t0
        sd      $t0, 56($s0)            # slot 7: HI

        li      $t1, -1
        li      $t2, -1
        mult    $t1, $t2                # MULT 0xFFFFFFFF x 0xFFFFFFFF
        mflo    $t0
        sd      $t0, 64($s0)            # slot 8: LO
        mfhi    $t0
        sd      $t0, 72($s0)            # slot 9: HI

        li      $t1, 0x80000000
        li      $t2, 0x80000000
        mult    $t1, $t2                # MULT 0x80000000 x 0x80000000
        mflo    $t0
        sd      $t0, 80($s0)            # slot 10: LO
        mfhi    $t0
        sd      $t0, 88($s0)            # slot 11: HI

# --- 32-bit divides: the quotient truncates towards zero; division by zero
# --- and 0x80000000 / -1 do not trap.
        li      $t1, 7
        li      $t2, -2
        div     $t1, $t2                # DIV 7 / -2
        mflo    $t0
        sd      $t0, 96($s0)            # slot 12: LO
        mfhi    $t0
        sd      $t0, 104($s0)           # slot 13: HI

        li      $t1, -7
        li      $t2, 2
        div     $t1, $t2                # DIV -7 / 2
        mflo    $t0
        sd      $t0, 112($s0)           # slot 14: LO
        mfhi    $t0
        sd      $t0, 120($s0)           # slot 15: HI

        li      $t1, 0x80000000
        li      $t2, -1
        div     $t1, $t2                # DIV 0x80000000 / -1
        mflo    $t0
        sd      $t0, 128($s0)           # slot 16: LO
        mfhi    $t0
        sd      $t0, 136($s0)           # slot 17: HI

        li      $t1, 5
        move    $t2, $zero
        div     $t1, $t2                # DIV 5 / 0
        mflo    $t0
        sd      $t0, 144($s0)           # slot 18: LO
        mfhi    $t0
        sd      $t0, 152($s0)           # slot 19: HI

        li      $t1, -5
        move    $t2, $zero
        div     $t1, $t2                # DIV -5 / 0
        mflo    $t0
        sd      $t0, 160($s0)           # slot 20: LO
        mfhi    $t0
        sd      $t0, 168($s0)           # slot 21: HI

        li      $t1, -1
        li      $t2, 2
        divu    $t1, $t2                # DIVU 0xFFFFFFFF / 2
        mflo    $t0
        sd      $t0, 176($s0)           # slot 22: LO
        mfhi    $t0
        sd      $t0, 184($s0)           # slot 23: HI

        li      $t1, -2
        li      $t2, 1
        divu    $t1, $t2                # DIVU 0xFFFFFFFE / 1
        mflo    $t0
        sd      $t0, 192($s0)           # slot 24: LO
        mfhi    $t0
        sd      $t0, 200($s0)           # slot 25: HI

        li      $t1, 0x80000000
        move    $t2, $zero
        divu    $t1, $t2                # DIVU 0x80000000 / 0
        mflo    $t0
        sd      $t0, 208($s0)           # slot 26: LO
        mfhi    $t0
        sd      $t0, 216($s0)           # slot 27: HI

# --- 64-bit multiplies: the 128-bit product in HI:LO.
        li      $t1, -1
        move    $t2, $t5
        dmult   $t1, $t2                # DMULT -1 x B
        mflo    $t0
        sd      $t0, 224($s0)           # slot 28: LO
        mfhi    $t0
        sd      $t0, 232($s0)           # slot 29: HI

        li      $t1, -1
        move    $t2, $t5
        dmultu  $t1, $t2                # DMULTU 0xFFFFFFFFFFFFFFFF x B
        mflo    $t0
        sd      $t0, 240($s0)           # slot 30: LO
        mfhi    $t0
        sd      $t0, 248($s0)           # slot 31: HI

        li      $t1, -1
        li      $t2, -1
        dmultu  $t1, $t2                # DMULTU 0xFFFFFFFFFFFFFFFF x 0xFFFFFFFFFFFFFFFF
        mflo    $t0
        sd      $t0, 256($s0)           # slot 32: LO
        mfhi    $t0
        sd      $t0, 264($s0)           # slot 33: HI

        move    $t1, $t4
        li      $t2, 2
        dmult   $t1, $t2                # DMULT MIN x 2
        mflo    $t0
        sd      $t0, 272($s0)           # slot 34: LO
        mfhi    $t0
        sd      $t0, 280($s0)           # slot 35: HI

        move    $t1, $t5
        ld      $t2, K_2_32 - pool($s2)
        dmult   $t1, $t2                # DMULT B x 0x100000000
        mflo    $t0
        sd      $t0, 288($s0)           # slot 36: LO
        mfhi    $t0
        sd      $t0, 296($s0)           # slot 37: HI

# --- 64-bit divides.
        move    $t1, $t4
        li      $t2, -1
        ddiv    $t1, $t2                # DDIV MIN / -1
        mflo    $t0
        sd      $t0, 304($s0)           # slot 38: LO
        mfhi    $t0
        sd      $t0, 312($s0)           # slot 39: HI

        move    $t1, $t5
        li      $t2, 0x100
        ddiv    $t1, $t2                # DDIV B / 0x100
        mflo    $t0
        sd      $t0, 320($s0)           # slot 40: LO
        mfhi    $t0
        sd      $t0, 328($s0)           # slot 41: HI

        li      $t1, -7
        li      $t2, 2
        ddiv    $t1, $t2                # DDIV -7 / 2
        mflo    $t0
        sd      $t0, 336($s0)           # slot 42: LO
        mfhi    $t0
        sd      $t0, 344($s0)           # slot 43: HI

        li      $t1, 5
        move    $t2, $zero
        ddiv    $t1, $t2                # DDIV 5 / 0
        mflo    $t0
        sd      $t0, 352($s0)           # slot 44: LO
        mfhi    $t0
        sd      $t0, 360($s0)           # slot 45: HI

        move    $t1, $t4
        move    $t2, $zero
        ddiv    $t1, $t2                # DDIV MIN / 0
        mflo    $t0
        sd      $t0, 368($s0)           # slot 46: LO
        mfhi    $t0
        sd      $t0, 376($s0)           # slot 47: HI

        li      $t1, -1
        li      $t2, 0x10
        ddivu   $t1, $t2                # DDIVU 0xFFFFFFFFFFFFFFFF / 0x10
        mflo    $t0
        sd      $t0, 384($s0)           # slot 48: LO
        mfhi    $t0
        sd      $t0, 392($s0)           # slot 49: HI

        li      $t1, -1
        ld      $t2, K_FFFFFFFF - pool($s2)
        ddivu   $t1, $t2                # DDIVU 0xFFFFFFFFFFFFFFFF / 0xFFFFFFFF
        mflo    $t0
        sd      $t0, 400($s0)           # slot 50: LO
        mfhi    $t0
        sd      $t0, 408($s0)           # slot 51: HI

        move    $t1, $t6
        move    $t2, $zero
        ddivu   $t1, $t2                # DDIVU C / 0
        mflo    $t0
        sd      $t0, 416($s0)           # slot 52: LO
        mfhi    $t0
        sd      $t0, 424($s0)           # slot 53: HI

# --- MTLO/MTHI move all 64 bits.
        mtlo    $t5
        mthi    $t6
        mflo    $t0
        sd      $t0, 432($s0)           # slot 54: LO after MTLO B
        mfhi    $t0
        sd      $t0, 440($s0)           # slot 55: HI after MTHI C

        ld      $t0, 0($s3)
        sd      $t0, 448($s0)           # slot 56: exceptions (none expected)

done:   j       done
        nop

        .include "handler.inc"  # copied to 0x80000180 by the prelude

        .align  3
pool:
K_MIN:          .dword 0x8000000000000000
K_B:            .dword 0x0123456789ABCDEF
K_C:            .dword 0xFEDCBA9876543210
K_2_32:         .dword 0x0000000100000000
K_FFFFFFFF:     .dword 0x00000000FFFFFFFF
pool_end:
