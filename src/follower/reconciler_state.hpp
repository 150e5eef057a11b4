// The reconciler's bookkeeping, apart from any Kubo request: the desired pinset and the
// per-CID statuses in state.db, the work queue, and the rules that turn a change of either
// into queued work (DESIGN §5). Layer-private; tested on a real state.db without Kubo.
//
// Status rules, per CID:
// - in the pinset and cluster::decide says pin: pinned (with the wanted depth) is done;
//   anything else is queued (a failed pin waits for its next_retry_at).
// - in the pinset but remote or sharded: if we own a pin of it, unpin it (then the status is
//   remote/sharded); otherwise just record remote/sharded.
// - in the pinset but expired (cluster::decide at `now`): pinned stays pinned (followers never
//   unpin on expiry: the trusted peers remove the pin); anything else stops being worked on
//   and becomes `remote` (upstream's name for "in the pinset, not kept on this peer"; the
//   store has no status of its own for it) with the error column saying "expired at <time>:
//   not pinned". Ownership is kept, so a pin of ours is still unpinned when the pinset drops it.
// - gone from the pinset: if we own a pin of it, unpin it and then drop the row; else drop it.
// A CID with a request in flight is re-evaluated when the request ends.
// Writes are kept in memory and written by flush() in one transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/cluster/pin.hpp"
#include "cf/cluster/pin_policy.hpp"
#include "cf/cluster/rest_source.hpp"
#include "cf/follower/kubo_jobs.hpp"
#include "cf/follower/pinset_tables.hpp"
#include "cf/follower/work_queue.hpp"
#include "cf/store/store.hpp"

namespace cf::follower {

class ReconcilerState {
 public:
  ReconcilerState(store::Store& db, multiformats::PeerId self) : db_(db), self_(std::move(self)) {}

  // Opens the tables, turns in-flight statuses of a previous run back into queued ones, and
  // queues every CID that needs work.
  Status load(std::int64_t now);
  // Writes the pinset change and re-evaluates the CIDs it touched.
  Status apply(const cluster::PinsetDiff& diff, std::int64_t now);
  Result<std::vector<cluster::Pin>> desired_pinset();
  // `puts` without the pins stored exactly so already.
  Result<std::vector<cluster::Pin>> changed_only(std::vector<cluster::Pin> puts);
  Status for_each_desired_cid(const std::function<void(multiformats::Cid)>& on_cid);

  // Marks the CID pinning and returns the job, or nullopt when it no longer needs a pin.
  std::optional<PinJob> begin_pin(const multiformats::Cid& cid, std::int64_t now);
  void finish_pin(const multiformats::Cid& cid, const PinOutcome& outcome, std::int64_t now);
  // Marks the CID unpinning; false when it no longer needs an unpin.
  bool begin_unpin(const multiformats::Cid& cid, std::int64_t now);
  void finish_unpin(const multiformats::Cid& cid, const UnpinOutcome& outcome, std::int64_t now);
  // Ends an unpin begun but not sent to Kubo: the CID goes back to unpin_queued, due again at
  // `due`, with `why` in the error column for `list`; not counted as a failed attempt.
  void defer_unpin(const multiformats::Cid& cid, const std::string& why, std::int64_t due, std::int64_t now);

  // Pinned CIDs that Kubo no longer lists become unexpectedly_unpinned and are queued again.
  // Rows updated at or after `listed_at` (when the listing started) are skipped: a pin that
  // finished while Kubo was listing is missing from the listing without being lost.
  // Returns how many.
  Result<std::size_t> mark_drift(const std::unordered_set<multiformats::Cid>& kubo_pins, std::int64_t listed_at,
                                 std::int64_t now);

  // Writes the pending status changes in one transaction.
  Status flush();

  WorkQueue& queue() { return queue_; }
  const WorkQueue& queue() const { return queue_; }
  std::size_t pending_writes() const { return pending_.size(); }

 private:
  using Row = std::optional<StatusRow>;

  Result<Row> status_of(const multiformats::Cid& cid);
  void set_status(StatusRow row);
  void drop_status(const multiformats::Cid& cid);
  Status reevaluate(const multiformats::Cid& cid, std::int64_t now);
  void evaluate(const multiformats::Cid& cid, const std::optional<cluster::Pin>& pin, Row row, std::int64_t now);
  void evaluate_removed(const multiformats::Cid& cid, Row row, std::int64_t now);
  void evaluate_not_ours(const cluster::Pin& pin, store::PinStatus target, Row row, std::int64_t now);
  void evaluate_pin(const cluster::Pin& pin, const cluster::PinAction& action, Row row, std::int64_t now);
  void evaluate_expired(const cluster::Pin& pin, Row row, std::int64_t now);
  Status reset_in_flight(std::int64_t now);

  store::Store& db_;
  multiformats::PeerId self_;
  std::optional<PinsTable> pins_;
  std::optional<StatusTable> statuses_;
  WorkQueue queue_;
  std::unordered_map<multiformats::Cid, Row> pending_;  // nullopt: delete the row
  std::unordered_set<multiformats::Cid> in_flight_;
  std::unordered_set<multiformats::Cid> dirty_;  // changed while in flight
};

}  // namespace cf::follower
