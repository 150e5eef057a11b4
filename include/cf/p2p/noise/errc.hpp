// Error codes of the Noise security sublayer (category "cf.p2p.noise"), following the per-layer
// pattern of cf/base/errc.hpp. peer_id_mismatch is go-libp2p's sec.ErrPeerIDMismatch; the
// Error's detail names the expected and the actual peer ID. Every code except invalid_state
// means the connection must be closed.
#pragma once

#include <system_error>

namespace cf::p2p::noise {

enum class errc {
  message_too_large = 1,  // a Noise message or frame above 65535 bytes
  truncated_message,      // a handshake message shorter than its tokens need
  decrypt_failed,         // a ChaChaPoly tag did not verify (wrong key, altered bytes)
  nonce_exhausted,        // a cipher reached nonce 2^64-1, which Noise reserves
  invalid_dh,             // X25519 gave the all-zero output (a low-order remote key)
  invalid_payload,        // the NoiseHandshakePayload protobuf does not parse
  invalid_identity_key,   // identity_key is missing or not a valid libp2p public key
  unsupported_key_type,   // a key type this build cannot verify
  invalid_signature,      // identity_sig does not sign "noise-libp2p-static-key:" || static key
  peer_id_mismatch,       // the remote is not the peer we dialed; detail names both IDs
  buffer_overflow,        // more unframed input buffered than the reader's bound
  unexpected_message,     // a handshake frame arrived when none was expected
  invalid_state,          // API misuse: start() on a responder, finish() before done(), ...
  channel_failed,         // a SecureChannel used after it reported an error
};

const std::error_category& noise_category();
std::error_code make_error_code(errc e);

}  // namespace cf::p2p::noise

template <>
struct std::is_error_code_enum<cf::p2p::noise::errc> : std::true_type {};
