package pif

// The CIC-NUS-6105 challenge (n64brew "PIF-NUS", "CIC-NUS"): a 6105 game
// writes 15 challenge bytes to PIF RAM 0x30-0x3E and sets control bit 0x02;
// the PIF has the CIC answer and the game later checks the 15 response
// bytes found in the same place. The answer, as X-Scale's reversal of the
// C/R pairs describes it (n64brew "CIC-NUS" 6105 algorithm): the 30
// nibbles are processed in order with a key starting at 0xB and one of two
// 16-entry tables, starting with the first. Each response nibble is
// (key + 5 × challenge nibble) mod 16; the next key is the table entry at
// the response nibble; the table for the next nibble is chosen from the
// response nibble r: let sgn be bit 3 of r and mag the low 3 bits of r
// (of its complement when sgn is set); the second table is used next when
// mag mod 3 = 1 and sgn is set, or mag mod 3 ≠ 1 and sgn is clear —
// except that while on the second table, r = 0x1 or 0x9 always selects the
// second table and r = 0xB or 0xE always the first.
const (
	challengeAt  = 0x30
	challengeLen = 15
)

var cic6105Tables = [2][16]byte{
	{0x4, 0x7, 0xA, 0x7, 0xE, 0x5, 0xE, 0x1, 0xC, 0xF, 0x8, 0xF, 0x6, 0x3, 0x6, 0x9},
	{0x4, 0x1, 0xA, 0x7, 0xE, 0x5, 0xE, 0x1, 0xC, 0x9, 0x8, 0x5, 0x6, 0x3, 0xC, 0x9},
}

// cic6105 answers a challenge given as nibbles.
func cic6105(challenge []byte) []byte {
	resp := make([]byte, len(challenge))
	key, table := byte(0xB), 0
	for i, c := range challenge {
		r := (key + 5*c) & 0xF
		resp[i] = r
		key = cic6105Tables[table][r]
		sgn := r >> 3 & 1
		mag := r & 7
		if sgn == 1 {
			mag = ^r & 7
		}
		next := 1 - int(sgn)
		if mag%3 == 1 {
			next = int(sgn)
		}
		if table == 1 {
			switch r {
			case 0x1, 0x9:
				next = 1
			case 0xB, 0xE:
				next = 0
			}
		}
		table = next
	}
	return resp
}

// answerChallenge replaces the challenge in PIF RAM with the CIC's
// response and clears the control byte, as the PIF does once the CIC has
// answered (bytes 0x2E-0x2F are cleared too, as mupen64plus and ares do).
func (p *PIF) answerChallenge() {
	var nib [2 * challengeLen]byte
	for i := 0; i < challengeLen; i++ {
		b := p.ram[challengeAt+i]
		nib[2*i], nib[2*i+1] = b>>4, b&0xF
	}
	r := cic6105(nib[:])
	p.ram[challengeAt-2], p.ram[challengeAt-1] = 0, 0
	for i := 0; i < challengeLen; i++ {
		p.ram[challengeAt+i] = r[2*i]<<4 | r[2*i+1]
	}
	p.ram[controlByte] = 0
}
