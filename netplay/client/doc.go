// Package client is the netplay client: it joins a game server of the
// Mupen64Plus v2.0 netplay protocol (NETPLAY.md §2–§3; ours in
// netplay/server or a stock one), runs the boot sequence — registration,
// settings, saves, the registration table — and then serves as the core's
// pif.InputSource, answering every controller read from the server's
// ordered stream of input events (DESIGN.md §8). It also speaks the lobby
// (§4) over a minimal WebSocket client, to create or join a room.
//
// Wire formats come from package proto; nothing here re-encodes them.
//
// Determinism: a machine driven by a Client sees, for every port and event
// count, the event the server decided — the same on every client — and
// never its local sample (§3.4). Everything else that could make machines
// differ is fixed before the first instruction by Client.Setup: the
// settings block becomes core.Options, every client loads the same save
// images for this session only, and the ports and paks follow the
// registration table (§7).
package client
