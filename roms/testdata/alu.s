# alu.s: 32- and 64-bit integer arithmetic, overflow exceptions, immediates
# and sign extension.
#
# Built into the .z64 of the same name by `go generate ./roms/...`;
# roms/testdata_test.go runs it and checks every result slot against a table
# worked out by hand from the VR4300 manual.
#
# Start-up, memory layout and registers: prelude.inc.

        .include "prelude.inc"

# --- 32-bit add/subtract: the 32-bit result is sign-extended to 64 bits;
# --- the U forms never trap.
        li      $t1, 0x7FFFFFFF
        li      $t2, 1
        addu    $t0, $t1, $t2
        sd      $t0, 0($s0)             # slot 0: ADDU 0x7FFFFFFF+1
        li      $t1, 0x80000000
        addu    $t0, $t1, $t1
        sd      $t0, 8($s0)             # slot 1: ADDU 0x80000000+0x80000000
        li      $t1, 0x7FFFFFFF
        addiu   $t0, $t1, 1
        sd      $t0, 16($s0)            # slot 2: ADDIU 0x7FFFFFFF+1
        addiu   $t0, $zero, -1
        sd      $t0, 24($s0)            # slot 3: ADDIU $zero, -1
        li      $t1, 0x80000000
        subu    $t0, $t1, $t2
        sd      $t0, 32($s0)            # slot 4: SUBU 0x80000000-1
        subu    $t0, $zero, $t2
        sd      $t0, 40($s0)            # slot 5: SUBU 0-1
        li      $t1, 0x40000000
        li      $t3, 0x3FFFFFFF
        add     $t0, $t1, $t3
        sd      $t0, 48($s0)            # slot 6: ADD 0x40000000+0x3FFFFFFF
        li      $t1, -1
        add     $t0, $t1, $t1
        sd      $t0, 56($s0)            # slot 7: ADD -1+-1
        ld      $t0, 0($s3)
        sd      $t0, 64($s0)            # slot 8: exceptions so far

# --- 32-bit overflow: ADD/ADDI/SUB raise Ov and leave the destination alone.
        li      $t1, 0x7FFFFFFF         # $t2 = 1
        li      $t0, 0x1234
add_ov: add     $t0, $t1, $t2
        sd      $t0, 72($s0)            # slot 9: $t0 after the faulting ADD
        jal     save_exc
        addiu   $a0, $s0, 80            # slots 10-13
        li      $t0, 0x1234
addi_ov:
        addi    $t0, $t1, 1
        sd      $t0, 112($s0)           # slot 14: $t0 after the faulting ADDI
        jal     save_exc
        addiu   $a0, $s0, 120           # slots 15-18
        li      $t1, 0x80000000
        li      $t0, 0x1234
sub_ov: sub     $t0, $t1, $t2
        sd      $t0, 152($s0)           # slot 19: $t0 after the faulting SUB
        jal     save_exc
        addiu   $a0, $s0, 160           # slots 20-23

# --- 64-bit add/subtract: no sign extension from bit 31, overflow at bit 63.
        li      $t1, 0x7FFFFFFF
        daddu   $t0, $t1, $t2
        sd      $t0, 192($s0)           # slot 24: DADDU 0x7FFFFFFF+1
        li      $t1, -1
        daddu   $t0, $t1, $t2
        sd      $t0, 200($s0)           # slot 25: DADDU -1+1
        ld      $t1, K_8000_0000 - pool($s2)
        daddiu  $t0, $t1, -1
        sd      $t0, 208($s0)           # slot 26: DADDIU 0x80000000-1
        ld      $t1, K_MIN - pool($s2)
        dsubu   $t0, $t1, $t2
        sd      $t0, 216($s0)           # slot 27: DSUBU MIN-1
        li      $t1, 0x7FFFFFFF
        dadd    $t0, $t1, $t2
        sd      $t0, 224($s0)           # slot 28: DADD 0x7FFFFFFF+1
        ld      $t0, 0($s3)
        sd      $t0, 232($s0)           # slot 29: exceptions since slot 20
        ld      $t1, K_MAX - pool($s2)
        li      $t0, 0x1234
dadd_ov:
        dadd    $t0, $t1, $t2
        sd      $t0, 240($s0)           # slot 30: $t0 after the faulting DADD
        jal     save_exc
        addiu   $a0, $s0, 248           # slots 31-34
        ld      $t1, K_MIN - pool($s2)
        li      $t0, 0x1234
daddi_ov:
        daddi   $t0, $t1, -1
        sd      $t0, 280($s0)           # slot 35: $t0 after the faulting DADDI
        jal     save_exc
        addiu   $a0, $s0, 288           # slots 36-39
        li      $t0, 0x1234
dsub_ov:
        dsub    $t0, $t1, $t2
        sd      $t0, 320($s0)           # slot 40: $t0 after the faulting DSUB
        jal     save_exc
        addiu   $a0, $s0, 328           # slots 41-44

# --- Immediates: LUI and the arithmetic ones sign-extend, the logical ones
# --- zero-extend; comparisons.
        lui     $t0, 0x8000
        sd      $t0, 360($s0)           # slot 45: LUI 0x8000
        lui     $t0, 0x7FFF
        sd      $t0, 368($s0)           # slot 46: LUI 0x7FFF
        ori     $t0, $zero, 0x8000
        sd      $t0, 376($s0)           # slot 47: ORI $zero, 0x8000
        li      $t1, -1
        andi    $t0, $t1, 0xFFFF
        sd      $t0, 384($s0)           # slot 48: ANDI -1, 0xFFFF
        xori    $t0, $t1, 0x00FF
        sd      $t0, 392($s0)           # slot 49: XORI -1, 0x00FF
        li      $t1, -2
        slti    $t0, $t1, -1
        sd      $t0, 400($s0)           # slot 50: SLTI -2 < -1
        slti    $t0, $t2, -1
        sd      $t0, 408($s0)           # slot 51: SLTI 1 < -1
        li      $t1, 5
        sltiu   $t0, $t1, -1
        sd      $t0, 416($s0)           # slot 52: SLTIU 5, -1
        li      $t1, 0x80000000
        sltiu   $t0, $t1, 0x7FFF
        sd      $t0, 424($s0)           # slot 53: SLTIU 0xFFFFFFFF80000000, 0x7FFF
        li      $t3, 0x7FFFFFFF
        slt     $t0, $t1, $t3
        sd      $t0, 432($s0)           # slot 54: SLT 0xFFFFFFFF80000000 < 0x7FFFFFFF
        sltu    $t0, $t1, $t3
        sd      $t0, 440($s0)           # slot 55: SLTU, same operands
        ld      $t1, K_1_0000_0000 - pool($s2)
        slt     $t0, $t1, $t3
        sd      $t0, 448($s0)           # slot 56: SLT 0x100000000 < 0x7FFFFFFF
        nor     $t0, $zero, $zero
        sd      $t0, 456($s0)           # slot 57: NOR 0, 0

# --- 64-bit logic, and $zero.
        ld      $t1, K_B - pool($s2)
        ld      $t3, K_C - pool($s2)
        xor     $t0, $t1, $t3
        sd      $t0, 464($s0)           # slot 58: XOR B, C
        ld      $t3, K_HI32 - pool($s2)
        and     $t0, $t1, $t3
        sd      $t0, 472($s0)           # slot 59: AND B, 0xFFFFFFFF00000000
        ld      $t3, K_MIN - pool($s2)
        or      $t0, $t1, $t3
        sd      $t0, 480($s0)           # slot 60: OR B, 0x8000000000000000
        addiu   $zero, $zero, 5
        move    $t0, $zero
        sd      $t0, 488($s0)           # slot 61: $zero after a write to it
        ld      $t0, 0($s3)
        sd      $t0, 496($s0)           # slot 62: exceptions not saved by save_exc

done:   j       done
        nop

# save_exc: copy the exception record to the four result slots at $a0 --
# count, ExcCode (Cause bits 6..2), BD (Cause bit 31), EPC -- and clear it.
save_exc:
        ld      $t8, 0($s3)
        sd      $t8, 0($a0)
        ld      $t8, 8($s3)
        srl     $t9, $t8, 2
        andi    $t9, $t9, 0x1F
        sd      $t9, 8($a0)
        srl     $t9, $t8, 31
        sd      $t9, 16($a0)
        ld      $t8, 16($s3)
        sd      $t8, 24($a0)
        sd      $zero, 0($s3)
        sd      $zero, 8($s3)
        jr      $ra
        sd      $zero, 16($s3)

        .include "handler.inc"  # copied to 0x80000180 by the prelude

        .align  3
pool:
K_B:            .dword 0x0123456789ABCDEF
K_C:            .dword 0xFEDCBA9876543210
K_MIN:          .dword 0x8000000000000000
K_MAX:          .dword 0x7FFFFFFFFFFFFFFF
K_HI32:         .dword 0xFFFFFFFF00000000
K_8000_0000:    .dword 0x0000000080000000
K_1_0000_0000:  .dword 0x0000000100000000
pool_end:
