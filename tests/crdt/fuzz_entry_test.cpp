// Drives the crdt fuzz entry points with pseudo-random and mutated inputs: they must return 0
// and never abort (a broken round trip aborts).
#include "fuzz_entry.hpp"

#include <gtest/gtest.h>

#include <random>

#include "golden.hpp"

namespace cf::crdt {
namespace {

using Entry = int (*)(const std::uint8_t*, std::size_t);

void random_inputs(Entry entry, unsigned seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < 3000; ++i) {
    Bytes input(rng() % 300);
    for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    ASSERT_EQ(entry(input.data(), input.size()), 0);
  }
  EXPECT_EQ(entry(nullptr, 0), 0);
}

void mutated_inputs(Entry entry, const Bytes& seed_input, unsigned seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < 3000; ++i) {
    Bytes input = seed_input;
    for (int flips = static_cast<int>(rng() % 4); flips >= 0; --flips) {
      input[rng() % input.size()] = static_cast<std::uint8_t>(rng());
    }
    input.resize(rng() % (input.size() + 1));
    ASSERT_EQ(entry(input.data(), input.size()), 0);
  }
}

TEST(CrdtFuzzEntry, SurvivesRandomInputs) {
  random_inputs(fuzz_dagpb, 11);
  random_inputs(fuzz_delta, 12);
  random_inputs(fuzz_broadcast, 13);
}

TEST(CrdtFuzzEntry, SurvivesMutatedGoldenInputs) {
  for (auto h : {golden::node_a_hex, golden::node_b_hex, golden::node_e_hex, golden::node_g_hex}) {
    mutated_inputs(fuzz_dagpb, golden::hex(h), 21);
  }
  // Node A's Data is its delta: everything after the 3-byte Data header.
  const Bytes a = golden::hex(golden::node_a_hex);
  mutated_inputs(fuzz_delta, Bytes(a.begin() + 3, a.end()), 22);
  mutated_inputs(fuzz_broadcast, golden::hex(golden::broadcast_b_hex), 23);
  const std::string id(golden::node_a_id);
  mutated_inputs(fuzz_broadcast, Bytes(id.begin(), id.end()), 24);
}

}  // namespace
}  // namespace cf::crdt
