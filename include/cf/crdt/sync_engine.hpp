// The sync engine: follows a go-ds-crdt DAG from the heads its writers broadcast down to what
// is already merged, with many blocks in flight, merging them into SyncState (sync_state.hpp)
// in batches, and hands the changed keys to the caller. It never includes p2p: blocks come
// through a BlockGetter and heads through on_broadcast() (DESIGN §4).
//
// How it beats go-ds-crdt v0.6.8 (crdt-dag-and-pinset.md §3.2, §7):
// - Intake never blocks: on_broadcast() queues heads (bounded) and returns; the loop records
//   them in the persisted frontier.
// - Many fetches in flight across the whole frontier (max_in_flight), not one GetMany per
//   node: a node's links are fetched as soon as the node is decoded, before it is merged.
// - Persisted progress: a node is merged, marked processed and its unprocessed links put in
//   the frontier in one transaction (batched), so a kill -9 loses only blocks in flight or
//   waiting to be merged; a restart resumes from crdt_frontier. No dirty flag, no repair walk.
// - A block that cannot be fetched retries with backoff (retry_min doubling to retry_max) and
//   never blocks other branches; a block that is not a valid node (hash mismatch, undecodable,
//   absurd size or fan-out) is counted, logged once, never merged, and retried only after
//   bad_node_retry in case it was a transient corruption; the rest of the DAG proceeds.
// - Tombstones resolve against the stored element index (SyncState), never old blocks.
//
// Every change of a key's best value reaches `on_changes` after its merge committed; the keys
// are journalled in the same transaction (SyncState::pending_changes), so changes a crash cut
// off are handed over again after a restart (replay_pending()).
//
// Ownership: owns its fetch tasks and loop (a TaskSet); stop() cancels and joins them. The
// state and the getter are borrowed and must outlive it. Executor: one, single-threaded (the
// host's); merges run on it (bounded by max_batch_elements). Logger "crdt".
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/base/task_set.hpp"
#include "cf/crdt/node.hpp"
#include "cf/crdt/sync_state.hpp"
#include "cf/multiformats/cid.hpp"
#include "cf/multiformats/peer_id.hpp"

namespace cf::crdt {

// Where DAG blocks come from (bitswap in the follower, a map in tests). The engine bounds each
// call with fetch_timeout and checks the bytes against the CID itself.
class BlockGetter {
 public:
  virtual ~BlockGetter() = default;
  // `hint`: a peer likely to have it (the author of the head it descends from).
  virtual Task<Result<Bytes>> get(const multiformats::Cid& cid, const std::optional<multiformats::PeerId>& hint) = 0;
};

struct SyncConfig {
  std::size_t max_in_flight = 256;
  std::size_t max_batch = 512;                // nodes per merge transaction
  std::size_t max_batch_elements = 20'000;    // elements + tombstones per merge transaction
  std::chrono::milliseconds batch_delay{20};  // the longest a decoded node waits for its batch
  std::chrono::milliseconds fetch_timeout{30'000};
  std::chrono::seconds retry_min{2};
  std::chrono::seconds retry_max{600};
  std::chrono::seconds bad_node_retry{24 * 3600};
  std::size_t max_pending_heads = 4096;
  NodeLimits limits{};
};

struct SyncStats {
  std::uint64_t broadcasts = 0;        // on_broadcast calls
  std::uint64_t heads_dropped = 0;     // queued heads dropped because the queue was full
  std::uint64_t fetched = 0;           // blocks received from the getter
  std::uint64_t fetch_failures = 0;    // fetches that failed or timed out (retried later)
  std::uint64_t bad_nodes = 0;         // blocks that are no valid node (never merged)
  std::uint64_t merged = 0;            // nodes merged
  std::uint64_t changes = 0;           // key changes handed to on_changes
  std::size_t in_flight = 0;           // fetches running now
  std::size_t awaiting_merge = 0;      // decoded nodes waiting for their batch
  std::optional<std::chrono::steady_clock::time_point> last_broadcast{};
  std::optional<std::chrono::steady_clock::time_point> last_merge{};
};

class SyncEngine {
 public:
  // Receives the changes of one merged batch; an error stops nothing (the keys stay journalled
  // and are offered again by replay_pending()).
  using ChangesHandler = std::function<Status(const std::vector<KeyChange>&)>;
  using UnixClock = std::function<std::int64_t()>;

  SyncEngine(asio::any_io_executor executor, SyncState& state, BlockGetter& getter, ChangesHandler on_changes,
             SyncConfig config = {}, UnixClock unix_now = {});
  SyncEngine(const SyncEngine&) = delete;
  SyncEngine& operator=(const SyncEngine&) = delete;

  // Hands the journalled changes of earlier runs (cut off by a crash) to on_changes again.
  Status replay_pending();
  // Heads announced by `author` (already validated as trusted). Never blocks.
  void on_broadcast(std::vector<multiformats::Cid> heads, const multiformats::PeerId& author);

  void start();
  Task<void> stop();

  const SyncStats& stats() const { return stats_; }
  SyncState& state() { return state_; }

 private:
  struct Fetch {
    multiformats::Cid cid;
    std::uint64_t priority = 0;
    std::uint64_t depth = 0;
    std::uint32_t attempts = 0;
    bool persisted = false;  // has a crdt_frontier row (else: a link of a node not merged yet)
    std::optional<multiformats::PeerId> hint{};
  };

  Task<void> loop();
  Status intake_heads();
  void fill_window();
  void start_fetch(Fetch fetch);
  Task<void> fetch_one(Fetch fetch);
  void on_fetched(const Fetch& fetch, Result<Bytes> block);
  void queue_links(const NodeToMerge& node, const std::optional<multiformats::PeerId>& hint);
  bool merge_due(std::chrono::steady_clock::time_point now) const;
  void merge_batch();
  void hand_over(const std::vector<KeyChange>& changes);
  std::chrono::seconds backoff(std::uint32_t attempts) const;
  std::optional<multiformats::PeerId> hint_for(const multiformats::Multihash& block) const;

  asio::any_io_executor executor_;
  SyncState& state_;
  BlockGetter& getter_;
  ChangesHandler on_changes_;
  SyncConfig config_;
  UnixClock unix_now_;
  std::deque<std::pair<multiformats::Cid, multiformats::PeerId>> pending_heads_;
  std::unordered_map<multiformats::Multihash, multiformats::PeerId> hints_;  // head -> author
  std::deque<Fetch> links_;  // links of decoded nodes, fetched before frontier rows
  std::unordered_set<multiformats::Multihash> busy_;  // in flight or awaiting merge
  std::vector<NodeToMerge> to_merge_;
  std::size_t to_merge_elements_ = 0;
  std::optional<std::chrono::steady_clock::time_point> oldest_decoded_;
  std::set<multiformats::Multihash> logged_bad_;  // bad blocks seen: logged once, deferred (bounded)
  SyncStats stats_;
  Signal wake_;
  TaskSet tasks_;
  std::optional<std::chrono::steady_clock::time_point> paused_until_;  // after a failed merge
  bool started_ = false;
  bool stopping_ = false;
};

}  // namespace cf::crdt
