// Drives the identify fuzz entry point with pseudo-random and mutated inputs: it must return 0
// and never crash on any of them.
#include "identify/fuzz_entry.hpp"

#include <gtest/gtest.h>

#include <random>

#include "cf/p2p/identify/stream.hpp"

namespace cf::p2p::identify {
namespace {

TEST(IdentifyFuzzEntry, SurvivesRandomInputs) {
  std::mt19937 rng(4321);
  for (int i = 0; i < 3000; ++i) {
    Bytes input(rng() % 400);
    for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    ASSERT_EQ(fuzz_identify(input.data(), input.size()), 0);
  }
  EXPECT_EQ(fuzz_identify(nullptr, 0), 0);
}

TEST(IdentifyFuzzEntry, SurvivesMutatedMessages) {
  IdentifyInfo info;
  info.protocol_version = "ipfs/0.1.0";
  info.agent_version = "go-ipfs";
  info.protocols = {"/ipfs/id/1.0.0", "/meshsub/1.1.0"};
  info.listen_addrs = {*multiformats::Multiaddr::parse("/ip4/1.2.3.4/tcp/4001"),
                       *multiformats::Multiaddr::parse("/ip6/::1/udp/4001/quic-v1")};
  info.observed_addr = *multiformats::Multiaddr::parse("/ip4/5.6.7.8/tcp/1");
  Bytes seed{7};
  const Bytes frames = encode_identify_frames(info);
  seed.insert(seed.end(), frames.begin(), frames.end());
  std::mt19937 rng(77);
  for (int i = 0; i < 3000; ++i) {
    Bytes input = seed;
    for (int flips = static_cast<int>(rng() % 4); flips >= 0; --flips) {
      input[rng() % input.size()] = static_cast<std::uint8_t>(rng());
    }
    input.resize(rng() % (input.size() + 1));
    ASSERT_EQ(fuzz_identify(input.data(), input.size()), 0);
    ASSERT_EQ(fuzz_identify(input.data() + 1, input.size() > 0 ? input.size() - 1 : 0), 0);
  }
}

}  // namespace
}  // namespace cf::p2p::identify
