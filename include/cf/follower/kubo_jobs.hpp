// The reconciler's blocking Kubo work: one pin, one unpin, or a listing of every pin. Each runs
// on a worker thread with a kubo::Client of its own; none touches the store. The results are
// plain values that the reconciler applies on its own thread.
//
// Pinning follows upstream's connector (kubo-rpc-and-lab.md A5): look the CID up first and do
// nothing when Kubo already has it pinned as wanted; connect to the pin's origins; use
// pin/update (unpin=false) when the pin replaces one that Kubo has pinned recursively; else
// pin/add with progress. Differences (DESIGN §5): pins are named "cluster-follow/<cluster>"
// so that our pins can be told from the user's; ownership is recorded; a stream error trailer
// fails the pin.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/cluster/pin.hpp"
#include "cf/cluster/pin_policy.hpp"
#include "cf/kubo/client.hpp"
#include "cf/store/pin_status.hpp"

namespace cf::follower {

// Kubo pin names of followers start with this; the rest is the cluster's folder name.
inline constexpr std::string_view pin_name_prefix = "cluster-follow/";

// A few kubo::Clients shared by the worker threads; each is used by one thread at a time.
class KuboClients {
 public:
  explicit KuboClients(kubo::ClientOptions options) : options_(std::move(options)) {}

  struct Lease;
  Lease acquire();

 private:
  kubo::ClientOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<kubo::Client>> idle_;
};

struct KuboClients::Lease {
  KuboClients* owner;
  std::unique_ptr<kubo::Client> client;
  Lease(KuboClients* o, std::unique_ptr<kubo::Client> c) : owner(o), client(std::move(c)) {}
  Lease(Lease&&) = default;
  ~Lease();
  kubo::Client& operator*() { return *client; }
  kubo::Client* operator->() { return client.get(); }
};

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
  const std::atomic<bool>* stopping = nullptr;
};

struct PinOutcome {
  JobResult result = JobResult::failed;
  store::Ownership ownership = store::Ownership::none;
  int depth = -1;  // how Kubo has it pinned now (-1 recursive, 0 direct, N limited)
  std::string error{};
  kubo::PinProgress progress{};
};

PinOutcome pin_in_kubo(kubo::Client& kubo, const PinJob& job);

struct UnpinOutcome {
  JobResult result = JobResult::failed;
  std::string error{};
};

UnpinOutcome unpin_in_kubo(kubo::Client& kubo, const multiformats::Cid& cid, std::chrono::milliseconds timeout);

// Every recursive and direct pin Kubo has (upstream lists recursive only, by a bug).
Result<std::unordered_set<multiformats::Cid>> list_kubo_pins(kubo::Client& kubo);

// True for errors that mean "Kubo is not answering" rather than "Kubo said no".
bool is_kubo_unreachable(const Error& error);

}  // namespace cf::follower
