// pin_add against loopback fakes: the stream shapes and timings a real Kubo produces only by
// chance (a stall at a constant count, silence after the headers, a trailer error after
// progress). The real-Kubo pins are in tests/lab/kubo_connector_test.sh.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <stop_token>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include "cf/base/errc.hpp"
#include "cf/http/transfer_runner.hpp"
#include "cf/kubo/client.hpp"
#include "fake_stream_server.hpp"
#include "fixtures.hpp"
#include "support/http_test_server.hpp"

namespace cf::kubo {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::cid;
using test::client_for;
using test::FakeStreamServer;
using test::StreamScript;

PinAddOptions quick(std::chrono::milliseconds pin_timeout = 300ms) {
  PinAddOptions o;
  o.pin_timeout = pin_timeout;
  return o;
}

TEST(KuboPinAdd, ProgressThenPinsSucceedsAndReportsEveryTick) {
  std::string target;
  cf::test::HttpTestServer server([&](const cf::test::HttpRequest& req) {
    target = req.target;
    EXPECT_EQ(req.method, "POST");
    return cf::test::make_chunked_reply(
        200,
        {"{}\n", "{\"Progress\":3,\"Bytes\":3072}\n{\"Progress\":7,", "\"Bytes\":7168}\n",
         std::string("{\"Pins\":[\"") + test::cid_v0 + "\"]}\n"},
        {{"X-Stream-Error", ""}});
  });
  std::vector<PinProgress> ticks;
  auto options = quick();
  options.on_progress = [&](const PinProgress& p) { ticks.push_back(p); };
  auto r = client_for(server.port()).pin_add(cid(test::cid_v0), options);
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_EQ(r->pins.size(), 1u);
  EXPECT_EQ(r->pins[0], cid(test::cid_v0));
  EXPECT_EQ(r->progress, (PinProgress{7, 7168}));
  // The first tick is {} (Kubo omits zero fields), and a line split across chunks is whole.
  EXPECT_EQ(ticks, (std::vector<PinProgress>{{0, 0}, {3, 3072}, {7, 7168}}));
  EXPECT_EQ(target, std::string("/api/v0/pin/add?arg=") + test::cid_v0 +
                        "&recursive=true&progress=true");
}

TEST(KuboPinAdd, AGrowingPinIsNeverCutHoweverLongItTakes) {
  StreamScript script;
  for (int i = 1; i <= 8; ++i) script.chunks.push_back("{\"Progress\":" + std::to_string(i) + "}\n");
  script.chunks.push_back(std::string("{\"Pins\":[\"") + test::cid_v1 + "\"]}\n");
  script.interval = 100ms;  // 900 ms in all, three times pin_timeout
  FakeStreamServer server(script);
  auto r = client_for(server.port(), 100ms).pin_add(cid(test::cid_v1), quick());
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->progress.nodes, 8u);
  EXPECT_EQ(r->progress.bytes, 0u);  // Kubo < 0.40 sends no Bytes
}

TEST(KuboPinAdd, AStallAtAConstantCountIsCutAfterPinTimeout) {
  StreamScript script;
  script.chunks = {"{\"Progress\":1}\n", "{\"Progress\":5,\"Bytes\":5000}\n"};
  script.interval = 50ms;
  script.end = StreamScript::End::repeat_last;  // ticks keep coming, the count stays at 5
  FakeStreamServer server(script);
  auto start = Clock::now();
  auto r = client_for(server.port()).pin_add(cid(test::cid_v1), quick());
  auto took = Clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::pin_timeout);
  EXPECT_NE(r.error().message().find("no progress for 300 ms (5 blocks, 5000 bytes fetched)"),
            std::string::npos)
      << r.error().message();
  EXPECT_GE(took, 350ms);  // 300 ms after the count last grew (at ~100 ms)
  EXPECT_LT(took, 1s);     // checked on every tick, not on a coarse watcher
}

TEST(KuboPinAdd, KeepGoingFalseStopsAGrowingPin) {
  StreamScript script;
  for (int i = 1; i <= 50; ++i) script.chunks.push_back("{\"Progress\":" + std::to_string(i) + "}\n");
  script.interval = 20ms;
  FakeStreamServer server(script);
  int ticks = 0;
  auto options = quick(5s);
  options.on_progress = [&](const PinProgress&) { ++ticks; };
  options.keep_going = [&] { return ticks < 3; };  // shutdown arrives after the third tick
  auto r = client_for(server.port()).pin_add(cid(test::cid_v1), options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), cf::errc::cancelled) << r.error().message();
  EXPECT_EQ(ticks, 3);
}

TEST(KuboPinAdd, HeadersThenSilenceIsCutAfterPinTimeout) {
  StreamScript script;
  script.end = StreamScript::End::hold;
  FakeStreamServer server(script);
  auto start = Clock::now();
  auto r = client_for(server.port()).pin_add(cid(test::cid_v1), quick());
  auto took = Clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::pin_timeout) << r.error().message();
  EXPECT_NE(r.error().message().find("nothing received for 300 ms"), std::string::npos)
      << r.error().message();
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 3s);  // the idle check runs about once a second
}

TEST(KuboPinAdd, StreamErrorTrailerAfterProgressIsAFailure) {
  cf::test::HttpTestServer server([](const cf::test::HttpRequest&) {
    return cf::test::make_chunked_reply(
        200, {"{\"Progress\":2}\n", "{\"Progress\":4}\n"},
        {{"X-Stream-Error", "merkledag: not found"}});
  });
  auto r = client_for(server.port()).pin_add(cid(test::cid_v1), quick());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::stream_error);
  EXPECT_NE(r.error().message().find("/api/v0/pin/add: merkledag: not found"), std::string::npos)
      << r.error().message();
}

TEST(KuboPinAdd, TheTrailerWinsEvenAfterPins) {
  cf::test::HttpTestServer server([](const cf::test::HttpRequest&) {
    return cf::test::make_chunked_reply(
        200, {std::string("{\"Pins\":[\"") + test::cid_v1 + "\"]}\n"},
        {{"X-Stream-Error", "context canceled"}});
  });
  EXPECT_EQ(client_for(server.port()).pin_add(cid(test::cid_v1), quick()).error(),
            errc::stream_error);
}

TEST(KuboPinAdd, ACleanEndWithoutPinsIsNotAPin) {
  cf::test::HttpTestServer server([](const cf::test::HttpRequest&) {
    return cf::test::make_chunked_reply(200, {"{\"Progress\":2}\n"}, {{"X-Stream-Error", ""}});
  });
  auto r = client_for(server.port()).pin_add(cid(test::cid_v1), quick());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::bad_response);
  EXPECT_NE(r.error().message().find("without Kubo's final"), std::string::npos);
}

TEST(KuboPinAdd, MalformedLinesAreBadResponses) {
  for (const char* line : {"not json\n", "[1]\n", "{\"Progress\":-1}\n", "{\"Pins\":[\"nope\"]}\n",
                           "{\"Pins\":\"x\"}\n"}) {
    cf::test::HttpTestServer server([&](const cf::test::HttpRequest&) {
      return cf::test::make_chunked_reply(200, {line}, {});
    });
    auto r = client_for(server.port()).pin_add(cid(test::cid_v1), quick());
    ASSERT_FALSE(r) << line;
    EXPECT_EQ(r.error(), errc::bad_response) << line << r.error().message();
  }
}

// On main a progress tick or Pins value nested ~70,000 levels deep (140 KB, under the 1 MiB
// line cap) was quoted with doc.dump() in the error, which recursed once per level and crashed
// the pin path. Now the line is refused before a document is built, and no error quotes a value.
TEST(KuboPinAdd, DeeplyNestedLinesAreRefusedWithoutQuotingThem) {
  // Objects: 70,000 levels of them overflow an 8 MiB stack in dump() (420 KB, under the 1 MiB
  // line cap); arrays need more levels, 300,000 (600 KB).
  std::string objects;
  for (int i = 0; i < 70'000; ++i) objects += "{\"a\":";
  objects += '0';
  objects.append(70'000, '}');
  const std::string arrays = std::string(300'000, '[') + std::string(300'000, ']');
  for (const auto& line : {"{\"Progress\":" + objects + "}\n", "{\"Progress\":" + arrays + "}\n",
                           "{\"Pins\":" + objects + "}\n", objects + "\n"}) {
    cf::test::HttpTestServer server([&](const cf::test::HttpRequest&) {
      return cf::test::make_chunked_reply(200, {line}, {});
    });
    auto r = client_for(server.port()).pin_add(cid(test::cid_v1), quick());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::bad_response);
    EXPECT_NE(r.error().message().find("JSON nested deeper than 128 levels"), std::string::npos)
        << r.error().message().substr(0, 300);
    EXPECT_LT(r.error().message().size(), 300u);
  }
}

TEST(KuboPinAdd, BadTicksAreDescribedNotQuoted) {
  const std::pair<std::string, std::string> cases[] = {
      {R"({"Progress":"secret-text"})", "bad progress tick: Progress is a string of 11 bytes, not a count"},
      {R"({"Progress":1,"Bytes":[1,2,3]})", "bad progress tick: Bytes is an array of 3 items, not a count"},
      {R"({"Progress":-5})", "bad progress tick: Progress is a negative integer, not a count"},
      {R"({"Pins":{"a":"secret-text"}})", "Pins is not a list but an object of 1 key"},
  };
  for (const auto& [line, want] : cases) {
    cf::test::HttpTestServer server([&](const cf::test::HttpRequest&) {
      return cf::test::make_chunked_reply(200, {line + "\n"}, {});
    });
    auto r = client_for(server.port()).pin_add(cid(test::cid_v1), quick());
    ASSERT_FALSE(r) << line;
    EXPECT_NE(r.error().message().find(want), std::string::npos) << r.error().message();
    EXPECT_EQ(r.error().message().find("secret-text"), std::string::npos) << r.error().message();
  }
}

TEST(KuboPinAdd, JsonErrorAndPlainTextRejection) {
  cf::test::HttpTestServer json([](const cf::test::HttpRequest&) {
    return cf::test::make_reply(
        500, R"({"Message":"pin: invalid path \"x\": invalid cid","Code":0,"Type":"error"})",
        "application/json", {{"Trailer", "X-Stream-Error"}});
  });
  auto r = client_for(json.port()).pin_add(cid(test::cid_v1), quick());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::api_error);
  EXPECT_NE(r.error().message().find("pin: invalid path \"x\": invalid cid (HTTP 500)"),
            std::string::npos)
      << r.error().message();

  cf::test::HttpTestServer forbidden([](const cf::test::HttpRequest&) {
    return cf::test::make_reply(403, "403 - Forbidden");
  });
  auto f = client_for(forbidden.port()).pin_add(cid(test::cid_v1), quick());
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error(), errc::http_error);
  EXPECT_NE(f.error().message().find("403 - Forbidden (HTTP 403)"), std::string::npos);
}

TEST(KuboPinAdd, UnreachableKubo) {
  cf::test::ClosedPort closed;
  auto r = client_for(closed.port()).pin_add(cid(test::cid_v1), quick());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::unreachable);
}

std::string target_for(const PinAddOptions& options) {
  std::string target;
  cf::test::HttpTestServer server([&](const cf::test::HttpRequest& req) {
    target = req.target;
    return cf::test::make_chunked_reply(
        200, {std::string("{\"Pins\":[\"") + test::cid_v1 + "\"]}\n"}, {});
  });
  auto r = client_for(server.port()).pin_add(cid(test::cid_v1), options);
  EXPECT_TRUE(r) << r.error().message();
  return target;
}

TEST(KuboPinAdd, ModesAsUpstreamSendsThem) {
  auto base = std::string("/api/v0/pin/add?arg=") + test::cid_v1;
  auto o = quick();
  o.mode = PinMode::direct();
  EXPECT_EQ(target_for(o), base + "&recursive=false&progress=true");
  o.mode = PinMode::max_depth(3);  // Kubo drops max-depth; upstream sends it all the same
  EXPECT_EQ(target_for(o), base + "&recursive=true&max-depth=3&progress=true");
  o.mode = PinMode::max_depth(-1);
  EXPECT_EQ(o.mode, PinMode::recursive());
  EXPECT_EQ(PinMode::max_depth(0), PinMode::direct());
}

TEST(KuboPinAdd, NameIsEscapedAndTruncatedTo255Bytes) {
  auto base = std::string("/api/v0/pin/add?arg=") + test::cid_v1 + "&recursive=true&progress=true";
  auto o = quick();
  o.name = "cluster-follow/my cluster & co=1";
  EXPECT_EQ(target_for(o), base + "&name=cluster-follow%2Fmy%20cluster%20%26%20co%3D1");

  o.name = std::string(300, 'a');
  EXPECT_EQ(target_for(o), base + "&name=" + std::string(255, 'a'));

  // 254 ASCII bytes then "é" (2 bytes): the character would straddle byte 255, so it goes.
  o.name = std::string(254, 'b') + "\xc3\xa9";
  EXPECT_EQ(target_for(o), base + "&name=" + std::string(254, 'b'));
}

// The coroutine form, through an http::TransferRunner: the same stream judged the same way.
template <typename T>
T run_async(Task<T> task) {
  asio::io_context io;
  std::optional<T> result;
  asio::co_spawn(io, [&]() -> Task<void> { result.emplace(co_await std::move(task)); },
                 [](std::exception_ptr e) { EXPECT_FALSE(e); });
  io.run();
  EXPECT_TRUE(result);
  return std::move(*result);
}

TEST(KuboPinAddAsync, ProgressThenPinsSucceeds) {
  StreamScript script;
  script.chunks = {"{}\n", "{\"Progress\":3,\"Bytes\":3072}\n", std::string("{\"Pins\":[\"") + test::cid_v0 + "\"]}\n"};
  FakeStreamServer server(script);
  http::TransferRunner runner;
  auto client = client_for(server.port());
  auto r = run_async(client.pin_add(runner, cid(test::cid_v0), quick()));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->pins, std::vector<multiformats::Cid>{cid(test::cid_v0)});
  EXPECT_EQ(r->progress, (PinProgress{3, 3072}));
  EXPECT_EQ(server.last_target(), std::string("/api/v0/pin/add?arg=") + test::cid_v0 + "&recursive=true&progress=true");
}

TEST(KuboPinAddAsync, ErrorsKeepTheirMeaning) {
  http::TransferRunner runner;
  {
    cf::test::HttpTestServer server([](const cf::test::HttpRequest&) {
      return cf::test::make_chunked_reply(200, {"{\"Progress\":2}\n"}, {{"X-Stream-Error", "merkledag: not found"}});
    });
    auto client = client_for(server.port());
    auto r = run_async(client.pin_add(runner, cid(test::cid_v1), quick()));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::stream_error) << r.error().message();
  }
  {
    StreamScript script;
    script.end = StreamScript::End::hold;
    FakeStreamServer server(script);
    auto client = client_for(server.port());
    auto r = run_async(client.pin_add(runner, cid(test::cid_v1), quick()));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::pin_timeout) << r.error().message();
    EXPECT_NE(r.error().message().find("nothing received for 300 ms"), std::string::npos) << r.error().message();
  }
  {
    cf::test::ClosedPort closed;
    auto client = client_for(closed.port());
    auto r = run_async(client.pin_add(runner, cid(test::cid_v1), quick()));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::unreachable) << r.error().message();
  }
}

TEST(KuboPinAddAsync, AStopRequestCutsAStreamWithinASecond) {
  StreamScript script;
  script.chunks = {"{\"Progress\":1}\n"};
  script.end = StreamScript::End::hold;  // Kubo goes on fetching, silently
  FakeStreamServer server(script);
  http::TransferRunner runner;
  auto client = client_for(server.port());
  std::stop_source stop;
  Clock::time_point stopped_at;
  auto options = quick(30s);
  // The first tick asks to stop: on the runner's thread, as a shutdown would from elsewhere.
  options.on_progress = [&](const PinProgress&) {
    stopped_at = Clock::now();
    stop.request_stop();
  };
  auto r = run_async(client.pin_add(runner, cid(test::cid_v1), options, stop.get_token()));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), cf::errc::cancelled) << r.error().message();
  EXPECT_LT(Clock::now() - stopped_at, 1s);
}

}  // namespace
}  // namespace cf::kubo
