// The libp2p Noise handshake payload and its checks (libp2p/specs noise/README.md "The libp2p
// Handshake Payload", "Handshake Pattern"; go-libp2p p2p/security/noise/handshake.go
// generateHandshakePayload / handleRemoteHandshakePayload, transport.go; libp2p-wire.md §4.4,
// §4.6). proto2:
//   NoiseHandshakePayload { optional bytes identity_key = 1; optional bytes identity_sig = 2;
//                           optional NoiseExtensions extensions = 4; }
//   NoiseExtensions { repeated bytes webtransport_certhashes = 1; repeated string stream_muxers = 2; }
// identity_sig signs "noise-libp2p-static-key:" || the sender's 32-byte X25519 static key.
// Checks run in go's order: parse, decode the key, derive the peer ID, compare with the
// expected ID, verify the signature.
// Divergence: webtransport_certhashes is neither sent nor kept (TCP only).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/identity/ed25519.hpp"
#include "cf/identity/keys.hpp"
#include "cf/multiformats/peer_id.hpp"
#include "cf/p2p/noise/x25519.hpp"

namespace cf::p2p::noise {

inline constexpr std::string_view signature_prefix = "noise-libp2p-static-key:";
// go ignores a muxer list longer than this (transport.go maxProtoNum).
inline constexpr std::size_t max_muxers = 100;

// The decoded payload. `stream_muxers` is nullopt when the extensions field is absent.
struct HandshakePayload {
  Bytes identity_key;  // a serialized libp2p PublicKey protobuf
  Bytes identity_sig;
  std::optional<std::vector<std::string>> stream_muxers;
};

// Deterministic proto2 encoding, fields in tag order (go's output for the same values).
Bytes encode_payload(const HandshakePayload& payload);
// errc::invalid_payload when the bytes are not a NoiseHandshakePayload.
Result<HandshakePayload> decode_payload(ByteView bytes);

// "noise-libp2p-static-key:" || static_key: the bytes identity_sig signs.
Bytes signed_message(const PublicKey& static_key);

// Our payload: our identity key, its signature over our static key, and `muxers` in the
// extensions (always present, as go's transport sends it, possibly empty).
HandshakePayload make_payload(const identity::Ed25519Keypair& identity, const PublicKey& static_key,
                              const std::vector<std::string>& muxers);

// What a verified remote payload tells us.
struct RemoteIdentity {
  multiformats::PeerId id;
  identity::KeyProto key;            // the identity key as received (type and data)
  std::vector<std::string> muxers;  // empty when absent or longer than max_muxers
};

// Checks a remote payload against the static key the handshake delivered.
// errc::invalid_identity_key, errc::unsupported_key_type, errc::peer_id_mismatch (detail:
// "expected <id>, got <id>"), errc::invalid_signature.
Result<RemoteIdentity> verify_payload(const HandshakePayload& payload,
                                      const PublicKey& remote_static,
                                      const std::optional<multiformats::PeerId>& expected);

// Early muxer negotiation: the first of the initiator's muxers the responder also lists, or
// nullopt (go transport.go matchMuxers; then multistream-select must pick the muxer).
std::optional<std::string> match_muxers(const std::vector<std::string>& initiator_muxers,
                                        const std::vector<std::string>& responder_muxers);

}  // namespace cf::p2p::noise
