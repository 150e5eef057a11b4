#include "cf/follower/metrics.hpp"

#include <ctime>
#include <iterator>

#include <fmt/format.h>

#include "cf/base/version.hpp"
#include "cf/store/pin_status.hpp"

namespace cf::follower {
namespace {

constexpr std::string_view prefix = "cluster_follow_";

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out), "# HELP {}{} {}\n# TYPE {}{} {}\n", prefix, name, help, prefix, name, type);
}

// One sample line; `labels` is already rendered ("" or `{a="b"}`).
template <typename V>
void sample(std::string& out, std::string_view name, std::string_view labels, V value) {
  fmt::format_to(std::back_inserter(out), "{}{}{} {}\n", prefix, name, labels, value);
}

std::string label(std::string_view key, std::string_view value) {
  return fmt::format("{{{}=\"{}\"}}", key, escape_label_value(value));
}

std::string_view queue_name(QueueKind q) {
  switch (q) {
    case QueueKind::pin: return "pin";
    case QueueKind::retry: return "retry";
    case QueueKind::unpin: return "unpin";
  }
  return "unknown";
}

// Every upstream status is exported, 0 when absent, so that a dashboard's series never vanish;
// "undefined" is upstream's zero value and means nothing to a reader.
std::map<std::string, std::int64_t> with_all_statuses(const std::map<std::string, std::int64_t>& counts) {
  std::map<std::string, std::int64_t> all;
  for (auto s : store::all_pin_statuses()) {
    if (s != store::PinStatus::undefined) all.emplace(std::string(store::to_string(s)), 0);
  }
  for (const auto& [name, n] : counts) all[name] = n;
  return all;
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

const std::vector<double>& Metrics::kubo_latency_buckets() {
  static const std::vector<double> bounds{0.005, 0.025, 0.1, 0.5, 1, 5, 30, 120, 600};
  return bounds;
}

Metrics::Metrics(UnixClock now)
    : now_(now ? std::move(now) : [] { return static_cast<std::int64_t>(std::time(nullptr)); }) {}

void Metrics::set_pins_by_status(const std::map<std::string, std::int64_t>& counts) {
  std::lock_guard lock(mutex_);
  pins_by_status_ = counts;
}

void Metrics::set_queue_length(QueueKind queue, std::int64_t length) {
  std::lock_guard lock(mutex_);
  (queue == QueueKind::pin ? queue_pin_ : queue == QueueKind::retry ? queue_retry_ : queue_unpin_) = length;
}

void Metrics::set_pins_in_flight(std::int64_t n) {
  std::lock_guard lock(mutex_);
  in_flight_ = n;
}

void Metrics::observe_kubo_request(std::string_view operation, std::chrono::duration<double> latency, bool ok) {
  const auto& bounds = kubo_latency_buckets();
  const double seconds = latency.count();
  std::size_t bucket = 0;
  while (bucket < bounds.size() && seconds > bounds[bucket]) ++bucket;  // le: upper bound inclusive
  std::lock_guard lock(mutex_);
  auto it = kubo_latency_.find(operation);
  if (it == kubo_latency_.end()) {
    it = kubo_latency_.emplace(std::string(operation), Histogram{std::vector<std::uint64_t>(bounds.size() + 1), 0, 0}).first;
  }
  ++it->second.buckets[bucket];
  it->second.sum += seconds;
  ++it->second.count;
  if (!ok) ++kubo_errors_[std::string(operation)];
}

void Metrics::count_skipped_pins(std::string_view reason, std::uint64_t n) {
  std::lock_guard lock(mutex_);
  auto it = skipped_pins_.find(reason);
  if (it == skipped_pins_.end()) it = skipped_pins_.emplace(std::string(reason), 0).first;
  it->second += n;
}

void Metrics::count_capped_pins(std::string_view field, std::uint64_t n) {
  std::lock_guard lock(mutex_);
  auto it = capped_pins_.find(field);
  if (it == capped_pins_.end()) it = capped_pins_.emplace(std::string(field), 0).first;
  it->second += n;
}

void Metrics::set_source_lag(std::chrono::seconds lag) {
  std::lock_guard lock(mutex_);
  source_lag_ = lag.count();
}

void Metrics::set_last_sync(std::int64_t unix_seconds) {
  std::lock_guard lock(mutex_);
  last_sync_ = unix_seconds;
}

void Metrics::set_template(std::optional<std::int64_t> fetched_at, bool from_cache) {
  std::lock_guard lock(mutex_);
  template_fetched_at_ = fetched_at;
  template_from_cache_ = from_cache;
}

void Metrics::set_p2p(const P2pCounts& counts) {
  std::lock_guard lock(mutex_);
  p2p_ = counts;
}

void Metrics::set_p2p_source(std::function<P2pCounts()> source) {
  std::lock_guard lock(mutex_);
  p2p_source_ = std::move(source);
}

void Metrics::render_p2p(std::string& out) const {
  const auto counts = p2p_source_ ? std::optional<P2pCounts>(p2p_source_()) : p2p_;
  if (!counts) return;
  const auto& c = *counts;
  header(out, "libp2p_peers", "gauge", "Open libp2p connections.");
  sample(out, "libp2p_peers", "", c.peers);
  header(out, "pubsub_messages_total", "counter", "Gossipsub messages on the cluster topic that passed every check, and repeats.");
  sample(out, "pubsub_messages_total", label("result", "delivered"), c.delivered);
  sample(out, "pubsub_messages_total", label("result", "duplicate"), c.duplicates);
  header(out, "pubsub_dropped_total", "counter", "Gossipsub messages and RPCs dropped, by reason.");
  sample(out, "pubsub_dropped_total", label("reason", "bad_signature"), c.bad_signature);
  sample(out, "pubsub_dropped_total", label("reason", "untrusted_author"), c.untrusted_author);
  sample(out, "pubsub_dropped_total", label("reason", "malformed_rpc"), c.malformed_rpc);
  sample(out, "pubsub_dropped_total", label("reason", "unsubscribed_topic"), c.unsubscribed_topic);
  header(out, "bitswap_blocks_total", "counter", "Bitswap blocks received: wanted and verified, failing verification, unwanted.");
  sample(out, "bitswap_blocks_total", label("result", "received"), c.blocks_received);
  sample(out, "bitswap_blocks_total", label("result", "bad"), c.bad_blocks);
  sample(out, "bitswap_blocks_total", label("result", "unwanted"), c.unwanted_blocks);
  header(out, "dag_blocks_total", "counter", "CRDT DAG blocks fetched, nodes merged, and blocks that are no valid node, since start.");
  sample(out, "dag_blocks_total", label("result", "fetched"), c.dag_fetched);
  sample(out, "dag_blocks_total", label("result", "merged"), c.dag_merged);
  sample(out, "dag_blocks_total", label("result", "bad"), c.dag_bad_nodes);
  header(out, "dag_in_flight", "gauge", "DAG blocks being fetched or waiting for their merge.");
  sample(out, "dag_in_flight", "", c.dag_in_flight);
  header(out, "dag_frontier", "gauge", "DAG blocks known to be needed and not merged yet.");
  sample(out, "dag_frontier", "", c.frontier);
  header(out, "dag_heads", "gauge", "Heads the trusted peers announced (recent ones).");
  sample(out, "dag_heads", "", c.heads);
  header(out, "dag_height", "gauge", "The greatest height (priority) of a merged DAG node.");
  sample(out, "dag_height", "", c.max_height);
  header(out, "dag_processed", "gauge", "DAG nodes merged in all.");
  sample(out, "dag_processed", "", c.processed);
}

void Metrics::render_kubo(std::string& out) const {
  const auto& bounds = kubo_latency_buckets();
  header(out, "kubo_request_duration_seconds", "histogram", "Duration of Kubo RPC calls, by operation.");
  for (const auto& [op, h] : kubo_latency_) {
    std::uint64_t cumulative = 0;
    const auto escaped = escape_label_value(op);
    for (std::size_t i = 0; i <= bounds.size(); ++i) {
      cumulative += h.buckets[i];
      auto le = i < bounds.size() ? fmt::format("{}", bounds[i]) : std::string("+Inf");
      sample(out, "kubo_request_duration_seconds_bucket", fmt::format("{{operation=\"{}\",le=\"{}\"}}", escaped, le),
             cumulative);
    }
    sample(out, "kubo_request_duration_seconds_sum", label("operation", op), h.sum);
    sample(out, "kubo_request_duration_seconds_count", label("operation", op), h.count);
  }
  header(out, "kubo_request_errors_total", "counter", "Failed Kubo RPC calls, by operation.");
  for (const auto& [op, n] : kubo_errors_) sample(out, "kubo_request_errors_total", label("operation", op), n);
}

std::string Metrics::render_prometheus() const {
  const std::int64_t now = now_();
  std::string out;
  std::lock_guard lock(mutex_);
  header(out, "build_info", "gauge", "Always 1; the version label names the running cluster-follow.");
  sample(out, "build_info", label("version", version), 1);
  header(out, "pins", "gauge", "Pins by status (upstream's status names).");
  for (const auto& [status, n] : with_all_statuses(pins_by_status_)) sample(out, "pins", label("status", status), n);
  header(out, "queue_length", "gauge", "Pins waiting, by queue: pin, retry (failed, waiting for backoff), unpin.");
  sample(out, "queue_length", label("queue", queue_name(QueueKind::pin)), queue_pin_);
  sample(out, "queue_length", label("queue", queue_name(QueueKind::retry)), queue_retry_);
  sample(out, "queue_length", label("queue", queue_name(QueueKind::unpin)), queue_unpin_);
  header(out, "pins_in_flight", "gauge", "Kubo pin and unpin calls running now.");
  sample(out, "pins_in_flight", "", in_flight_);
  render_kubo(out);
  // Every reason and field is exported, 0 until it happens, so that an alert has a series.
  header(out, "pins_skipped_total", "counter", "Pins from the pinset source that were skipped as invalid, by reason.");
  auto skipped = skipped_pins_;
  for (auto reason : {"malformed", "invalid_cid", "invalid_field", "too_large"}) skipped.emplace(reason, 0);
  for (const auto& [reason, n] : skipped) sample(out, "pins_skipped_total", label("reason", reason), n);
  header(out, "pin_fields_capped_total", "counter", "Pins applied with their name or metadata cut to the follower's cap.");
  auto capped = capped_pins_;
  for (auto field : {"name", "metadata"}) capped.emplace(field, 0);
  for (const auto& [field, n] : capped) sample(out, "pin_fields_capped_total", label("field", field), n);
  header(out, "source_lag_seconds", "gauge", "How far the pinset source is behind what the cluster published.");
  sample(out, "source_lag_seconds", "", source_lag_);
  header(out, "last_sync_timestamp_seconds", "gauge", "Unix time of the last successful sync with the pinset source.");
  if (last_sync_) sample(out, "last_sync_timestamp_seconds", "", *last_sync_);
  header(out, "template_age_seconds", "gauge", "Age of the follower template in use, since it was fetched.");
  if (template_fetched_at_) sample(out, "template_age_seconds", "", std::max<std::int64_t>(now - *template_fetched_at_, 0));
  header(out, "template_from_cache", "gauge", "1 when the template fetch failed and the cached copy is in use.");
  sample(out, "template_from_cache", "", template_from_cache_ ? 1 : 0);
  render_p2p(out);
  return out;
}

}  // namespace cf::follower
