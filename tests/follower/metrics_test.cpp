#include "cf/follower/metrics.hpp"

#include <regex>
#include <cstring>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

namespace cf::follower {
namespace {

using namespace std::chrono_literals;

bool has_line(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l == line) return true;
  }
  return false;
}

// The exposition format 0.0.4, as Prometheus parses it: comments are HELP or TYPE, each family
// is typed before its samples, each sample is `name{labels} value`, and a family's lines are
// contiguous.
void expect_valid_exposition(const std::string& text) {
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  static const std::regex sample_re(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.e+-]+|\+Inf|NaN)$)");
  static const std::regex type_re(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)");
  std::set<std::string> typed, finished;
  std::string current;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (line.starts_with("# HELP ")) continue;
    if (std::regex_match(line, m, type_re)) {
      EXPECT_TRUE(typed.insert(m[1]).second) << "family typed twice: " << line;
      if (!current.empty()) finished.insert(current);
      current = m[1];
      continue;
    }
    ASSERT_TRUE(std::regex_match(line, m, sample_re)) << "not a valid sample line: " << line;
    std::string name = m[1];
    for (auto suffix : {"_bucket", "_sum", "_count"}) {
      if (name.ends_with(suffix) && typed.count(name.substr(0, name.size() - std::strlen(suffix)))) {
        name.resize(name.size() - std::strlen(suffix));
      }
    }
    EXPECT_EQ(name, current) << "sample outside its family: " << line;
    EXPECT_FALSE(finished.count(name)) << "family not contiguous: " << line;
  }
}

TEST(Metrics, FreshRegistryIsValidAndListsEveryStatus) {
  Metrics metrics([] { return 1000; });
  auto text = metrics.render_prometheus();
  expect_valid_exposition(text);
  EXPECT_TRUE(has_line(text, "# TYPE cluster_follow_pins gauge"));
  for (auto status : {"pinned", "pinning", "pin_queued", "pin_error", "unpin_queued", "unpinning", "unpin_error",
                      "unpinned", "remote", "sharded"}) {
    EXPECT_TRUE(has_line(text, std::string("cluster_follow_pins{status=\"") + status + "\"} 0")) << status;
  }
  EXPECT_FALSE(has_line(text, "cluster_follow_pins{status=\"undefined\"} 0"));
  EXPECT_TRUE(has_line(text, "cluster_follow_pins_in_flight 0"));
  EXPECT_TRUE(has_line(text, "# TYPE cluster_follow_kubo_request_errors_total counter"));
  // Never synced, no template: the families are declared, without samples.
  EXPECT_TRUE(has_line(text, "# TYPE cluster_follow_last_sync_timestamp_seconds gauge"));
  EXPECT_EQ(text.find("\ncluster_follow_last_sync_timestamp_seconds "), std::string::npos);
  EXPECT_EQ(text.find("\ncluster_follow_template_age_seconds "), std::string::npos);
  EXPECT_NE(text.find("cluster_follow_build_info{version=\""), std::string::npos);
}

TEST(Metrics, GaugesShowTheLastValueSet) {
  std::int64_t now = 5000;
  Metrics metrics([&] { return now; });
  metrics.set_pins_by_status({{"pinned", 40}, {"pin_error", 2}});
  metrics.set_pins_by_status({{"pinned", 41}, {"pin_error", 1}});
  metrics.set_queue_length(QueueKind::pin, 7);
  metrics.set_queue_length(QueueKind::retry, 3);
  metrics.set_queue_length(QueueKind::unpin, 1);
  metrics.set_pins_in_flight(10);
  metrics.set_source_lag(42s);
  metrics.set_last_sync(4990);
  metrics.set_template(4400, true);
  auto text = metrics.render_prometheus();
  expect_valid_exposition(text);
  EXPECT_TRUE(has_line(text, "cluster_follow_pins{status=\"pinned\"} 41"));
  EXPECT_TRUE(has_line(text, "cluster_follow_pins{status=\"pin_error\"} 1"));
  EXPECT_TRUE(has_line(text, "cluster_follow_pins{status=\"pinning\"} 0"));
  EXPECT_TRUE(has_line(text, "cluster_follow_queue_length{queue=\"pin\"} 7"));
  EXPECT_TRUE(has_line(text, "cluster_follow_queue_length{queue=\"retry\"} 3"));
  EXPECT_TRUE(has_line(text, "cluster_follow_queue_length{queue=\"unpin\"} 1"));
  EXPECT_TRUE(has_line(text, "cluster_follow_pins_in_flight 10"));
  EXPECT_TRUE(has_line(text, "cluster_follow_source_lag_seconds 42"));
  EXPECT_TRUE(has_line(text, "cluster_follow_last_sync_timestamp_seconds 4990"));
  EXPECT_TRUE(has_line(text, "cluster_follow_template_age_seconds 600"));
  EXPECT_TRUE(has_line(text, "cluster_follow_template_from_cache 1"));
  now = 5060;  // the age is computed when scraped
  EXPECT_TRUE(has_line(metrics.render_prometheus(), "cluster_follow_template_age_seconds 660"));
}

TEST(Metrics, SkippedAndCappedPinsAreCountedByReason) {
  Metrics metrics([] { return 0; });
  auto fresh = metrics.render_prometheus();
  expect_valid_exposition(fresh);
  EXPECT_TRUE(has_line(fresh, "# TYPE cluster_follow_pins_skipped_total counter"));
  for (auto reason : {"malformed", "invalid_cid", "invalid_field", "too_large"}) {
    EXPECT_TRUE(has_line(fresh, std::string("cluster_follow_pins_skipped_total{reason=\"") + reason + "\"} 0"));
  }
  EXPECT_TRUE(has_line(fresh, "cluster_follow_pin_fields_capped_total{field=\"name\"} 0"));
  metrics.count_skipped_pins("invalid_field", 2);
  metrics.count_skipped_pins("invalid_field", 1);
  metrics.count_capped_pins("metadata", 4);
  auto text = metrics.render_prometheus();
  expect_valid_exposition(text);
  EXPECT_TRUE(has_line(text, "cluster_follow_pins_skipped_total{reason=\"invalid_field\"} 3"));
  EXPECT_TRUE(has_line(text, "cluster_follow_pins_skipped_total{reason=\"malformed\"} 0"));
  EXPECT_TRUE(has_line(text, "cluster_follow_pin_fields_capped_total{field=\"metadata\"} 4"));
}

TEST(Metrics, KuboLatencyIsACumulativeHistogramWithErrors) {
  Metrics metrics([] { return 0; });
  metrics.observe_kubo_request("pin/add", 50ms, true);
  metrics.observe_kubo_request("pin/add", 100ms, true);  // on a bound: counted in le="0.1"
  metrics.observe_kubo_request("pin/add", 2s, false);
  metrics.observe_kubo_request("pin/add", 700s, true);  // beyond the last bound: +Inf only
  metrics.observe_kubo_request("pin/ls", 1ms, true);
  auto text = metrics.render_prometheus();
  expect_valid_exposition(text);
  const std::vector<std::pair<std::string, int>> expected{{"0.005", 0}, {"0.025", 0}, {"0.1", 2}, {"0.5", 2},
                                                          {"1", 2},     {"5", 3},     {"30", 3},  {"120", 3},
                                                          {"600", 3},   {"+Inf", 4}};
  for (const auto& [le, n] : expected) {
    EXPECT_TRUE(has_line(text, "cluster_follow_kubo_request_duration_seconds_bucket{operation=\"pin/add\",le=\"" + le +
                                   "\"} " + std::to_string(n)))
        << le;
  }
  EXPECT_TRUE(has_line(text, "cluster_follow_kubo_request_duration_seconds_count{operation=\"pin/add\"} 4"));
  EXPECT_TRUE(has_line(text, "cluster_follow_kubo_request_duration_seconds_sum{operation=\"pin/add\"} 702.15"));
  EXPECT_TRUE(has_line(text, "cluster_follow_kubo_request_duration_seconds_bucket{operation=\"pin/ls\",le=\"0.005\"} 1"));
  EXPECT_TRUE(has_line(text, "cluster_follow_kubo_request_errors_total{operation=\"pin/add\"} 1"));
  EXPECT_EQ(text.find("cluster_follow_kubo_request_errors_total{operation=\"pin/ls\"}"), std::string::npos);
}

TEST(Metrics, LabelValuesAreEscaped) {
  EXPECT_EQ(escape_label_value("plain"), "plain");
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  Metrics metrics([] { return 0; });
  metrics.set_pins_by_status({{"we\"ird\n", 1}});
  metrics.observe_kubo_request("x\\y", 1ms, false);
  auto text = metrics.render_prometheus();
  expect_valid_exposition(text);
  EXPECT_TRUE(has_line(text, "cluster_follow_pins{status=\"we\\\"ird\\n\"} 1"));
  EXPECT_TRUE(has_line(text, "cluster_follow_kubo_request_errors_total{operation=\"x\\\\y\"} 1"));
}

TEST(Metrics, ConcurrentUpdatesAreAllCounted) {
  Metrics metrics([] { return 0; });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        metrics.observe_kubo_request("pin/add", 1ms, i % 10 != 0);
        if (i % 100 == 0) (void)metrics.render_prometheus();
      }
    });
  }
  for (auto& t : threads) t.join();
  auto text = metrics.render_prometheus();
  EXPECT_TRUE(has_line(text, "cluster_follow_kubo_request_duration_seconds_count{operation=\"pin/add\"} 4000"));
  EXPECT_TRUE(has_line(text, "cluster_follow_kubo_request_errors_total{operation=\"pin/add\"} 400"));
}

}  // namespace
}  // namespace cf::follower

namespace cf::follower {
namespace {

TEST(MetricsP2p, AbsentUntilSetThenCountedByReason) {
  Metrics m([] { return std::int64_t{1000}; });
  EXPECT_EQ(m.render_prometheus().find("pubsub"), std::string::npos) << "no libp2p series while not following over libp2p";
  P2pCounts c;
  c.peers = 2;
  c.delivered = 7;
  c.untrusted_author = 3;
  c.bad_signature = 1;
  c.bad_blocks = 4;
  m.set_p2p(c);
  const auto text = m.render_prometheus();
  EXPECT_NE(text.find("cluster_follow_libp2p_peers 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("cluster_follow_pubsub_messages_total{result=\"delivered\"} 7\n"), std::string::npos);
  EXPECT_NE(text.find("cluster_follow_pubsub_dropped_total{reason=\"untrusted_author\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("cluster_follow_pubsub_dropped_total{reason=\"bad_signature\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("cluster_follow_pubsub_dropped_total{reason=\"malformed_rpc\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("cluster_follow_bitswap_blocks_total{result=\"bad\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE cluster_follow_pubsub_dropped_total counter"), std::string::npos);
}

}  // namespace
}  // namespace cf::follower
