// The reconciler with an in-memory Kubo (fake_kubo_pins.hpp), a manual clock and a real
// state.db: what it asks Kubo, in which order and how many at once, and what it records.
// Everything runs on one io_context driven by poll(): no thread, no sleep; time moves only
// when a test advances the clock.
#include "cf/follower/reconciler.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <gtest/gtest.h>

#include "cf/follower/paths.hpp"
#include "cf/follower/pinset_tables.hpp"
#include "fake_kubo_pins.hpp"

namespace cf::follower {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using multiformats::Cid;
using multiformats::PeerId;
using store::Ownership;
using store::PinStatus;

constexpr std::int64_t t0 = 1'700'000'000;
const PeerId self = *PeerId::parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");

Cid cid(int n) {
  std::string data = "reconciler block " + std::to_string(n);
  return Cid::v1(multiformats::multicodec::raw, multiformats::Multihash::sha2_256(as_bytes(data)));
}

cluster::Pin everywhere(int n) { return cluster::Pin{cid(n)}; }

class ManualClock {
 public:
  ReconcilerClock clock() {
    return ReconcilerClock{[this] { return unix_; }, [this] { return steady_; }};
  }
  void advance(std::chrono::seconds d) {
    unix_ += d.count();
    steady_ += d;
  }
  std::int64_t now() const { return unix_; }

 private:
  std::int64_t unix_ = t0;
  std::chrono::steady_clock::time_point steady_ = std::chrono::steady_clock::time_point{} + 1000h;
};

// The parameter: whether the fake Kubo answers within the call (true) or on a later turn.
class ReconcilerTest : public testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string test = testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(test.begin(), test.end(), '/', '-');
    root_ = fs::path(testing::TempDir()) / ("cf-rec-" + std::to_string(::getpid()) + "-" + test);
    fs::remove_all(root_);
    fs::create_directories(root_ / "test");
    auto db = store::Store::open(ClusterPaths::under(root_, "test").state_db, store::OpenMode::read_write);
    ASSERT_TRUE(db) << db.error().message();
    db_.emplace(std::move(*db));
    config_.cluster_name = "test";
    config_.config_root = root_;
    config_.concurrent_pins = 3;
    config_.verify_interval = 600s;
    kubo_.answer_at_once = GetParam();
  }
  void TearDown() override {
    stop();
    reconciler_.reset();
    db_.reset();
    fs::remove_all(root_);
  }

  void start() {
    reconciler_.emplace(io_.get_executor(), *db_, kubo_, config_, clock_.clock());
    ASSERT_TRUE(reconciler_->start());
    stopped_ = false;
    asio::co_spawn(io_, reconciler_->run(), [](std::exception_ptr e) { EXPECT_FALSE(e) << "run() threw"; });
    drain();
  }
  // Runs everything that is ready; the loop's own timer never fires (it waits in real time).
  void drain() {
    io_.restart();
    int rounds = 0;
    while (io_.poll() > 0) ASSERT_LT(++rounds, 100'000) << "the reconciler never settles";
  }
  void stop() {
    if (!reconciler_ || stopped_) return;
    bool done = false;
    asio::co_spawn(io_, reconciler_->stop(), [&done](std::exception_ptr e) {
      EXPECT_FALSE(e) << "stop() threw";
      done = true;
    });
    drain();
    EXPECT_TRUE(done) << "stop() did not return";
    stopped_ = true;
  }
  void apply(std::vector<cluster::Pin> puts, std::vector<Cid> removes = {}) {
    ASSERT_TRUE(reconciler_->apply(cluster::PinsetDiff{std::move(puts), std::move(removes)}));
    drain();
  }
  void advance(std::chrono::seconds d) {
    clock_.advance(d);
    reconciler_->wake();
    drain();
  }
  std::optional<StatusRow> row(const Cid& c) {
    auto table = StatusTable::open(*db_);
    EXPECT_TRUE(table);
    auto r = table->get(c);
    EXPECT_TRUE(r);
    return r ? *r : std::nullopt;
  }
  PinStatus status(const Cid& c) {
    auto r = row(c);
    return r ? r->status : PinStatus::undefined;
  }

  fs::path root_;
  asio::io_context io_;
  std::optional<store::Store> db_;
  FakeKuboPins kubo_;
  ManualClock clock_;
  ReconcilerConfig config_{self};
  std::optional<Reconciler> reconciler_;
  bool stopped_ = true;
};

TEST_P(ReconcilerTest, NewPinsArePinnedWithTheirModeDepthAndName) {
  start();
  cluster::Pin direct = everywhere(2);
  direct.max_depth = 0;
  cluster::Pin limited = everywhere(3);
  limited.max_depth = 2;
  apply({everywhere(1), direct, limited});
  ASSERT_TRUE(kubo_.has(cid(1)) && kubo_.has(cid(2)) && kubo_.has(cid(3)));
  EXPECT_EQ(kubo_.pins[cid(1)].type, kubo::PinType::recursive);
  EXPECT_EQ(kubo_.pins[cid(1)].depth, -1);
  EXPECT_EQ(kubo_.pins[cid(2)].type, kubo::PinType::direct);
  EXPECT_EQ(kubo_.pins[cid(3)].type, kubo::PinType::recursive);
  EXPECT_EQ(kubo_.pins[cid(3)].depth, 2);
  for (int n : {1, 2, 3}) {
    EXPECT_EQ(kubo_.pins[cid(n)].name, "cluster-follow/test");
    auto r = row(cid(n));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, PinStatus::pinned);
    EXPECT_EQ(r->ownership, Ownership::ours);
    EXPECT_EQ(r->updated_at, t0);
  }
  EXPECT_EQ(row(cid(2))->pinned_depth, 0);
  EXPECT_EQ(row(cid(3))->pinned_depth, 2);
  auto stats = reconciler_->stats();
  EXPECT_EQ(stats.pins_done, 3u);
  EXPECT_EQ(stats.bytes_pinned, 3u * 3000u);
  EXPECT_EQ(stats.pins_in_flight, 0u);
}

// A source that re-reads a big pinset hands it over in batches (issue 11): only pins that
// differ from the stored ones are applied, and each batch's statuses are written at once, so
// none pile up in memory until the loop runs.
TEST_P(ReconcilerTest, ApplyChangedSkipsStoredPinsAndWritesStatusesAtOnce) {
  start();
  auto applied = reconciler_->apply_changed({everywhere(1), everywhere(2)});
  ASSERT_TRUE(applied) << applied.error().message();
  EXPECT_EQ(*applied, 2u);
  EXPECT_EQ(status(cid(1)), PinStatus::pin_queued);  // written before the loop ran
  EXPECT_EQ(status(cid(2)), PinStatus::pin_queued);
  auto renamed = everywhere(2);
  renamed.name = "renamed";
  applied = reconciler_->apply_changed({everywhere(1), renamed, everywhere(3)});
  ASSERT_TRUE(applied) << applied.error().message();
  EXPECT_EQ(*applied, 2u);
  std::vector<Cid> stored;
  ASSERT_TRUE(reconciler_->for_each_desired_cid([&](Cid c) { stored.push_back(std::move(c)); }));
  std::vector<Cid> expected{cid(1), cid(2), cid(3)};
  std::sort(expected.begin(), expected.end(), [](const Cid& a, const Cid& b) { return a.bytes() < b.bytes(); });
  EXPECT_EQ(stored, expected);
  drain();
  EXPECT_EQ(status(cid(3)), PinStatus::pinned);
}

TEST_P(ReconcilerTest, ConcurrencyNeverExceedsConcurrentPins) {
  kubo_.stall_pin_adds = true;
  start();
  std::vector<cluster::Pin> pins;
  for (int n = 1; n <= 10; ++n) pins.push_back(everywhere(n));
  apply(pins);
  EXPECT_EQ(kubo_.stalled(), 3u);
  EXPECT_EQ(reconciler_->stats().pins_in_flight, 3u);
  EXPECT_EQ(reconciler_->stats().queued_new, 7u);
  for (int round = 0; round < 4; ++round) {
    kubo_.release_stalled();
    drain();
  }
  for (int n = 1; n <= 10; ++n) EXPECT_EQ(status(cid(n)), PinStatus::pinned) << n;
  EXPECT_EQ(kubo_.max_pin_adds_in_flight, 3);
  EXPECT_EQ(kubo_.count("pin/add"), 10);
}

TEST_P(ReconcilerTest, AFailingPinBacksOffAndNeverBlocksOthers) {
  kubo_.failing_pins[cid(1)] = "blockstore: out of space";
  start();
  apply({everywhere(1), everywhere(2), everywhere(3), everywhere(4)});
  for (int n = 2; n <= 4; ++n) EXPECT_EQ(status(cid(n)), PinStatus::pinned) << n;
  auto r = row(cid(1));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, PinStatus::pin_error);
  EXPECT_EQ(r->attempts, 1);
  EXPECT_EQ(r->next_retry_at, t0 + 5);
  EXPECT_EQ(r->error, "blockstore: out of space");
  advance(4s);
  EXPECT_EQ(kubo_.count("pin/add " + cid(1).to_string()), 1);  // not due yet
  std::int64_t expected_wait = 5;
  for (int attempt = 2; attempt <= 14; ++attempt) {
    advance(std::chrono::seconds(*row(cid(1))->next_retry_at - clock_.now()));
    EXPECT_EQ(kubo_.count("pin/add " + cid(1).to_string()), attempt);
    expected_wait = std::min<std::int64_t>(expected_wait * 2, 6 * 3600);
    r = row(cid(1));
    EXPECT_EQ(r->attempts, attempt);
    EXPECT_EQ(r->next_retry_at, clock_.now() + expected_wait) << "attempt " << attempt;
  }
  EXPECT_EQ(expected_wait, 6 * 3600);
  apply({everywhere(5)});  // a new pin goes at once, whatever the failing one does
  EXPECT_EQ(status(cid(5)), PinStatus::pinned);
  kubo_.failing_pins.clear();
  advance(std::chrono::seconds(*row(cid(1))->next_retry_at - clock_.now()));
  r = row(cid(1));
  EXPECT_EQ(r->status, PinStatus::pinned);
  EXPECT_EQ(r->attempts, 0);
  EXPECT_FALSE(r->next_retry_at);
}

TEST_P(ReconcilerTest, KuboDownPausesEverythingWithoutCountingAttemptsThenResumes) {
  config_.concurrent_pins = 2;
  kubo_.down = true;
  start();
  apply({everywhere(1), everywhere(2), everywhere(3), everywhere(4), everywhere(5)});
  EXPECT_TRUE(reconciler_->stats().kubo_down);
  // The pins in flight found Kubo down (when Kubo answers at once, the first one stopped the
  // second from starting); the others wait.
  int asked = kubo_.count("pin/");
  EXPECT_EQ(asked, GetParam() ? 1 : 2);
  for (int n = 1; n <= 5; ++n) {
    auto r = row(cid(n));
    EXPECT_EQ(r->status, PinStatus::pin_queued) << n;
    EXPECT_EQ(r->attempts, 0) << n;
    EXPECT_FALSE(r->next_retry_at) << n;
  }
  advance(1s);
  EXPECT_EQ(kubo_.count("id"), 0);
  advance(1s);
  EXPECT_EQ(kubo_.count("id"), 1);  // probed every 2 s
  advance(2s);
  EXPECT_EQ(kubo_.count("id"), 2);
  EXPECT_EQ(kubo_.count("pin/"), asked);  // still paused
  kubo_.down = false;
  advance(2s);
  EXPECT_EQ(kubo_.count("id"), 3);
  EXPECT_FALSE(reconciler_->stats().kubo_down);
  for (int n = 1; n <= 5; ++n) {
    EXPECT_EQ(status(cid(n)), PinStatus::pinned) << n;
    EXPECT_EQ(row(cid(n))->attempts, 0) << n;
  }
  EXPECT_EQ(reconciler_->stats().pins_failed, 0u);
}

TEST_P(ReconcilerTest, OnlyPinsOwnedByUsAreUnpinned) {
  kubo_.pins[cid(2)] = FakeKuboPins::Pinned{kubo::PinType::recursive, "backup", -1};
  start();
  cluster::Pin elsewhere = everywhere(3);
  elsewhere.replication_factor_min = elsewhere.replication_factor_max = 1;
  elsewhere.allocations = {*PeerId::parse("12D3KooW9rxqumy8vqCxnNfpeyT7zHGae6srENFW2gip8LMw3TsX")};
  kubo_.pins[cid(3)] = FakeKuboPins::Pinned{kubo::PinType::recursive, "the user's", -1};
  apply({everywhere(1), everywhere(2), elsewhere});
  EXPECT_EQ(row(cid(1))->ownership, Ownership::ours);
  EXPECT_EQ(row(cid(2))->ownership, Ownership::preexisting);
  EXPECT_EQ(status(cid(3)), PinStatus::remote);
  EXPECT_EQ(row(cid(3))->ownership, Ownership::none);
  apply({}, {cid(1), cid(2), cid(3)});
  EXPECT_EQ(kubo_.count("pin/rm"), 1);
  EXPECT_EQ(kubo_.count("pin/rm " + cid(1).to_string()), 1);
  EXPECT_FALSE(kubo_.has(cid(1)));
  EXPECT_TRUE(kubo_.has(cid(2)));
  EXPECT_TRUE(kubo_.has(cid(3)));
  for (int n : {1, 2, 3}) EXPECT_FALSE(row(cid(n))) << n;
  EXPECT_EQ(reconciler_->stats().unpins_done, 1u);
}

TEST_P(ReconcilerTest, AFailingUnpinBacksOffAndAnUnpinOfWhatKuboLostSucceeds) {
  start();
  apply({everywhere(1), everywhere(2)});
  kubo_.failing_unpins[cid(1)] = "pin is locked";
  kubo_.pins.erase(cid(2));  // unpinned by hand before the cluster dropped it
  apply({}, {cid(1), cid(2)});
  EXPECT_FALSE(row(cid(2)));  // Kubo said "not pinned": done
  auto r = row(cid(1));
  EXPECT_EQ(r->status, PinStatus::unpin_error);
  EXPECT_EQ(r->attempts, 1);
  EXPECT_EQ(r->next_retry_at, t0 + 5);
  EXPECT_EQ(r->error, "pin is locked");
  advance(5s);
  EXPECT_EQ(kubo_.count("pin/rm " + cid(1).to_string()), 2);
  EXPECT_EQ(row(cid(1))->next_retry_at, t0 + 5 + 10);
  kubo_.failing_unpins.clear();
  advance(10s);
  EXPECT_FALSE(kubo_.has(cid(1)));
  EXPECT_FALSE(row(cid(1)));
}

TEST_P(ReconcilerTest, APreexistingUserPinIsRecognisedAndNeverUnpinned) {
  // The user pinned it direct by hand; the cluster wants it recursive: pinned without our
  // name, and still the user's.
  kubo_.pins[cid(1)] = FakeKuboPins::Pinned{kubo::PinType::direct, "mine", 0};
  start();
  apply({everywhere(1)});
  EXPECT_EQ(kubo_.count("pin/add " + cid(1).to_string()), 1);
  EXPECT_EQ(kubo_.pins[cid(1)].type, kubo::PinType::recursive);
  EXPECT_EQ(kubo_.pins[cid(1)].name, "mine");
  auto r = row(cid(1));
  EXPECT_EQ(r->status, PinStatus::pinned);
  EXPECT_EQ(r->ownership, Ownership::preexisting);
  apply({}, {cid(1)});
  EXPECT_EQ(kubo_.count("pin/rm"), 0);
  EXPECT_TRUE(kubo_.has(cid(1)));
  EXPECT_FALSE(row(cid(1)));
}

TEST_P(ReconcilerTest, ASiblingClusterThatWantsTheCidBlocksItsUnpin) {
  fs::create_directories(root_ / "other");
  std::ofstream(root_ / "other" / "service.json") << "{\"source\": \"http://127.0.0.1:9/t\"}";
  {
    auto sibling = store::Store::open(ClusterPaths::under(root_, "other").state_db, store::OpenMode::read_write);
    ASSERT_TRUE(sibling);
    auto pins = PinsTable::open(*sibling);
    ASSERT_TRUE(pins && pins->put(everywhere(1), t0));
  }
  start();
  apply({everywhere(1), everywhere(2)});
  EXPECT_EQ(row(cid(1))->ownership, Ownership::ours);
  apply({}, {cid(1), cid(2)});
  EXPECT_EQ(kubo_.count("pin/rm " + cid(1).to_string()), 0);
  EXPECT_TRUE(kubo_.has(cid(1)));  // "other" still wants it
  EXPECT_FALSE(kubo_.has(cid(2)));
  EXPECT_FALSE(row(cid(1)));
  EXPECT_FALSE(row(cid(2)));
}

TEST_P(ReconcilerTest, PinUpdateUsesKubosPinUpdateWhenTheOldCidIsOurs) {
  start();
  apply({everywhere(1)});
  ASSERT_EQ(row(cid(1))->ownership, Ownership::ours);
  cluster::Pin next = everywhere(2);
  next.pin_update = cid(1);
  apply({next});
  EXPECT_EQ(kubo_.count("pin/update " + cid(1).to_string() + " " + cid(2).to_string()), 1);
  EXPECT_EQ(kubo_.count("pin/add " + cid(2).to_string()), 0);
  EXPECT_TRUE(kubo_.has(cid(1)));  // unpin=false: the old version stays until the cluster drops it
  EXPECT_TRUE(kubo_.has(cid(2)));
  auto r = row(cid(2));
  EXPECT_EQ(r->status, PinStatus::pinned);
  EXPECT_EQ(r->ownership, Ownership::ours);
  // Without the old CID in Kubo, a plain pin/add.
  cluster::Pin orphan = everywhere(3);
  orphan.pin_update = cid(9);
  apply({orphan});
  EXPECT_EQ(kubo_.count("pin/update"), 1);
  EXPECT_EQ(kubo_.count("pin/add " + cid(3).to_string()), 1);
}

TEST_P(ReconcilerTest, OriginsAreSwarmConnectedBeforePinning) {
  start();
  cluster::Pin pin = everywhere(1);
  for (const char* a : {"/ip4/10.0.0.1/tcp/4001/p2p/12D3KooW9rxqumy8vqCxnNfpeyT7zHGae6srENFW2gip8LMw3TsX",
                        "/ip4/10.0.0.2/tcp/4001/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq"}) {
    pin.origins.push_back(*multiformats::Multiaddr::parse(a));
  }
  apply({pin});
  auto at = [&](const std::string& call) {
    return std::find(kubo_.calls.begin(), kubo_.calls.end(), call) - kubo_.calls.begin();
  };
  auto first = at("swarm/connect " + pin.origins[0].to_string());
  auto second = at("swarm/connect " + pin.origins[1].to_string());
  auto add = at("pin/add " + cid(1).to_string());
  ASSERT_LT(add, static_cast<std::ptrdiff_t>(kubo_.calls.size()));
  EXPECT_LT(first, second);
  EXPECT_LT(second, add);
  EXPECT_EQ(status(cid(1)), PinStatus::pinned);
}

TEST_P(ReconcilerTest, VerifyRepairsDrift) {
  config_.verify_interval = 60s;
  start();
  apply({everywhere(1), everywhere(2)});
  kubo_.pins.erase(cid(1));  // unpinned by hand behind our back
  advance(59s);
  EXPECT_EQ(kubo_.count("pin/ls recursive"), 0);
  advance(1s);
  EXPECT_EQ(kubo_.count("pin/ls recursive"), 1);
  EXPECT_EQ(kubo_.count("pin/ls direct"), 1);
  EXPECT_TRUE(kubo_.has(cid(1)));
  EXPECT_EQ(kubo_.count("pin/add " + cid(1).to_string()), 2);
  EXPECT_EQ(kubo_.count("pin/add " + cid(2).to_string()), 1);
  auto r = row(cid(1));
  EXPECT_EQ(r->status, PinStatus::pinned);
  EXPECT_EQ(r->updated_at, t0 + 60);
  advance(60s);  // the next pass finds nothing to repair
  EXPECT_EQ(kubo_.count("pin/ls recursive"), 2);
  EXPECT_EQ(kubo_.count("pin/add"), 3);
}

TEST_P(ReconcilerTest, StopReturnsPromptlyWithPinsInFlightAndLeavesConsistentStatuses) {
  start();
  apply({everywhere(1)});
  kubo_.stall_pin_adds = true;
  apply({everywhere(2), everywhere(3), everywhere(4), everywhere(5)});
  ASSERT_EQ(kubo_.stalled(), 3u);
  EXPECT_EQ(status(cid(2)), PinStatus::pinning);
  int adds = kubo_.count("pin/add");
  stop();  // never releases the stalled pin/adds: the stop request ends them
  EXPECT_EQ(kubo_.stalled(), 0u);
  EXPECT_EQ(kubo_.count("pin/add"), adds);  // nothing new started
  EXPECT_EQ(status(cid(1)), PinStatus::pinned);
  for (int n = 2; n <= 5; ++n) {
    auto r = row(cid(n));
    EXPECT_EQ(r->status, PinStatus::pin_queued) << n;
    EXPECT_EQ(r->attempts, 0) << n;
  }
  auto stats = reconciler_->stats();
  EXPECT_EQ(stats.pins_in_flight, 0u);
  EXPECT_EQ(stats.pins_failed, 0u);
}

TEST_P(ReconcilerTest, ARestartResumesWhatWasQueued) {
  config_.concurrent_pins = 2;
  kubo_.stall_pin_adds = true;
  start();
  apply({everywhere(1), everywhere(2), everywhere(3), everywhere(4)});
  ASSERT_EQ(kubo_.stalled(), 2u);
  stop();
  reconciler_.reset();
  for (int n = 1; n <= 4; ++n) EXPECT_EQ(status(cid(n)), PinStatus::pin_queued) << n;
  kubo_.stall_pin_adds = false;
  clock_.advance(30s);
  start();
  for (int n = 1; n <= 4; ++n) EXPECT_EQ(status(cid(n)), PinStatus::pinned) << n;
  EXPECT_EQ(kubo_.max_pin_adds_in_flight, 2);
}

TEST_P(ReconcilerTest, ExpiredPinsAreNotPinnedAndPinnedOnesAreKept) {
  start();
  cluster::Pin expired = everywhere(1);
  expired.expire_at = t0 - 1;
  cluster::Pin later = everywhere(2);
  later.expire_at = t0 + 100;
  apply({expired, later});
  EXPECT_EQ(kubo_.count("pin/add " + cid(1).to_string()), 0);
  auto r = row(cid(1));
  EXPECT_EQ(r->status, PinStatus::remote);
  EXPECT_EQ(r->error, "expired at 2023-11-14T22:13:19Z: not pinned");
  EXPECT_EQ(status(cid(2)), PinStatus::pinned);
  advance(200s);  // cid 2 expires: nothing happens, and nothing when the pin is put again
  later.name = "renamed";
  apply({later});
  EXPECT_EQ(kubo_.count("pin/rm"), 0);
  EXPECT_EQ(status(cid(2)), PinStatus::pinned);
  apply({}, {cid(2)});  // the trusted peers unpin it
  EXPECT_EQ(kubo_.count("pin/rm " + cid(2).to_string()), 1);
}

TEST_P(ReconcilerTest, APinThatExpiresWhileRetryingStopsBeingRetried) {
  kubo_.failing_pins[cid(1)] = "no route";
  start();
  cluster::Pin pin = everywhere(1);
  pin.expire_at = t0 + 10;
  apply({pin});
  EXPECT_EQ(row(cid(1))->next_retry_at, t0 + 5);
  advance(5s);
  EXPECT_EQ(row(cid(1))->next_retry_at, t0 + 15);
  advance(10s);  // due at t0 + 15, expired since t0 + 10
  EXPECT_EQ(kubo_.count("pin/add"), 2);
  auto r = row(cid(1));
  EXPECT_EQ(r->status, PinStatus::remote);
  EXPECT_EQ(r->attempts, 0);
  EXPECT_FALSE(r->next_retry_at);
  EXPECT_EQ(reconciler_->stats().queued_retry, 0u);
}

INSTANTIATE_TEST_SUITE_P(Reconciler, ReconcilerTest, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& info) {
                           return info.param ? "KuboAnswersAtOnce" : "KuboAnswersLater";
                         });

}  // namespace
}  // namespace cf::follower
