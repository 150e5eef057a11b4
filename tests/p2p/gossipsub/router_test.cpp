// The Router's API, with Routers wired back to back (router_harness.hpp): hello and
// subscription exchange, priority grafts, publishing to the mesh and to fanout peers, the
// outbound bound and RPC splitting, leaving a topic, forgetting a peer, introspection.
#include "cf/p2p/gossipsub/router.hpp"

#include <gtest/gtest.h>

#include "cf/p2p/gossipsub/errc.hpp"
#include "p2p/gossipsub/router_harness.hpp"

namespace cf::p2p::gossipsub {
namespace {

using namespace test;  // NOLINT: the harness's vocabulary

const PeerTopicInfo* topic_info(const std::optional<PeerInfo>& info, const std::string& t) {
  if (!info) return nullptr;
  for (const auto& ti : info->topics) {
    if (ti.topic == t) return &ti;
  }
  return nullptr;
}

TEST(GossipsubRouter, HellosCarryEverySubscription) {
  Net net;
  Router& a = net.add(1);
  Router& b = net.add(2);
  a.subscribe(topic, net.now);
  a.subscribe(metrics, net.now);
  b.subscribe(topic, net.now);
  net.connect(1, 2, protocol_v12, protocol_v11);
  net.pump();
  const auto hello = net.sent(1, 2);
  ASSERT_EQ(hello.size(), 1u);
  ASSERT_EQ(hello[0].subscriptions.size(), 2u);
  EXPECT_TRUE(hello[0].subscriptions[0].subscribe);
  EXPECT_EQ(hello[0].subscriptions[0].topic, topic);  // std::set order
  EXPECT_EQ(hello[0].subscriptions[1].topic, metrics);
  EXPECT_TRUE(hello[0].control.empty()) << "no priority peers, no GRAFT";

  const auto info = b.peer_info(id_of(1));
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->hello_seen);
  EXPECT_EQ(info->protocol, protocol_v11);
  ASSERT_NE(topic_info(info, metrics), nullptr);
  EXPECT_TRUE(topic_info(info, metrics)->subscribed);
  EXPECT_TRUE(topic_info(info, topic)->subscribed);
  EXPECT_FALSE(topic_info(info, topic)->in_our_mesh);

  // Later SubOpts update the peer's subscriptions.
  a.unsubscribe(metrics, net.now);
  net.pump();
  const auto after = b.peer_info(id_of(1));
  EXPECT_EQ(topic_info(after, metrics), nullptr) << "nothing left to say about that topic";
  ASSERT_NE(topic_info(after, topic), nullptr);
  EXPECT_TRUE(topic_info(after, topic)->subscribed);
}

TEST(GossipsubRouter, AddPeerRejectsOtherProtocols) {
  Router r(id_of(1));
  EXPECT_EQ(r.add_peer(id_of(2), "/floodsub/1.0.0", t0).error(), errc::unsupported_protocol);
  EXPECT_EQ(r.add_peer(id_of(2), "/meshsub/1.3.0", t0).error(), errc::unsupported_protocol);
  EXPECT_FALSE(r.has_output());
  EXPECT_TRUE(r.add_peer(id_of(2), protocol_v10, t0));
}

TEST(GossipsubRouter, PriorityPeerGetsSubscriptionsAndGraftInFirstRpc) {
  Net net;
  Router& follower = net.add(1);
  Router& trusted = net.add(2);
  trusted.subscribe(topic, net.now);
  follower.subscribe(topic, net.now);
  follower.set_priority_peers({id_of(2)}, net.now);
  net.connect(1, 2);
  net.pump();
  const auto first = net.sent(1, 2);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].subscriptions.size(), 1u);
  ASSERT_EQ(first[0].control.graft.size(), 1u);
  EXPECT_EQ(first[0].control.graft[0].topic, topic);
  EXPECT_EQ(follower.mesh_peers(topic), std::vector<PeerId>{id_of(2)});
  EXPECT_EQ(trusted.mesh_peers(topic), std::vector<PeerId>{id_of(1)});
  EXPECT_EQ(topic_info(follower.peer_info(id_of(2)), topic)->their_mesh, RemoteMesh::we_grafted);
  EXPECT_EQ(topic_info(trusted.peer_info(id_of(1)), topic)->their_mesh, RemoteMesh::they_grafted);
  EXPECT_EQ(follower.counters().grafts_sent, 1u);
  EXPECT_EQ(trusted.counters().grafts_received, 1u);
  EXPECT_TRUE(net.sent(2, 1).at(0).control.empty()) << "an accepted GRAFT gets no reply";
}

TEST(GossipsubRouter, PriorityPeersSetLaterAreGraftedAtOnce) {
  Router r(id_of(1), small_config());
  r.subscribe(topic, t0);
  ASSERT_TRUE(r.add_peer(id_of(2), protocol_v12, t0));
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(sub_rpc(topic)), t0));
  (void)r.take_output();
  r.set_priority_peers({id_of(2)}, t0);
  auto out = drain(r);
  ASSERT_EQ(grafts(out[id_of(2)]).size(), 1u);
  // A priority peer whose hello lacks the topic is not grafted.
  ASSERT_TRUE(r.add_peer(id_of(3), protocol_v12, t0));
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(sub_rpc(metrics)), t0));
  r.set_priority_peers({id_of(2), id_of(3)}, t0);
  out = drain(r);
  EXPECT_TRUE(grafts(out[id_of(3)]).empty());
}

TEST(GossipsubRouter, PublishGoesToMeshPeersAndIsDelivered) {
  Net net;
  Router& a = net.add(1);
  Router& b = net.add(2);
  a.subscribe(topic, net.now);
  b.subscribe(topic, net.now);
  a.set_priority_peers({id_of(2)}, net.now);
  net.connect(1, 2);
  net.pump();
  auto id = a.publish(net.key(1), topic, Bytes{'p', 'i', 'n'}, net.now);
  ASSERT_TRUE(id) << id.error().message();
  net.pump();
  ASSERT_EQ(net.deliveries(2).size(), 1u);
  const Delivery& d = net.deliveries(2)[0];
  EXPECT_EQ(d.topic, topic);
  EXPECT_EQ(d.id, *id);
  EXPECT_EQ(d.author, id_of(1));
  EXPECT_EQ(d.received_from, id_of(1));
  EXPECT_EQ(d.message.data, (Bytes{'p', 'i', 'n'}));
  EXPECT_EQ(a.counters().published, 1u);
  EXPECT_EQ(b.counters().delivered, 1u);
  EXPECT_TRUE(net.deliveries(1).empty()) << "our own messages are not delivered to us";
  // Seqnos count up from first_seqno, big-endian.
  auto second = a.publish(net.key(1), topic, Bytes{'2'}, net.now);
  net.pump();
  EXPECT_EQ(net.deliveries(2).at(1).message.seqno, (Bytes{0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_NE(*second, *id);
}

TEST(GossipsubRouter, PublishWithAnotherKeyIsRefused) {
  Router r(id_of(1));
  EXPECT_EQ(r.publish(key_of(2), topic, Bytes{1}, t0).error(), errc::wrong_key);
  EXPECT_EQ(r.counters().published, 0u);
}

TEST(GossipsubRouter, PublishToUnjoinedTopicUsesFanout) {
  Net net;
  Router& follower = net.add(1);
  Router& peer = net.add(2);
  Router& other = net.add(3);
  peer.subscribe(metrics, net.now);
  net.connect(1, 2);
  net.connect(1, 3);  // not subscribed to metrics: no fanout
  net.pump();
  ASSERT_TRUE(follower.publish(net.key(1), metrics, Bytes{'m'}, net.now));
  net.pump();
  EXPECT_EQ(net.deliveries(2).size(), 1u);
  EXPECT_TRUE(messages(net.sent(1, 3)).empty());
  EXPECT_TRUE(follower.mesh_peers(metrics).empty());
  (void)other;
  // The fanout set outlives publishes for fanout_ttl, then goes.
  net.now += seconds(30);
  follower.heartbeat(net.now);
  ASSERT_TRUE(follower.publish(net.key(1), metrics, Bytes{'n'}, net.now));
  net.pump();
  EXPECT_EQ(net.deliveries(2).size(), 2u);
}

TEST(GossipsubRouter, OutboundQueueIsBounded) {
  RouterConfig config = small_config();
  config.max_queued_bytes_per_peer = 4096;
  Router r(id_of(1), config);
  r.subscribe(topic, t0);
  r.set_priority_peers({id_of(2)}, t0);
  ASSERT_TRUE(r.add_peer(id_of(2), protocol_v12, t0));
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(sub_rpc(topic)), t0));
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(r.publish(key_of(1), topic, Bytes(1000, 1), t0));
  EXPECT_LE(r.peer_info(id_of(2))->queued_bytes, 4096u);
  EXPECT_GT(r.counters().output_dropped, 0u);
  auto out = drain(r);
  EXPECT_EQ(messages(out[id_of(2)]).size(), 20 - r.counters().output_dropped);
  EXPECT_EQ(grafts(out[id_of(2)]).size(), 1u) << "our own GRAFT is never dropped";
}

TEST(GossipsubRouter, LargeOutputIsSplitIntoRpcsUnderTheLimit) {
  RouterConfig config = small_config();
  config.max_queued_bytes_per_peer = 8 << 20;
  Router r(id_of(1), config);
  r.subscribe(topic, t0);
  r.set_priority_peers({id_of(2)}, t0);
  ASSERT_TRUE(r.add_peer(id_of(2), protocol_v12, t0));
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(sub_rpc(topic)), t0));
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(r.publish(key_of(1), topic, Bytes(300'000, 2), t0));
  const auto out = r.take_output(id_of(2));
  EXPECT_GE(out.size(), 3u);
  std::size_t total = 0;
  for (const auto& rpc : out) {
    EXPECT_LE(rpc.size(), max_rpc_size);
    total += decode_rpc(rpc)->publish.size();
  }
  EXPECT_EQ(total, 7u);
  EXPECT_TRUE(r.take_output(id_of(2)).empty());
}

TEST(GossipsubRouter, UnsubscribePrunesTheMeshWithUnsubscribeBackoff) {
  Net net;
  Router& a = net.add(1);
  Router& b = net.add(2);
  a.subscribe(topic, net.now);
  b.subscribe(topic, net.now);
  a.set_priority_peers({id_of(2)}, net.now);
  net.connect(1, 2);
  net.pump();
  ASSERT_EQ(b.mesh_peers(topic).size(), 1u);
  a.unsubscribe(topic, net.now);
  net.pump();
  const auto rpcs = net.sent(1, 2);
  const auto p = prunes(rpcs);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].backoff, 10u);
  EXPECT_FALSE(rpcs.back().subscriptions.at(0).subscribe);
  EXPECT_TRUE(b.mesh_peers(topic).empty());
  EXPECT_TRUE(a.mesh_peers(topic).empty());
  EXPECT_TRUE(a.subscriptions().empty());
  const auto info = a.peer_info(id_of(2));
  ASSERT_NE(topic_info(info, topic), nullptr);
  EXPECT_EQ(topic_info(info, topic)->backoff_until, net.now + seconds(10));
}

TEST(GossipsubRouter, RemovePeerForgetsIt) {
  Net net;
  Router& a = net.add(1);
  Router& b = net.add(2);
  a.subscribe(topic, net.now);
  b.subscribe(topic, net.now);
  a.set_priority_peers({id_of(2)}, net.now);
  net.connect(1, 2);
  net.pump();
  ASSERT_EQ(a.mesh_peers(topic).size(), 1u);
  a.remove_peer(id_of(2));
  EXPECT_TRUE(a.mesh_peers(topic).empty());
  EXPECT_FALSE(a.peer_info(id_of(2)));
  EXPECT_TRUE(a.peers().empty());
  ASSERT_TRUE(a.publish(net.key(1), topic, Bytes{1}, net.now));
  EXPECT_FALSE(a.has_output());
}

TEST(GossipsubRouter, UndrainedDeliveriesAreBounded) {
  RouterConfig config = small_config();
  config.max_pending_deliveries = 2;
  Router r(id_of(1), config);
  r.subscribe(topic, t0);
  for (std::uint64_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(r.on_rpc(id_of(2), encode(publish_rpc(signed_message(3, topic, Bytes{1}, i))), t0));
  }
  EXPECT_EQ(r.counters().delivered, 4u);
  EXPECT_EQ(r.counters().deliveries_dropped, 2u);
  EXPECT_TRUE(r.next_delivery());
  EXPECT_TRUE(r.next_delivery());
  EXPECT_FALSE(r.next_delivery());
}

TEST(GossipsubRouter, NoOutputForPeersWithoutAStream) {
  Router r(id_of(1), small_config());
  r.subscribe(topic, t0);
  // A GRAFT from a peer we have no outbound stream to: accepted, but nothing can be sent.
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(graft_rpc(topic)), t0));
  EXPECT_EQ(r.mesh_peers(topic), std::vector<PeerId>{id_of(2)});
  EXPECT_FALSE(r.has_output());
  ASSERT_TRUE(r.add_peer(id_of(2), protocol_v12, t0));
  EXPECT_EQ(drain(r)[id_of(2)].at(0).subscriptions.size(), 1u);
}

}  // namespace
}  // namespace cf::p2p::gossipsub
