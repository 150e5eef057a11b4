// The reconciler's rules on a real state.db, without Kubo: Kubo's answers are the PinOutcome
// and UnpinOutcome values a worker would return.
#include "reconciler_state.hpp"

#include <filesystem>

#include <gtest/gtest.h>

namespace cf::follower {
namespace {

namespace fs = std::filesystem;
using multiformats::Cid;
using multiformats::PeerId;
using store::Ownership;
using store::PinStatus;

constexpr std::int64_t t0 = 1'700'000'000;

Cid cid(int n) {
  std::string data = "block " + std::to_string(n);
  return Cid::v1(multiformats::multicodec::raw, multiformats::Multihash::sha2_256(as_bytes(data)));
}

PeerId peer(const char* text) { return *PeerId::parse(text); }

const PeerId self = peer("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
const PeerId other = peer("12D3KooW9rxqumy8vqCxnNfpeyT7zHGae6srENFW2gip8LMw3TsX");

cluster::Pin everywhere(int n) { return cluster::Pin{cid(n)}; }

PinOutcome pinned(Ownership owner = Ownership::ours) {
  PinOutcome out;
  out.result = JobResult::done;
  out.ownership = owner;
  return out;
}

PinOutcome outcome(JobResult result, std::string error = {}) {
  PinOutcome out;
  out.result = result;
  out.error = std::move(error);
  return out;
}

class ReconcilerStateTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(testing::TempDir()) / ("cf-rs-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    reopen();
  }
  void TearDown() override {
    state_.reset();
    db_.reset();
    fs::remove_all(dir_);
  }
  void reopen(std::int64_t now = t0) {
    state_.reset();
    db_.reset();
    auto db = store::Store::open(dir_ / "state.db", store::OpenMode::read_write);
    ASSERT_TRUE(db) << db.error().message();
    db_.emplace(std::move(*db));
    state_.emplace(*db_, self);
    ASSERT_TRUE(state_->load(now));
  }
  void apply(std::vector<cluster::Pin> puts, std::vector<Cid> removes = {}) {
    ASSERT_TRUE(state_->apply(cluster::PinsetDiff{std::move(puts), std::move(removes)}, t0));
  }
  std::optional<StatusRow> row(const Cid& c) {
    EXPECT_TRUE(state_->flush());
    auto table = StatusTable::open(*db_);
    EXPECT_TRUE(table);
    auto r = table->get(c);
    EXPECT_TRUE(r);
    return *r;
  }
  // Runs one pin through begin/finish with the given outcome.
  void pin_once(const Cid& c, const PinOutcome& out, std::int64_t now = t0) {
    auto popped = state_->queue().pop_pin(Clock::from_time_t(now));
    ASSERT_EQ(popped, c);
    auto job = state_->begin_pin(c, now);
    ASSERT_TRUE(job);
    EXPECT_EQ(row(c)->status, PinStatus::pinning);
    state_->finish_pin(c, out, now);
  }

  fs::path dir_;
  std::optional<store::Store> db_;
  std::optional<ReconcilerState> state_;
};

TEST_F(ReconcilerStateTest, NewPinIsQueuedThenPinnedAndOwned) {
  apply({everywhere(1)});
  EXPECT_EQ(row(cid(1))->status, PinStatus::pin_queued);
  EXPECT_EQ(state_->queue().new_pins(), 1u);
  pin_once(cid(1), pinned());
  auto r = row(cid(1));
  EXPECT_EQ(r->status, PinStatus::pinned);
  EXPECT_EQ(r->ownership, Ownership::ours);
  EXPECT_EQ(r->pinned_depth, -1);
}

TEST_F(ReconcilerStateTest, RemovingOurPinUnpinsItAndDropsTheRow) {
  apply({everywhere(1)});
  pin_once(cid(1), pinned());
  apply({}, {cid(1)});
  EXPECT_EQ(row(cid(1))->status, PinStatus::unpin_queued);
  EXPECT_EQ(state_->queue().pop_unpin(Clock::from_time_t(t0)), cid(1));
  ASSERT_TRUE(state_->begin_unpin(cid(1), t0));
  state_->finish_unpin(cid(1), UnpinOutcome{JobResult::done, {}}, t0);
  EXPECT_FALSE(row(cid(1)));
}

TEST_F(ReconcilerStateTest, APinTheUserHadIsNeverUnpinned) {
  apply({everywhere(1)});
  pin_once(cid(1), pinned(Ownership::preexisting));
  EXPECT_EQ(row(cid(1))->ownership, Ownership::preexisting);
  apply({}, {cid(1)});
  EXPECT_FALSE(row(cid(1)));
  EXPECT_EQ(state_->queue().pop_unpin(Clock::from_time_t(t0)), std::nullopt);
}

TEST_F(ReconcilerStateTest, FailuresBackOffAndNeverBlockNewPins) {
  apply({everywhere(1)});
  pin_once(cid(1), outcome(JobResult::failed, "no progress for 2m0s"));
  auto r = row(cid(1));
  EXPECT_EQ(r->status, PinStatus::pin_error);
  EXPECT_EQ(r->attempts, 1);
  EXPECT_EQ(r->next_retry_at, t0 + 5);
  EXPECT_EQ(r->error, "no progress for 2m0s");
  apply({everywhere(2)});
  EXPECT_EQ(state_->queue().pop_pin(Clock::from_time_t(t0)), cid(2));  // the new pin first
  EXPECT_EQ(state_->queue().pop_pin(Clock::from_time_t(t0)), std::nullopt);  // retry not due
  ASSERT_TRUE(state_->begin_pin(cid(2), t0));
  state_->finish_pin(cid(2), pinned(), t0);
  pin_once(cid(1), outcome(JobResult::failed, "again"), t0 + 5);
  EXPECT_EQ(row(cid(1))->next_retry_at, t0 + 5 + 10);
  pin_once(cid(1), pinned(), t0 + 15);
  r = row(cid(1));
  EXPECT_EQ(r->status, PinStatus::pinned);
  EXPECT_EQ(r->attempts, 0);
  EXPECT_FALSE(r->next_retry_at);
}

TEST_F(ReconcilerStateTest, KuboDownCountsNoAttempt) {
  apply({everywhere(1)});
  pin_once(cid(1), outcome(JobResult::kubo_down, "connection refused"));
  auto r = row(cid(1));
  EXPECT_EQ(r->status, PinStatus::pin_queued);
  EXPECT_EQ(r->attempts, 0);
  EXPECT_EQ(state_->queue().new_pins(), 1u);
}

TEST_F(ReconcilerStateTest, RemoteAndMetaPinsAreRecordedNotPinned) {
  cluster::Pin remote = everywhere(1);
  remote.replication_factor_min = remote.replication_factor_max = 1;
  remote.allocations = {other};
  cluster::Pin meta = everywhere(2);
  meta.type = cluster::PinType::meta;
  apply({remote, meta});
  EXPECT_EQ(row(cid(1))->status, PinStatus::remote);
  EXPECT_EQ(row(cid(2))->status, PinStatus::sharded);
  EXPECT_EQ(state_->queue().new_pins(), 0u);
}

TEST_F(ReconcilerStateTest, OurPinReallocatedElsewhereIsUnpinnedThenRemote) {
  apply({everywhere(1)});
  pin_once(cid(1), pinned());
  cluster::Pin moved = everywhere(1);
  moved.replication_factor_min = moved.replication_factor_max = 1;
  moved.allocations = {other};
  apply({moved});
  EXPECT_EQ(row(cid(1))->status, PinStatus::unpin_queued);
  ASSERT_EQ(state_->queue().pop_unpin(Clock::from_time_t(t0)), cid(1));
  ASSERT_TRUE(state_->begin_unpin(cid(1), t0));
  state_->finish_unpin(cid(1), UnpinOutcome{JobResult::done, {}}, t0);
  auto r = row(cid(1));
  EXPECT_EQ(r->status, PinStatus::remote);
  EXPECT_EQ(r->ownership, Ownership::none);
}

TEST_F(ReconcilerStateTest, ARestartRequeuesWhatWasInFlight) {
  apply({everywhere(1), everywhere(2)});
  pin_once(cid(1), pinned());
  ASSERT_EQ(state_->queue().pop_pin(Clock::from_time_t(t0)), cid(2));
  ASSERT_TRUE(state_->begin_pin(cid(2), t0));
  ASSERT_TRUE(state_->flush());  // killed here, with cid 2 "pinning"
  reopen();
  EXPECT_EQ(row(cid(1))->status, PinStatus::pinned);
  EXPECT_EQ(row(cid(2))->status, PinStatus::pin_queued);
  EXPECT_EQ(state_->queue().pop_pin(Clock::from_time_t(t0)), cid(2));
  EXPECT_EQ(state_->queue().pop_pin(Clock::from_time_t(t0)), std::nullopt);  // 1 is done
}

TEST_F(ReconcilerStateTest, DriftIsMarkedAndRepinned) {
  apply({everywhere(1), everywhere(2)});
  pin_once(cid(1), pinned());
  pin_once(cid(2), pinned());
  // cid 3 finished while Kubo was listing: absent from the listing, but not lost.
  apply({everywhere(3)});
  pin_once(cid(3), pinned(), t0 + 5);
  auto drifted = state_->mark_drift({cid(2)}, t0 + 1, t0 + 10);
  ASSERT_TRUE(drifted);
  EXPECT_EQ(*drifted, 1u);
  EXPECT_EQ(row(cid(3))->status, PinStatus::pinned);
  EXPECT_EQ(row(cid(1))->status, PinStatus::unexpectedly_unpinned);
  EXPECT_EQ(state_->queue().pop_pin(Clock::from_time_t(t0)), cid(1));
}

TEST_F(ReconcilerStateTest, APinRemovedWhileInFlightIsUnpinnedAfterwards) {
  apply({everywhere(1)});
  ASSERT_EQ(state_->queue().pop_pin(Clock::from_time_t(t0)), cid(1));
  ASSERT_TRUE(state_->begin_pin(cid(1), t0));
  apply({}, {cid(1)});  // the cluster unpins it while Kubo is still pinning
  state_->finish_pin(cid(1), pinned(), t0);
  EXPECT_EQ(row(cid(1))->status, PinStatus::unpin_queued);
  EXPECT_EQ(state_->queue().pop_unpin(Clock::from_time_t(t0)), cid(1));
}

TEST_F(ReconcilerStateTest, DirectPinsAreTrackedWithTheirDepth) {
  cluster::Pin direct = everywhere(1);
  direct.max_depth = 0;
  apply({direct});
  ASSERT_EQ(state_->queue().pop_pin(Clock::from_time_t(t0)), cid(1));
  auto job = state_->begin_pin(cid(1), t0);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->action.mode, cluster::PinAction::Mode::direct);
  auto out = pinned();
  out.depth = 0;
  state_->finish_pin(cid(1), out, t0);
  EXPECT_EQ(row(cid(1))->pinned_depth, 0);
  direct.max_depth = -1;  // the cluster changes it to recursive: pin again
  apply({direct});
  EXPECT_EQ(row(cid(1))->status, PinStatus::pin_queued);
}

TEST_F(ReconcilerStateTest, AnExpiredPinIsNotWorkedOnUntilItsExpiryMoves) {
  cluster::Pin pin = everywhere(1);
  pin.expire_at = t0 - 10;
  apply({pin});
  auto r = row(cid(1));
  EXPECT_EQ(r->status, PinStatus::remote);
  EXPECT_EQ(r->error, "expired at 2023-11-14T22:13:10Z: not pinned");
  EXPECT_EQ(state_->queue().new_pins(), 0u);
  pin.expire_at = t0 + 3600;  // the cluster extended it
  apply({pin});
  r = row(cid(1));
  EXPECT_EQ(r->status, PinStatus::pin_queued);
  EXPECT_EQ(r->error, "");
  EXPECT_EQ(state_->queue().pop_pin(Clock::from_time_t(t0)), cid(1));
}

TEST_F(ReconcilerStateTest, APinThatExpiredAfterItWasPinnedIsKeptButNotRepaired) {
  cluster::Pin pin = everywhere(1);
  pin.expire_at = t0 + 10;
  apply({pin});
  pin_once(cid(1), pinned());
  ASSERT_TRUE(state_->flush());
  reopen(t0 + 20);  // a restart after it expired: still pinned, nothing queued
  EXPECT_EQ(row(cid(1))->status, PinStatus::pinned);
  EXPECT_EQ(state_->queue().new_pins() + state_->queue().unpins(), 0u);
  // Gone from Kubo: the verify pass marks it, and it is not pinned again.
  auto drifted = state_->mark_drift({}, t0 + 30, t0 + 30);
  ASSERT_TRUE(drifted);
  EXPECT_EQ(*drifted, 1u);
  ASSERT_EQ(state_->queue().pop_pin(Clock::from_time_t(t0 + 30)), cid(1));
  EXPECT_FALSE(state_->begin_pin(cid(1), t0 + 30));
  auto r = row(cid(1));
  EXPECT_EQ(r->status, PinStatus::remote);
  EXPECT_EQ(r->ownership, Ownership::ours);  // still unpinned when the pinset drops it
  apply({}, {cid(1)});
  EXPECT_EQ(row(cid(1))->status, PinStatus::unpin_queued);
}

}  // namespace
}  // namespace cf::follower
