#include "cf/follower/work_queue.hpp"

#include <gtest/gtest.h>

namespace cf::follower {
namespace {

using namespace std::chrono_literals;
using multiformats::Cid;

Cid cid(int n) {
  std::string data = "block " + std::to_string(n);
  return Cid::v1(multiformats::multicodec::raw, multiformats::Multihash::sha2_256(as_bytes(data)));
}

TEST(RetryBackoff, DoublesFromFiveSecondsToSixHours) {
  EXPECT_EQ(retry_backoff(1), 5s);
  EXPECT_EQ(retry_backoff(2), 10s);
  EXPECT_EQ(retry_backoff(3), 20s);
  EXPECT_EQ(retry_backoff(13), 20480s);
  EXPECT_EQ(retry_backoff(14), 6h);
  EXPECT_EQ(retry_backoff(1000), 6h);
}

TEST(WorkQueue, NewPinsGoBeforeDueRetries) {
  WorkQueue q;
  auto t0 = Clock::time_point{} + 1000s;
  q.push_retry_pin(cid(1), t0 - 1s);
  q.push_new_pin(cid(2));
  q.push_new_pin(cid(3));
  EXPECT_EQ(q.pop_pin(t0), cid(2));
  EXPECT_EQ(q.pop_pin(t0), cid(3));
  EXPECT_EQ(q.pop_pin(t0), cid(1));
  EXPECT_EQ(q.pop_pin(t0), std::nullopt);
}

TEST(WorkQueue, RetriesWaitUntilDueAndGoByDueTime) {
  WorkQueue q;
  auto t0 = Clock::time_point{} + 1000s;
  q.push_retry_pin(cid(1), t0 + 20s);
  q.push_retry_pin(cid(2), t0 + 10s);
  EXPECT_EQ(q.pop_pin(t0), std::nullopt);
  EXPECT_EQ(q.next_retry_due(), t0 + 10s);
  EXPECT_EQ(q.pop_pin(t0 + 30s), cid(2));
  EXPECT_EQ(q.pop_pin(t0 + 30s), cid(1));
}

TEST(WorkQueue, PushingAgainMovesTheCid) {
  WorkQueue q;
  auto t0 = Clock::time_point{} + 1000s;
  q.push_retry_pin(cid(1), t0 + 100s);
  q.push_new_pin(cid(1));  // e.g. the pin changed: try at once
  EXPECT_EQ(q.retry_pins(), 0u);
  EXPECT_EQ(q.new_pins(), 1u);
  EXPECT_EQ(q.pop_pin(t0), cid(1));
  EXPECT_EQ(q.pop_pin(t0 + 200s), std::nullopt);  // the old retry entry is stale
  q.push_new_pin(cid(2));
  q.push_unpin(cid(2));  // removed from the pinset before it was pinned
  EXPECT_EQ(q.pop_pin(t0), std::nullopt);
  EXPECT_EQ(q.pop_unpin(t0), cid(2));
  EXPECT_FALSE(q.contains(cid(2)));
}

TEST(WorkQueue, UnpinRetriesWaitForTheirTime) {
  WorkQueue q;
  auto t0 = Clock::time_point{} + 1000s;
  q.push_retry_unpin(cid(1), t0 + 10s);
  q.push_unpin(cid(2));
  EXPECT_EQ(q.pop_unpin(t0), cid(2));
  EXPECT_EQ(q.pop_unpin(t0), std::nullopt);
  EXPECT_EQ(q.next_retry_due(), t0 + 10s);
  EXPECT_EQ(q.next_unpin_retry_due(), t0 + 10s);
  EXPECT_EQ(q.next_pin_retry_due(), std::nullopt);
  q.push_retry_pin(cid(3), t0 + 5s);
  EXPECT_EQ(q.next_retry_due(), t0 + 5s);
  EXPECT_EQ(q.next_pin_retry_due(), t0 + 5s);
  EXPECT_EQ(q.pop_unpin(t0 + 10s), cid(1));
  EXPECT_EQ(q.next_unpin_retry_due(), std::nullopt);
}

TEST(WorkQueue, RemoveForgetsEverywhere) {
  WorkQueue q;
  q.push_new_pin(cid(1));
  q.push_unpin(cid(2));
  q.remove(cid(1));
  q.remove(cid(2));
  EXPECT_EQ(q.pop_pin(Clock::now()), std::nullopt);
  EXPECT_EQ(q.pop_unpin(Clock::now()), std::nullopt);
  EXPECT_EQ(q.new_pins() + q.unpins(), 0u);
}

}  // namespace
}  // namespace cf::follower
