// The reconciler: makes Kubo converge to the desired pinset (the `pins` table), recording what
// it does per CID in `pin_status` so that `list` and `status` show the live picture and a
// restart resumes where it stopped. It plays the part of upstream's stateless pintracker
// (pintracker/stateless/stateless.go) for a follower.
//
// Policy (DESIGN §5, upstream-follow-cli.md §3): cluster::decide says what a pin means for this
// peer; only pins the follower made itself are ever unpinned (ownership), and not while a
// sibling cluster under the same config folder still wants the CID, nor while a sibling's
// state.db cannot be read (fail closed: the unpin is held, unpin_queued with the reason in
// `list`, and looked at again every 30 s; siblings.hpp). New pins go before
// retries; a failed pin waits 5 s doubling to 6 h and never blocks others; at most
// `concurrent_pins` pin requests and `concurrent_unpins` unpin requests run at once. When Kubo
// stops answering, everything pauses (no attempt is counted) and Kubo is probed every 2 s
// until it answers again. A verify pass every `verify_interval` compares with Kubo's pin/ls
// and repairs drift (`unexpectedly_unpinned`). The decisions and their rules are in
// reconciler_state.hpp; this file is the I/O around them.
//
// Expired pins (deliberate divergence from upstream, whose follower pins them): a pin whose
// expire_at has passed when it is evaluated or about to be pinned is not pinned; it shows as
// `remote` with the error "expired at <time>: not pinned". A pin already pinned stays pinned:
// followers never unpin on expiry; the trusted peers remove expired pins from the pinset.
//
// Time: every "now" comes from the injected ReconcilerClock (Unix seconds for what is stored,
// next_retry_at and expiry; steady time for the verify and probe schedules and latencies).
// The only timer is the loop's wait until the next thing falls due, armed as a delay computed
// on that clock; wake() makes the loop look again at once (after a clock jump, in tests).
//
// Ownership: every coroutine the reconciler starts (pins, unpins, verify, the Kubo probe) is
// a task of its own TaskSet. run() is the dispatch loop; its owner spawns it. stop() asks
// in-flight pin/adds to end (at Kubo's next progress tick, as cancelled, so the pin is queued
// again), cancels the probe, lets unpins and a running pin/ls finish or time out, waits for
// run() and every task to end, and writes the last statuses. Call stop() once; the reconciler
// may be destroyed when it has returned.
//
// Threads: every member function and coroutine runs on the executor's single thread; Kubo
// requests run wherever KuboPins puts them (KuboRpcPins: the thread pool).
//
// Store write failures (disk full, I/O errors): statuses stay in memory and pins and unpins go
// on; the write is tried again after 250 ms, doubling up to 30 s, until it works. stats()
// says why meanwhile (write_error), which makes /health unhealthy. Logged once per change.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <asio/any_io_executor.hpp>
#include <asio/io_context.hpp>
#include <asio/thread_pool.hpp>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/cluster/pin.hpp"
#include "cf/cluster/pinset_diff.hpp"
#include "cf/follower/kubo_pins.hpp"
#include "cf/follower/metrics.hpp"
#include "cf/store/store.hpp"

namespace cf::follower {

struct ReconcilerConfig {
  multiformats::PeerId self;
  std::string cluster_name{};  // the folder name; Kubo pins are named "cluster-follow/<it>"
  kubo::ClientOptions kubo{};  // for the production constructor's KuboRpcPins
  int concurrent_pins = 10;
  int concurrent_unpins = 2;
  std::chrono::milliseconds pin_timeout{std::chrono::minutes(2)};
  std::chrono::milliseconds unpin_timeout{std::chrono::hours(3)};
  std::chrono::seconds verify_interval{std::chrono::minutes(12)};
  bool unpin_disable = false;
  std::filesystem::path config_root{};  // for sibling clusters' state.db
  Metrics* metrics = nullptr;  // Kubo request latencies go here when set; must outlive stop()
};

// Where the reconciler's "now" comes from. Both must be set; system() gives the real clocks.
struct ReconcilerClock {
  std::function<std::int64_t()> unix_now;                          // Unix seconds
  std::function<std::chrono::steady_clock::time_point()> steady_now;  // monotonic

  static ReconcilerClock system();
};

struct ReconcilerStats {
  std::size_t queued_new = 0, queued_retry = 0, queued_unpin = 0;
  std::size_t pins_in_flight = 0, unpins_in_flight = 0;
  std::uint64_t pins_done = 0, pins_failed = 0, unpins_done = 0;
  std::uint64_t bytes_pinned = 0;
  bool kubo_down = false;
  std::string write_error;               // why writing statuses to state.db fails; "" while it works
  std::size_t unreadable_siblings = 0;   // sibling state.db files the last unpin check could not read
};

class Reconciler {
 public:
  // Production: Kubo through kubo::Client requests on `pool` (config.kubo), the system clock.
  Reconciler(asio::io_context& io, asio::thread_pool& pool, store::Store& db, ReconcilerConfig config);
  // Kubo and the clock injected; `kubo` must outlive the reconciler.
  Reconciler(asio::any_io_executor executor, store::Store& db, KuboPins& kubo, ReconcilerConfig config,
             ReconcilerClock clock);
  ~Reconciler();
  Reconciler(const Reconciler&) = delete;
  Reconciler& operator=(const Reconciler&) = delete;

  // Loads the tables and queues whatever the last run left undone.
  Status start();
  // Applies a change of the desired pinset (from a pinset source), queues the work and
  // writes the statuses it changed (so a source that applies a big pinset in batches holds
  // no more than a batch of them).
  Status apply(const cluster::PinsetDiff& diff);
  // Applies the pins of `puts` that differ from the stored ones (a source that re-reads a
  // whole pinset in batches); returns how many that were.
  Result<std::size_t> apply_changed(std::vector<cluster::Pin> puts);
  // The current desired pinset, for sources that diff against it.
  Result<std::vector<cluster::Pin>> desired_pinset();
  // Its CIDs only, in byte order, one at a time.
  Status for_each_desired_cid(const std::function<void(multiformats::Cid)>& on_cid);

  // The dispatch loop: starts pins and unpins, the verify pass and the Kubo probe as they
  // fall due, and writes status changes. Returns soon after stop() is called.
  Task<void> run();
  // Looks at the queues and schedules again now (for a clock that jumped).
  void wake();
  // Starts no more than `max` (at least 1) pins at once, below concurrent_pins, until called
  // with nullopt. Pins already running go on. Used while a pinset source catches up, so that
  // learning the pinset, which is cheap, is not slowed by pinning, which is expensive.
  void limit_pins(std::optional<int> max);
  // See the header comment; returns when every task has ended and the statuses are written.
  Task<void> stop();

  ReconcilerStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cf::follower
