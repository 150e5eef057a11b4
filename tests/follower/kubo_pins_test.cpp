// KuboRpcPins, the production KuboPins, against a loopback HTTP fake: requests run on the
// thread pool, results come back on the caller's thread, Kubo's answers keep their meaning.
#include "cf/follower/kubo_pins.hpp"

#include <atomic>
#include <filesystem>
#include <optional>
#include <thread>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <gtest/gtest.h>

#include "cf/follower/kubo_jobs.hpp"
#include "support/http_test_server.hpp"
#include "support/slow_stream_server.hpp"

namespace cf::follower {
namespace {

using namespace std::chrono_literals;
using multiformats::Cid;
using test::HttpRequest;
using test::HttpTestServer;

constexpr const char* node_id = "12D3KooW9rxqumy8vqCxnNfpeyT7zHGae6srENFW2gip8LMw3TsX";
const Cid some_cid = *Cid::parse("QmT83xVyEEUPX1Kk8HxoZx7LtcKBB4xCyg729kYuYkSiJv");

kubo::ClientOptions options_for(std::uint16_t port) {
  kubo::ClientOptions o;
  o.endpoint = {"http://127.0.0.1:" + std::to_string(port), ""};
  o.timeout = 2s;
  return o;
}

// Runs `task` on an io_context on this thread until it ends, the pool doing Kubo's requests.
template <typename T>
T run(asio::io_context& io, Task<T> task) {
  std::optional<T> result;
  asio::co_spawn(
      io, [&]() -> Task<void> { result.emplace(co_await std::move(task)); },
      [](std::exception_ptr e) { EXPECT_FALSE(e); });
  io.run();
  io.restart();
  EXPECT_TRUE(result);
  return std::move(*result);
}

class KuboRpcPinsTest : public testing::Test {
 protected:
  asio::io_context io_;
  asio::thread_pool pool_{2};
  void TearDown() override { pool_.join(); }
};

TEST_F(KuboRpcPinsTest, RequestsRunOnThePoolAndAnswersComeBackOnTheCaller) {
  HttpTestServer server([](const HttpRequest&) {
    return test::make_reply(200, std::string(R"({"ID":")") + node_id + R"(","Addresses":[]})", "application/json");
  });
  KuboRpcPins kubo(pool_, options_for(server.port()));
  auto caller = std::this_thread::get_id();
  auto resumed_on = run(io_, [&]() -> Task<std::thread::id> {
    auto answer = co_await kubo.id();
    EXPECT_TRUE(answer) << answer.error().message();
    co_return std::this_thread::get_id();
  }());
  EXPECT_EQ(resumed_on, caller);
  EXPECT_EQ(server.request_count(), 1);
}

TEST_F(KuboRpcPinsTest, AKuboThatIsNotThereIsUnreachable) {
  test::ClosedPort closed;
  KuboRpcPins kubo(pool_, options_for(closed.port()));
  auto answer = run(io_, kubo.id());
  ASSERT_FALSE(answer);
  EXPECT_TRUE(is_kubo_unreachable(answer.error())) << answer.error().message();
}

TEST_F(KuboRpcPinsTest, ListsAndLooksUpPins) {
  HttpTestServer server([](const HttpRequest& req) {
    if (req.target.find("arg=") != std::string::npos) {
      return test::make_reply(500,
                              R"({"Message":"path 'QmT83xVyEEUPX1Kk8HxoZx7LtcKBB4xCyg729kYuYkSiJv' is not pinned",)"
                              R"("Code":0,"Type":"error"})",
                              "application/json");
    }
    return test::make_chunked_reply(
        200, {std::string(R"({"Cid":"QmT83xVyEEUPX1Kk8HxoZx7LtcKBB4xCyg729kYuYkSiJv","Type":"recursive"})") + "\n"},
        {{"X-Stream-Error", ""}});
  });
  KuboRpcPins kubo(pool_, options_for(server.port()));
  auto listed = run(io_, kubo.pin_ls(kubo::PinLsType::recursive));
  ASSERT_TRUE(listed) << listed.error().message();
  EXPECT_EQ(*listed, (std::unordered_set<Cid>{some_cid}));
  auto found = run(io_, kubo.pin_ls_one(some_cid, kubo::PinLsType::recursive));
  ASSERT_TRUE(found) << found.error().message();
  EXPECT_FALSE(*found);
}

TEST_F(KuboRpcPinsTest, UnpinningWhatIsNotPinnedSucceeds) {
  HttpTestServer server([](const HttpRequest&) {
    return test::make_reply(500, R"({"Message":"not pinned or pinned indirectly","Code":0,"Type":"error"})",
                            "application/json");
  });
  KuboRpcPins kubo(pool_, options_for(server.port()));
  auto removed = run(io_, kubo.pin_rm(some_cid, 1s));
  ASSERT_TRUE(removed) << removed.error().message();
  EXPECT_FALSE(removed->was_pinned);
}

TEST_F(KuboRpcPinsTest, AStopRequestedBeforehandEndsAPinAddAsCancelled) {
  HttpTestServer server([](const HttpRequest&) {
    return test::make_chunked_reply(200,
                                    {R"({"Progress":1,"Bytes":100})"
                                     "\n",
                                     R"({"Pins":["QmT83xVyEEUPX1Kk8HxoZx7LtcKBB4xCyg729kYuYkSiJv"]})"
                                     "\n"},
                                    {{"X-Stream-Error", ""}});
  });
  KuboRpcPins kubo(pool_, options_for(server.port()));
  std::stop_source stop;
  auto pinned = run(io_, kubo.pin_add(some_cid, kubo::PinAddOptions{}, stop.get_token()));
  ASSERT_TRUE(pinned) << pinned.error().message();
  EXPECT_EQ(pinned->progress.bytes, 100u);
  stop.request_stop();
  auto cancelled = run(io_, kubo.pin_add(some_cid, kubo::PinAddOptions{}, stop.get_token()));
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error(), cf::errc::cancelled) << cancelled.error().message();
}

constexpr const char* tick = R"({"Progress":1,"Bytes":100})" "\n";
constexpr const char* pinned = R"({"Pins":["QmT83xVyEEUPX1Kk8HxoZx7LtcKBB4xCyg729kYuYkSiJv"]})" "\n";

std::size_t thread_count() {
  auto tasks = std::filesystem::directory_iterator("/proc/self/task");
  return static_cast<std::size_t>(std::distance(begin(tasks), end(tasks)));
}

kubo::PinAddOptions slow_pin_options() {
  kubo::PinAddOptions options;
  options.pin_timeout = 30s;
  return options;
}

// Issue 11: a pin in flight used to hold a pool thread for as long as Kubo streamed, so
// concurrent_pins was a thread count. 200 pin/adds must stream at once on a 2-thread pool.
TEST_F(KuboRpcPinsTest, ManyPinAddsStreamAtOnceWithoutAThreadEach) {
  constexpr int n = 200;
  test::SlowStreamServer server(tick, pinned);
  auto before = thread_count();
  KuboRpcPins kubo(pool_, options_for(server.port()));
  std::atomic<int> succeeded{0}, failed{0};
  for (int i = 0; i < n; ++i) {
    asio::co_spawn(io_, [&]() -> Task<void> {
      auto r = co_await kubo.pin_add(some_cid, slow_pin_options(), {});
      (r && r->pins == std::vector<Cid>{some_cid} ? succeeded : failed) += 1;
    }, asio::detached);
  }
  std::thread loop([this] { io_.run(); });
  bool all_open = server.wait_open(n, 20s);
  auto during = thread_count();
  server.release();
  loop.join();
  EXPECT_TRUE(all_open) << "at most " << server.max_open() << " pin/adds streamed at once";
  EXPECT_EQ(succeeded, n);
  EXPECT_EQ(failed, 0);
  // The io thread and the runner's thread (the pool's two existed before).
  EXPECT_LE(during, before + 2) << "threads before " << before << ", during " << during;
  RecordProperty("threads_before", static_cast<int>(before));
  RecordProperty("threads_during", static_cast<int>(during));
}

TEST_F(KuboRpcPinsTest, AStopRequestEndsAPinAddInFlightWithinASecond) {
  test::SlowStreamServer server(tick, pinned);  // never released: Kubo keeps fetching
  KuboRpcPins kubo(pool_, options_for(server.port()));
  std::stop_source stop;
  std::optional<Result<kubo::PinAddResult>> result;
  std::atomic<std::chrono::steady_clock::time_point> ended{};
  asio::co_spawn(io_, [&]() -> Task<void> {
    result.emplace(co_await kubo.pin_add(some_cid, slow_pin_options(), stop.get_token()));
    ended = std::chrono::steady_clock::now();
  }, asio::detached);
  std::thread loop([this] { io_.run(); });
  ASSERT_TRUE(server.wait_open(1, 10s));
  auto stopped_at = std::chrono::steady_clock::now();
  stop.request_stop();
  loop.join();
  ASSERT_TRUE(result);
  ASSERT_FALSE(*result);
  EXPECT_EQ(result->error(), cf::errc::cancelled) << result->error().message();
  EXPECT_LT(ended.load() - stopped_at, 1s);
  EXPECT_TRUE(server.wait_open(0, 5s, false)) << "the pin/add kept its connection to Kubo";
}

}  // namespace
}  // namespace cf::follower
