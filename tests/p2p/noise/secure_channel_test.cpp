// SecureChannel: chunking at 65519 plaintext bytes, partial frames, failure is final.
#include "cf/p2p/noise/secure_channel.hpp"

#include <gtest/gtest.h>

#include <random>

#include "cf/p2p/noise/errc.hpp"

namespace cf::p2p::noise {
namespace {

SecretKey filled(std::uint8_t b) {
  const Bytes raw(32, b);
  return SecretKey(raw);
}

// Two ends of one connection: a's send key is b's receive key and the other way round.
std::pair<SecureChannel, SecureChannel> pair_of_channels() {
  return {SecureChannel(TransportCiphers{CipherState(filled(1)), CipherState(filled(2))}),
          SecureChannel(TransportCiphers{CipherState(filled(2)), CipherState(filled(1))})};
}

Bytes pattern(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 7 + i / 251);
  return b;
}

TEST(SecureChannel, SmallMessagesBothWays) {
  auto [a, b] = pair_of_channels();
  auto wire = a.encrypt(as_bytes("ping"));
  ASSERT_TRUE(wire);
  EXPECT_EQ(wire->size(), 2u + 4 + 16);
  EXPECT_EQ(to_string(*b.feed(*wire)), "ping");
  EXPECT_EQ(to_string(*a.feed(*b.encrypt(as_bytes("pong")))), "pong");
  EXPECT_TRUE(a.encrypt({})->empty());  // go writes no frame for an empty write
}

TEST(SecureChannel, BigWriteIsSplitIntoMaximalFrames) {
  auto [a, b] = pair_of_channels();
  const Bytes big = pattern(5 * max_plaintext_size + 100);  // 6 frames, > the 256 KiB bound
  auto wire = a.encrypt(big);
  ASSERT_TRUE(wire);
  ASSERT_EQ(wire->size(), big.size() + 6 * (2 + 16));
  EXPECT_EQ(to_hex(ByteView(*wire).first(2)), "ffff");  // 65519 + 16 = 65535
  EXPECT_EQ(to_hex(ByteView(*wire).subspan(65537, 2)), "ffff");
  auto plain = b.feed(*wire);  // more than one frame at once, and more than the bound
  ASSERT_TRUE(plain);
  EXPECT_EQ(*plain, big);
  EXPECT_EQ(b.buffered(), 0u);
}

TEST(SecureChannel, ArbitraryChunkingKeepsPartialFrames) {
  auto [a, b] = pair_of_channels();
  Bytes wire;
  Bytes expected;
  for (std::size_t n : {1u, 500u, 70000u, 3u, 65519u, 65520u}) {
    const Bytes msg = pattern(n);
    expected.insert(expected.end(), msg.begin(), msg.end());
    auto w = a.encrypt(msg);
    ASSERT_TRUE(w);
    wire.insert(wire.end(), w->begin(), w->end());
  }
  std::mt19937 rng(7);
  Bytes got;
  for (std::size_t pos = 0; pos < wire.size();) {
    const std::size_t n = std::min<std::size_t>(wire.size() - pos, 1 + rng() % 9000);
    auto plain = b.feed(ByteView(wire).subspan(pos, n));
    ASSERT_TRUE(plain);
    got.insert(got.end(), plain->begin(), plain->end());
    pos += n;
  }
  EXPECT_EQ(got, expected);
}

TEST(SecureChannel, FlippedBitEndsTheChannel) {
  auto [a, b] = pair_of_channels();
  auto wire = *a.encrypt(as_bytes("secret data"));
  wire[5] ^= 0x04;
  EXPECT_EQ(b.feed(wire).error(), errc::decrypt_failed);
  EXPECT_TRUE(b.failed());
  EXPECT_EQ(b.feed(*a.encrypt(as_bytes("more"))).error(), errc::channel_failed);
  EXPECT_EQ(b.encrypt(as_bytes("x")).error(), errc::channel_failed);
}

TEST(SecureChannel, ShortFrameAndReplayFail) {
  auto [a, b] = pair_of_channels();
  EXPECT_EQ(b.feed(Bytes{0x00, 0x03, 1, 2, 3}).error(), errc::decrypt_failed);
  auto [c, d] = pair_of_channels();
  auto wire = *c.encrypt(as_bytes("once"));
  ASSERT_TRUE(d.feed(wire));
  EXPECT_EQ(d.feed(wire).error(), errc::decrypt_failed);  // nonce 1 now: a replay fails
}

TEST(SecureChannel, ExhaustedSendNonceFails) {
  CipherState send(filled(1));
  send.set_nonce(CipherState::max_nonce);
  SecureChannel a(TransportCiphers{send, CipherState(filled(2))});
  EXPECT_EQ(a.encrypt(as_bytes("x")).error(), errc::nonce_exhausted);
  EXPECT_TRUE(a.failed());
}

}  // namespace
}  // namespace cf::p2p::noise
