// The Router's heartbeat (go-libp2p-pubsub v0.16 gossipsub.go heartbeat/emitGossip;
// libp2p-wire.md §7.5, §7.7): priority re-graft after backoff plus one heartbeat, mesh fill below
// Dlo and trim above Dhi (never priority peers), IHAVE gossip windows, cache expiry.
#include "cf/p2p/gossipsub/router.hpp"

#include <gtest/gtest.h>

#include "p2p/gossipsub/router_harness.hpp"

namespace cf::p2p::gossipsub {
namespace {

using namespace test;  // NOLINT: the harness's vocabulary

TEST(GossipsubRouterHeartbeat, PriorityPeerIsReGraftedOnceBackoffAndOneHeartbeatPassed) {
  Net net;
  Router& follower = net.add(1);
  Router& trusted = net.add(2);
  trusted.subscribe(topic, net.now);
  follower.subscribe(topic, net.now);
  follower.set_priority_peers({id_of(2)}, net.now);
  net.connect(1, 2);
  net.pump();
  ASSERT_EQ(trusted.mesh_peers(topic).size(), 1u);
  // The trusted peer prunes us (60 s backoff).
  ASSERT_TRUE(follower.on_rpc(id_of(2), encode(prune_rpc(topic, 60)), net.now));
  EXPECT_TRUE(follower.mesh_peers(topic).empty());
  const std::size_t grafts_before = follower.counters().grafts_sent;
  const TimePoint pruned_at = net.now;
  for (int s = 10; s <= 60; s += 10) {
    net.now = pruned_at + seconds(s);
    follower.heartbeat(net.now);
    EXPECT_EQ(follower.counters().grafts_sent, grafts_before) << "at +" << s << " s";
    (void)follower.take_output();
  }
  net.now = pruned_at + seconds(70);  // backoff + one heartbeat
  follower.heartbeat(net.now);
  EXPECT_EQ(follower.counters().grafts_sent, grafts_before + 1);
  net.pump();
  EXPECT_EQ(follower.mesh_peers(topic), std::vector<PeerId>{id_of(2)});
  EXPECT_EQ(trusted.mesh_peers(topic), std::vector<PeerId>{id_of(1)});
}

TEST(GossipsubRouterHeartbeat, MeshIsFilledBelowDloWithSubscribedPeersNotBackedOff) {
  Router r(id_of(1), small_config());  // d 3, d_lo 2, d_hi 5
  r.subscribe(topic, t0);
  for (std::uint8_t p = 2; p <= 6; ++p) {
    ASSERT_TRUE(r.add_peer(id_of(p), protocol_v12, t0));
    ASSERT_TRUE(r.on_rpc(id_of(p), encode(sub_rpc(p == 6 ? metrics : topic)), t0));
  }
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(prune_rpc(topic, 60)), t0));
  (void)r.take_output();
  r.heartbeat(t0 + seconds(10));
  const auto mesh = r.mesh_peers(topic);
  ASSERT_EQ(mesh.size(), 3u);
  for (const auto& p : mesh) {
    EXPECT_NE(p, id_of(2)) << "backed off";
    EXPECT_NE(p, id_of(6)) << "not subscribed";
  }
  auto out = drain(r);
  for (const auto& p : mesh) EXPECT_EQ(grafts(out[p]).size(), 1u);
  // At or above Dlo nothing more is grafted.
  r.heartbeat(t0 + seconds(20));
  EXPECT_EQ(r.mesh_peers(topic).size(), 3u);
}

TEST(GossipsubRouterHeartbeat, MeshAboveDhiIsTrimmedToDKeepingPriorityPeers) {
  Router r(id_of(1), small_config());
  r.subscribe(topic, t0);
  for (std::uint8_t p = 2; p <= 8; ++p) {
    ASSERT_TRUE(r.add_peer(id_of(p), protocol_v12, t0));
    ASSERT_TRUE(r.on_rpc(id_of(p), encode(sub_rpc(topic)), t0));
  }
  for (std::uint8_t p = 2; p <= 6; ++p) ASSERT_TRUE(r.on_rpc(id_of(p), encode(graft_rpc(topic)), t0));
  r.set_priority_peers({id_of(7), id_of(8)}, t0);
  ASSERT_EQ(r.mesh_peers(topic).size(), 7u);
  (void)r.take_output();
  r.heartbeat(t0 + seconds(10));
  const auto mesh = r.mesh_peers(topic);
  EXPECT_EQ(mesh.size(), 3u);
  EXPECT_NE(std::find(mesh.begin(), mesh.end(), id_of(7)), mesh.end());
  EXPECT_NE(std::find(mesh.begin(), mesh.end(), id_of(8)), mesh.end());
  auto out = drain(r);
  std::size_t pruned = 0;
  for (std::uint8_t p = 2; p <= 6; ++p) {
    const auto pr = prunes(out[id_of(p)]);
    pruned += pr.size();
    if (!pr.empty()) {
      EXPECT_EQ(pr[0].backoff, 60u);
    }
  }
  EXPECT_EQ(pruned, 4u);
}

TEST(GossipsubRouterHeartbeat, PriorityPeerWithoutTheTopicLeavesTheMesh) {
  Router r(id_of(1), small_config());
  r.subscribe(topic, t0);
  r.set_priority_peers({id_of(2)}, t0);
  ASSERT_TRUE(r.add_peer(id_of(2), protocol_v12, t0));
  EXPECT_TRUE(r.mesh_peers(topic).empty()) << "not grafted before its hello says it joined the topic";
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(sub_rpc(topic)), t0));
  ASSERT_EQ(r.mesh_peers(topic).size(), 1u) << "grafted as soon as its hello lists the topic";
  SubOpts leave{false, topic};
  Rpc left;
  left.subscriptions.push_back(leave);
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(left), t0));
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(sub_rpc(metrics)), t0));
  r.heartbeat(t0 + seconds(10));
  EXPECT_TRUE(r.mesh_peers(topic).empty());
}

TEST(GossipsubRouterHeartbeat, GossipCoversTheLastHistoryGossipWindows) {
  RouterConfig config = small_config();
  config.d_lo = 0;
  Router r(id_of(1), config);
  r.subscribe(topic, t0);
  for (std::uint8_t p = 2; p <= 3; ++p) {
    ASSERT_TRUE(r.add_peer(id_of(p), protocol_v12, t0));
    ASSERT_TRUE(r.on_rpc(id_of(p), encode(sub_rpc(topic)), t0));
  }
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(graft_rpc(topic)), t0));  // mesh peers get no IHAVE
  (void)r.take_output();
  const auto id = *r.publish(key_of(1), topic, Bytes{1}, t0);
  (void)r.take_output();
  TimePoint now = t0;
  for (int beat = 1; beat <= 3; ++beat) {
    now += seconds(10);
    r.heartbeat(now);
    auto out = drain(r);
    const auto ih = ihaves(out[id_of(2)]);
    if (beat <= 2) {  // history_gossip = 2
      ASSERT_EQ(ih.size(), 1u) << beat;
      EXPECT_EQ(ih[0].ids, std::vector<MessageId>{id});
    } else {
      EXPECT_TRUE(ih.empty()) << beat;
    }
    EXPECT_TRUE(ihaves(out[id_of(3)]).empty());
  }
  // Still served for IWANT until history_length (6) heartbeats have passed.
  Rpc iwant;
  iwant.control.iwant = {{{id}}};
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(iwant), now));
  EXPECT_EQ(messages(drain(r)[id_of(2)]).size(), 1u);
  for (int beat = 4; beat <= 6; ++beat) r.heartbeat(now += seconds(10));
  (void)r.take_output();
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(iwant), now));
  EXPECT_FALSE(r.has_output());
  EXPECT_EQ(r.cached_messages(), 0u);
}

TEST(GossipsubRouterHeartbeat, IHaveIsCappedAtMaxIHaveLength) {
  RouterConfig config = small_config();
  config.d_lo = 0;
  config.max_ihave_length = 4;
  Router r(id_of(1), config);
  r.subscribe(topic, t0);
  ASSERT_TRUE(r.add_peer(id_of(2), protocol_v12, t0));
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(sub_rpc(topic)), t0));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(r.publish(key_of(1), topic, Bytes{1}, t0));
  (void)r.take_output();
  r.heartbeat(t0 + seconds(10));
  const auto ih = ihaves(drain(r)[id_of(2)]);
  ASSERT_EQ(ih.size(), 1u);
  EXPECT_EQ(ih[0].ids.size(), 4u);
}

TEST(GossipsubRouterHeartbeat, SeenEntriesExpireAfterTheTtl) {
  RouterConfig config = small_config();
  config.seen_ttl = std::chrono::minutes(2);
  Router r(id_of(1), config);
  r.subscribe(topic, t0);
  const Message m = signed_message(5, topic, Bytes{1}, 1);
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(publish_rpc(m)), t0));
  EXPECT_EQ(r.seen_size(), 2u) << "both ID forms";
  r.heartbeat(t0 + seconds(119));
  EXPECT_EQ(r.seen_size(), 2u);
  r.heartbeat(t0 + seconds(120));
  EXPECT_EQ(r.seen_size(), 0u);
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(publish_rpc(m)), t0 + seconds(121)));
  EXPECT_EQ(r.counters().delivered, 2u) << "after the TTL the message is new again (as in go)";
}

TEST(GossipsubRouterHeartbeat, FanoutExpiresAfterTheTtl) {
  Router r(id_of(1), small_config());
  ASSERT_TRUE(r.add_peer(id_of(2), protocol_v12, t0));
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(sub_rpc(metrics)), t0));
  ASSERT_TRUE(r.publish(key_of(1), metrics, Bytes{1}, t0));
  EXPECT_EQ(messages(drain(r)[id_of(2)]).size(), 1u);
  r.heartbeat(t0 + seconds(10));
  EXPECT_EQ(ihaves(drain(r)[id_of(2)]).size(), 0u) << "fanout peers get no IHAVE";
  r.heartbeat(t0 + seconds(60));
  (void)r.take_output();
  // The fanout is gone; the next publish picks a new one.
  ASSERT_TRUE(r.publish(key_of(1), metrics, Bytes{2}, t0 + seconds(61)));
  EXPECT_EQ(messages(drain(r)[id_of(2)]).size(), 1u);
}

}  // namespace
}  // namespace cf::p2p::gossipsub
