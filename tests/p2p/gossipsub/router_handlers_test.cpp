// The Router's per-message handlers, driven by scripted peers and by Routers back to back:
// GRAFT refusals, PRUNE backoff, IHAVE -> IWANT -> message, IWANT limits, forwarding rules,
// IDONTWANT both ways, dedup under both ID forms, validator verdicts, bad signatures, malformed
// RPCs (go-libp2p-pubsub v0.16 gossipsub.go handle*, pubsub.go pushMsg, validation.go).
#include "cf/p2p/gossipsub/router.hpp"

#include <gtest/gtest.h>

#include "cf/p2p/gossipsub/errc.hpp"
#include "p2p/gossipsub/router_harness.hpp"

namespace cf::p2p::gossipsub {
namespace {

using namespace test;  // NOLINT: the harness's vocabulary

// A router subscribed to `topic` with scripted peers 2..n added (1.2) and subscribed.
Router subscribed_router(std::uint8_t peers, RouterConfig config = small_config()) {
  Router r(id_of(1), config);
  r.subscribe(topic, t0);
  for (std::uint8_t p = 2; p <= peers; ++p) {
    EXPECT_TRUE(r.add_peer(id_of(p), protocol_v12, t0));
    EXPECT_TRUE(r.on_rpc(id_of(p), encode(sub_rpc(topic)), t0));
  }
  (void)r.take_output();
  return r;
}

TEST(GossipsubRouterHandlers, GraftForUnknownTopicIsPruned) {
  Router r = subscribed_router(2);
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(graft_rpc("other")), t0));
  auto out = drain(r);
  const auto p = prunes(out[id_of(2)]);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].topic, "other");
  EXPECT_EQ(p[0].backoff, 60u);
  EXPECT_EQ(p[0].px_peers, 0u);
  EXPECT_TRUE(r.mesh_peers("other").empty());
  EXPECT_EQ(r.counters().prunes_sent, 1u);
  // To a 1.0 peer the PRUNE carries the topic only.
  ASSERT_TRUE(r.add_peer(id_of(3), protocol_v10, t0));
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(graft_rpc("other")), t0));
  EXPECT_EQ(prunes(drain(r)[id_of(3)]).at(0).backoff, std::nullopt);
}

TEST(GossipsubRouterHandlers, PruneBacksOffAndGraftInBackoffIsRefused) {
  Router r = subscribed_router(2);
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(graft_rpc(topic)), t0));
  ASSERT_EQ(r.mesh_peers(topic).size(), 1u);
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(prune_rpc(topic, 30)), t0));
  EXPECT_TRUE(r.mesh_peers(topic).empty());
  EXPECT_EQ(r.counters().prunes_received, 1u);
  auto info = r.peer_info(id_of(2));
  EXPECT_EQ(info->topics.at(0).backoff_until, t0 + seconds(30));
  EXPECT_EQ(info->topics.at(0).their_mesh, RemoteMesh::they_pruned);

  // GRAFT before the expiry: PRUNE, and the backoff renewed to prune_backoff from now.
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(graft_rpc(topic)), t0 + seconds(29)));
  EXPECT_EQ(prunes(drain(r)[id_of(2)]).size(), 1u);
  EXPECT_TRUE(r.mesh_peers(topic).empty());
  EXPECT_EQ(r.peer_info(id_of(2))->topics.at(0).backoff_until, t0 + seconds(89));
  // At the expiry (go: strictly before refuses), the GRAFT is accepted.
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(graft_rpc(topic)), t0 + seconds(89)));
  EXPECT_TRUE(drain(r).empty());
  EXPECT_EQ(r.mesh_peers(topic).size(), 1u);
}

TEST(GossipsubRouterHandlers, PruneWithoutBackoffUsesTheDefaultAndHugeOnesAreClamped) {
  Router r = subscribed_router(3);
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(prune_rpc(topic, std::nullopt)), t0));
  EXPECT_EQ(r.peer_info(id_of(2))->topics.at(0).backoff_until, t0 + seconds(60));
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(prune_rpc(topic, ~std::uint64_t{0})), t0));
  EXPECT_EQ(r.peer_info(id_of(3))->topics.at(0).backoff_until, t0 + seconds(24 * 3600));
  // A PRUNE for a topic we have not joined changes nothing.
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(prune_rpc("other", 5)), t0));
  EXPECT_EQ(r.peer_info(id_of(2))->topics.size(), 1u);
}

TEST(GossipsubRouterHandlers, GraftIntoFullMeshIsRefusedExceptForPriorityPeers) {
  Router r = subscribed_router(7);  // d_hi = 5
  for (std::uint8_t p = 2; p <= 6; ++p) ASSERT_TRUE(r.on_rpc(id_of(p), encode(graft_rpc(topic)), t0));
  ASSERT_EQ(r.mesh_peers(topic).size(), 5u);
  (void)r.take_output();
  ASSERT_TRUE(r.on_rpc(id_of(7), encode(graft_rpc(topic)), t0));
  EXPECT_EQ(prunes(drain(r)[id_of(7)]).size(), 1u);
  EXPECT_EQ(r.mesh_peers(topic).size(), 5u);
  EXPECT_TRUE(r.peer_info(id_of(7))->topics.at(0).backoff_until.has_value());
  // A priority peer (whose hello did not list the topic, so we did not graft it ourselves).
  ASSERT_TRUE(r.add_peer(id_of(8), protocol_v12, t0));
  ASSERT_TRUE(r.on_rpc(id_of(8), encode(sub_rpc(metrics)), t0));
  r.set_priority_peers({id_of(8)}, t0);
  (void)r.take_output();
  ASSERT_EQ(r.mesh_peers(topic).size(), 5u);
  ASSERT_TRUE(r.on_rpc(id_of(8), encode(graft_rpc(topic)), t0));
  EXPECT_FALSE(r.has_output());
  EXPECT_EQ(r.mesh_peers(topic).size(), 6u);
}

TEST(GossipsubRouterHandlers, IHaveIWantMessageBetweenRouters) {
  RouterConfig config = small_config();
  config.d_lo = 0;  // no mesh: the message can only travel by gossip
  Net net;
  Router& a = net.add(1, config);
  Router& c = net.add(3, config);
  a.subscribe(topic, net.now);
  c.subscribe(topic, net.now);
  net.connect(1, 3);
  net.pump();
  ASSERT_TRUE(a.mesh_peers(topic).empty());
  auto id = a.publish(net.key(1), topic, Bytes{'g'}, net.now);
  ASSERT_TRUE(id);
  EXPECT_EQ(net.pump(), 0u);
  a.heartbeat(net.now);
  net.pump();
  const auto ih = ihaves(net.sent(1, 3));
  ASSERT_EQ(ih.size(), 1u);
  EXPECT_EQ(ih[0].ids, std::vector<MessageId>{*id});
  EXPECT_EQ(iwant_ids(net.sent(3, 1)), std::vector<MessageId>{*id});
  ASSERT_EQ(net.deliveries(3).size(), 1u);
  EXPECT_EQ(net.deliveries(3)[0].id, *id);
  EXPECT_EQ(a.counters().iwant_served, 1u);
  EXPECT_EQ(c.counters().iwant_sent, 1u);
  EXPECT_EQ(c.peer_info(id_of(1))->topics.at(0).last_ihave, net.now);
  // Gossip about a message already seen asks for nothing.
  a.heartbeat(net.now);
  net.pump();
  EXPECT_EQ(iwant_ids(net.sent(3, 1)).size(), 1u);
}

TEST(GossipsubRouterHandlers, IWantIsServedAtMostGossipRetransmissionTimes) {
  Router r = subscribed_router(2);
  auto id = r.publish(key_of(1), topic, Bytes{1}, t0);
  ASSERT_TRUE(id);
  Rpc iwant;
  iwant.control.iwant = {{{*id}}};
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(r.on_rpc(id_of(2), encode(iwant), t0));
  EXPECT_EQ(messages(drain(r)[id_of(2)]).size(), 3u);
  EXPECT_EQ(r.counters().iwant_served, 3u);
  // An ID asked twice in one request is served once (and counts twice, as in go).
  auto other = r.publish(key_of(1), topic, Bytes{2}, t0);
  iwant.control.iwant = {{{*other, *other}}};
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(iwant), t0));
  EXPECT_EQ(messages(drain(r)[id_of(2)]).size(), 1u);
  // Unknown IDs are ignored.
  iwant.control.iwant = {{{Bytes{1, 2, 3}}}};
  ASSERT_TRUE(r.on_rpc(id_of(2), encode(iwant), t0));
  EXPECT_FALSE(r.has_output());
}

TEST(GossipsubRouterHandlers, IHaveIsRateLimitedAndEachIdAskedOnce) {
  RouterConfig config = small_config();
  config.max_ihave_messages = 2;
  config.max_ihave_length = 3;
  Router r = subscribed_router(3, config);
  auto ihave = [](std::vector<MessageId> ids) {
    Rpc rpc;
    rpc.control.ihave = {{topic, std::move(ids)}, {"other", {Bytes{9}}}};
    return encode(rpc);
  };
  ASSERT_TRUE(r.on_rpc(id_of(2), ihave({Bytes{1}, Bytes{2}, Bytes{1}}), t0));
  EXPECT_EQ(iwant_ids(drain(r)[id_of(2)]), (std::vector<MessageId>{Bytes{1}, Bytes{2}}));
  // The same IDs from another peer are not asked again while the first IWANT is outstanding.
  ASSERT_TRUE(r.on_rpc(id_of(3), ihave({Bytes{1}, Bytes{2}}), t0));
  EXPECT_FALSE(r.has_output());
  // Peer 2 may be asked one more ID this heartbeat (max_ihave_length 3), in 2 IHAVE RPCs.
  ASSERT_TRUE(r.on_rpc(id_of(2), ihave({Bytes{3}, Bytes{4}}), t0));
  EXPECT_EQ(iwant_ids(drain(r)[id_of(2)]), std::vector<MessageId>{Bytes{3}});
  ASSERT_TRUE(r.on_rpc(id_of(2), ihave({Bytes{5}}), t0));
  EXPECT_FALSE(r.has_output());
  // A new heartbeat resets the counters; after iwant_followup the IDs may be asked again.
  r.heartbeat(t0 + seconds(10));
  (void)r.take_output();
  ASSERT_TRUE(r.on_rpc(id_of(3), ihave({Bytes{1}, Bytes{5}}), t0 + seconds(10)));
  EXPECT_EQ(iwant_ids(drain(r)[id_of(3)]), (std::vector<MessageId>{Bytes{1}, Bytes{5}}));
  EXPECT_EQ(r.counters().ihave_received, 10u);
}

// Router 1 with peers 2 (author), 3 (source) and 4, all grafted into its mesh.
Router forwarding_router(RouterConfig config = small_config()) {
  Router r = subscribed_router(4, config);
  for (std::uint8_t p = 2; p <= 4; ++p) EXPECT_TRUE(r.on_rpc(id_of(p), encode(graft_rpc(topic)), t0));
  (void)r.take_output();
  return r;
}

TEST(GossipsubRouterHandlers, ForwardsToMeshExceptSourceAndAuthor) {
  Router r = forwarding_router();
  const Message m = signed_message(2, topic, Bytes{'f'}, 1);
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(m)), t0));
  auto out = drain(r);
  EXPECT_EQ(out.count(id_of(2)), 0u);
  EXPECT_EQ(out.count(id_of(3)), 0u);
  const auto fwd = messages(out[id_of(4)]);
  ASSERT_EQ(fwd.size(), 1u);
  EXPECT_EQ(fwd[0].raw, m.raw) << "forwarded byte for byte";
  EXPECT_EQ(r.counters().forwarded, 1u);
  const auto d = r.next_delivery();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->author, id_of(2));
  EXPECT_EQ(d->received_from, id_of(3));
  EXPECT_EQ(r.peer_info(id_of(3))->topics.at(0).last_message, t0);
}

TEST(GossipsubRouterHandlers, IDontWantIsHonouredForForwardingAndIWant) {
  Router r = forwarding_router();
  const Message m = signed_message(5, topic, Bytes{'x'}, 1);
  Rpc dont;
  dont.control.idontwant = {{{message_id(m, IdForm::full)}}};  // either form counts
  ASSERT_TRUE(r.on_rpc(id_of(4), encode(dont), t0));
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(m)), t0));
  auto out = drain(r);
  EXPECT_EQ(messages(out[id_of(2)]).size(), 1u);
  EXPECT_EQ(out.count(id_of(4)), 0u);
  Rpc iwant;
  iwant.control.iwant = {{{message_id(m, IdForm::full)}}};
  ASSERT_TRUE(r.on_rpc(id_of(4), encode(iwant), t0));
  EXPECT_FALSE(r.has_output());
  EXPECT_EQ(r.counters().idontwant_received, 1u);
  // IDONTWANT entries age out after idontwant_ttl_heartbeats.
  for (int i = 0; i < 3; ++i) r.heartbeat(t0 + seconds(10 * (i + 1)));
  (void)r.take_output();
  ASSERT_TRUE(r.on_rpc(id_of(4), encode(iwant), t0 + seconds(30)));
  EXPECT_EQ(messages(drain(r)[id_of(4)]).size(), 1u);
}

TEST(GossipsubRouterHandlers, IDontWantFloodIsCapped) {
  RouterConfig config = small_config();
  config.max_idontwant_length = 2;
  config.max_idontwant_messages = 1;
  Router r = forwarding_router(config);
  std::vector<Message> ms;
  for (std::uint64_t i = 0; i < 4; ++i) ms.push_back(signed_message(5, topic, Bytes{1}, i));
  Rpc dont;
  dont.control.idontwant = {{{message_id(ms[0], IdForm::cluster), message_id(ms[1], IdForm::cluster),
                              message_id(ms[2], IdForm::cluster)}}};
  ASSERT_TRUE(r.on_rpc(id_of(4), encode(dont), t0));  // only the first 2 IDs count
  dont.control.idontwant = {{{message_id(ms[3], IdForm::cluster)}}};
  ASSERT_TRUE(r.on_rpc(id_of(4), encode(dont), t0));  // over max_idontwant_messages: ignored
  for (const auto& m : ms) ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(m)), t0));
  EXPECT_EQ(messages(drain(r)[id_of(4)]).size(), 2u);
}

TEST(GossipsubRouterHandlers, SendsIDontWantToV12MeshPeersForLargeMessages) {
  Router r = forwarding_router();
  ASSERT_TRUE(r.add_peer(id_of(2), protocol_v11, t0));  // peer 2's stream is now 1.1
  (void)r.take_output();
  const Message small = signed_message(5, topic, Bytes(1023, 1), 1);
  const Message large = signed_message(5, topic, Bytes(1024, 1), 2);
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(small)), t0));
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(large)), t0));
  auto out = drain(r);
  EXPECT_EQ(idontwant_ids(out[id_of(4)]), std::vector<MessageId>{message_id(large, IdForm::cluster)});
  EXPECT_TRUE(idontwant_ids(out[id_of(2)]).empty()) << "1.1 peers get no IDONTWANT";
  EXPECT_EQ(out.count(id_of(3)), 0u) << "nothing back to the source";
  EXPECT_EQ(r.counters().idontwant_sent, 1u);
}

TEST(GossipsubRouterHandlers, SeenCacheRecognisesBothIdForms) {
  for (IdForm form : {IdForm::cluster, IdForm::full}) {
    RouterConfig config = small_config();
    config.id_form = form;
    Router r = subscribed_router(3, config);
    const Message m = signed_message(5, topic, Bytes{1}, 9);
    ASSERT_TRUE(r.on_rpc(id_of(2), encode(publish_rpc(m)), t0));
    ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(m)), t0));
    EXPECT_EQ(r.counters().delivered, 1u);
    EXPECT_EQ(r.counters().duplicates, 1u);
    EXPECT_EQ(r.next_delivery()->id, message_id(m, form));
    (void)r.take_output();
    Rpc ihave;
    ihave.control.ihave = {{topic, {message_id(m, IdForm::cluster), message_id(m, IdForm::full)}}};
    ASSERT_TRUE(r.on_rpc(id_of(3), encode(ihave), t0));
    EXPECT_FALSE(r.has_output()) << "seen under either form: nothing to IWANT";
    // IWANT in either form is served from the cache.
    Rpc iwant;
    iwant.control.iwant = {{{message_id(m, IdForm::full)}}, {{message_id(m, IdForm::cluster)}}};
    ASSERT_TRUE(r.on_rpc(id_of(3), encode(iwant), t0));
    EXPECT_EQ(messages(drain(r)[id_of(3)]).size(), 1u);
  }
}

TEST(GossipsubRouterHandlers, RejectedAuthorIsCountedNotDeliveredNotForwarded) {
  Router r = forwarding_router();
  const PeerId trusted = id_of(2);
  r.set_validator(topic, [&](const PeerId& author, const Message&) {
    return author == trusted ? Verdict::accept : Verdict::reject;
  });
  const Message m = signed_message(5, topic, Bytes{'u'}, 1);
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(m)), t0));
  EXPECT_EQ(r.counters().untrusted_author, 1u);
  EXPECT_FALSE(r.next_delivery());
  EXPECT_FALSE(r.has_output());
  // Marked seen (go marks before running validators): a second copy is a duplicate.
  ASSERT_TRUE(r.on_rpc(id_of(4), encode(publish_rpc(m)), t0));
  EXPECT_EQ(r.counters().duplicates, 1u);
  EXPECT_EQ(r.counters().untrusted_author, 1u);
  // Not served either.
  Rpc iwant;
  iwant.control.iwant = {{{message_id(m, IdForm::cluster)}}};
  ASSERT_TRUE(r.on_rpc(id_of(4), encode(iwant), t0));
  EXPECT_FALSE(r.has_output());
  // The trusted author's message passes.
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(signed_message(2, topic, Bytes{'t'}, 1))), t0));
  EXPECT_TRUE(r.next_delivery());
  // Ignore: counted apart, nothing delivered.
  r.set_validator(topic, [](const PeerId&, const Message&) { return Verdict::ignore; });
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(signed_message(2, topic, Bytes{'i'}, 2))), t0));
  EXPECT_EQ(r.counters().ignored, 1u);
  EXPECT_FALSE(r.next_delivery());
}

TEST(GossipsubRouterHandlers, BadSignatureIsDroppedAndDoesNotShadowTheGenuineMessage) {
  Router r = forwarding_router();
  const Message genuine = signed_message(2, topic, Bytes{'g'}, 1);
  Message forged = genuine;
  forged.raw.back() ^= 0x01;  // last signature byte
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(forged)), t0));
  EXPECT_EQ(r.counters().bad_signature, 1u);
  EXPECT_FALSE(r.has_output());
  EXPECT_FALSE(r.next_delivery());
  // Unsigned: also a bad signature under StrictSign.
  Message unsigned_message = genuine;
  unsigned_message.signature.clear();
  unsigned_message.raw = encode_message(unsigned_message);
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(unsigned_message)), t0));
  EXPECT_EQ(r.counters().bad_signature, 2u);
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(genuine)), t0));
  EXPECT_TRUE(r.next_delivery());
  EXPECT_EQ(r.counters().duplicates, 0u);
}

TEST(GossipsubRouterHandlers, MessagesOutsideOurTopicsOrFromOurselvesAreDropped) {
  Router r = forwarding_router();
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(signed_message(2, "other", Bytes{1}, 1))), t0));
  EXPECT_EQ(r.counters().unsubscribed_topic, 1u);
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(signed_message(1, topic, Bytes{1}, 1))), t0));
  EXPECT_EQ(r.counters().self_origin, 1u);
  EXPECT_EQ(r.counters().messages_received, 2u);
  EXPECT_FALSE(r.next_delivery());
  EXPECT_FALSE(r.has_output());
}

TEST(GossipsubRouterHandlers, MalformedRpcIsCountedAndNothingApplied) {
  Router r = subscribed_router(2);
  Bytes rpc = encode(sub_rpc("new-topic"));
  const Bytes graft = encode(graft_rpc(topic));
  rpc.insert(rpc.end(), graft.begin(), graft.end());
  rpc.push_back(0x0b);  // a group tag: malformed
  auto status = r.on_rpc(id_of(2), rpc, t0);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error(), errc::malformed_rpc);
  EXPECT_EQ(r.counters().malformed, 1u);
  EXPECT_EQ(r.counters().rpcs_received, 2u) << "the hello and this one";
  EXPECT_TRUE(r.mesh_peers(topic).empty());
  EXPECT_EQ(r.peer_info(id_of(2))->topics.size(), 1u) << "new-topic was not applied";
}

TEST(GossipsubRouterHandlers, UnsubscribedPeerLeavesOurMesh) {
  Router r = forwarding_router();
  ASSERT_TRUE(r.on_rpc(id_of(4), encode(sub_rpc(topic, false)), t0));
  EXPECT_EQ(r.mesh_peers(topic).size(), 2u);
  ASSERT_TRUE(r.on_rpc(id_of(3), encode(publish_rpc(signed_message(5, topic, Bytes{1}, 1))), t0));
  EXPECT_EQ(drain(r).count(id_of(4)), 0u);
}

}  // namespace
}  // namespace cf::p2p::gossipsub
