// Follows a cluster through a trusted peer's REST API (DESIGN §4, source 2): every
// poll_interval it reads the whole pinset (GET /allocations?filter=all) and hands what changed
// to the reconciler, as it streams in: the pins a PinsetTracker finds new or changed (all of
// them on the first poll of a run) go over in batches of 5,000, each compared with state.db
// and written before the stream goes on, so memory holds one batch, not the pinset. Removes
// are known at the end of the stream: on the first poll, the stored CIDs no line carried
// (checked against the tracker's compact CID set); afterwards, the tracker's. For operators
// who expose the API, and for networks where libp2p is blocked.
//
// Bad pins (issue 11) are skipped by the tracker and do not fail the poll; they are counted
// in the metrics (cluster_follow_pins_skipped_total{reason}) and logged by the tracker. While
// a line without a readable CID is in the pinset, nothing is unpinned.
//
// The time of the last good poll and the last error go to state.db's meta table
// (source_last_sync, source_last_error), so `status` can report the lag without the daemon.
// Threads: start(), run(), stop() and reconfigure() belong to the io_context's thread; the
// HTTP request runs on the pool, which posts each batch to the io_context's thread (where the
// store lives) and waits for it to be written. stop() and reconfigure() cut a poll in progress
// within about a second (the request's cancel token); the batches it handed over stay (they
// only add or update pins), nothing is removed, and the next poll compares the whole pinset.
#pragma once

#include <atomic>
#include <optional>
#include <stop_token>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/thread_pool.hpp>

#include "cf/cluster/pinset_tracker.hpp"
#include "cf/cluster/rest_source.hpp"
#include "cf/follower/metrics.hpp"
#include "cf/follower/reconciler.hpp"
#include "cf/follower/source_meta.hpp"
#include "cf/store/store.hpp"

namespace cf::follower {

class RestFollower {
 public:
  RestFollower(asio::io_context& io, asio::thread_pool& pool, store::Store& db, Reconciler& reconciler,
               Metrics& metrics, cluster::RestSourceConfig config);

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
  // On the pool: hands a batch to the io_context's thread and waits until it is written.
  Status hand_over(std::vector<cluster::Pin> puts);
  // After a fetch: what to remove, and the counts into the metrics.
  Result<std::vector<multiformats::Cid>> removes_of(cluster::PinsetChanges& changes, bool first);
  void count(const cluster::PinsetChanges& changes);

  asio::io_context& io_;
  asio::thread_pool& pool_;
  store::Store& db_;
  Reconciler& reconciler_;
  Metrics& metrics_;
  cluster::RestSourceConfig config_;
  std::optional<cluster::RestSourceConfig> pending_;  // from reconfigure(), taken between polls
  std::optional<cluster::RestSource> source_;
  std::stop_source cancel_;  // cancels source_'s transfers
  cluster::PinsetTracker tracker_;  // the pinset last handed to the reconciler, as line digests
  asio::steady_timer timer_;
  std::atomic<bool> stopping_ = false;  // read by the pool thread while it hands over batches
  std::size_t applied_ = 0;  // pins of this poll's batches that changed the store
};

}  // namespace cf::follower
