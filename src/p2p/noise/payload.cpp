// The libp2p Noise handshake payload through the generated noise_payload.pb.h (see
// payload.hpp). The generated types stay in this file.
#include "cf/p2p/noise/payload.hpp"

#include <algorithm>
#include <limits>

#include "cf/p2p/noise/errc.hpp"
#include "cf/p2p/noise/identity_key.hpp"
#include "noise_payload.pb.h"

namespace cf::p2p::noise {

Bytes encode_payload(const HandshakePayload& payload) {
  pb::NoiseHandshakePayload m;
  m.set_identity_key(payload.identity_key.data(), payload.identity_key.size());
  m.set_identity_sig(payload.identity_sig.data(), payload.identity_sig.size());
  if (payload.stream_muxers) {
    pb::NoiseExtensions* ext = m.mutable_extensions();
    for (const auto& muxer : *payload.stream_muxers) ext->add_stream_muxers(muxer);
  }
  std::string out;
  m.SerializeToString(&out);
  return Bytes(out.begin(), out.end());
}

Result<HandshakePayload> decode_payload(ByteView bytes) {
  pb::NoiseHandshakePayload m;
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      !m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Error(errc::invalid_payload, "not a NoiseHandshakePayload protobuf (" +
                                            std::to_string(bytes.size()) + " bytes)");
  }
  HandshakePayload payload;
  payload.identity_key.assign(m.identity_key().begin(), m.identity_key().end());
  payload.identity_sig.assign(m.identity_sig().begin(), m.identity_sig().end());
  if (m.has_extensions()) {
    const auto& muxers = m.extensions().stream_muxers();
    payload.stream_muxers.emplace(muxers.begin(), muxers.end());
  }
  return payload;
}

Bytes signed_message(const PublicKey& static_key) {
  // Sized up front: g++ 12 reports a false -Warray-bounds for insert() here.
  Bytes message(signature_prefix.size() + static_key.size());
  auto it = std::copy(signature_prefix.begin(), signature_prefix.end(), message.begin());
  std::copy(static_key.begin(), static_key.end(), it);
  return message;
}

HandshakePayload make_payload(const identity::Ed25519Keypair& identity, const PublicKey& static_key,
                              const std::vector<std::string>& muxers) {
  const auto sig = identity.sign(signed_message(static_key));
  return HandshakePayload{identity.public_key().to_proto(), Bytes(sig.begin(), sig.end()), muxers};
}

Result<RemoteIdentity> verify_payload(const HandshakePayload& payload,
                                      const PublicKey& remote_static,
                                      const std::optional<multiformats::PeerId>& expected) {
  auto key = identity::decode_public_key(payload.identity_key);
  if (!key) {
    return Error(errc::invalid_identity_key,
                 "remote identity_key is not a libp2p PublicKey: " + key.error().message());
  }
  CF_TRY_ASSIGN(canonical, canonical_public_key(*key));
  auto id = multiformats::PeerId::from_public_key_proto(canonical);
  if (expected && *expected != id) {
    return Error(errc::peer_id_mismatch, "peer ID mismatch: expected " + expected->to_string() +
                                             ", got " + id.to_string());
  }
  CF_TRY(verify_signature(*key, signed_message(remote_static), payload.identity_sig));
  std::vector<std::string> muxers;
  if (payload.stream_muxers && payload.stream_muxers->size() <= max_muxers) {
    muxers = *payload.stream_muxers;
  }
  return RemoteIdentity{std::move(id), std::move(*key), std::move(muxers)};
}

std::optional<std::string> match_muxers(const std::vector<std::string>& initiator_muxers,
                                        const std::vector<std::string>& responder_muxers) {
  for (const auto& muxer : initiator_muxers) {
    if (std::find(responder_muxers.begin(), responder_muxers.end(), muxer) !=
        responder_muxers.end()) {
      return muxer;
    }
  }
  return std::nullopt;
}

}  // namespace cf::p2p::noise
