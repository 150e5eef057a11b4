#include "cf/base/task.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <gtest/gtest.h>

namespace cf {
namespace {

using namespace std::chrono_literals;

Task<Result<int>> answer_after(std::chrono::milliseconds d, int value) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  auto [ec] = co_await timer.async_wait(use_tuple);
  if (ec) co_return Error(ec, "cancelled");
  co_return value;
}

template <typename T>
T run(Task<T> task) {
  asio::io_context io;
  std::optional<T> out;
  asio::co_spawn(io, [&]() -> Task<void> { out.emplace(co_await std::move(task)); }, asio::detached);
  io.run();
  return std::move(*out);
}

TEST(WithTimeout, ReturnsTheResultWhenInTime) {
  auto r = run(with_timeout(answer_after(1ms, 42), 1s, "answer"));
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 42);
}

TEST(WithTimeout, TimesOutAndCancelsTheOperation) {
  auto r = run(with_timeout(answer_after(10s, 42), 20ms, "slow answer"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::timed_out);
  EXPECT_EQ(r.error().message(), "slow answer timed out after 20 ms");
}

}  // namespace
}  // namespace cf
