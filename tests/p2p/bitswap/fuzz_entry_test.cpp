// Drives the bitswap fuzz entry point with pseudo-random and mutated messages: it must return
// 0 and never abort (its invariant checks) on any of them.
#include "bitswap/fuzz_entry.hpp"

#include <gtest/gtest.h>

#include <random>

#include "cf/multiformats/multicodec.hpp"
#include "cf/p2p/bitswap/message.hpp"
#include "cf/p2p/bitswap/verify.hpp"

namespace cf::p2p::bitswap {
namespace {

namespace mf = cf::multiformats;

Message seed_message() {
  const Bytes data{'b', 'l', 'o', 'c', 'k'};
  const mf::Cid cid = mf::Cid::v1(mf::multicodec::dag_pb, mf::Multihash::sha2_256(data));
  const mf::Cid other = mf::Cid::v1(mf::multicodec::raw, mf::Multihash::sha2_256(Bytes{1, 2}));
  Message m;
  m.wantlist = {WantEntry{cid, 3, false, WantType::block, true},
                WantEntry{other, 2, false, WantType::have, true},
                WantEntry{*mf::Cid::v0(cid.hash()), 1, true, WantType::block, false}};
  m.payload = {BlockPayload{cid_prefix(cid), data}, BlockPayload{{0x00, 0x70, 0x12, 0x20}, data}};
  m.presences = {Presence{other, PresenceType::dont_have}, Presence{cid, PresenceType::have}};
  m.pending_bytes = 5;
  return m;
}

TEST(BitswapFuzzEntry, SurvivesRandomInputs) {
  std::mt19937 rng(1234);
  for (int i = 0; i < 3000; ++i) {
    Bytes input(rng() % 300);
    for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    ASSERT_EQ(fuzz_bitswap_message(input.data(), input.size()), 0);
  }
  EXPECT_EQ(fuzz_bitswap_message(nullptr, 0), 0);
}

TEST(BitswapFuzzEntry, SurvivesMutatedMessages) {
  const Bytes seed = encode_message(seed_message());
  ASSERT_EQ(fuzz_bitswap_message(seed.data(), seed.size()), 0);
  std::mt19937 rng(99);
  for (int i = 0; i < 3000; ++i) {
    Bytes input = seed;
    for (int flips = static_cast<int>(rng() % 4); flips >= 0; --flips) {
      input[rng() % input.size()] = static_cast<std::uint8_t>(rng());
    }
    input.resize(rng() % (input.size() + 1));
    ASSERT_EQ(fuzz_bitswap_message(input.data(), input.size()), 0);
  }
}

}  // namespace
}  // namespace cf::p2p::bitswap
