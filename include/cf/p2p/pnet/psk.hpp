// Pre-shared keys for libp2p private networks (libp2p/specs pnet/Private-Networks-PSK-V1.md;
// go-libp2p core/pnet/codec.go; ipfs-cluster cluster_config.go DecodeClusterSecret).
// Two sources: the cluster's `secret`, 64 hex characters of either case, and Kubo's swarm.key:
//   /key/swarm/psk/1.0.0/\n  /base16/|/base64/|/bin/\n  <key>
// whose header lines may end in \r\n. Divergence: go reads exactly the key's bytes from a
// decoding stream; we take the first 64 hex characters (base16), the first 44 characters after
// dropping line breaks (base64, padded) or the first 32 bytes (bin) and ignore what follows.
// An empty cluster secret means "no PSK": callers test for it before calling parse_psk.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cf/base/result.hpp"

namespace cf::p2p::pnet {

inline constexpr std::size_t psk_size = 32;
inline constexpr std::string_view psk_header = "/key/swarm/psk/1.0.0/";

// The 32-byte XSalsa20 key, used as is (no KDF). Never log it. Every copy wipes its key
// (sodium_memzero) when destroyed.
struct Psk {
  Psk() = default;
  Psk(const Psk&) = default;
  Psk& operator=(const Psk&) = default;
  ~Psk();

  std::array<std::uint8_t, psk_size> key{};

  friend bool operator==(const Psk&, const Psk&) = default;
};

// The cluster secret form. errc::invalid_psk for a wrong length or a non-hex character.
Result<Psk> parse_psk(std::string_view hex);

// The swarm.key form. errc::invalid_swarm_key for a missing/wrong header or a short or
// malformed key; errc::unknown_key_encoding for an unsupported second line.
Result<Psk> parse_swarm_key(std::string_view text);

}  // namespace cf::p2p::pnet
