#include "cf/crdt/sync_engine.hpp"

#include <algorithm>
#include <ctime>
#include <string>
#include <utility>

#include "cf/base/log.hpp"

namespace cf::crdt {
namespace {

namespace mf = cf::multiformats;
using Clock = std::chrono::steady_clock;

std::shared_ptr<spdlog::logger> logger() { return log::get("crdt"); }

constexpr std::size_t max_logged_bad = 1024;
constexpr std::size_t max_hints = 10'000;

std::size_t entries_of(const NodeToMerge& node) {
  return node.node.delta.elements.size() + node.node.delta.tombstones.size();
}

}  // namespace

SyncEngine::SyncEngine(asio::any_io_executor executor, SyncState& state, BlockGetter& getter, ChangesHandler on_changes,
                       SyncConfig config, UnixClock unix_now)
    : executor_(std::move(executor)),
      state_(state),
      getter_(getter),
      on_changes_(std::move(on_changes)),
      config_(config),
      unix_now_(unix_now ? std::move(unix_now) : UnixClock([] { return static_cast<std::int64_t>(std::time(nullptr)); })),
      wake_(executor_),
      tasks_(executor_, logger()) {
  config_.max_in_flight = std::max<std::size_t>(config_.max_in_flight, 1);
  config_.max_batch = std::max<std::size_t>(config_.max_batch, 1);
}

Status SyncEngine::replay_pending() {
  CF_TRY_ASSIGN(changes, state_.pending_changes());
  if (!changes.empty()) {
    logger()->info("handing over {} pinset changes merged before the last stop", changes.size());
    hand_over(changes);
  }
  return ok();
}

void SyncEngine::on_broadcast(std::vector<mf::Cid> heads, const mf::PeerId& author) {
  ++stats_.broadcasts;
  stats_.last_broadcast = Clock::now();
  for (auto& head : heads) {
    if (pending_heads_.size() >= config_.max_pending_heads) {
      pending_heads_.pop_front();
      ++stats_.heads_dropped;  // rebroadcasts bring them back
    }
    pending_heads_.emplace_back(std::move(head), author);
  }
  wake_.notify();
}

void SyncEngine::start() {
  if (started_) return;
  started_ = true;
  tasks_.spawn(loop(), "crdt sync");
}

Task<void> SyncEngine::stop() {
  stopping_ = true;
  wake_.notify();
  tasks_.cancel();
  co_await tasks_.wait_idle();
}

Task<void> SyncEngine::loop() {
  while (!stopping_) {
    const auto now = Clock::now();
    if (paused_until_ && now < *paused_until_) {
      co_await wake_.wait_until(*paused_until_);
      continue;
    }
    paused_until_.reset();
    if (auto s = intake_heads(); !s) logger()->error("recording broadcast heads: {}", s.error().message());
    fill_window();
    if (merge_due(now)) {
      merge_batch();
      continue;
    }
    auto deadline = now + std::chrono::hours(1);
    if (oldest_decoded_) deadline = std::min(deadline, *oldest_decoded_ + config_.batch_delay);
    if (stats_.in_flight < config_.max_in_flight && links_.empty()) {
      const auto unix_now = unix_now_();
      if (auto next = state_.next_due(unix_now); next && *next) {
        deadline = std::min(deadline, now + std::chrono::seconds(std::max<std::int64_t>(**next - unix_now, 0)));
      }
    }
    co_await wake_.wait_until(deadline);
  }
}

Status SyncEngine::intake_heads() {
  if (pending_heads_.empty()) return ok();
  std::vector<mf::Cid> heads;
  heads.reserve(pending_heads_.size());
  for (auto& [head, author] : pending_heads_) {
    if (hints_.size() >= max_hints) hints_.clear();
    hints_.insert_or_assign(head.hash(), author);
    heads.push_back(head);
  }
  pending_heads_.clear();
  CF_TRY_ASSIGN(added, state_.add_heads(heads, unix_now_()));
  if (!added.empty()) logger()->debug("{} new heads in the frontier", added.size());
  return ok();
}

std::optional<mf::PeerId> SyncEngine::hint_for(const mf::Multihash& block) const {
  auto it = hints_.find(block);
  if (it == hints_.end()) return std::nullopt;
  return it->second;
}

void SyncEngine::fill_window() {
  while (stats_.in_flight < config_.max_in_flight && !links_.empty()) {
    auto fetch = std::move(links_.front());
    links_.pop_front();
    if (busy_.count(fetch.cid.hash())) continue;
    auto processed = state_.is_processed(fetch.cid.hash());
    if (processed && *processed) continue;
    start_fetch(std::move(fetch));
  }
  if (stats_.in_flight >= config_.max_in_flight || stopping_) return;
  auto due = state_.due(config_.max_in_flight - stats_.in_flight, unix_now_(), busy_);
  if (!due) {
    logger()->error("reading the frontier: {}", due.error().message());
    return;
  }
  for (auto& row : *due) {
    Fetch fetch{row.cid, row.priority, row.depth, row.attempts, true, hint_for(row.block)};
    start_fetch(std::move(fetch));
  }
}

void SyncEngine::start_fetch(Fetch fetch) {
  busy_.insert(fetch.cid.hash());
  ++stats_.in_flight;
  tasks_.spawn(fetch_one(std::move(fetch)), "crdt fetch");
}

Task<void> SyncEngine::fetch_one(Fetch fetch) {
  auto block = co_await with_timeout(getter_.get(fetch.cid, fetch.hint), config_.fetch_timeout,
                                     "fetching block " + fetch.cid.to_string());
  on_fetched(fetch, std::move(block));
  wake_.notify();
}

void SyncEngine::on_fetched(const Fetch& fetch, Result<Bytes> block) {
  --stats_.in_flight;
  const auto& hash = fetch.cid.hash();
  if (!block) {
    ++stats_.fetch_failures;
    busy_.erase(hash);
    logger()->debug("{}: {}", fetch.cid.to_string(), block.error().message());
    // A link of a node not merged yet has no frontier row: its parent's merge will add one.
    if (fetch.persisted) {
      (void)state_.defer(hash, block.error().message(), unix_now_() + backoff(fetch.attempts).count());
    }
    return;
  }
  ++stats_.fetched;
  auto node = decode_node(fetch.cid, *block, config_.limits);
  if (!node) {
    ++stats_.bad_nodes;
    busy_.erase(hash);
    if (logged_bad_.size() < max_logged_bad && logged_bad_.insert(hash).second) {  // logged once
      logger()->warn("block {} is not a valid CRDT node, skipped: {}", fetch.cid.to_string(), node.error().message());
    }
    if (fetch.persisted) {
      (void)state_.defer(hash, "not a valid CRDT node: " + node.error().message(),
                         unix_now_() + config_.bad_node_retry.count());
    }
    return;
  }
  NodeToMerge merged{fetch.cid, std::move(*node), std::move(*block), fetch.depth};
  queue_links(merged, fetch.hint);
  to_merge_elements_ += entries_of(merged);
  to_merge_.push_back(std::move(merged));
  stats_.awaiting_merge = to_merge_.size();
  if (!oldest_decoded_) oldest_decoded_ = Clock::now();
}

void SyncEngine::queue_links(const NodeToMerge& node, const std::optional<mf::PeerId>& hint) {
  for (const auto& link : node.node.links) {
    if (busy_.count(link.hash())) continue;
    links_.push_back(Fetch{link, node.node.delta.priority, node.depth + 1, 0, false, hint});
  }
}

bool SyncEngine::merge_due(Clock::time_point now) const {
  if (to_merge_.empty()) return false;
  return to_merge_.size() >= config_.max_batch || to_merge_elements_ >= config_.max_batch_elements ||
         stats_.in_flight == 0 || (oldest_decoded_ && now >= *oldest_decoded_ + config_.batch_delay);
}

void SyncEngine::merge_batch() {
  std::vector<NodeToMerge> batch;
  batch.swap(to_merge_);
  stats_.awaiting_merge = 0;
  to_merge_elements_ = 0;
  oldest_decoded_.reset();
  auto result = state_.merge(batch, unix_now_());
  for (const auto& node : batch) busy_.erase(node.cid.hash());
  if (!result) {
    // Nothing of the batch was written (one transaction); its nodes come back through their
    // frontier rows or their parents. A failing store (disk full) must not spin the loop.
    logger()->error("merging {} DAG nodes failed, retrying in {} s: {}", batch.size(), config_.retry_min.count(),
                    result.error().message());
    paused_until_ = Clock::now() + config_.retry_min;
    return;
  }
  stats_.merged += result->merged;
  stats_.last_merge = Clock::now();
  // A bad block met as a link before its parent merged has a frontier row only now.
  for (const auto& cid : result->new_frontier) {
    if (logged_bad_.count(cid.hash())) {
      (void)state_.defer(cid.hash(), "not a valid CRDT node", unix_now_() + config_.bad_node_retry.count());
    }
  }
  for (const auto& refused : result->refused) {
    ++stats_.bad_nodes;
    logger()->warn("DAG node {} refused: {}", refused.cid.to_string(), refused.error.message());
    (void)state_.defer(refused.cid.hash(), refused.error.message(), unix_now_() + config_.bad_node_retry.count());
  }
  if (!result->changes.empty()) hand_over(result->changes);
}

void SyncEngine::hand_over(const std::vector<KeyChange>& changes) {
  if (auto s = on_changes_(changes); !s) {
    logger()->error("applying {} pinset changes: {} (they stay journalled and are retried after a restart)",
                    changes.size(), s.error().message());
    return;
  }
  stats_.changes += changes.size();
  std::vector<std::string> keys;
  keys.reserve(changes.size());
  for (const auto& change : changes) keys.push_back(change.key);
  if (auto s = state_.clear_pending(keys); !s) logger()->error("clearing the change journal: {}", s.error().message());
}

std::chrono::seconds SyncEngine::backoff(std::uint32_t attempts) const {
  auto delay = config_.retry_min;
  for (std::uint32_t i = 0; i < attempts && delay < config_.retry_max; ++i) delay *= 2;
  return std::min(delay, config_.retry_max);
}

}  // namespace cf::crdt
