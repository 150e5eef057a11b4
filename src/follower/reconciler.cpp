#include "cf/follower/reconciler.hpp"

#include <algorithm>
#include <ctime>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>

#include "cf/base/blocking.hpp"
#include "cf/base/log.hpp"
#include "reconciler_state.hpp"

namespace cf::follower {

using multiformats::Cid;
using store::Ownership;
using store::PinStatus;

namespace {

constexpr auto flush_interval = std::chrono::milliseconds(250);
constexpr auto kubo_probe_interval = std::chrono::seconds(2);

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

auto log() { return log::get("pintracker"); }

}  // namespace

struct Reconciler::Impl {
  asio::io_context& io;
  asio::thread_pool& pool;
  ReconcilerConfig config;
  ReconcilerState state;
  KuboClients clients;
  Siblings siblings;
  asio::steady_timer wake;
  std::atomic<bool> stopping{false};
  std::size_t pins_in_flight = 0, unpins_in_flight = 0;
  bool kubo_down = false, verifying = false;
  std::chrono::steady_clock::time_point next_verify;
  std::uint64_t pins_done = 0, pins_failed = 0, unpins_done = 0, bytes_pinned = 0;

  Impl(asio::io_context& io_, asio::thread_pool& pool_, store::Store& db, ReconcilerConfig c)
      : io(io_),
        pool(pool_),
        config(std::move(c)),
        state(db, config.self),
        clients(config.kubo),
        siblings(config.config_root, config.cluster_name),
        wake(io_) {}

  void notify() { wake.cancel(); }

  // --- dispatch -------------------------------------------------------------------------------

  void dispatch() {
    if (kubo_down || stopping) return;
    auto now = Clock::now();
    while (pins_in_flight < static_cast<std::size_t>(config.concurrent_pins)) {
      auto cid = state.queue().pop_pin(now);
      if (!cid) break;
      start_pin(*cid);
    }
    while (unpins_in_flight < static_cast<std::size_t>(config.concurrent_unpins)) {
      auto cid = state.queue().pop_unpin(now);
      if (!cid) break;
      start_unpin(*cid);
    }
  }

  void start_pin(const Cid& cid) {
    auto job = state.begin_pin(cid, unix_now());
    if (!job) return;  // no longer a pin for us; the state re-evaluated it
    job->cluster_name = config.cluster_name;
    job->pin_timeout = config.pin_timeout;
    job->stopping = &stopping;
    ++pins_in_flight;
    asio::co_spawn(io, pin_task(std::move(*job)), asio::detached);
  }

  void observe(const char* operation, std::chrono::steady_clock::time_point started, JobResult result) {
    if (!config.metrics) return;
    config.metrics->observe_kubo_request(operation, std::chrono::steady_clock::now() - started,
                                         result == JobResult::done || result == JobResult::cancelled);
  }

  asio::awaitable<void> pin_task(PinJob job) {
    auto cid = job.pin.cid;
    auto started = std::chrono::steady_clock::now();
    auto outcome = co_await run_blocking(pool, [this, &job] {
      auto kubo = clients.acquire();
      return pin_in_kubo(*kubo, job);
    });
    observe("pin/add", started, outcome.result);
    --pins_in_flight;
    record_pin(cid, outcome);
    notify();
  }

  void record_pin(const Cid& cid, const PinOutcome& outcome) {
    switch (outcome.result) {
      case JobResult::done:
        ++pins_done;
        bytes_pinned += outcome.progress.bytes;
        log()->info("pinned {}", cid.to_string());
        break;
      case JobResult::failed:
        ++pins_failed;
        log()->warn("pin {} failed: {}", cid.to_string(), outcome.error);
        break;
      case JobResult::kubo_down: mark_kubo_down(outcome.error); break;
      case JobResult::cancelled: break;
    }
    state.finish_pin(cid, outcome, unix_now());
  }

  void start_unpin(const Cid& cid) {
    if (config.unpin_disable) {
      state.finish_unpin(cid, UnpinOutcome{JobResult::failed, "unpin_disable is set in the template"}, unix_now());
      return;
    }
    if (!state.begin_unpin(cid, unix_now())) return;
    if (siblings.wants(cid)) {
      log()->info("not unpinning {}: a sibling cluster under {} still wants it", cid.to_string(),
                  config.config_root.string());
      state.finish_unpin(cid, UnpinOutcome{JobResult::done, {}}, unix_now());
      return;
    }
    ++unpins_in_flight;
    asio::co_spawn(io, unpin_task(cid), asio::detached);
  }

  asio::awaitable<void> unpin_task(Cid cid) {
    auto timeout = config.unpin_timeout;
    auto started = std::chrono::steady_clock::now();
    auto outcome = co_await run_blocking(pool, [this, &cid, timeout] {
      auto kubo = clients.acquire();
      return unpin_in_kubo(*kubo, cid, timeout);
    });
    observe("pin/rm", started, outcome.result);
    --unpins_in_flight;
    if (outcome.result == JobResult::kubo_down) mark_kubo_down(outcome.error);
    if (outcome.result == JobResult::done) {
      ++unpins_done;
      log()->info("unpinned {}", cid.to_string());
    } else if (outcome.result == JobResult::failed) {
      log()->warn("unpin {} failed: {}", cid.to_string(), outcome.error);
    }
    state.finish_unpin(cid, outcome, unix_now());
    notify();
  }

  // --- Kubo outages and drift -----------------------------------------------------------------

  void mark_kubo_down(const std::string& why) {
    if (kubo_down) return;
    kubo_down = true;
    log()->warn("Kubo is not answering ({}); pausing pins and unpins until it does", why);
    asio::co_spawn(io, probe_until_kubo_answers(), asio::detached);
  }

  asio::awaitable<void> probe_until_kubo_answers() {
    asio::steady_timer timer(io);
    while (!stopping) {
      timer.expires_after(kubo_probe_interval);
      co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
      auto answer = co_await run_blocking(pool, [this] {
        auto kubo = clients.acquire();
        return kubo->id();
      });
      if (answer) break;
    }
    kubo_down = false;
    if (!stopping) log()->info("Kubo answers again; resuming");
    notify();
  }

  void maybe_verify() {
    if (verifying || kubo_down || stopping || std::chrono::steady_clock::now() < next_verify) return;
    verifying = true;
    next_verify = std::chrono::steady_clock::now() + config.verify_interval;
    asio::co_spawn(io, verify_task(), asio::detached);
  }

  asio::awaitable<void> verify_task() {
    auto started = std::chrono::steady_clock::now();
    auto listed_at = unix_now();
    auto pins = co_await run_blocking(pool, [this] {
      auto kubo = clients.acquire();
      return list_kubo_pins(*kubo);
    });
    observe("pin/ls", started, pins ? JobResult::done : JobResult::failed);
    verifying = false;
    if (!pins) {
      log()->warn("verify: could not list Kubo's pins: {}", pins.error().message());
      co_return;
    }
    auto drifted = state.mark_drift(*pins, listed_at, unix_now());
    if (!drifted) log()->error("verify: {}", drifted.error().message());
    else if (*drifted > 0) log()->warn("verify: {} pins were no longer pinned in Kubo; re-pinning", *drifted);
    notify();
  }

  // --- the loop -------------------------------------------------------------------------------

  asio::awaitable<void> run() {
    next_verify = std::chrono::steady_clock::now() + config.verify_interval;
    while (!stopping) {
      dispatch();
      maybe_verify();
      if (auto flushed = state.flush(); !flushed) log()->error("writing statuses: {}", flushed.error().message());
      wake.expires_after(flush_interval);
      co_await wake.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    }
    // In-flight pins see `stopping` at their next progress tick and end as cancelled.
    while (pins_in_flight + unpins_in_flight > 0 || verifying) {
      wake.expires_after(flush_interval);
      co_await wake.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    }
    if (auto flushed = state.flush(); !flushed) log()->error("writing statuses: {}", flushed.error().message());
  }
};

Reconciler::Reconciler(asio::io_context& io, asio::thread_pool& pool, store::Store& db, ReconcilerConfig config)
    : impl_(std::make_unique<Impl>(io, pool, db, std::move(config))) {}

Reconciler::~Reconciler() = default;

Status Reconciler::start() { return impl_->state.load(unix_now()); }

Status Reconciler::apply(const cluster::PinsetDiff& diff) {
  CF_TRY(impl_->state.apply(diff, unix_now()));
  impl_->notify();
  return ok();
}

Result<std::vector<cluster::Pin>> Reconciler::desired_pinset() { return impl_->state.desired_pinset(); }

asio::awaitable<void> Reconciler::run() { return impl_->run(); }

void Reconciler::stop() {
  impl_->stopping = true;
  impl_->notify();
}

ReconcilerStats Reconciler::stats() const {
  const auto& i = *impl_;
  const auto& queue = i.state.queue();
  return ReconcilerStats{queue.new_pins(),    queue.retry_pins(), queue.unpins(),  i.pins_in_flight,
                         i.unpins_in_flight, i.pins_done,        i.pins_failed,   i.unpins_done,
                         i.bytes_pinned,     i.kubo_down};
}

}  // namespace cf::follower
