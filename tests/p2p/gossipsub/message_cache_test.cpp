// The message cache (go-libp2p-pubsub v0.16 mcache.go): windows, gossip IDs, per-peer request
// counts, aliases and the entry cap.
#include "cf/p2p/gossipsub/message_cache.hpp"

#include <gtest/gtest.h>

namespace cf::p2p::gossipsub {
namespace {

Message message_in(const std::string& topic, std::uint8_t tag) {
  Message m;
  m.topic = topic;
  m.data = Bytes{tag};
  m.raw = Bytes{tag, tag};
  return m;
}

multiformats::PeerId peer(std::uint8_t n) { return *multiformats::PeerId::from_bytes(Bytes{0x00, 0x02, 0x08, n}); }

TEST(GossipsubMessageCache, GossipCoversTheNewestWindowsAndGetCoversAll) {
  MessageCache cache(3, 2, 100);
  ASSERT_TRUE(cache.put(Bytes{1}, {}, message_in("a", 1)));
  ASSERT_TRUE(cache.put(Bytes{2}, {}, message_in("b", 2)));
  cache.shift();
  ASSERT_TRUE(cache.put(Bytes{3}, {}, message_in("a", 3)));
  EXPECT_EQ(cache.gossip_ids("a"), (std::vector<MessageId>{Bytes{3}, Bytes{1}}));
  EXPECT_EQ(cache.gossip_ids("b"), (std::vector<MessageId>{Bytes{2}}));
  cache.shift();
  EXPECT_EQ(cache.gossip_ids("a"), (std::vector<MessageId>{Bytes{3}}));
  ASSERT_NE(cache.get(Bytes{1}), nullptr);
  EXPECT_EQ(cache.get(Bytes{1})->data, Bytes{1});
  cache.shift();
  EXPECT_EQ(cache.get(Bytes{1}), nullptr) << "older than history_length";
  EXPECT_NE(cache.get(Bytes{3}), nullptr);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(GossipsubMessageCache, CountsRequestsPerPeer) {
  MessageCache cache(3, 2, 100);
  ASSERT_TRUE(cache.put(Bytes{1}, {}, message_in("a", 1)));
  EXPECT_EQ(cache.get_for_peer(Bytes{1}, peer(1))->count, 1);
  EXPECT_EQ(cache.get_for_peer(Bytes{1}, peer(1))->count, 2);
  EXPECT_EQ(cache.get_for_peer(Bytes{1}, peer(2))->count, 1);
  EXPECT_FALSE(cache.get_for_peer(Bytes{9}, peer(1)));
}

TEST(GossipsubMessageCache, FindsEntriesByAlias) {
  MessageCache cache(2, 1, 100);
  ASSERT_TRUE(cache.put(Bytes{1}, Bytes{1, 1}, message_in("a", 1)));
  EXPECT_FALSE(cache.put(Bytes{1, 1}, {}, message_in("a", 1))) << "already held under its alias";
  EXPECT_FALSE(cache.put(Bytes{1}, {}, message_in("a", 1)));
  ASSERT_NE(cache.get(Bytes{1, 1}), nullptr);
  EXPECT_EQ(cache.get_for_peer(Bytes{1, 1}, peer(1))->count, 1);
  EXPECT_EQ(cache.get_for_peer(Bytes{1}, peer(1))->count, 2) << "one count per message";
  EXPECT_EQ(cache.gossip_ids("a"), std::vector<MessageId>{Bytes{1}}) << "gossip uses the primary ID";
  cache.shift();
  cache.shift();
  EXPECT_EQ(cache.get(Bytes{1, 1}), nullptr);
}

TEST(GossipsubMessageCache, RefusesEntriesBeyondTheCap) {
  MessageCache cache(2, 1, 2);
  EXPECT_TRUE(cache.put(Bytes{1}, {}, message_in("a", 1)));
  EXPECT_TRUE(cache.put(Bytes{2}, {}, message_in("a", 2)));
  EXPECT_FALSE(cache.put(Bytes{3}, {}, message_in("a", 3)));
  cache.shift();
  cache.shift();
  EXPECT_TRUE(cache.put(Bytes{3}, {}, message_in("a", 3)));
}

TEST(GossipsubMessageCache, ClampsItsWindows) {
  MessageCache cache(0, 5, 10);  // one window, gossiped
  ASSERT_TRUE(cache.put(Bytes{1}, {}, message_in("a", 1)));
  EXPECT_EQ(cache.gossip_ids("a").size(), 1u);
  cache.shift();
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace cf::p2p::gossipsub
