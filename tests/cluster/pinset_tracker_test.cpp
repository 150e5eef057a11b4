// PinsetTracker against the loopback test server, fed with the captured /allocations stream
// of ipfs-cluster v1.1.6 (tests/vectors/rest) and edits of it; checked against cluster::diff
// of fully parsed pinsets.
#include "cf/cluster/pinset_tracker.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "support/http_test_server.hpp"

namespace cf::cluster {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> captured_lines() {
  std::ifstream in(std::filesystem::path(CF_SOURCE_DIR) / "tests/vectors/rest/allocations_filter_all.json");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A REST API whose pinset the test changes between fetches.
struct Cluster {
  std::mutex mutex;
  std::vector<std::string> lines;
  std::string stream_error;
  test::HttpTestServer server{[this](const test::HttpRequest&) {
    std::lock_guard lock(mutex);
    std::string body;
    for (const auto& l : lines) body += l + "\n";
    return test::make_chunked_reply(200, {body}, {{"X-Stream-Error", stream_error}});
  }};
  void set(std::vector<std::string> next) {
    std::lock_guard lock(mutex);
    lines = std::move(next);
  }
  RestSource source() {
    RestSourceConfig config;
    config.url = server.url("");
    config.request_timeout = 10s;
    return std::move(*RestSource::create(std::move(config)));
  }
};

std::string renamed(const std::string& line, const std::string& name) {
  return std::regex_replace(line, std::regex("\"name\":\"[^\"]*\""), "\"name\":\"" + name + "\"");
}

std::set<std::string> cids_of(const std::vector<Pin>& pins) {
  std::set<std::string> out;
  for (const auto& p : pins) out.insert(p.cid.to_string());
  return out;
}

std::set<std::string> cids_of(const std::vector<multiformats::Cid>& cids) {
  std::set<std::string> out;
  for (const auto& c : cids) out.insert(c.to_string());
  return out;
}

TEST(PinsetTracker, FirstFetchIsTheWholePinsetThenNothingChanges) {
  Cluster cluster;
  cluster.set(captured_lines());
  auto source = cluster.source();
  auto whole = source.fetch_pinset();
  ASSERT_TRUE(whole) << whole.error().message();
  PinsetTracker tracker;
  auto first = tracker.fetch(source);
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_TRUE(first->first);
  EXPECT_EQ(first->puts, *whole);
  EXPECT_TRUE(first->removes.empty());
  EXPECT_EQ(first->pins, 13u);
  EXPECT_EQ(tracker.size(), 13u);
  auto again = tracker.fetch(source);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_FALSE(again->first);
  EXPECT_TRUE(again->puts.empty());
  EXPECT_TRUE(again->removes.empty());
  EXPECT_EQ(again->pins, 13u);
}

TEST(PinsetTracker, ChangedAddedAndRemovedLines) {
  Cluster cluster;
  auto lines = captured_lines();
  const std::string dropped = lines[4];
  cluster.set({lines.begin(), lines.begin() + 12});
  auto source = cluster.source();
  PinsetTracker tracker;
  ASSERT_TRUE(tracker.fetch(source));

  auto next = lines;
  next[2] = renamed(lines[2], "renamed");
  next.erase(next.begin() + 4);  // drops `dropped`; the 13th line is new
  cluster.set(next);
  auto changes = tracker.fetch(source);
  ASSERT_TRUE(changes) << changes.error().message();
  ASSERT_EQ(changes->puts.size(), 2u);
  EXPECT_EQ(changes->puts[0].name, "renamed");  // a changed pin is a put, not a remove
  EXPECT_EQ(changes->puts[1], *source.parse_line(lines[12], 1));
  ASSERT_EQ(changes->removes.size(), 1u);
  EXPECT_EQ(changes->removes[0], source.parse_line(dropped, 1)->cid);
  EXPECT_EQ(tracker.size(), 12u);
}

TEST(PinsetTracker, AFailedFetchForgetsEverything) {
  Cluster cluster;
  cluster.set(captured_lines());
  auto source = cluster.source();
  PinsetTracker tracker;
  ASSERT_TRUE(tracker.fetch(source));
  cluster.stream_error = "context canceled";
  auto failed = tracker.fetch(source);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), pinset_errc::stream_failed);
  EXPECT_EQ(tracker.size(), 0u);
  cluster.stream_error.clear();
  auto again = tracker.fetch(source);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->first);
  EXPECT_EQ(again->puts.size(), 13u);
}

TEST(PinsetTracker, AnInvalidLineNamesItsNumberAndForgets) {
  Cluster cluster;
  auto lines = captured_lines();
  cluster.set(lines);
  auto source = cluster.source();
  PinsetTracker tracker;
  ASSERT_TRUE(tracker.fetch(source));
  lines[6] = R"({"cid":"not-a-cid","type":"pin"})";
  cluster.set(lines);
  auto failed = tracker.fetch(source);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), pinset_errc::invalid_pin);
  EXPECT_NE(failed.error().message().find("line 7"), std::string::npos) << failed.error().message();
  EXPECT_NE(failed.error().message().find(source.url()), std::string::npos) << failed.error().message();
  EXPECT_EQ(tracker.size(), 0u);
}

// Random edits, fetch after fetch: the tracker reports what diff() of the parsed pinsets does.
TEST(PinsetTracker, AgreesWithDiffOverRandomEdits) {
  Cluster cluster;
  const auto lines = captured_lines();
  auto source = cluster.source();
  PinsetTracker tracker;
  std::vector<Pin> previous;
  std::mt19937 random(42);
  for (int round = 0; round < 60; ++round) {
    std::vector<std::string> next;
    for (const auto& line : lines) {
      if (random() % 5 == 0) continue;
      next.push_back(random() % 4 == 0 ? renamed(line, "r" + std::to_string(random() % 3)) : line);
    }
    cluster.set(next);
    auto desired = source.fetch_pinset();
    ASSERT_TRUE(desired) << desired.error().message();
    auto expected = diff(previous, *desired);
    auto changes = tracker.fetch(source);
    ASSERT_TRUE(changes) << changes.error().message();
    EXPECT_EQ(cids_of(changes->puts), cids_of(expected.puts)) << "round " << round;
    for (const auto& pin : changes->puts) EXPECT_NE(std::find(desired->begin(), desired->end(), pin), desired->end());
    EXPECT_EQ(cids_of(changes->removes), cids_of(expected.removes)) << "round " << round;
    EXPECT_EQ(changes->pins, next.size());
    previous = std::move(*desired);
  }
}

}  // namespace
}  // namespace cf::cluster
