# unaligned.s: loads and stores -- sign and zero extension of LB..LWU, the
# partial stores SB/SH/SW, and LWL/LWR/SWL/SWR/LDL/LDR/SDL/SDR at each byte
# offset, alone and in the pairs that access an unaligned word/doubleword.
#
# Built into the .z64 of the same name by `go generate ./roms/...`;
# roms/testdata_test.go runs it and checks every result slot against a table
# worked out by hand from the VR4300 manual.
#
# Start-up, memory layout and registers: prelude.inc.

        .include "prelude.inc"

        ld      $t8, K_D0 - pool($s2)   # D0 = 0x0011223344556677
        ld      $t9, K_D1 - pool($s2)   # D1 = 0x8899AABBCCDDEEFF
        ld      $t7, K_R - pool($s2)    # R  = 0x0123456789ABCDEF
        li      $t6, 0x01234567         # R32
        sd      $t8, 0($s1)             # SCR+0:  00 11 22 33 44 55 66 77
        sd      $t9, 8($s1)             # SCR+8:  88 99 AA BB CC DD EE FF

# --- Aligned loads: LB/LH/LW sign-extend, LBU/LHU/LWU zero-extend.
        lb      $t0, 8($s1)
        sd      $t0, 0($s0)             # slot 0: LB of 0x88
        lbu     $t0, 8($s1)
        sd      $t0, 8($s0)             # slot 1: LBU of 0x88
        lh      $t0, 8($s1)
        sd      $t0, 16($s0)            # slot 2: LH of 0x8899
        lhu     $t0, 8($s1)
        sd      $t0, 24($s0)            # slot 3: LHU of 0x8899
        lw      $t0, 8($s1)
        sd      $t0, 32($s0)            # slot 4: LW of 0x8899AABB
        lwu     $t0, 8($s1)
        sd      $t0, 40($s0)            # slot 5: LWU of 0x8899AABB
        lb      $t0, 1($s1)
        sd      $t0, 48($s0)            # slot 6: LB of 0x11
        ld      $t0, 8($s1)
        sd      $t0, 56($s0)            # slot 7: LD of D1
        lw      $t0, 4($s1)
        daddu   $t1, $t0, $t0           # uses the load at once: no load delay slot
        sd      $t1, 64($s0)            # slot 8: 0x44556677 + itself

# --- SB/SH/SW store the low byte/half/word of the register. SCR+16 is reset
# --- to D0 before each store, then read back whole.
        sd      $t8, 16($s1)
        sb      $t9, 17($s1)
        ld      $t0, 16($s1)
        sd      $t0, 72($s0)            # slot 9: SB D1 at +1
        sd      $t8, 16($s1)
        sh      $t9, 18($s1)
        ld      $t0, 16($s1)
        sd      $t0, 80($s0)            # slot 10: SH D1 at +2
        sd      $t8, 16($s1)
        sw      $t9, 20($s1)
        ld      $t0, 16($s1)
        sd      $t0, 88($s0)            # slot 11: SW D1 at +4

# --- LWL/LWR on the word 88 99 AA BB at SCR+8, into $t0 = R32 = 0x01234567.
        move    $t0, $t6
        lwl     $t0, 8($s1)
        sd      $t0, 96($s0)            # slot 12: LWL at offset 0
        move    $t0, $t6
        lwl     $t0, 9($s1)
        sd      $t0, 104($s0)           # slot 13: LWL at offset 1
        move    $t0, $t6
        lwl     $t0, 10($s1)
        sd      $t0, 112($s0)           # slot 14: LWL at offset 2
        move    $t0, $t6
        lwl     $t0, 11($s1)
        sd      $t0, 120($s0)           # slot 15: LWL at offset 3
        move    $t0, $t6
        lwr     $t0, 8($s1)
        sd      $t0, 128($s0)           # slot 16: LWR at offset 0
        move    $t0, $t6
        lwr     $t0, 9($s1)
        sd      $t0, 136($s0)           # slot 17: LWR at offset 1
        move    $t0, $t6
        lwr     $t0, 10($s1)
        sd      $t0, 144($s0)           # slot 18: LWR at offset 2
        move    $t0, $t6
        lwr     $t0, 11($s1)
        sd      $t0, 152($s0)           # slot 19: LWR at offset 3
        li      $t0, 0xCAFEBABE
        lwl     $t0, 1($s1)
        sd      $t0, 160($s0)           # slot 20: LWL at SCR+1 into 0xFFFFFFFFCAFEBABE
        lwl     $t0, 5($s1)
        lwr     $t0, 8($s1)
        sd      $t0, 168($s0)           # slot 21: LWL+LWR: the word at SCR+5
        lwl     $t0, 10($s1)
        lwr     $t0, 13($s1)
        sd      $t0, 176($s0)           # slot 22: LWL+LWR: the word at SCR+10

# --- SWL/SWR of $t9 (low word 0xCCDDEEFF) into the second word of D0 at
# --- SCR+16, reset before each store.
        sd      $t8, 16($s1)
        swl     $t9, 20($s1)
        ld      $t0, 16($s1)
        sd      $t0, 184($s0)           # slot 23: SWL at offset 0
        sd      $t8, 16($s1)
        swl     $t9, 21($s1)
        ld      $t0, 16($s1)
        sd      $t0, 192($s0)           # slot 24: SWL at offset 1
        sd      $t8, 16($s1)
        swl     $t9, 22($s1)
        ld      $t0, 16($s1)
        sd      $t0, 200($s0)           # slot 25: SWL at offset 2
        sd      $t8, 16($s1)
        swl     $t9, 23($s1)
        ld      $t0, 16($s1)
        sd      $t0, 208($s0)           # slot 26: SWL at offset 3
        sd      $t8, 16($s1)
        swr     $t9, 20($s1)
        ld      $t0, 16($s1)
        sd      $t0, 216($s0)           # slot 27: SWR at offset 0
        sd      $t8, 16($s1)
        swr     $t9, 21($s1)
        ld      $t0, 16($s1)
        sd      $t0, 224($s0)           # slot 28: SWR at offset 1
        sd      $t8, 16($s1)
        swr     $t9, 22($s1)
        ld      $t0, 16($s1)
        sd      $t0, 232($s0)           # slot 29: SWR at offset 2
        sd      $t8, 16($s1)
        swr     $t9, 23($s1)
        ld      $t0, 16($s1)
        sd      $t0, 240($s0)           # slot 30: SWR at offset 3
        sd      $t8, 16($s1)
        swl     $t9, 17($s1)
        swr     $t9, 20($s1)
        ld      $t0, 16($s1)
        sd      $t0, 248($s0)           # slot 31: SWL+SWR: the word at SCR+17

# --- LDL/LDR on D1 at SCR+8, into $t0 = R = 0x0123456789ABCDEF.
        move    $t0, $t7
        ldl     $t0, 8($s1)
        sd      $t0, 256($s0)           # slot 32: LDL at offset 0
        move    $t0, $t7
        ldl     $t0, 9($s1)
        sd      $t0, 264($s0)           # slot 33: LDL at offset 1
        move    $t0, $t7
        ldl     $t0, 10($s1)
        sd      $t0, 272($s0)           # slot 34: LDL at offset 2
        move    $t0, $t7
        ldl     $t0, 11($s1)
        sd      $t0, 280($s0)           # slot 35: LDL at offset 3
        move    $t0, $t7
        ldl     $t0, 12($s1)
        sd      $t0, 288($s0)           # slot 36: LDL at offset 4
        move    $t0, $t7
        ldl     $t0, 13($s1)
        sd      $t0, 296($s0)           # slot 37: LDL at offset 5
        move    $t0, $t7
        ldl     $t0, 14($s1)
        sd      $t0, 304($s0)           # slot 38: LDL at offset 6
        move    $t0, $t7
        ldl     $t0, 15($s1)
        sd      $t0, 312($s0)           # slot 39: LDL at offset 7
        move    $t0, $t7
        ldr     $t0, 8($s1)
        sd      $t0, 320($s0)           # slot 40: LDR at offset 0
        move    $t0, $t7
        ldr     $t0, 9($s1)
        sd      $t0, 328($s0)           # slot 41: LDR at offset 1
        move    $t0, $t7
        ldr     $t0, 10($s1)
        sd      $t0, 336($s0)           # slot 42: LDR at offset 2
        move    $t0, $t7
        ldr     $t0, 11($s1)
        sd      $t0, 344($s0)           # slot 43: LDR at offset 3
        move    $t0, $t7
        ldr     $t0, 12($s1)
        sd      $t0, 352($s0)           # slot 44: LDR at offset 4
        move    $t0, $t7
        ldr     $t0, 13($s1)
        sd      $t0, 360($s0)           # slot 45: LDR at offset 5
        move    $t0, $t7
        ldr     $t0, 14($s1)
        sd      $t0, 368($s0)           # slot 46: LDR at offset 6
        move    $t0, $t7
        ldr     $t0, 15($s1)
        sd      $t0, 376($s0)           # slot 47: LDR at offset 7
        ldl     $t0, 3($s1)
        ldr     $t0, 10($s1)
        sd      $t0, 384($s0)           # slot 48: LDL+LDR: the doubleword at SCR+3

# --- SDL/SDR of D1 into D0 at SCR+16, reset before each store.
        sd      $t8, 16($s1)
        sdl     $t9, 16($s1)
        ld      $t0, 16($s1)
        sd      $t0, 392($s0)           # slot 49: SDL at offset 0
        sd      $t8, 16($s1)
        sdl     $t9, 17($s1)
        ld      $t0, 16($s1)
        sd      $t0, 400($s0)           # slot 50: SDL at offset 1
        sd      $t8, 16($s1)
        sdl     $t9, 18($s1)
        ld      $t0, 16($s1)
        sd      $t0, 408($s0)           # slot 51: SDL at offset 2
        sd      $t8, 16($s1)
        sdl     $t9, 19($s1)
        ld      $t0, 16($s1)
        sd      $t0, 416($s0)           # slot 52: SDL at offset 3
        sd      $t8, 16($s1)
        sdl     $t9, 20($s1)
        ld      $t0, 16($s1)
        sd      $t0, 424($s0)           # slot 53: SDL at offset 4
        sd      $t8, 16($s1)
        sdl     $t9, 21($s1)
        ld      $t0, 16($s1)
        sd      $t0, 432($s0)           # slot 54: SDL at offset 5
        sd      $t8, 16($s1)
        sdl     $t9, 22($s1)
        ld      $t0, 16($s1)
        sd      $t0, 440($s0)           # slot 55: SDL at offset 6
        sd      $t8, 16($s1)
        sdl     $t9, 23($s1)
        ld      $t0, 16($s1)
        sd      $t0, 448($s0)           # slot 56: SDL at offset 7
        sd      $t8, 16($s1)
        sdr     $t9, 16($s1)
        ld      $t0, 16($s1)
        sd      $t0, 456($s0)           # slot 57: SDR at offset 0
        sd      $t8, 16($s1)
        sdr     $t9, 17($s1)
        ld      $t0, 16($s1)
        sd      $t0, 464($s0)           # slot 58: SDR at offset 1
        sd      $t8, 16($s1)
        sdr     $t9, 18($s1)
        ld      $t0, 16($s1)
        sd      $t0, 472($s0)           # slot 59: SDR at offset 2
        sd      $t8, 16($s1)
        sdr     $t9, 19($s1)
        ld      $t0, 16($s1)
        sd      $t0, 480($s0)           # slot 60: SDR at offset 3
        sd      $t8, 16($s1)
        sdr     $t9, 20($s1)
        ld      $t0, 16($s1)
        sd      $t0, 488($s0)           # slot 61: SDR at offset 4
        sd      $t8, 16($s1)
        sdr     $t9, 21($s1)
        ld      $t0, 16($s1)
        sd      $t0, 496($s0)           # slot 62: SDR at offset 5
        sd      $t8, 16($s1)
        sdr     $t9, 22($s1)
        ld      $t0, 16($s1)
        sd      $t0, 504($s0)           # slot 63: SDR at offset 6
        sd      $t8, 16($s1)
        sdr     $t9, 23($s1)
        ld      $t0, 16($s1)
        sd      $t0, 512($s0)           # slot 64: SDR at offset 7
        sd      $t8, 16($s1)
        sd      $t8, 24($s1)
        sdl     $t9, 19($s1)
        sdr     $t9, 26($s1)
        ld      $t0, 16($s1)
        sd      $t0, 520($s0)           # slot 65: SDL+SDR: the doubleword at SCR+19, first half
        ld      $t0, 24($s1)
        sd      $t0, 528($s0)           # slot 66: SDL+SDR: the doubleword at SCR+19, second half

        ld      $t0, 0($s3)
        sd      $t0, 536($s0)           # slot 67: exceptions (none expected)

done:   j       done
        nop

        .include "handler.inc"  # copied to 0x80000180 by the prelude

        .align  3
pool:
K_D0:           .dword 0x0011223344556677
K_D1:           .dword 0x8899AABBCCDDEEFF
K_R:            .dword 0x0123456789ABCDEF
pool_end:
