// swarm_connect and repo_stat against a loopback fake (A4).
#include <gtest/gtest.h>

#include "cf/kubo/client.hpp"
#include "fixtures.hpp"
#include "support/http_test_server.hpp"

namespace cf::kubo {
namespace {

using namespace std::chrono_literals;
using test::client_for;
using cf::test::HttpRequest;
using cf::test::HttpTestServer;

constexpr const char* peer = "12D3KooW9rxqumy8vqCxnNfpeyT7zHGae6srENFW2gip8LMw3TsX";

multiformats::Multiaddr peer_addr() {
  auto a = multiformats::Multiaddr::parse(std::string("/ip4/127.0.0.1/tcp/4001/p2p/") + peer);
  if (!a) std::abort();
  return *a;
}

TEST(KuboSwarmConnect, SendsTheEscapedMultiaddr) {
  std::string target;
  HttpTestServer server([&](const HttpRequest& req) {
    target = req.target;
    return cf::test::make_reply(200, std::string(R"({"Strings":["connect )") + peer + R"( success"]})",
                                "application/json");
  });
  auto r = client_for(server.port()).swarm_connect(peer_addr(), 1s);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(target, std::string("/api/v0/swarm/connect?arg=%2Fip4%2F127.0.0.1%2Ftcp%2F4001%2Fp2p%2F") + peer);
}

TEST(KuboSwarmConnect, FailureCarriesKubosMessage) {
  auto message = std::string("connect ") + peer +
                 " failure: failed to dial: all dials failed\\n  * [/ip4/127.0.0.1/tcp/4001] dial tcp4 "
                 "127.0.0.1:4001: connect: connection refused";
  HttpTestServer server([&](const HttpRequest&) {
    return cf::test::make_reply(500, R"({"Message":")" + message + R"(","Code":0,"Type":"error"})",
                                "application/json");
  });
  auto r = client_for(server.port()).swarm_connect(peer_addr(), 1s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::api_error);
  EXPECT_NE(r.error().message().find(std::string("connect ") + peer + " failure: failed to dial"),
            std::string::npos)
      << r.error().message();
}

TEST(KuboRepoStat, ReadsTheFlatAnswer) {
  std::string target;
  HttpTestServer server([&](const HttpRequest& req) {
    target = req.target;
    return cf::test::make_reply(
        200, R"({"RepoSize":123456,"StorageMax":10000000000,"NumObjects":0,"RepoPath":"","Version":""})",
        "application/json");
  });
  auto r = client_for(server.port()).repo_stat();
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->repo_size, 123456u);
  EXPECT_EQ(r->storage_max, 10000000000u);
  EXPECT_EQ(target, "/api/v0/repo/stat?size-only=true");
}

TEST(KuboRepoStat, TheDocumentedNestedShapeIsNotWhatKuboSends) {
  for (const char* body : {R"({"SizeStat":{"RepoSize":1,"StorageMax":2}})",
                           R"({"RepoSize":"12","StorageMax":2})", "[]"}) {
    HttpTestServer server([&](const HttpRequest&) { return cf::test::make_reply(200, body, "application/json"); });
    auto r = client_for(server.port()).repo_stat();
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error(), errc::bad_response) << body;
  }
}

}  // namespace
}  // namespace cf::kubo
