// Running blocking work (libcurl requests to Kubo, SQLite reads of another cluster's state.db)
// on a thread pool from a coroutine on the network thread, and resuming there with the result.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include <asio/co_spawn.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_awaitable.hpp>

namespace cf {

// Runs `work()` on `pool` and returns its result to the awaiting coroutine. The caller must
// keep everything `work` references alive until this returns, and must join the pool before
// destroying those objects on shutdown (a stopped io_context abandons the awaiting frame, but
// the pool thread still finishes `work`).
template <typename F>
asio::awaitable<std::invoke_result_t<F&>> run_blocking(asio::thread_pool& pool, F work) {
  using T = std::invoke_result_t<F&>;
  // co_spawn needs a default-constructible result; Result<T> is not, hence the optional.
  std::optional<T> result;
  co_await asio::co_spawn(
      pool,
      [&]() -> asio::awaitable<void> {
        result.emplace(work());
        co_return;
      },
      asio::use_awaitable);
  co_return std::move(*result);
}

}  // namespace cf
