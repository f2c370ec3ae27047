// Package interop tests our netplay server against stock Mupen64Plus
// clients: Debian's libmupen64plus2 driven through its C API by a small C
// front end built at test time (testdata). It has no code of its own.
package interop
