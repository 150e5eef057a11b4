// The bitswap client's decisions: the window, ask order, DONT_HAVE and timeouts, backoff,
// peers coming and going, block verification and matching, cancels, held bytes and message
// sizes. Time is a parameter; nothing sleeps.
#include "cf/p2p/bitswap/client.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "cf/multiformats/multicodec.hpp"
#include "cf/p2p/bitswap/errc.hpp"
#include "cf/p2p/bitswap/verify.hpp"

namespace cf::p2p::bitswap {
namespace {

namespace mf = cf::multiformats;
using namespace std::chrono_literals;

// "<tag><n>", built without `"literal" + std::string`, which trips GCC 12's -Wrestrict at -O3.
std::string numbered(std::string_view tag, int n) {
  std::string out(tag);
  out += std::to_string(n);
  return out;
}

const TimePoint t0 = TimePoint{} + 1h;

mf::PeerId peer(std::uint8_t n) {
  Bytes key{0x08, 0x01, 0x12, 0x20};
  key.resize(36, n);
  return mf::PeerId::from_public_key_proto(key);
}

Bytes data_of(const std::string& name, std::size_t size = 0) {
  Bytes out(name.begin(), name.end());
  if (out.size() < size) out.resize(size, 0x5a);
  return out;
}

mf::Cid cid_of(const Bytes& data) {
  return mf::Cid::v1(mf::multicodec::dag_pb, mf::Multihash::sha2_256(data));
}

Message reply_block(const Bytes& data, const mf::Cid& as) {
  Message m;
  m.payload.push_back(BlockPayload{cid_prefix(as), data});
  return m;
}

Message reply_presence(const mf::Cid& cid, PresenceType type) {
  Message m;
  m.presences.push_back(Presence{cid, type});
  return m;
}

// What one take_output asked of each peer.
struct Sent {
  std::map<mf::PeerId, std::vector<mf::Cid>> wants;
  std::map<mf::PeerId, std::vector<mf::Cid>> cancels;
  std::size_t messages = 0;

  std::size_t want_count() const {
    std::size_t n = 0;
    for (const auto& [p, w] : wants) n += w.size();
    return n;
  }
  // The single peer the wants went to (fails the test if there were several).
  mf::PeerId only_peer() const {
    EXPECT_EQ(wants.size(), 1u);
    return wants.begin()->first;
  }
};

Sent take(Client& client, TimePoint now = t0) {
  Sent sent;
  for (const auto& out : client.take_output(now)) {
    ++sent.messages;
    for (const auto& e : out.message.wantlist) {
      if (e.cancel) {
        EXPECT_EQ(e.priority, 0);
        sent.cancels[out.peer].push_back(e.cid);
      } else {
        EXPECT_EQ(e.type, WantType::block);
        EXPECT_TRUE(e.send_dont_have);
        EXPECT_GT(e.priority, 0);
        sent.wants[out.peer].push_back(e.cid);
      }
    }
    EXPECT_FALSE(out.message.full);
  }
  return sent;
}

std::vector<mf::Cid> want_many(Client& client, int n, const std::string& tag = "b") {
  std::vector<mf::Cid> cids;
  for (int i = 0; i < n; ++i) {
    cids.push_back(cid_of(data_of(tag + std::to_string(i))));
    EXPECT_TRUE(client.want(cids.back()));
  }
  return cids;
}

TEST(BitswapClient, SendsWantBlockWithSendDontHave) {
  Client client;
  const mf::Cid cid = cid_of(data_of("x"));
  ASSERT_TRUE(client.want(cid));
  EXPECT_TRUE(take(client).wants.empty());  // no peer yet
  client.add_peer(peer(1));
  EXPECT_TRUE(client.has_output());
  const auto out = client.take_output(t0);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].peer, peer(1));
  ASSERT_EQ(out[0].message.wantlist.size(), 1u);
  const WantEntry& e = out[0].message.wantlist[0];
  EXPECT_EQ(e.cid, cid);
  EXPECT_FALSE(e.cancel);
  EXPECT_EQ(e.type, WantType::block);
  EXPECT_TRUE(e.send_dont_have);
  EXPECT_EQ(client.counters().wants_sent, 1u);
  EXPECT_EQ(client.in_flight(), 1u);
  EXPECT_EQ(client.next_deadline(), t0 + 15s);
  EXPECT_FALSE(client.has_output());
  EXPECT_TRUE(take(client).wants.empty());
}

TEST(BitswapClient, OlderWantsGetHigherPriority) {
  Client client;
  client.add_peer(peer(1));
  want_many(client, 3);
  const auto out = client.take_output(t0);
  ASSERT_EQ(out.size(), 1u);
  const auto& wl = out[0].message.wantlist;
  ASSERT_EQ(wl.size(), 3u);
  EXPECT_GT(wl[0].priority, wl[1].priority);
  EXPECT_GT(wl[1].priority, wl[2].priority);
}

TEST(BitswapClient, WindowIsRespectedAcrossPeers) {
  Client client(ClientConfig{.max_in_flight = 10, .max_in_flight_per_peer = 8});
  for (std::uint8_t p = 1; p <= 3; ++p) client.add_peer(peer(p));
  const auto cids = want_many(client, 30);
  const Sent sent = take(client);
  EXPECT_EQ(sent.want_count(), 10u);
  EXPECT_EQ(client.in_flight(), 10u);
  for (std::uint8_t p = 1; p <= 3; ++p) {
    EXPECT_GE(client.in_flight(peer(p)), 3u);  // least loaded: 4, 3, 3
    EXPECT_LE(client.in_flight(peer(p)), 4u);
  }
  // The oldest wants went first.
  std::vector<mf::Cid> asked;
  for (const auto& [p, w] : sent.wants) asked.insert(asked.end(), w.begin(), w.end());
  for (int i = 0; i < 10; ++i) {
    EXPECT_NE(std::find(asked.begin(), asked.end(), cids[i]), asked.end()) << i;
  }
  EXPECT_TRUE(take(client).wants.empty());
  // Two deliveries free two slots.
  const mf::PeerId from = sent.wants.begin()->first;
  for (int i = 0; i < 2; ++i) {
    const mf::Cid& c = sent.wants.begin()->second[i];
    int index = static_cast<int>(std::find(cids.begin(), cids.end(), c) - cids.begin());
    ASSERT_TRUE(client.on_message(from, reply_block(data_of(numbered("b", index)), c)));
  }
  EXPECT_EQ(take(client).want_count(), 2u);
  EXPECT_EQ(client.in_flight(), 10u);
}

TEST(BitswapClient, PerPeerLimit) {
  Client client(ClientConfig{.max_in_flight = 100, .max_in_flight_per_peer = 5});
  client.add_peer(peer(1));
  const auto cids = want_many(client, 20);
  EXPECT_EQ(take(client).want_count(), 5u);
  EXPECT_EQ(client.in_flight(peer(1)), 5u);
  ASSERT_TRUE(client.on_message(peer(1), reply_block(data_of("b0"), cids[0])));
  const Sent next = take(client);
  ASSERT_EQ(next.want_count(), 1u);
  EXPECT_EQ(next.wants.at(peer(1))[0], cids[5]);
  client.add_peer(peer(2));
  EXPECT_EQ(take(client).wants.at(peer(2)).size(), 5u);
}

TEST(BitswapClient, AsksThePreferredPeerFirst) {
  Client client;
  for (std::uint8_t p = 1; p <= 4; ++p) client.add_peer(peer(p));
  const mf::Cid cid = cid_of(data_of("head"));
  ASSERT_TRUE(client.want(cid, peer(3)));
  EXPECT_EQ(take(client).only_peer(), peer(3));
  // After its DONT_HAVE the others are asked.
  ASSERT_TRUE(client.on_message(peer(3), reply_presence(cid, PresenceType::dont_have)));
  EXPECT_NE(take(client).only_peer(), peer(3));
}

TEST(BitswapClient, WaitsForRoomAtThePreferredPeer) {
  Client client(ClientConfig{.max_in_flight_per_peer = 1});
  client.add_peer(peer(1));
  client.add_peer(peer(2));
  const mf::Cid first = cid_of(data_of("first"));
  const mf::Cid second = cid_of(data_of("second"));
  ASSERT_TRUE(client.want(first, peer(1)));
  ASSERT_TRUE(client.want(second, peer(1)));
  const Sent sent = take(client);
  EXPECT_EQ(sent.only_peer(), peer(1));
  EXPECT_EQ(sent.want_count(), 1u);
  ASSERT_TRUE(client.on_message(peer(1), reply_block(data_of("first"), first)));
  const Sent next = take(client);
  EXPECT_EQ(next.only_peer(), peer(1));
  EXPECT_EQ(next.wants.at(peer(1)).at(0), second);
}

TEST(BitswapClient, PreferredPeerNotConnectedIsSkipped) {
  Client client;
  client.add_peer(peer(1));
  ASSERT_TRUE(client.want(cid_of(data_of("x")), peer(9)));
  EXPECT_EQ(take(client).only_peer(), peer(1));
}

TEST(BitswapClient, DontHaveMovesTheWantToTheNextPeer) {
  Client client;
  client.add_peer(peer(1));
  client.add_peer(peer(2));
  const mf::Cid cid = cid_of(data_of("x"));
  ASSERT_TRUE(client.want(cid));
  const mf::PeerId first = take(client).only_peer();
  ASSERT_TRUE(client.on_message(first, reply_presence(cid, PresenceType::dont_have)));
  EXPECT_EQ(client.counters().dont_haves, 1u);
  EXPECT_EQ(client.in_flight(), 0u);
  const mf::PeerId second = take(client).only_peer();
  EXPECT_NE(second, first);
  EXPECT_EQ(client.in_flight(second), 1u);
}

TEST(BitswapClient, DontHaveFromAPeerNotAskedChangesNothing) {
  Client client;
  client.add_peer(peer(1));
  client.add_peer(peer(2));
  const mf::Cid cid = cid_of(data_of("x"));
  ASSERT_TRUE(client.want(cid, peer(1)));
  take(client);
  ASSERT_TRUE(client.on_message(peer(2), reply_presence(cid, PresenceType::dont_have)));
  EXPECT_EQ(client.in_flight(peer(1)), 1u);
  EXPECT_TRUE(take(client).wants.empty());
}

TEST(BitswapClient, TimeoutMovesTheWantToTheNextPeer) {
  Client client;
  client.add_peer(peer(1));
  client.add_peer(peer(2));
  const mf::Cid cid = cid_of(data_of("x"));
  ASSERT_TRUE(client.want(cid));
  const mf::PeerId first = take(client).only_peer();
  client.on_tick(t0 + 15s - 1ms);
  EXPECT_EQ(client.counters().timeouts, 0u);
  client.on_tick(t0 + 15s);
  EXPECT_EQ(client.counters().timeouts, 1u);
  const Sent next = take(client, t0 + 15s);
  EXPECT_NE(next.only_peer(), first);
  EXPECT_EQ(client.next_deadline(), t0 + 30s);
}

TEST(BitswapClient, BacksOffWhenEveryPeerFailedThenRetries) {
  Client client;
  client.add_peer(peer(1));
  client.add_peer(peer(2));
  const mf::Cid cid = cid_of(data_of("x"));
  ASSERT_TRUE(client.want(cid));
  TimePoint now = t0;
  for (std::chrono::seconds backoff : {2s, 4s, 8s}) {
    const mf::PeerId a = take(client, now).only_peer();
    ASSERT_TRUE(client.on_message(a, reply_presence(cid, PresenceType::dont_have)));
    const mf::PeerId b = take(client, now).only_peer();
    EXPECT_NE(a, b);
    client.on_tick(now + 15s);  // b times out
    now += 15s;
    EXPECT_TRUE(take(client, now).wants.empty());  // both failed: no third ask this round
    EXPECT_EQ(client.next_deadline(), now + backoff);
    client.on_tick(now + backoff - 1ms);
    EXPECT_TRUE(take(client, now).wants.empty());
    now += backoff;
    client.on_tick(now);
  }
  EXPECT_EQ(client.counters().backoffs, 3u);
  EXPECT_TRUE(client.is_wanted(cid));
  EXPECT_EQ(take(client, now).want_count(), 1u);
}

TEST(BitswapClient, BackoffIsCapped) {
  Client client(ClientConfig{.backoff_initial = 2s, .backoff_max = 5s});
  client.add_peer(peer(1));
  const mf::Cid cid = cid_of(data_of("x"));
  ASSERT_TRUE(client.want(cid));
  TimePoint now = t0;
  for (std::chrono::seconds backoff : {2s, 4s, 5s, 5s}) {
    EXPECT_EQ(take(client, now).only_peer(), peer(1));  // the only peer, once per round
    ASSERT_TRUE(client.on_message(peer(1), reply_presence(cid, PresenceType::dont_have)));
    EXPECT_TRUE(take(client, now).wants.empty());
    EXPECT_EQ(client.next_deadline(), now + backoff);
    now += backoff;
    client.on_tick(now);
  }
}

TEST(BitswapClient, RemovedPeerWantsGoBackToTheQueue) {
  Client client;
  client.add_peer(peer(1));
  want_many(client, 3);
  EXPECT_EQ(take(client).want_count(), 3u);
  client.add_peer(peer(2));
  client.remove_peer(peer(1));
  EXPECT_EQ(client.in_flight(), 0u);
  EXPECT_FALSE(client.next_deadline());
  const Sent sent = take(client);
  EXPECT_EQ(sent.only_peer(), peer(2));
  EXPECT_EQ(sent.want_count(), 3u);
}

TEST(BitswapClient, ReAddedPeerGetsItsWantsAgain) {
  Client client;
  client.add_peer(peer(1));
  const auto cids = want_many(client, 3);
  EXPECT_EQ(take(client).want_count(), 3u);
  client.remove_peer(peer(1));
  EXPECT_TRUE(take(client).wants.empty());
  client.add_peer(peer(1));
  const Sent sent = take(client);
  EXPECT_EQ(sent.wants.at(peer(1)), cids);
}

TEST(BitswapClient, ANewPeerEndsTheBackoff) {
  Client client;
  client.add_peer(peer(1));
  const mf::Cid cid = cid_of(data_of("x"));
  ASSERT_TRUE(client.want(cid));
  take(client);
  ASSERT_TRUE(client.on_message(peer(1), reply_presence(cid, PresenceType::dont_have)));
  EXPECT_TRUE(take(client).wants.empty());
  ASSERT_TRUE(client.next_deadline());
  client.add_peer(peer(2));
  EXPECT_EQ(take(client).only_peer(), peer(2));
}

TEST(BitswapClient, AV0WantIsMetByAV1BlockAndTheOtherWayRound) {
  Client client;
  client.add_peer(peer(1));
  const Bytes a = data_of("a");
  const Bytes b = data_of("b");
  const mf::Cid a_v0 = *mf::Cid::v0(mf::Multihash::sha2_256(a));
  const mf::Cid b_v1 = cid_of(b);
  ASSERT_TRUE(client.want(a_v0));
  ASSERT_TRUE(client.want(b_v1));
  take(client);
  Message m = reply_block(a, a_v0.to_v1());
  m.payload.push_back(BlockPayload{{0x00, 0x70, 0x12, 0x20}, b});
  ASSERT_TRUE(client.on_message(peer(1), m));
  auto first = client.next_block();
  auto second = client.next_block();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->cid, a_v0);
  EXPECT_EQ(first->data, a);
  EXPECT_EQ(second->cid, b_v1);
  EXPECT_FALSE(client.next_block());
  EXPECT_EQ(client.counters().blocks_received, 2u);
  EXPECT_EQ(client.want_count(), 0u);
  EXPECT_EQ(client.in_flight(), 0u);
}

TEST(BitswapClient, BothCidsOfOneHashAreDelivered) {
  Client client;
  client.add_peer(peer(1));
  const Bytes a = data_of("a");
  const mf::Cid v0 = *mf::Cid::v0(mf::Multihash::sha2_256(a));
  ASSERT_TRUE(client.want(v0));
  ASSERT_TRUE(client.want(v0.to_v1()));
  EXPECT_TRUE(client.is_wanted(v0));
  EXPECT_TRUE(client.is_wanted(v0.to_v1()));
  EXPECT_EQ(take(client).wants.at(peer(1)), std::vector<mf::Cid>{v0});
  ASSERT_TRUE(client.on_message(peer(1), reply_block(a, v0)));
  EXPECT_EQ(client.next_block()->cid, v0);
  EXPECT_EQ(client.next_block()->cid, v0.to_v1());
  EXPECT_EQ(client.held_bytes(), 2 * a.size());
}

TEST(BitswapClient, UnwantedAndBadBlocksAreCountedAndDropped) {
  Client client;
  client.add_peer(peer(1));
  const Bytes good = data_of("good");
  const mf::Cid cid = cid_of(good);
  ASSERT_TRUE(client.want(cid));
  take(client);
  Message m;
  m.payload.push_back(BlockPayload{cid_prefix(cid), data_of("tampered")});     // other hash
  m.payload.push_back(BlockPayload{{0x01, 0x70, 0x16, 0x20}, good});          // sha3: unsupported
  m.payload.push_back(BlockPayload{{0x01, 0x70, 0x12}, good});                // bad prefix
  auto status = client.on_message(peer(1), m);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error(), errc::bad_block);
  EXPECT_NE(status.error().message().find("2 of 3"), std::string::npos) << status.error().message();
  EXPECT_EQ(client.counters().unwanted_blocks, 1u);
  EXPECT_EQ(client.counters().bad_blocks, 2u);
  EXPECT_FALSE(client.next_block());
  EXPECT_TRUE(client.is_wanted(cid));
  EXPECT_EQ(client.in_flight(), 1u);
  // The real block is delivered once; the same block again is a duplicate.
  ASSERT_TRUE(client.on_message(peer(1), reply_block(good, cid)));
  ASSERT_TRUE(client.on_message(peer(1), reply_block(good, cid)));
  EXPECT_EQ(client.counters().unwanted_blocks, 2u);
  ASSERT_TRUE(client.next_block());
  EXPECT_FALSE(client.next_block());
  EXPECT_EQ(client.counters().bytes_received, Bytes(data_of("tampered")).size() + 4 * good.size());
}

TEST(BitswapClient, DeliveryCancelsAtTheOtherPeersThatHaveTheWant) {
  Client client;
  for (std::uint8_t p = 1; p <= 3; ++p) client.add_peer(peer(p));
  const Bytes data = data_of("x");
  const mf::Cid cid = cid_of(data);
  ASSERT_TRUE(client.want(cid, peer(1)));
  take(client);
  ASSERT_TRUE(client.on_message(peer(1), reply_presence(cid, PresenceType::dont_have)));
  const mf::PeerId second = take(client).only_peer();
  // The block comes from the peer that said DONT_HAVE (go kept our want in its ledger).
  ASSERT_TRUE(client.on_message(peer(1), reply_block(data, cid)));
  const Sent sent = take(client);
  EXPECT_TRUE(sent.wants.empty());
  ASSERT_EQ(sent.cancels.size(), 1u);
  EXPECT_EQ(sent.cancels.at(second), std::vector<mf::Cid>{cid});
  EXPECT_EQ(client.counters().cancels_sent, 1u);
  EXPECT_EQ(client.in_flight(), 0u);
  EXPECT_FALSE(client.next_deadline());
}

TEST(BitswapClient, CancelReachesEveryPeerThatWasAsked) {
  Client client;
  client.add_peer(peer(1));
  client.add_peer(peer(2));
  const mf::Cid cid = cid_of(data_of("x"));
  ASSERT_TRUE(client.want(cid));
  take(client);
  client.on_tick(t0 + 15s);
  take(client, t0 + 15s);
  client.cancel(cid);
  EXPECT_FALSE(client.is_wanted(cid));
  EXPECT_EQ(client.in_flight(), 0u);
  const Sent sent = take(client);
  EXPECT_EQ(sent.cancels.size(), 2u);
  EXPECT_EQ(sent.cancels.at(peer(1)), std::vector<mf::Cid>{cid});
  EXPECT_EQ(sent.cancels.at(peer(2)), std::vector<mf::Cid>{cid});
  client.cancel(cid);  // no-op
  EXPECT_TRUE(take(client).cancels.empty());
}

TEST(BitswapClient, CancellingOneOfTwoCidsKeepsTheWant) {
  Client client;
  client.add_peer(peer(1));
  const mf::Cid v0 = *mf::Cid::v0(mf::Multihash::sha2_256(data_of("a")));
  ASSERT_TRUE(client.want(v0));
  ASSERT_TRUE(client.want(v0.to_v1()));
  take(client);
  client.cancel(v0);
  EXPECT_TRUE(client.is_wanted(v0.to_v1()));
  EXPECT_FALSE(client.is_wanted(v0));
  EXPECT_TRUE(take(client).cancels.empty());
  ASSERT_TRUE(client.on_message(peer(1), reply_block(data_of("a"), v0)));
  EXPECT_EQ(client.next_block()->cid, v0.to_v1());
  EXPECT_FALSE(client.next_block());
}

TEST(BitswapClient, AWantReplacesAQueuedCancel) {
  Client client;
  client.add_peer(peer(1));
  const mf::Cid cid = cid_of(data_of("x"));
  ASSERT_TRUE(client.want(cid));
  take(client);
  client.cancel(cid);
  ASSERT_TRUE(client.want(cid));
  const Sent sent = take(client);
  EXPECT_TRUE(sent.cancels.empty());
  EXPECT_EQ(sent.wants.at(peer(1)), std::vector<mf::Cid>{cid});
}

TEST(BitswapClient, HeldBytesStopNewWantsUntilReleased) {
  Client client(ClientConfig{.max_in_flight_per_peer = 1, .max_held_bytes = 100});
  client.add_peer(peer(1));
  std::vector<Bytes> blocks;
  for (int i = 0; i < 4; ++i) {
    blocks.push_back(data_of(numbered("block", i), 60));
    ASSERT_TRUE(client.want(cid_of(blocks.back())));
  }
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(take(client).want_count(), 1u);
    ASSERT_TRUE(client.on_message(peer(1), reply_block(blocks[i], cid_of(blocks[i]))));
  }
  EXPECT_EQ(client.held_bytes(), 120u);
  EXPECT_FALSE(client.has_output());
  EXPECT_TRUE(take(client).wants.empty());
  // Taking a block does not release it; release() does.
  ASSERT_TRUE(client.next_block());
  ASSERT_TRUE(client.next_block());
  EXPECT_TRUE(take(client).wants.empty());
  client.release(60);
  EXPECT_EQ(take(client).want_count(), 1u);
  client.release(1000);
  EXPECT_EQ(client.held_bytes(), 0u);
}

TEST(BitswapClient, OutgoingMessagesKeepTheSizeBound) {
  Client client(ClientConfig{.max_message_size = 200});
  client.add_peer(peer(1));
  const auto cids = want_many(client, 20);
  const auto out = client.take_output(t0);
  EXPECT_GT(out.size(), 4u);
  std::vector<mf::Cid> sent;
  for (const auto& o : out) {
    EXPECT_LE(encode_message(o.message).size(), 200u);
    for (const auto& e : o.message.wantlist) sent.push_back(e.cid);
  }
  EXPECT_EQ(sent, cids);
}

TEST(BitswapClient, PeersThatSaidHaveAreAskedBeforeOthers) {
  Client client;
  for (std::uint8_t p = 1; p <= 3; ++p) client.add_peer(peer(p));
  const mf::Cid cid = cid_of(data_of("x"));
  ASSERT_TRUE(client.want(cid, peer(1)));
  take(client);
  // Peer 2 gets another want, so peer 3 is the least loaded; peer 2's HAVE wins anyway.
  ASSERT_TRUE(client.want(cid_of(data_of("y")), peer(2)));
  take(client);
  ASSERT_TRUE(client.on_message(peer(2), reply_presence(cid, PresenceType::have)));
  EXPECT_EQ(client.counters().haves, 1u);
  ASSERT_TRUE(client.on_message(peer(1), reply_presence(cid, PresenceType::dont_have)));
  EXPECT_EQ(take(client).only_peer(), peer(2));
}

TEST(BitswapClient, IdentityCidsAreDeliveredAtOnce) {
  Client client;
  const mf::Cid cid = mf::Cid::v1(mf::multicodec::raw, mf::Multihash::identity(as_bytes("inline")));
  ASSERT_TRUE(client.want(cid));
  auto block = client.next_block();
  ASSERT_TRUE(block);
  EXPECT_EQ(block->cid, cid);
  EXPECT_EQ(to_string(block->data), "inline");
  EXPECT_EQ(client.want_count(), 0u);
}

TEST(BitswapClient, RefusesWantsItCouldNeverVerify) {
  Client client;
  const mf::Cid sha3 = mf::Cid::v1(mf::multicodec::raw, mf::Multihash::create(0x16, Bytes(32, 1)));
  auto status = client.want(sha3);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error(), errc::unsupported_hash);
  const mf::Cid short_digest =
      mf::Cid::v1(mf::multicodec::raw, mf::Multihash::create(hash_code::sha2_256, Bytes(8, 1)));
  EXPECT_EQ(client.want(short_digest).error(), errc::invalid_digest_length);
  EXPECT_EQ(client.want_count(), 0u);
}

TEST(BitswapClient, IgnoresWantListsAndUnknownPresences) {
  Client client;
  client.add_peer(peer(1));
  Message m = reply_presence(cid_of(data_of("unknown")), PresenceType::dont_have);
  m.wantlist.push_back(WantEntry{cid_of(data_of("theirs")), 1});
  ASSERT_TRUE(client.on_message(peer(1), m));
  EXPECT_EQ(client.counters().dont_haves, 0u);
  EXPECT_FALSE(client.has_output());
}

}  // namespace
}  // namespace cf::p2p::bitswap
