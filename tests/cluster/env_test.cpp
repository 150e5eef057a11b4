#include "cf/cluster/env.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "cf/base/bytes.hpp"
#include "cf/cluster/errc.hpp"
#include "cluster/template_fixture.hpp"

namespace cf::cluster {
namespace {

using namespace std::chrono_literals;
using Env = std::map<std::string, std::string>;

GetEnv from(const Env& env) {
  return [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

Template minimal() {
  auto t = parse_template(test::minimal_template().dump());
  EXPECT_TRUE(t) << t.error().message();
  return std::move(*t);
}

TEST(EnvOverrides, UpstreamNames) {
  auto names = env_variable_names();
  for (const char* want :
       {"CLUSTER_SECRET", "CLUSTER_PEERNAME", "CLUSTER_LISTENMULTIADDRESS", "CLUSTER_PEERADDRESSES",
        "CLUSTER_FOLLOWERMODE", "CLUSTER_LEAVEONSHUTDOWN", "CLUSTER_PINRECOVERINTERVAL",
        "CLUSTER_CONNECTIONMANAGER_HIGHWATER", "CLUSTER_CRDT_CLUSTERNAME",
        "CLUSTER_CRDT_TRUSTEDPEERS", "CLUSTER_CRDT_BATCHING_MAXBATCHSIZE",
        "CLUSTER_IPFSHTTP_NODEMULTIADDRESS", "CLUSTER_IPFSHTTP_PINTIMEOUT",
        "CLUSTER_IPFSHTTP_IPFSREQUESTTIMEOUT", "CLUSTER_STATELESS_CONCURRENTPINS",
        "CLUSTER_STATELESS_MAXPINQUEUESIZE", "CLUSTER_DISK_METRICTTL", "CLUSTER_TAGS_TAGS",
        "CLUSTER_PINQUEUE_WEIGHTBUCKETSIZE"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
}

TEST(EnvOverrides, NothingSetChangesNothing) {
  auto t = minimal();
  auto r = apply_env_overrides(t, from({}));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->applied.empty());
  EXPECT_EQ(t.crdt.cluster_name, "test-cluster");
}

TEST(EnvOverrides, AppliesEachKind) {
  auto t = minimal();
  const std::string secret(64, 'b');
  const std::string peer_a = std::string("/ip4/127.0.0.1/tcp/1001/p2p/") + test::trusted_id;
  const std::string peer_b = std::string("/dns4/peer.example/tcp/1002/p2p/") + test::other_id;
  Env env = {
      {"CLUSTER_SECRET", secret},
      {"CLUSTER_PEERNAME", "from-env"},
      {"CLUSTER_FOLLOWERMODE", "t"},
      {"CLUSTER_LISTENMULTIADDRESS", "/ip4/127.0.0.1/tcp/7000,/ip4/127.0.0.1/tcp/7001"},
      {"CLUSTER_PEERADDRESSES", peer_a + "," + peer_b},
      {"CLUSTER_CONNECTIONMANAGER_HIGHWATER", "800"},
      {"CLUSTER_CRDT_CLUSTERNAME", "renamed"},
      {"CLUSTER_CRDT_TRUSTEDPEERS", std::string(test::trusted_id) + "," + test::other_id},
      {"CLUSTER_IPFSHTTP_NODEMULTIADDRESS", "/unix/tmp/kubo.sock"},
      {"CLUSTER_IPFSHTTP_PINTIMEOUT", "30s"},
      {"CLUSTER_STATELESS_CONCURRENTPINS", "3"},
      {"CLUSTER_DISK_METRICTYPE", "reposize"},
      {"UNRELATED", "x"},
  };
  auto r = apply_env_overrides(t, from(env));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->applied.size(), 12u);
  EXPECT_TRUE(r->ignored.empty());
  EXPECT_EQ(to_hex(t.cluster.secret), secret);
  EXPECT_EQ(t.cluster.peername, "from-env");
  EXPECT_TRUE(t.cluster.follower_mode);
  ASSERT_EQ(t.cluster.listen_multiaddress.size(), 2u);
  EXPECT_EQ(t.cluster.listen_multiaddress[1].to_string(), "/ip4/127.0.0.1/tcp/7001");
  ASSERT_EQ(t.cluster.peer_addresses.size(), 2u);
  EXPECT_EQ(t.cluster.peer_addresses[1].to_string(), peer_b);
  EXPECT_EQ(t.cluster.connection_manager.high_water, 800);
  EXPECT_EQ(t.crdt.cluster_name, "renamed");
  EXPECT_EQ(t.crdt.trusted_peers.size(), 2u);
  EXPECT_EQ(t.ipfshttp.node_endpoint, (http::Endpoint{"http://localhost", "/tmp/kubo.sock"}));
  EXPECT_EQ(t.ipfshttp.pin_timeout, 30s);
  EXPECT_EQ(t.stateless.concurrent_pins, 3);
  EXPECT_EQ(t.informer.disk->metric_type, "reposize");
  EXPECT_NE(t.raw_json.find("renamed"), std::string::npos);
}

TEST(EnvOverrides, TrustAllAndMaps) {
  auto j = test::minimal_template();
  j["informer"]["tags"] = nlohmann::json::object();
  auto t = *parse_template(j.dump());
  auto r = apply_env_overrides(
      t, from({{"CLUSTER_CRDT_TRUSTEDPEERS", "*"}, {"CLUSTER_TAGS_TAGS", "group:a,region:eu"},
               {"CLUSTER_PINQUEUE_METRICTTL", "1m"}}));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(t.crdt.trust_all);
  ASSERT_TRUE(t.informer.tags);
  EXPECT_EQ(t.informer.tags->tags, (std::map<std::string, std::string>{{"group", "a"}, {"region", "eu"}}));
  // The template enables no pinqueue informer, and env cannot enable one (upstream neither).
  EXPECT_EQ(r->ignored, std::vector<std::string>{"CLUSTER_PINQUEUE_METRICTTL"});
  EXPECT_FALSE(t.informer.pinqueue);
}

TEST(EnvOverrides, UnparsableValueNamesTheVariableAndKeepsTheTemplate) {
  auto t = minimal();
  auto r = apply_env_overrides(t, from({{"CLUSTER_STATELESS_CONCURRENTPINS", "many"},
                                        {"CLUSTER_FOLLOWERMODE", "yes"},
                                        {"CLUSTER_CRDT_CLUSTERNAME", "changed"}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::invalid_env);
  EXPECT_EQ(r.error().message(),
            "env CLUSTER_FOLLOWERMODE: not a boolean (true, false, 1, 0, t, f): \"yes\"\n"
            "env CLUSTER_STATELESS_CONCURRENTPINS: not an integer: \"many\"");
  EXPECT_EQ(t.crdt.cluster_name, "test-cluster");
}

TEST(EnvOverrides, RevalidatesAndAttributesWithoutEchoingSecrets) {
  auto t = minimal();
  auto r = apply_env_overrides(t, from({{"CLUSTER_SECRET", "topsecret"},
                                        {"CLUSTER_CRDT_TRUSTEDPEERS", ""},
                                        {"CLUSTER_IPFSHTTP_PINTIMEOUT", "2 minutes"}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::invalid_template);
  EXPECT_EQ(r.error().message(),
            "template: cluster.secret: must be 64 hex characters (32 bytes), got 9 characters "
            "(set by CLUSTER_SECRET)\n"
            "template: consensus.crdt.trusted_peers: missing or empty; the follower would trust "
            "nobody (set by CLUSTER_CRDT_TRUSTEDPEERS)\n"
            "template: ipfs_connector.ipfshttp.pin_timeout: invalid duration: time: unknown unit "
            "\" minutes\" in duration \"2 minutes\" (set by CLUSTER_IPFSHTTP_PINTIMEOUT)");
  EXPECT_EQ(r.error().message().find("topsecret"), std::string::npos);
  EXPECT_EQ(to_hex(t.cluster.secret), test::secret_hex);
}

// The overrides are applied to the parsed raw template and re-serialised: on main a raw
// template nested ~70,000 levels deep crashed in that dump(). Now the parse refuses it.
TEST(EnvOverrides, DeeplyNestedRawTemplateIsRefusedNotACrash) {
  auto t = minimal();
  t.raw_json = R"({"cluster":{"peername":"a"},"extra":)";
  for (int i = 0; i < 70'000; ++i) t.raw_json += R"({"a":)";
  t.raw_json += '0';
  t.raw_json.append(70'000, '}');
  t.raw_json += '}';
  auto r = apply_env_overrides(t, from({{"CLUSTER_PEERNAME", "b"}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::invalid_template);
  EXPECT_EQ(r.error().message(), "template: JSON nested deeper than 128 levels");
  EXPECT_EQ(t.crdt.cluster_name, "test-cluster");
}

TEST(EnvOverrides, AbsurdDurationIsClampedWithAWarning) {
  auto j = test::minimal_template();
  j["cluster_follow"] = {{"rest_api", {{"url", "http://127.0.0.1:9094"}}}};
  auto t = parse_template(j.dump());
  ASSERT_TRUE(t) << t.error().message();
  auto r = apply_env_overrides(*t, from({{"CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL", "2562047h"}}));
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_TRUE(t->rest_api);
  EXPECT_EQ(t->rest_api->poll_interval, max_template_duration);
  EXPECT_EQ(t->warnings, std::vector<std::string>{
                             "template: cluster_follow.rest_api.poll_interval: 2562047h0m0s is beyond the "
                             "8760h0m0s limit; using 8760h0m0s"});
}

TEST(EnvOverrides, EmptySecretMeansNoPrivateNetwork) {
  auto t = minimal();
  auto r = apply_env_overrides(t, from({{"CLUSTER_SECRET", ""}}));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(t.cluster.secret.empty());
  EXPECT_EQ(r->applied, std::vector<std::string>{"CLUSTER_SECRET"});
}

}  // namespace
}  // namespace cf::cluster
