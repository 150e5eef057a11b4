#include "cf/cluster/template.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cf/base/bytes.hpp"
#include "cf/cluster/errc.hpp"
#include "cluster/template_fixture.hpp"

namespace cf::cluster {
namespace {

using namespace std::chrono_literals;

// Buffers that held a template's text (it carries the secret) are zeroed up to their capacity.
TEST(Template, WipeTemplateTextZeroesTheWholeBuffer) {
  std::string text(200, 's');
  text.resize(50);  // a shorter text in the same buffer: the old tail must go too
  const char* buffer = text.data();
  const auto capacity = text.capacity();
  wipe_template_text(text);
  EXPECT_TRUE(text.empty());
  ASSERT_EQ(text.data(), buffer);
  for (std::size_t i = 0; i < capacity; ++i) ASSERT_EQ(buffer[i], '\0') << "byte " << i;
}

TEST(Template, MinimalTemplateGetsUpstreamDefaults) {
  auto t = parse_template(test::minimal_template().dump());
  ASSERT_TRUE(t) << t.error().message();
  const auto& c = t->cluster;
  EXPECT_EQ(to_hex(c.secret), test::secret_hex);
  ASSERT_EQ(c.listen_multiaddress.size(), 1u);
  EXPECT_EQ(c.listen_multiaddress[0].to_string(), "/ip4/127.0.0.1/tcp/9096");
  ASSERT_EQ(c.peer_addresses.size(), 1u);
  EXPECT_EQ(c.peer_addresses[0].peer_id()->to_string(), test::trusted_id);
  EXPECT_EQ(c.peername, "");
  EXPECT_FALSE(c.follower_mode);
  EXPECT_FALSE(c.leave_on_shutdown);
  EXPECT_EQ(c.pin_recover_interval, 12min);
  EXPECT_EQ(c.state_sync_interval, 5min);
  EXPECT_EQ(c.monitor_ping_interval, 15s);
  EXPECT_EQ(c.mdns_interval, 10s);
  EXPECT_EQ(c.replication_factor_min, -1);
  EXPECT_EQ(c.replication_factor_max, -1);
  EXPECT_EQ(c.connection_manager.high_water, 400);
  EXPECT_EQ(c.connection_manager.low_water, 100);
  EXPECT_EQ(c.connection_manager.grace_period, 2min);
  EXPECT_EQ(c.pubsub.seen_messages_ttl, 30min);
  EXPECT_EQ(c.pubsub.d_factor, 4);

  EXPECT_EQ(t->crdt.cluster_name, "test-cluster");
  EXPECT_FALSE(t->crdt.trust_all);
  ASSERT_EQ(t->crdt.trusted_peers.size(), 1u);
  EXPECT_EQ(t->crdt.trusted_peers[0].to_string(), test::trusted_id);
  EXPECT_EQ(t->crdt.rebroadcast_interval, 1min);
  EXPECT_EQ(t->crdt.repair_interval, 1h);
  EXPECT_EQ(t->crdt.batching.max_queue_size, 50000);

  EXPECT_EQ(t->ipfshttp.node_multiaddress.to_string(), "/ip4/127.0.0.1/tcp/5001");
  EXPECT_EQ(t->ipfshttp.node_endpoint, (http::Endpoint{"http://127.0.0.1:5001", ""}));
  EXPECT_EQ(t->ipfshttp.connect_swarms_delay, 30s);
  EXPECT_EQ(t->ipfshttp.ipfs_request_timeout, 5min);
  EXPECT_EQ(t->ipfshttp.pin_timeout, 2min);
  EXPECT_EQ(t->ipfshttp.unpin_timeout, 3h);
  EXPECT_FALSE(t->ipfshttp.unpin_disable);

  EXPECT_EQ(t->stateless.concurrent_pins, 10);
  EXPECT_EQ(t->stateless.priority_pin_max_age, 24h);
  EXPECT_EQ(t->stateless.priority_pin_max_retries, 5);
  EXPECT_EQ(t->stateless.max_pin_queue_size, 1000000);

  ASSERT_TRUE(t->informer.disk);
  EXPECT_EQ(t->informer.disk->metric_ttl, 30s);
  EXPECT_EQ(t->informer.disk->metric_type, "freespace");
  EXPECT_FALSE(t->informer.tags);
  EXPECT_FALSE(t->informer.pinqueue);
  EXPECT_EQ(t->datastore, "pebble");
  EXPECT_NE(t->raw_json.find("test-cluster"), std::string::npos);
}

TEST(Template, ExampleTemplateInConfigsIsValid) {
  std::ifstream in(std::string(CF_SOURCE_DIR) + "/configs/service.follower.example.json");
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  auto t = parse_template(text.str());
  ASSERT_TRUE(t) << t.error().message();
  EXPECT_TRUE(t->cluster.follower_mode);
  EXPECT_TRUE(t->cluster.disable_repinning);
  EXPECT_EQ(t->cluster.mdns_interval, 0s);
  EXPECT_EQ(t->crdt.cluster_name, "example-collab");
  ASSERT_TRUE(t->informer.tags);
  EXPECT_EQ(t->informer.tags->tags.at("group"), "follower");
  ASSERT_TRUE(t->informer.pinqueue);
  EXPECT_EQ(t->informer.pinqueue->weight_bucket_size, 100000);
  // Kept as the bytes given (key order, spacing), not re-serialised from the parsed document.
  EXPECT_EQ(t->raw_json, text.str());
}

TEST(Template, ValuesOverrideDefaults) {
  auto j = test::minimal_template();
  j["cluster"]["listen_multiaddress"] = {"/ip4/0.0.0.0/tcp/9096", "/ip6/::/tcp/9096"};
  j["cluster"]["secret"] = "";
  j["cluster"]["peername"] = "me";
  j["cluster"]["follower_mode"] = true;
  j["cluster"]["connection_manager"] = {{"high_water", 500}};  // low_water keeps its default
  j["cluster"]["replication_factor_min"] = 2;
  j["cluster"]["replication_factor_max"] = 3;
  j["consensus"]["crdt"]["trusted_peers"] = {test::trusted_id, "*"};
  j["consensus"]["crdt"]["cluster_name"] = "";  // upstream: empty keeps the default
  j["ipfs_connector"]["ipfshttp"] = {{"node_multiaddress", "/unix/run/kubo/api.sock"},
                                     {"pin_timeout", "30s"},
                                     {"unpin_disable", true}};
  j["pin_tracker"]["stateless"] = {{"concurrent_pins", 0}, {"priority_pin_max_age", ""}};
  j["informer"] = {{"tags", {{"tags", {{"region", "eu"}}}}}};
  j["datastore"] = {{"badger3", nullptr}, {"leveldb", {{"x", 1}}}};  // null counts as absent
  auto t = parse_template(j.dump());
  ASSERT_TRUE(t) << t.error().message();
  EXPECT_EQ(t->cluster.listen_multiaddress.size(), 2u);
  EXPECT_TRUE(t->cluster.secret.empty());
  EXPECT_EQ(t->cluster.peername, "me");
  EXPECT_TRUE(t->cluster.follower_mode);
  EXPECT_EQ(t->cluster.connection_manager.high_water, 500);
  EXPECT_EQ(t->cluster.connection_manager.low_water, 100);
  EXPECT_EQ(t->cluster.replication_factor_min, 2);
  EXPECT_TRUE(t->crdt.trust_all);
  EXPECT_TRUE(t->crdt.trusted_peers.empty());
  EXPECT_EQ(t->crdt.cluster_name, "ipfs-cluster");
  EXPECT_EQ(t->ipfshttp.node_endpoint, (http::Endpoint{"http://localhost", "/run/kubo/api.sock"}));
  EXPECT_EQ(t->ipfshttp.pin_timeout, 30s);
  EXPECT_TRUE(t->ipfshttp.unpin_disable);
  EXPECT_EQ(t->stateless.concurrent_pins, 10);  // 0 means "default", as upstream
  EXPECT_EQ(t->stateless.priority_pin_max_age, 24h);
  ASSERT_TRUE(t->informer.tags);
  EXPECT_EQ(t->informer.tags->tags.size(), 1u);
  EXPECT_EQ(t->datastore, "leveldb");
}

TEST(Template, ValidateTypedTemplate) {
  auto t = parse_template(test::minimal_template().dump());
  ASSERT_TRUE(t);
  EXPECT_TRUE(validate(*t).empty());
  t->stateless.concurrent_pins = 0;
  t->cluster.connection_manager.low_water = 500;
  EXPECT_EQ(validate(*t), (std::vector<std::string>{
                              "template: cluster.connection_manager.low_water: is greater than "
                              "high_water (500 > 400)",
                              "template: pin_tracker.stateless.concurrent_pins: must be at least "
                              "1, got 0",
                          }));
}

TEST(KuboEndpoint, FromNodeMultiaddress) {
  auto endpoint = [](const char* text) {
    auto addr = Multiaddr::parse(text);
    EXPECT_TRUE(addr) << text;
    return kubo_endpoint(*addr);
  };
  EXPECT_EQ(*endpoint("/ip4/127.0.0.1/tcp/5001"), (http::Endpoint{"http://127.0.0.1:5001", ""}));
  EXPECT_EQ(*endpoint("/ip6/::1/tcp/5001"), (http::Endpoint{"http://[::1]:5001", ""}));
  EXPECT_EQ(*endpoint("/dns4/localhost/tcp/15001"), (http::Endpoint{"http://localhost:15001", ""}));
  EXPECT_EQ(*endpoint("/dns/kubo.internal/tcp/5001"),
            (http::Endpoint{"http://kubo.internal:5001", ""}));
  EXPECT_EQ(*endpoint("/unix/tmp/kubo api.sock"), (http::Endpoint{"http://localhost", "/tmp/kubo api.sock"}));
  for (const char* bad : {"/ip4/127.0.0.1/udp/5001", "/ip4/127.0.0.1/tcp/5001/ws", "/ip4/127.0.0.1",
                          "/dnsaddr/example.com"}) {
    auto r = endpoint(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error(), errc::unsupported_endpoint);
    EXPECT_NE(r.error().message().find(bad), std::string::npos) << r.error().message();
  }
}

}  // namespace
}  // namespace cf::cluster
