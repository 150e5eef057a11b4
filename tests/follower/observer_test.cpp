// The observer's store checks: a state.db deleted or replaced while the daemon runs is noticed
// at the next tick (run() ticks every second) and reported once, so the daemon stops instead
// of writing statuses into a file nobody will read; a store that cannot be written makes
// /health unhealthy. observe_once() is called directly: no timer, no sleep.
#include "observer.hpp"

#include <filesystem>
#include <fstream>

#include <asio/io_context.hpp>
#include <gtest/gtest.h>

#include "cf/follower/paths.hpp"
#include "fake_kubo_pins.hpp"

namespace cf::follower {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ObserverTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) / ("cf-obs-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "test");
    db_path_ = ClusterPaths::under(root_, "test").state_db;
    auto db = store::Store::open(db_path_, store::OpenMode::read_write);
    ASSERT_TRUE(db) << db.error().message();
    db_.emplace(std::move(*db));
    ReconcilerConfig config{*multiformats::PeerId::parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq")};
    config.cluster_name = "test";
    config.config_root = root_;
    reconciler_.emplace(io_.get_executor(), *db_, kubo_, config,
                        ReconcilerClock{[] { return std::int64_t{1'700'000'000}; },
                                        [] { return std::chrono::steady_clock::time_point{} + 1000h; }});
    ASSERT_TRUE(reconciler_->start());
    observer_.emplace(io_, *db_, *reconciler_, metrics_, notifier_, 600s, [this](Error e) { lost_.push_back(e); });
  }
  void TearDown() override {
    observer_.reset();
    reconciler_.reset();
    db_.reset();
    fs::remove_all(root_);
  }

  fs::path root_, db_path_;
  asio::io_context io_;
  std::optional<store::Store> db_;
  FakeKuboPins kubo_;
  std::optional<Reconciler> reconciler_;
  Metrics metrics_;
  SystemdNotifier notifier_;
  std::optional<Observer> observer_;
  std::vector<Error> lost_;
};

TEST_F(ObserverTest, AStoreInPlaceIsHealthy) {
  observer_->observe_once();
  observer_->observe_once();
  EXPECT_TRUE(lost_.empty());
  EXPECT_TRUE(observer_->health().healthy) << observer_->health().reason;
}

// Before: nothing looked; the daemon went on writing into the unlinked file.
TEST_F(ObserverTest, ADeletedStoreIsReportedAtTheNextTickOnce) {
  observer_->observe_once();
  ASSERT_TRUE(lost_.empty());
  fs::remove(db_path_);
  observer_->observe_once();
  ASSERT_EQ(lost_.size(), 1u);
  EXPECT_EQ(lost_[0], store::errc::file_replaced);
  EXPECT_NE(lost_[0].message().find(db_path_.string()), std::string::npos) << lost_[0].message();
  EXPECT_NE(lost_[0].message().find("deleted"), std::string::npos) << lost_[0].message();
  EXPECT_FALSE(observer_->health().healthy);
  observer_->observe_once();
  EXPECT_EQ(lost_.size(), 1u) << "reported once";
}

TEST_F(ObserverTest, AStoreReplacedByAnotherFileIsReported) {
  const auto other = root_ / "test" / "other.db";
  std::ofstream(other) << "not ours";
  fs::rename(other, db_path_);
  observer_->observe_once();
  ASSERT_EQ(lost_.size(), 1u);
  EXPECT_NE(lost_[0].message().find("replaced"), std::string::npos) << lost_[0].message();
}

}  // namespace
}  // namespace cf::follower
