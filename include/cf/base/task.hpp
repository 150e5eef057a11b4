// Coroutine vocabulary on standalone Asio 1.22 (style-anchors §3, §7): Task<T>, the
// error-code-returning completion token, and with_timeout, which races an operation against a
// deadline (asio 1.22 has no cancel_after).
#pragma once

#include <chrono>
#include <optional>
#include <utility>
#include <variant>

#include <asio/awaitable.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "cf/base/errc.hpp"
#include "cf/base/result.hpp"

namespace cf {

template <typename T>
using Task = asio::awaitable<T>;

// Completion token that returns (error_code, values...) as a tuple instead of throwing.
inline constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

namespace detail {
inline Task<void> sleep_for(std::chrono::steady_clock::duration d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(use_tuple);
}
}  // namespace detail

// Runs `op`; if `timeout` passes first, `op` is cancelled (its pending asio operations
// complete with operation_aborted) and the result is cf::errc::timed_out naming `what`.
// R is a Result<T> or a Status.
template <typename R>
Task<R> with_timeout(Task<R> op, std::chrono::steady_clock::duration timeout, std::string what) {
  using namespace asio::experimental::awaitable_operators;
  auto winner = co_await (std::move(op) || detail::sleep_for(timeout));
  if (winner.index() == 0) co_return std::move(std::get<0>(winner));
  co_return Error(errc::timed_out,
                  what + " timed out after " +
                      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()) + " ms");
}

}  // namespace cf
