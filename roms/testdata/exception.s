# exception.s: exception delivery and return -- SYSCALL, BREAK, traps,
# integer overflow and address errors, in and out of branch delay slots:
# ExcCode, Cause.BD, EPC, BadVAddr, Status.EXL, and ERET.
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
K_MAX:          .dword 0x7FFFFFFFFFFFFFFF
pool_end:
