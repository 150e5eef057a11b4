// RestSource against the loopback test server (answers shaped like ipfs-cluster v1.1.6's
// StreamResponse), the pinset diff, and opt-in checks against a real lab REST API.
#include "cf/cluster/rest_source.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stop_token>

#include "cf/base/errc.hpp"

#include "cf/cluster/pinset_tracker.hpp"
#include "support/http_test_server.hpp"

namespace cf::cluster {
namespace {

namespace mf = multiformats;
using namespace std::chrono_literals;

std::string read_vector(const std::string& name) {
  std::ifstream in(std::filesystem::path(CF_SOURCE_DIR) / "tests/vectors/rest" / name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The captured stream, cut into pieces of `size` bytes regardless of line ends.
std::vector<std::string> pieces(const std::string& text, std::size_t size) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size(); i += size) out.push_back(text.substr(i, size));
  return out;
}

test::HttpReply stream_reply(const std::vector<std::string>& chunks, const std::string& stream_error = "") {
  return test::make_chunked_reply(200, chunks, {{"X-Stream-Error", stream_error}});
}

RestSource make_source(const test::HttpTestServer& server, RestSourceConfig config = {}) {
  config.url = server.url("");
  config.request_timeout = 10s;
  auto source = RestSource::create(std::move(config));
  EXPECT_TRUE(source) << source.error().message();
  return std::move(*source);
}

TEST(RestSource, ReadsTheCapturedStreamInOddChunks) {
  const auto body = read_vector("allocations_filter_all.json");
  std::string target;
  test::HttpTestServer server([&](const test::HttpRequest& r) {
    target = r.target;
    return stream_reply(pieces(body, 97));  // lines split across chunks everywhere
  });
  auto source = make_source(server);
  auto pins = source.fetch_pinset();
  ASSERT_TRUE(pins) << pins.error().message();
  EXPECT_EQ(target, "/allocations?filter=all");
  auto lines = lines_of(body);
  ASSERT_EQ(pins->size(), lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(to_json((*pins)[i]), lines[i]);
}

TEST(RestSource, OneLinePerChunkAndALastLineWithoutNewline) {
  auto lines = lines_of(read_vector("allocations_filter_all.json"));
  test::HttpTestServer server([&](const test::HttpRequest&) {
    return stream_reply({lines[0] + "\n", lines[1] + "\r\n", "\n", lines[2]});
  });
  auto pins = make_source(server).fetch_pinset();
  ASSERT_TRUE(pins) << pins.error().message();
  EXPECT_EQ(pins->size(), 3u);
}

TEST(RestSource, NoContentIsAnEmptyPinset) {
  test::HttpTestServer server([](const test::HttpRequest&) { return test::make_reply(204, ""); });
  auto pins = make_source(server).fetch_pinset();
  ASSERT_TRUE(pins) << pins.error().message();
  EXPECT_TRUE(pins->empty());
}

TEST(RestSource, PathPrefixAndTrailingSlash) {
  std::string target;
  test::HttpTestServer server([&](const test::HttpRequest& r) {
    target = r.target;
    return test::make_reply(204, "");
  });
  RestSourceConfig config;
  config.url = server.url("/cluster-api/");
  auto source = RestSource::create(config);
  ASSERT_TRUE(source);
  ASSERT_TRUE(source->fetch_pinset());
  EXPECT_EQ(target, "/cluster-api/allocations?filter=all");
  EXPECT_EQ(source->url(), server.url("/cluster-api/allocations?filter=all"));
}

TEST(RestSource, StreamErrorTrailerFails) {
  auto lines = lines_of(read_vector("allocations_filter_all.json"));
  test::HttpTestServer server([&](const test::HttpRequest&) {
    return stream_reply({lines[0] + "\n"}, "context canceled");
  });
  auto source = make_source(server);
  auto pins = source.fetch_pinset();
  ASSERT_FALSE(pins);
  EXPECT_EQ(pins.error(), pinset_errc::stream_failed);
  EXPECT_NE(pins.error().message().find(source.url()), std::string::npos) << pins.error().message();
  EXPECT_NE(pins.error().message().find("stream error after 1 pins: context canceled"), std::string::npos)
      << pins.error().message();
}

TEST(RestSource, UnauthorizedWithoutCredentials) {
  test::HttpTestServer server([](const test::HttpRequest&) {
    return test::make_reply(401, read_vector("error_401_no_auth.json") + "\n", "application/json",
                            {{"WWW-Authenticate", "Basic realm=\"Restricted IPFS Cluster API\""}});
  });
  auto pins = make_source(server).fetch_pinset();
  ASSERT_FALSE(pins);
  EXPECT_EQ(pins.error(), pinset_errc::auth_failed);
  auto message = pins.error().message();
  EXPECT_NE(message.find(": authentication failed (HTTP 401, \"unauthorized: no auth provided\"): no credentials "
                         "are configured; set cluster_follow.rest_api.basic_auth_user"),
            std::string::npos)
      << message;
}

TEST(RestSource, SendsBasicAuthAndNeverEchoesThePassword) {
  std::string authorization;
  test::HttpTestServer server([&](const test::HttpRequest& r) {
    authorization = r.header("Authorization");
    return test::make_reply(401, read_vector("error_401_access_denied.json") + "\n", "application/json");
  });
  RestSourceConfig config;
  config.basic_auth = http::BasicAuth{"follower", "s3cret pw"};
  auto pins = make_source(server, config).fetch_pinset();
  EXPECT_EQ(authorization, "Basic Zm9sbG93ZXI6czNjcmV0IHB3");  // base64("follower:s3cret pw")
  ASSERT_FALSE(pins);
  EXPECT_EQ(pins.error(), pinset_errc::auth_failed);
  EXPECT_NE(pins.error().message().find("(HTTP 401, \"unauthorized: access denied\"): the server refused the "
                                        "credentials of user \"follower\""),
            std::string::npos)
      << pins.error().message();
  EXPECT_EQ(pins.error().message().find("s3cret"), std::string::npos);
}

TEST(RestSource, ServerErrorsCarryTheirMessage) {
  test::HttpTestServer server([](const test::HttpRequest&) {
    return test::make_reply(500, "{\"code\":500,\"message\":\"rpc: state not ready\"}\n", "application/json");
  });
  auto source = make_source(server);
  auto pins = source.fetch_pinset();
  ASSERT_FALSE(pins);
  EXPECT_EQ(pins.error(), pinset_errc::rejected);
  EXPECT_EQ(pins.error().message(), "cluster REST API " + source.url() + ": HTTP 500, \"rpc: state not ready\"");
}

TEST(RestSource, DeeplyNestedErrorBodyIsShownCutShort) {
  const std::string body = std::string(70'000, '[') + std::string(70'000, ']');
  test::HttpTestServer server([&](const test::HttpRequest&) { return test::make_reply(500, body, "application/json"); });
  auto source = make_source(server);
  auto pins = source.fetch_pinset();
  ASSERT_FALSE(pins);
  EXPECT_EQ(pins.error(), pinset_errc::rejected);
  EXPECT_EQ(pins.error().message(),
            "cluster REST API " + source.url() + ": HTTP 500, \"" + std::string(297, '[') + "...\"");
}

TEST(RestSource, CapturedBadRequestBody) {
  const auto body = read_vector("error_invalid_filter.json");
  test::HttpTestServer server([&](const test::HttpRequest&) { return test::make_reply(400, body, "application/json"); });
  auto pins = make_source(server).fetch_pinset();
  ASSERT_FALSE(pins);
  EXPECT_NE(pins.error().message().find("HTTP 400, \"invalid filter value\""), std::string::npos);
}

TEST(RestSource, OversizeLineStops) {
  auto lines = lines_of(read_vector("allocations_filter_all.json"));
  test::HttpTestServer server([&](const test::HttpRequest&) {
    return stream_reply({lines[0] + "\n", std::string(300, ' '), std::string(300, ' ') + "\n"});
  });
  RestSourceConfig config;
  config.max_line = 500;
  auto pins = make_source(server, config).fetch_pinset();
  ASSERT_FALSE(pins);
  EXPECT_EQ(pins.error(), pinset_errc::too_large);
  EXPECT_NE(pins.error().message().find("line 2 is longer than 500 bytes"), std::string::npos)
      << pins.error().message();
}

TEST(RestSource, TooManyPinsStops) {
  const auto body = read_vector("allocations_filter_all.json");
  test::HttpTestServer server([&](const test::HttpRequest&) { return stream_reply({body}); });
  RestSourceConfig config;
  config.max_pins = 5;
  auto pins = make_source(server, config).fetch_pinset();
  ASSERT_FALSE(pins);
  EXPECT_EQ(pins.error(), pinset_errc::too_large);
  EXPECT_NE(pins.error().message().find("more than 5 pins"), std::string::npos);
}

TEST(RestSource, BadLineNamesItsNumberAndField) {
  auto lines = lines_of(read_vector("allocations_filter_all.json"));
  test::HttpTestServer server([&](const test::HttpRequest&) {
    return stream_reply({lines[0] + "\n" + "{\"cid\":\"QmBad\",\"type\":\"pin\"}\n"});
  });
  auto pins = make_source(server).fetch_pinset();
  ASSERT_FALSE(pins);
  EXPECT_EQ(pins.error(), pinset_errc::invalid_pin);
  EXPECT_NE(pins.error().message().find(": line 2: pin: cid: invalid CID \"QmBad\""), std::string::npos)
      << pins.error().message();
}

TEST(RestSource, SinkErrorsStopTheStream) {
  const auto body = read_vector("allocations_filter_all.json");
  test::HttpTestServer server([&](const test::HttpRequest&) { return stream_reply(pieces(body, 200)); });
  auto source = make_source(server);
  int seen = 0;
  auto status = source.stream_pinset([&](Pin&&) -> Status {
    if (++seen == 3) return Error(pinset_errc::rejected, "enough");
    return ok();
  });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message(), "enough");
  EXPECT_EQ(seen, 3);
}

// A source that streams forever must not keep a stopping follower alive (issue 11).
TEST(RestSource, CancelEndsAnEndlessStreamWithinASecond) {
  auto lines = lines_of(read_vector("allocations_filter_all.json"));
  test::HttpTestServer server([&](const test::HttpRequest&) { return test::make_endless_reply(lines[0] + "\n"); });
  std::stop_source stop;
  RestSourceConfig config;
  config.url = server.url("");  // request_timeout stays at its default of an hour
  auto source = RestSource::create(config, http::ClientOptions{.cancel = stop.get_token()});
  ASSERT_TRUE(source) << source.error().message();
  std::size_t seen = 0;
  std::chrono::steady_clock::time_point asked;
  auto status = source->stream_lines([&](std::string_view, std::size_t) -> Status {
    if (++seen == 10) {
      stop.request_stop();
      asked = std::chrono::steady_clock::now();
    }
    return ok();
  });
  auto took = std::chrono::steady_clock::now() - asked;
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error(), cf::errc::cancelled) << status.error().message();
  EXPECT_GE(seen, 10u);
  EXPECT_LT(took, 1s);
}

TEST(RestSource, UnreachableServer) {
  test::ClosedPort closed;
  RestSourceConfig config;
  config.url = "http://127.0.0.1:" + std::to_string(closed.port());
  auto source = RestSource::create(config);
  ASSERT_TRUE(source);
  auto pins = source->fetch_pinset();
  ASSERT_FALSE(pins);
  EXPECT_EQ(pins.error(), pinset_errc::unreachable);
  EXPECT_NE(pins.error().message().find(source->url()), std::string::npos) << pins.error().message();
}

TEST(RestSource, ReusesOneSourceForSeveralPolls) {
  const auto body = read_vector("allocations_filter_all.json");
  test::HttpTestServer server([&](const test::HttpRequest&) { return stream_reply({body}); });
  auto source = make_source(server);
  for (int i = 0; i < 3; ++i) {
    auto pins = source.fetch_pinset();
    ASSERT_TRUE(pins) << pins.error().message();
    EXPECT_EQ(pins->size(), 13u);
  }
  EXPECT_EQ(server.request_count(), 3);
}

TEST(RestSourceConfig, Problems) {
  struct Case {
    std::string url;
    const char* want;
  };
  const Case cases[] = {
      {"", "missing"},
      {"127.0.0.1:9094", "must start with http:// or https://, got \"127.0.0.1:9094\""},
      {"ftp://x", "must start with http:// or https://"},
      {"http://", "has no host"},
      {"http://:9094", "has no host"},
      {"http://host:9094/?x=1", "must not have a query or fragment"},
      {"http://host/a b", "must not contain spaces"},
      {"http://admin:hunter2@host:9094", "must not contain credentials"},
      {"admin:hunter2@host:9094", "must not contain credentials"},
      {"http://[::1", "without its closing ']'"},
      {"http://[::1]x", "characters after the IPv6 host"},
      {"http://fe80::1:9094", "IPv6 host without brackets"},
      {"http://host:", "empty port"},
      {"http://host:http", "bad port"},
      {"http://host:99999", "outside 1-65535"},
      {"http://host:0/", "outside 1-65535"},
  };
  for (const auto& c : cases) {
    RestSourceConfig config;
    config.url = c.url;
    auto problems = rest_source_problems(config);
    ASSERT_EQ(problems.size(), 1u) << c.url;
    EXPECT_EQ(problems[0].key, "url");
    EXPECT_NE(problems[0].what.find(c.want), std::string::npos) << c.url << ": " << problems[0].what;
    EXPECT_EQ(problems[0].what.find("hunter2"), std::string::npos);
    auto source = RestSource::create(config);
    ASSERT_FALSE(source);
    EXPECT_EQ(source.error(), pinset_errc::invalid_config);
    EXPECT_TRUE(source.error().message().starts_with("rest_api.url: ")) << source.error().message();
  }
  for (const char* good : {"http://127.0.0.1:9094", "https://cluster.example/api/", "HTTP://[::1]:9094", "http://[::1]/",
                           "http://host:65535"}) {
    RestSourceConfig config;
    config.url = good;
    EXPECT_TRUE(rest_source_problems(config).empty()) << good;
  }
  RestSourceConfig config;
  config.url = "http://127.0.0.1:9094";
  config.basic_auth = http::BasicAuth{"", "pw"};
  config.poll_interval = 10ms;
  config.max_pins = 0;
  auto problems = rest_source_problems(config);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].key, "basic_auth_user");
  EXPECT_EQ(problems[1].key, "poll_interval");
  EXPECT_EQ(problems[1].what, "must be at least 1s, got \"10ms\"");
  EXPECT_EQ(problems[2].key, "max_pins");
  config.basic_auth = http::BasicAuth{"a:b", "pw"};
  EXPECT_EQ(rest_source_problems(config)[0].what, "must not contain ':' (basic auth cannot carry it)");
}

Pin pin_of(const char* cid_text, const char* name = "") {
  Pin pin{*mf::Cid::parse(cid_text)};
  pin.name = name;
  return pin;
}

constexpr const char* cid_a = "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n";
constexpr const char* cid_a_v1 = "bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
constexpr const char* cid_b = "QmT83xVyEEUPX1Kk8HxoZx7LtcKBB4xCyg729kYuYkSiJv";
constexpr const char* cid_c = "bafkreiazgg3p7t52sxk26o346ni5hq4x5md4p4q7oiiysoon2ycqsthrre";

std::vector<std::string> cids(const std::vector<mf::Cid>& list) {
  std::vector<std::string> out;
  for (const auto& c : list) out.push_back(c.to_string());
  return out;
}
std::vector<std::string> cids(const std::vector<Pin>& list) {
  std::vector<std::string> out;
  for (const auto& p : list) out.push_back(p.cid.to_string());
  return out;
}

TEST(PinsetDiff, EmptyAndIdentical) {
  auto d = diff({}, {});
  EXPECT_TRUE(d.puts.empty());
  EXPECT_TRUE(d.removes.empty());
  std::vector<Pin> same{pin_of(cid_a), pin_of(cid_b)};
  d = diff(same, same);
  EXPECT_TRUE(d.puts.empty());
  EXPECT_TRUE(d.removes.empty());
  std::vector<Pin> reordered{pin_of(cid_b), pin_of(cid_a)};
  d = diff(same, reordered);
  EXPECT_TRUE(d.puts.empty());
  EXPECT_TRUE(d.removes.empty());
}

TEST(PinsetDiff, NewChangedAndGone) {
  std::vector<Pin> current{pin_of(cid_a, "a"), pin_of(cid_b, "b")};
  std::vector<Pin> desired{pin_of(cid_c, "c"), pin_of(cid_a, "a renamed")};
  auto d = diff(current, desired);
  EXPECT_EQ(cids(d.puts), (std::vector<std::string>{cid_c, cid_a}));
  EXPECT_EQ(d.puts[1].name, "a renamed");
  EXPECT_EQ(cids(d.removes), std::vector<std::string>{cid_b});
}

TEST(PinsetDiff, EveryFieldCounts) {
  auto base = pin_of(cid_a);
  std::vector<std::function<void(Pin&)>> changes = {
      [](Pin& p) { p.type = PinType::shard; },
      [](Pin& p) { p.max_depth = 0; },
      [](Pin& p) { p.allocations = {*mf::PeerId::parse("12D3KooWEqAP93RVeWkndtBsTTAmUUWvH2mLqLbptA3j1q2DyKKB")}; },
      [](Pin& p) { p.replication_factor_min = 1; },
      [](Pin& p) { p.replication_factor_max = 1; },
      [](Pin& p) { p.reference = *mf::Cid::parse(cid_b); },
      [](Pin& p) { p.shard_size = 1; },
      [](Pin& p) { p.origins = {*mf::Multiaddr::parse("/ip4/127.0.0.1/tcp/4001")}; },
      [](Pin& p) { p.metadata["k"] = "v"; },
      [](Pin& p) { p.pin_update = *mf::Cid::parse(cid_b); },
      [](Pin& p) { p.expire_at = 1795835599; },
      [](Pin& p) { p.timestamp = 1795831781; },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    auto changed = base;
    changes[i](changed);
    auto d = diff({base}, {changed});
    ASSERT_EQ(d.puts.size(), 1u) << "change " << i;
    EXPECT_EQ(d.puts[0], changed);
    EXPECT_TRUE(d.removes.empty());
  }
}

TEST(PinsetDiff, CidsCompareByBytes) {
  // The same content as CIDv0 and CIDv1 is two different pins in the cluster state.
  auto d = diff({pin_of(cid_a)}, {pin_of(cid_a_v1)});
  EXPECT_EQ(cids(d.puts), std::vector<std::string>{cid_a_v1});
  EXPECT_EQ(cids(d.removes), std::vector<std::string>{cid_a});
}

TEST(PinsetDiff, DuplicatesCountOnce) {
  auto d = diff({pin_of(cid_b), pin_of(cid_b)}, {pin_of(cid_a, "first"), pin_of(cid_a, "last")});
  ASSERT_EQ(d.puts.size(), 1u);
  EXPECT_EQ(d.puts[0].name, "last");
  EXPECT_EQ(cids(d.removes), std::vector<std::string>{cid_b});
}

// Opt-in checks against a real ipfs-cluster-service: run inside the lab's namespace with
// CF_LAB_REST_URL=http://127.0.0.1:9094 (tests/lab/sharded_pins_test.sh does; see
// tests/vectors/PROVENANCE.md).
const char* lab_rest_url() { return std::getenv("CF_LAB_REST_URL"); }

RestSource lab_source() {
  RestSourceConfig config;
  config.url = lab_rest_url();
  auto source = RestSource::create(std::move(config));
  EXPECT_TRUE(source) << source.error().message();
  return std::move(*source);
}

TEST(RestSourceLab, FetchesTheRealPinset) {
  if (lab_rest_url() == nullptr) GTEST_SKIP() << "CF_LAB_REST_URL not set";
  auto source = lab_source();
  auto pins = source.fetch_pinset();
  ASSERT_TRUE(pins) << pins.error().message();
  EXPECT_FALSE(pins->empty());
  int types[4] = {};
  for (const auto& pin : *pins) {
    ++types[static_cast<int>(pin.type)];
    auto back = pin_from_json(to_json(pin));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, pin);
  }
  std::printf("lab pinset: %zu pins (%d data, %d meta, %d clusterdag, %d shard)\n", pins->size(), types[0],
              types[1], types[2], types[3]);
}

// The PinsetTracker's premise: an unchanged pinset comes back as the same bytes, every line.
TEST(RestSourceLab, TrackerSeesNoChangeBetweenPolls) {
  if (lab_rest_url() == nullptr) GTEST_SKIP() << "CF_LAB_REST_URL not set";
  auto source = lab_source();
  PinsetTracker tracker;
  auto first = tracker.fetch(source);
  ASSERT_TRUE(first) << first.error().message();
  ASSERT_GT(first->pins, 0u);
  for (int poll = 0; poll < 3; ++poll) {
    auto again = tracker.fetch(source);
    ASSERT_TRUE(again) << again.error().message();
    EXPECT_EQ(again->pins, first->pins);
    EXPECT_TRUE(again->puts.empty()) << again->puts.size() << " lines changed between polls";
    EXPECT_TRUE(again->removes.empty());
  }
  std::printf("tracker: %zu pins, unchanged over 3 more polls\n", first->pins);
}

// Opt-in, against an ipfs-cluster-service whose restapi has basic_auth_credentials: run in the
// lab's namespace with CF_LAB_AUTH_REST_URL, CF_LAB_AUTH_USER and CF_LAB_AUTH_PASSWORD.
TEST(RestSourceLab, BasicAuth) {
  const char* url = std::getenv("CF_LAB_AUTH_REST_URL");
  const char* user = std::getenv("CF_LAB_AUTH_USER");
  const char* password = std::getenv("CF_LAB_AUTH_PASSWORD");
  if (url == nullptr || user == nullptr || password == nullptr) GTEST_SKIP() << "CF_LAB_AUTH_* not set";
  RestSourceConfig config;
  config.url = url;
  auto anonymous = RestSource::create(config);
  ASSERT_TRUE(anonymous);
  auto refused = anonymous->fetch_pinset();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), pinset_errc::auth_failed);
  std::printf("without credentials: %s\n", refused.error().message().c_str());
  config.basic_auth = http::BasicAuth{user, std::string(password) + "-wrong"};
  refused = RestSource::create(config)->fetch_pinset();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), pinset_errc::auth_failed);
  std::printf("wrong password: %s\n", refused.error().message().c_str());
  config.basic_auth = http::BasicAuth{user, password};
  auto pins = RestSource::create(config)->fetch_pinset();
  ASSERT_TRUE(pins) << pins.error().message();
  std::printf("with credentials: %zu pins\n", pins->size());
}

}  // namespace
}  // namespace cf::cluster
