// CipherState (Noise §5.1, §12.3) and the Noise HKDF (§4.3). HKDF vector: RFC 5869 test case 3
// (SHA-256, empty salt, empty info), which is Noise's HKDF with ck = empty.
#include "cf/p2p/noise/cipher_state.hpp"

#include <sodium.h>

#include <gtest/gtest.h>

#include "cf/p2p/noise/errc.hpp"
#include "cf/p2p/noise/symmetric_state.hpp"
#include "vectors/peer_id_spec.hpp"

namespace cf::p2p::noise {
namespace {

using cf::test::peer_id_spec::unhex;

SecretKey test_key() { return SecretKey(unhex(std::string(64, 'a'))); }

TEST(Hkdf, Rfc5869TestCase3) {
  auto [o1, o2] = hkdf2({}, Bytes(22, 0x0b));
  const std::string okm = to_hex(o1.view()) + to_hex(o2.view());
  EXPECT_EQ(okm.substr(0, 84),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST(CipherState, NonceIsFourZeroBytesThenLittleEndianCounter) {
  CipherState cs(test_key());
  cs.set_nonce(0x0102030405060708ull);
  Bytes ours;
  ASSERT_TRUE(cs.encrypt_with_ad(as_bytes("ad"), as_bytes("plain"), ours));
  EXPECT_EQ(cs.nonce(), 0x0102030405060709ull);

  const std::uint8_t nonce[12] = {0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1};
  Bytes direct(5 + 16);
  unsigned long long len = 0;
  const auto key = test_key();
  crypto_aead_chacha20poly1305_ietf_encrypt(direct.data(), &len,
                                            as_bytes("plain").data(), 5, as_bytes("ad").data(), 2,
                                            nullptr, nonce, key.data());
  EXPECT_EQ(ours, direct);
}

TEST(CipherState, RoundTripAndBadTag) {
  CipherState enc(test_key());
  CipherState dec(test_key());
  Bytes wire;
  ASSERT_TRUE(enc.encrypt_with_ad({}, as_bytes("hello"), wire));
  EXPECT_EQ(wire.size(), 5u + tag_size);
  Bytes altered = wire;
  altered[0] ^= 0x80;
  Bytes plain;
  EXPECT_EQ(dec.decrypt_with_ad({}, altered, plain).error(), errc::decrypt_failed);
  EXPECT_TRUE(plain.empty());
  EXPECT_EQ(dec.nonce(), 0u);  // a failed decryption does not advance n
  ASSERT_TRUE(dec.decrypt_with_ad({}, wire, plain));
  EXPECT_EQ(to_string(plain), "hello");
  EXPECT_EQ(dec.decrypt_with_ad({}, Bytes(15), plain).error(), errc::decrypt_failed);
}

TEST(CipherState, WithoutKeyBytesPassThrough) {
  CipherState cs;
  EXPECT_FALSE(cs.has_key());
  Bytes out;
  ASSERT_TRUE(cs.encrypt_with_ad(as_bytes("x"), as_bytes("abc"), out));
  EXPECT_EQ(to_string(out), "abc");
  EXPECT_EQ(cs.nonce(), 0u);
}

TEST(CipherState, NonceMaxIsReserved) {
  CipherState enc(test_key());
  enc.set_nonce(CipherState::max_nonce - 1);
  Bytes out;
  ASSERT_TRUE(enc.encrypt_with_ad({}, as_bytes("last"), out));  // n = 2^64-2 is the last one
  EXPECT_EQ(enc.encrypt_with_ad({}, as_bytes("over"), out).error(), errc::nonce_exhausted);
  CipherState dec(test_key());
  dec.set_nonce(CipherState::max_nonce);
  Bytes plain;
  EXPECT_EQ(dec.decrypt_with_ad({}, out, plain).error(), errc::nonce_exhausted);
}

TEST(SymmetricState, ShortProtocolNameIsPaddedNotHashed) {
  SymmetricState ss("Noise_XX_25519_ChaChaPoly_SHA256");
  EXPECT_EQ(to_string(ss.handshake_hash()), "Noise_XX_25519_ChaChaPoly_SHA256");
  SymmetricState shorter("Noise_NN");
  Hash padded{};
  std::copy_n("Noise_NN", 8, padded.begin());
  EXPECT_EQ(shorter.handshake_hash(), padded);
  EXPECT_FALSE(ss.has_key());
}

}  // namespace
}  // namespace cf::p2p::noise
