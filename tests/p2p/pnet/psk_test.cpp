// PSK parsing: the cluster secret (ipfs-cluster DecodeClusterSecret: 64 hex characters, either
// case) and swarm.key (go-libp2p core/pnet/codec.go). Keys below are made up for the tests.
#include "cf/p2p/pnet/psk.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <new>

#include "cf/base/bytes.hpp"
#include "cf/p2p/pnet/errc.hpp"

namespace cf::p2p::pnet {
namespace {

constexpr std::string_view hex_key =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

TEST(PnetPsk, ParsesHexOfEitherCase) {
  auto lower = parse_psk(hex_key);
  ASSERT_TRUE(lower) << lower.error().message();
  EXPECT_EQ(cf::to_hex(lower->key), hex_key);
  auto upper = parse_psk("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
  ASSERT_TRUE(upper);
  EXPECT_EQ(*upper, *lower);
}

TEST(PnetPsk, RejectsWrongLengthAndNonHex) {
  EXPECT_EQ(parse_psk("").error(), errc::invalid_psk);
  EXPECT_EQ(parse_psk(hex_key.substr(2)).error(), errc::invalid_psk);
  EXPECT_EQ(parse_psk(std::string(hex_key) + "00").error(), errc::invalid_psk);
  std::string bad(hex_key);
  bad[10] = 'g';
  EXPECT_EQ(parse_psk(bad).error(), errc::invalid_psk);
}

TEST(PnetSwarmKey, ParsesBase16WithCrLfHeaders) {
  auto psk = parse_swarm_key("/key/swarm/psk/1.0.0/\r\n/base16/\r\n" + std::string(hex_key) +
                             "\r\n");
  ASSERT_TRUE(psk) << psk.error().message();
  EXPECT_EQ(cf::to_hex(psk->key), hex_key);
  EXPECT_TRUE(parse_swarm_key("/key/swarm/psk/1.0.0/\n/base16/\n" + std::string(hex_key)));
}

TEST(PnetSwarmKey, ParsesBase64AndBin) {
  auto b64 = parse_swarm_key(
      "/key/swarm/psk/1.0.0/\n/base64/\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");
  ASSERT_TRUE(b64) << b64.error().message();
  EXPECT_EQ(cf::to_hex(b64->key), hex_key);
  std::string bin = "/key/swarm/psk/1.0.0/\n/bin/\n";
  for (int i = 0; i < 32; ++i) bin.push_back(static_cast<char>(i));
  auto raw = parse_swarm_key(bin);
  ASSERT_TRUE(raw);
  EXPECT_EQ(cf::to_hex(raw->key), hex_key);
}

TEST(PnetSwarmKey, RejectsBadFiles) {
  EXPECT_EQ(parse_swarm_key("").error(), errc::invalid_swarm_key);
  EXPECT_EQ(parse_swarm_key(hex_key).error(), errc::invalid_swarm_key);
  EXPECT_EQ(parse_swarm_key("/key/swarm/psk/2.0.0/\n/base16/\n" + std::string(hex_key)).error(),
            errc::invalid_swarm_key);
  EXPECT_EQ(parse_swarm_key("/key/swarm/psk/1.0.0/\n/base16/").error(), errc::invalid_swarm_key);
  EXPECT_EQ(parse_swarm_key("/key/swarm/psk/1.0.0/\n/base16/\n0011").error(),
            errc::invalid_swarm_key);
  EXPECT_EQ(parse_swarm_key("/key/swarm/psk/1.0.0/\n/base16/\n" + std::string(64, 'z')).error(),
            errc::invalid_swarm_key);
  EXPECT_EQ(parse_swarm_key("/key/swarm/psk/1.0.0/\n/base58/\n" + std::string(hex_key)).error(),
            errc::unknown_key_encoding);
  EXPECT_EQ(parse_swarm_key("/key/swarm/psk/1.0.0/\n/base64/\n!!!!").error(),
            errc::invalid_swarm_key);
}

// The key must not outlive its Psk: the destructor wipes it (a Psk lives in the host config and
// in every connection's ciphers).
TEST(Psk, DestructorWipesTheKey) {
  alignas(Psk) unsigned char storage[sizeof(Psk)];
  auto* psk = new (storage) Psk(*parse_psk(std::string(64, 'a')));
  ASSERT_EQ(psk->key[0], 0xaa);
  psk->~Psk();
  EXPECT_TRUE(std::all_of(std::begin(storage), std::end(storage), [](unsigned char b) { return b == 0; }));
}

}  // namespace
}  // namespace cf::p2p::pnet
