// libp2p peer IDs (libp2p/specs peer-ids/peer-ids.md; go-libp2p core/peer/peer.go).
// A peer ID is the multihash of a serialized PublicKey protobuf: the identity multihash when
// the protobuf is at most 42 bytes (Ed25519: "12D3KooW…"), else sha2-256 (RSA: "Qm…").
// Text: legacy base58btc of the multihash, or a CIDv1 with codec libp2p-key (0x72).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/multiformats/cid.hpp"
#include "cf/multiformats/multihash.hpp"

namespace cf::multiformats {

// Public keys that serialize to at most this many bytes are inlined (identity multihash).
inline constexpr std::size_t max_inline_key_size = 42;

// A regular value type. Always an identity multihash or a sha2-256 multihash with a 32-byte
// digest (the rule go-multiaddr applies to /p2p values).
class PeerId {
 public:
  // "Qm…" or "1…": base58btc multihash; otherwise a multibase CIDv1 whose codec must be
  // libp2p-key. Errors name the text.
  static Result<PeerId> parse(std::string_view text);

  // The binary form (the multihash bytes), as in pubsub `from` and /p2p multiaddr values.
  static Result<PeerId> from_bytes(ByteView bytes);
  static Result<PeerId> from_multihash(Multihash hash);

  // The peer ID of a serialized PublicKey protobuf.
  static PeerId from_public_key_proto(ByteView public_key_proto);

  const Multihash& multihash() const { return hash_; }
  const Bytes& bytes() const { return hash_.bytes(); }

  // base58btc (what go prints).
  std::string to_string() const;
  // CIDv1, codec libp2p-key, multibase base32 ("bafz…").
  std::string to_cid_string() const;
  Cid to_cid() const;

  // The serialized PublicKey protobuf when it is inlined (identity multihash).
  std::optional<Bytes> public_key_proto() const;

  // The raw 32-byte key when the ID inlines an Ed25519 PublicKey (08 01 12 20 <key>).
  Result<std::array<std::uint8_t, 32>> extract_ed25519_public_key() const;

  friend bool operator==(const PeerId& a, const PeerId& b) { return a.hash_ == b.hash_; }
  friend std::strong_ordering operator<=>(const PeerId& a, const PeerId& b) {
    return a.hash_ <=> b.hash_;
  }

 private:
  explicit PeerId(Multihash hash) : hash_(std::move(hash)) {}

  Multihash hash_;
};

}  // namespace cf::multiformats

template <>
struct std::hash<cf::multiformats::PeerId> {
  std::size_t operator()(const cf::multiformats::PeerId& p) const noexcept {
    return cf::multiformats::hash_bytes(p.bytes());
  }
};
