# demo.s: the built-in demo that `n64 play` runs when it is given no ROM,
# and a test ROM (roms/demo/demo_test.go replays it against
# roms/testdata/demo.trace).
#
# What it does, once per video field:
#   - waits for the VI to reach line 250 (polling VI_V_CURRENT),
#   - reads controller 1 through the SI: a 64-byte SI DMA writes a joybus
#     "read buttons" command block (tx 1, rx 4, command 0x01) into PIF RAM
#     with the control byte's 0x01 bit set, a second SI DMA reads PIF RAM
#     back with the answer (n64brew "Serial Interface", "Joybus Protocol"),
#   - moves a 16x16 square by 2 pixels per field for each direction held on
#     the D-pad, or with the stick pushed 32 or more units that way, kept
#     inside the 320x240 screen; Start puts it back at (152,112),
#   - draws, into the back buffer, horizontal colour bands that scroll one
#     line per field, then the square (yellow, red while A is held),
#   - shows the back buffer by writing VI_ORIGIN (double buffering, so the
#     VI never scans a half-drawn picture),
#   - keeps the AI fed: a 479 Hz square wave while A is held, silence
#     otherwise (22.05 kHz stereo buffers of 736 frames).
#
# Video: 320x240, 16-bit RGBA5551, NTSC timing, the register values krom's
# test ROMs use (LIB/N64_GFX.INC ScreenNTSC).
#
# Memory (kseg1; physical = address - 0xA0000000):
#   FB0     0xA0100000  framebuffer 0 (320*240*2 bytes)
#   FB1     0xA0140000  framebuffer 1
#   PIFCMD  0xA0180000  the 64-byte joybus command block sent to the PIF
#   PIFRESP 0xA0180040  PIF RAM as read back
#   TONE    0xA0181000  736 stereo frames of square wave
#   SILENCE 0xA0182000  736 stereo frames of zeros
# Registers kept across the loop: $s0 field counter, $s1 square x, $s2
# square y, $s3 back buffer, $s4 front buffer, $s5 buttons, $s6 stick x,
# $s7 stick y, $a0 VI, $a1 SI, $a2 AI.

        .equ VI, 0xA4400000
        .equ SI, 0xA4800000
        .equ AI, 0xA4500000
        .equ FB0, 0xA0100000
        .equ FB1, 0xA0140000
        .equ PIFCMD, 0xA0180000
        .equ PIFRESP, 0xA0180040
        .equ TONE, 0xA0181000
        .equ SILENCE, 0xA0182000
        .equ PIFRAM, 0x1FC007C0
        .equ AUDIOLEN, 2944             # 736 frames * 4 bytes, a multiple of 8
        .equ SIZE, 16                   # the square's side
        .equ STEP, 2                    # pixels per field per direction
        .equ YELLOW, 0xFFC1             # RGBA5551 (31,31,0,1)
        .equ RED, 0xF801                # RGBA5551 (31,0,0,1)

start:
        la      $a0, VI
        la      $a1, SI
        la      $a2, AI

# --- Video: krom's NTSC 320x240 16-bit mode.
        li      $t0, 0x3202             # VI_CTRL: RGBA5551, AA resample, pixel advance 3
        sw      $t0, 0x00($a0)
        li      $t0, 0x00100000         # VI_ORIGIN: FB0
        sw      $t0, 0x04($a0)
        li      $t0, 320                # VI_WIDTH
        sw      $t0, 0x08($a0)
        li      $t0, 0x200              # VI_V_INTR
        sw      $t0, 0x0C($a0)
        li      $t0, 0x03E52239         # VI_BURST
        sw      $t0, 0x14($a0)
        li      $t0, 0x20D              # VI_V_SYNC: 525 half-lines, progressive
        sw      $t0, 0x18($a0)
        li      $t0, 0xC15              # VI_H_SYNC
        sw      $t0, 0x1C($a0)
        li      $t0, 0x0C150C15         # VI_H_SYNC_LEAP
        sw      $t0, 0x20($a0)
        li      $t0, 0x006C02EC         # VI_H_VIDEO: 640 pixels
        sw      $t0, 0x24($a0)
        li      $t0, 0x002501FF         # VI_V_VIDEO
        sw      $t0, 0x28($a0)
        li      $t0, 0x000E0204         # VI_V_BURST
        sw      $t0, 0x2C($a0)
        li      $t0, 0x200              # VI_X_SCALE: 0.5 → 320 pixels
        sw      $t0, 0x30($a0)
        li      $t0, 0x400              # VI_Y_SCALE: 1.0 → 240 lines
        sw      $t0, 0x34($a0)

# --- The joybus command block: a 0xFF pad byte, then TX 1, RX 4, command
# 0x01 (read buttons), four answer bytes, 0xFE (end), the control byte 0x01.
        la      $t0, PIFCMD
        addiu   $t1, $t0, 64
pclr:   sw      $zero, 0($t0)
        addiu   $t0, $t0, 4
        bne     $t0, $t1, pclr
        nop
        la      $t0, PIFCMD
        li      $t1, 0xFF010401
        sw      $t1, 0($t0)
        li      $t1, 0xFFFFFFFF
        sw      $t1, 4($t0)
        li      $t1, 0xFE000000
        sw      $t1, 8($t0)
        li      $t1, 1
        sw      $t1, 60($t0)

# --- Audio buffers: 16 periods of 23 high and 23 low stereo frames.
        la      $t0, TONE
        li      $t4, 16
period: li      $t5, 23
        li      $t1, 0x0C000C00
high:   sw      $t1, 0($t0)
        addiu   $t5, $t5, -1
        bnez    $t5, high
        addiu   $t0, $t0, 4
        li      $t5, 23
        li      $t1, 0xF400F400
low:    sw      $t1, 0($t0)
        addiu   $t5, $t5, -1
        bnez    $t5, low
        addiu   $t0, $t0, 4
        addiu   $t4, $t4, -1
        bnez    $t4, period
        nop
        la      $t0, SILENCE
        addiu   $t1, $t0, AUDIOLEN
sclr:   sw      $zero, 0($t0)
        addiu   $t0, $t0, 4
        bne     $t0, $t1, sclr
        nop
        li      $t0, 2207               # AI_DACRATE: 48681812 Hz / 2208 = 22048 Hz
        sw      $t0, 0x10($a2)
        li      $t0, 15                 # AI_BITRATE
        sw      $t0, 0x14($a2)
        li      $t0, 1                  # AI_CONTROL: DMA enable
        sw      $t0, 0x08($a2)

        move    $s0, $zero
        li      $s1, 152
        li      $s2, 112
        la      $s3, FB1
        la      $s4, FB0

# --- Once per field.
loop:
vwait:  lw      $t0, 0x10($a0)          # VI_V_CURRENT: half-line
        srl     $t0, $t0, 1
        li      $t1, 250
        bne     $t0, $t1, vwait
        nop

# Controller 1 through the SI.
        li      $t0, 0x00180000         # PIFCMD, physical
        sw      $t0, 0x00($a1)          # SI_DRAM_ADDR
        li      $t0, PIFRAM
        sw      $t0, 0x10($a1)          # SI_PIF_AD_WR64B: RDRAM → PIF RAM
siw1:   lw      $t0, 0x18($a1)          # SI_STATUS: wait while DMA/IO busy
        andi    $t0, $t0, 3
        bnez    $t0, siw1
        nop
        li      $t0, 0x00180040         # PIFRESP, physical
        sw      $t0, 0x00($a1)
        li      $t0, PIFRAM
        sw      $t0, 0x04($a1)          # SI_PIF_AD_RD64B: PIF RAM → RDRAM
siw2:   lw      $t0, 0x18($a1)
        andi    $t0, $t0, 3
        bnez    $t0, siw2
        nop
        sw      $zero, 0x18($a1)        # clear the SI interrupt
        la      $t2, PIFRESP
        lbu     $t0, 4($t2)
        lbu     $t1, 5($t2)
        sll     $t0, $t0, 8
        or      $s5, $t0, $t1           # buttons
        lb      $s6, 6($t2)             # stick x
        lb      $s7, 7($t2)             # stick y
        lbu     $t0, 2($t2)             # RX byte: 0x80 no controller, 0x40 overrun
        andi    $t0, $t0, 0xC0
        beqz    $t0, gotpad
        nop
        move    $s5, $zero
        move    $s6, $zero
        move    $s7, $zero
gotpad:

# Move the square.
        andi    $t0, $s5, 0x0100        # D-right
        slti    $t1, $s6, 32
        xori    $t1, $t1, 1             # stick x >= 32
        or      $t0, $t0, $t1
        beqz    $t0, noright
        nop
        addiu   $s1, $s1, STEP
noright:
        andi    $t0, $s5, 0x0200        # D-left
        slti    $t1, $s6, -31           # stick x <= -32
        or      $t0, $t0, $t1
        beqz    $t0, noleft
        nop
        addiu   $s1, $s1, -STEP
noleft:
        andi    $t0, $s5, 0x0800        # D-up (stick +y is up)
        slti    $t1, $s7, 32
        xori    $t1, $t1, 1
        or      $t0, $t0, $t1
        beqz    $t0, noup
        nop
        addiu   $s2, $s2, -STEP
noup:
        andi    $t0, $s5, 0x0400        # D-down
        slti    $t1, $s7, -31
        or      $t0, $t0, $t1
        beqz    $t0, nodown
        nop
        addiu   $s2, $s2, STEP
nodown:
        andi    $t0, $s5, 0x1000        # Start: back to the centre
        beqz    $t0, nostart
        nop
        li      $s1, 152
        li      $s2, 112
nostart:
        bgez    $s1, xlo
        nop
        move    $s1, $zero
xlo:    slti    $t0, $s1, 320-SIZE+1
        bnez    $t0, xhi
        nop
        li      $s1, 320-SIZE
xhi:    bgez    $s2, ylo
        nop
        move    $s2, $zero
ylo:    slti    $t0, $s2, 240-SIZE+1
        bnez    $t0, yhi
        nop
        li      $s2, 240-SIZE
yhi:

# Audio: queue the next buffer whenever the AI FIFO has room.
        lw      $t0, 0x0C($a2)          # AI_STATUS: bit 31 full
        bltz    $t0, aidone
        nop
        li      $t0, 0x00182000         # SILENCE, physical
        andi    $t1, $s5, 0x8000        # A
        beqz    $t1, aiq
        nop
        li      $t0, 0x00181000         # TONE, physical
aiq:    sw      $t0, 0x00($a2)          # AI_DRAM_ADDR
        li      $t0, AUDIOLEN
        sw      $t0, 0x04($a2)          # AI_LENGTH: queue it
aidone:

# Background: band (y + field) / 8 mod 8 of the colour table, two pixels
# per table word, four doublewords per inner loop pass.
        move    $t0, $s3                # write pointer
        move    $t5, $zero              # y
        la      $t8, bands
row:    addu    $t1, $t5, $s0
        srl     $t1, $t1, 3
        andi    $t1, $t1, 7
        sll     $t1, $t1, 2
        addu    $t1, $t1, $t8
        lw      $t1, 0($t1)
        dsll32  $t3, $t1, 0             # the two pixels in the high word
        dsll32  $t1, $t1, 0
        dsrl32  $t1, $t1, 0             # and zero-extended in the low word
        or      $t3, $t3, $t1
        addiu   $t6, $t0, 640           # end of the row
col:    sd      $t3, 0($t0)
        sd      $t3, 8($t0)
        sd      $t3, 16($t0)
        sd      $t3, 24($t0)
        addiu   $t0, $t0, 32
        bne     $t0, $t6, col
        nop
        addiu   $t5, $t5, 1
        li      $t7, 240
        bne     $t5, $t7, row
        nop

# The square: 16 rows of 8 words (x is always even, so word-aligned).
        li      $t1, YELLOW
        andi    $t0, $s5, 0x8000        # A held: red
        beqz    $t0, colour
        nop
        li      $t1, RED
colour: sll     $t3, $t1, 16
        or      $t3, $t3, $t1
        li      $t0, 640
        multu   $s2, $t0
        mflo    $t0                     # y * 640
        sll     $t1, $s1, 1             # x * 2
        addu    $t0, $t0, $t1
        addu    $t0, $t0, $s3           # top-left pixel
        li      $t5, SIZE
srow:   sw      $t3, 0($t0)
        sw      $t3, 4($t0)
        sw      $t3, 8($t0)
        sw      $t3, 12($t0)
        sw      $t3, 16($t0)
        sw      $t3, 20($t0)
        sw      $t3, 24($t0)
        sw      $t3, 28($t0)
        addiu   $t5, $t5, -1
        bnez    $t5, srow
        addiu   $t0, $t0, 640

# Show the back buffer; the old front buffer becomes the back buffer.
        li      $t0, 0x1FFFFFFF
        and     $t0, $s3, $t0
        sw      $t0, 0x04($a0)          # VI_ORIGIN
        move    $t0, $s3
        move    $s3, $s4
        move    $s4, $t0
        addiu   $s0, $s0, 1
        j       loop
        nop

# Band colours, RGBA5551, each twice (two pixels per word): dark blues and
# purples, none of them the square's yellow or red.
        .align  2
bands:  .word   0x08430843, 0x10871087, 0x18CB18CB, 0x210F210F
        .word   0x28D328D3, 0x20912091, 0x184F184F, 0x100D100D
