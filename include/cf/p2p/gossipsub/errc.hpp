// Error codes of the gossipsub sublayer (category "cf.p2p.gossipsub"), following the per-layer
// pattern of cf/base/errc.hpp. Signature errors name go-libp2p-pubsub's rejections where one
// exists (pubsub.go RejectMissingSignature, RejectInvalidSignature; sign.go messagePubKey).
#pragma once

#include <system_error>

namespace cf::p2p::gossipsub {

enum class errc {
  malformed_rpc = 1,     // an RPC that is not valid protobuf, or a known field of the wrong wire type
  rpc_too_large,         // an RPC above RpcLimits::max_size (go DefaultMaxMessageSize, 1 MiB)
  limit_exceeded,        // a length or count above an RpcLimits bound; the detail names which
  missing_signature,     // a message without field 5 (StrictSign rejects it)
  invalid_author,        // `from` is absent or not a peer ID
  no_public_key,         // no `key` and `from` does not inline one (not an identity multihash)
  invalid_key,           // `key` (or the key inlined in `from`) does not parse as a usable key
  key_mismatch,          // `key` does not hash to `from`
  bad_signature,         // the signature does not verify
  unsupported_protocol,  // add_peer with a protocol other than /meshsub/1.0.0, 1.1.0 or 1.2.0
  wrong_key,             // publish with a key pair that is not the router's own peer ID
  message_too_large,     // publish data that cannot fit one RPC of max_rpc_size
};

const std::error_category& gossipsub_category();
std::error_code make_error_code(errc e);

}  // namespace cf::p2p::gossipsub

template <>
struct std::is_error_code_enum<cf::p2p::gossipsub::errc> : std::true_type {};
