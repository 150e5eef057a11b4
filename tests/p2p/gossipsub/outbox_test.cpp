// The per-peer output queue: coalescing, splitting under the RPC size limit, the byte bound and
// the replacement of stale control.
#include "cf/p2p/gossipsub/outbox.hpp"

#include <gtest/gtest.h>

namespace cf::p2p::gossipsub {
namespace {

// A Message of `n` bytes (n < 130): one data field of fill bytes.
SharedBytes raw_of(std::size_t n, std::uint8_t fill) {
  Bytes raw(n, fill);
  raw[0] = 0x12;
  raw[1] = static_cast<std::uint8_t>(n - 2);
  return std::make_shared<const Bytes>(std::move(raw));
}

std::vector<Rpc> decode_all(const std::vector<Bytes>& rpcs, std::size_t limit) {
  std::vector<Rpc> out;
  for (const auto& r : rpcs) {
    EXPECT_LE(r.size(), limit);
    auto rpc = decode_rpc(r);
    EXPECT_TRUE(rpc);
    if (rpc) out.push_back(std::move(*rpc));
  }
  return out;
}

TEST(GossipsubOutbox, CoalescesEverythingIntoOneRpc) {
  Outbox box(1 << 20);
  box.add_subscription({true, "t"});
  box.add_graft({"t"});
  EXPECT_TRUE(box.add_ihave({"t", {Bytes{1}}}));
  EXPECT_TRUE(box.add_iwant({{Bytes{2}}}));
  EXPECT_TRUE(box.add_idontwant({{Bytes{3}}}));
  EXPECT_TRUE(box.add_message(raw_of(10, 0x0a)));
  EXPECT_TRUE(box.add_prune({"u", 60, 0}, true));
  std::size_t dropped = 0;
  const auto rpcs = decode_all(box.take(max_rpc_size, dropped), max_rpc_size);
  ASSERT_EQ(rpcs.size(), 1u);
  EXPECT_EQ(dropped, 0u);
  EXPECT_EQ(rpcs[0].subscriptions.size(), 1u);
  EXPECT_EQ(rpcs[0].control.graft.size(), 1u);
  EXPECT_EQ(rpcs[0].control.prune.size(), 1u);
  EXPECT_EQ(rpcs[0].control.ihave.size(), 1u);
  EXPECT_EQ(rpcs[0].control.iwant.size(), 1u);
  EXPECT_EQ(rpcs[0].control.idontwant.size(), 1u);
  EXPECT_EQ(rpcs[0].publish.at(0).raw, *raw_of(10, 0x0a));
  EXPECT_TRUE(box.empty());
  EXPECT_EQ(box.queued_bytes(), 0u);
  EXPECT_TRUE(box.take(max_rpc_size, dropped).empty());
}

TEST(GossipsubOutbox, SplitsUnderTheLimitAndDropsWhatCannotFit) {
  Outbox box(1 << 20);
  box.add_graft({"t"});
  for (std::uint8_t i = 0; i < 5; ++i) EXPECT_TRUE(box.add_message(raw_of(40, i)));
  EXPECT_TRUE(box.add_message(raw_of(120, 9)));  // larger than any RPC of 100 bytes
  std::size_t dropped = 0;
  const auto rpcs = decode_all(box.take(100, dropped), 100);
  EXPECT_EQ(dropped, 1u);
  std::size_t messages = 0;
  for (const auto& r : rpcs) messages += r.publish.size();
  EXPECT_EQ(messages, 5u);
  EXPECT_EQ(rpcs.at(0).control.graft.size(), 1u);
  EXPECT_GE(rpcs.size(), 3u);
}

TEST(GossipsubOutbox, BoundsQueuedBytesExceptOurOwnControl) {
  Outbox box(100);
  EXPECT_TRUE(box.add_message(raw_of(60, 1)));
  EXPECT_FALSE(box.add_message(raw_of(60, 2)));
  EXPECT_FALSE(box.add_ihave({"t", {Bytes(50, 1)}}));
  EXPECT_FALSE(box.add_prune({std::string(50, 'x'), 60, 0}, true));
  box.add_graft({std::string(50, 'y')});
  box.add_subscription({true, std::string(50, 'z')});
  EXPECT_TRUE(box.add_prune({std::string(50, 'x'), 60, 0}, false));
  EXPECT_GT(box.queued_bytes(), 100u);
  std::size_t dropped = 0;
  EXPECT_EQ(box.take(max_rpc_size, dropped).size(), 1u);
}

TEST(GossipsubOutbox, LaterControlReplacesStaleControl) {
  Outbox box(1 << 20);
  box.add_subscription({true, "t"});
  box.add_subscription({false, "t"});
  box.add_graft({"t"});
  EXPECT_TRUE(box.add_prune({"t", 10, 0}, false));
  box.add_graft({"u"});
  box.add_graft({"u"});
  std::size_t dropped = 0;
  const auto rpcs = decode_all(box.take(max_rpc_size, dropped), max_rpc_size);
  ASSERT_EQ(rpcs.size(), 1u);
  ASSERT_EQ(rpcs[0].subscriptions.size(), 1u);
  EXPECT_FALSE(rpcs[0].subscriptions[0].subscribe);
  ASSERT_EQ(rpcs[0].control.graft.size(), 1u);
  EXPECT_EQ(rpcs[0].control.graft[0].topic, "u");
  ASSERT_EQ(rpcs[0].control.prune.size(), 1u);
  EXPECT_EQ(rpcs[0].control.prune[0].topic, "t");
}

}  // namespace
}  // namespace cf::p2p::gossipsub
