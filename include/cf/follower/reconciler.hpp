// The reconciler: makes Kubo converge to the desired pinset (the `pins` table), recording what
// it does per CID in `pin_status` so that `list` and `status` show the live picture and a
// restart resumes where it stopped.
//
// Policy (DESIGN §5, upstream-follow-cli.md §3): cluster::decide says what a pin means for this
// peer; only pins the follower made itself are ever unpinned (ownership), and not while a
// sibling cluster under the same config folder still wants the CID. New pins go before
// retries; a failed pin waits 5 s doubling to 6 h and never blocks others; at most
// `concurrent_pins` pin requests and `concurrent_unpins` unpin requests run at once. When Kubo
// stops answering, everything pauses (no attempt is counted) until it answers again. A verify
// pass every `verify_interval` compares with Kubo's pin/ls and repairs drift
// (`unexpectedly_unpinned`). Status changes are written in batches (every 250 ms).
//
// Threads: every member function and the run() coroutine belong to the io_context's thread;
// Kubo requests run on the thread pool. Ownership: the daemon owns the Reconciler, the store,
// the io_context and the pool, and joins the pool before destroying the others. stop() makes
// run() cancel in-flight pins, wait for them, flush, and return.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/thread_pool.hpp>

#include "cf/base/result.hpp"
#include "cf/cluster/pin.hpp"
#include "cf/cluster/pinset_diff.hpp"
#include "cf/cluster/rest_source.hpp"
#include "cf/follower/kubo_jobs.hpp"
#include "cf/follower/metrics.hpp"
#include "cf/follower/pinset_tables.hpp"
#include "cf/follower/siblings.hpp"
#include "cf/follower/work_queue.hpp"
#include "cf/store/store.hpp"

namespace cf::follower {

struct ReconcilerConfig {
  multiformats::PeerId self;
  std::string cluster_name{};  // the folder name; Kubo pins are named "cluster-follow/<it>"
  kubo::ClientOptions kubo{};
  int concurrent_pins = 10;
  int concurrent_unpins = 2;
  std::chrono::milliseconds pin_timeout{std::chrono::minutes(2)};
  std::chrono::milliseconds unpin_timeout{std::chrono::hours(3)};
  std::chrono::seconds verify_interval{std::chrono::minutes(12)};
  bool unpin_disable = false;
  std::filesystem::path config_root{};  // for sibling clusters' state.db
  Metrics* metrics = nullptr;  // Kubo request latencies go here when set; must outlive run()
};

struct ReconcilerStats {
  std::size_t queued_new = 0, queued_retry = 0, queued_unpin = 0;
  std::size_t pins_in_flight = 0, unpins_in_flight = 0;
  std::uint64_t pins_done = 0, pins_failed = 0, unpins_done = 0;
  std::uint64_t bytes_pinned = 0;
  bool kubo_down = false;
};

class Reconciler {
 public:
  Reconciler(asio::io_context& io, asio::thread_pool& pool, store::Store& db, ReconcilerConfig config);
  ~Reconciler();

  // Loads the tables and queues whatever the last run left undone.
  Status start();
  // Applies a change of the desired pinset (from a pinset source) and queues the work.
  Status apply(const cluster::PinsetDiff& diff);
  // The current desired pinset, for sources that diff against it.
  Result<std::vector<cluster::Pin>> desired_pinset();

  asio::awaitable<void> run();
  void stop();

  ReconcilerStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cf::follower
