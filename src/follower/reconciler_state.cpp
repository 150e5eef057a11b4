#include "reconciler_state.hpp"

#include "cf/base/log.hpp"

namespace cf::follower {

using multiformats::Cid;
using store::Ownership;
using store::PinStatus;

namespace {

Clock::time_point at(std::int64_t unix_seconds) { return Clock::from_time_t(static_cast<std::time_t>(unix_seconds)); }

auto log() { return log::get("pintracker"); }

StatusRow fresh_row(const Cid& cid) { return StatusRow{cid}; }

// Counts a failed attempt and returns when the next one is due.
Clock::time_point record_failure(StatusRow& row, PinStatus status, const std::string& error, std::int64_t now) {
  row.status = status;
  row.error = error;
  ++row.attempts;
  row.next_retry_at = now + retry_backoff(row.attempts).count();
  return at(*row.next_retry_at);
}

void clear_failure(StatusRow& row) {
  row.attempts = 0;
  row.error.clear();
  row.next_retry_at.reset();
}

// Why an expired pin is `remote`, for `list`.
std::string expired_note(const cluster::Pin& pin) {
  return "expired at " + cluster::format_go_time(pin.expire_at.value_or(0)) + ": not pinned";
}

}  // namespace

Status ReconcilerState::load(std::int64_t now) {
  CF_TRY_ASSIGN(pins, PinsTable::open(db_));
  CF_TRY_ASSIGN(statuses, StatusTable::open(db_));
  pins_.emplace(std::move(pins));
  statuses_.emplace(std::move(statuses));
  CF_TRY(statuses_->for_each([&](StatusRow row) {
    // A request that was in flight when the last run stopped is simply queued again.
    if (row.status == PinStatus::pinning || row.status == PinStatus::unpinning) {
      row.status = row.status == PinStatus::pinning ? PinStatus::pin_queued : PinStatus::unpin_queued;
      row.updated_at = now;
      set_status(std::move(row));
    }
  }));
  // Pin by pin with its status, looked up by CID: neither table is ever held in memory
  // (issue 11: a million pins).
  Status lookup = ok();
  CF_TRY(pins_->for_each([&](cluster::Pin pin) {
    auto row = status_of(pin.cid);
    if (!row) {
      if (lookup) lookup = row.error();
      return;
    }
    auto cid = pin.cid;
    evaluate(cid, std::move(pin), std::move(*row), now);
  }));
  CF_TRY(lookup);
  CF_TRY(statuses_->for_each_without_pin([&](StatusRow row) {
    auto cid = row.cid;
    auto pending = pending_.find(cid);
    evaluate_removed(cid, pending != pending_.end() ? pending->second : Row{std::move(row)}, now);
  }));
  return flush();
}

Status ReconcilerState::apply(const cluster::PinsetDiff& diff, std::int64_t now) {
  {
    CF_TRY_ASSIGN(tx, db_.begin_write());
    for (const auto& pin : diff.puts) CF_TRY(pins_->put(pin, now));
    for (const auto& cid : diff.removes) CF_TRY(pins_->remove(cid));
    CF_TRY(tx.commit());
  }
  for (const auto& pin : diff.puts) evaluate(pin.cid, pin, status_of(pin.cid).value_or(Row{}), now);
  for (const auto& cid : diff.removes) evaluate(cid, std::nullopt, status_of(cid).value_or(Row{}), now);
  return ok();
}

Result<std::vector<cluster::Pin>> ReconcilerState::desired_pinset() {
  std::vector<cluster::Pin> all;
  CF_TRY(pins_->for_each([&](cluster::Pin pin) { all.push_back(std::move(pin)); }));
  return all;
}

Result<std::vector<cluster::Pin>> ReconcilerState::changed_only(std::vector<cluster::Pin> puts) {
  std::vector<cluster::Pin> changed;
  for (auto& pin : puts) {
    CF_TRY_ASSIGN(stored, pins_->get(pin.cid));
    if (!stored || !(*stored == pin)) changed.push_back(std::move(pin));
  }
  return changed;
}

Status ReconcilerState::for_each_desired_cid(const std::function<void(multiformats::Cid)>& on_cid) {
  return pins_->for_each_cid(on_cid);
}

std::optional<PinJob> ReconcilerState::begin_pin(const Cid& cid, std::int64_t now) {
  auto pin = pins_->get(cid);
  auto row = status_of(cid);
  if (!pin || !row) {
    log()->error("reading {} from the store: {}", cid.to_string(), (!pin ? pin.error() : row.error()).message());
    return std::nullopt;
  }
  auto action = *pin ? cluster::decide(**pin, self_, now) : cluster::PinAction{};
  if (!*pin || action.kind != cluster::PinAction::Kind::pin) {
    evaluate(cid, *pin, *row, now);
    return std::nullopt;
  }
  StatusRow r = row->value_or(fresh_row(cid));
  r.status = PinStatus::pinning;
  r.updated_at = now;
  set_status(std::move(r));
  in_flight_.insert(cid);
  return PinJob{std::move(**pin), action};
}

void ReconcilerState::finish_pin(const Cid& cid, const PinOutcome& outcome, std::int64_t now) {
  in_flight_.erase(cid);
  StatusRow row = status_of(cid).value_or(Row{}).value_or(fresh_row(cid));
  row.updated_at = now;
  switch (outcome.result) {
    case JobResult::done:
      row.status = PinStatus::pinned;
      // A pin the user had before us stays theirs, whatever we did to it since.
      if (row.ownership != Ownership::preexisting) row.ownership = outcome.ownership;
      row.pinned_depth = outcome.depth;
      clear_failure(row);
      break;
    case JobResult::failed:
      queue_.push_retry_pin(cid, record_failure(row, PinStatus::pin_error, outcome.error, now));
      break;
    case JobResult::kubo_down:
      row.status = PinStatus::pin_queued;
      queue_.push_new_pin(cid);
      break;
    case JobResult::cancelled: row.status = PinStatus::pin_queued; break;
  }
  set_status(std::move(row));
  if (dirty_.erase(cid) > 0) {
    if (auto r = reevaluate(cid, now); !r) log()->error("re-evaluating {}: {}", cid.to_string(), r.error().message());
  }
}

bool ReconcilerState::begin_unpin(const Cid& cid, std::int64_t now) {
  auto row = status_of(cid);
  if (!row || !*row || (*row)->ownership != Ownership::ours) {
    if (auto r = reevaluate(cid, now); !r) log()->error("re-evaluating {}: {}", cid.to_string(), r.error().message());
    return false;
  }
  StatusRow r = **row;
  r.status = PinStatus::unpinning;
  r.updated_at = now;
  set_status(std::move(r));
  in_flight_.insert(cid);
  return true;
}

void ReconcilerState::finish_unpin(const Cid& cid, const UnpinOutcome& outcome, std::int64_t now) {
  in_flight_.erase(cid);
  StatusRow row = status_of(cid).value_or(Row{}).value_or(fresh_row(cid));
  row.updated_at = now;
  switch (outcome.result) {
    case JobResult::done: {
      row.ownership = Ownership::none;
      row.pinned_depth.reset();
      clear_failure(row);
      row.status = PinStatus::unpinned;
      set_status(row);
      dirty_.erase(cid);
      // The pinset decides what the row becomes now: dropped, remote, sharded or re-queued.
      if (auto r = reevaluate(cid, now); !r) log()->error("re-evaluating {}: {}", cid.to_string(), r.error().message());
      return;
    }
    case JobResult::failed:
      queue_.push_retry_unpin(cid, record_failure(row, PinStatus::unpin_error, outcome.error, now));
      break;
    case JobResult::kubo_down:
      row.status = PinStatus::unpin_queued;
      queue_.push_unpin(cid);
      break;
    case JobResult::cancelled: row.status = PinStatus::unpin_queued; break;
  }
  set_status(std::move(row));
  if (dirty_.erase(cid) > 0) {
    if (auto r = reevaluate(cid, now); !r) log()->error("re-evaluating {}: {}", cid.to_string(), r.error().message());
  }
}

void ReconcilerState::defer_unpin(const Cid& cid, const std::string& why, std::int64_t due, std::int64_t now) {
  in_flight_.erase(cid);
  StatusRow row = status_of(cid).value_or(Row{}).value_or(fresh_row(cid));
  row.status = PinStatus::unpin_queued;
  row.error = why;
  row.next_retry_at = due;
  row.updated_at = now;
  queue_.push_retry_unpin(cid, at(due));
  set_status(std::move(row));
  if (dirty_.erase(cid) > 0) {
    if (auto r = reevaluate(cid, now); !r) log()->error("re-evaluating {}: {}", cid.to_string(), r.error().message());
  }
}

Result<std::size_t> ReconcilerState::mark_drift(const std::unordered_set<Cid>& kubo_pins, std::int64_t listed_at,
                                                std::int64_t now) {
  CF_TRY(flush());
  std::vector<StatusRow> drifted;
  CF_TRY(statuses_->for_each([&](StatusRow row) {
    if (row.status == PinStatus::pinned && row.updated_at < listed_at && !kubo_pins.contains(row.cid) &&
        !in_flight_.contains(row.cid)) {
      drifted.push_back(std::move(row));
    }
  }));
  for (auto& row : drifted) {
    row.status = PinStatus::unexpectedly_unpinned;
    row.updated_at = now;
    queue_.push_new_pin(row.cid);
    set_status(std::move(row));
  }
  return drifted.size();
}

Status ReconcilerState::flush() {
  if (pending_.empty()) return ok();
  CF_TRY_ASSIGN(tx, db_.begin_write());
  for (const auto& [cid, row] : pending_) {
    CF_TRY(row ? statuses_->put(*row) : statuses_->remove(cid));
  }
  CF_TRY(tx.commit());
  pending_.clear();
  return ok();
}

Result<ReconcilerState::Row> ReconcilerState::status_of(const Cid& cid) {
  if (auto it = pending_.find(cid); it != pending_.end()) return it->second;
  return statuses_->get(cid);
}

void ReconcilerState::set_status(StatusRow row) {
  auto cid = row.cid;
  pending_.insert_or_assign(cid, Row{std::move(row)});
}

void ReconcilerState::drop_status(const Cid& cid) { pending_.insert_or_assign(cid, Row{}); }

Status ReconcilerState::reevaluate(const Cid& cid, std::int64_t now) {
  CF_TRY_ASSIGN(pin, pins_->get(cid));
  CF_TRY_ASSIGN(row, status_of(cid));
  evaluate(cid, pin, std::move(row), now);
  return ok();
}

void ReconcilerState::evaluate(const Cid& cid, const std::optional<cluster::Pin>& pin, Row row, std::int64_t now) {
  if (in_flight_.contains(cid)) {
    dirty_.insert(cid);
    return;
  }
  if (!pin) return evaluate_removed(cid, std::move(row), now);
  auto action = cluster::decide(*pin, self_, now);
  switch (action.kind) {
    case cluster::PinAction::Kind::pin: return evaluate_pin(*pin, action, std::move(row), now);
    case cluster::PinAction::Kind::remote: return evaluate_not_ours(*pin, PinStatus::remote, std::move(row), now);
    case cluster::PinAction::Kind::sharded: return evaluate_not_ours(*pin, PinStatus::sharded, std::move(row), now);
    case cluster::PinAction::Kind::expired: return evaluate_expired(*pin, std::move(row), now);
  }
}

void ReconcilerState::evaluate_removed(const Cid& cid, Row row, std::int64_t now) {
  if (!row || row->ownership != Ownership::ours) {
    queue_.remove(cid);
    if (row) drop_status(cid);
    return;
  }
  row->updated_at = now;
  if (row->status == PinStatus::unpin_error && row->next_retry_at) {
    queue_.push_retry_unpin(cid, at(*row->next_retry_at));
  } else {
    row->status = PinStatus::unpin_queued;
    queue_.push_unpin(cid);
  }
  set_status(std::move(*row));
}

void ReconcilerState::evaluate_not_ours(const cluster::Pin& pin, PinStatus target, Row row, std::int64_t now) {
  if (row && row->ownership == Ownership::ours) return evaluate_removed(pin.cid, std::move(row), now);
  StatusRow r = row.value_or(fresh_row(pin.cid));
  if (row && r.status == target && r.error.empty()) return;
  r.status = target;
  r.updated_at = now;
  r.pinned_depth.reset();
  clear_failure(r);
  queue_.remove(pin.cid);
  set_status(std::move(r));
}

void ReconcilerState::evaluate_expired(const cluster::Pin& pin, Row row, std::int64_t now) {
  queue_.remove(pin.cid);
  // What is pinned stays pinned, whoever pinned it: the trusted peers issue the unpin.
  if (row && row->status == PinStatus::pinned) return;
  StatusRow r = row.value_or(fresh_row(pin.cid));
  auto note = expired_note(pin);
  if (row && r.status == PinStatus::remote && r.error == note) return;
  // Ownership is kept: a pin of ours that Kubo may still hold is unpinned when the pinset drops it.
  r.status = PinStatus::remote;
  r.updated_at = now;
  clear_failure(r);
  r.error = std::move(note);
  set_status(std::move(r));
}

void ReconcilerState::evaluate_pin(const cluster::Pin& pin, const cluster::PinAction& action, Row row,
                                   std::int64_t now) {
  if (row && row->status == PinStatus::pinned && row->pinned_depth == action.max_depth) {
    queue_.remove(pin.cid);
    return;
  }
  if (row && row->status == PinStatus::pin_error && row->next_retry_at) {
    queue_.push_retry_pin(pin.cid, at(*row->next_retry_at));
    return;
  }
  StatusRow r = row.value_or(fresh_row(pin.cid));
  bool changed = r.status != PinStatus::pin_queued;
  // An unpin's failures or an expiry note say nothing about this pin.
  if (changed && r.status != PinStatus::pin_error) clear_failure(r);
  r.status = PinStatus::pin_queued;
  r.updated_at = now;
  queue_.push_new_pin(pin.cid);
  if (changed || !row) set_status(std::move(r));
}

}  // namespace cf::follower
