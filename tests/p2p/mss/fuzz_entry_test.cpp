// Drives the multistream-select fuzz entry point with pseudo-random and mutated inputs: it
// must return 0 and never crash on any of them.
#include "mss/fuzz_entry.hpp"

#include <gtest/gtest.h>

#include <random>

#include "cf/p2p/mss/message.hpp"

namespace cf::p2p::mss {
namespace {

TEST(MssFuzzEntry, SurvivesRandomInputs) {
  std::mt19937 rng(1234);
  for (int i = 0; i < 3000; ++i) {
    Bytes input(rng() % 300);
    for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    ASSERT_EQ(fuzz_mss(input.data(), input.size()), 0);
  }
  EXPECT_EQ(fuzz_mss(nullptr, 0), 0);
}

TEST(MssFuzzEntry, SurvivesMutatedNegotiations) {
  Bytes seed{3};
  for (std::string_view token : {protocol_id, std::string_view("/tls/1.0.0"), na, ls,
                                 std::string_view("/noise")}) {
    append_message(seed, token);
  }
  std::mt19937 rng(99);
  for (int i = 0; i < 3000; ++i) {
    Bytes input = seed;
    for (int flips = static_cast<int>(rng() % 4); flips >= 0; --flips) {
      input[rng() % input.size()] = static_cast<std::uint8_t>(rng());
    }
    input.resize(rng() % (input.size() + 1));
    ASSERT_EQ(fuzz_mss(input.data(), input.size()), 0);
  }
}

}  // namespace
}  // namespace cf::p2p::mss
