// Drives the DNS reply fuzz entry point with pseudo-random and mutated replies: it must return
// 0 and never crash (its own invariant checks abort).
#include "dns/fuzz_entry.hpp"

#include <gtest/gtest.h>

#include <random>

#include "cf/p2p/dns/message.hpp"
#include "p2p/dns/fake_dns_server.hpp"

namespace cf::p2p::dns {
namespace {

TEST(DnsFuzzEntry, SurvivesRandomInputs) {
  std::mt19937 rng(2024);
  for (int i = 0; i < 3000; ++i) {
    Bytes input(rng() % 600);
    for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    ASSERT_EQ(fuzz_dns_reply(input.data(), input.size()), 0);
  }
  EXPECT_EQ(fuzz_dns_reply(nullptr, 0), 0);
}

TEST(DnsFuzzEntry, SurvivesMutatedReplies) {
  const auto query = *encode_query(Question{"_dnsaddr.example.com", rr_type::txt}, 0x4242);
  const auto seed = test::make_reply(
      query, {test::txt("dnsaddr=/ip4/1.2.3.4/tcp/4001/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq"),
              {"dnsaddr=/dnsaddr/", "sub.example.com/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq"},
              test::txt("v=spf1")});
  // The seed decodes and reaches the record selection.
  auto reply = decode_reply(seed, Question{"_dnsaddr.example.com", rr_type::txt}, 0x4242);
  ASSERT_TRUE(reply) << reply.error().message();
  ASSERT_EQ(reply->txt.size(), 3u);
  std::mt19937 rng(99);
  for (int i = 0; i < 5000; ++i) {
    Bytes input = seed;
    for (int flips = static_cast<int>(rng() % 4); flips >= 0; --flips) {
      input[rng() % input.size()] = static_cast<std::uint8_t>(rng());
    }
    input.resize(rng() % (input.size() + 1));
    ASSERT_EQ(fuzz_dns_reply(input.data(), input.size()), 0);
  }
}

}  // namespace
}  // namespace cf::p2p::dns
