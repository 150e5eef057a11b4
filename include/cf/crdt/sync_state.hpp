// SyncState: the persisted state of following a go-ds-crdt v0.6.8 Merkle-CRDT DAG, kept in
// state.db (tables crdt_heads, crdt_frontier, crdt_processed, crdt_elements, crdt_tombstones,
// crdt_blocks; docs/store.md), and the merge of DAG nodes into it.
//
// Follows go-ds-crdt v0.6.8 set.go (Merge, putTombs, putElems, setValue, findBestValue) and
// crdt.go (processNode), restated in crdt-dag-and-pinset.md §3.3 and §3.8: an add-wins OR-set
// whose value per key is the live element of highest priority, ties broken by the greater
// value byte-wise; element ids are the multihash of the node that added them, so CIDv0 and
// CIDv1 of a node are one node. The state here is a pure function of the set of merged
// nodes, whatever their order. Deliberate divergences:
// - Go keeps only the winning value and re-reads old blocks to recompute it after a
//   tombstone; we keep every element's priority and value (crdt_elements), so a tombstone
//   never reads an old block and the value is always the best live one.
// - Go's tombstone recomputation treats an empty value as no value (a key whose best live
//   element is empty disappears); here an empty value is a value like any other. Cluster
//   values are never empty.
// - When one delta puts a key several times, Go with a batching datastore (cluster's pebble)
//   reads the current value outside the pending batch, so it may keep the last value written
//   until a later tombstone recomputes it as the greatest; we always keep the greatest (what
//   Go converges to and what §3.3 specifies).
// - No dirty flag and no repair: merging a node, marking it processed, removing it from the
//   frontier and adding its unknown links to the frontier is one transaction, so a crash
//   (kill -9 included) loses nothing but the nodes in flight, and a restart resumes from
//   crdt_frontier. Go's heads bookkeeping (branch tips replacing heads) is not reproduced: a
//   follower never writes, so it only records which broadcast heads it has merged.
// - Priorities of 2^63 or more (not representable in SQLite INTEGER) are refused per node.
// - Keys are compared as exact strings. Go stores them as datastore paths, which cleans them
//   ("/K/" and "/K" are one key there); ipfs-cluster only writes canonical "/<base32 CID>"
//   keys, which cleaning leaves unchanged.
//
// Ownership and threads: borrows the Store, which must outlive it and must not be used by
// anyone else while a SyncState call runs; one thread. Statements are prepared on first use
// and reused. add_heads() and merge() run their own write transaction (BEGIN IMMEDIATE), so
// they must not be called inside a transaction of the caller; merge() takes a hook that runs
// inside its transaction instead. Nothing is cancellable; a call waits at most the Store's busy
// timeout. Memory: a merge holds its batch's touched keys and their values, nothing more;
// nothing grows with the DAG. Cost: a merge does a few indexed lookups per element, tombstone
// and link; a key's value is computed from that key's elements only; due() reads every due
// frontier row to sort them (SQLite keeps only the best `max` + skip.size()), and the
// frontier is as wide as the DAG's concurrent branches, not as long as the DAG.
// Time is a parameter (Unix seconds); there is no clock here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/crdt/node.hpp"
#include "cf/multiformats/cid.hpp"
#include "cf/multiformats/multihash.hpp"
#include "cf/store/store.hpp"

namespace cf::crdt {

// The highest priority a node may carry (SQLite INTEGER is a signed 64-bit integer).
inline constexpr std::uint64_t max_priority = std::numeric_limits<std::int64_t>::max();
// The frontier priority of a broadcast head: above every link's, so heads are fetched first.
inline constexpr std::uint64_t head_priority = max_priority;
// The longest last_error kept for a frontier row, in bytes.
inline constexpr std::size_t max_error_text = 200;

// A fetched node, decoded and checked against its CID by the caller (decode_node).
struct NodeToMerge {
  multiformats::Cid cid;
  CrdtNode node{};
  Bytes block{};               // the raw block, kept in crdt_blocks for serving
  std::uint64_t depth = 0;     // links from its head (the frontier row's depth)
};

// A key whose best value differs after a merge. nullopt = key absent.
struct KeyChange {
  std::string key{};
  std::optional<Bytes> before{};
  std::optional<Bytes> after{};

  friend bool operator==(const KeyChange&, const KeyChange&) = default;
};

// A node merge() did not apply; it stays wherever it was (the frontier, usually), and the
// caller defers it.
struct RefusedNode {
  multiformats::Cid cid;
  Error error{};  // errc::priority_too_large
};

struct MergeResult {
  std::vector<KeyChange> changes{};                // in the order the batch first touched them
  std::vector<multiformats::Cid> new_frontier{};   // links added to the frontier, as linked
  std::vector<RefusedNode> refused{};
  std::size_t merged = 0;                          // nodes applied
  std::size_t skipped = 0;                         // nodes already processed
};

struct FrontierEntry {
  multiformats::Multihash block;  // identity of the node (crdt_frontier.block)
  multiformats::Cid cid;          // as linked or broadcast, to fetch it by
  std::uint64_t priority = 0;     // the linking node's priority, or head_priority for a head
  std::uint64_t depth = 0;
  std::uint32_t attempts = 0;     // failed fetches or merges so far
  std::string last_error{};
};

namespace detail {
struct SyncStatements;  // src/crdt/sync_statements.hpp
}  // namespace detail

struct SyncCounts {
  std::uint64_t heads = 0;            // rows in crdt_heads
  std::uint64_t heads_processed = 0;  // of those, merged ("in sync" when equal to heads)
  std::uint64_t frontier = 0;         // nodes known to be needed and not merged yet
  std::uint64_t failing = 0;          // frontier rows with at least one failed attempt
  std::uint64_t processed = 0;        // nodes merged
  std::uint64_t max_height = 0;       // highest priority merged
  std::uint64_t blocks = 0;           // raw blocks kept
  std::uint64_t block_bytes = 0;      // their total size

  friend bool operator==(const SyncCounts&, const SyncCounts&) = default;
};

class SyncState {
 public:
  // Runs inside merge()'s transaction after the batch is applied and before the commit, so
  // the caller can derive its own rows (the pinset) atomically with the CRDT state; an error
  // rolls the whole batch back and is what merge() returns.
  using BeforeCommit = std::function<Status(const MergeResult&)>;

  explicit SyncState(store::Store& db);
  SyncState(const SyncState&) = delete;
  SyncState& operator=(const SyncState&) = delete;
  ~SyncState();

  // Records broadcast heads in crdt_heads (seen_at = now; height = the node's priority once
  // it is merged, 0 before) and puts every head that is neither processed nor in the frontier
  // into the frontier at head_priority, depth 0. Returns the CIDs added to the frontier.
  Result<std::vector<multiformats::Cid>> add_heads(std::span<const multiformats::Cid> heads,
                                                   std::int64_t now);

  Result<bool> is_processed(const multiformats::Multihash& block);
  Result<bool> in_frontier(const multiformats::Multihash& block);

  // At most `max` frontier rows due at `now` (next_attempt_at <= now), highest priority
  // first, then lowest depth, leaving out the blocks in `skip` (the caller's in-flight set).
  Result<std::vector<FrontierEntry>> due(
      std::size_t max, std::int64_t now,
      const std::unordered_set<multiformats::Multihash>& skip = {});
  // The earliest next_attempt_at after `now` among frontier rows, if any.
  Result<std::optional<std::int64_t>> next_due(std::int64_t now);

  // Merges `nodes` in order, in one write transaction; all or nothing (a failure rolls the
  // whole batch back). Per node: skipped if processed; refused (MergeResult::refused, nothing
  // written) if its priority exceeds max_priority; else its tombstones, then its elements,
  // are recorded, it is marked processed, removed from the frontier, its block kept, its head
  // row (if any) gets its height, and each link that is neither processed nor in the frontier
  // joins the frontier (priority = the node's, depth = node depth + 1, added_at = now).
  // `changes` lists every touched key whose best value differs between before and after the
  // whole batch. `new_frontier` leaves out links merged later in the same batch.
  // Every changed key is also journalled (crdt_pending) in the same transaction, until the
  // caller has taken the change and says so with clear_pending().
  Result<MergeResult> merge(std::span<const NodeToMerge> nodes, std::int64_t now,
                            const BeforeCommit& before_commit = {});

  // The journalled keys with their current best value (`before` unknown: nullopt): changes a
  // crash cut off between merge() and the caller applying them.
  Result<std::vector<KeyChange>> pending_changes();
  // Forgets journal entries the caller has applied (one write transaction).
  Status clear_pending(std::span<const std::string> keys);

  // Records a failed fetch or merge of a frontier row: attempts + 1, next_attempt_at,
  // last_error (printable, at most max_error_text bytes). The row stays in the frontier. A
  // block that is not in the frontier (merged meanwhile) is left alone.
  Status defer(const multiformats::Multihash& block, std::string_view error,
               std::int64_t next_attempt_at);

  // Deletes the heads that are processed and were last seen before `before`.
  Status prune_heads(std::int64_t before);

  // From the counters table in O(1), except heads_processed (a join over crdt_heads, which
  // prune_heads keeps small). One snapshot.
  Result<SyncCounts> counts();

  // The raw block of a merged node, for serving it.
  Result<std::optional<Bytes>> block(const multiformats::Multihash& block);
  // The current best value of `key`; nullopt when the key is absent.
  Result<std::optional<Bytes>> value(std::string_view key);

 private:
  Result<detail::SyncStatements*> statements();

  store::Store& db_;
  std::unique_ptr<detail::SyncStatements> statements_;
};

}  // namespace cf::crdt
