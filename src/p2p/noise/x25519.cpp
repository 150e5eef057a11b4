// X25519 over libsodium (Noise spec §4.1; see x25519.hpp).
#include "cf/p2p/noise/x25519.hpp"

#include <sodium.h>

#include <algorithm>
#include <string>

#include "cf/p2p/noise/errc.hpp"

namespace cf::p2p::noise {
namespace {

void ensure_sodium() {
  // sodium_init is idempotent and thread-safe.
  [[maybe_unused]] static const int ready = sodium_init();
}

}  // namespace

SecretKey::SecretKey(ByteView raw) {
  bytes_.fill(0);
  std::copy_n(raw.begin(), std::min(raw.size(), bytes_.size()), bytes_.begin());
}

SecretKey::~SecretKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

X25519Keypair X25519Keypair::generate() {
  ensure_sodium();
  X25519Keypair kp;
  randombytes_buf(kp.secret.data(), key_size);
  crypto_scalarmult_base(kp.public_key.data(), kp.secret.data());
  return kp;
}

Result<X25519Keypair> X25519Keypair::from_secret(ByteView secret) {
  if (secret.size() != key_size) {
    return Error(errc::invalid_dh,
                 "an X25519 private key is 32 bytes, not " + std::to_string(secret.size()));
  }
  ensure_sodium();
  X25519Keypair kp;
  kp.secret = SecretKey(secret);
  crypto_scalarmult_base(kp.public_key.data(), kp.secret.data());
  return kp;
}

Result<SecretKey> dh(const X25519Keypair& ours, const PublicKey& theirs) {
  ensure_sodium();
  SecretKey shared;
  if (crypto_scalarmult(shared.data(), ours.secret.data(), theirs.data()) != 0) {
    return Error(errc::invalid_dh, "X25519 with a low-order public key " + to_hex(theirs));
  }
  return shared;
}

}  // namespace cf::p2p::noise
