// Error codes of the multiformats layer (varint, multibase, multihash, CID, multiaddr, peer ID).
// Follows the per-layer category pattern of cf/base/errc.hpp; category name "cf.multiformats".
#pragma once

#include <system_error>

namespace cf::multiformats {

enum class errc {
  truncated = 1,       // the input ended inside a value (a varint, a length-prefixed field)
  varint_overflow,     // an unsigned varint longer than 9 bytes (over 63 bits)
  varint_not_minimal,  // an unsigned varint with a redundant trailing zero group
  unknown_base,        // a multibase prefix character we do not support
  invalid_encoding,    // a character outside the alphabet, bad length or bad padding
  invalid_multihash,   // a multihash whose length field does not match its digest
  invalid_cid,         // a CID with a bad version, codec or trailing bytes
  unknown_protocol,    // a multiaddr protocol name or code we do not know
  invalid_multiaddr,   // a multiaddr with a missing or malformed value
  invalid_peer_id,     // a peer ID that is not an identity or sha2-256/32 multihash
};

const std::error_category& multiformats_category();
std::error_code make_error_code(errc e);

}  // namespace cf::multiformats

template <>
struct std::is_error_code_enum<cf::multiformats::errc> : std::true_type {};
