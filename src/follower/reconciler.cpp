#include "cf/follower/reconciler.hpp"

#include <algorithm>
#include <ctime>
#include <stop_token>
#include <tuple>

#include <asio/steady_timer.hpp>

#include "cf/base/log.hpp"
#include "cf/base/task_set.hpp"
#include "cf/follower/concurrency.hpp"
#include "cf/follower/kubo_jobs.hpp"
#include "cf/follower/siblings.hpp"
#include "reconciler_state.hpp"

namespace cf::follower {

using multiformats::Cid;

namespace {

using SteadyTime = std::chrono::steady_clock::time_point;
using SteadyDuration = std::chrono::steady_clock::duration;

constexpr auto kubo_probe_interval = std::chrono::seconds(2);
// Writing statuses failed (disk full, I/O error): the next attempt waits this long, doubling
// up to write_backoff_max, instead of retrying at every turn of the loop.
constexpr SteadyDuration write_backoff_min = std::chrono::milliseconds(250);
constexpr SteadyDuration write_backoff_max = std::chrono::seconds(30);
// An unpin held because a sibling's state.db cannot be read is looked at again this often.
constexpr std::int64_t sibling_retry_seconds = 30;
// The loop looks again at least this often, whatever the clock says is due.
constexpr SteadyDuration max_wait = std::chrono::minutes(1);

auto log() { return log::get("pintracker"); }

Clock::time_point at(std::int64_t unix_seconds) { return Clock::from_time_t(static_cast<std::time_t>(unix_seconds)); }

std::int64_t unix_seconds(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// Where the concurrency settings are read: brought into bounds, loudly (concurrency.hpp).
ReconcilerConfig clamped(ReconcilerConfig config) {
  for (auto [setting, value, limit] : {std::tuple{"pin_tracker.stateless.concurrent_pins", &config.concurrent_pins,
                                                max_concurrent_pins},
                                     std::tuple{"concurrent_unpins", &config.concurrent_unpins, max_concurrent_unpins}}) {
    auto c = clamp_concurrency(setting, *value, limit);
    if (!c.warning.empty()) log::get("config")->warn("{}", c.warning);
    *value = c.value;
  }
  return config;
}

}  // namespace

ReconcilerClock ReconcilerClock::system() {
  return ReconcilerClock{[] { return static_cast<std::int64_t>(std::time(nullptr)); },
                         [] { return std::chrono::steady_clock::now(); }};
}

struct Reconciler::Impl {
  ReconcilerConfig config;
  ReconcilerClock clock;
  std::unique_ptr<KuboPins> owned_kubo;  // the production constructor's
  KuboPins& kubo;
  ReconcilerState state;
  Siblings siblings;
  TaskSet tasks;
  asio::steady_timer wake_timer;  // the loop's wait; cancelled to wake it
  Signal loop_ended;
  std::stop_source stop_source;  // tells in-flight pin/adds to end
  bool stopping = false, running = false, woken = false;
  std::size_t pins_in_flight = 0, unpins_in_flight = 0;
  std::optional<int> pin_cap;  // limit_pins(): below concurrent_pins while a source catches up
  bool kubo_down = false, probing = false, verifying = false;
  SteadyTime next_verify{}, next_probe{};
  std::uint64_t pins_done = 0, pins_failed = 0, unpins_done = 0, bytes_pinned = 0;
  std::string write_error;  // why the last status write failed; "" while writes work
  SteadyDuration write_backoff{};
  SteadyTime next_write{};

  Impl(const asio::any_io_executor& executor, store::Store& db, std::unique_ptr<KuboPins> owned, KuboPins& k,
       ReconcilerConfig c, ReconcilerClock clk)
      : config(clamped(std::move(c))),
        clock(std::move(clk)),
        owned_kubo(std::move(owned)),
        kubo(k),
        state(db, config.self),
        siblings(config.config_root, config.cluster_name),
        tasks(executor, log()),
        wake_timer(executor),
        loop_ended(executor) {}

  // Wakes the loop, or, when it is busy (a task can end inside dispatch()), makes it go round
  // once more instead of waiting.
  void notify() {
    woken = true;
    wake_timer.cancel();
  }

  // Writes the pending statuses, unless a failed write is backing off (`force`: stop()'s last
  // attempt). Statuses stay in memory until a write succeeds; pins and unpins go on meanwhile.
  void flush(bool force = false) {
    if (!write_error.empty() && !force && clock.steady_now() < next_write) return;
    auto flushed = state.flush();
    if (flushed) {
      if (!write_error.empty()) log()->info("writing statuses to state.db works again");
      write_error.clear();
      write_backoff = {};
      return;
    }
    write_backoff = write_error.empty() ? write_backoff_min : std::min(2 * write_backoff, write_backoff_max);
    next_write = clock.steady_now() + write_backoff;
    auto why = flushed.error().message();
    // Loud once per change; the retries in between are debug lines.
    auto level = why == write_error ? spdlog::level::debug : spdlog::level::err;
    log()->log(level, "writing statuses failed ({} pending, kept in memory): {}; retrying in {} ms, backing off "
               "up to {} s", state.pending_writes(), why,
               std::chrono::duration_cast<std::chrono::milliseconds>(write_backoff).count(),
               std::chrono::duration_cast<std::chrono::seconds>(write_backoff_max).count());
    write_error = std::move(why);
  }

  void observe(const char* operation, SteadyTime started, bool ok) {
    if (config.metrics) config.metrics->observe_kubo_request(operation, clock.steady_now() - started, ok);
  }

  // --- dispatch -------------------------------------------------------------------------------

  bool pin_slot_free() const {
    const int limit = pin_cap ? std::min(*pin_cap, config.concurrent_pins) : config.concurrent_pins;
    return pins_in_flight < static_cast<std::size_t>(limit);
  }
  bool unpin_slot_free() const { return unpins_in_flight < static_cast<std::size_t>(config.concurrent_unpins); }

  // A task may end before spawn() returns (a Kubo that answers at once), hence the checks of
  // kubo_down and stopping before every start.
  bool may_start() const { return !kubo_down && !stopping; }

  void dispatch() {
    auto now = at(clock.unix_now());
    while (may_start() && pin_slot_free()) {
      auto cid = state.queue().pop_pin(now);
      if (!cid) break;
      start_pin(*cid);
    }
    while (may_start() && unpin_slot_free()) {
      auto cid = state.queue().pop_unpin(now);
      if (!cid) break;
      start_unpin(*cid);
    }
  }

  void start_pin(const Cid& cid) {
    auto job = state.begin_pin(cid, clock.unix_now());
    if (!job) return;  // no longer a pin for us; the state re-evaluated it
    job->cluster_name = config.cluster_name;
    job->pin_timeout = config.pin_timeout;
    job->stop = stop_source.get_token();
    job->steady_now = clock.steady_now;
    ++pins_in_flight;
    // Not cancelled by stop(): it ends through the stop token and must record its outcome.
    tasks.spawn(pin_task(std::move(*job)), "pin " + cid.to_string(), TaskSet::Cancel::no);
  }

  Task<void> pin_task(PinJob job) {
    auto started = clock.steady_now();
    auto outcome = co_await pin_in_kubo(kubo, job);
    observe("pin/add", started, outcome.result == JobResult::done || outcome.result == JobResult::cancelled);
    --pins_in_flight;
    record_pin(job.pin.cid, outcome);
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
    state.finish_pin(cid, outcome, clock.unix_now());
  }

  void start_unpin(const Cid& cid) {
    auto now = clock.unix_now();
    if (config.unpin_disable) {
      state.finish_unpin(cid, UnpinOutcome{JobResult::failed, "unpin_disable is set in the template"}, now);
      return;
    }
    if (!state.begin_unpin(cid, now)) return;
    switch (siblings.check(cid)) {
      case SiblingVerdict::wanted:
        log()->info("not unpinning {}: a sibling cluster under {} still wants it", cid.to_string(),
                    config.config_root.string());
        state.finish_unpin(cid, UnpinOutcome{JobResult::done, {}}, now);
        return;
      case SiblingVerdict::unknown:
        // Fail closed: the sibling might want it. Logged by Siblings once per change, not here.
        state.defer_unpin(cid, held_text(), now + sibling_retry_seconds, now);
        return;
      case SiblingVerdict::not_wanted: break;
    }
    ++unpins_in_flight;
    // Not cancelled by stop(): a pin/rm runs to its end or its timeout, as it cannot be taken back.
    tasks.spawn(unpin_task(cid), "unpin " + cid.to_string(), TaskSet::Cancel::no);
  }

  std::string held_text() const {
    std::string names;
    for (const auto& [name, why] : siblings.unreadable()) names += (names.empty() ? "" : ", ") + name;
    return "held: sibling cluster " + names + " cannot be read, and might want this CID";
  }

  Task<void> unpin_task(Cid cid) {
    auto started = clock.steady_now();
    auto outcome = co_await unpin_in_kubo(kubo, cid, config.unpin_timeout);
    observe("pin/rm", started, outcome.result == JobResult::done);
    --unpins_in_flight;
    if (outcome.result == JobResult::kubo_down) mark_kubo_down(outcome.error);
    if (outcome.result == JobResult::done) {
      ++unpins_done;
      log()->info("unpinned {}", cid.to_string());
    } else if (outcome.result == JobResult::failed) {
      log()->warn("unpin {} failed: {}", cid.to_string(), outcome.error);
    }
    state.finish_unpin(cid, outcome, clock.unix_now());
    notify();
  }

  // --- Kubo outages and drift -----------------------------------------------------------------

  void mark_kubo_down(const std::string& why) {
    if (kubo_down) return;
    kubo_down = true;
    next_probe = clock.steady_now() + kubo_probe_interval;
    log()->warn("Kubo is not answering ({}); pausing pins and unpins until it does", why);
  }

  void maybe_probe() {
    if (!kubo_down || probing || stopping || clock.steady_now() < next_probe) return;
    probing = true;
    tasks.spawn(probe_task(), "Kubo probe");
  }

  Task<void> probe_task() {
    auto answer = co_await kubo.id();
    probing = false;
    if (!answer) {
      next_probe = clock.steady_now() + kubo_probe_interval;
    } else {
      kubo_down = false;
      if (!stopping) log()->info("Kubo answers again; resuming");
    }
    notify();
  }

  void maybe_verify() {
    if (verifying || kubo_down || stopping || clock.steady_now() < next_verify) return;
    verifying = true;
    next_verify = clock.steady_now() + config.verify_interval;
    // Not cancelled by stop(): the listing ends by itself (ipfs_request_timeout at most).
    tasks.spawn(verify_task(), "verify", TaskSet::Cancel::no);
  }

  Task<void> verify_task() {
    auto started = clock.steady_now();
    auto listed_at = clock.unix_now();
    auto pins = co_await list_kubo_pins(kubo);
    observe("pin/ls", started, pins.has_value());
    verifying = false;
    if (!pins) {
      log()->warn("verify: could not list Kubo's pins: {}", pins.error().message());
      co_return;
    }
    auto drifted = state.mark_drift(*pins, listed_at, clock.unix_now());
    if (!drifted) log()->error("verify: {}", drifted.error().message());
    else if (*drifted > 0) log()->warn("verify: {} pins were no longer pinned in Kubo; re-pinning", *drifted);
    notify();
  }

  // --- the loop -------------------------------------------------------------------------------

  // How long the loop may sleep: until the next retry it could start, the next verify pass or
  // the next probe. Work that is due but waits for a free slot is started when a task ends,
  // which wakes the loop.
  SteadyDuration next_wait() {
    SteadyDuration wait = max_wait;
    auto until = [&wait](SteadyDuration d) { wait = std::clamp(d, SteadyDuration::zero(), wait); };
    auto steady = clock.steady_now();
    if (kubo_down) {
      if (!probing) until(next_probe - steady);
      return wait;
    }
    if (!verifying) until(next_verify - steady);
    if (!write_error.empty() && state.pending_writes() > 0) until(next_write - steady);
    auto now = clock.unix_now();
    auto until_due = [&](std::optional<Clock::time_point> due) {
      if (due && unix_seconds(*due) > now) until(std::chrono::seconds(unix_seconds(*due) - now));
    };
    if (pin_slot_free()) until_due(state.queue().next_pin_retry_due());
    if (unpin_slot_free()) until_due(state.queue().next_unpin_retry_due());
    return wait;
  }

  // Marks the loop ended however run() leaves, so that stop() never waits for it in vain.
  struct LoopScope {
    Impl& impl;
    explicit LoopScope(Impl& i) : impl(i) { impl.running = true; }
    ~LoopScope() {
      impl.running = false;
      impl.loop_ended.notify();
    }
  };

  Task<void> run() {
    LoopScope scope(*this);
    next_verify = clock.steady_now() + config.verify_interval;
    while (!stopping) {
      woken = false;
      dispatch();
      maybe_verify();
      maybe_probe();
      flush();
      if (woken) continue;
      wake_timer.expires_after(next_wait());
      co_await wake_timer.async_wait(use_tuple);
    }
  }

  Task<void> stop() {
    stopping = true;
    stop_source.request_stop();
    tasks.cancel();
    notify();
    co_await tasks.wait_idle();
    while (running) co_await loop_ended.wait();
    flush(true);
  }
};

namespace {

// The production constructor's Kubo, made before Impl so that Impl can hold a reference to it.
std::unique_ptr<KuboPins> rpc_pins(asio::thread_pool& pool, const ReconcilerConfig& config) {
  return std::make_unique<KuboRpcPins>(pool, config.kubo, static_cast<std::size_t>(max_concurrent_pins));
}

}  // namespace

Reconciler::Reconciler(asio::io_context& io, asio::thread_pool& pool, store::Store& db, ReconcilerConfig config) {
  auto kubo = rpc_pins(pool, config);
  auto& ref = *kubo;
  impl_ = std::make_unique<Impl>(io.get_executor(), db, std::move(kubo), ref, std::move(config),
                                 ReconcilerClock::system());
}

Reconciler::Reconciler(asio::any_io_executor executor, store::Store& db, KuboPins& kubo, ReconcilerConfig config,
                       ReconcilerClock clock)
    : impl_(std::make_unique<Impl>(executor, db, nullptr, kubo, std::move(config), std::move(clock))) {}

Reconciler::~Reconciler() = default;

Status Reconciler::start() { return impl_->state.load(impl_->clock.unix_now()); }

Status Reconciler::apply(const cluster::PinsetDiff& diff) {
  CF_TRY(impl_->state.apply(diff, impl_->clock.unix_now()));
  // Once stopping, the loop writes nothing more: a late change (a poll that was in flight)
  // is written here. The next start() queues its work.
  if (impl_->stopping) impl_->flush(true);
  impl_->notify();
  return ok();
}

Result<std::size_t> Reconciler::apply_changed(std::vector<cluster::Pin> puts) {
  CF_TRY_ASSIGN(changed, impl_->state.changed_only(std::move(puts)));
  if (changed.empty()) return std::size_t{0};
  const auto n = changed.size();
  CF_TRY(apply(cluster::PinsetDiff{.puts = std::move(changed), .removes = {}}));
  // Written now rather than by the loop: a source applying a big pinset in batches must not
  // pile up the statuses of all of them in memory.
  impl_->flush();
  return n;
}

Status Reconciler::for_each_desired_cid(const std::function<void(multiformats::Cid)>& on_cid) {
  return impl_->state.for_each_desired_cid(on_cid);
}

Result<std::vector<cluster::Pin>> Reconciler::desired_pinset() { return impl_->state.desired_pinset(); }

Task<void> Reconciler::run() { return impl_->run(); }

void Reconciler::wake() { impl_->notify(); }

void Reconciler::limit_pins(std::optional<int> max) {
  if (max) max = std::max(*max, 1);
  if (impl_->pin_cap == max) return;
  impl_->pin_cap = max;
  impl_->notify();
}

Task<void> Reconciler::stop() { return impl_->stop(); }

ReconcilerStats Reconciler::stats() const {
  const auto& i = *impl_;
  const auto& queue = i.state.queue();
  return ReconcilerStats{queue.new_pins(),    queue.retry_pins(), queue.unpins(),  i.pins_in_flight,
                         i.unpins_in_flight, i.pins_done,        i.pins_failed,   i.unpins_done,
                         i.bytes_pinned,     i.kubo_down,        i.write_error,   i.siblings.unreadable().size()};
}

}  // namespace cf::follower
