// The seen-messages cache: first-seen TTL and the hard cap on entries.
#include "cf/p2p/gossipsub/seen_cache.hpp"

#include <gtest/gtest.h>

namespace cf::p2p::gossipsub {
namespace {

using std::chrono::seconds;
const SeenCache::TimePoint t0 = SeenCache::TimePoint{} + seconds(100);

TEST(GossipsubSeenCache, EntriesLiveTheTtlFromFirstSight) {
  SeenCache cache(seconds(60), 100);
  EXPECT_TRUE(cache.insert(Bytes{1}, t0));
  EXPECT_FALSE(cache.insert(Bytes{1}, t0 + seconds(30))) << "a second sight does not refresh";
  EXPECT_TRUE(cache.insert(Bytes{2}, t0 + seconds(30)));
  EXPECT_TRUE(cache.contains(Bytes{1}));
  cache.expire(t0 + seconds(59));
  EXPECT_EQ(cache.size(), 2u);
  cache.expire(t0 + seconds(60));
  EXPECT_FALSE(cache.contains(Bytes{1}));
  EXPECT_TRUE(cache.contains(Bytes{2}));
  cache.expire(t0 + seconds(90));
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_TRUE(cache.insert(Bytes{1}, t0 + seconds(91)));
}

TEST(GossipsubSeenCache, TheCapDropsTheOldest) {
  SeenCache cache(seconds(60), 3);
  for (std::uint8_t i = 0; i < 5; ++i) EXPECT_TRUE(cache.insert(Bytes{i}, t0 + seconds(i)));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.contains(Bytes{0}));
  EXPECT_FALSE(cache.contains(Bytes{1}));
  EXPECT_TRUE(cache.contains(Bytes{4}));
  cache.expire(t0 + seconds(63));
  EXPECT_EQ(cache.size(), 1u);
}

TEST(GossipsubSeenCache, LooksUpByView) {
  SeenCache cache(seconds(1), 10);
  const Bytes id{0xde, 0xad, 0x00};
  ASSERT_TRUE(cache.insert(id, t0));
  EXPECT_TRUE(cache.contains(ByteView(id)));
  EXPECT_FALSE(cache.contains(ByteView(id).first(2)));
}

}  // namespace
}  // namespace cf::p2p::gossipsub
