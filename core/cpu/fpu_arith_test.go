package cpu

import "testing"

// detTable is the determinism guard (DESIGN.md §7): operations on fixed
// pseudo-random operands in every rounding mode, with result bits and
// flags computed independently of this package with exact rational
// arithmetic and IEEE 754 rounding (unbounded exponent; a tiny result is
// a signed zero with U, which the caller flushes or traps). The arithmetic
// is integer-only, so a build for another architecture (GOARCH=arm64)
// must reproduce every row; TestFPURandomizedHardware checks millions more
// against hashes measured on a console.
//
// op: add, sub, mul, div, sqrt (format f), cvtsd (double to single),
// cvtsl/cvtdl (long to single/double, a the integer), cvtl (format f to an
// integer, want its two's complement).
var detTable = []struct {
	op       string
	f        byte
	a, b     uint64
	rm       uint32
	want     uint64
	wantFlag uint32
}{
	{"add", 's', 0x36a1f825, 0xb8eaf971, 0, 0xb8e0d9ef, fpI},
	{"add", 's', 0x36a1f825, 0xb8eaf971, 1, 0xb8e0d9ee, fpI},
	{"add", 's', 0x36a1f825, 0xb8eaf971, 2, 0xb8e0d9ee, fpI},
	{"add", 's', 0x36a1f825, 0xb8eaf971, 3, 0xb8e0d9ef, fpI},
	{"add", 's', 0x4547bd8d, 0xba321c78, 0, 0x4547bd8a, fpI},
	{"add", 's', 0x4547bd8d, 0xba321c78, 1, 0x4547bd8a, fpI},
	{"add", 's', 0x4547bd8d, 0xba321c78, 2, 0x4547bd8b, fpI},
	{"add", 's', 0x4547bd8d, 0xba321c78, 3, 0x4547bd8a, fpI},
	{"add", 's', 0xc41815e8, 0xc4fdd4d0, 0, 0xc524efe2, 0},
	{"add", 's', 0xc41815e8, 0xc4fdd4d0, 1, 0xc524efe2, 0},
	{"add", 's', 0xc41815e8, 0xc4fdd4d0, 2, 0xc524efe2, 0},
	{"add", 's', 0xc41815e8, 0xc4fdd4d0, 3, 0xc524efe2, 0},
	{"sub", 's', 0x48e9bdfa, 0x3d2a9721, 0, 0x48e9bdf9, fpI},
	{"sub", 's', 0x48e9bdfa, 0x3d2a9721, 1, 0x48e9bdf8, fpI},
	{"sub", 's', 0x48e9bdfa, 0x3d2a9721, 2, 0x48e9bdf9, fpI},
	{"sub", 's', 0x48e9bdfa, 0x3d2a9721, 3, 0x48e9bdf8, fpI},
	{"sub", 's', 0xc12ff245, 0x3c2e68ac, 0, 0xc1301ddf, fpI},
	{"sub", 's', 0xc12ff245, 0x3c2e68ac, 1, 0xc1301ddf, fpI},
	{"sub", 's', 0xc12ff245, 0x3c2e68ac, 2, 0xc1301ddf, fpI},
	{"sub", 's', 0xc12ff245, 0x3c2e68ac, 3, 0xc1301de0, fpI},
	{"sub", 's', 0x3b8b731a, 0x3fc56f46, 0, 0xbfc4e3d3, fpI},
	{"sub", 's', 0x3b8b731a, 0x3fc56f46, 1, 0xbfc4e3d2, fpI},
	{"sub", 's', 0x3b8b731a, 0x3fc56f46, 2, 0xbfc4e3d2, fpI},
	{"sub", 's', 0x3b8b731a, 0x3fc56f46, 3, 0xbfc4e3d3, fpI},
	{"mul", 's', 0xb5c1bc2b, 0xb820dcb5, 0, 0x2e737943, fpI},
	{"mul", 's', 0xb5c1bc2b, 0xb820dcb5, 1, 0x2e737943, fpI},
	{"mul", 's', 0xb5c1bc2b, 0xb820dcb5, 2, 0x2e737944, fpI},
	{"mul", 's', 0xb5c1bc2b, 0xb820dcb5, 3, 0x2e737943, fpI},
	{"mul", 's', 0x3eba0179, 0xc3843bcc, 0, 0xc2c0286a, fpI},
	{"mul", 's', 0x3eba0179, 0xc3843bcc, 1, 0xc2c02869, fpI},
	{"mul", 's', 0x3eba0179, 0xc3843bcc, 2, 0xc2c02869, fpI},
	{"mul", 's', 0x3eba0179, 0xc3843bcc, 3, 0xc2c0286a, fpI},
	{"mul", 's', 0x3e73c304, 0xc1a45096, 0, 0xc09c75aa, fpI},
	{"mul", 's', 0x3e73c304, 0xc1a45096, 1, 0xc09c75aa, fpI},
	{"mul", 's', 0x3e73c304, 0xc1a45096, 2, 0xc09c75aa, fpI},
	{"mul", 's', 0x3e73c304, 0xc1a45096, 3, 0xc09c75ab, fpI},
	{"div", 's', 0x399b5768, 0x4608d56d, 0, 0x3311501b, fpI},
	{"div", 's', 0x399b5768, 0x4608d56d, 1, 0x3311501b, fpI},
	{"div", 's', 0x399b5768, 0x4608d56d, 2, 0x3311501c, fpI},
	{"div", 's', 0x399b5768, 0x4608d56d, 3, 0x3311501b, fpI},
	{"div", 's', 0xba2547e4, 0x36871d64, 0, 0xc31c93da, fpI},
	{"div", 's', 0xba2547e4, 0x36871d64, 1, 0xc31c93da, fpI},
	{"div", 's', 0xba2547e4, 0x36871d64, 2, 0xc31c93da, fpI},
	{"div", 's', 0xba2547e4, 0x36871d64, 3, 0xc31c93db, fpI},
	{"div", 's', 0xb7296db4, 0xb98172b0, 0, 0x3d278887, fpI},
	{"div", 's', 0xb7296db4, 0xb98172b0, 1, 0x3d278886, fpI},
	{"div", 's', 0xb7296db4, 0xb98172b0, 2, 0x3d278887, fpI},
	{"div", 's', 0xb7296db4, 0xb98172b0, 3, 0x3d278886, fpI},
	{"sqrt", 's', 0x3cdd1101, 0x0, 0, 0x3e283734, fpI},
	{"sqrt", 's', 0x3cdd1101, 0x0, 1, 0x3e283734, fpI},
	{"sqrt", 's', 0x3cdd1101, 0x0, 2, 0x3e283735, fpI},
	{"sqrt", 's', 0x3cdd1101, 0x0, 3, 0x3e283734, fpI},
	{"sqrt", 's', 0x4847afb7, 0x0, 0, 0x43e218c1, fpI},
	{"sqrt", 's', 0x4847afb7, 0x0, 1, 0x43e218c0, fpI},
	{"sqrt", 's', 0x4847afb7, 0x0, 2, 0x43e218c1, fpI},
	{"sqrt", 's', 0x4847afb7, 0x0, 3, 0x43e218c0, fpI},
	{"sqrt", 's', 0x421a8566, 0x0, 0, 0x40c6e3f2, fpI},
	{"sqrt", 's', 0x421a8566, 0x0, 1, 0x40c6e3f2, fpI},
	{"sqrt", 's', 0x421a8566, 0x0, 2, 0x40c6e3f3, fpI},
	{"sqrt", 's', 0x421a8566, 0x0, 3, 0x40c6e3f2, fpI},
	{"add", 'd', 0x410201f621657e19, 0xc01dbdab32a9d076, 0, 0x410201baa60f18c5, fpI},
	{"add", 'd', 0x410201f621657e19, 0xc01dbdab32a9d076, 1, 0x410201baa60f18c5, fpI},
	{"add", 'd', 0x410201f621657e19, 0xc01dbdab32a9d076, 2, 0x410201baa60f18c6, fpI},
	{"add", 'd', 0x410201f621657e19, 0xc01dbdab32a9d076, 3, 0x410201baa60f18c5, fpI},
	{"add", 'd', 0xbf1b29fb30ce895d, 0xc1092fe80074395f, 0, 0xc1092fe800aa8d55, fpI},
	{"add", 'd', 0xbf1b29fb30ce895d, 0xc1092fe80074395f, 1, 0xc1092fe800aa8d55, fpI},
	{"add", 'd', 0xbf1b29fb30ce895d, 0xc1092fe80074395f, 2, 0xc1092fe800aa8d55, fpI},
	{"add", 'd', 0xbf1b29fb30ce895d, 0xc1092fe80074395f, 3, 0xc1092fe800aa8d56, fpI},
	{"add", 'd', 0x3f5b510e5a822232, 0xbee1ffcc8c8b5a9e, 0, 0x3f5b2d0ec1690b7d, fpI},
	{"add", 'd', 0x3f5b510e5a822232, 0xbee1ffcc8c8b5a9e, 1, 0x3f5b2d0ec1690b7c, fpI},
	{"add", 'd', 0x3f5b510e5a822232, 0xbee1ffcc8c8b5a9e, 2, 0x3f5b2d0ec1690b7d, fpI},
	{"add", 'd', 0x3f5b510e5a822232, 0xbee1ffcc8c8b5a9e, 3, 0x3f5b2d0ec1690b7c, fpI},
	{"sub", 'd', 0xc0449242e7d7a074, 0x40fb17b50af66719, 0, 0xc0fb1a475353620d, fpI},
	{"sub", 'd', 0xc0449242e7d7a074, 0x40fb17b50af66719, 1, 0xc0fb1a475353620d, fpI},
	{"sub", 'd', 0xc0449242e7d7a074, 0x40fb17b50af66719, 2, 0xc0fb1a475353620d, fpI},
	{"sub", 'd', 0xc0449242e7d7a074, 0x40fb17b50af66719, 3, 0xc0fb1a475353620e, fpI},
	{"sub", 'd', 0xbedd1c55e2805521, 0xbf02d37dde19a777, 0, 0x3efe5fe6439339a6, fpI},
	{"sub", 'd', 0xbedd1c55e2805521, 0xbf02d37dde19a777, 1, 0x3efe5fe6439339a5, fpI},
	{"sub", 'd', 0xbedd1c55e2805521, 0xbf02d37dde19a777, 2, 0x3efe5fe6439339a6, fpI},
	{"sub", 'd', 0xbedd1c55e2805521, 0xbf02d37dde19a777, 3, 0x3efe5fe6439339a5, fpI},
	{"sub", 'd', 0x3f4174205b17d49a, 0x3fb9ab990bf74e65, 0, 0xbfb988b0cb411ebc, fpI},
	{"sub", 'd', 0x3f4174205b17d49a, 0x3fb9ab990bf74e65, 1, 0xbfb988b0cb411ebb, fpI},
	{"sub", 'd', 0x3f4174205b17d49a, 0x3fb9ab990bf74e65, 2, 0xbfb988b0cb411ebb, fpI},
	{"sub", 'd', 0x3f4174205b17d49a, 0x3fb9ab990bf74e65, 3, 0xbfb988b0cb411ebc, fpI},
	{"mul", 'd', 0xbec1bbe6c05464e7, 0xbf2d632c298510d2, 0, 0x3e00493ee98f46ed, fpI},
	{"mul", 'd', 0xbec1bbe6c05464e7, 0xbf2d632c298510d2, 1, 0x3e00493ee98f46ed, fpI},
	{"mul", 'd', 0xbec1bbe6c05464e7, 0xbf2d632c298510d2, 2, 0x3e00493ee98f46ee, fpI},
	{"mul", 'd', 0xbec1bbe6c05464e7, 0xbf2d632c298510d2, 3, 0x3e00493ee98f46ed, fpI},
	{"mul", 'd', 0xc0eb07853391cff1, 0xbf9f6a68cedac233, 0, 0x409a892a7a5a2ccc, fpI},
	{"mul", 'd', 0xc0eb07853391cff1, 0xbf9f6a68cedac233, 1, 0x409a892a7a5a2ccc, fpI},
	{"mul", 'd', 0xc0eb07853391cff1, 0xbf9f6a68cedac233, 2, 0x409a892a7a5a2ccd, fpI},
	{"mul", 'd', 0xc0eb07853391cff1, 0xbf9f6a68cedac233, 3, 0x409a892a7a5a2ccc, fpI},
	{"mul", 'd', 0x406e9a9a4e94d9c6, 0xbf506b44fac234c1, 0, 0xbfcf67c827354db1, fpI},
	{"mul", 'd', 0x406e9a9a4e94d9c6, 0xbf506b44fac234c1, 1, 0xbfcf67c827354db1, fpI},
	{"mul", 'd', 0x406e9a9a4e94d9c6, 0xbf506b44fac234c1, 2, 0xbfcf67c827354db1, fpI},
	{"mul", 'd', 0x406e9a9a4e94d9c6, 0xbf506b44fac234c1, 3, 0xbfcf67c827354db2, fpI},
	{"div", 'd', 0xc132ad607fc99ada, 0xc07c3854d4349db7, 0, 0x40a52dd279f84c77, fpI},
	{"div", 'd', 0xc132ad607fc99ada, 0xc07c3854d4349db7, 1, 0x40a52dd279f84c77, fpI},
	{"div", 'd', 0xc132ad607fc99ada, 0xc07c3854d4349db7, 2, 0x40a52dd279f84c78, fpI},
	{"div", 'd', 0xc132ad607fc99ada, 0xc07c3854d4349db7, 3, 0x40a52dd279f84c77, fpI},
	{"div", 'd', 0xbf2bfb9021e2fe42, 0xbf02589eb895bd96, 0, 0x401867763945a156, fpI},
	{"div", 'd', 0xbf2bfb9021e2fe42, 0xbf02589eb895bd96, 1, 0x401867763945a155, fpI},
	{"div", 'd', 0xbf2bfb9021e2fe42, 0xbf02589eb895bd96, 2, 0x401867763945a156, fpI},
	{"div", 'd', 0xbf2bfb9021e2fe42, 0xbf02589eb895bd96, 3, 0x401867763945a155, fpI},
	{"div", 'd', 0xc10afcb225a5a3f8, 0x40adf74c82010c62, 0, 0xc04cd1a259f84b98, fpI},
	{"div", 'd', 0xc10afcb225a5a3f8, 0x40adf74c82010c62, 1, 0xc04cd1a259f84b97, fpI},
	{"div", 'd', 0xc10afcb225a5a3f8, 0x40adf74c82010c62, 2, 0xc04cd1a259f84b97, fpI},
	{"div", 'd', 0xc10afcb225a5a3f8, 0x40adf74c82010c62, 3, 0xc04cd1a259f84b98, fpI},
	{"sqrt", 'd', 0x40d86bc32ccc671a, 0x0, 0, 0x4063c45b8a1ea208, fpI},
	{"sqrt", 'd', 0x40d86bc32ccc671a, 0x0, 1, 0x4063c45b8a1ea208, fpI},
	{"sqrt", 'd', 0x40d86bc32ccc671a, 0x0, 2, 0x4063c45b8a1ea209, fpI},
	{"sqrt", 'd', 0x40d86bc32ccc671a, 0x0, 3, 0x4063c45b8a1ea208, fpI},
	{"sqrt", 'd', 0x3f0b30123758c82c, 0x0, 0, 0x3f7d7ef42aa009b8, fpI},
	{"sqrt", 'd', 0x3f0b30123758c82c, 0x0, 1, 0x3f7d7ef42aa009b8, fpI},
	{"sqrt", 'd', 0x3f0b30123758c82c, 0x0, 2, 0x3f7d7ef42aa009b9, fpI},
	{"sqrt", 'd', 0x3f0b30123758c82c, 0x0, 3, 0x3f7d7ef42aa009b8, fpI},
	{"sqrt", 'd', 0x4043d9d3a5457b53, 0x0, 0, 0x40193428164469c3, fpI},
	{"sqrt", 'd', 0x4043d9d3a5457b53, 0x0, 1, 0x40193428164469c3, fpI},
	{"sqrt", 'd', 0x4043d9d3a5457b53, 0x0, 2, 0x40193428164469c4, fpI},
	{"sqrt", 'd', 0x4043d9d3a5457b53, 0x0, 3, 0x40193428164469c3, fpI},
	{"mul", 's', 0x7f000000, 0x40400000, 0, 0x7f800000, fpI | fpO},
	{"mul", 's', 0x7f000000, 0x40400000, 1, 0x7f7fffff, fpI | fpO},
	{"mul", 's', 0x7f000000, 0x40400000, 2, 0x7f800000, fpI | fpO},
	{"mul", 's', 0x7f000000, 0x40400000, 3, 0x7f7fffff, fpI | fpO},
	{"mul", 'd', 0x7fe0000000000000, 0x4008000000000000, 0, 0x7ff0000000000000, fpI | fpO},
	{"mul", 'd', 0x7fe0000000000000, 0x4008000000000000, 1, 0x7fefffffffffffff, fpI | fpO},
	{"mul", 'd', 0x7fe0000000000000, 0x4008000000000000, 2, 0x7ff0000000000000, fpI | fpO},
	{"mul", 'd', 0x7fe0000000000000, 0x4008000000000000, 3, 0x7fefffffffffffff, fpI | fpO},
	{"mul", 's', 0xc00000, 0x3f000001, 0, 0x0, fpI | fpU},
	{"mul", 's', 0xc00000, 0x3f000001, 1, 0x0, fpI | fpU},
	{"mul", 's', 0xc00000, 0x3f000001, 2, 0x0, fpI | fpU},
	{"mul", 's', 0xc00000, 0x3f000001, 3, 0x0, fpI | fpU},
	{"div", 'd', 0x10000000000001, 0x4000000000000000, 0, 0x0, fpU},
	{"div", 'd', 0x10000000000001, 0x4000000000000000, 1, 0x0, fpU},
	{"div", 'd', 0x10000000000001, 0x4000000000000000, 2, 0x0, fpU},
	{"div", 'd', 0x10000000000001, 0x4000000000000000, 3, 0x0, fpU},
	{"cvtsd", 'd', 0x41123c8ab1755a99, 0x0, 0, 0x4891e456, fpI},
	{"cvtsd", 'd', 0x41123c8ab1755a99, 0x0, 1, 0x4891e455, fpI},
	{"cvtsd", 'd', 0x41123c8ab1755a99, 0x0, 2, 0x4891e456, fpI},
	{"cvtsd", 'd', 0x41123c8ab1755a99, 0x0, 3, 0x4891e455, fpI},
	{"cvtsd", 'd', 0xc0e8c8b5c7b49234, 0x0, 0, 0xc74645ae, fpI},
	{"cvtsd", 'd', 0xc0e8c8b5c7b49234, 0x0, 1, 0xc74645ae, fpI},
	{"cvtsd", 'd', 0xc0e8c8b5c7b49234, 0x0, 2, 0xc74645ae, fpI},
	{"cvtsd", 'd', 0xc0e8c8b5c7b49234, 0x0, 3, 0xc74645af, fpI},
	{"cvtsd", 'd', 0x40074c9853dcfc2d, 0x0, 0, 0x403a64c3, fpI},
	{"cvtsd", 'd', 0x40074c9853dcfc2d, 0x0, 1, 0x403a64c2, fpI},
	{"cvtsd", 'd', 0x40074c9853dcfc2d, 0x0, 2, 0x403a64c3, fpI},
	{"cvtsd", 'd', 0x40074c9853dcfc2d, 0x0, 3, 0x403a64c2, fpI},
	{"cvtsd", 'd', 0xc0e24a5cea097c6d, 0x0, 0, 0xc71252e7, fpI},
	{"cvtsd", 'd', 0xc0e24a5cea097c6d, 0x0, 1, 0xc71252e7, fpI},
	{"cvtsd", 'd', 0xc0e24a5cea097c6d, 0x0, 2, 0xc71252e7, fpI},
	{"cvtsd", 'd', 0xc0e24a5cea097c6d, 0x0, 3, 0xc71252e8, fpI},
	{"cvtsl", 'l', 0x273847b58247d6, 0x0, 0, 0x5a1ce11f, fpI},
	{"cvtdl", 'l', 0x273847b58247d6, 0x0, 0, 0x43439c23dac123eb, 0},
	{"cvtsl", 'l', 0x273847b58247d6, 0x0, 1, 0x5a1ce11e, fpI},
	{"cvtdl", 'l', 0x273847b58247d6, 0x0, 1, 0x43439c23dac123eb, 0},
	{"cvtsl", 'l', 0x273847b58247d6, 0x0, 2, 0x5a1ce11f, fpI},
	{"cvtdl", 'l', 0x273847b58247d6, 0x0, 2, 0x43439c23dac123eb, 0},
	{"cvtsl", 'l', 0x273847b58247d6, 0x0, 3, 0x5a1ce11e, fpI},
	{"cvtdl", 'l', 0x273847b58247d6, 0x0, 3, 0x43439c23dac123eb, 0},
	{"cvtsl", 'l', 0x20544462496507, 0x0, 0, 0x5a015112, fpI},
	{"cvtdl", 'l', 0x20544462496507, 0x0, 0, 0x43402a223124b284, fpI},
	{"cvtsl", 'l', 0x20544462496507, 0x0, 1, 0x5a015111, fpI},
	{"cvtdl", 'l', 0x20544462496507, 0x0, 1, 0x43402a223124b283, fpI},
	{"cvtsl", 'l', 0x20544462496507, 0x0, 2, 0x5a015112, fpI},
	{"cvtdl", 'l', 0x20544462496507, 0x0, 2, 0x43402a223124b284, fpI},
	{"cvtsl", 'l', 0x20544462496507, 0x0, 3, 0x5a015111, fpI},
	{"cvtdl", 'l', 0x20544462496507, 0x0, 3, 0x43402a223124b283, fpI},
	{"cvtsl", 'l', 0xffc5b4115210daff, 0x0, 0, 0xda692fbb, fpI},
	{"cvtdl", 'l', 0xffc5b4115210daff, 0x0, 0, 0xc34d25f756f79280, fpI},
	{"cvtsl", 'l', 0xffc5b4115210daff, 0x0, 1, 0xda692fba, fpI},
	{"cvtdl", 'l', 0xffc5b4115210daff, 0x0, 1, 0xc34d25f756f79280, fpI},
	{"cvtsl", 'l', 0xffc5b4115210daff, 0x0, 2, 0xda692fba, fpI},
	{"cvtdl", 'l', 0xffc5b4115210daff, 0x0, 2, 0xc34d25f756f79280, fpI},
	{"cvtsl", 'l', 0xffc5b4115210daff, 0x0, 3, 0xda692fbb, fpI},
	{"cvtdl", 'l', 0xffc5b4115210daff, 0x0, 3, 0xc34d25f756f79281, fpI},
	{"cvtl", 's', 0x35fe9aa7, 0x0, 0, 0x0, fpI},
	{"cvtl", 's', 0x35fe9aa7, 0x0, 1, 0x0, fpI},
	{"cvtl", 's', 0x35fe9aa7, 0x0, 2, 0x1, fpI},
	{"cvtl", 's', 0x35fe9aa7, 0x0, 3, 0x0, fpI},
	{"cvtl", 'd', 0xc0b4e09fe83a7c2a, 0x0, 0, 0xffffffffffffeb1f, fpI},
	{"cvtl", 'd', 0xc0b4e09fe83a7c2a, 0x0, 1, 0xffffffffffffeb20, fpI},
	{"cvtl", 'd', 0xc0b4e09fe83a7c2a, 0x0, 2, 0xffffffffffffeb20, fpI},
	{"cvtl", 'd', 0xc0b4e09fe83a7c2a, 0x0, 3, 0xffffffffffffeb1f, fpI},
	{"cvtl", 's', 0x3944beda, 0x0, 0, 0x0, fpI},
	{"cvtl", 's', 0x3944beda, 0x0, 1, 0x0, fpI},
	{"cvtl", 's', 0x3944beda, 0x0, 2, 0x1, fpI},
	{"cvtl", 's', 0x3944beda, 0x0, 3, 0x0, fpI},
	{"cvtl", 'd', 0x3fa8f1f15a6ca313, 0x0, 0, 0x0, fpI},
	{"cvtl", 'd', 0x3fa8f1f15a6ca313, 0x0, 1, 0x0, fpI},
	{"cvtl", 'd', 0x3fa8f1f15a6ca313, 0x0, 2, 0x1, fpI},
	{"cvtl", 'd', 0x3fa8f1f15a6ca313, 0x0, 3, 0x0, fpI},
	{"cvtl", 's', 0xc8cbdefa, 0x0, 0, 0xfffffffffff9a108, fpI},
	{"cvtl", 's', 0xc8cbdefa, 0x0, 1, 0xfffffffffff9a109, fpI},
	{"cvtl", 's', 0xc8cbdefa, 0x0, 2, 0xfffffffffff9a109, fpI},
	{"cvtl", 's', 0xc8cbdefa, 0x0, 3, 0xfffffffffff9a108, fpI},
	{"cvtl", 'd', 0xbfc1d5edf912cdca, 0x0, 0, 0x0, fpI},
	{"cvtl", 'd', 0xbfc1d5edf912cdca, 0x0, 1, 0x0, fpI},
	{"cvtl", 'd', 0xbfc1d5edf912cdca, 0x0, 2, 0x0, fpI},
	{"cvtl", 'd', 0xbfc1d5edf912cdca, 0x0, 3, 0xffffffffffffffff, fpI},
}

func TestFPUDeterminism(t *testing.T) {
	for _, tt := range detTable {
		f := &fmtS
		if tt.f == 'd' {
			f = &fmtD
		}
		var got uint64
		var fl uint32
		switch tt.op {
		case "add":
			got, fl = fpAdd(f, tt.a, tt.b, false, tt.rm)
		case "sub":
			got, fl = fpAdd(f, tt.a, tt.b, true, tt.rm)
		case "mul":
			got, fl = fpMul(f, tt.a, tt.b, tt.rm)
		case "div":
			got, fl = fpDiv(f, tt.a, tt.b, tt.rm)
		case "sqrt":
			got, fl = fpSqrt(f, tt.a, tt.rm)
		case "cvtsd":
			got, fl = fpConvert(&fmtS, &fmtD, tt.a, tt.rm)
		case "cvtsl", "cvtdl":
			g := &fmtS
			if tt.op == "cvtdl" {
				g = &fmtD
			}
			v := int64(tt.a)
			got, fl = fpFromInt(g, v < 0, abs64(v), tt.rm)
		case "cvtl":
			neg, mag, inexact, _ := fpToInt(f, tt.a, tt.rm)
			got = mag
			if neg {
				got = -mag
			}
			if inexact {
				fl = fpI
			}
		}
		if got != tt.want || fl != tt.wantFlag {
			t.Errorf("%s.%c %#x, %#x rm %d = %#x flags %#x, want %#x flags %#x",
				tt.op, tt.f, tt.a, tt.b, tt.rm, got, fl, tt.want, tt.wantFlag)
		}
	}
}

func TestFPUArithSpecial(t *testing.T) {
	// Signed zeros, sticky bits across large exponent gaps, exact results
	// (IEEE 754 §6.3 for the signs of exact zero sums; values by hand).
	const negZ = 1 << 31
	tests := []struct {
		name     string
		op       func(rm uint32) (uint64, uint32)
		rm       uint32
		want     uint64
		wantFlag uint32
	}{
		{"1 + -1 RN = +0", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtS, sOne, 0xBF80_0000, false, rm) }, rmRN, 0, 0},
		{"1 + -1 RM = -0", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtS, sOne, 0xBF80_0000, false, rm) }, rmRM, negZ, 0},
		{"1 - 1 RP = +0", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtS, sOne, sOne, true, rm) }, rmRP, 0, 0},
		{"-0 + -0 = -0", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtS, negZ, negZ, false, rm) }, rmRN, negZ, 0},
		{"+0 + -0 RN = +0", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtS, 0, negZ, false, rm) }, rmRN, 0, 0},
		{"+0 + -0 RM = -0", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtS, 0, negZ, false, rm) }, rmRM, negZ, 0},
		{"-0 - +0 = -0", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtS, negZ, 0, true, rm) }, rmRN, negZ, 0},
		{"x + 0 = x", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtS, 0x4049_0FDB, 0, false, rm) }, rmRM, 0x4049_0FDB, 0},
		{"1 + 2^-100 RN", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtD, dOne, 0x39B0_0000_0000_0000, false, rm) }, rmRN, dOne, fpI},
		{"1 + 2^-100 RP", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtD, dOne, 0x39B0_0000_0000_0000, false, rm) }, rmRP, dOne + 1, fpI},
		{"1 - 2^-100 RN", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtD, dOne, 0x39B0_0000_0000_0000, true, rm) }, rmRN, dOne, fpI},
		{"1 - 2^-100 RZ", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtD, dOne, 0x39B0_0000_0000_0000, true, rm) }, rmRZ, 0x3FEF_FFFF_FFFF_FFFF, fpI},
		{"(1+2^-23) - 1 = 2^-23", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtS, 0x3F80_0001, sOne, true, rm) }, rmRN, 0x3400_0000, 0},
		{"6 / 3 = 2", func(rm uint32) (uint64, uint32) { return fpDiv(&fmtS, 0x40C0_0000, sThree, rm) }, rmRZ, sTwo, 0},
		{"sqrt 9 = 3 (D)", func(rm uint32) (uint64, uint32) { return fpSqrt(&fmtD, 0x4022_0000_0000_0000, rm) }, rmRP, 0x4008_0000_0000_0000, 0},
		{"sqrt 2^-1022 = 2^-511", func(rm uint32) (uint64, uint32) { return fpSqrt(&fmtD, dMin, rm) }, rmRN, 0x2000_0000_0000_0000, 0},
		{"sqrt MAX (D) RN", func(rm uint32) (uint64, uint32) { return fpSqrt(&fmtD, 0x7FEF_FFFF_FFFF_FFFF, rm) }, rmRN, 0x5FEF_FFFF_FFFF_FFFF, fpI},
		{"sqrt MAX (D) RP", func(rm uint32) (uint64, uint32) { return fpSqrt(&fmtD, 0x7FEF_FFFF_FFFF_FFFF, rm) }, rmRP, 0x5FF0_0000_0000_0000, fpI},
		{"MAX + MAX RZ", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtS, sMax, sMax, false, rm) }, rmRZ, sMax, fpO | fpI},
		{"-MAX - MAX RP", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtS, 0xFF7F_FFFF, sMax, true, rm) }, rmRP, 0xFF7F_FFFF, fpO | fpI},
		{"-MAX - MAX RM", func(rm uint32) (uint64, uint32) { return fpAdd(&fmtS, 0xFF7F_FFFF, sMax, true, rm) }, rmRM, 0xFF80_0000, fpO | fpI},
		// MIN × (1-2^-24) is exact at 24 bits, so tiny and exact.
		{"MIN × (1-2^-24) exact tiny", func(rm uint32) (uint64, uint32) { return fpMul(&fmtS, sMin, 0x3F7F_FFFF, rm) }, rmRN, 0, fpU},
		// MIN(1-2^-23) × (1+2^-23) = MIN(1-2^-46): tininess after rounding
		// (IEEE 754 §7.5) depends on the mode.
		{"MIN(1-2^-46) RZ is tiny", func(rm uint32) (uint64, uint32) { return fpMul(&fmtS, 0x3F80_0001, 0x007F_FFFF, rm) }, rmRZ, 0, fpU | fpI},
		{"MIN(1-2^-46) RN rounds to MIN", func(rm uint32) (uint64, uint32) { return fpMul(&fmtS, 0x3F80_0001, 0x007F_FFFF, rm) }, rmRN, sMin, fpI},
	}
	for _, tt := range tests {
		got, fl := tt.op(tt.rm)
		if got != tt.want || fl != tt.wantFlag {
			t.Errorf("%s: %#x flags %#x, want %#x flags %#x", tt.name, got, fl, tt.want, tt.wantFlag)
		}
	}
}
