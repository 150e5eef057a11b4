// Noise CipherState over libsodium's ChaChaPoly IETF (Noise spec §5.1, §12.3; see the header).
#include "cf/p2p/noise/cipher_state.hpp"

#include <sodium.h>

#include <array>
#include <string>

#include "cf/p2p/noise/errc.hpp"

namespace cf::p2p::noise {
namespace {

// 4 zero bytes, then the 64-bit counter little-endian (Noise §12.3).
std::array<std::uint8_t, crypto_aead_chacha20poly1305_IETF_NPUBBYTES> make_nonce(
    std::uint64_t n) {
  std::array<std::uint8_t, crypto_aead_chacha20poly1305_IETF_NPUBBYTES> nonce{};
  for (std::size_t i = 0; i < 8; ++i) nonce[4 + i] = static_cast<std::uint8_t>(n >> (8 * i));
  return nonce;
}

Status exhausted() {
  return Error(errc::nonce_exhausted, "noise nonce reached 2^64-1; the connection must end");
}

}  // namespace

void CipherState::initialize_key(const SecretKey& key) {
  key_ = key;
  has_key_ = true;
  n_ = 0;
}

Status CipherState::encrypt_with_ad(ByteView ad, ByteView plaintext, Bytes& out) {
  if (!has_key_) {
    out.insert(out.end(), plaintext.begin(), plaintext.end());
    return ok();
  }
  if (n_ == max_nonce) return exhausted();
  const auto nonce = make_nonce(n_);
  const std::size_t start = out.size();
  out.resize(start + plaintext.size() + tag_size);
  unsigned long long written = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(out.data() + start, &written, plaintext.data(),
                                            plaintext.size(), ad.data(), ad.size(), nullptr,
                                            nonce.data(), key_.data());
  out.resize(start + static_cast<std::size_t>(written));
  ++n_;
  return ok();
}

Status CipherState::decrypt_with_ad(ByteView ad, ByteView ciphertext, Bytes& out) {
  if (!has_key_) {
    out.insert(out.end(), ciphertext.begin(), ciphertext.end());
    return ok();
  }
  if (n_ == max_nonce) return exhausted();
  if (ciphertext.size() < tag_size) {
    return Error(errc::decrypt_failed, "noise ciphertext of " +
                                           std::to_string(ciphertext.size()) +
                                           " bytes is shorter than the 16-byte tag");
  }
  const auto nonce = make_nonce(n_);
  const std::size_t start = out.size();
  out.resize(start + ciphertext.size() - tag_size);
  unsigned long long written = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data() + start, &written, nullptr,
                                                ciphertext.data(), ciphertext.size(), ad.data(),
                                                ad.size(), nonce.data(), key_.data()) != 0) {
    out.resize(start);
    return Error(errc::decrypt_failed,
                 "noise message failed authentication at nonce " + std::to_string(n_));
  }
  out.resize(start + static_cast<std::size_t>(written));
  ++n_;
  return ok();
}

}  // namespace cf::p2p::noise
