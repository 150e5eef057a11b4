// Noise SymmetricState with SHA-256 (Noise spec rev 34 §5.2, §4.3 HKDF, §12.5 "SHA256";
// libp2p-wire.md §4.2). HASH = crypto_hash_sha256, HMAC = crypto_auth_hmacsha256 (any key
// length), HKDF(ck, ikm): temp = HMAC(ck, ikm), o1 = HMAC(temp, 0x01), o2 = HMAC(temp, o1 || 0x02).
// A plain value owned by one handshake; not thread-safe. ck and the cipher key are wiped on
// destruction (h is public transcript data).
#pragma once

#include <string_view>
#include <utility>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/p2p/noise/cipher_state.hpp"
#include "cf/p2p/noise/x25519.hpp"

namespace cf::p2p::noise {

using Hash = std::array<std::uint8_t, key_size>;

// HKDF with two outputs (Noise §4.3), exposed for tests.
std::pair<SecretKey, SecretKey> hkdf2(ByteView chaining_key, ByteView input_key_material);

class SymmetricState {
 public:
  // InitializeSymmetric(protocol_name): h = name padded with zeros when it is at most 32 bytes
  // (Noise_XX_25519_ChaChaPoly_SHA256 is exactly 32), else SHA256(name); ck = h; no key.
  explicit SymmetricState(std::string_view protocol_name);

  void mix_key(ByteView input_key_material);
  void mix_hash(ByteView data);
  // Appends EncryptWithAd(h, plaintext) to `out`, then MixHash(that ciphertext).
  Status encrypt_and_hash(ByteView plaintext, Bytes& out);
  // DecryptWithAd(h, ciphertext), then MixHash(ciphertext); appends the plaintext to `out`.
  Status decrypt_and_hash(ByteView ciphertext, Bytes& out);
  // Split(): (c1, c2) = HKDF(ck, empty). c1 protects initiator -> responder.
  std::pair<CipherState, CipherState> split() const;

  bool has_key() const { return cipher_.has_key(); }
  const Hash& handshake_hash() const { return h_; }

 private:
  SecretKey ck_;
  Hash h_{};
  CipherState cipher_;
};

}  // namespace cf::p2p::noise
