// Exercises the fuzz entry point on fixed and random inputs (no crash, no throw, returns 0).
#include "noise/fuzz_entry.hpp"

#include <gtest/gtest.h>

#include <random>

#include "cf/identity/ed25519.hpp"
#include "cf/p2p/noise/payload.hpp"

namespace cf::p2p::noise {
namespace {

int feed(const Bytes& b) { return fuzz_noise_payload(b.data(), b.size()); }

TEST(FuzzEntry, FixedInputs) {
  EXPECT_EQ(fuzz_noise_payload(nullptr, 0), 0);
  EXPECT_EQ(feed(Bytes(32, 0)), 0);
  EXPECT_EQ(feed(Bytes(200, 0xff)), 0);
  const auto kp = identity::Ed25519Keypair::generate();
  EXPECT_EQ(feed(encode_payload(make_payload(kp, PublicKey{}, {"/yamux/1.0.0"}))), 0);
  EXPECT_EQ(feed(Bytes{0x00, 0x05, 1, 2}), 0);
}

TEST(FuzzEntry, RandomInputs) {
  std::mt19937 rng(20240601);
  for (int i = 0; i < 200; ++i) {
    Bytes b(rng() % 400);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    EXPECT_EQ(feed(b), 0);
  }
}

}  // namespace
}  // namespace cf::p2p::noise
