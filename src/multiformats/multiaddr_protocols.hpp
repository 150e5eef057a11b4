// The multiaddr protocol table and value transcoders (private to the multiformats layer).
// Codes, sizes and value rules from go-multiaddr protocols.go and transcoders.go.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"

namespace cf::multiformats::multiaddr_detail {

// How a protocol's value is written in text and checked in binary.
enum class ValueKind : std::uint8_t { none, ip4, ip6, port, host, zone, p2p, path, certhash };

struct Protocol {
  std::string_view name;
  std::uint64_t code;
  int size_bits;  // 0 = no value, -1 = uvarint length prefix, else a fixed size in bits
  ValueKind kind;
};

// nullptr when unknown. "ipfs" resolves to p2p.
const Protocol* protocol_by_name(std::string_view name);
const Protocol* protocol_by_code(std::uint64_t code);

// Text value to binary value. The error detail says what is wrong with the value only;
// the caller adds the address and component.
Result<Bytes> value_from_text(const Protocol& p, std::string_view text);

// Checks a binary value (length already matches a fixed size).
Status validate_value(const Protocol& p, ByteView value);

// Binary value (already validated) to text.
std::string value_to_text(const Protocol& p, ByteView value);

}  // namespace cf::multiformats::multiaddr_detail
