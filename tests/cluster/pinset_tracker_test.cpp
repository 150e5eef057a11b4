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

// Built by appending: GCC 12 warns falsely (-Wrestrict) on `"..." + std::string + "..."`.
std::string field_text(const std::string& key, const std::string& value) {
  std::string out = "\"";
  out += key;
  out += "\":\"";
  out += value;
  out += '"';
  return out;
}

std::string renamed(const std::string& line, const std::string& name) {
  return std::regex_replace(line, std::regex("\"name\":\"[^\"]*\""), field_text("name", name));
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

std::string with_expire_at(const std::string& line, const std::string& when) {
  return std::regex_replace(line, std::regex("\"expire_at\":\"[^\"]*\""), field_text("expire_at", when));
}

std::size_t skipped(const PinsetChanges& c, BadPinReason reason) { return c.skipped[static_cast<std::size_t>(reason)]; }

// Issue 11: one bad pin failed every poll. A garbage line, an invalid CID and an expire_at
// before 1970 are skipped and counted; the rest of the pinset is applied.
TEST(PinsetTracker, BadLinesAreSkippedCountedAndTheRestApplied) {
  Cluster cluster;
  auto lines = captured_lines();
  cluster.set(lines);
  auto source = cluster.source();
  auto whole = source.fetch_pinset();
  ASSERT_TRUE(whole) << whole.error().message();
  const auto bad_time_cid = source.parse_line(lines[5], 1)->cid;
  auto served = lines;
  served[5] = with_expire_at(lines[5], "1969-12-31T23:59:59Z");
  served.insert(served.begin() + 2, "garbage \x1b[2J not json");
  served.insert(served.begin() + 8, R"({"cid":"not-a-cid","type":"pin"})");
  cluster.set(served);
  PinsetTracker tracker;
  auto first = tracker.fetch(source);
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ(first->pins, 15u);
  EXPECT_EQ(skipped(*first, BadPinReason::malformed), 1u);
  EXPECT_EQ(skipped(*first, BadPinReason::invalid_cid), 1u);
  EXPECT_EQ(skipped(*first, BadPinReason::invalid_field), 1u);
  EXPECT_EQ(first->skipped_total(), 3u);
  EXPECT_TRUE(first->removes_withheld);  // the garbage line could be any CID
  auto expected = *whole;
  expected.erase(expected.begin() + 5);
  EXPECT_EQ(first->puts, expected);
  EXPECT_EQ(first->put_count, 12u);
  EXPECT_TRUE(tracker.cids().contains(bad_time_cid));  // kept: its stored version stays

  // Counted once: the same bad lines again are neither parsed nor counted.
  auto again = tracker.fetch(source);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->skipped_total(), 0u);
  EXPECT_TRUE(again->puts.empty());
  EXPECT_TRUE(again->removes_withheld);

  // While a line without a readable CID is there nothing is removed; once none is, what
  // went is (the pin with the bad expire_at is not among it: fail-closed).
  auto fewer = served;
  fewer.erase(fewer.begin() + 10);  // a good line (lines[8])
  cluster.set(fewer);
  auto withheld = tracker.fetch(source);
  ASSERT_TRUE(withheld);
  EXPECT_TRUE(withheld->removes.empty());
  fewer.erase(fewer.begin() + 2);  // the garbage
  cluster.set(fewer);
  auto still = tracker.fetch(source);  // the invalid CID is still there: as unreadable
  ASSERT_TRUE(still);
  EXPECT_TRUE(still->removes_withheld);
  EXPECT_TRUE(still->removes.empty());
  fewer.erase(fewer.begin() + 7);  // the invalid CID
  cluster.set(fewer);
  auto cleared = tracker.fetch(source);
  ASSERT_TRUE(cleared);
  EXPECT_FALSE(cleared->removes_withheld);
  ASSERT_EQ(cleared->removes.size(), 1u);
  EXPECT_EQ(cleared->removes[0], source.parse_line(lines[8], 1)->cid);
}

// Fail-closed: a pin whose new version is bad is not reported removed.
TEST(PinsetTracker, APinThatTurnsBadIsNotRemoved) {
  Cluster cluster;
  auto lines = captured_lines();
  cluster.set(lines);
  auto source = cluster.source();
  PinsetTracker tracker;
  ASSERT_TRUE(tracker.fetch(source));
  lines[6] = with_expire_at(lines[6], "1900-01-01T00:00:00Z");
  cluster.set(lines);
  auto changes = tracker.fetch(source);
  ASSERT_TRUE(changes) << changes.error().message();
  EXPECT_EQ(skipped(*changes, BadPinReason::invalid_field), 1u);
  EXPECT_TRUE(changes->puts.empty());
  EXPECT_TRUE(changes->removes.empty());
  EXPECT_FALSE(changes->removes_withheld);
}

// A line over max_line is dropped as it arrives and the stream goes on.
TEST(PinsetTracker, AnOverlongLineIsSkipped) {
  Cluster cluster;
  auto lines = captured_lines();
  std::string overlong(1, '{');
  overlong += field_text("name", std::string(3000, 'x'));
  overlong += '}';
  lines.insert(lines.begin() + 3, overlong);
  cluster.set(lines);
  RestSourceConfig config;
  config.url = cluster.server.url("");
  config.max_line = 2048;
  auto source = std::move(*RestSource::create(std::move(config)));
  PinsetTracker tracker;
  auto changes = tracker.fetch(source);
  ASSERT_TRUE(changes) << changes.error().message();
  EXPECT_EQ(skipped(*changes, BadPinReason::too_large), 1u);
  EXPECT_EQ(changes->puts.size(), 13u);
  EXPECT_TRUE(changes->removes_withheld);
}

// A name over max_pin_name_size is cut, and the pin applied (never skipped: see pin.hpp).
TEST(PinsetTracker, AnOversizedNameIsCutAndThePinApplied) {
  Cluster cluster;
  auto lines = captured_lines();
  lines[3] = renamed(lines[3], std::string(1024 * 1024 - 1000, 'n'));
  cluster.set(lines);
  auto source = cluster.source();
  PinsetTracker tracker;
  auto changes = tracker.fetch(source);
  ASSERT_TRUE(changes) << changes.error().message();
  ASSERT_EQ(changes->puts.size(), 13u);
  EXPECT_EQ(changes->puts[3].name, std::string(max_pin_name_size, 'n'));
  EXPECT_EQ(changes->capped_names, 1u);
  EXPECT_EQ(changes->skipped_total(), 0u);
}

std::string synthetic_line(std::size_t i) {
  // A CIDv1 raw sha2-256 of the index: valid, distinct.
  Bytes digest(32, 0);
  for (std::size_t b = 0; b < 8; ++b) digest[b] = static_cast<std::uint8_t>(i >> (8 * b));
  return to_json(Pin{multiformats::Cid::v1(0x55, multiformats::Multihash::create(0x12, digest))});
}

// Issue 11: the first poll held the whole pinset as Pins. Batches go to the sink as the
// stream is read: a stream that fails after 12,000 of 20,000 lines has already handed over
// two full batches, and no batch is bigger than the batch size.
TEST(PinsetTracker, HandsOverBatchesWhileStreaming) {
  Cluster cluster;
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < 20'000; ++i) lines.push_back(synthetic_line(i));
  cluster.set(lines);
  auto source = cluster.source();
  PinsetTracker tracker;
  std::vector<std::size_t> batches;
  auto sink = [&](std::vector<Pin>&& puts) {
    batches.push_back(puts.size());
    return ok();
  };
  auto changes = tracker.fetch(source, sink, 5000);
  ASSERT_TRUE(changes) << changes.error().message();
  EXPECT_EQ(batches, (std::vector<std::size_t>{5000, 5000, 5000, 5000}));
  EXPECT_TRUE(changes->puts.empty());  // nothing held beyond a batch
  EXPECT_EQ(changes->put_count, 20'000u);
  EXPECT_EQ(tracker.cids().size(), 20'000u);

  PinsetTracker fresh;
  batches.clear();
  lines.resize(12'000);
  cluster.set(lines);
  cluster.stream_error = "context canceled";
  auto failed = fresh.fetch(source, sink, 5000);
  ASSERT_FALSE(failed);
  EXPECT_EQ(batches, (std::vector<std::size_t>{5000, 5000}));
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
      next.push_back(random() % 4 == 0 ? renamed(line, std::string(1, 'r').append(std::to_string(random() % 3))) : line);
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
