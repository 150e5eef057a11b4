// Noise SymmetricState over libsodium SHA-256 / HMAC-SHA256 (Noise spec §5.2, §4.3).
#include "cf/p2p/noise/symmetric_state.hpp"

#include <sodium.h>

#include <algorithm>

namespace cf::p2p::noise {
namespace {

void hmac(ByteView key, ByteView a, ByteView b, std::uint8_t* out) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  crypto_auth_hmacsha256_update(&state, a.data(), a.size());
  crypto_auth_hmacsha256_update(&state, b.data(), b.size());
  crypto_auth_hmacsha256_final(&state, out);
  sodium_memzero(&state, sizeof state);
}

}  // namespace

std::pair<SecretKey, SecretKey> hkdf2(ByteView chaining_key, ByteView input_key_material) {
  static constexpr std::uint8_t one[] = {0x01};
  static constexpr std::uint8_t two[] = {0x02};
  SecretKey temp;
  hmac(chaining_key, input_key_material, {}, temp.data());
  SecretKey out1;
  SecretKey out2;
  hmac(temp.view(), one, {}, out1.data());
  hmac(temp.view(), out1.view(), two, out2.data());
  return {out1, out2};
}

SymmetricState::SymmetricState(std::string_view protocol_name) {
  const ByteView name = as_bytes(protocol_name);
  if (name.size() <= h_.size()) {
    std::copy(name.begin(), name.end(), h_.begin());  // the rest of h_ stays zero
  } else {
    crypto_hash_sha256(h_.data(), name.data(), name.size());
  }
  ck_ = SecretKey(h_);
}

void SymmetricState::mix_key(ByteView input_key_material) {
  auto [ck, temp_k] = hkdf2(ck_.view(), input_key_material);
  ck_ = ck;
  cipher_.initialize_key(temp_k);  // HASHLEN is 32: temp_k is used whole
}

void SymmetricState::mix_hash(ByteView data) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, h_.data(), h_.size());
  crypto_hash_sha256_update(&state, data.data(), data.size());
  crypto_hash_sha256_final(&state, h_.data());
}

Status SymmetricState::encrypt_and_hash(ByteView plaintext, Bytes& out) {
  const std::size_t start = out.size();
  CF_TRY(cipher_.encrypt_with_ad(h_, plaintext, out));
  mix_hash(ByteView(out).subspan(start));
  return ok();
}

Status SymmetricState::decrypt_and_hash(ByteView ciphertext, Bytes& out) {
  CF_TRY(cipher_.decrypt_with_ad(h_, ciphertext, out));
  mix_hash(ciphertext);
  return ok();
}

std::pair<CipherState, CipherState> SymmetricState::split() const {
  auto [k1, k2] = hkdf2(ck_.view(), {});
  return {CipherState(k1), CipherState(k2)};
}

}  // namespace cf::p2p::noise
