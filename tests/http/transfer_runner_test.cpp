// TransferRunner: transfers configured like http::Client's, many at once on one thread, each
// awaited as a coroutine; cancellation takes a running stream off within a second.
#include "cf/http/transfer_runner.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include "support/http_test_server.hpp"
#include "support/slow_stream_server.hpp"

namespace cf::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

Request post(std::string url) {
  Request r;
  r.method = Method::post;
  r.url = std::move(url);
  return r;
}

std::string url_of(const test::SlowStreamServer& server) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + "/stream";
}

std::size_t thread_count() {
  auto tasks = std::filesystem::directory_iterator("/proc/self/task");
  return static_cast<std::size_t>(std::distance(begin(tasks), end(tasks)));
}

// Runs `task` on `io` on this thread until it ends.
template <typename T>
T run(asio::io_context& io, Task<T> task) {
  std::optional<T> result;
  asio::co_spawn(io, [&]() -> Task<void> { result.emplace(co_await std::move(task)); },
                 [](std::exception_ptr e) { EXPECT_FALSE(e); });
  io.run();
  io.restart();
  EXPECT_TRUE(result);
  return std::move(*result);
}

TEST(TransferRunner, PerformsARequestLikeTheBlockingClient) {
  test::HttpRequest seen;
  test::HttpTestServer server([&](const test::HttpRequest& req) {
    seen = req;
    return test::make_reply(200, "hello", "text/plain", {{"X-Test", "yes"}});
  });
  TransferRunner runner;
  asio::io_context io;
  auto caller = std::this_thread::get_id();
  auto answer = run(io, [&]() -> Task<std::pair<Result<Response>, std::thread::id>> {
    auto r = co_await runner.perform(post(server.url("/api/v0/id?arg=x")));
    co_return std::pair{std::move(r), std::this_thread::get_id()};
  }());
  ASSERT_TRUE(answer.first) << answer.first.error().message();
  EXPECT_EQ(answer.first->status, 200);
  EXPECT_EQ(answer.first->body, "hello");
  EXPECT_EQ(answer.first->header("x-test"), "yes");
  EXPECT_EQ(answer.second, caller);  // resumed on the caller's executor
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/api/v0/id?arg=x");
  EXPECT_EQ(seen.header("User-Agent"), default_user_agent());
}

TEST(TransferRunner, KeepsTheBodyCapAndTheTrailers) {
  test::HttpTestServer server([](const test::HttpRequest&) {
    return test::make_chunked_reply(200, {"abc", "def"}, {{"X-Stream-Error", "boom"}});
  });
  TransferRunner runner;
  asio::io_context io;
  auto ok = run(io, runner.perform(post(server.url("/"))));
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->body, "abcdef");
  EXPECT_EQ(ok->trailer("X-Stream-Error"), "boom");
  auto capped_request = post(server.url("/"));
  capped_request.max_body = 4;
  auto capped = run(io, runner.perform(capped_request));
  ASSERT_FALSE(capped);
  EXPECT_EQ(capped.error(), errc::too_large) << capped.error().message();
}

TEST(TransferRunner, RefusesAKuboUserAgentAndReportsARefusedConnection) {
  asio::io_context io;
  TransferRunner kubo_ua(RunnerOptions{.user_agent = "kubo/0.30.0/ (via /kubo/)"});
  auto refused = run(io, kubo_ua.perform(post("http://127.0.0.1:1/")));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), errc::invalid_request);
  TransferRunner runner;
  auto closed = run(io, runner.perform(post("http://127.0.0.1:1/")));
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error(), errc::connect_failed) << closed.error().message();
}

TEST(TransferRunner, CancelsAStreamThatNeverEndsWithinASecond) {
  test::SlowStreamServer server("tick\n", "end\n");
  TransferRunner runner;
  asio::io_context io;
  std::stop_source stop;
  std::atomic<Clock::time_point> stopped_at{};
  std::string received;
  // The first chunk asks to stop (on the runner's thread, as a shutdown would from elsewhere).
  auto on_chunk = [&](const Response&, std::string_view chunk) {
    received.append(chunk);
    if (!stop.stop_requested()) {
      stopped_at = Clock::now();
      stop.request_stop();
    }
    return true;
  };
  auto r = run(io, runner.stream(post(url_of(server)), on_chunk, stop.get_token()));
  auto took = Clock::now() - stopped_at.load();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::cancelled) << r.error().message();
  EXPECT_EQ(received, "tick\n");
  EXPECT_LT(took, 1s);
  EXPECT_TRUE(server.wait_open(0, 5s, false)) << "the connection was not closed";
  EXPECT_EQ(runner.running(), 0u);
}

TEST(TransferRunner, AsioCancellationEndsAStreamToo) {
  test::SlowStreamServer server("tick\n", "end\n");
  TransferRunner runner;
  asio::io_context io;
  auto r = run(io, with_timeout(runner.stream(post(url_of(server)), nullptr), 200ms, "the stream"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), cf::errc::timed_out);
  EXPECT_TRUE(server.wait_open(0, 2s, false)) << "the cancelled transfer kept its connection";
}

TEST(TransferRunner, AStreamThatGoesQuietStalls) {
  test::SlowStreamServer server("tick\n", "end\n");
  TransferRunner runner;
  asio::io_context io;
  auto request = post(url_of(server));
  request.idle_timeout = 300ms;
  auto r = run(io, runner.stream(request, [](const Response&, std::string_view) { return true; }));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::stalled) << r.error().message();
}

// Starts `n` streams on an io_context run by a thread of its own; returns their results once
// the server has released them.
struct ManyStreams {
  asio::io_context io;
  std::atomic<int> succeeded{0}, failed{0};
  std::thread thread;

  void start(TransferRunner& runner, const std::string& url, int n) {
    for (int i = 0; i < n; ++i) {
      asio::co_spawn(io, [&runner, url, this]() -> Task<void> {
        auto r = co_await runner.perform(post(url));
        (r && r->body == "tick\nend\n" ? succeeded : failed) += 1;
      }, asio::detached);
    }
    thread = std::thread([this] { io.run(); });
  }
};

TEST(TransferRunner, RunsManyStreamsAtOnceOnOneThread) {
  constexpr int n = 200;
  test::SlowStreamServer server("tick\n", "end\n");
  auto before = thread_count();
  TransferRunner runner;
  ManyStreams streams;
  streams.start(runner, url_of(server), n);
  ASSERT_TRUE(server.wait_open(n, 20s)) << "only " << server.open() << " streams open at once";
  auto during = thread_count();
  EXPECT_EQ(runner.running(), static_cast<std::size_t>(n));
  server.release();
  streams.thread.join();
  EXPECT_EQ(streams.succeeded, n);
  EXPECT_EQ(streams.failed, 0);
  // The runner's thread and the io thread; the server's thread existed before.
  EXPECT_LE(during, before + 2) << "threads before " << before << ", during " << during;
  RecordProperty("threads_before", static_cast<int>(before));
  RecordProperty("threads_during", static_cast<int>(during));
}

TEST(TransferRunner, KeepsToItsLimitAndQueuesTheRest) {
  test::SlowStreamServer server("tick\n", "end\n");
  TransferRunner runner(RunnerOptions{.max_concurrent = 2});
  ManyStreams streams;
  streams.start(runner, url_of(server), 5);
  ASSERT_TRUE(server.wait_open(2, 10s));
  server.release();
  streams.thread.join();
  EXPECT_EQ(streams.succeeded, 5);
  EXPECT_EQ(server.max_open(), 2u);
  EXPECT_EQ(server.accepted(), 5u);
}

TEST(TransferRunner, DestroyingItCancelsWhatIsQueuedAndRunning) {
  test::SlowStreamServer server("tick\n", "end\n");
  asio::io_context io;
  std::vector<std::optional<Result<Response>>> results(3);
  {
    TransferRunner runner(RunnerOptions{.max_concurrent = 1});
    for (auto& slot : results) {
      asio::co_spawn(io, [&runner, &slot, url = url_of(server)]() -> Task<void> {
        slot.emplace(co_await runner.perform(post(url)));
      }, asio::detached);
    }
    io.poll();  // submits all three
    ASSERT_TRUE(server.wait_open(1, 10s));
  }
  io.run();
  for (auto& r : results) {
    ASSERT_TRUE(r);
    ASSERT_FALSE(*r);
    EXPECT_EQ(r->error(), errc::cancelled) << r->error().message();
  }
}

}  // namespace
}  // namespace cf::http
