package rdp

import "github.com/n64go/n64/core/state"

// Serialize saves or restores the DP registers in a fixed order.
func (d *DP) Serialize(s *state.S) {
	s.U32(&d.start)
	s.U32(&d.end)
	s.U32(&d.current)
	s.U32(&d.status)
	s.U32(&d.clock)
	s.U32(&d.bufBusy)
	s.U32(&d.pipeBusy)
	s.U32(&d.tmem)
	if s.Loading() {
		d.start &= addrMask
		d.end &= addrMask
		d.current &= addrMask
		d.status &= 1<<11 - 1
	}
}
