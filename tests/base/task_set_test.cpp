#include "cf/base/task_set.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <gtest/gtest.h>

namespace cf {
namespace {

using namespace std::chrono_literals;

Task<void> wait_once(Signal& signal, int& woken) {
  co_await signal.wait();
  ++woken;
}

TEST(Signal, NotifyWakesEveryWaiterAndWaitersDoNotDisturbEachOther) {
  asio::io_context io;
  Signal signal(io.get_executor());
  int woken = 0;
  for (int i = 0; i < 3; ++i) asio::co_spawn(io, wait_once(signal, woken), asio::detached);
  // Before the notify, the three waiters must all stay asleep: with one shared timer each
  // new waiter used to cancel the one before, and they woke each other in a loop.
  const auto handlers = io.run_for(50ms);
  EXPECT_EQ(woken, 0);
  EXPECT_LT(handlers, 10u) << "waiters woke each other";
  signal.notify();
  io.run_for(50ms);
  EXPECT_EQ(woken, 3);
}

TEST(Signal, WaitUntilEndsAtItsDeadline) {
  asio::io_context io;
  Signal signal(io.get_executor());
  bool done = false;
  asio::co_spawn(io, [&]() -> Task<void> {
    co_await signal.wait_until(std::chrono::steady_clock::now() + 10ms);
    done = true;
  }, asio::detached);
  io.run_for(1s);
  EXPECT_TRUE(done);
}

TEST(TaskSet, TwoWaitersOfWaitIdleBothReturnWhenTheLastTaskEnds) {
  asio::io_context io;
  TaskSet tasks(io.get_executor(), spdlog::default_logger());
  Signal release(io.get_executor());
  int waited = 0;
  tasks.spawn([](Signal& r) -> Task<void> { co_await r.wait(); }(release), "held");
  auto waiter = [](TaskSet& t, int& n) -> Task<void> {
    co_await t.wait_idle();
    ++n;
  };
  asio::co_spawn(io, waiter(tasks, waited), asio::detached);
  asio::co_spawn(io, waiter(tasks, waited), asio::detached);
  const auto handlers = io.run_for(50ms);
  EXPECT_EQ(waited, 0);
  EXPECT_LT(handlers, 20u) << "the two waiters must not spin";
  release.notify();
  io.run_for(50ms);
  EXPECT_EQ(waited, 2);
}

}  // namespace
}  // namespace cf
