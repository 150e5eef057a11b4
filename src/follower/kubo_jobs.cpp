#include "cf/follower/kubo_jobs.hpp"

#include <algorithm>

#include "cf/base/errc.hpp"
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

PinOutcome pinned(Ownership ownership, const PinJob& job, kubo::PinProgress progress = {}) {
  PinOutcome out;
  out.result = JobResult::done;
  out.ownership = ownership;
  out.depth = job.action.max_depth;
  out.progress = progress;
  return out;
}

// Best effort, as upstream: helps Kubo find the blocks; failures are only logged. Bounded in
// total so that unreachable origins cannot hold a pin slot for long.
Task<void> connect_origins(KuboPins& kubo, const PinJob& job) {
  const auto& pin = job.pin;
  auto deadline = job.steady_now ? job.steady_now() + origins_budget : std::chrono::steady_clock::time_point::max();
  std::size_t n = std::min(pin.origins.size(), max_origins);
  for (std::size_t i = 0; i < n && !job.stop.stop_requested(); ++i) {
    if (job.steady_now && job.steady_now() >= deadline) break;
    if (auto c = co_await kubo.swarm_connect(pin.origins[i], origin_connect_timeout); !c) {
      log::get("ipfshttp")->debug("swarm/connect {} for {}: {}", pin.origins[i].to_string(), pin.cid.to_string(),
                                  c.error().message());
    }
  }
}

// pin/update from the old CID when Kubo has it pinned recursively (upstream's shortcut, which
// lets Kubo fetch only what changed). nullopt: not applicable, pin normally.
Task<std::optional<PinOutcome>> try_pin_update(KuboPins& kubo, const PinJob& job) {
  if (!job.pin.pin_update || job.action.mode == cluster::PinAction::Mode::direct) co_return std::nullopt;
  auto from = co_await kubo.pin_ls_one(*job.pin.pin_update, kubo::PinLsType::recursive);
  if (!from || !*from || (*from)->type != kubo::PinType::recursive) co_return std::nullopt;
  if (auto updated = co_await kubo.pin_update(*job.pin.pin_update, job.pin.cid, job.pin_timeout); !updated) {
    co_return failure(updated.error());
  }
  co_return pinned(Ownership::ours, job);
}

// How Kubo has the CID pinned, asking only the cheap indexed types (never `all`, whose cost
// grows with the pinset): the wanted type first, then, for a recursive want, direct, to learn
// whether a pin of the other type exists and whose it is.
Task<Result<std::optional<kubo::PinLookup>>> lookup(KuboPins& kubo, const PinJob& job) {
  bool want_direct = job.action.mode == cluster::PinAction::Mode::direct;
  auto wanted = want_direct ? kubo::PinLsType::direct : kubo::PinLsType::recursive;
  auto first = co_await kubo.pin_ls_one(job.pin.cid, wanted);
  if (!first || *first || want_direct) co_return first;
  co_return co_await kubo.pin_ls_one(job.pin.cid, kubo::PinLsType::direct);
}

}  // namespace

bool is_kubo_unreachable(const Error& error) {
  return error == kubo::errc::unreachable || error == kubo::errc::transport_failed;
}

Task<PinOutcome> pin_in_kubo(KuboPins& kubo, const PinJob& job) {
  auto existing = co_await lookup(kubo, job);
  if (!existing) co_return failure(existing.error().wrap(lookup_timeout_note));
  if (*existing && satisfies(**existing, job.action)) co_return pinned(owner_of(**existing), job);
  if (job.stop.stop_requested()) co_return cancelled();
  co_await connect_origins(kubo, job);
  if (auto updated = co_await try_pin_update(kubo, job)) co_return *updated;

  kubo::PinAddOptions options;
  options.mode = mode_for(job.action);
  options.pin_timeout = job.pin_timeout;
  // A user's pin of another type keeps its name; only pins we create carry ours.
  bool users_pin =
      *existing && (*existing)->type != kubo::PinType::indirect && owner_of(**existing) == Ownership::preexisting;
  if (!users_pin) options.name = our_pin_name(job);
  auto added = co_await kubo.pin_add(job.pin.cid, std::move(options), job.stop);
  if (!added) {
    if (job.stop.stop_requested() || added.error() == cf::errc::cancelled) co_return cancelled();
    co_return failure(added.error());
  }
  co_return pinned(users_pin ? Ownership::preexisting : Ownership::ours, job, added->progress);
}

Task<UnpinOutcome> unpin_in_kubo(KuboPins& kubo, Cid cid, std::chrono::milliseconds timeout) {
  auto removed = co_await kubo.pin_rm(cid, timeout);
  if (removed) co_return UnpinOutcome{JobResult::done, {}};
  auto error = removed.error();
  co_return UnpinOutcome{is_kubo_unreachable(error) ? JobResult::kubo_down : JobResult::failed, error.message()};
}

Task<Result<std::unordered_set<Cid>>> list_kubo_pins(KuboPins& kubo) {
  std::unordered_set<Cid> pins;
  for (auto type : {kubo::PinLsType::recursive, kubo::PinLsType::direct}) {
    auto listed = co_await kubo.pin_ls(type);
    if (!listed) co_return listed.error();
    pins.merge(*listed);
  }
  co_return pins;
}

}  // namespace cf::follower
