# exception.s: exception delivery and return -- SYSCALL, BREAK, traps,
# integer overflow and address errors, in and out of branch delay slots:
# ExcCode, Cause.BD, EPC, BadVAddr, Status.EXL, and ERET.
#
# Built into the .z64 of the same name by `go generate ./roms/...`;
# roms/testdata_test.go runs it and checks every result slot against a table
# worked out by hand from the VR4300 manual.
#
# Start-up, memory layout and registers: prelude.inc.

        .include "prelude.inc"

        li      $t0, 0x34000000
        mtc0    $t0, Status             # the boot's value, made explicit
        move    $s7, $zero              # the handler's instruction after ERET would count here

# --- SYSCALL; the handler runs with EXL set and ERET clears it.
        li      $t0, 1
sys1:   syscall
        li      $t0, 2                  # the handler returns here (EPC+4)
        sd      $t0, 0($s0)             # slot 0: $t0 after the return
        ld      $t0, 24($s3)
        sd      $t0, 8($s0)             # slot 1: Status seen by the handler
        mfc0    $t0, Status
        sd      $t0, 16($s0)            # slot 2: Status after ERET
        jal     save_exc
        addiu   $a0, $s0, 24            # slots 3-6

# --- BREAK.
brk1:   break   5
        jal     save_exc
        addiu   $a0, $s0, 56            # slots 7-10

# --- Traps: taken and not taken.
        li      $t1, 7
teq1:   teq     $t1, $t1                # 7 == 7: trap
        jal     save_exc
        addiu   $a0, $s0, 88            # slots 11-14
        li      $t2, -1
        tne     $t1, $t1                # 7 != 7: no trap
        tgei    $t2, 0                  # -1 >= 0 (signed): no trap
        tgeu    $zero, $t2              # 0 >= 0xFFFFFFFFFFFFFFFF (unsigned): no trap
        tltu    $t2, $t1                # 0xFFFFFFFFFFFFFFFF < 7 (unsigned): no trap
        ld      $t0, 0($s3)
        sd      $t0, 120($s0)           # slot 15: exceptions from the four above
        li      $t1, 5
tltiu1: tltiu   $t1, -1                 # 5 < 0xFFFFFFFFFFFFFFFF (unsigned): trap
        jal     save_exc
        addiu   $a0, $s0, 128           # slots 16-19
tge1:   tge     $t1, $t2                # 5 >= -1 (signed): trap
        jal     save_exc
        addiu   $a0, $s0, 160           # slots 20-23

# --- Integer overflow: the destination keeps its value.
        li      $t1, 0x7FFFFFFF
        li      $t0, 0x1234
ov1:    add     $t0, $t1, $t1
        sd      $t0, 192($s0)           # slot 24: $t0 after the faulting ADD
        jal     save_exc
        addiu   $a0, $s0, 200           # slots 25-28
        ld      $t1, K_MAX - pool($s2)
        li      $t0, 0x1234
ov2:    daddi   $t0, $t1, 1
        sd      $t0, 232($s0)           # slot 29: $t0 after the faulting DADDI
        jal     save_exc
        addiu   $a0, $s0, 240           # slots 30-33

# --- Exceptions in delay slots: EPC is the branch, Cause.BD is set. The
# --- handler returns to EPC+8, which is each branch's target here.
bd1:    beq     $zero, $zero, bd1_t     # taken
        syscall
bd1_t:  jal     save_exc
        addiu   $a0, $s0, 272           # slots 34-37
bd2:    bne     $zero, $zero, bd2_t     # not taken: its delay slot still runs
        break
bd2_t:  jal     save_exc
        addiu   $a0, $s0, 304           # slots 38-41
bd3:    j       bd3_t
        teq     $zero, $zero
bd3_t:  jal     save_exc
        addiu   $a0, $s0, 336           # slots 42-45
        li      $t1, 0x7FFFFFFF
        li      $t0, 0x1234
bd4:    beql    $zero, $zero, bd4_t     # likely, taken: its delay slot runs
        add     $t0, $t1, $t1
bd4_t:  jal     save_exc
        addiu   $a0, $s0, 368           # slots 46-49
sys2:   syscall                         # not in a delay slot: BD clear again
        jal     save_exc
        addiu   $a0, $s0, 400           # slots 50-53

# --- Address errors: misaligned data accesses; BadVAddr holds the address.
        li      $t0, 0x1234
ade1:   lw      $t0, 1($s1)
        sd      $t0, 432($s0)           # slot 54: $t0 after the faulting LW
        ld      $t0, 32($s3)
        sd      $t0, 440($s0)           # slot 55: BadVAddr
        jal     save_exc
        addiu   $a0, $s0, 448           # slots 56-59
        sd      $zero, 0($s1)
        li      $t0, -1
ade2:   sh      $t0, 3($s1)
        ld      $t0, 0($s1)
        sd      $t0, 480($s0)           # slot 60: SCR[0:8] after the faulting SH
        ld      $t0, 32($s3)
        sd      $t0, 488($s0)           # slot 61: BadVAddr
        jal     save_exc
        addiu   $a0, $s0, 496           # slots 62-65

# --- ERET has no delay slot: the instruction after it never ran.
        sd      $s7, 528($s0)           # slot 66: $s7
        ld      $t0, 0($s3)
        sd      $t0, 536($s0)           # slot 67: exceptions not saved by save_exc

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
K_MAX:          .dword 0x7FFFFFFFFFFFFFFF
pool_end:
