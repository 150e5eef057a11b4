// Coroutine ownership helpers for every long-lived object (style-anchors §3.4, §8.4).
// Signal: an event. wait() suspends until notify(), the deadline of wait_until(), or
// cancellation; notify() wakes every waiter (each waits on a timer of its own, so waiters never
// disturb each other); a notify() with no waiter is lost, so waiters test their condition first
// (everything runs on one single-threaded executor, so nothing happens between the test and the
// wait).
// TaskSet: the owner of a group of detached coroutines. Every task gets a cancellation slot;
// cancel() emits terminal cancellation to all tasks spawned with Cancel::yes; wait_idle()
// returns when every task has ended. Exceptions are logged, never rethrown. The shared state
// outlives the owner, so a completion arriving after the owner died touches nothing freed.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <string>

#include <asio/any_io_executor.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include "cf/base/task.hpp"

namespace cf {

class Signal {
 public:
  explicit Signal(asio::any_io_executor executor)
      : executor_(std::move(executor)), waiters_(std::make_shared<Waiters>()) {}
  void notify() {
    for (auto* timer : *waiters_) timer->cancel();
  }
  Task<void> wait() { return wait_until(asio::steady_timer::time_point::max()); }
  Task<void> wait_until(asio::steady_timer::time_point deadline) {
    asio::steady_timer timer(executor_, deadline);
    // Shared with the waiter, so that a frame destroyed after the Signal touches nothing freed.
    struct Registration {
      std::shared_ptr<Waiters> waiters;
      Waiters::iterator it;
      ~Registration() { waiters->erase(it); }
    } registration{waiters_, waiters_->insert(waiters_->end(), &timer)};
    co_await timer.async_wait(use_tuple);
  }

 private:
  using Waiters = std::list<asio::steady_timer*>;
  asio::any_io_executor executor_;
  std::shared_ptr<Waiters> waiters_;
};

// True when the current coroutine has been asked to stop (split in two statements: g++ 12).
// Note: awaiting any coroutine after cancellation, this one included, throws operation_aborted
// in asio 1.22 (throw_if_cancelled), which is how a cancelled task usually ends; code that must
// clean up on cancellation reads `co_await asio::this_coro::cancellation_state` directly or
// holds its cleanup in a destructor.
inline Task<bool> stop_requested() {
  auto state = co_await asio::this_coro::cancellation_state;
  auto cancelled = state.cancelled();
  co_return cancelled != asio::cancellation_type::none;
}

class TaskSet {
 public:
  enum class Cancel : bool { no = false, yes = true };

  TaskSet(asio::any_io_executor executor, std::shared_ptr<spdlog::logger> log);

  void spawn(Task<void> task, std::string name, Cancel cancel = Cancel::yes);
  void cancel();
  std::size_t size() const { return shared_->entries.size(); }
  // Returns when no task is left (tasks spawned meanwhile are waited for too).
  Task<void> wait_idle();

 private:
  struct Entry {
    asio::cancellation_signal signal;
    std::string name;
    bool cancellable = true;
  };
  struct Shared {
    explicit Shared(const asio::any_io_executor& ex) : idle(ex) {}
    std::list<Entry> entries;
    Signal idle;
  };
  asio::any_io_executor executor_;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace cf
