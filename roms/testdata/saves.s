# saves.s: finds the cartridge's save memory and a Controller Pak in port 1,
# writes them and reads them back through their real protocols, and shows
# PASS or FAIL for every check on the screen and on the ISViewer.
# cmd/n64/saverom_test.go runs it for each save type and twice with the
# same save folder (the second boot checks what the first one left).
#
# Protocols:
#   EEPROM 4K/16K  joybus channel 4 through PIF RAM (joybus.inc): 0x00 info
#                  (type 0x0080 = 4 Kbit, 0x00C0 = 16 Kbit, then a status
#                  byte whose 0x80 bit is "write in progress"), 0x04 read
#                  block (TX 2, RX 8), 0x05 write block (TX 10, RX 1)
#                  (n64brew "Joybus Protocol", "EEPROM")
#   SRAM           PI DMA to and from 0x0800_0000, domain 2 timing LAT 5,
#                  PWD 0x0C, PGS 0x0D, RLS 2 (libultra osSramInit)
#   FlashRAM       32-bit commands written to 0x0801_0000, the status word
#                  read at 0x0800_0000 (libultra os_flash.h, osFlash*.c):
#                  0xE1 identify (an 8-byte DMA gives 0x11118001 and the
#                  silicon ID), 0x4B|page + 0x78 erase the page's 16 KiB
#                  sector, 0xB4 + a 128-byte DMA to 0x0800_0000 fill the page
#                  buffer and 0xA5|page programs it, 0xF0 read array (page
#                  n at 0x0800_0000 + n*64 on the MX29L1100 and older, n*128
#                  on 0x00C2001D and 0x003200F1 chips: libultra
#                  __osFlashGetAddr), 0xD2 status mode; status bit 1 is
#                  "erase busy", bit 0 "program busy", bit 3 "erase OK",
#                  bit 2 "program OK"; after each operation the status is
#                  cleared (0xD2, then 0 written to 0x0800_0000). PI domain 2
#                  timing LAT 5, PWD 0x0C, PGS 0x0F, RLS 2
#   Controller Pak joybus channel 0: 0x00 info (status bit 0x01 = pak
#                  present, 0x04 = the last address CRC was wrong), 0x02
#                  read and 0x03 write 32 bytes at an address whose low 5
#                  bits are a CRC of its bits 15-5 (polynomial 0x15); the
#                  pak answers a CRC-8 (polynomial 0x85) of the data
#                  (n64brew "Joybus Protocol", "Controller Pak")
#
# Detection, in this order: an EEPROM answering info on channel 4; a flash
# identifying itself after 0xE1; SRAM keeping 8 bytes written at offset 0
# (the flash command write lands in SRAM's offset 0 too, so nothing lives
# there); else none. A pak is a Controller Pak when port 1's info status
# has bit 0x01.
#
# Persistence: each device keeps a 16-byte record -- "N64G", the boot
# number n, f(n) = n * 0x9E3779B1 ^ 0x5A5AA5A5, ~f(n) -- in EEPROM blocks 4
# and 5, at SRAM offset 0x100, in flash page 1, at pak address 0x0600. A
# boot reads the records first: none is "NEW"; one that is whole and
# numbered one less than this boot is "PERSIST: PASS". This boot is one
# more than the highest record found. The test data depends on the boot
# number, so data left by an earlier boot never passes for this one's.
#
# Output: one line per item on the screen (text.inc) and the same line on
# the ISViewer: "CART: <type>", "MEMPAK: PRESENT|NONE", "BOOT: <hex>",
# "<check>: PASS|FAIL", finally "RESULT: PASS", "RESULT: FAIL" or
# "RESULT: NO CHECKS".
#
# Memory (kseg1): FB 0xA0100000; PIF buffers and variables at 0xA0180000;
# BUF and BUF2, 32 KiB each, at 0xA0190000 and 0xA01A0000; the stack below
# 0xA01F0000, ram_code (the PI routines) at 0xA01F0000. Registers kept: $s0 boot number, $s1 cart type (0 none,
# 1 EEPROM 4K, 2 EEPROM 16K, 3 SRAM, 4 flash), $s2 pak present, $s3 flash
# bytes per page in read mode, $s4 checks, $s5 failures, $s7 screen row,
# $gp the framebuffer.

        .equ FB, 0xA0100000
        .equ PIFCMD, 0xA0180000
        .equ PIFRESP, 0xA0180040
        .equ ISVPOS, 0xA0180080
        .equ VARS, 0xA0180088           # +0 cart record state, +4 count, +8 pak state, +12 count, +16 flash ID
        .equ REC, 0xA0180100            # 32 bytes: a record as read
        .equ RECW, 0xA0180180           # 128 bytes: a record to write
        .equ BUF, 0xA0190000
        .equ BUF2, 0xA01A0000
        .equ STACK, 0xA01F0000
        .equ RAMCODE, 0xA01F0000        # ram_code runs here (above the stack)
        .equ PI, 0xA4600000
        .equ SAVE, 0xA8000000           # 0x0800_0000 through kseg1
        .equ FLASHCMD, 0xA8010000
        .equ MAGIC, 0x4E363447          # "N64G"
        .equ BG, 0x0843
        .equ WHITE, 0xFFFF
        .equ GREEN, 0x07C1
        .equ RED, 0xF801
        .equ EEP_TIMEOUT, 2343750       # 50 ms of CP0 Count (46.875 MHz)
        .equ FLASH_TIMEOUT, 46875000    # 1 s

start:
        la      $t1, ram_code           # the PI routines to RDRAM
        la      $t2, ram_code_end
        la      $t3, RAMCODE
rc_copy:
        lw      $t0, 0($t1)
        sw      $t0, 0($t3)
        addiu   $t1, $t1, 4
        bne     $t1, $t2, rc_copy
        addiu   $t3, $t3, 4
        la      $sp, STACK
        la      $gp, FB
        la      $t0, ISVPOS
        sw      $zero, 0($t0)
        jal     video_init
        move    $a0, $gp
        jal     fill
        li      $a0, BG
        li      $s7, 1
        move    $s4, $zero
        move    $s5, $zero
        la      $a0, s_title
        jal     info
        nop
        addiu   $s7, $s7, 1

# --- What is there.
        jal     detect
        nop
        move    $s1, $v0
        sll     $t0, $s1, 2
        la      $t1, type_names
        addu    $t1, $t1, $t0
        lw      $a1, 0($t1)
        la      $a0, s_cart
        jal     info2
        nop
        li      $t0, 4
        bne     $s1, $t0, no_flash_id
        nop
        la      $t0, VARS
        ld      $a1, 16($t0)
        la      $a0, s_flashid
        jal     info_hex
        li      $a2, 16
no_flash_id:
        jal     pak_status
        nop
        move    $s2, $zero
        bltz    $v0, pak_known
        andi    $t0, $v0, 1
        move    $s2, $t0
pak_known:
        la      $a0, s_pak
        la      $a1, s_none
        beqz    $s2, pak_print
        nop
        la      $a1, s_present
pak_print:
        jal     info2
        nop

# --- The records left by earlier boots.
        li      $s0, 1
        la      $s6, VARS
        sw      $zero, 0($s6)
        sw      $zero, 8($s6)
        beqz    $s1, no_cart_rec
        nop
        jal     cart_read_record
        nop
        la      $a0, REC
        jal     check_record
        nop
        sw      $v0, 0($s6)
        sw      $v1, 4($s6)
        jal     bump_boot
        nop
no_cart_rec:
        beqz    $s2, no_pak_rec
        nop
        li      $a0, 0x0600
        la      $a1, REC
        jal     pak_read
        nop
        la      $a0, REC
        jal     check_record
        nop
        sw      $v0, 8($s6)
        sw      $v1, 12($s6)
        jal     bump_boot
        nop
no_pak_rec:
        la      $a0, s_boot
        move    $a1, $s0
        jal     info_hex
        li      $a2, 4
        beqz    $s1, no_cart_persist
        nop
        lw      $a0, 0($s6)
        lw      $a1, 4($s6)
        la      $a2, s_cart_persist
        jal     persist_report
        nop
no_cart_persist:
        beqz    $s2, no_pak_persist
        nop
        lw      $a0, 8($s6)
        lw      $a1, 12($s6)
        la      $a2, s_pak_persist
        jal     persist_report
        nop
no_pak_persist:

# --- The tests.
        li      $t0, 1
        beq     $s1, $t0, do_eep
        li      $t0, 2
        beq     $s1, $t0, do_eep
        li      $t0, 3
        beq     $s1, $t0, do_sram
        li      $t0, 4
        beq     $s1, $t0, do_flash
        nop
        b       cart_tested
        nop
do_eep: jal     eep_test
        nop
        b       cart_tested
        nop
do_sram:
        jal     sram_test
        nop
        b       cart_tested
        nop
do_flash:
        jal     flash_test
        nop
cart_tested:
        beqz    $s2, pak_tested
        nop
        jal     pak_test
        nop
pak_tested:

# --- This boot's records, read back.
        beqz    $s1, no_cart_write
        nop
        la      $a0, RECW
        jal     make_record
        move    $a1, $s0
        jal     cart_write_record
        nop
        jal     cart_read_record
        nop
        jal     record_is_this_boot
        nop
        la      $a0, s_cart_record
        jal     report
        move    $a1, $v0
no_cart_write:
        beqz    $s2, no_pak_write
        nop
        la      $a0, RECW
        jal     make_record
        move    $a1, $s0
        li      $a0, 0x0600
        la      $a1, RECW
        jal     pak_write
        nop
        li      $a0, 0x0600
        la      $a1, REC
        jal     pak_read
        nop
        jal     record_is_this_boot
        nop
        la      $a0, s_pak_record
        jal     report
        move    $a1, $v0
no_pak_write:

# --- The verdict.
        addiu   $s7, $s7, 1
        la      $a0, s_result
        la      $a1, s_nochecks
        beqz    $s4, verdict
        li      $a3, WHITE
        la      $a1, s_pass
        beqz    $s5, verdict
        li      $a3, GREEN
        la      $a1, s_fail
        li      $a3, RED
verdict:
        jal     info2c
        nop
done:   j       done
        nop

# bump_boot: after check_record ($v0 state, $v1 count): a whole record
# numbered n makes this boot at least n + 1.
bump_boot:
        li      $t0, 1
        bne     $v0, $t0, bb_ret
        addiu   $t1, $v1, 1
        sltu    $t0, $s0, $t1
        beqz    $t0, bb_ret
        nop
        move    $s0, $t1
bb_ret: jr      $ra
        nop

# persist_report: $a0 record state, $a1 its count, $a2 the check's name.
# No record: an info line "<name>: NEW"; else the check, passing when the
# record is whole and numbered this boot - 1.
persist_report:
        bnez    $a0, pr_check
        nop
        move    $a0, $a2
        la      $a1, s_new
        j       info2                   # (tail call)
        nop
pr_check:
        xori    $t0, $a0, 1             # whole
        addiu   $t1, $a1, 1
        xor     $t1, $t1, $s0           # numbered boot - 1
        or      $t0, $t0, $t1
        sltiu   $a1, $t0, 1
        j       report
        move    $a0, $a2

# record_is_this_boot: $v0 = 1 when REC holds a whole record numbered $s0.
record_is_this_boot:
        addiu   $sp, $sp, -16
        sd      $ra, 0($sp)
        la      $a0, REC
        jal     check_record
        nop
        xori    $t0, $v0, 1
        xor     $t1, $v1, $s0
        or      $t0, $t0, $t1
        sltiu   $v0, $t0, 1
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 16

# check_record: the 16 bytes at $a0: $v0 = 0 no record (no magic), 1 whole,
# 2 damaged; $v1 = its count.
check_record:
        lw      $t0, 0($a0)
        li      $t1, MAGIC
        bne     $t0, $t1, cr_none
        lw      $v1, 4($a0)
        li      $t1, 0x9E3779B1
        multu   $v1, $t1
        mflo    $t2
        li      $t1, 0x5A5AA5A5
        xor     $t2, $t2, $t1
        lw      $t0, 8($a0)
        bne     $t0, $t2, cr_bad
        nor     $t2, $t2, $zero
        lw      $t0, 12($a0)
        bne     $t0, $t2, cr_bad
        nop
        jr      $ra
        li      $v0, 1
cr_bad: jr      $ra
        li      $v0, 2
cr_none:
        move    $v1, $zero
        jr      $ra
        move    $v0, $zero

# make_record: 128 bytes at $a0: the record of count $a1, then 0xFF.
make_record:
        li      $t0, MAGIC
        sw      $t0, 0($a0)
        sw      $a1, 4($a0)
        li      $t1, 0x9E3779B1
        multu   $a1, $t1
        mflo    $t2
        li      $t1, 0x5A5AA5A5
        xor     $t2, $t2, $t1
        sw      $t2, 8($a0)
        nor     $t2, $t2, $zero
        sw      $t2, 12($a0)
        addiu   $t0, $a0, 16
        addiu   $t1, $a0, 128
        li      $t2, -1
mr_loop:
        sw      $t2, 0($t0)
        addiu   $t0, $t0, 4
        bne     $t0, $t1, mr_loop
        nop
        jr      $ra
        nop

# --- Output: info ($a0), info2 ($a0 then $a1), info2c (the same, $a1 in
# colour $a3), info_hex ($a0, then the low $a2 hex digits of $a1), report
# (check $a0 passed when $a1 != 0). Each is one screen row and one ISViewer
# line.
info:
        la      $a1, s_empty
info2:
        li      $a3, WHITE
info2c:
        addiu   $sp, $sp, -32
        sd      $ra, 0($sp)
        sd      $a0, 8($sp)
        sd      $a1, 16($sp)
        sd      $a3, 24($sp)
        li      $a1, 1
        move    $a2, $s7
        jal     draw_string
        li      $a3, WHITE
        ld      $a0, 16($sp)
        jal     draw_string
        ld      $a3, 24($sp)
        ld      $a0, 8($sp)
        jal     isv_put
        nop
        ld      $a0, 16($sp)
        jal     isv_put
        nop
        la      $a0, s_nl
        jal     isv_put
        nop
        jal     isv_flush
        nop
        addiu   $s7, $s7, 1
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 32

info_hex:
        addiu   $sp, $sp, -32
        sd      $ra, 0($sp)
        sd      $a0, 8($sp)
        sd      $a1, 16($sp)
        sd      $a2, 24($sp)
        li      $a1, 1
        move    $a2, $s7
        jal     draw_string
        li      $a3, WHITE
        ld      $a0, 16($sp)
        jal     draw_hex
        ld      $v0, 24($sp)
        ld      $a0, 8($sp)
        jal     isv_put
        nop
        ld      $a0, 16($sp)
        jal     isv_hex
        ld      $v0, 24($sp)
        la      $a0, s_nl
        jal     isv_put
        nop
        jal     isv_flush
        nop
        addiu   $s7, $s7, 1
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 32

report:
        addiu   $s4, $s4, 1
        la      $t0, s_cpass
        bnez    $a1, rep_out
        li      $a3, GREEN
        addiu   $s5, $s5, 1
        la      $t0, s_cfail
        li      $a3, RED
rep_out:
        j       info2c
        move    $a1, $t0

# --- Memory helpers (word-aligned, lengths multiples of 4).
# pattern: $a1 bytes at $a0 from a generator seeded with $a2 (the top
# byte of each step of x = x * 1103515245 + 12345).
pattern:
        li      $t1, 1103515245
        move    $t0, $a2
pat_loop:
        multu   $t0, $t1
        mflo    $t0
        addiu   $t0, $t0, 12345
        srl     $t2, $t0, 24
        sb      $t2, 0($a0)
        addiu   $a1, $a1, -1
        bnez    $a1, pat_loop
        addiu   $a0, $a0, 1
        jr      $ra
        nop

# memfill: $a2 bytes at $a0 := the word $a1.
memfill:
        addu    $a2, $a2, $a0
mf_loop:
        sw      $a1, 0($a0)
        addiu   $a0, $a0, 4
        bne     $a0, $a2, mf_loop
        nop
        jr      $ra
        nop

# memeq: $v0 = 1 when the $a2 bytes at $a0 and $a1 are equal.
memeq:
        addu    $a2, $a2, $a0
me_loop:
        lw      $t0, 0($a0)
        lw      $t1, 0($a1)
        bne     $t0, $t1, me_diff
        addiu   $a0, $a0, 4
        bne     $a0, $a2, me_loop
        addiu   $a1, $a1, 4
        jr      $ra
        li      $v0, 1
me_diff:
        jr      $ra
        move    $v0, $zero

# seed: $a2 = this boot's seed for test $a0.
seed:
        sll     $a2, $s0, 8
        jr      $ra
        or      $a2, $a2, $a0

# --- Detection.
detect:
        addiu   $sp, $sp, -16
        sd      $ra, 0($sp)
        jal     eep_status
        nop
        bltz    $v0, det_flash
        srl     $t0, $v0, 8
        li      $t1, 0x0080
        beq     $t0, $t1, det_ret
        li      $v0, 1
        li      $t1, 0x00C0
        beq     $t0, $t1, det_ret
        li      $v0, 2
det_flash:
        jal     pi_dom2
        li      $a0, 0x0F
        lui     $a0, 0xE100
        jal     flash_cmd
        nop
        la      $a0, REC
        li      $a1, 0x08000000
        jal     pi_read
        li      $a2, 8
        la      $t0, REC
        lw      $t1, 0($t0)
        li      $t2, 0x11118001
        bne     $t1, $t2, det_sram
        nop
        ld      $t1, 0($t0)
        la      $t2, VARS
        sd      $t1, 16($t2)            # for the screen
        lw      $t1, 4($t0)             # silicon ID: read-mode page size
        li      $s3, 64
        li      $t2, 0x00C2001D
        beq     $t1, $t2, det_wide
        nop
        li      $t2, 0x003200F1
        bne     $t1, $t2, det_isflash
        nop
det_wide:
        li      $s3, 128
det_isflash:
        lui     $a0, 0xF000
        jal     flash_cmd
        nop
        b       det_ret
        li      $v0, 4
det_sram:
        jal     pi_dom2
        li      $a0, 0x0D
        la      $a0, RECW
        li      $t0, 0x12345678
        sw      $t0, 0($a0)
        li      $t0, 0x9ABCDEF0
        sw      $t0, 4($a0)
        li      $a1, 0x08000000
        jal     pi_write
        li      $a2, 8
        la      $a0, REC
        move    $a1, $zero
        jal     memfill
        li      $a2, 8
        la      $a0, REC
        li      $a1, 0x08000000
        jal     pi_read
        li      $a2, 8
        la      $a0, REC
        la      $a1, RECW
        jal     memeq
        li      $a2, 8
        beqz    $v0, det_ret            # nothing: type 0
        nop
        li      $v0, 3
det_ret:
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 16

# cart_read_record / cart_write_record: REC from, RECW to the cartridge.
cart_read_record:
        addiu   $sp, $sp, -16
        sd      $ra, 0($sp)
        li      $t0, 3
        beq     $s1, $t0, crr_sram
        li      $t0, 4
        beq     $s1, $t0, crr_flash
        nop
        li      $a0, 4
        la      $a1, REC
        jal     eep_read
        nop
        li      $a0, 5
        la      $a1, REC + 8
        jal     eep_read
        nop
        b       crr_ret
        nop
crr_sram:
        la      $a0, REC
        li      $a1, 0x08000100
        jal     pi_read
        li      $a2, 16
        b       crr_ret
        nop
crr_flash:
        li      $a0, 1
        la      $a1, REC
        jal     flash_read
        li      $a2, 16
crr_ret:
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 16

cart_write_record:
        addiu   $sp, $sp, -16
        sd      $ra, 0($sp)
        li      $t0, 3
        beq     $s1, $t0, cwr_sram
        li      $t0, 4
        beq     $s1, $t0, cwr_flash
        nop
        li      $a0, 4
        la      $a1, RECW
        jal     eep_write
        nop
        jal     eep_wait
        nop
        li      $a0, 5
        la      $a1, RECW + 8
        jal     eep_write
        nop
        jal     eep_wait
        nop
        b       cwr_ret
        nop
cwr_sram:
        la      $a0, RECW
        li      $a1, 0x08000100
        jal     pi_write
        li      $a2, 16
        b       cwr_ret
        nop
cwr_flash:
        jal     flash_erase             # sector 0
        move    $a0, $zero
        li      $a0, 1
        la      $a1, RECW
        jal     flash_program
        nop
cwr_ret:
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 16

# --- EEPROM (joybus channel 4: the four controller channels are skipped
# with 0x00 bytes, so the block starts at PIF RAM offset 4).

# eep_status: $v0 = type << 8 | status, or -1 when nothing answers.
eep_status:
        addiu   $sp, $sp, -16
        sd      $ra, 0($sp)
        jal     pif_clear
        nop
        la      $t0, PIFCMD
        li      $t1, 1
        sb      $t1, 4($t0)             # TX 1
        li      $t1, 3
        sb      $t1, 5($t0)             # RX 3, command 0x00 at 6
        li      $t1, 0xFE
        sb      $t1, 10($t0)
        jal     pif_run
        nop
        la      $t0, PIFRESP
        lbu     $t1, 5($t0)
        andi    $t1, $t1, 0xC0
        bnez    $t1, es_ret
        li      $v0, -1
        lbu     $v0, 7($t0)
        lbu     $t1, 8($t0)
        sll     $v0, $v0, 8
        or      $v0, $v0, $t1
        lbu     $t1, 9($t0)
        sll     $v0, $v0, 8
        or      $v0, $v0, $t1
es_ret: ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 16

# eep_read: block $a0 into the 8 bytes at $a1; $v0 = 1 when answered.
eep_read:
        addiu   $sp, $sp, -32
        sd      $ra, 0($sp)
        sd      $a0, 8($sp)
        sd      $a1, 16($sp)
        jal     pif_clear
        nop
        la      $t0, PIFCMD
        li      $t1, 2
        sb      $t1, 4($t0)             # TX 2
        li      $t1, 8
        sb      $t1, 5($t0)             # RX 8
        li      $t1, 4
        sb      $t1, 6($t0)             # 0x04 read
        ld      $t1, 8($sp)
        sb      $t1, 7($t0)             # block
        li      $t1, 0xFE
        sb      $t1, 16($t0)
        jal     pif_run
        nop
        la      $t0, PIFRESP
        ld      $t2, 16($sp)
        li      $t3, 8
er_copy:
        lbu     $t1, 8($t0)
        sb      $t1, 0($t2)
        addiu   $t0, $t0, 1
        addiu   $t3, $t3, -1
        bnez    $t3, er_copy
        addiu   $t2, $t2, 1
        la      $t0, PIFRESP
        lbu     $t1, 5($t0)
        andi    $t1, $t1, 0xC0
        sltiu   $v0, $t1, 1
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 32

# eep_write: the 8 bytes at $a1 to block $a0; $v0 = 1 when answered.
eep_write:
        addiu   $sp, $sp, -32
        sd      $ra, 0($sp)
        sd      $a0, 8($sp)
        sd      $a1, 16($sp)
        jal     pif_clear
        nop
        la      $t0, PIFCMD
        li      $t1, 10
        sb      $t1, 4($t0)             # TX 10
        li      $t1, 1
        sb      $t1, 5($t0)             # RX 1
        li      $t1, 5
        sb      $t1, 6($t0)             # 0x05 write
        ld      $t1, 8($sp)
        sb      $t1, 7($t0)             # block
        ld      $t2, 16($sp)
        li      $t3, 8
ew_copy:
        lbu     $t1, 0($t2)
        sb      $t1, 8($t0)
        addiu   $t0, $t0, 1
        addiu   $t3, $t3, -1
        bnez    $t3, ew_copy
        addiu   $t2, $t2, 1
        la      $t0, PIFCMD
        li      $t1, 0xFE
        sb      $t1, 17($t0)
        jal     pif_run
        nop
        la      $t0, PIFRESP
        lbu     $t1, 5($t0)
        andi    $t1, $t1, 0xC0
        sltiu   $v0, $t1, 1
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 32

# eep_wait: poll info until the busy bit clears: $v0 = 1 when it did
# within EEP_TIMEOUT, $v1 = 1 when it was seen set.
eep_wait:
        addiu   $sp, $sp, -32
        sd      $ra, 0($sp)
        mfc0    $t0, Count
        sd      $t0, 8($sp)
        sd      $zero, 16($sp)
ewt_loop:
        jal     eep_status
        nop
        bltz    $v0, ewt_fail
        andi    $t0, $v0, 0x80
        beqz    $t0, ewt_ready
        li      $t0, 1
        sd      $t0, 16($sp)
        mfc0    $t0, Count
        ld      $t1, 8($sp)
        subu    $t0, $t0, $t1
        li      $t1, EEP_TIMEOUT
        sltu    $t0, $t0, $t1
        bnez    $t0, ewt_loop
        nop
ewt_fail:
        b       ewt_ret
        move    $v0, $zero
ewt_ready:
        li      $v0, 1
ewt_ret:
        ld      $v1, 16($sp)
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 32

# eep_test: the info answer, then blocks written and read back (for
# 16 Kbit, blocks past the 4 Kbit chip's 64 too).
eep_test:
        addiu   $sp, $sp, -48
        sd      $ra, 0($sp)
        jal     eep_status
        nop
        srl     $t0, $v0, 8
        li      $t1, 0x0080
        li      $t2, 1
        beq     $s1, $t2, et_type
        nop
        li      $t1, 0x00C0
et_type:
        xor     $t0, $t0, $t1
        andi    $t1, $v0, 0x80          # idle
        or      $t0, $t0, $t1
        sltiu   $a1, $t0, 1
        la      $a0, s_eep_id
        jal     report
        nop
        la      $t0, eep4k_blocks
        li      $t1, 1
        beq     $s1, $t1, et_tab
        nop
        la      $t0, eep16k_blocks
et_tab: sd      $t0, 8($sp)             # the block table
        jal     seed
        li      $a0, 1
        la      $a0, BUF
        jal     pattern
        li      $a1, 64
        li      $t0, 1
        sd      $t0, 16($sp)            # all good so far
        sd      $zero, 24($sp)          # index
        sd      $zero, 32($sp)          # busy seen after the first write
et_wloop:
        ld      $t0, 8($sp)
        ld      $t1, 24($sp)
        sll     $t2, $t1, 2
        addu    $t0, $t0, $t2
        lw      $a0, 0($t0)
        bltz    $a0, et_wdone
        sll     $t2, $t1, 3
        la      $a1, BUF
        jal     eep_write
        addu    $a1, $a1, $t2
        ld      $t0, 16($sp)
        and     $t0, $t0, $v0
        sd      $t0, 16($sp)
        jal     eep_wait
        nop
        ld      $t0, 16($sp)
        and     $t0, $t0, $v0
        sd      $t0, 16($sp)
        ld      $t1, 24($sp)
        bnez    $t1, et_wnext
        nop
        sd      $v1, 32($sp)
et_wnext:
        addiu   $t1, $t1, 1
        b       et_wloop
        sd      $t1, 24($sp)
et_wdone:
        la      $a0, s_eep_write
        jal     report
        ld      $a1, 16($sp)
        la      $a0, s_eep_busy
        jal     report
        ld      $a1, 32($sp)
        la      $a0, BUF2
        li      $a1, 0x55555555
        jal     memfill
        li      $a2, 64
        li      $t0, 1
        sd      $t0, 16($sp)
        sd      $zero, 24($sp)
et_rloop:
        ld      $t0, 8($sp)
        ld      $t1, 24($sp)
        sll     $t2, $t1, 2
        addu    $t0, $t0, $t2
        lw      $a0, 0($t0)
        bltz    $a0, et_rdone
        sll     $t2, $t1, 3
        la      $a1, BUF2
        jal     eep_read
        addu    $a1, $a1, $t2
        ld      $t0, 16($sp)
        and     $t0, $t0, $v0
        sd      $t0, 16($sp)
        ld      $t1, 24($sp)
        addiu   $t1, $t1, 1
        b       et_rloop
        sd      $t1, 24($sp)
et_rdone:
        ld      $t1, 24($sp)
        sll     $a2, $t1, 3
        la      $a0, BUF
        la      $a1, BUF2
        jal     memeq
        nop
        ld      $t0, 16($sp)
        and     $a1, $t0, $v0
        la      $a0, s_eep_read
        jal     report
        nop
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 48

# --- The PI bus (domain 2).
# pi_dom2: domain 2 timing with page size $a0.
pi_dom2:
        la      $t9, PI
        li      $t0, 5
        sw      $t0, 0x24($t9)          # PI_BSD_DOM2_LAT
        li      $t0, 0x0C
        sw      $t0, 0x28($t9)          # PI_BSD_DOM2_PWD
        sw      $a0, 0x2C($t9)          # PI_BSD_DOM2_PGS
        li      $t0, 2
        jr      $ra
        sw      $t0, 0x30($t9)          # PI_BSD_DOM2_RLS

# pi_write: DMA $a2 bytes from RDRAM $a0 (kseg1) to bus address $a1;
# pi_read: from bus address $a1 to RDRAM $a0 (both run r_pi_dma in RDRAM).
pi_write:
        li      $t3, 0x08               # PI_RD_LEN: RDRAM -> cartridge
        la      $t9, RAMCODE + r_pi_dma - ram_code
        jr      $t9
        nop
pi_read:
        li      $t3, 0x0C               # PI_WR_LEN: cartridge -> RDRAM
        la      $t9, RAMCODE + r_pi_dma - ram_code
        jr      $t9
        nop

# cart_write: store the word $a1 at cartridge-bus address $a0 (kseg1);
# cart_read: $v0 = the word there. Both run in RDRAM and wait for the PI.
cart_write:
        la      $t9, RAMCODE + r_cart_write - ram_code
        jr      $t9
        nop
cart_read:
        la      $t9, RAMCODE + r_cart_read - ram_code
        jr      $t9
        nop

# ram_code .. ram_code_end is copied to RAMCODE at start and runs there:
# while the CPU fetches instructions from cartridge ROM, each fetch is a
# PI bus read that moves PI_CART_ADDR (core/io Cart.cpuRead; krom
# DMAAlignment-PI-ROM-FROM), and a fetch while a CPU write to the bus is
# still in flight reads the PI's write latch instead of the ROM
# (n64-systemtest cart_memory/write.rs) -- so code that sets up a PI DMA
# or writes the save memory's registers must not run from ROM (libultra
# runs from RDRAM). Position-independent leaf routines only.
        .align  3
ram_code:
r_pi_dma:
        la      $t9, PI
rpd_w1: lw      $t0, 0x10($t9)          # PI_STATUS: DMA busy, IO busy
        andi    $t0, $t0, 3
        bnez    $t0, rpd_w1
        nop
        li      $t0, 0x1FFFFFFF
        and     $t0, $a0, $t0
        sw      $t0, 0x00($t9)          # PI_DRAM_ADDR
        sw      $a1, 0x04($t9)          # PI_CART_ADDR
        addu    $t1, $t9, $t3
        addiu   $t0, $a2, -1
        sw      $t0, 0($t1)             # the length starts the DMA
rpd_w2: lw      $t0, 0x10($t9)
        andi    $t0, $t0, 3
        bnez    $t0, rpd_w2
        nop
        li      $t0, 2
        jr      $ra
        sw      $t0, 0x10($t9)          # clear the PI interrupt
r_cart_write:
        la      $t9, PI
rcw_w1: lw      $t0, 0x10($t9)
        andi    $t0, $t0, 3
        bnez    $t0, rcw_w1
        nop
        sw      $a1, 0($a0)
rcw_w2: lw      $t0, 0x10($t9)
        andi    $t0, $t0, 3
        bnez    $t0, rcw_w2
        nop
        jr      $ra
        nop
r_cart_read:
        la      $t9, PI
rcr_w1: lw      $t0, 0x10($t9)
        andi    $t0, $t0, 3
        bnez    $t0, rcr_w1
        nop
        jr      $ra
        lw      $v0, 0($a0)
ram_code_end:

# --- SRAM.
sram_test:
        addiu   $sp, $sp, -16
        sd      $ra, 0($sp)
        jal     seed
        li      $a0, 2
        la      $a0, BUF
        jal     pattern
        li      $a1, 32768
        la      $a0, BUF
        li      $a1, 0x08000000
        jal     pi_write
        li      $a2, 32768
        la      $a0, BUF2
        move    $a1, $zero
        jal     memfill
        li      $a2, 32768
        la      $a0, BUF2
        li      $a1, 0x08000000
        jal     pi_read
        li      $a2, 32768
        la      $a0, BUF
        la      $a1, BUF2
        jal     memeq
        li      $a2, 32768
        la      $a0, s_sram_rw
        jal     report
        move    $a1, $v0
        # A CPU read of the bus gives the same big-endian word.
        la      $a0, SAVE + 0x1230
        jal     cart_read
        nop
        move    $t1, $v0
        la      $t0, BUF + 0x1230
        lw      $t2, 0($t0)
        xor     $t1, $t1, $t2
        sltiu   $a1, $t1, 1
        la      $a0, s_sram_cpu
        jal     report
        nop
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 16

# --- FlashRAM.
# flash_cmd: write command word $a0 to the command register.
flash_cmd:
        move    $a1, $a0
        la      $a0, FLASHCMD
        j       cart_write
        nop

# flash_status: $v0 = the status byte (low byte of the word at 0x0800_0000).
flash_status:
        move    $t8, $ra
        la      $a0, SAVE
        jal     cart_read
        nop
        jr      $t8
        andi    $v0, $v0, 0xFF

# flash_wait: poll the status until the bits $a0 clear: $v0 = the status
# then, or -1 after FLASH_TIMEOUT; $v1 = 1 when they were seen set.
flash_wait:
        addiu   $sp, $sp, -32
        sd      $ra, 0($sp)
        sd      $a0, 8($sp)
        mfc0    $t0, Count
        sd      $t0, 16($sp)
        sd      $zero, 24($sp)
fw_loop:
        jal     flash_status
        nop
        ld      $t0, 8($sp)
        and     $t0, $t0, $v0
        beqz    $t0, fw_ret
        li      $t0, 1
        sd      $t0, 24($sp)
        mfc0    $t0, Count
        ld      $t1, 16($sp)
        subu    $t0, $t0, $t1
        li      $t1, FLASH_TIMEOUT
        sltu    $t0, $t0, $t1
        bnez    $t0, fw_loop
        nop
        li      $v0, -1
fw_ret: ld      $v1, 24($sp)
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 32

# flash_clear: status mode, then 0 written to the status register.
flash_clear:
        move    $t7, $ra
        jal     flash_cmd
        lui     $a0, 0xD200
        la      $a0, SAVE
        jal     cart_write
        move    $a1, $zero
        jr      $t7
        nop

# flash_erase: erase the sector of page $a0: $v0 = 1 when the status ended
# with "erase OK", $v1 = 1 when "erase busy" was seen.
flash_erase:
        addiu   $sp, $sp, -32
        sd      $ra, 0($sp)
        lui     $t0, 0x4B00
        jal     flash_cmd
        or      $a0, $a0, $t0
        jal     flash_cmd
        lui     $a0, 0x7800
        jal     flash_wait
        li      $a0, 2
        sd      $v1, 8($sp)
        srl     $t0, $v0, 3             # (-1 has bit 3 set: excluded below)
        andi    $t0, $t0, 1
        slt     $t1, $v0, $zero
        xori    $t1, $t1, 1
        and     $t0, $t0, $t1
        sd      $t0, 16($sp)
        jal     flash_clear
        nop
        ld      $v0, 16($sp)
        ld      $v1, 8($sp)
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 32

# flash_program: the 128 bytes at $a1 into page $a0: $v0 = 1 when the
# status ended with "program OK", $v1 = 1 when "program busy" was seen.
flash_program:
        addiu   $sp, $sp, -32
        sd      $ra, 0($sp)
        sd      $a0, 8($sp)
        sd      $a1, 16($sp)
        jal     flash_cmd
        lui     $a0, 0xB400
        ld      $a0, 16($sp)
        li      $a1, 0x08000000
        jal     pi_write
        li      $a2, 128
        ld      $a0, 8($sp)
        lui     $t0, 0xA500
        jal     flash_cmd
        or      $a0, $a0, $t0
        jal     flash_wait
        li      $a0, 1
        sd      $v1, 8($sp)
        srl     $t0, $v0, 2
        andi    $t0, $t0, 1
        slt     $t1, $v0, $zero
        xori    $t1, $t1, 1
        and     $t0, $t0, $t1
        sd      $t0, 16($sp)
        jal     flash_clear
        nop
        ld      $v0, 16($sp)
        ld      $v1, 8($sp)
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 32

# flash_read: $a2 bytes from page $a0 on into RDRAM $a1.
flash_read:
        addiu   $sp, $sp, -32
        sd      $ra, 0($sp)
        sd      $a0, 8($sp)
        sd      $a1, 16($sp)
        sd      $a2, 24($sp)
        jal     flash_cmd
        lui     $a0, 0xF000
        jal     flash_status            # the dummy read libultra makes
        nop
        ld      $t0, 8($sp)
        multu   $t0, $s3
        mflo    $a1
        li      $t0, 0x08000000
        addu    $a1, $a1, $t0
        ld      $a0, 16($sp)
        jal     pi_read
        ld      $a2, 24($sp)
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 32

# flash_test: erase sector 1 (pages 128-255) and read it all 0xFF; program
# pages 128, 129, 200, 255 and read the sector back: those pages hold the
# data, the others are still erased.
flash_test:
        addiu   $sp, $sp, -32
        sd      $ra, 0($sp)
        li      $a0, 128
        jal     flash_erase
        nop
        sd      $v0, 8($sp)
        sd      $v1, 16($sp)
        li      $a0, 128
        la      $a1, BUF2
        jal     flash_read
        li      $a2, 16384
        la      $a0, BUF
        li      $a1, -1
        jal     memfill
        li      $a2, 16384
        la      $a0, BUF
        la      $a1, BUF2
        jal     memeq
        li      $a2, 16384
        ld      $t0, 8($sp)
        and     $a1, $t0, $v0
        la      $a0, s_flash_erase
        jal     report
        nop
        la      $a0, s_flash_busy
        jal     report
        ld      $a1, 16($sp)

        jal     seed
        li      $a0, 3
        la      $a0, BUF
        jal     pattern
        li      $a1, 512
        li      $a0, 128
        la      $a1, BUF
        jal     flash_program
        nop
        sd      $v0, 8($sp)
        li      $a0, 129
        la      $a1, BUF + 128
        jal     flash_program
        nop
        ld      $t0, 8($sp)
        and     $t0, $t0, $v0
        sd      $t0, 8($sp)
        li      $a0, 200
        la      $a1, BUF + 256
        jal     flash_program
        nop
        ld      $t0, 8($sp)
        and     $t0, $t0, $v0
        sd      $t0, 8($sp)
        li      $a0, 255
        la      $a1, BUF + 384
        jal     flash_program
        nop
        ld      $t0, 8($sp)
        and     $a1, $t0, $v0
        la      $a0, s_flash_program
        jal     report
        nop

        li      $a0, 128
        la      $a1, BUF2
        jal     flash_read
        li      $a2, 16384
        la      $a0, BUF
        la      $a1, BUF2               # page 128
        jal     memeq
        li      $a2, 256                # and 129
        sd      $v0, 8($sp)
        la      $a0, BUF + 256
        la      $a1, BUF2 + 9216        # page 200
        jal     memeq
        li      $a2, 128
        ld      $t0, 8($sp)
        and     $t0, $t0, $v0
        sd      $t0, 8($sp)
        la      $a0, BUF + 384
        la      $a1, BUF2 + 16256       # page 255
        jal     memeq
        li      $a2, 128
        ld      $t0, 8($sp)
        and     $t0, $t0, $v0
        sd      $t0, 8($sp)
        la      $a0, BUF + 1024         # (0xFF from before: pages 130+ of BUF2)
        li      $a1, -1
        jal     memfill
        li      $a2, 128
        la      $a0, BUF + 1024
        la      $a1, BUF2 + 256         # page 130: still erased
        jal     memeq
        li      $a2, 128
        ld      $t0, 8($sp)
        and     $a1, $t0, $v0
        la      $a0, s_flash_read
        jal     report
        nop
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 32

# --- Controller Pak (port 1, joybus channel 0: blocks start at offset 0).

# pak_status: $v0 = type << 8 | status of port 1, or -1 when empty.
pak_status:
        addiu   $sp, $sp, -16
        sd      $ra, 0($sp)
        jal     pif_clear
        nop
        la      $t0, PIFCMD
        li      $t1, 1
        sb      $t1, 0($t0)             # TX 1
        li      $t1, 3
        sb      $t1, 1($t0)             # RX 3, command 0x00 at 2
        li      $t1, 0xFE
        sb      $t1, 6($t0)
        jal     pif_run
        nop
        la      $t0, PIFRESP
        lbu     $t1, 1($t0)
        andi    $t1, $t1, 0xC0
        bnez    $t1, ps_ret
        li      $v0, -1
        lbu     $v0, 3($t0)
        lbu     $t1, 4($t0)
        sll     $v0, $v0, 8
        or      $v0, $v0, $t1
        lbu     $t1, 5($t0)
        sll     $v0, $v0, 8
        or      $v0, $v0, $t1
ps_ret: ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 16

# addr_crc: $v0 = the 5-bit CRC of address bits 15-5 of $a0, then five
# zero bits, polynomial x^5+x^4+x^2+1 (0x15), most significant bit first.
addr_crc:
        move    $v0, $zero
        li      $t0, 15
ac_loop:
        slti    $t1, $t0, 5
        bnez    $t1, ac_in
        move    $t2, $zero
        srlv    $t2, $a0, $t0
        andi    $t2, $t2, 1
ac_in:  andi    $t3, $v0, 0x10
        sll     $v0, $v0, 1
        or      $v0, $v0, $t2
        andi    $v0, $v0, 0x1F
        beqz    $t3, ac_next
        nop
        xori    $v0, $v0, 0x15
ac_next:
        bnez    $t0, ac_loop
        addiu   $t0, $t0, -1
        jr      $ra
        nop

# data_crc: $v0 = the CRC-8 of the 32 bytes at $a0 followed by eight zero
# bits, polynomial 0x85, most significant bit first.
data_crc:
        move    $v0, $zero
        li      $t0, 33
        move    $t4, $a0
dcr_byte:
        li      $t1, 1
        beq     $t0, $t1, dcr_have      # the 33rd byte is the zero padding
        move    $t2, $zero
        lbu     $t2, 0($t4)
dcr_have:
        li      $t3, 7
dcr_bit:
        andi    $t5, $v0, 0x80
        sll     $v0, $v0, 1
        srlv    $t6, $t2, $t3
        andi    $t6, $t6, 1
        or      $v0, $v0, $t6
        andi    $v0, $v0, 0xFF
        beqz    $t5, dcr_next
        nop
        xori    $v0, $v0, 0x85
dcr_next:
        bnez    $t3, dcr_bit
        addiu   $t3, $t3, -1
        addiu   $t4, $t4, 1
        addiu   $t0, $t0, -1
        bnez    $t0, dcr_byte
        nop
        jr      $ra
        nop

# pak_addr: store pak address $a0 with its CRC at PIFCMD+3 and +4.
pak_addr:
        move    $t8, $ra
        jal     addr_crc
        nop
        andi    $t0, $a0, 0xFFE0
        or      $t0, $t0, $v0
        la      $t1, PIFCMD
        sb      $t0, 4($t1)
        srl     $t0, $t0, 8
        jr      $t8
        sb      $t0, 3($t1)

# pak_read: 32 bytes at pak address $a0 into $a1: $v0 = 1 when answered
# with the right data CRC.
pak_read:
        addiu   $sp, $sp, -32
        sd      $ra, 0($sp)
        sd      $a0, 8($sp)
        sd      $a1, 16($sp)
        jal     pif_clear
        nop
        la      $t0, PIFCMD
        li      $t1, 3
        sb      $t1, 0($t0)             # TX 3
        li      $t1, 0x21
        sb      $t1, 1($t0)             # RX 33
        li      $t1, 2
        sb      $t1, 2($t0)             # 0x02 read
        li      $t1, 0xFE
        sb      $t1, 38($t0)
        jal     pak_addr
        ld      $a0, 8($sp)
        jal     pif_run
        nop
        la      $t0, PIFRESP
        ld      $t2, 16($sp)
        li      $t3, 32
prd_copy:
        lbu     $t1, 5($t0)
        sb      $t1, 0($t2)
        addiu   $t0, $t0, 1
        addiu   $t3, $t3, -1
        bnez    $t3, prd_copy
        addiu   $t2, $t2, 1
        jal     data_crc
        ld      $a0, 16($sp)
        la      $t0, PIFRESP
        lbu     $t1, 37($t0)
        xor     $t1, $t1, $v0
        lbu     $t2, 1($t0)
        andi    $t2, $t2, 0xC0
        or      $t1, $t1, $t2
        sltiu   $v0, $t1, 1
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 32

# pak_write: the 32 bytes at $a1 to pak address $a0: $v0 = 1 when the
# pak's answer is the data's CRC.
pak_write:
        addiu   $sp, $sp, -32
        sd      $ra, 0($sp)
        sd      $a0, 8($sp)
        sd      $a1, 16($sp)
        jal     pif_clear
        nop
        la      $t0, PIFCMD
        li      $t1, 0x23
        sb      $t1, 0($t0)             # TX 35
        li      $t1, 1
        sb      $t1, 1($t0)             # RX 1
        li      $t1, 3
        sb      $t1, 2($t0)             # 0x03 write
        ld      $t2, 16($sp)
        li      $t3, 32
pwr_copy:
        lbu     $t1, 0($t2)
        sb      $t1, 5($t0)
        addiu   $t0, $t0, 1
        addiu   $t3, $t3, -1
        bnez    $t3, pwr_copy
        addiu   $t2, $t2, 1
        la      $t0, PIFCMD
        li      $t1, 0xFE
        sb      $t1, 38($t0)
        jal     pak_addr
        ld      $a0, 8($sp)
        jal     pif_run
        nop
        jal     data_crc
        ld      $a0, 16($sp)
        la      $t0, PIFRESP
        lbu     $t1, 37($t0)
        xor     $t1, $t1, $v0
        lbu     $t2, 1($t0)
        andi    $t2, $t2, 0xC0
        or      $t1, $t1, $t2
        sltiu   $v0, $t1, 1
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 32

# pak_test: four 32-byte blocks written and read back, then the status
# must not report an address CRC error.
pak_test:
        addiu   $sp, $sp, -32
        sd      $ra, 0($sp)
        jal     seed
        li      $a0, 4
        la      $a0, BUF
        jal     pattern
        li      $a1, 128
        li      $t0, 1
        sd      $t0, 8($sp)
        sd      $zero, 16($sp)
pt_wloop:
        ld      $t1, 16($sp)
        sll     $t2, $t1, 2
        la      $t0, pak_addrs
        addu    $t0, $t0, $t2
        lw      $a0, 0($t0)
        bltz    $a0, pt_wdone
        sll     $t2, $t1, 5
        la      $a1, BUF
        jal     pak_write
        addu    $a1, $a1, $t2
        ld      $t0, 8($sp)
        and     $t0, $t0, $v0
        sd      $t0, 8($sp)
        ld      $t1, 16($sp)
        addiu   $t1, $t1, 1
        b       pt_wloop
        sd      $t1, 16($sp)
pt_wdone:
        la      $a0, s_pak_write
        jal     report
        ld      $a1, 8($sp)
        li      $t0, 1
        sd      $t0, 8($sp)
        sd      $zero, 16($sp)
pt_rloop:
        ld      $t1, 16($sp)
        sll     $t2, $t1, 2
        la      $t0, pak_addrs
        addu    $t0, $t0, $t2
        lw      $a0, 0($t0)
        bltz    $a0, pt_rdone
        sll     $t2, $t1, 5
        la      $a1, BUF2
        jal     pak_read
        addu    $a1, $a1, $t2
        ld      $t0, 8($sp)
        and     $t0, $t0, $v0
        sd      $t0, 8($sp)
        ld      $t1, 16($sp)
        addiu   $t1, $t1, 1
        b       pt_rloop
        sd      $t1, 16($sp)
pt_rdone:
        la      $a0, BUF
        la      $a1, BUF2
        jal     memeq
        li      $a2, 128
        ld      $t0, 8($sp)
        and     $a1, $t0, $v0
        la      $a0, s_pak_read
        jal     report
        nop
        jal     pak_status
        nop
        andi    $t0, $v0, 0x05          # pak present, no address CRC error
        xori    $t0, $t0, 0x01
        sltiu   $a1, $t0, 1
        la      $a0, s_pak_crc
        jal     report
        nop
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 32

        .include "text.inc"
        .include "joybus.inc"

        .align  2
eep4k_blocks:   .word   0, 1, 33, 63, -1
eep16k_blocks:  .word   0, 1, 64, 200, 255, -1
pak_addrs:      .word   0x0400, 0x0420, 0x4000, 0x7FE0, -1
type_names:     .word   s_t_none, s_t_eep4k, s_t_eep16k, s_t_sram, s_t_flash

s_title:        .asciiz "N64GO SAVE TEST"
s_cart:         .asciiz "CART: "
s_t_none:       .asciiz "NONE"
s_t_eep4k:      .asciiz "EEPROM 4K"
s_t_eep16k:     .asciiz "EEPROM 16K"
s_t_sram:       .asciiz "SRAM"
s_t_flash:      .asciiz "FLASHRAM"
s_flashid:      .asciiz "FLASH ID: "
s_pak:          .asciiz "MEMPAK: "
s_none:         .asciiz "NONE"
s_present:      .asciiz "PRESENT"
s_boot:         .asciiz "BOOT: "
s_cart_persist: .asciiz "CART PERSIST"
s_pak_persist:  .asciiz "MEMPAK PERSIST"
s_new:          .asciiz ": NEW"
s_cart_record:  .asciiz "CART RECORD"
s_pak_record:   .asciiz "MEMPAK RECORD"
s_eep_id:       .asciiz "EEPROM INFO"
s_eep_write:    .asciiz "EEPROM WRITE"
s_eep_busy:     .asciiz "EEPROM BUSY"
s_eep_read:     .asciiz "EEPROM READ"
s_sram_rw:      .asciiz "SRAM DMA 32K"
s_sram_cpu:     .asciiz "SRAM CPU READ"
s_flash_erase:  .asciiz "FLASH ERASE"
s_flash_busy:   .asciiz "FLASH BUSY"
s_flash_program: .asciiz "FLASH PROGRAM"
s_flash_read:   .asciiz "FLASH READ"
s_pak_write:    .asciiz "MEMPAK WRITE"
s_pak_read:     .asciiz "MEMPAK READ"
s_pak_crc:      .asciiz "MEMPAK ADDR CRC"
s_result:       .asciiz "RESULT: "
s_pass:         .asciiz "PASS"
s_cpass:        .asciiz ": PASS"
s_cfail:        .asciiz ": FAIL"
s_fail:         .asciiz "FAIL"
s_nochecks:     .asciiz "NO CHECKS"
s_empty:        .asciiz ""
s_nl:           .asciiz "\n"

        .include "font.inc"
