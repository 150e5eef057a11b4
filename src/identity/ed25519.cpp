// Ed25519 over libsodium (RFC 8032; key layouts per libp2p/specs peer-ids/peer-ids.md and
// go-libp2p core/crypto/ed25519.go UnmarshalEd25519PrivateKey).
#include "cf/identity/ed25519.hpp"

#include <algorithm>
#include <string>

#include <sodium.h>

#include "cf/identity/errc.hpp"
#include "cf/identity/keys.hpp"

namespace cf::identity {
namespace {

void ensure_sodium() {
  // sodium_init is idempotent and thread-safe; returns -1 only if libsodium cannot work at all.
  [[maybe_unused]] static const int ready = sodium_init();
}

}  // namespace

Result<Ed25519PublicKey> Ed25519PublicKey::from_bytes(ByteView raw) {
  if (raw.size() != size) {
    return Error(errc::invalid_key, "an Ed25519 public key is 32 bytes, not " +
                                        std::to_string(raw.size()));
  }
  std::array<std::uint8_t, size> key{};
  std::copy(raw.begin(), raw.end(), key.begin());
  return Ed25519PublicKey(key);
}

Result<Ed25519PublicKey> Ed25519PublicKey::from_proto(ByteView public_key_proto) {
  CF_TRY_ASSIGN(proto, decode_public_key(public_key_proto));
  if (proto.type != KeyType::ed25519) {
    return Error(errc::unsupported_key_type,
                 "unsupported public key type " + std::string(to_string(proto.type)) +
                     " (only Ed25519 is supported)");
  }
  return from_bytes(proto.data);
}

Result<Ed25519PublicKey> Ed25519PublicKey::from_peer_id(const multiformats::PeerId& id) {
  auto key = id.extract_ed25519_public_key();
  if (!key) return Error(errc::unsupported_key_type, key.error().message());
  return Ed25519PublicKey(*key);
}

Bytes Ed25519PublicKey::to_proto() const {
  return encode_public_key(KeyProto{KeyType::ed25519, Bytes(key_.begin(), key_.end())});
}

multiformats::PeerId Ed25519PublicKey::peer_id() const {
  return multiformats::PeerId::from_public_key_proto(to_proto());
}

bool Ed25519PublicKey::verify(ByteView message, ByteView signature) const {
  ensure_sodium();
  if (signature.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     key_.data()) == 0;
}

Ed25519Keypair Ed25519Keypair::generate() {
  ensure_sodium();
  std::array<std::uint8_t, 64> secret{};
  std::array<std::uint8_t, 32> pub{};
  crypto_sign_keypair(pub.data(), secret.data());
  Ed25519Keypair pair(secret, Ed25519PublicKey(pub));
  sodium_memzero(secret.data(), secret.size());
  return pair;
}

Result<Ed25519Keypair> Ed25519Keypair::from_seed(ByteView seed) {
  if (seed.size() != seed_size) {
    return Error(errc::invalid_key,
                 "an Ed25519 seed is 32 bytes, not " + std::to_string(seed.size()));
  }
  ensure_sodium();
  std::array<std::uint8_t, 64> secret{};
  std::array<std::uint8_t, 32> pub{};
  crypto_sign_seed_keypair(pub.data(), secret.data(), seed.data());
  Ed25519Keypair pair(secret, Ed25519PublicKey(pub));
  sodium_memzero(secret.data(), secret.size());
  return pair;
}

Result<Ed25519Keypair> Ed25519Keypair::from_private_key_data(ByteView data) {
  if (data.size() != 64 && data.size() != 96) {
    return Error(errc::invalid_key, "Ed25519 private key data is " + std::to_string(data.size()) +
                                        " bytes (want 64, or the legacy 96)");
  }
  if (data.size() == 96 && !std::equal(data.begin() + 32, data.begin() + 64, data.begin() + 64)) {
    return Error(errc::invalid_key,
                 "legacy 96-byte Ed25519 private key: the two public key copies differ");
  }
  CF_TRY_ASSIGN(pair, from_seed(data.first(seed_size)));
  const ByteView stored = data.subspan(32, 32);
  if (!std::equal(stored.begin(), stored.end(), pair.public_key().bytes().begin())) {
    return Error(errc::invalid_key,
                 "Ed25519 private key: the public key does not belong to the seed");
  }
  return pair;
}

Result<Ed25519Keypair> Ed25519Keypair::from_proto(ByteView private_key_proto) {
  CF_TRY_ASSIGN(proto, decode_private_key(private_key_proto));
  if (proto.type != KeyType::ed25519) {
    sodium_memzero(proto.data.data(), proto.data.size());
    return Error(errc::unsupported_key_type,
                 "unsupported private key type " + std::string(to_string(proto.type)) +
                     " (only Ed25519 is supported)");
  }
  auto pair = from_private_key_data(proto.data);
  sodium_memzero(proto.data.data(), proto.data.size());
  return pair;
}

Ed25519Keypair::~Ed25519Keypair() { sodium_memzero(secret_.data(), secret_.size()); }

Bytes Ed25519Keypair::to_proto() const {
  return encode_private_key(KeyProto{KeyType::ed25519, Bytes(secret_.begin(), secret_.end())});
}

Ed25519Signature Ed25519Keypair::sign(ByteView message) const {
  ensure_sodium();
  Ed25519Signature signature{};
  crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), secret_.data());
  return signature;
}

}  // namespace cf::identity
