// Drives the gossipsub fuzz entry points with pseudo-random and mutated inputs: they must
// return 0 (an invariant failure aborts the test binary).
#include "gossipsub/fuzz_entry.hpp"

#include <gtest/gtest.h>

#include <random>

#include "cf/p2p/conn/frames.hpp"
#include "cf/p2p/gossipsub/signature.hpp"

namespace cf::p2p::gossipsub {
namespace {

// A framed stream a peer could send: hello, GRAFT, a genuine message, IHAVE/IWANT/IDONTWANT.
Bytes seed_stream() {
  const auto key = *identity::Ed25519Keypair::from_seed(Bytes(32, 2));
  Rpc hello;
  hello.subscriptions = {{true, "t"}};
  hello.control.graft = {{"t"}};
  Rpc message;
  message.publish = {*sign_message(key, "t", Bytes{'d'}, 7)};
  Rpc control;
  control.control.ihave = {{"t", {Bytes(24, 1)}}};
  control.control.iwant = {{{Bytes(24, 2)}}};
  control.control.idontwant = {{{Bytes(24, 3)}}};
  control.control.prune = {{"t", 1, 0}};
  Bytes out;
  for (const Rpc* rpc : {&hello, &message, &control}) append_frame(out, encode_rpc(*rpc));
  return out;
}

TEST(GossipsubFuzzEntry, SurvivesRandomInputs) {
  std::mt19937 rng(2024);
  for (int i = 0; i < 600; ++i) {
    Bytes input(rng() % 300);
    for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    ASSERT_EQ(fuzz_gossipsub_rpc(input.data(), input.size()), 0);
    ASSERT_EQ(fuzz_gossipsub_signed(input.data(), input.size()), 0);
  }
  EXPECT_EQ(fuzz_gossipsub_rpc(nullptr, 0), 0);
  EXPECT_EQ(fuzz_gossipsub_signed(nullptr, 0), 0);
}

TEST(GossipsubFuzzEntry, SurvivesMutatedStreams) {
  const Bytes seed = seed_stream();
  std::mt19937 rng(99);
  for (int i = 0; i < 600; ++i) {
    Bytes input = seed;
    for (int flips = static_cast<int>(rng() % 4); flips >= 0; --flips) {
      input[rng() % input.size()] = static_cast<std::uint8_t>(rng());
    }
    input.resize(rng() % (input.size() + 1));
    ASSERT_EQ(fuzz_gossipsub_rpc(input.data(), input.size()), 0);
    ASSERT_EQ(fuzz_gossipsub_signed(input.data(), input.size()), 0);
  }
}

}  // namespace
}  // namespace cf::p2p::gossipsub
