// The bitswap server's decisions: want-block, want-have (with the 1024-byte replace rule),
// DONT_HAVE, the ledger (bound, full=true, cancel, on_block_added), peers, and output bounds.
#include "cf/p2p/bitswap/server.hpp"

#include <gtest/gtest.h>

#include <string>

#include "cf/multiformats/multicodec.hpp"
#include "cf/p2p/bitswap/verify.hpp"
#include "p2p/bitswap/memory_block_store.hpp"

namespace cf::p2p::bitswap {
namespace {

namespace mf = cf::multiformats;

// "<tag><n>", built without `"literal" + std::string`, which trips GCC 12's -Wrestrict at -O3.
std::string numbered(std::string_view tag, int n) {
  std::string out(tag);
  out += std::to_string(n);
  return out;
}

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

WantEntry want_block(const mf::Cid& cid, bool send_dont_have = true) {
  return WantEntry{cid, 1, false, WantType::block, send_dont_have};
}
WantEntry want_have(const mf::Cid& cid, bool send_dont_have = true) {
  return WantEntry{cid, 1, false, WantType::have, send_dont_have};
}
WantEntry cancel(const mf::Cid& cid) { return WantEntry{cid, 0, true, WantType::block, false}; }

Message wants(std::vector<WantEntry> entries, bool full = false) {
  Message m;
  m.wantlist = std::move(entries);
  m.full = full;
  return m;
}

// Every output message for `to`, merged; checks each one round-trips through the codec.
Message take_for(Server& server, const BlockStore& store, const mf::PeerId& to,
                 std::size_t* messages = nullptr) {
  Message merged;
  std::size_t n = 0;
  for (const auto& out : server.take_output(store)) {
    auto decoded = decode_message(encode_message(out.message));
    EXPECT_TRUE(decoded && *decoded == out.message);
    if (out.peer != to) continue;
    ++n;
    merged.payload.insert(merged.payload.end(), out.message.payload.begin(), out.message.payload.end());
    merged.presences.insert(merged.presences.end(), out.message.presences.begin(),
                            out.message.presences.end());
  }
  if (messages != nullptr) *messages = n;
  return merged;
}

class BitswapServer : public ::testing::Test {
 protected:
  Bytes small = data_of("small", 1024);
  Bytes large = data_of("large", 1025);
  mf::Cid small_cid = cid_of(small);
  mf::Cid large_cid = cid_of(large);
  mf::Cid missing = cid_of(data_of("missing"));
  MemoryBlockStore store;
  Server server;

  void SetUp() override {
    store.put(small_cid, small);
    store.put(large_cid, large);
  }
};

TEST_F(BitswapServer, WantBlockForAHeldBlockSendsTheBlock) {
  server.on_message(peer(1), wants({want_block(large_cid)}));
  EXPECT_TRUE(server.has_output());
  const Message m = take_for(server, store, peer(1));
  ASSERT_EQ(m.payload.size(), 1u);
  EXPECT_EQ(m.payload[0].prefix, (Bytes{0x01, 0x70, 0x12, 0x20}));
  EXPECT_EQ(m.payload[0].data, large);
  EXPECT_TRUE(m.presences.empty());
  EXPECT_EQ(server.ledger_size(peer(1)), 0u);  // answered wants leave the ledger
  EXPECT_EQ(server.peer_count(), 0u);
  EXPECT_FALSE(server.has_output());
  EXPECT_EQ(server.counters().blocks_sent, 1u);
  EXPECT_EQ(server.counters().block_bytes_sent, large.size());
}

TEST_F(BitswapServer, PrefixIsThatOfTheCidAsAsked) {
  const mf::Cid v0 = *mf::Cid::v0(large_cid.hash());
  server.on_message(peer(1), wants({want_block(v0)}));
  const Message m = take_for(server, store, peer(1));
  ASSERT_EQ(m.payload.size(), 1u);
  EXPECT_EQ(m.payload[0].prefix, (Bytes{0x00, 0x70, 0x12, 0x20}));
  EXPECT_EQ(*verify_block(m.payload[0].prefix, m.payload[0].data), v0);
}

TEST_F(BitswapServer, WantHaveForASmallBlockSendsTheBlock) {
  server.on_message(peer(1), wants({want_have(small_cid)}));
  const Message m = take_for(server, store, peer(1));
  ASSERT_EQ(m.payload.size(), 1u);
  EXPECT_EQ(m.payload[0].data, small);
  EXPECT_TRUE(m.presences.empty());
}

TEST_F(BitswapServer, WantHaveForALargerBlockSendsHave) {
  server.on_message(peer(1), wants({want_have(large_cid)}));
  const Message m = take_for(server, store, peer(1));
  EXPECT_TRUE(m.payload.empty());
  ASSERT_EQ(m.presences.size(), 1u);
  EXPECT_EQ(m.presences[0], (Presence{large_cid, PresenceType::have}));
  EXPECT_EQ(server.ledger_size(peer(1)), 0u);
  EXPECT_EQ(server.counters().haves_sent, 1u);
}

TEST_F(BitswapServer, WithoutReplaceSizeWantHaveOnlyAsksHas) {
  Server plain(ServerConfig{.want_have_replace_size = 0});
  plain.on_message(peer(1), wants({want_have(small_cid)}));
  const Message m = take_for(plain, store, peer(1));
  EXPECT_EQ(m.presences.at(0), (Presence{small_cid, PresenceType::have}));
  EXPECT_EQ(store.gets(), 0u);
  EXPECT_EQ(store.hases(), 1u);
}

TEST_F(BitswapServer, NotHeldGivesDontHaveOnceAndKeepsTheWant) {
  server.on_message(peer(1), wants({want_block(missing), want_have(cid_of(data_of("m2")))}));
  const Message m = take_for(server, store, peer(1));
  ASSERT_EQ(m.presences.size(), 2u);
  EXPECT_EQ(m.presences[0], (Presence{missing, PresenceType::dont_have}));
  EXPECT_EQ(m.presences[1].type, PresenceType::dont_have);
  EXPECT_EQ(server.ledger_size(peer(1)), 2u);
  EXPECT_FALSE(server.has_output());
  EXPECT_TRUE(server.take_output(store).empty());
  EXPECT_EQ(server.counters().dont_haves_sent, 2u);
}

TEST_F(BitswapServer, NotHeldWithoutSendDontHaveSaysNothing) {
  server.on_message(peer(1), wants({want_block(missing, false)}));
  EXPECT_TRUE(server.take_output(store).empty());
  EXPECT_EQ(server.ledger_size(peer(1)), 1u);
}

TEST_F(BitswapServer, WantingAgainGetsANewAnswer) {
  server.on_message(peer(1), wants({want_block(missing)}));
  EXPECT_EQ(take_for(server, store, peer(1)).presences.size(), 1u);
  server.on_message(peer(1), wants({want_block(missing)}));
  EXPECT_EQ(take_for(server, store, peer(1)).presences.size(), 1u);
  EXPECT_EQ(server.ledger_size(peer(1)), 1u);
}

TEST_F(BitswapServer, OnBlockAddedServesAPendingWant) {
  const Bytes late = data_of("late");
  const mf::Cid late_v0 = *mf::Cid::v0(mf::Multihash::sha2_256(late));
  server.on_message(peer(1), wants({want_block(late_v0)}));
  take_for(server, store, peer(1));
  server.on_block_added(cid_of(late));  // not yet in the store: nothing new to say
  EXPECT_TRUE(take_for(server, store, peer(1)).presences.empty());
  store.put(cid_of(late), late);
  server.on_block_added(cid_of(late));  // the v1 CID of the hash the peer asked as v0
  EXPECT_TRUE(server.has_output());
  const Message m = take_for(server, store, peer(1));
  ASSERT_EQ(m.payload.size(), 1u);
  EXPECT_EQ(m.payload[0].prefix, (Bytes{0x00, 0x70, 0x12, 0x20}));
  EXPECT_EQ(m.payload[0].data, late);
  EXPECT_EQ(server.ledger_size(peer(1)), 0u);
}

TEST_F(BitswapServer, CancelRemovesTheWant) {
  server.on_message(peer(1), wants({want_block(missing, false), want_block(large_cid)}));
  server.on_message(peer(1), wants({cancel(missing), cancel(large_cid)}));
  EXPECT_EQ(server.ledger_size(peer(1)), 0u);
  EXPECT_TRUE(server.take_output(store).empty());  // the held block's answer was not built yet
  store.put(missing, data_of("missing"));
  server.on_block_added(missing);
  EXPECT_TRUE(server.take_output(store).empty());
  EXPECT_EQ(server.counters().cancels_received, 2u);
}

TEST_F(BitswapServer, FullWantListReplacesTheLedger) {
  const mf::Cid a = cid_of(data_of("a"));
  const mf::Cid b = cid_of(data_of("b"));
  server.on_message(peer(1), wants({want_block(a, false), want_block(b, false)}));
  EXPECT_EQ(server.ledger_size(peer(1)), 2u);
  server.on_message(peer(1), wants({want_block(missing, false)}, true));
  EXPECT_EQ(server.ledger_size(peer(1)), 1u);
  store.put(a, data_of("a"));
  server.on_block_added(a);
  EXPECT_TRUE(server.take_output(store).empty());
  server.on_message(peer(1), wants({}, true));
  EXPECT_EQ(server.ledger_size(peer(1)), 0u);
  EXPECT_EQ(server.peer_count(), 0u);
}

TEST_F(BitswapServer, FullLedgerDropsItsOldestWant) {
  Server bounded(ServerConfig{.max_ledger_entries = 3});
  std::vector<mf::Cid> cids;
  for (int i = 0; i < 4; ++i) {
    cids.push_back(cid_of(data_of(numbered("w", i))));
    bounded.on_message(peer(1), wants({want_block(cids.back(), false)}));
  }
  EXPECT_EQ(bounded.ledger_size(peer(1)), 3u);
  EXPECT_EQ(bounded.counters().ledger_evictions, 1u);
  for (int i = 0; i < 2; ++i) {
    store.put(cids[i], data_of(numbered("w", i)));
    bounded.on_block_added(cids[i]);
  }
  const Message m = take_for(bounded, store, peer(1));
  ASSERT_EQ(m.payload.size(), 1u);  // w0 was dropped, w1 is served
  EXPECT_EQ(m.payload[0].data, data_of("w1"));
}

TEST_F(BitswapServer, IgnoresIdentityCids) {
  const mf::Cid id = mf::Cid::v1(mf::multicodec::raw, mf::Multihash::identity(as_bytes("x")));
  server.on_message(peer(1), wants({want_block(id)}));
  EXPECT_EQ(server.ledger_size(peer(1)), 0u);
  EXPECT_EQ(server.counters().ignored_entries, 1u);
  EXPECT_TRUE(server.take_output(store).empty());
}

TEST_F(BitswapServer, PeersHaveTheirOwnLedgers) {
  server.on_message(peer(1), wants({want_block(missing)}));
  server.on_message(peer(2), wants({want_block(missing, false), want_block(large_cid)}));
  const auto out = server.take_output(store);
  ASSERT_EQ(out.size(), 2u);
  store.put(missing, data_of("missing"));
  server.remove_peer(peer(1));
  EXPECT_EQ(server.ledger_size(peer(1)), 0u);
  server.on_block_added(missing);
  const auto served = server.take_output(store);
  ASSERT_EQ(served.size(), 1u);
  EXPECT_EQ(served[0].peer, peer(2));
  EXPECT_EQ(served[0].message.payload.at(0).data, data_of("missing"));
}

TEST_F(BitswapServer, MessagesKeepTheSizeBound) {
  Server bounded(ServerConfig{.max_message_size = 3000});
  std::vector<WantEntry> entries;
  for (int i = 0; i < 10; ++i) {
    const Bytes data = data_of(numbered("blk", i), 1000);
    store.put(cid_of(data), data);
    entries.push_back(want_block(cid_of(data)));
  }
  bounded.on_message(peer(1), wants(entries));
  std::size_t messages = 0;
  const auto out = bounded.take_output(store);
  std::size_t blocks = 0;
  for (const auto& o : out) {
    EXPECT_LE(encode_message(o.message).size(), 3000u);
    blocks += o.message.payload.size();
    ++messages;
  }
  EXPECT_EQ(blocks, 10u);
  EXPECT_GE(messages, 4u);
  EXPECT_EQ(out.front().message.payload.front().data, data_of("blk0", 1000));  // arrival order
}

TEST_F(BitswapServer, OutputPerPeerIsBudgetedPerCall) {
  Server bounded(ServerConfig{.max_output_per_peer = 2500});
  std::vector<WantEntry> entries;
  for (int i = 0; i < 5; ++i) {
    const Bytes data = data_of(numbered("blk", i), 1000);
    store.put(cid_of(data), data);
    entries.push_back(want_block(cid_of(data)));
  }
  bounded.on_message(peer(1), wants(entries));
  for (std::size_t expected : {2u, 2u, 1u}) {
    EXPECT_TRUE(bounded.has_output());
    EXPECT_EQ(take_for(bounded, store, peer(1)).payload.size(), expected);
  }
  EXPECT_FALSE(bounded.has_output());
  EXPECT_EQ(bounded.ledger_size(peer(1)), 0u);
}

TEST_F(BitswapServer, ABlockLargerThanTheMessageBoundGoesAlone) {
  Server bounded(ServerConfig{.max_message_size = 1000, .max_output_per_peer = 100});
  const Bytes big = data_of("big", 5000);
  store.put(cid_of(big), big);
  bounded.on_message(peer(1), wants({want_block(cid_of(big)), want_block(large_cid)}));
  std::size_t messages = 0;
  Message m = take_for(bounded, store, peer(1), &messages);
  EXPECT_EQ(messages, 1u);
  ASSERT_EQ(m.payload.size(), 1u);
  EXPECT_EQ(m.payload[0].data, big);
  EXPECT_EQ(take_for(bounded, store, peer(1)).payload.at(0).data, large);
}

TEST_F(BitswapServer, ABlockNoPeerCouldReadIsNotHeld) {
  const Bytes huge(max_message_size, 1);
  store.put(cid_of(huge), huge);
  server.on_message(peer(1), wants({want_block(cid_of(huge))}));
  const Message m = take_for(server, store, peer(1));
  EXPECT_TRUE(m.payload.empty());
  ASSERT_EQ(m.presences.size(), 1u);
  EXPECT_EQ(m.presences[0].type, PresenceType::dont_have);
}

TEST_F(BitswapServer, IgnoresMessagesWithoutWants) {
  Message m;
  m.presences.push_back(Presence{missing, PresenceType::have});
  m.payload.push_back(BlockPayload{{1, 0x70, 0x12, 0x20}, small});
  server.on_message(peer(1), m);
  EXPECT_EQ(server.peer_count(), 0u);
  EXPECT_FALSE(server.has_output());
  EXPECT_EQ(server.counters().wants_received, 0u);
}

}  // namespace
}  // namespace cf::p2p::bitswap
