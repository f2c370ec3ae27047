// Package proto holds the wire formats of the Mupen64Plus v2.0 netplay
// protocol as the stock core (mupen64plus-core netplay.c), simple64 and the
// simple64/gopher64 netplay servers speak it: the TCP requests and replies of
// the game server, the UDP packets, the settings block, the registration
// table, the controller keys word and the lobby's JSON messages.
//
// NETPLAY.md, the project's protocol reference beside DESIGN.md, is the
// authority; comments cite its sections as §n and its tags [S64]
// (simple64-netplay-server) and [G64] (gopher64-netplay-server).
//
// Conventions:
//   - All integers are big-endian, as SDL_net writes them (NETPLAY.md top).
//   - Encoders are AppendBinary/MarshalBinary (encoding.BinaryAppender and
//     encoding.BinaryMarshaler). They validate first and refuse to produce
//     bytes a decoder here would reject.
//   - Decoders are Decode…([]byte) (T, error) and UnmarshalBinary. They accept
//     exactly one message of exactly the documented length and reject short,
//     long or out-of-range input with an error wrapping one of ErrShort,
//     ErrLong, ErrRange, ErrUnknown, ErrTooLarge, ErrMissing or ErrSyntax.
//     They never panic. Every accepted binary input is canonical: encoding
//     the decoded value gives back the same bytes.
//   - TCP requests arrive on a stream without a length header; ReadRequest
//     reads exactly one, with hard caps on every length field (MaxSaveNameLen,
//     MaxSaveSize, MaxCustomSize).
//
// This package does no networking and keeps no state.
package proto
