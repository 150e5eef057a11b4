// The reconciler under faults of its surroundings rather than of Kubo: a sibling cluster's
// state.db that cannot be read (unpins must fail closed) and a state.db that cannot be
// written (SQLITE_FULL: back off, say so, catch up when space returns). Same set-up as
// reconciler_test.cpp: an in-memory Kubo, a manual clock, a real state.db, one io_context
// driven by poll().
#include <filesystem>
#include <fstream>
#include <sstream>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "cf/base/log.hpp"
#include "cf/follower/paths.hpp"
#include "cf/follower/pinset_tables.hpp"
#include "cf/follower/reconciler.hpp"
#include "fake_kubo_pins.hpp"

namespace cf::follower {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using multiformats::Cid;
using store::PinStatus;

constexpr std::int64_t t0 = 1'700'000'000;

Cid cid(int n) {
  std::string data = "reconciler fault block " + std::to_string(n);
  return Cid::v1(multiformats::multicodec::raw, multiformats::Multihash::sha2_256(as_bytes(data)));
}

// Counts the lines of one component's log that contain a text.
class LogCapture {
 public:
  explicit LogCapture(const std::string& component) : logger_(log::get(component)) {
    sink_ = std::make_shared<spdlog::sinks::ostream_sink_st>(lines_);
    logger_->sinks().push_back(sink_);
    level_ = logger_->level();
    logger_->set_level(spdlog::level::debug);
  }
  ~LogCapture() {
    logger_->sinks().pop_back();
    logger_->set_level(level_);
  }
  std::size_t count(const std::string& what) const {
    auto text = lines_.str();
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }
  std::string text() const { return lines_.str(); }

 private:
  std::ostringstream lines_;
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<spdlog::sinks::ostream_sink_st> sink_;
  spdlog::level::level_enum level_;
};

class ReconcilerFaultsTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string test = testing::UnitTest::GetInstance()->current_test_info()->name();
    root_ = fs::path(testing::TempDir()) / ("cf-recf-" + std::to_string(::getpid()) + "-" + test);
    fs::remove_all(root_);
    fs::create_directories(root_ / "test");
    auto db = store::Store::open(ClusterPaths::under(root_, "test").state_db, store::OpenMode::read_write);
    ASSERT_TRUE(db) << db.error().message();
    db_.emplace(std::move(*db));
    config_.cluster_name = "test";
    config_.config_root = root_;
    config_.verify_interval = 24h;  // no verify pass (it writes too) within a test
    reconciler_.emplace(io_.get_executor(), *db_, kubo_, config_,
                        ReconcilerClock{[this] { return unix_; }, [this] { return steady_; }});
    ASSERT_TRUE(reconciler_->start());
    asio::co_spawn(io_, reconciler_->run(), [](std::exception_ptr e) { EXPECT_FALSE(e) << "run() threw"; });
    drain();
  }
  void TearDown() override {
    bool done = false;
    asio::co_spawn(io_, reconciler_->stop(), [&done](std::exception_ptr) { done = true; });
    drain();
    EXPECT_TRUE(done);
    reconciler_.reset();
    db_.reset();
    fs::remove_all(root_);
  }
  void drain() {
    io_.restart();
    int rounds = 0;
    while (io_.poll() > 0) ASSERT_LT(++rounds, 100'000) << "the reconciler never settles";
  }
  void apply(std::vector<cluster::Pin> puts, std::vector<Cid> removes = {}) {
    ASSERT_TRUE(reconciler_->apply(cluster::PinsetDiff{std::move(puts), std::move(removes)}));
    drain();
  }
  void advance(std::chrono::milliseconds d) {
    unix_ += std::chrono::duration_cast<std::chrono::seconds>(d).count();
    steady_ += d;
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
  void add_sibling(const std::string& name) {
    fs::create_directories(root_ / name);
    std::ofstream(root_ / name / "service.json") << "{\"source\": \"http://127.0.0.1:9/t\"}";
  }

  fs::path root_;
  asio::io_context io_;
  std::optional<store::Store> db_;
  FakeKuboPins kubo_;
  std::int64_t unix_ = t0;
  std::chrono::steady_clock::time_point steady_ = std::chrono::steady_clock::time_point{} + 1000h;
  ReconcilerConfig config_{*multiformats::PeerId::parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq")};
  std::optional<Reconciler> reconciler_;
};

// Before: the damaged sibling was logged as a warning and treated as wanting nothing, and the
// shared CID was unpinned.
TEST_F(ReconcilerFaultsTest, AnUnreadableSiblingHoldsTheUnpinUntilItCanBeRead) {
  LogCapture log("pintracker");
  apply({cluster::Pin{cid(1)}, cluster::Pin{cid(2)}});
  ASSERT_TRUE(kubo_.has(cid(1)) && kubo_.has(cid(2)));
  add_sibling("other");
  const auto sibling_db = ClusterPaths::under(root_, "other").state_db;
  std::ofstream(sibling_db) << std::string(8192, 'x');  // damaged: it might hold either CID

  apply({}, {cid(1), cid(2)});
  advance(60s);
  EXPECT_EQ(kubo_.count("pin/rm"), 0);
  EXPECT_TRUE(kubo_.has(cid(1)) && kubo_.has(cid(2)));
  auto held = row(cid(1));
  ASSERT_TRUE(held);
  EXPECT_EQ(held->status, PinStatus::unpin_queued);
  EXPECT_NE(held->error.find("sibling cluster other cannot be read"), std::string::npos) << held->error;
  EXPECT_EQ(reconciler_->stats().unreadable_siblings, 1u);
  // Loud, once: an error naming the folder and why, not one line per CID or per retry.
  EXPECT_EQ(log.count("cannot read sibling cluster other"), 1u) << log.text();
  EXPECT_NE(log.text().find((root_ / "other").string()), std::string::npos);

  fs::remove(sibling_db);  // readable again (a sibling that never ran wants nothing)
  advance(30s);
  EXPECT_EQ(kubo_.count("pin/rm"), 2);
  EXPECT_FALSE(kubo_.has(cid(1)) || kubo_.has(cid(2)));
  EXPECT_FALSE(row(cid(1)));
  EXPECT_EQ(reconciler_->stats().unreadable_siblings, 0u);
}

// Before: every turn of the loop tried the write again and logged an error; nothing said the
// follower could not record anything.
TEST_F(ReconcilerFaultsTest, AFullDiskBacksOffSaysSoAndCatchesUpWhenSpaceReturns) {
  LogCapture log("pintracker");
  std::vector<cluster::Pin> many;
  for (int n = 0; n < 300; ++n) many.push_back(cluster::Pin{cid(n)});
  // The pinset is written, then no page may be added: the statuses hit SQLITE_FULL, as on a
  // full disk (SQLite reports both the same way).
  ASSERT_TRUE(reconciler_->apply(cluster::PinsetDiff{many, {}}));
  std::int64_t page_count = 0;
  {
    auto pages = db_->prepare("PRAGMA page_count");
    ASSERT_TRUE(pages && *pages->step());
    page_count = pages->column_int(0);
  }
  ASSERT_TRUE(db_->exec("PRAGMA max_page_count = " + std::to_string(page_count)));
  drain();
  ASSERT_TRUE(kubo_.has(cid(299))) << "pinning goes on while statuses cannot be written";
  EXPECT_FALSE(row(cid(0)));
  EXPECT_NE(reconciler_->stats().write_error.find("full"), std::string::npos) << reconciler_->stats().write_error;
  EXPECT_EQ(log.count("writing statuses"), 1u) << log.text();

  // Many wake-ups within the backoff: no new attempt.
  for (int i = 0; i < 50; ++i) advance(0ms);
  EXPECT_EQ(log.count("writing statuses"), 1u);
  // The backoff doubles: 250 ms, 500 ms, 1 s, ... capped at 30 s.
  advance(250ms);
  EXPECT_EQ(log.count("writing statuses"), 2u);
  advance(250ms);
  EXPECT_EQ(log.count("writing statuses"), 2u);
  advance(250ms);
  EXPECT_EQ(log.count("writing statuses"), 3u);
  for (int i = 0; i < 20; ++i) advance(30s);
  EXPECT_EQ(log.count("writing statuses"), 3u + 20u);
  EXPECT_EQ(log.count("retrying in 30000 ms"), 20u - 4u) << "capped at 30 s: " << log.text();
  EXPECT_EQ(log.count("[error]"), 1u) << "one error line per change, retries are debug lines";

  ASSERT_TRUE(db_->exec("PRAGMA max_page_count = 1073741823"));  // space returns
  advance(30s);
  EXPECT_EQ(reconciler_->stats().write_error, "");
  EXPECT_EQ(log.count("works again"), 1u);
  for (int n : {0, 150, 299}) {
    auto r = row(cid(n));
    ASSERT_TRUE(r) << n;
    EXPECT_EQ(r->status, PinStatus::pinned);
  }
}

}  // namespace
}  // namespace cf::follower
