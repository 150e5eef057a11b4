// DNS messages for TXT lookups (RFC 1035 §4, RFC 6891 for the OPT record), sans-I/O: bytes in,
// values out, no sockets and no randomness (the query ID is a parameter).
//
// Queries: one question, RD set, and an EDNS0 OPT record advertising a 1232-byte UDP payload,
// as go's net resolver sends (net/dnsclient_unix.go newRequest, maxDNSPacketSize), so that most
// replies fit one datagram and TCP is needed only for the rest.
//
// Replies follow go's resolver (net/dnsclient_unix.go checkResponse, lookup.go goLookupTXT):
// - the ID, the QR bit and the one question (name compared ASCII-case-insensitively, type,
//   class) must match the query, else not_a_reply / id_mismatch / question_mismatch;
// - TC set: Reply::truncated, nothing else is read (the caller asks again over TCP);
// - a non-zero RCODE: Reply::rcode, nothing else is read;
// - every answer record is bounds-checked; each TXT answer (any owner name, as go) becomes one
//   string, its character-strings concatenated without separator (go, and RFC 1464/dnsaddr
//   values longer than 255 bytes); other types are skipped. The authority and additional
//   sections are not read.
//
// Hostile input: every length is checked against the bytes that remain; a name is at most 255
// bytes and may follow at most 32 compression pointers, each pointing backwards, walked in a
// loop (no recursion); more than max_answers answers is refused before any is read. Memory is
// bounded by the packet size (at most 65535 bytes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/p2p/dns/errc.hpp"

namespace cf::p2p::dns {

namespace rr_type {
inline constexpr std::uint16_t cname = 5;
inline constexpr std::uint16_t txt = 16;
inline constexpr std::uint16_t opt = 41;
}  // namespace rr_type

inline constexpr std::uint16_t class_in = 1;
inline constexpr std::uint16_t edns_udp_payload = 1232;  // what we advertise (go's value)
inline constexpr std::size_t max_name_bytes = 255;       // wire form, RFC 1035 §2.3.4
inline constexpr std::size_t max_label_bytes = 63;
inline constexpr std::size_t max_pointer_jumps = 32;
inline constexpr std::size_t max_answers = 1000;

// RCODE values the resolver tells apart (RFC 1035 §4.1.1).
namespace rcode {
inline constexpr std::uint8_t no_error = 0;
inline constexpr std::uint8_t format_error = 1;
inline constexpr std::uint8_t server_failure = 2;
inline constexpr std::uint8_t name_error = 3;  // NXDOMAIN
inline constexpr std::uint8_t refused = 5;
}  // namespace rcode

// What is asked: a name in dotted text form ("_dnsaddr.example.com", a trailing dot allowed;
// every name is absolute, no search list) and a record type.
struct Question {
  std::string name;
  std::uint16_t type = rr_type::txt;
};

struct Reply {
  std::uint16_t id = 0;
  bool truncated = false;             // TC: the answer did not fit; ask over TCP
  std::uint8_t rcode = rcode::no_error;
  std::vector<std::string> txt;       // one string per TXT answer, in reply order
};

// The wire form of `name` (length-prefixed labels and the root label).
Result<Bytes> encode_name(std::string_view name);

// A complete query message with ID `id`; errc::bad_query_name for an unusable name.
Result<Bytes> encode_query(const Question& question, std::uint16_t id);

// Decodes a reply to the query `question` sent with ID `id` (behaviour in the file comment).
Result<Reply> decode_reply(ByteView packet, const Question& question, std::uint16_t id);

}  // namespace cf::p2p::dns
