// Every bad-template case gives exactly one precise line (or, for a reason worded by the
// multiformats layer, an exact prefix and a non-empty reason).
#include <gtest/gtest.h>

#include <chrono>
#include <functional>

#include "cf/cluster/errc.hpp"
#include "cf/cluster/template.hpp"
#include "cluster/template_fixture.hpp"

namespace cf::cluster {
namespace {

using nlohmann::json;
using Lines = std::vector<std::string>;

Lines problems_after(const std::function<void(json&)>& edit) {
  auto j = test::minimal_template();
  edit(j);
  return template_problems(j.dump());
}

struct Case {
  const char* name;
  std::function<void(json&)> edit;
  const char* line;
};

TEST(TemplateProblems, OneExactLinePerCase) {
  const std::string peer = std::string("/ip4/127.0.0.1/tcp/9097/p2p/") + test::trusted_id;
  const Case cases[] = {
      {"short secret", [](json& j) { j["cluster"]["secret"] = "0123456789"; },
       "template: cluster.secret: must be 64 hex characters (32 bytes), got 10 characters"},
      {"non-hex secret",
       [](json& j) { j["cluster"]["secret"] = std::string(62, 'a') + "zz"; },
       "template: cluster.secret: must be hexadecimal; invalid character at position 63"},
      {"no cluster", [](json& j) { j.erase("cluster"); }, "template: cluster section is missing"},
      {"cluster not an object", [](json& j) { j["cluster"] = "x"; },
       "template: cluster: must be an object, got string"},
      {"two datastores", [](json& j) { j["datastore"]["badger"] = json::object(); },
       "template: datastore: exactly one of badger, badger3, leveldb, pebble is required, found 2 "
       "(badger, pebble)"},
      {"no datastore", [](json& j) { j.erase("datastore"); },
       "template: datastore: exactly one of badger, badger3, leveldb, pebble is required, found "
       "none"},
      {"empty trusted_peers", [](json& j) { j["consensus"]["crdt"]["trusted_peers"] = json::array(); },
       "template: consensus.crdt.trusted_peers: missing or empty; the follower would trust nobody"},
      {"missing trusted_peers", [](json& j) { j["consensus"]["crdt"].erase("trusted_peers"); },
       "template: consensus.crdt.trusted_peers: missing or empty; the follower would trust nobody"},
      {"raft only", [](json& j) { j["consensus"] = {{"raft", json::object()}}; },
       "template: consensus: raft is not supported; a follower needs crdt"},
      {"raft and crdt", [](json& j) { j["consensus"]["raft"] = json::object(); },
       "template: consensus: both crdt and raft are present; a follower needs crdt only"},
      {"no consensus", [](json& j) { j.erase("consensus"); },
       "template: consensus section is missing; a follower needs consensus.crdt"},
      {"empty consensus", [](json& j) { j["consensus"] = json::object(); },
       "template: consensus.crdt section is missing"},
      {"no informer", [](json& j) { j.erase("informer"); },
       "template: informer: at least one of disk, tags, pinqueue is required"},
      {"unknown informers only", [](json& j) { j["informer"] = {{"numpin", json::object()}}; },
       "template: informer: at least one of disk, tags, pinqueue is required"},
      {"nested source", [](json& j) { j["source"] = "http://127.0.0.1:1/other.json"; },
       "template: a sourced configuration cannot point to another source"},
      {"peer address without /p2p",
       [](json& j) { j["cluster"]["peer_addresses"] = {"/ip4/127.0.0.1/tcp/9096"}; },
       "template: cluster.peer_addresses[0]: \"/ip4/127.0.0.1/tcp/9096\" must end in /p2p/<peer ID>"},
      {"bad duration", [](json& j) { j["cluster"]["pin_recover_interval"] = "12x"; },
       "template: cluster.pin_recover_interval: invalid duration: time: unknown unit \"x\" in "
       "duration \"12x\""},
      {"duration without unit", [](json& j) { j["consensus"]["crdt"]["repair_interval"] = "60"; },
       "template: consensus.crdt.repair_interval: invalid duration: time: missing unit in duration "
       "\"60\""},
      {"duration as number", [](json& j) { j["ipfs_connector"]["ipfshttp"]["pin_timeout"] = 120; },
       "template: ipfs_connector.ipfshttp.pin_timeout: must be a duration string such as \"1m30s\", "
       "got number"},
      {"zero recover interval", [](json& j) { j["cluster"]["pin_recover_interval"] = "0"; },
       "template: cluster.pin_recover_interval: must be positive, got \"0s\""},
      {"negative pin timeout", [](json& j) { j["ipfs_connector"]["ipfshttp"]["pin_timeout"] = "-1s"; },
       "template: ipfs_connector.ipfshttp.pin_timeout: must not be negative, got \"-1s\""},
      {"negative concurrent_pins",
       [](json& j) { j["pin_tracker"]["stateless"]["concurrent_pins"] = -1; },
       "template: pin_tracker.stateless.concurrent_pins: must be at least 1, got -1"},
      {"fractional concurrent_pins",
       [](json& j) { j["pin_tracker"]["stateless"]["concurrent_pins"] = 2.5; },
       "template: pin_tracker.stateless.concurrent_pins: must be an integer, got a fraction (2.5)"},
      {"no listen address", [](json& j) { j["cluster"].erase("listen_multiaddress"); },
       "template: cluster.listen_multiaddress: missing or empty; at least one listen address is "
       "required"},
      {"empty listen address", [](json& j) { j["cluster"]["listen_multiaddress"] = ""; },
       "template: cluster.listen_multiaddress: missing or empty; at least one listen address is "
       "required"},
      {"listen address wrong type", [](json& j) { j["cluster"]["listen_multiaddress"] = 9096; },
       "template: cluster.listen_multiaddress: must be a string or an array of strings, got number"},
      {"node address over udp",
       [](json& j) { j["ipfs_connector"]["ipfshttp"]["node_multiaddress"] = "/ip4/127.0.0.1/udp/5001"; },
       "template: ipfs_connector.ipfshttp.node_multiaddress: cannot reach an IPFS API at "
       "\"/ip4/127.0.0.1/udp/5001\": expected /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port> or "
       "/unix/<path>"},
      {"boolean as string", [](json& j) { j["cluster"]["follower_mode"] = "yes"; },
       "template: cluster.follower_mode: must be true or false, got string"},
      {"replication min > max",
       [](json& j) {
         j["cluster"]["replication_factor_min"] = 3;
         j["cluster"]["replication_factor_max"] = 2;
       },
       "template: cluster.replication_factor_min: is larger than replication_factor_max (3 > 2)"},
      {"replication one -1",
       [](json& j) { j["cluster"]["replication_factor_max"] = 2; },
       "template: cluster.replication_factor_min: must be -1 together with replication_factor_max "
       "(-1 and 2)"},
      {"low water above high water",
       [](json& j) { j["cluster"]["connection_manager"] = {{"low_water", 500}}; },
       "template: cluster.connection_manager.low_water: is greater than high_water (500 > 400)"},
      {"disk metric type", [](json& j) { j["informer"]["disk"]["metric_type"] = "numpin"; },
       "template: informer.disk.metric_type: must be \"freespace\" or \"reposize\", got \"numpin\""},
      {"tag value not a string", [](json& j) { j["informer"]["tags"] = {{"tags", {{"group", 1}}}}; },
       "template: informer.tags.tags.group: must be a string, got number"},
      {"trusted peer not a string", [](json& j) { j["consensus"]["crdt"]["trusted_peers"] = {7}; },
       "template: consensus.crdt.trusted_peers[0]: must be a string, got number"},
      {"not an object", [](json& j) { j = json::array(); }, "template: must be a JSON object, got array"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(problems_after(c.edit), Lines{c.line}) << c.name;
  }
}

// The reason comes from the multiformats layer; the line's shape is ours.
void expect_one_line_with_prefix(const Lines& lines, const std::string& prefix) {
  ASSERT_EQ(lines.size(), 1u) << ::testing::PrintToString(lines);
  EXPECT_TRUE(lines[0].starts_with(prefix)) << lines[0];
  EXPECT_GT(lines[0].size(), prefix.size()) << lines[0];
  EXPECT_EQ(lines[0].find('\n'), std::string::npos);
}

TEST(TemplateProblems, InvalidMultiaddrNamesIndexAndInput) {
  const std::string peer = std::string("/ip4/127.0.0.1/tcp/9097/p2p/") + test::trusted_id;
  expect_one_line_with_prefix(
      problems_after([&](json& j) { j["cluster"]["peer_addresses"] = {peer, "/ip4/1.2.3/tcp/9096"}; }),
      "template: cluster.peer_addresses[1]: invalid multiaddr \"/ip4/1.2.3/tcp/9096\": ");
  expect_one_line_with_prefix(
      problems_after([](json& j) { j["cluster"]["listen_multiaddress"] = "/ip4/0.0.0.0/tcpx/1"; }),
      "template: cluster.listen_multiaddress: invalid multiaddr \"/ip4/0.0.0.0/tcpx/1\": ");
  expect_one_line_with_prefix(
      problems_after([](json& j) {
        j["cluster"]["listen_multiaddress"] = {"/ip4/0.0.0.0/tcp/9096", "/ip4/0.0.0.0/tcp/99999"};
      }),
      "template: cluster.listen_multiaddress[1]: invalid multiaddr \"/ip4/0.0.0.0/tcp/99999\": ");
}

TEST(TemplateProblems, InvalidPeerIdNamesIndexAndInput) {
  expect_one_line_with_prefix(
      problems_after([](json& j) { j["consensus"]["crdt"]["trusted_peers"] = {test::trusted_id, "nope"}; }),
      "template: consensus.crdt.trusted_peers[1]: invalid peer ID \"nope\": ");
}

TEST(TemplateProblems, InvalidJsonSaysWhere) {
  auto lines = template_problems("{\n  \"cluster\": {\n    x: 1\n  }\n}");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].starts_with("template: invalid JSON at line 3, column 5: ")) << lines[0];
  EXPECT_EQ(lines[0].find('\n'), std::string::npos);
  auto empty = template_problems("");
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_TRUE(empty[0].starts_with("template: invalid JSON at line 1, column 1: ")) << empty[0];
}

TEST(TemplateProblems, CollectsEveryProblemSectionBySection) {
  auto j = test::minimal_template();
  j["cluster"]["secret"] = "abc";
  j["cluster"]["pin_recover_interval"] = "soon";
  j["consensus"]["crdt"]["trusted_peers"] = json::array();
  j["pin_tracker"]["stateless"]["concurrent_pins"] = -4;
  j["datastore"]["leveldb"] = json::object();
  Lines want = {
      "template: cluster.secret: must be 64 hex characters (32 bytes), got 3 characters",
      "template: cluster.pin_recover_interval: invalid duration: time: invalid duration \"soon\"",
      "template: consensus.crdt.trusted_peers: missing or empty; the follower would trust nobody",
      "template: pin_tracker.stateless.concurrent_pins: must be at least 1, got -4",
      "template: datastore: exactly one of badger, badger3, leveldb, pebble is required, found 2 "
      "(leveldb, pebble)",
  };
  EXPECT_EQ(template_problems(j.dump()), want);
  auto r = parse_template(j.dump());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::invalid_template);
  std::string joined;
  for (const auto& l : want) joined += (joined.empty() ? "" : "\n") + l;
  EXPECT_EQ(r.error().message(), joined);
}

TEST(TemplateProblems, MissingClusterSectionIsOneLineNotMany) {
  auto j = test::minimal_template();
  j.erase("cluster");
  j.erase("consensus");
  EXPECT_EQ(template_problems(j.dump()),
            (Lines{"template: cluster section is missing",
                   "template: consensus section is missing; a follower needs consensus.crdt"}));
}

// ~70,000 levels (about 140 KB, far under the 4 MiB template cap): on main the parse kept the
// raw template as doc->dump(), which recursed once per level and crashed (SIGSEGV). Now the
// depth is refused before a document is built, as one line.
TEST(TemplateProblems, DeeplyNestedJsonIsOneLineNotACrash) {
  const std::string valid = test::minimal_template().dump();
  const std::string arrays = std::string(70'000, '[') + std::string(70'000, ']');
  std::string objects;
  for (int i = 0; i < 70'000; ++i) objects += "{\"a\":";
  objects += '0';
  objects.append(70'000, '}');
  for (const auto& deep : {arrays, objects}) {
    auto text = valid.substr(0, valid.size() - 1) + ",\"extra\":" + deep + "}";
    EXPECT_EQ(template_problems(text), Lines{"template: JSON nested deeper than 128 levels"});
    auto r = parse_template(text);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::invalid_template);
    EXPECT_EQ(r.error().message(), "template: JSON nested deeper than 128 levels");
  }
}

// Go accepts durations up to ~292 years; ten of them (daemon.cpp's /health silence bound) or one
// added to a clock reading overflowed int64 nanoseconds (undefined behaviour). Clamped to 365
// days where they are read, with a warning, and the template stays valid.
TEST(TemplateProblems, AbsurdDurationsAreClampedWithAWarning) {
  auto j = test::minimal_template();
  j["consensus"]["crdt"]["rebroadcast_interval"] = "2562047h";
  j["ipfs_connector"]["ipfshttp"]["pin_timeout"] = "1000000h";
  j["cluster"]["monitor_ping_interval"] = "2000000h";
  j["cluster_follow"] = {{"rest_api", {{"url", "http://127.0.0.1:9094"}, {"poll_interval", "2500000h"}}}};
  auto t = parse_template(j.dump());
  ASSERT_TRUE(t) << t.error().message();
  EXPECT_EQ(t->crdt.rebroadcast_interval, max_template_duration);
  EXPECT_EQ(t->ipfshttp.pin_timeout, max_template_duration);
  EXPECT_EQ(t->cluster.monitor_ping_interval, max_template_duration);
  ASSERT_TRUE(t->rest_api);
  EXPECT_EQ(t->rest_api->poll_interval, max_template_duration);
  // What the daemon does with them stays far inside the int64 range.
  EXPECT_GT((20 * t->rest_api->poll_interval).count(), 0);
  EXPECT_GT((std::chrono::system_clock::now().time_since_epoch() + 20 * max_template_duration).count(), 0);
  EXPECT_EQ(t->warnings,
            (Lines{"template: cluster.monitor_ping_interval: 2000000h0m0s is beyond the 8760h0m0s limit; "
                   "using 8760h0m0s",
                   "template: consensus.crdt.rebroadcast_interval: 2562047h0m0s is beyond the 8760h0m0s limit; "
                   "using 8760h0m0s",
                   "template: ipfs_connector.ipfshttp.pin_timeout: 1000000h0m0s is beyond the 8760h0m0s limit; "
                   "using 8760h0m0s",
                   "template: cluster_follow.rest_api.poll_interval: 2500000h0m0s is beyond the 8760h0m0s limit; "
                   "using 8760h0m0s"}));
  // The bound itself is not clamped.
  j = test::minimal_template();
  j["consensus"]["crdt"]["rebroadcast_interval"] = "8760h";
  auto at_bound = parse_template(j.dump());
  ASSERT_TRUE(at_bound) << at_bound.error().message();
  EXPECT_EQ(at_bound->crdt.rebroadcast_interval, max_template_duration);
  EXPECT_TRUE(at_bound->warnings.empty());
}

TEST(TemplateProblems, SecretNeverEchoed) {
  auto j = test::minimal_template();
  j["cluster"]["secret"] = "sekrit-value";
  auto lines = template_problems(j.dump());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].find("sekrit"), std::string::npos) << lines[0];
}

}  // namespace
}  // namespace cf::cluster
