// Follows a cluster through a trusted peer's REST API (DESIGN §4, source 2): every
// poll_interval it reads the whole pinset (GET /allocations?filter=all) and hands what changed
// to the reconciler: on the first poll of a run, the difference from the desired pinset in
// state.db; afterwards, what a PinsetTracker finds changed since the last poll (only changed
// lines are parsed). For operators who expose the API, and for networks where libp2p is blocked.
//
// The time of the last good poll and the last error go to state.db's meta table
// (source_last_sync, source_last_error), so `status` can report the lag without the daemon.
// Threads: start(), run(), stop() and reconfigure() belong to the io_context's thread; the
// HTTP request runs on the pool. stop() and reconfigure() cut a poll in progress within about
// a second (the request's cancel token); what it read is discarded, never half applied.
#pragma once

#include <optional>
#include <stop_token>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/thread_pool.hpp>

#include "cf/cluster/pinset_tracker.hpp"
#include "cf/cluster/rest_source.hpp"
#include "cf/follower/reconciler.hpp"
#include "cf/follower/source_meta.hpp"
#include "cf/store/store.hpp"

namespace cf::follower {

class RestFollower {
 public:
  RestFollower(asio::io_context& io, asio::thread_pool& pool, store::Store& db, Reconciler& reconciler,
               cluster::RestSourceConfig config);

  // Checks the settings and makes the source; before READY, so a bad URL stops `run` there.
  Status start();
  asio::awaitable<void> run();
  void stop();
  // A SIGHUP changed url, credentials or poll_interval: the poll in progress is dropped and the
  // next one, at once, uses `config` (compared with the store, as a first poll).
  void reconfigure(cluster::RestSourceConfig config);

 private:
  Status open_source();
  void take_pending();
  asio::awaitable<void> poll_once();
  Result<cluster::PinsetDiff> to_apply(cluster::PinsetChanges changes);

  asio::thread_pool& pool_;
  store::Store& db_;
  Reconciler& reconciler_;
  cluster::RestSourceConfig config_;
  std::optional<cluster::RestSourceConfig> pending_;  // from reconfigure(), taken between polls
  std::optional<cluster::RestSource> source_;
  std::stop_source cancel_;  // cancels source_'s transfers
  cluster::PinsetTracker tracker_;  // the pinset last handed to the reconciler, as line digests
  asio::steady_timer timer_;
  bool stopping_ = false;
};

}  // namespace cf::follower
