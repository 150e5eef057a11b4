#include "cf/follower/template_changes.hpp"

#include <gtest/gtest.h>

#include "../cluster/template_fixture.hpp"

namespace cf::follower {
namespace {

using namespace std::chrono_literals;

cluster::Template base() {
  auto t = cluster::parse_template(cluster::test::minimal_template().dump());
  EXPECT_TRUE(t) << t.error().message();
  return std::move(*t);
}

cluster::Template with_rest(std::string url) {
  auto t = base();
  t.rest_api.emplace();
  t.rest_api->url = std::move(url);
  return t;
}

std::vector<std::string> described(const cluster::Template& a, const cluster::Template& b) {
  std::vector<std::string> lines;
  for (const auto& c : template_changes(a, b)) lines.push_back(describe(c));
  return lines;
}

TEST(TemplateChanges, SameTemplateChangesNothing) {
  EXPECT_TRUE(template_changes(base(), base()).empty());
  EXPECT_TRUE(template_changes(with_rest("http://a:9094"), with_rest("http://a:9094")).empty());
}

// Issue 11: a SIGHUP said "template reloaded" and silently kept the old settings.
TEST(TemplateChanges, RestSettingsAreAppliedOthersNeedARestart) {
  auto a = with_rest("http://a:9094");
  auto b = with_rest("http://b:9094");
  b.rest_api->poll_interval = 1min;
  b.rest_api->basic_auth = http::BasicAuth{"follower", "hunter2"};
  b.ipfshttp.node_multiaddress = *multiformats::Multiaddr::parse("/ip4/127.0.0.1/tcp/5002");
  b.stateless.concurrent_pins = 3;
  auto lines = described(a, b);
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "cluster_follow.rest_api.url changed from http://a:9094 to http://b:9094: applied",
                       "cluster_follow.rest_api.basic_auth_user changed from (none) to follower: applied",
                       "cluster_follow.rest_api.basic_auth_password changed: applied",
                       "cluster_follow.rest_api.poll_interval changed from 30s to 1m0s: applied",
                       "ipfs_connector.ipfshttp.node_multiaddress changed from /ip4/127.0.0.1/tcp/5001 to "
                       "/ip4/127.0.0.1/tcp/5002: takes effect after a restart",
                       "pin_tracker.stateless.concurrent_pins changed from 10 to 3: takes effect after a restart",
                   }));
  for (const auto& line : lines) EXPECT_EQ(line.find("hunter2"), std::string::npos);
}

TEST(TemplateChanges, Libp2pSettingsAndTheSourceKindNeedARestart) {
  auto a = base();
  auto b = base();
  b.cluster.secret = Bytes(32, 7);
  b.crdt.trust_all = true;
  auto lines = described(a, b);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].starts_with("consensus.crdt.trusted_peers changed from ")) << lines[0];
  EXPECT_TRUE(lines[0].ends_with(",*: takes effect after a restart") || lines[0].ends_with(" to *: takes effect after a restart"))
      << lines[0];
  EXPECT_EQ(lines[1], "cluster.secret changed: takes effect after a restart");

  auto changes = template_changes(base(), with_rest("http://a:9094"));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(describe(changes[0]), "pinset source changed from libp2p (CRDT) to REST API: takes effect after a restart");
  EXPECT_FALSE(changes[0].applied);
}

}  // namespace
}  // namespace cf::follower
