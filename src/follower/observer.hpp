// Makes a running follower observable: once a second it reads the counts from state.db and
// the reconciler, and feeds the Prometheus metrics, the progress display (terminal line or
// periodic log summary) and systemd's STATUS= line; it also answers /health.
// Each tick it also checks that state.db is still the file the daemon opened
// (Store::check_file): a deleted or replaced store calls `on_store_lost` once, and the daemon
// stops with that error (so the statuses do not go on into an unlinked file, and systemd
// restarts it with a fresh store). A store write that fails (disk full) makes /health
// unhealthy with the reason until a write works again.
// Layer-private. Runs on the io_context's thread (it shares the daemon's store connection).
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include "cf/follower/metrics.hpp"
#include "cf/follower/metrics_server.hpp"
#include "cf/follower/progress.hpp"
#include "cf/follower/reconciler.hpp"
#include "cf/follower/systemd_notify.hpp"
#include "cf/store/store.hpp"

namespace cf::follower {

class Observer {
 public:
  Observer(asio::io_context& io, store::Store& db, Reconciler& reconciler, Metrics& metrics,
           SystemdNotifier& notifier, std::chrono::seconds max_source_silence,
           std::function<void(Error)> on_store_lost);

  asio::awaitable<void> run();
  void stop();
  Health health() const { return health_; }
  // One observation, as run() makes every second; public for tests.
  void observe_once();
  // /health's limit for a silent source (a reload changed the poll interval).
  void set_max_source_silence(std::chrono::seconds limit) { max_source_silence_ = limit; }

 private:
  bool store_lost();

  store::Store& db_;
  Reconciler& reconciler_;
  Metrics& metrics_;
  SystemdNotifier& notifier_;
  std::chrono::seconds max_source_silence_;
  std::function<void(Error)> on_store_lost_;
  bool lost_ = false;
  ProgressReporter progress_;
  asio::steady_timer timer_;
  Health health_;
  bool stopping_ = false;
  int ticks_ = 0;
};

}  // namespace cf::follower
