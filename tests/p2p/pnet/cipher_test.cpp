// pnet keystream and framing. Vectors: libp2p-wire.md §2 [CALC, libsodium]; the splits check
// the keystream's continuity against a one-shot libsodium keystream.
#include "cf/p2p/pnet/cipher.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <numeric>
#include <random>

namespace cf::p2p::pnet {
namespace {

Psk counting_psk() {
  Psk psk;
  std::iota(psk.key.begin(), psk.key.end(), std::uint8_t{0});  // 00..1f
  return psk;
}

Nonce counting_nonce() {
  Nonce nonce;
  std::iota(nonce.begin(), nonce.end(), std::uint8_t{0});  // 00..17
  return nonce;
}

Bytes from_hex(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// The reference: libsodium's keystream in one call.
Bytes one_shot_keystream(std::size_t n) {
  Bytes out(n);
  const Psk psk = counting_psk();
  const Nonce nonce = counting_nonce();
  crypto_stream_xsalsa20(out.data(), out.size(), nonce.data(), psk.key.data());
  return out;
}

// Keystream produced by Cipher::apply over zeros, in pieces of the given sizes.
Bytes keystream_in_pieces(const std::vector<std::size_t>& pieces) {
  Cipher cipher(counting_psk(), counting_nonce());
  Bytes out;
  for (std::size_t n : pieces) {
    Bytes chunk(n, 0);
    cipher.apply(chunk);
    out.insert(out.end(), chunk.begin(), chunk.end());
  }
  return out;
}

constexpr std::string_view keystream_0_63 =
    "7cb660afdd9ec6468f57dd6d2433f93428fd82cd7386c5471a24d8ad2a525b6e"
    "5eff384fc7caa210bb3c8f3e688f4a9752a546df8c253fef17a2679455c7a1e1";

TEST(PnetCipher, KeystreamBytes0To63) {  // [CALC] libp2p-wire.md §2
  EXPECT_EQ(to_hex(keystream_in_pieces({64})), keystream_0_63);
  EXPECT_EQ(to_hex(keystream_in_pieces(std::vector<std::size_t>(64, 1))), keystream_0_63);
  EXPECT_EQ(to_hex(one_shot_keystream(64)), keystream_0_63);
}

TEST(PnetCipher, ContinuousCiphertextOverTwoWrites) {  // [CALC] libp2p-wire.md §2
  Writer writer(counting_psk(), counting_nonce());
  Bytes wire;
  writer.seal(from_hex("132f6d756c746973747265616d2f312e302e300a"), wire);  // 20 bytes
  writer.seal(from_hex("072f6e6f6973650a"), wire);                          // 8 bytes
  EXPECT_EQ(to_hex(wire), "000102030405060708090a0b0c0d0e0f1011121314151617"
                          "6f990ddab1eaaf35fb25b80c491cc81a18d3b2c774a9ab287357bda7");
}

TEST(PnetCipher, OddSplitsMatchTheOneShotKeystream) {
  const std::vector<std::vector<std::size_t>> splits = {
      std::vector<std::size_t>(300, 1), {63, 65, 172}, {65, 63, 172}, {64, 64, 172},
      {1, 127, 1, 171},                 {0, 300},      {128, 0, 1, 63, 108}, {299, 1}};
  const Bytes expected = one_shot_keystream(300);
  for (const auto& split : splits) {
    EXPECT_EQ(keystream_in_pieces(split), expected) << "split of " << split.size() << " pieces";
  }
}

TEST(PnetCipher, RandomSplitsMatchTheOneShotKeystream) {
  const Bytes expected = one_shot_keystream(4096);
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::size_t> pieces;
    std::size_t left = expected.size();
    while (left > 0) {
      const std::size_t n = std::min<std::size_t>(left, rng() % 200);
      pieces.push_back(n);
      left -= n;
    }
    ASSERT_EQ(keystream_in_pieces(pieces), expected) << "round " << round;
  }
}

TEST(PnetCipher, OffsetCountsKeystreamBytes) {
  Cipher cipher(counting_psk(), counting_nonce());
  Bytes chunk(70);
  cipher.apply(chunk);
  cipher.apply(std::span<std::uint8_t>{});
  EXPECT_EQ(cipher.offset(), 70u);
}

TEST(PnetWriter, SendsTheNonceOnceEvenForAnEmptyFirstWrite) {
  Writer writer(counting_psk(), counting_nonce());
  EXPECT_FALSE(writer.nonce_sent());
  EXPECT_EQ(to_hex(writer.seal({})), "000102030405060708090a0b0c0d0e0f1011121314151617");
  EXPECT_TRUE(writer.nonce_sent());
  EXPECT_EQ(to_hex(writer.seal(from_hex("13"))), "6f");
}

TEST(PnetReader, CollectsTheNonceThenDecrypts) {
  const Bytes wire = from_hex(
      "000102030405060708090a0b0c0d0e0f1011121314151617"
      "6f990ddab1eaaf35fb25b80c491cc81a18d3b2c774a9ab287357bda7");
  const std::string plaintext = "132f6d756c746973747265616d2f312e302e300a072f6e6f6973650a";
  for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
    Reader reader(counting_psk());
    Bytes out = reader.open(ByteView(wire).first(cut));
    EXPECT_EQ(reader.has_nonce(), cut >= nonce_size);
    reader.open(ByteView(wire).subspan(cut), out);
    EXPECT_EQ(to_hex(out), plaintext) << "cut at " << cut;
  }
}

TEST(PnetReader, RoundTripsWithAWriterOverByteSizedPieces) {
  const Nonce nonce = random_nonce();
  Writer writer(counting_psk(), nonce);
  Reader reader(counting_psk());
  Bytes message(1000);
  std::iota(message.begin(), message.end(), std::uint8_t{3});
  Bytes wire = writer.seal(ByteView(message).first(10));
  writer.seal(ByteView(message).subspan(10), wire);
  Bytes out;
  for (std::uint8_t b : wire) reader.open(ByteView(&b, 1), out);
  EXPECT_EQ(out, message);
}

TEST(PnetReader, AWrongPskGivesGarbage) {
  Writer writer(counting_psk(), counting_nonce());
  Psk other = counting_psk();
  other.key[0] ^= 1;
  Reader reader(other);
  const Bytes out = reader.open(writer.seal(from_hex("132f6d756c746973747265616d2f312e302e300a")));
  EXPECT_NE(to_hex(out), "132f6d756c746973747265616d2f312e302e300a");
}

TEST(PnetNonce, RandomNoncesDiffer) { EXPECT_NE(random_nonce(), random_nonce()); }

}  // namespace
}  // namespace cf::p2p::pnet
