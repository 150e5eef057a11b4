// Kubo client against a loopback fake: the answers a real Kubo cannot produce on demand
// (plain-text 405, garbage JSON, a stall). The real-Kubo test comes with the lab.
#include "cf/kubo/client.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "support/http_test_server.hpp"

namespace cf::kubo {
namespace {

using namespace std::chrono_literals;
using test::HttpReply;
using test::HttpRequest;
using test::HttpTestServer;

constexpr const char* node_id = "12D3KooW9rxqumy8vqCxnNfpeyT7zHGae6srENFW2gip8LMw3TsX";

const std::string id_json = std::string(R"({"ID":")") + node_id +
                            R"(","PublicKey":"CAESIA==","Addresses":["/ip4/127.0.0.1/tcp/4001/p2p/)" +
                            node_id + R"(","/ip4/127.0.0.1/tcp/4001/some-future-transport"],)" +
                            R"("AgentVersion":"kubo/0.42.0/","Protocols":["/ipfs/bitswap/1.2.0"]})";

Client client_for(const HttpTestServer& server) {
  ClientOptions o;
  o.endpoint = {"http://127.0.0.1:" + std::to_string(server.port()), ""};
  o.timeout = 2s;
  return Client(o);
}

TEST(KuboClient, IdParsesTheNodeInfo) {
  HttpRequest seen;
  HttpTestServer server([&](const HttpRequest& req) {
    seen = req;
    return test::make_reply(200, id_json, "application/json", {{"Trailer", "X-Stream-Error"}});
  });
  auto client = client_for(server);
  auto info = client.id();
  ASSERT_TRUE(info) << info.error().message();
  EXPECT_EQ(info->id.to_string(), node_id);
  EXPECT_EQ(info->agent_version, "kubo/0.42.0/");
  ASSERT_EQ(info->addresses.size(), 1u);  // the unknown transport is skipped, not fatal
  EXPECT_EQ(info->addresses[0].peer_id()->to_string(), node_id);
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/api/v0/id");
  EXPECT_TRUE(seen.header("User-Agent").starts_with("cluster-follow/"));
  EXPECT_EQ(seen.header("Origin"), "");
  EXPECT_EQ(seen.header("Referer"), "");
  EXPECT_EQ(seen.header("Authorization"), "");
}

TEST(KuboClient, Version) {
  HttpTestServer server([](const HttpRequest&) {
    return test::make_reply(
        200, R"({"Version":"0.42.0","Commit":"969853d","Repo":"16","System":"amd64/linux","Golang":"go1.25.4"})",
        "application/json");
  });
  auto v = client_for(server).version();
  ASSERT_TRUE(v) << v.error().message();
  EXPECT_EQ(v->version, "0.42.0");
  EXPECT_EQ(v->repo, "16");
  EXPECT_EQ(v->golang, "go1.25.4");
}

TEST(KuboClient, JsonErrorCarriesKubosMessage) {
  HttpTestServer server([](const HttpRequest&) {
    return test::make_reply(500, R"({"Message":"this action must be run in online mode","Code":0,"Type":"error"})",
                            "application/json");
  });
  auto r = client_for(server).id();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::api_error);
  EXPECT_EQ(r.error().message(), "kubo http://127.0.0.1:" + std::to_string(server.port()) +
                                     " /api/v0/id: this action must be run in online mode (HTTP 500)");
}

TEST(KuboClient, PlainTextErrorsCarryTheBody) {
  for (auto [status, body] : {std::pair{405, "405 - Method Not Allowed"},
                              std::pair{404, "404 page not found"},
                              std::pair{403, "Kubo RPC Access Denied: Please provide a valid authorization token as defined in the API.Authorizations configuration."}}) {
    HttpTestServer server([&](const HttpRequest&) { return test::make_reply(status, body); });
    auto r = client_for(server).id();
    ASSERT_FALSE(r) << status;
    EXPECT_EQ(r.error(), errc::http_error) << status;
    EXPECT_NE(r.error().message().find(std::string(body) + " (HTTP " + std::to_string(status) + ")"),
              std::string::npos)
        << r.error().message();
  }
}

TEST(KuboClient, GarbageJsonIsABadResponse) {
  for (const char* body : {"{\"ID\": ", "[]", "{\"ID\":\"not-a-peer\"}", "{}"}) {
    HttpTestServer server([&](const HttpRequest&) { return test::make_reply(200, body, "application/json"); });
    auto r = client_for(server).id();
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error(), errc::bad_response) << body;
  }
  HttpTestServer server([](const HttpRequest&) { return test::make_reply(200, "<html>", "text/html"); });
  EXPECT_EQ(client_for(server).version().error(), errc::bad_response);
}

TEST(KuboClient, StreamErrorTrailerIsAnError) {
  HttpTestServer server([](const HttpRequest&) {
    return test::make_chunked_reply(200, {id_json}, {{"X-Stream-Error", "context deadline exceeded"}});
  });
  auto r = client_for(server).id();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::stream_error);
  EXPECT_NE(r.error().message().find("context deadline exceeded"), std::string::npos);
}

TEST(KuboClient, ConnectionRefused) {
  test::ClosedPort closed;
  ClientOptions o;
  o.endpoint = {"http://127.0.0.1:" + std::to_string(closed.port()), ""};
  auto r = Client(o).id();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::unreachable);
  EXPECT_NE(r.error().message().find(o.endpoint.base_url), std::string::npos) << r.error().message();
}

TEST(KuboClient, Timeout) {
  HttpTestServer server([](const HttpRequest&) { return HttpReply{.raw = "", .hang = true}; });
  ClientOptions o;
  o.endpoint = {"http://127.0.0.1:" + std::to_string(server.port()), ""};
  o.timeout = 150ms;
  auto r = Client(o).id();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::timed_out);
}

TEST(KuboClient, UnixSocketAndBearerAuth) {
  auto path = std::filesystem::temp_directory_path() /
              ("cf-kubo-test-" + std::to_string(::getpid()) + ".sock");
  std::string auth;
  HttpTestServer server(path.string(), [&](const HttpRequest& req) {
    auth = req.header("Authorization");
    return test::make_reply(200, id_json, "application/json");
  });
  ClientOptions o;
  o.endpoint = {"http://localhost", path.string()};
  o.auth = http::BearerAuth{"s3cret"};
  Client client(o);
  EXPECT_EQ(client.endpoint_text(), "unix:" + path.string());
  auto info = client.id();
  ASSERT_TRUE(info) << info.error().message();
  EXPECT_EQ(auth, "Bearer s3cret");
}

}  // namespace
}  // namespace cf::kubo
