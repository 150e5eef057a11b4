// SyncState's bookkeeping (heads, frontier, defer/due, counts, reads) on the golden DAG of
// crdt-dag-and-pinset.md §6.2 (tests/crdt/golden.hpp). The merge rules themselves are in
// sync_merge_test.cpp and sync_merge_property_test.cpp.
#include "cf/crdt/sync_state.hpp"

#include <gtest/gtest.h>

#include "cf/crdt/broadcast.hpp"
#include "golden.hpp"
#include "sync_support.hpp"

namespace cf::crdt {
namespace {

namespace mf = cf::multiformats;
using golden::hex;
using testing::b;
using testing::node_from;
using testing::query_int;

class CrdtSyncState : public testing::SyncFixture {
 protected:
  const NodeToMerge a = node_from(hex(golden::node_a_hex), golden::node_a_cid);
  const NodeToMerge b_node = node_from(hex(golden::node_b_hex), golden::node_b_cid);
  const std::string key{golden::pin_key};
  const Bytes pin = hex(golden::pin_hex);

  std::int64_t head_height(const NodeToMerge& n) {
    return query_int(*db_, "SELECT height FROM crdt_heads WHERE hex(block) = '" +
                               to_hex(n.cid.hash().bytes()) + "'");
  }
  static std::string to_hex(const Bytes& bytes) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (std::uint8_t x : bytes) out += {digits[x >> 4], digits[x & 15]};
    return out;
  }
};

TEST_F(CrdtSyncState, NodeAAloneMakesTheKeyPresent) {
  MergeResult result = merge({a});
  EXPECT_EQ(result.merged, 1u);
  EXPECT_EQ(result.skipped, 0u);
  ASSERT_EQ(result.changes.size(), 1u);
  EXPECT_EQ(result.changes[0], (KeyChange{key, std::nullopt, pin}));
  EXPECT_TRUE(result.new_frontier.empty());
  EXPECT_EQ(value(key), pin);
  EXPECT_EQ(counts(), (SyncCounts{.processed = 1, .max_height = 1, .blocks = 1,
                                  .block_bytes = 162}));
  // Merging it again changes nothing.
  MergeResult again = merge({a});
  EXPECT_EQ(again.merged, 0u);
  EXPECT_EQ(again.skipped, 1u);
  EXPECT_TRUE(again.changes.empty());
}

TEST_F(CrdtSyncState, AThenBRemovesTheKey) {
  merge({a});
  MergeResult result = merge({b_node});
  ASSERT_EQ(result.changes.size(), 1u);
  EXPECT_EQ(result.changes[0], (KeyChange{key, pin, std::nullopt}));
  EXPECT_EQ(value(key), std::nullopt);
  EXPECT_EQ(counts(), (SyncCounts{.processed = 2, .max_height = 2, .blocks = 2,
                                  .block_bytes = 162 + 166}));
}

TEST_F(CrdtSyncState, BThenANeverShowsTheKey) {
  MergeResult first = merge({b_node});
  EXPECT_TRUE(first.changes.empty());
  EXPECT_EQ(first.new_frontier, std::vector<mf::Cid>{a.cid});
  EXPECT_EQ(value(key), std::nullopt);
  // The tombstone is stored before its element exists.
  EXPECT_EQ(query_int(*db_, "SELECT count(*) FROM crdt_tombstones"), 1);
  MergeResult second = merge({a});
  EXPECT_TRUE(second.changes.empty());
  EXPECT_TRUE(second.new_frontier.empty());
  EXPECT_EQ(value(key), std::nullopt);
  EXPECT_EQ(counts().frontier, 0u);
}

TEST_F(CrdtSyncState, AAndBInOneBatchChangeNothing) {
  MergeResult result = merge({a, b_node});
  EXPECT_EQ(result.merged, 2u);
  EXPECT_TRUE(result.changes.empty());
  EXPECT_TRUE(result.new_frontier.empty());
  EXPECT_EQ(value(key), std::nullopt);
}

TEST_F(CrdtSyncState, BAndAInOneBatchChangeNothing) {
  MergeResult result = merge({b_node, a});
  EXPECT_EQ(result.merged, 2u);
  EXPECT_TRUE(result.changes.empty());
  // A was linked, then merged in the same batch: not reported as new frontier.
  EXPECT_TRUE(result.new_frontier.empty());
  EXPECT_EQ(value(key), std::nullopt);
  EXPECT_EQ(counts().frontier, 0u);
}

TEST_F(CrdtSyncState, HeadsAndFrontierFollowTheWalk) {
  auto heads = decode_broadcast(hex(golden::broadcast_b_hex));
  ASSERT_TRUE(heads);
  auto added = state_->add_heads(*heads, 100);
  ASSERT_TRUE(added) << added.error().message();
  EXPECT_EQ(*added, std::vector<mf::Cid>{b_node.cid});
  EXPECT_TRUE(*state_->in_frontier(b_node.cid.hash()));
  EXPECT_FALSE(*state_->is_processed(b_node.cid.hash()));
  EXPECT_EQ(counts(), (SyncCounts{.heads = 1, .frontier = 1}));
  EXPECT_EQ(head_height(b_node), 0);

  auto due = state_->due(10, 100);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].cid, b_node.cid);
  EXPECT_EQ((*due)[0].block, b_node.cid.hash());
  EXPECT_EQ((*due)[0].priority, head_priority);
  EXPECT_EQ((*due)[0].depth, 0u);
  EXPECT_EQ((*due)[0].attempts, 0u);

  // Announced again while pending: not added twice.
  EXPECT_TRUE(state_->add_heads(*heads, 101)->empty());

  MergeResult merged_b = merge({b_node}, 102);
  EXPECT_EQ(merged_b.new_frontier, std::vector<mf::Cid>{a.cid});
  EXPECT_FALSE(*state_->in_frontier(b_node.cid.hash()));
  EXPECT_TRUE(*state_->is_processed(b_node.cid.hash()));
  EXPECT_TRUE(*state_->in_frontier(a.cid.hash()));
  EXPECT_EQ(head_height(b_node), 2);
  EXPECT_EQ(counts(), (SyncCounts{.heads = 1, .heads_processed = 1, .frontier = 1,
                                  .processed = 1, .max_height = 2, .blocks = 1,
                                  .block_bytes = 166}));
  due = state_->due(10, 102);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].cid, a.cid);
  EXPECT_EQ((*due)[0].priority, 2u);
  EXPECT_EQ((*due)[0].depth, 1u);
  EXPECT_EQ(query_int(*db_, "SELECT added_at FROM crdt_frontier"), 102);

  MergeResult merged_a = merge({a}, 103);
  EXPECT_TRUE(merged_a.changes.empty());
  EXPECT_EQ(counts(), (SyncCounts{.heads = 1, .heads_processed = 1, .processed = 2,
                                  .max_height = 2, .blocks = 2, .block_bytes = 328}));
  EXPECT_TRUE(state_->due(10, 1000)->empty());
  EXPECT_EQ(*state_->next_due(0), std::nullopt);
  // A processed head announced again only refreshes its row.
  EXPECT_TRUE(state_->add_heads(*heads, 200)->empty());
  EXPECT_EQ(counts().frontier, 0u);
  EXPECT_EQ(query_int(*db_, "SELECT seen_at FROM crdt_heads"), 200);
}

TEST_F(CrdtSyncState, HeadAnnouncedAsCidV0IsTheSameNode) {
  auto v0 = mf::Cid::v0(b_node.cid.hash());
  ASSERT_TRUE(v0);
  EXPECT_EQ(state_->add_heads(std::vector<mf::Cid>{*v0, b_node.cid}, 1)->size(), 1u);
  EXPECT_EQ(counts().heads, 1u);
  // Kept as announced, to be fetched as such.
  auto due = state_->due(5, 1);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].cid, *v0);
  merge({b_node});
  EXPECT_EQ(head_height(b_node), 2);
  EXPECT_EQ(counts().heads_processed, 1u);
}

TEST_F(CrdtSyncState, DueOrdersByPriorityThenDepthAndSkipsInFlight) {
  // Frontier: head H (head_priority), R (priority 9, depth 1), S (priority 5, depth 1),
  // P (priority 5, depth 4).
  auto leaf = [](std::string_view tag) {
    return testing::make_node({}, Delta{{{"/leaf", "", b(tag)}}, {}, 1}).cid;
  };
  const mf::Cid h = leaf("h"), r = leaf("r"), s = leaf("s"), p = leaf("p");
  ASSERT_TRUE(state_->add_heads(std::vector<mf::Cid>{h}, 10));
  merge({testing::make_node({p}, Delta{{}, {}, 5}, 3), testing::make_node({r}, Delta{{}, {}, 9}),
         testing::make_node({s}, Delta{{}, {}, 5})},
        10);
  auto order = [&](std::size_t max, std::int64_t now,
                   const std::unordered_set<mf::Multihash>& skip = {}) {
    auto due = state_->due(max, now, skip);
    EXPECT_TRUE(due) << due.error().message();
    std::vector<mf::Cid> cids;
    for (const FrontierEntry& e : *due) cids.push_back(e.cid);
    return cids;
  };
  EXPECT_EQ(order(10, 10), (std::vector<mf::Cid>{h, r, s, p}));
  EXPECT_EQ(order(2, 10), (std::vector<mf::Cid>{h, r}));
  EXPECT_EQ(order(2, 10, {h.hash(), s.hash()}), (std::vector<mf::Cid>{r, p}));
  EXPECT_EQ(order(3, 10, {h.hash(), r.hash(), s.hash(), p.hash()}), std::vector<mf::Cid>{});
  EXPECT_TRUE(order(0, 10).empty());
  EXPECT_EQ(*state_->next_due(10), std::nullopt);

  // R fails twice, S once: both wait; the earliest retry is what next_due reports.
  ASSERT_TRUE(state_->defer(r.hash(), "timeout", 50));
  ASSERT_TRUE(state_->defer(r.hash(), "block not found \x1b[31m\n", 70));
  ASSERT_TRUE(state_->defer(s.hash(), "timeout", 60));
  EXPECT_EQ(order(10, 10), (std::vector<mf::Cid>{h, p}));
  EXPECT_EQ(*state_->next_due(10), 60);
  EXPECT_EQ(*state_->next_due(60), 70);
  EXPECT_EQ(*state_->next_due(70), std::nullopt);
  EXPECT_EQ(order(10, 60), (std::vector<mf::Cid>{h, s, p}));
  auto due = state_->due(10, 70);
  ASSERT_EQ(due->size(), 4u);
  EXPECT_EQ((*due)[1].cid, r);
  EXPECT_EQ((*due)[1].attempts, 2u);
  EXPECT_EQ((*due)[1].last_error, "block not found \\x1b[31m\\n");
  EXPECT_EQ((*due)[2].attempts, 1u);
  EXPECT_EQ((*due)[3].attempts, 0u);
  EXPECT_EQ((*due)[3].last_error, "");
  EXPECT_EQ(counts().failing, 2u);
  EXPECT_EQ(counts().frontier, 4u);

  // Merging a failing row ends its failure.
  merge({testing::make_node({}, Delta{{{"/leaf", "", b("r")}}, {}, 1})});
  EXPECT_EQ(counts().failing, 1u);
  EXPECT_EQ(counts().frontier, 3u);
}

TEST_F(CrdtSyncState, DeferKeepsErrorsShortAndPrintableAndIgnoresUnknownBlocks) {
  ASSERT_TRUE(state_->add_heads(std::vector<mf::Cid>{a.cid}, 1));
  std::string long_error(300, 'x');
  long_error[150] = '\x01';
  long_error.replace(190, 4, "\xc3\xa9\xc3\xa9");  // two-byte characters around the cut
  ASSERT_TRUE(state_->defer(a.cid.hash(), long_error, 5));
  auto due = state_->due(1, 5);
  ASSERT_EQ(due->size(), 1u);
  const std::string& text = (*due)[0].last_error;
  EXPECT_LE(text.size(), max_error_text);
  EXPECT_EQ(text.substr(text.size() - 3), "...");
  EXPECT_NE(text.find("\\x01"), std::string::npos);
  EXPECT_EQ(text.find('\x01'), std::string::npos);

  const std::string before = testing::dump(*db_);
  ASSERT_TRUE(state_->defer(b_node.cid.hash(), "never in the frontier", 9));
  EXPECT_EQ(testing::dump(*db_), before);
}

TEST_F(CrdtSyncState, PruneHeadsDropsOnlyProcessedHeadsSeenBefore) {
  ASSERT_TRUE(state_->add_heads(std::vector<mf::Cid>{a.cid, b_node.cid}, 10));
  merge({a}, 11);
  EXPECT_EQ(head_height(a), 1);
  EXPECT_EQ(counts().heads_processed, 1u);
  ASSERT_TRUE(state_->prune_heads(10));  // seen at 10 is not before 10
  EXPECT_EQ(counts().heads, 2u);
  ASSERT_TRUE(state_->prune_heads(11));
  EXPECT_EQ(counts(), (SyncCounts{.heads = 1, .frontier = 1, .processed = 1, .max_height = 1,
                                  .blocks = 1, .block_bytes = 162}));
  EXPECT_EQ(query_int(*db_, "SELECT count(*) FROM crdt_heads"), 1);
  // Announced again: back with its height, not fetched again.
  EXPECT_TRUE(state_->add_heads(std::vector<mf::Cid>{a.cid}, 20)->empty());
  EXPECT_EQ(head_height(a), 1);
  EXPECT_EQ(counts().heads_processed, 1u);
}

TEST_F(CrdtSyncState, ServesTheBlocksOfMergedNodes) {
  merge({a});
  auto block = state_->block(a.cid.hash());
  ASSERT_TRUE(block);
  EXPECT_EQ(*block, hex(golden::node_a_hex));
  // The CIDv0 form names the same block.
  EXPECT_EQ(*state_->block(mf::Cid::v0(a.cid.hash())->hash()), hex(golden::node_a_hex));
  EXPECT_EQ(*state_->block(b_node.cid.hash()), std::nullopt);
}

TEST_F(CrdtSyncState, StateSurvivesReopening) {
  ASSERT_TRUE(state_->add_heads(std::vector<mf::Cid>{b_node.cid}, 1));
  merge({b_node});
  const SyncCounts before = counts();
  reopen();
  EXPECT_EQ(counts(), before);
  EXPECT_TRUE(*state_->in_frontier(a.cid.hash()));
  merge({a});
  EXPECT_EQ(value(key), std::nullopt);
  EXPECT_EQ(counts().frontier, 0u);
}

TEST_F(CrdtSyncState, ReadOnlyStoreReadsButCannotWrite) {
  merge({a});
  auto reader = store::Store::open(path(), store::OpenMode::read_only);
  ASSERT_TRUE(reader) << reader.error().message();
  SyncState view(*reader);
  EXPECT_EQ(view.value(key)->value_or(Bytes{}), pin);
  EXPECT_EQ(view.counts()->processed, 1u);
  EXPECT_FALSE(view.add_heads(std::vector<mf::Cid>{b_node.cid}, 1));
}

}  // namespace
}  // namespace cf::crdt
