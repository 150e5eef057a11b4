#include "cf/follower/kubo_jobs.hpp"

#include <algorithm>

#include "cf/base/log.hpp"
#include "cf/kubo/errc.hpp"

namespace cf::follower {

using multiformats::Cid;
using store::Ownership;

namespace {

constexpr std::size_t max_origins = 10;  // upstream connects to the first 10
constexpr auto origin_connect_timeout = std::chrono::seconds(3);
constexpr auto origins_budget = std::chrono::seconds(6);
constexpr auto lookup_timeout_note = "pin/ls";

std::string our_pin_name(const PinJob& job) { return std::string(pin_name_prefix) + job.cluster_name; }

kubo::PinMode mode_for(const cluster::PinAction& action) {
  switch (action.mode) {
    case cluster::PinAction::Mode::direct: return kubo::PinMode::direct();
    case cluster::PinAction::Mode::limited: return kubo::PinMode::max_depth(action.max_depth);
    case cluster::PinAction::Mode::recursive: break;
  }
  return kubo::PinMode::recursive();
}

// Kubo has it pinned the way the action wants: recursive covers recursive and limited.
bool satisfies(const kubo::PinLookup& existing, const cluster::PinAction& action) {
  if (action.mode == cluster::PinAction::Mode::direct) return existing.type == kubo::PinType::direct;
  return existing.type == kubo::PinType::recursive;
}

// Who owns a pin found already in Kubo: our name (or a sibling follower's, which it then
// shares) means a follower made it; anything else was the user's before we looked.
Ownership owner_of(const kubo::PinLookup& existing) {
  return existing.name.starts_with(pin_name_prefix) ? Ownership::ours : Ownership::preexisting;
}

PinOutcome cancelled() {
  PinOutcome out;
  out.result = JobResult::cancelled;
  return out;
}

PinOutcome failure(const Error& error) {
  PinOutcome out;
  out.result = is_kubo_unreachable(error) ? JobResult::kubo_down : JobResult::failed;
  out.error = error.message();
  return out;
}

// Best effort, as upstream: helps Kubo find the blocks; failures are only logged. Bounded in
// total so that unreachable origins cannot hold a pin worker for long.
void connect_origins(kubo::Client& kubo, const cluster::Pin& pin) {
  auto deadline = std::chrono::steady_clock::now() + origins_budget;
  std::size_t n = std::min(pin.origins.size(), max_origins);
  for (std::size_t i = 0; i < n && std::chrono::steady_clock::now() < deadline; ++i) {
    if (auto c = kubo.swarm_connect(pin.origins[i], origin_connect_timeout); !c) {
      log::get("ipfshttp")->debug("swarm/connect {} for {}: {}", pin.origins[i].to_string(), pin.cid.to_string(),
                                  c.error().message());
    }
  }
}

// pin/update from the old CID when Kubo has it pinned recursively (upstream's shortcut, which
// lets Kubo fetch only what changed). nullopt: not applicable, pin normally.
std::optional<PinOutcome> try_pin_update(kubo::Client& kubo, const PinJob& job) {
  if (!job.pin.pin_update || job.action.mode == cluster::PinAction::Mode::direct) return std::nullopt;
  auto from = kubo.pin_ls_one(*job.pin.pin_update, kubo::PinLsType::recursive);
  if (!from || !*from || (*from)->type != kubo::PinType::recursive) return std::nullopt;
  if (auto updated = kubo.pin_update(*job.pin.pin_update, job.pin.cid, job.pin_timeout); !updated) {
    return failure(updated.error());
  }
  PinOutcome out;
  out.result = JobResult::done;
  out.ownership = Ownership::ours;
  out.depth = job.action.max_depth;
  return out;
}

}  // namespace

KuboClients::Lease KuboClients::acquire() {
  std::lock_guard lock(mutex_);
  if (idle_.empty()) return Lease(this, std::make_unique<kubo::Client>(options_));
  auto client = std::move(idle_.back());
  idle_.pop_back();
  return Lease(this, std::move(client));
}

KuboClients::Lease::~Lease() {
  if (!client) return;
  std::lock_guard lock(owner->mutex_);
  owner->idle_.push_back(std::move(client));
}

bool is_kubo_unreachable(const Error& error) {
  return error == kubo::errc::unreachable || error == kubo::errc::transport_failed;
}

namespace {

// How Kubo has the CID pinned, asking only the cheap indexed types (never `all`, whose cost
// grows with the pinset): the wanted type first, then, for a recursive want, direct, to learn
// whether a pin of the other type exists and whose it is.
Result<std::optional<kubo::PinLookup>> lookup(kubo::Client& kubo, const PinJob& job) {
  bool want_direct = job.action.mode == cluster::PinAction::Mode::direct;
  auto first = kubo.pin_ls_one(job.pin.cid, want_direct ? kubo::PinLsType::direct : kubo::PinLsType::recursive);
  if (!first || *first || want_direct) return first;
  return kubo.pin_ls_one(job.pin.cid, kubo::PinLsType::direct);
}

}  // namespace

PinOutcome pin_in_kubo(kubo::Client& kubo, const PinJob& job) {
  auto existing = lookup(kubo, job);
  if (!existing) return failure(existing.error().wrap(lookup_timeout_note));
  if (*existing && satisfies(**existing, job.action)) {
    PinOutcome out;
    out.result = JobResult::done;
    out.ownership = owner_of(**existing);
    out.depth = job.action.max_depth;
    return out;
  }
  if (job.stopping && *job.stopping) return cancelled();
  connect_origins(kubo, job.pin);
  if (auto updated = try_pin_update(kubo, job)) return *updated;

  kubo::PinAddOptions options;
  options.mode = mode_for(job.action);
  options.pin_timeout = job.pin_timeout;
  if (job.stopping) options.keep_going = [stopping = job.stopping] { return !*stopping; };
  // A user's pin of another type keeps its name; only pins we create carry ours.
  bool users_pin = *existing && (*existing)->type != kubo::PinType::indirect && owner_of(**existing) == Ownership::preexisting;
  if (!users_pin) options.name = our_pin_name(job);
  auto added = kubo.pin_add(job.pin.cid, options);
  if (!added) {
    if (job.stopping && *job.stopping) return cancelled();
    return failure(added.error());
  }
  PinOutcome out;
  out.result = JobResult::done;
  out.ownership = users_pin ? Ownership::preexisting : Ownership::ours;
  out.depth = job.action.max_depth;
  out.progress = added->progress;
  return out;
}

UnpinOutcome unpin_in_kubo(kubo::Client& kubo, const Cid& cid, std::chrono::milliseconds timeout) {
  auto removed = kubo.pin_rm(cid, timeout);
  if (removed) return UnpinOutcome{JobResult::done, {}};
  auto error = removed.error();
  return UnpinOutcome{is_kubo_unreachable(error) ? JobResult::kubo_down : JobResult::failed, error.message()};
}

Result<std::unordered_set<Cid>> list_kubo_pins(kubo::Client& kubo) {
  std::unordered_set<Cid> pins;
  for (auto type : {kubo::PinLsType::recursive, kubo::PinLsType::direct}) {
    CF_TRY(kubo.pin_ls(type, [&](const kubo::PinEntry& entry) { pins.insert(entry.cid); }));
  }
  return pins;
}

}  // namespace cf::follower
