// The follower's metrics, rendered in the Prometheus text exposition format 0.0.4 for
// `run --metrics` (DESIGN §5: upstream's follower has metrics hard-disabled; user-needs §0
// needs 1 and 8: know whether I am caught up, run well as a service).
//
// Every metric, with its type (docs/operations.md keeps the same list for users):
//   cluster_follow_build_info{version}                       gauge, always 1
//   cluster_follow_pins{status}                              gauge, one series per upstream
//                                                            status name (0 when none)
//   cluster_follow_queue_length{queue="pin"|"retry"|"unpin"} gauge
//   cluster_follow_pins_in_flight                            gauge, Kubo pin/unpin calls running
//   cluster_follow_kubo_request_duration_seconds{operation}  histogram (_bucket/_sum/_count)
//   cluster_follow_kubo_request_errors_total{operation}      counter
//   cluster_follow_pins_skipped_total{reason}               counter: pins from the source that
//                                                            were skipped (malformed, invalid_cid,
//                                                            invalid_field, too_large)
//   cluster_follow_pin_fields_capped_total{field}           counter: pins applied with their
//                                                            name or metadata cut to the caps
//   cluster_follow_source_lag_seconds                        gauge, how far the pinset source is
//                                                            behind what the cluster published
//   cluster_follow_last_sync_timestamp_seconds               gauge, Unix time of the last
//                                                            successful sync (absent before one)
//   cluster_follow_template_age_seconds                      gauge, age of the template in use
//                                                            (absent when unknown or inline)
//   cluster_follow_template_from_cache                       gauge, 1 when the fetch failed and
//                                                            the cached copy is in use
//   cluster_follow_libp2p_peers                              gauge, open libp2p connections
//   cluster_follow_pubsub_messages_total{result}             counter: delivered, duplicate
//   cluster_follow_pubsub_dropped_total{reason}              counter: bad_signature,
//                                                            untrusted_author, malformed_rpc,
//                                                            unsubscribed_topic
//   cluster_follow_bitswap_blocks_total{result}              counter: received, bad (failed
//                                                            verification), unwanted
//   cluster_follow_dag_blocks_total{result}                  counter: fetched, merged, bad (this run)
//   cluster_follow_dag_in_flight, _frontier, _heads, _height, _processed   gauges of the DAG sync
//   (the libp2p and dag series exist only while following over libp2p)
//
// Threads: every member is safe to call from any thread (one mutex; updates are rare next to
// the work they count). The clock is injected so that ages are testable.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cf::follower {

enum class QueueKind { pin, retry, unpin };

// What the libp2p side has counted so far (totals since start).
struct P2pCounts {
  std::int64_t peers = 0;
  std::uint64_t delivered = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t bad_signature = 0;
  std::uint64_t untrusted_author = 0;
  std::uint64_t malformed_rpc = 0;
  std::uint64_t unsubscribed_topic = 0;
  std::uint64_t blocks_received = 0;
  std::uint64_t bad_blocks = 0;
  std::uint64_t unwanted_blocks = 0;
  std::uint64_t dag_fetched = 0;   // DAG blocks fetched by the sync engine (this run)
  std::uint64_t dag_merged = 0;    // DAG nodes merged (this run)
  std::uint64_t dag_bad_nodes = 0; // blocks that are no valid CRDT node
  std::int64_t dag_in_flight = 0;  // fetching or waiting for their merge
  std::int64_t frontier = 0;       // known needed and not merged (persisted)
  std::int64_t heads = 0;
  std::int64_t max_height = 0;
  std::int64_t processed = 0;      // nodes merged in all (persisted)
};

class Metrics {
 public:
  using UnixClock = std::function<std::int64_t()>;  // Unix seconds

  // Upper bounds (seconds) of the Kubo latency buckets; +Inf is implied. Kubo answers id and
  // version in milliseconds, while a pin/add of a big DAG takes minutes.
  static const std::vector<double>& kubo_latency_buckets();

  explicit Metrics(UnixClock now = {});

  // Replaces the counts by status; statuses not named are 0. Names are upstream's
  // (store::PinStatus); unknown names are still exported, so nothing is silently lost.
  void set_pins_by_status(const std::map<std::string, std::int64_t>& counts);
  void set_queue_length(QueueKind queue, std::int64_t length);
  void set_pins_in_flight(std::int64_t n);

  // One finished Kubo RPC call: `operation` is the RPC path without /api/v0/ ("pin/add").
  // A failed call counts in the latency histogram too, and in the errors counter.
  void observe_kubo_request(std::string_view operation, std::chrono::duration<double> latency, bool ok);

  // Pins a pinset source skipped (reason: cluster::BadPinReason's name), and pins applied with
  // a field cut to its cap (field: "name" or "metadata").
  void count_skipped_pins(std::string_view reason, std::uint64_t n);
  void count_capped_pins(std::string_view field, std::uint64_t n);

  void set_source_lag(std::chrono::seconds lag);
  void set_last_sync(std::int64_t unix_seconds);
  // When the template in use was fetched (Unix seconds), and whether it came from the cache.
  void set_template(std::optional<std::int64_t> fetched_at, bool from_cache);
  void set_p2p(const P2pCounts& counts);
  // Reads the libp2p counts at every render instead (exact at scrape time). The function is
  // called from render_prometheus's thread: the metrics server's, the io_context's, which is
  // where the libp2p side lives. An empty function stops it.
  void set_p2p_source(std::function<P2pCounts()> source);

  // The whole exposition, HELP and TYPE lines included, ending in a newline.
  std::string render_prometheus() const;

 private:
  struct Histogram {
    std::vector<std::uint64_t> buckets;  // per bound, not cumulative; the last is +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };

  void render_kubo(std::string& out) const;
  void render_p2p(std::string& out) const;

  UnixClock now_;
  mutable std::mutex mutex_;
  std::map<std::string, std::int64_t> pins_by_status_;
  std::int64_t queue_pin_ = 0;
  std::int64_t queue_retry_ = 0;
  std::int64_t queue_unpin_ = 0;
  std::int64_t in_flight_ = 0;
  std::map<std::string, Histogram, std::less<>> kubo_latency_;
  std::map<std::string, std::uint64_t, std::less<>> kubo_errors_;
  std::map<std::string, std::uint64_t, std::less<>> skipped_pins_;
  std::map<std::string, std::uint64_t, std::less<>> capped_pins_;
  std::int64_t source_lag_ = 0;
  std::optional<std::int64_t> last_sync_;
  std::optional<std::int64_t> template_fetched_at_;
  bool template_from_cache_ = false;
  std::optional<P2pCounts> p2p_;
  std::function<P2pCounts()> p2p_source_;
};

// A label value escaped for the exposition format: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

}  // namespace cf::follower
