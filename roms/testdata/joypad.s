# joypad.s: reads the four controller ports every video field and draws
# what each reports. cmd/n64/joypad_test.go replays an input script into it
# with `n64 run --input` and checks the pixels of every port's panel.
#
# Each field: wait for VI line 250; send one PIF command block with a
# "read buttons" command (0x01: TX 1, RX 4 -- buttons high, buttons low,
# stick X, stick Y; n64brew "Joybus Protocol") for each of ports 0-3;
# draw into the back buffer; show it (double buffering, so the VI never
# scans a half-drawn picture).
#
# Screen (text.inc: 320x240, 8x8 cells): port p's panel is the 160x120
# quarter at x0 = 160 * (p & 1), y0 = 120 * (p >> 1):
#   cell (x0/8+1, y0/8+1)  "P1".."P4", then "OK" (green) or, when the RX
#                          byte has the no-device flag 0x80, "NONE" (red)
#                          and nothing else
#   button boxes           bit 15-i of the button word (i = 0..15) is the
#                          14x10 box at x = x0 + 16 + 16 * (i & 7),
#                          y = y0 + 32 + 24 * (i >> 3): yellow when set,
#                          grey when clear; its 2-letter name is in the
#                          cells above it
#   cell (x0/8+2, y0/8+9)  "X:xx Y:yy", the stick in hex
#   stick box              33x33 grey frame at (x0 + 16, y0 + 84); a 3x3 red
#                          dot centred at (x0 + 32 + X/8, y0 + 100 - Y/8)
#                          (arithmetic shifts; +Y is up)
#
# Memory (kseg1): FB0 0xA0100000, FB1 0xA0140000, the PIF buffers at
# 0xA0180000, the stack below 0xA01F0000. Registers kept: $s0 field count,
# $s1 back buffer, $s2 front buffer, $s3 port, $s4/$s5 panel x0/y0;
# draw_port keeps the buttons in $s6, stick X in $s7, stick Y in $fp.

        .equ FB0, 0xA0100000
        .equ FB1, 0xA0140000
        .equ PIFCMD, 0xA0180000
        .equ PIFRESP, 0xA0180040
        .equ ISVPOS, 0xA0180080
        .equ STACK, 0xA01F0000
        .equ BG, 0x0843                 # RGBA5551 dark blue
        .equ WHITE, 0xFFFF
        .equ GREY, 0x4211               # (8, 8, 8)
        .equ YELLOW, 0xFFC1             # (31, 31, 0)
        .equ RED, 0xF801                # (31, 0, 0)
        .equ GREEN, 0x07C1              # (0, 31, 0)

start:
        la      $sp, STACK
        la      $a0, FB0
        jal     video_init
        nop
        move    $s0, $zero
        la      $s1, FB1
        la      $s2, FB0

# The command block: four 7-byte "read buttons" blocks (01 04 01, then
# four answer bytes), 0xFE, control byte 0x01.
        jal     pif_clear
        nop
        la      $t0, PIFCMD
        addiu   $t2, $t0, 28
        li      $t1, 1
cmd_loop:
        sb      $t1, 0($t0)             # TX 1
        li      $t3, 4
        sb      $t3, 1($t0)             # RX 4
        sb      $t1, 2($t0)             # command 0x01
        addiu   $t0, $t0, 7
        bne     $t0, $t2, cmd_loop
        nop
        li      $t1, 0xFE
        sb      $t1, 0($t0)

loop:
        li      $a0, 250
        jal     wait_line
        nop
        jal     pif_run
        nop
        move    $gp, $s1
        jal     fill
        li      $a0, BG
        move    $s3, $zero
port_loop:
        andi    $s4, $s3, 1
        li      $t0, 160
        multu   $s4, $t0
        mflo    $s4                     # x0
        srl     $s5, $s3, 1
        li      $t0, 120
        multu   $s5, $t0
        mflo    $s5                     # y0
        jal     draw_port
        nop
        addiu   $s3, $s3, 1
        li      $t0, 4
        bne     $s3, $t0, port_loop
        nop
        jal     show
        move    $a0, $s1
        move    $t0, $s1
        move    $s1, $s2
        move    $s2, $t0
        j       loop
        addiu   $s0, $s0, 1

# draw_port: draw port $s3's panel at ($s4, $s5) from PIFRESP.
draw_port:
        addiu   $sp, $sp, -16
        sd      $ra, 0($sp)             # 8($sp): RX byte, then button index
        li      $t0, 7
        multu   $s3, $t0
        mflo    $t0
        la      $t1, PIFRESP
        addu    $t0, $t0, $t1           # this port's block
        lbu     $s6, 3($t0)
        lbu     $t2, 4($t0)
        sll     $s6, $s6, 8
        or      $s6, $s6, $t2           # buttons
        lb      $s7, 5($t0)             # stick X
        lb      $fp, 6($t0)             # stick Y
        lbu     $t2, 1($t0)             # RX byte: 0x80 = no device
        sd      $t2, 8($sp)             # (kept until the title is drawn)

        srl     $a1, $s4, 3
        addiu   $a1, $a1, 1
        srl     $a2, $s5, 3
        addiu   $a2, $a2, 1
        li      $a3, WHITE
        jal     draw_char
        li      $a0, 0x50               # 'P'
        addiu   $a1, $a1, 1
        jal     draw_char
        addiu   $a0, $s3, 0x31          # '1' + port
        addiu   $a1, $a1, 2
        ld      $t2, 8($sp)
        andi    $t2, $t2, 0x80
        beqz    $t2, present
        nop
        la      $a0, s_none
        jal     draw_string
        li      $a3, RED
        b       dp_ret
        nop
present:
        la      $a0, s_ok
        jal     draw_string
        li      $a3, GREEN

# The 16 button boxes.
        sd      $zero, 8($sp)
btn_loop:
        ld      $t9, 8($sp)             # i
        andi    $t0, $t9, 7
        srl     $t1, $t9, 3
        # label: cells (x0/8 + 2 + 2*col, y0/8 + 3 + 3*row)
        srl     $a1, $s4, 3
        addiu   $a1, $a1, 2
        sll     $t2, $t0, 1
        addu    $a1, $a1, $t2
        srl     $a2, $s5, 3
        addiu   $a2, $a2, 3
        sll     $t2, $t1, 1
        addu    $t2, $t2, $t1
        addu    $a2, $a2, $t2
        li      $a3, WHITE
        la      $t8, labels
        sll     $t2, $t9, 1
        addu    $t8, $t8, $t2
        jal     rombyte
        nop
        jal     draw_char
        nop
        la      $t8, labels + 1
        ld      $t9, 8($sp)
        sll     $t2, $t9, 1
        addu    $t8, $t8, $t2
        jal     rombyte
        nop
        addiu   $a1, $a1, 1
        jal     draw_char
        nop
        # box: (x0 + 16 + 16*col, y0 + 32 + 24*row), 14x10
        ld      $t9, 8($sp)
        andi    $t0, $t9, 7
        srl     $t1, $t9, 3
        sll     $a0, $t0, 4
        addu    $a0, $a0, $s4
        addiu   $a0, $a0, 16
        li      $t2, 24
        multu   $t1, $t2
        mflo    $a1
        addu    $a1, $a1, $s5
        addiu   $a1, $a1, 32
        li      $a2, 14
        li      $a3, 10
        li      $t2, 15
        subu    $t2, $t2, $t9           # bit 15 - i
        srlv    $t2, $s6, $t2
        andi    $t2, $t2, 1
        li      $v0, GREY
        beqz    $t2, btn_draw
        nop
        li      $v0, YELLOW
btn_draw:
        jal     rect
        nop
        ld      $t9, 8($sp)
        addiu   $t9, $t9, 1
        sd      $t9, 8($sp)
        li      $t0, 16
        bne     $t9, $t0, btn_loop
        nop

# "X:xx Y:yy" at cells (x0/8 + 2, y0/8 + 9).
        srl     $a1, $s4, 3
        addiu   $a1, $a1, 2
        srl     $a2, $s5, 3
        addiu   $a2, $a2, 9
        li      $a3, WHITE
        la      $a0, s_x
        jal     draw_string
        nop
        move    $a0, $s7
        jal     draw_hex
        li      $v0, 2
        la      $a0, s_y
        jal     draw_string
        nop
        move    $a0, $fp
        jal     draw_hex
        li      $v0, 2

# The stick box and its dot.
        addiu   $a0, $s4, 16
        addiu   $a1, $s5, 84
        li      $a2, 33
        li      $a3, 33
        jal     rect
        li      $v0, GREY
        addiu   $a0, $s4, 17
        addiu   $a1, $s5, 85
        li      $a2, 31
        li      $a3, 31
        jal     rect
        li      $v0, BG
        sra     $t0, $s7, 3
        addu    $a0, $s4, $t0
        addiu   $a0, $a0, 31            # centre x - 1
        sra     $t0, $fp, 3
        subu    $a1, $s5, $t0
        addiu   $a1, $a1, 99            # centre y - 1
        li      $a2, 3
        li      $a3, 3
        jal     rect
        li      $v0, RED

dp_ret:
        ld      $ra, 0($sp)
        jr      $ra
        addiu   $sp, $sp, 16

        .include "text.inc"
        .include "joybus.inc"

# Button names, two characters for each bit from 15 down to 0 (RS is the
# reset bit 0x0080, -- the unused 0x0040).
labels: .ascii  "A B Z STDUDDDLDRRS--L R CUCDCLCR"
s_none: .asciiz "NONE"
s_ok:   .asciiz "OK"
s_x:    .asciiz "X:"
s_y:    .asciiz " Y:"

        .include "font.inc"
