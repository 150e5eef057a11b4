// The reconciler's Kubo work: one pin, one unpin, or a listing of every pin, as coroutines
// over KuboPins. None touches the store; the results are plain values that the reconciler
// applies. They run on the reconciler's executor; KuboRpcPins moves each Kubo request to the
// thread pool.
//
// Pinning follows upstream's connector (kubo-rpc-and-lab.md A5): look the CID up first and do
// nothing when Kubo already has it pinned as wanted; connect to the pin's origins; use
// pin/update (unpin=false) when the pin replaces one that Kubo has pinned recursively; else
// pin/add with progress. Differences (DESIGN §5): pins are named "cluster-follow/<cluster>"
// so that our pins can be told from the user's; ownership is recorded; a stream error trailer
// fails the pin.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <unordered_set>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/cluster/pin.hpp"
#include "cf/cluster/pin_policy.hpp"
#include "cf/follower/kubo_pins.hpp"
#include "cf/store/pin_status.hpp"

namespace cf::follower {

// Kubo pin names of followers start with this; the rest is the cluster's folder name.
inline constexpr std::string_view pin_name_prefix = "cluster-follow/";

enum class JobResult {
  done,       // pinned / unpinned
  failed,     // Kubo refused or timed out: counts as an attempt
  kubo_down,  // Kubo did not answer at all: not the pin's fault, retry when Kubo is back
  cancelled,  // shutdown
};

struct PinJob {
  cluster::Pin pin;
  cluster::PinAction action;
  std::string cluster_name{};  // our folder name, for the Kubo pin name
  std::chrono::milliseconds pin_timeout{std::chrono::minutes(2)};
  std::stop_token stop{};  // shutdown: the pin ends as cancelled
  // The reconciler's clock, for the time budget of origins (empty: the count bounds them).
  std::function<std::chrono::steady_clock::time_point()> steady_now{};
};

struct PinOutcome {
  JobResult result = JobResult::failed;
  store::Ownership ownership = store::Ownership::none;
  int depth = -1;  // how Kubo has it pinned now (-1 recursive, 0 direct, N limited)
  std::string error{};
  kubo::PinProgress progress{};
};

Task<PinOutcome> pin_in_kubo(KuboPins& kubo, const PinJob& job);

struct UnpinOutcome {
  JobResult result = JobResult::failed;
  std::string error{};
};

Task<UnpinOutcome> unpin_in_kubo(KuboPins& kubo, multiformats::Cid cid, std::chrono::milliseconds timeout);

// Every recursive and direct pin Kubo has (upstream lists recursive only, by a bug).
Task<Result<std::unordered_set<multiformats::Cid>>> list_kubo_pins(KuboPins& kubo);

// True for errors that mean "Kubo is not answering" rather than "Kubo said no".
bool is_kubo_unreachable(const Error& error);

}  // namespace cf::follower
