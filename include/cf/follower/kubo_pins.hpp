// KuboPins: the reconciler's seam to Kubo, the few RPC calls that converge Kubo to the pinset
// (the subset of upstream's IPFSConnector, ipfscluster.go, that a follower's tracker uses:
// Pin, PinLsCid, PinLs, Unpin, ConnectSwarms, ID; plus PinUpdate as ipfshttp.go uses it).
//
// Every call is a coroutine that resumes on the caller's executor. Failures are Kubo's
// (kubo::errc values: unreachable and transport_failed mean "Kubo is not answering", see
// is_kubo_unreachable), never thrown. Each call is bounded: by its timeout argument, or by
// the client's ipfs_request_timeout.
//
// KuboRpcPins is the production implementation. pin_add, the long call (it streams for as long
// as Kubo fetches the DAG), goes through an http::TransferRunner it owns: one thread drives
// every pin/add stream, so N pins in flight cost N connections and no thread each (issue 11),
// and a stop request takes the transfer off at once. The other calls are short and stay one
// blocking kubo::Client request each on the given thread pool (a few clients are kept, one per
// concurrent call), so that pool can be small and fixed. Its owner must keep the pool running
// until every call has returned, and join the pool before destroying it; KuboRpcPins itself
// must outlive every call (its destructor cancels pin/adds still running and joins the
// runner's thread). Tests use an in-memory fake (tests/follower/fake_kubo_pins.hpp).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stop_token>
#include <unordered_set>

#include <asio/thread_pool.hpp>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/http/transfer_runner.hpp"
#include "cf/kubo/client.hpp"
#include "cf/kubo/pins.hpp"
#include "cf/multiformats/cid.hpp"
#include "cf/multiformats/multiaddr.hpp"

namespace cf::follower {

class KuboPins {
 public:
  virtual ~KuboPins() = default;

  // The liveness probe (/api/v0/id, as upstream's WaitForIPFS): ok when Kubo answers.
  virtual Task<Status> id() = 0;
  // pin/ls?arg=<cid>&type=<type>: how Kubo has `cid` pinned, nullopt when it does not.
  virtual Task<Result<std::optional<kubo::PinLookup>>> pin_ls_one(multiformats::Cid cid, kubo::PinLsType type) = 0;
  // Every pin of one type (recursive or direct).
  virtual Task<Result<std::unordered_set<multiformats::Cid>>> pin_ls(kubo::PinLsType type) = 0;
  // pin/add with the options' mode, name and pin_timeout (their callbacks are not used). A
  // stop request ends it with cf::errc::cancelled (KuboRpcPins: within a second).
  virtual Task<Result<kubo::PinAddResult>> pin_add(multiformats::Cid cid, kubo::PinAddOptions options,
                                                   std::stop_token stop) = 0;
  // pin/update?unpin=false: pins `to` from the recursive pin `from`, which stays.
  virtual Task<Status> pin_update(multiformats::Cid from, multiformats::Cid to, std::chrono::milliseconds timeout) = 0;
  // pin/rm (recursive); "not pinned" is a success with was_pinned = false.
  virtual Task<Result<kubo::PinRmResult>> pin_rm(multiformats::Cid cid, std::chrono::milliseconds timeout) = 0;
  // swarm/connect to a multiaddr ending in /p2p/<id>.
  virtual Task<Status> swarm_connect(multiformats::Multiaddr address, std::chrono::milliseconds timeout) = 0;
};

class KuboRpcPins final : public KuboPins {
 public:
  // At most `max_streams` pin/adds stream at once; more wait for a slot (the reconciler keeps
  // below concurrent_pins anyway).
  KuboRpcPins(asio::thread_pool& pool, kubo::ClientOptions options, std::size_t max_streams = 1024);
  ~KuboRpcPins() override;

  Task<Status> id() override;
  Task<Result<std::optional<kubo::PinLookup>>> pin_ls_one(multiformats::Cid cid, kubo::PinLsType type) override;
  Task<Result<std::unordered_set<multiformats::Cid>>> pin_ls(kubo::PinLsType type) override;
  Task<Result<kubo::PinAddResult>> pin_add(multiformats::Cid cid, kubo::PinAddOptions options,
                                           std::stop_token stop) override;
  Task<Status> pin_update(multiformats::Cid from, multiformats::Cid to, std::chrono::milliseconds timeout) override;
  Task<Result<kubo::PinRmResult>> pin_rm(multiformats::Cid cid, std::chrono::milliseconds timeout) override;
  Task<Status> swarm_connect(multiformats::Multiaddr address, std::chrono::milliseconds timeout) override;

 private:
  class Clients;

  asio::thread_pool& pool_;
  std::unique_ptr<Clients> clients_;
  kubo::Client streaming_;  // for pin_add through runner_ (its async calls only read options)
  std::unique_ptr<http::TransferRunner> runner_;
};

}  // namespace cf::follower
