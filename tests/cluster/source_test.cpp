#include "cf/cluster/source.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stop_token>

#include "cf/base/errc.hpp"
#include "cf/cluster/errc.hpp"
#include "support/http_test_server.hpp"

namespace cf::cluster {
namespace {

using namespace std::chrono_literals;
using Sleeps = std::vector<std::chrono::milliseconds>;

TEST(ResolveSource, HttpUrlsAreUsedAsIs) {
  for (const char* url : {"http://127.0.0.1:8080/ipns/x", "https://example.org/service.json"}) {
    auto r = resolve_source(url);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->url, url);
    EXPECT_FALSE(r->dnslink);
  }
}

TEST(ResolveSource, DnslinkNamesGoThroughTheGateway) {
  auto r = resolve_source("filecoin.collab.ipfscluster.io");
  ASSERT_TRUE(r);
  // Upstream would store "127.0.0.1:8080/ipns/…", which no HTTP client accepts.
  EXPECT_EQ(r->url, "http://127.0.0.1:8080/ipns/filecoin.collab.ipfscluster.io");
  EXPECT_TRUE(r->dnslink);
  EXPECT_EQ(resolve_source("name.example", "https://gw.example/")->url,
            "https://gw.example/ipns/name.example");
  EXPECT_EQ(resolve_source("name.example", "localhost:48080")->url,
            "http://localhost:48080/ipns/name.example");
}

TEST(ResolveSource, RejectsUnusableInput) {
  for (auto [source, gateway] : {std::pair{"", "127.0.0.1:8080"}, std::pair{"a b", "127.0.0.1:8080"},
                                 std::pair{"ftp://x/y", "127.0.0.1:8080"},
                                 std::pair{"name.example", ""},
                                 std::pair{"name.example", "ftp://gw"}}) {
    auto r = resolve_source(source, gateway);
    ASSERT_FALSE(r) << source << " via " << gateway;
    EXPECT_EQ(r.error(), errc::invalid_source);
  }
}

// URLs init would store but no fetch could use, and URLs with credentials (which would sit in
// service.json and every log line): refused, the credentials never quoted.
TEST(ResolveSource, RejectsUnusableUrlsAndCredentials) {
  for (const char* url : {"http://", "http://[::1", "https://:443/t.json", "http://host:99999/t.json"}) {
    auto r = resolve_source(url);
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error(), errc::invalid_source);
    EXPECT_NE(r.error().message().find("is not a usable URL"), std::string::npos) << r.error().message();
  }
  for (auto [source, gateway] : {std::pair{"https://u:hunter2@example.org/t.json", "127.0.0.1:8080"},
                                 std::pair{"http://u:hunter2@/t.json", "127.0.0.1:8080"},
                                 std::pair{"name.example", "http://u:hunter2@127.0.0.1:8080"}}) {
    auto r = resolve_source(source, gateway);
    ASSERT_FALSE(r) << source << " via " << gateway;
    EXPECT_EQ(r.error(), errc::invalid_source);
    EXPECT_NE(r.error().message().find("must not contain credentials"), std::string::npos) << r.error().message();
    EXPECT_EQ(r.error().message().find("hunter2"), std::string::npos) << r.error().message();
  }
}

FetchOptions recording(Sleeps& sleeps, int attempts = 5) {
  FetchOptions o;
  o.attempts = attempts;
  o.timeout = 2s;
  o.sleep = [&sleeps](std::chrono::milliseconds d) { sleeps.push_back(d); };
  return o;
}

TEST(FetchTemplate, RetriesServerErrorsThenSucceeds) {
  int calls = 0;
  test::HttpTestServer server([&](const test::HttpRequest&) {
    return ++calls <= 2 ? test::make_reply(503, "busy") : test::make_reply(200, "{\"cluster\":{}}");
  });
  Sleeps sleeps;
  auto r = fetch_template(server.url("/service.json"), recording(sleeps));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, "{\"cluster\":{}}");
  EXPECT_EQ(server.request_count(), 3);
  EXPECT_EQ(sleeps, (Sleeps{1s, 2s}));
}

TEST(FetchTemplate, ClientErrorsAreNotRetried) {
  test::HttpTestServer server([](const test::HttpRequest&) { return test::make_reply(404, "no such file"); });
  Sleeps sleeps;
  auto url = server.url("/missing.json");
  auto r = fetch_template(url, recording(sleeps));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::fetch_rejected);
  EXPECT_TRUE(is_fetch_error(r.error()));
  EXPECT_EQ(r.error().message(), "fetching configuration from " + url +
                                     " failed after 1 attempt: unsuccessful request (404): no such file");
  EXPECT_EQ(server.request_count(), 1);
  EXPECT_TRUE(sleeps.empty());
}

TEST(FetchTemplate, UnreachableUrlFailsAfterAllAttempts) {
  Sleeps sleeps;
  const std::string url = "http://127.0.0.1:1/nope";
  auto r = fetch_template(url, recording(sleeps, 3));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::fetch_failed);
  EXPECT_TRUE(is_fetch_error(r.error()));
  auto message = r.error().message();
  EXPECT_TRUE(message.starts_with("fetching configuration from " + url + " failed after 3 attempts: "))
      << message;
  EXPECT_NE(message.find("connection failed"), std::string::npos) << message;
  EXPECT_EQ(sleeps, (Sleeps{1s, 2s}));
}

TEST(FetchTemplate, BackoffDoublesUpToTheCap) {
  Sleeps sleeps;
  auto options = recording(sleeps, 6);
  options.initial_backoff = 500ms;
  options.max_backoff = 3s;
  auto r = fetch_template("http://127.0.0.1:1/nope", options);
  ASSERT_FALSE(r);
  EXPECT_EQ(sleeps, (Sleeps{500ms, 1s, 2s, 3s, 3s}));
}

TEST(FetchTemplate, OversizeBodyFailsAtOnce) {
  test::HttpTestServer server([](const test::HttpRequest&) {
    return test::make_reply(200, std::string(2048, ' '));
  });
  Sleeps sleeps;
  auto options = recording(sleeps);
  options.max_body = 1024;
  auto r = fetch_template(server.url("/huge.json"), options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::fetch_rejected);
  EXPECT_NE(r.error().message().find("1024 bytes"), std::string::npos) << r.error().message();
  EXPECT_EQ(server.request_count(), 1);
}

TEST(FetchTemplate, TimeoutIsRetried) {
  test::HttpTestServer server([](const test::HttpRequest&) { return test::HttpReply{.raw = "", .hang = true}; });
  Sleeps sleeps;
  auto options = recording(sleeps, 2);
  options.timeout = 100ms;
  auto r = fetch_template(server.url("/slow.json"), options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::fetch_failed);
  EXPECT_NE(r.error().message().find("timed out"), std::string::npos) << r.error().message();
  EXPECT_EQ(sleeps.size(), 1u);
}

// A SIGHUP reload runs this fetch; a shutdown meanwhile must not wait for its timeouts and
// backoffs (issue 11).
TEST(FetchTemplate, CancelEndsTheFetchWithinASecond) {
  std::stop_source stop;
  std::atomic<std::int64_t> asked_ns{0};
  test::HttpTestServer server([&](const test::HttpRequest&) {
    asked_ns = std::chrono::steady_clock::now().time_since_epoch().count();
    stop.request_stop();
    return test::HttpReply{.raw = "", .hang = true};
  });
  FetchOptions options;  // 5 attempts of 30 s with real backoffs
  options.cancel = stop.get_token();
  auto r = fetch_template(server.url("/slow.json"), options);
  auto took = std::chrono::steady_clock::now().time_since_epoch() - std::chrono::nanoseconds(asked_ns.load());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), cf::errc::cancelled) << r.error().message();
  EXPECT_LT(took, 1500ms);  // curl looks about once a second while idle
  EXPECT_EQ(server.request_count(), 1);
}

}  // namespace
}  // namespace cf::cluster
