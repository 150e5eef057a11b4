// X25519 for Noise's DH functions (Noise spec rev 34 §4.1, §12.1 "25519"; libsodium
// crypto_scalarmult / crypto_scalarmult_base, which clamp the scalar as RFC 7748 asks).
// DH failure: libsodium refuses an all-zero shared secret (a low-order public key); go's
// curve25519.X25519 (flynn/noise cipher_suite.go) errors in the same case, so we report
// errc::invalid_dh instead of mixing zeros into the key (the spec allows either).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"

namespace cf::p2p::noise {

inline constexpr std::size_t key_size = 32;  // X25519 keys, ChaChaPoly keys and SHA-256 output
using PublicKey = std::array<std::uint8_t, key_size>;

// 32 secret bytes, wiped (sodium_memzero) when destroyed or overwritten. Copies are wiped too.
class SecretKey {
 public:
  SecretKey() { bytes_.fill(0); }
  explicit SecretKey(ByteView raw);  // takes the first 32 bytes; `raw` must hold at least 32
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  ~SecretKey();

  const std::uint8_t* data() const { return bytes_.data(); }
  std::uint8_t* data() { return bytes_.data(); }
  ByteView view() const { return bytes_; }

 private:
  std::array<std::uint8_t, key_size> bytes_;
};

// An X25519 key pair: Noise static (`s`) or ephemeral (`e`) key. A regular value.
struct X25519Keypair {
  SecretKey secret;
  PublicKey public_key{};

  // A fresh key pair from libsodium's CSPRNG (production).
  static X25519Keypair generate();
  // The key pair of a 32-byte private key (test vectors, injected keys). Any 32 bytes are a
  // valid X25519 private key; a wrong length is errc::invalid_dh.
  static Result<X25519Keypair> from_secret(ByteView secret);
};

// DH(private, remote public); errc::invalid_dh for a low-order remote key.
Result<SecretKey> dh(const X25519Keypair& ours, const PublicKey& theirs);

}  // namespace cf::p2p::noise
