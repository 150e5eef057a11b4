// A stub DNS client for TXT lookups on asio: the thin I/O driver of the sans-I/O codec in
// message.hpp, following go's net resolver (net/dnsclient_unix.go tryOneName, exchange,
// dnsPacketRoundTrip, dnsStreamRoundTrip).
//
// lookup_txt asks each nameserver in turn, config.attempts rounds over the list:
// - over UDP from a connected socket (only the server's datagrams arrive), with a fresh ID
//   from config.random_id per exchange; datagrams that are not a reply to our query (another
//   ID or question) are ignored, as go does, up to 16 of them, until the try times out;
// - a reply with TC set is asked again of the same server over TCP (2-byte length prefix);
// - RCODE 0 ends the lookup with the TXT strings (possibly none); RCODE 3 (NXDOMAIN) ends it
//   with errc::name_not_found; any other RCODE, a malformed reply, a socket error or a try
//   past config.try_timeout moves on to the next server.
// If no server gave an answer, the error is errc::server_failure when one answered with a
// failure RCODE, else errc::no_answer; its detail names the name, the servers and the last
// failure.
//
// Every exchange is bounded by config.try_timeout, so a lookup takes at most
// attempts * servers * 2 * try_timeout. Cancelling the awaiting coroutine (or wrapping it in
// with_timeout) cancels the pending socket operation; no further server is asked.
// Runs on the caller's executor; the sockets live in the coroutine frame.
#pragma once

#include <string>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/p2p/dns/config.hpp"
#include "cf/p2p/dns/errc.hpp"

namespace cf::p2p::dns {

// The TXT strings of `name` (absolute; a trailing dot is optional), one per record, each
// record's character-strings concatenated.
Task<Result<std::vector<std::string>>> lookup_txt(std::string name, Config config);

}  // namespace cf::p2p::dns
