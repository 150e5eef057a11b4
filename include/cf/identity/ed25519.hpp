// Ed25519 keys for libp2p (RFC 8032 signatures via libsodium; key encodings from libp2p/specs
// peer-ids/peer-ids.md "Ed25519" and go-libp2p core/crypto/ed25519.go).
// The private key Data is seed(32) ‖ public(32), libsodium's crypto_sign secret-key layout; a
// legacy 96-byte form repeats the public key and is accepted only when both copies match.
#pragma once

#include <array>
#include <cstdint>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/multiformats/peer_id.hpp"

namespace cf::identity {

using Ed25519Signature = std::array<std::uint8_t, 64>;

// A 32-byte Ed25519 public key. Regular value type.
class Ed25519PublicKey {
 public:
  static constexpr std::size_t size = 32;

  explicit Ed25519PublicKey(const std::array<std::uint8_t, size>& key) : key_(key) {}

  // Raw 32 bytes (checks the length).
  static Result<Ed25519PublicKey> from_bytes(ByteView raw);
  // A serialized libp2p PublicKey; errc::unsupported_key_type for other key types.
  static Result<Ed25519PublicKey> from_proto(ByteView public_key_proto);
  // The key inlined in an identity-multihash peer ID ("12D3KooW…").
  static Result<Ed25519PublicKey> from_peer_id(const multiformats::PeerId& id);

  ByteView bytes() const { return key_; }
  // The 36-byte PublicKey protobuf 08 01 12 20 <key>.
  Bytes to_proto() const;
  multiformats::PeerId peer_id() const;

  // RFC 8032 verification; false for a bad signature or one that is not 64 bytes.
  bool verify(ByteView message, ByteView signature) const;

  friend bool operator==(const Ed25519PublicKey&, const Ed25519PublicKey&) = default;

 private:
  std::array<std::uint8_t, size> key_;
};

// An Ed25519 key pair. Copyable; the secret is wiped (sodium_memzero) on destruction. Holds no
// resources and is safe to use from any thread (sign is const).
class Ed25519Keypair {
 public:
  static constexpr std::size_t seed_size = 32;

  // A new random key pair (libsodium crypto_sign_keypair).
  static Ed25519Keypair generate();
  // The key pair of a 32-byte seed (deterministic; for tests and imports).
  static Result<Ed25519Keypair> from_seed(ByteView seed);
  // A PrivateKey's Data: 64 bytes seed ‖ pub, or the legacy 96-byte seed ‖ pub ‖ pub. The pub
  // must equal the one derived from the seed.
  static Result<Ed25519Keypair> from_private_key_data(ByteView data);
  // A serialized libp2p PrivateKey; errc::unsupported_key_type names any other key type.
  static Result<Ed25519Keypair> from_proto(ByteView private_key_proto);

  Ed25519Keypair(const Ed25519Keypair&) = default;
  Ed25519Keypair& operator=(const Ed25519Keypair&) = default;
  ~Ed25519Keypair();

  const Ed25519PublicKey& public_key() const { return public_key_; }
  // The 68-byte PrivateKey protobuf 08 01 12 40 <seed ‖ pub>.
  Bytes to_proto() const;

  Ed25519Signature sign(ByteView message) const;

 private:
  Ed25519Keypair(const std::array<std::uint8_t, 64>& secret, const Ed25519PublicKey& pub)
      : secret_(secret), public_key_(pub) {}

  std::array<std::uint8_t, 64> secret_;  // seed ‖ pub (libsodium secret key)
  Ed25519PublicKey public_key_;
};

}  // namespace cf::identity
