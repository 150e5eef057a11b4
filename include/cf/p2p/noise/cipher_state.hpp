// Noise CipherState with ChaChaPoly (Noise spec rev 34 §5.1, §12.3 "ChaChaPoly"; libp2p-wire.md
// §4.2). AEAD = libsodium crypto_aead_chacha20poly1305_ietf with the 12-byte nonce
// 00 00 00 00 || little-endian uint64(n) (flynn/noise cipher_suite.go cipherChaChaPoly); the
// 16-byte tag is appended. Nonce 2^64-1 is reserved: once n reaches it, every call fails with
// errc::nonce_exhausted (the spec's "signal an error"; libp2p never rekeys). A failed decryption
// leaves n unchanged (spec §5.1). Rekey() is not implemented: libp2p does not use it.
// A plain value owned by one connection; not thread-safe. The key is wiped on destruction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/p2p/noise/x25519.hpp"

namespace cf::p2p::noise {

inline constexpr std::size_t tag_size = 16;

class CipherState {
 public:
  static constexpr std::uint64_t max_nonce = std::numeric_limits<std::uint64_t>::max();

  CipherState() = default;  // no key: encrypt/decrypt pass bytes through (spec InitializeKey(empty))
  explicit CipherState(const SecretKey& key) : key_(key), has_key_(true) {}

  // InitializeKey(k): sets the key and n = 0.
  void initialize_key(const SecretKey& key);
  bool has_key() const { return has_key_; }
  std::uint64_t nonce() const { return n_; }
  // SetNonce(n), for tests of the nonce limit.
  void set_nonce(std::uint64_t n) { n_ = n; }

  // EncryptWithAd: appends ciphertext || tag (or the plaintext when there is no key) to `out`.
  Status encrypt_with_ad(ByteView ad, ByteView plaintext, Bytes& out);
  // DecryptWithAd: appends the plaintext to `out`; errc::decrypt_failed on a bad tag or a
  // ciphertext shorter than the tag (out is unchanged then).
  Status decrypt_with_ad(ByteView ad, ByteView ciphertext, Bytes& out);

 private:
  SecretKey key_;
  bool has_key_ = false;
  std::uint64_t n_ = 0;
};

}  // namespace cf::p2p::noise
