// The ED25519 key pair of libp2p/specs peer-ids/peer-ids.md "Test vectors", shared by the
// identity tests (see PROVENANCE.md). Hex text, as the spec prints it.
#pragma once

#include <string_view>

#include "cf/base/bytes.hpp"
#include "cf/multiformats/multibase.hpp"

namespace cf::test::peer_id_spec {

inline constexpr const char* ed25519_private =
    "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be"
    "8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
inline constexpr const char* ed25519_public =
    "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
inline constexpr const char* ed25519_seed =
    "7e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d";
inline constexpr const char* ed25519_public_raw =
    "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
// [CALC] in the brief: derived from ed25519_public by the peer ID rules.
inline constexpr const char* ed25519_peer_id = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

// Hex text to bytes; the vectors are known-good, so a bad one is a test bug (abort).
inline Bytes unhex(std::string_view hex) {
  return *multiformats::multibase::decode_raw(multiformats::multibase::Base::base16, hex);
}

}  // namespace cf::test::peer_id_spec
