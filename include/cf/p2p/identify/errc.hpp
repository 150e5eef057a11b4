// Error codes of the identify sublayer (/ipfs/id/1.0.0, /ipfs/id/push/1.0.0). Category
// "cf.p2p.identify", pattern of cf/base/errc.hpp.
#pragma once

#include <system_error>

namespace cf::p2p::identify {

enum class errc {
  invalid_message = 1,  // the bytes are not an Identify protobuf
  invalid_length,       // a frame's length prefix is not a minimal unsigned varint
  message_too_large,    // a frame over max_message_size (go signedIDSize, 8 KiB)
  too_many_messages,    // more frames than go's readAllIDMessages accepts
  truncated,            // the stream ended inside a frame
  invalid_public_key,   // publicKey is not a libp2p PublicKey protobuf
  peer_id_mismatch,     // publicKey belongs to another peer than the connection's remote
};

const std::error_category& identify_category();
std::error_code make_error_code(errc e);

}  // namespace cf::p2p::identify

template <>
struct std::is_error_code_enum<cf::p2p::identify::errc> : std::true_type {};
