// Property test of SyncState::merge: random go-ds-crdt DAGs written by several replicas (puts
// and deletes of a few keys; a delete tombstones every live id of the key the replica knows,
// as set.go Rmv does), merged in many orders and batch splits, some nodes twice and some as
// CIDv0, always end in the state of the reference OR-set (sync_support.hpp), and the changes
// each merge reports, replayed in order, are consistent step by step and end there too.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "sync_support.hpp"

namespace cf::crdt {
namespace {

namespace mf = cf::multiformats;
using testing::b;
using testing::make_node;

const std::vector<std::string> keys{"/k0", "/k1", "/k2", "/k0/sub"};
// Few values, some prefixes of others, so that equal priorities often tie on the bytes.
const std::vector<Bytes> values{b("a"), b("ab"), b("b"), Bytes{0x00}, Bytes{0xff}, b("ba")};

// Replicas writing a DAG. Each knows a set of nodes closed under links, writes on top of its
// heads, and now and then learns everything another replica knows.
class DagWriter {
 public:
  DagWriter(std::uint64_t seed, std::size_t replicas) : rng_(seed), known_(replicas) {}

  void write(std::size_t count) {
    while (nodes_.size() < count) {
      std::size_t w = pick(known_.size());
      if (chance(0.3)) {
        const auto& other = known_[pick(known_.size())];
        known_[w].insert(other.begin(), other.end());
      }
      add(w, make_node(links_of(w), delta_of(w)));
    }
  }

  const std::vector<NodeToMerge>& nodes() const { return nodes_; }

  // Nodes no other node links to.
  std::vector<mf::Cid> tips() const {
    testing::BytesSet linked;
    for (const NodeToMerge& n : nodes_) {
      for (const mf::Cid& l : n.node.links) linked.insert(l.hash().bytes());
    }
    std::vector<mf::Cid> out;
    for (const NodeToMerge& n : nodes_) {
      if (!linked.contains(n.cid.hash().bytes())) out.push_back(n.cid);
    }
    return out;
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  std::vector<std::size_t> heads(std::size_t w) const {
    testing::BytesSet linked;
    for (std::size_t i : known_[w]) {
      for (const mf::Cid& l : nodes_[i].node.links) linked.insert(l.hash().bytes());
    }
    std::vector<std::size_t> out;
    for (std::size_t i : known_[w]) {
      if (!linked.contains(nodes_[i].cid.hash().bytes())) out.push_back(i);
    }
    return out;
  }

  std::vector<mf::Cid> links_of(std::size_t w) {
    std::vector<mf::Cid> links;
    for (std::size_t i : heads(w)) {
      // Pre-2021 writers linked CIDv0s.
      links.push_back(chance(0.15) ? *mf::Cid::v0(nodes_[i].cid.hash()) : nodes_[i].cid);
    }
    std::shuffle(links.begin(), links.end(), rng_);
    return links;
  }

  // set.go Rmv: every id of the key this replica knows that it has not tombstoned yet.
  std::vector<std::string> live_ids(std::size_t w, const std::string& key) const {
    std::set<std::string> added, removed;
    for (std::size_t i : known_[w]) {
      const Delta& d = nodes_[i].node.delta;
      for (const Element& e : d.elements) {
        if (e.key == key) added.insert(element_id(nodes_[i].cid.hash()));
      }
      for (const Element& t : d.tombstones) {
        if (t.key == key) removed.insert(t.id);
      }
    }
    std::vector<std::string> out;
    for (const std::string& id : added) {
      if (!removed.contains(id)) out.push_back(id);
    }
    return out;
  }

  Delta delta_of(std::size_t w) {
    Delta delta;
    for (std::size_t i : heads(w)) {
      delta.priority = std::max(delta.priority, nodes_[i].node.delta.priority);
    }
    ++delta.priority;
    for (std::size_t op = 0, ops = 1 + pick(3); op < ops; ++op) {
      const std::string& key = keys[pick(keys.size())];
      if (chance(0.65)) {
        delta.elements.push_back({key, "", values[pick(values.size())]});
        continue;
      }
      // A delete in a batch drops the batch's own puts of the key (crdt.go deltaMerge).
      std::erase_if(delta.elements, [&](const Element& e) { return e.key == key; });
      for (const std::string& id : live_ids(w, key)) delta.tombstones.push_back({key, id, {}});
      if (chance(0.1)) delta.tombstones.push_back({key, "/not-a-multihash", {}});
    }
    return delta;
  }

  void add(std::size_t w, NodeToMerge node) {
    auto [it, inserted] = index_.try_emplace(node.cid.hash().bytes(), nodes_.size());
    if (inserted) nodes_.push_back(std::move(node));
    known_[w].insert(it->second);
  }

  std::mt19937_64 rng_;
  std::vector<std::set<std::size_t>> known_;
  std::vector<NodeToMerge> nodes_;
  std::map<Bytes, std::size_t, testing::BytesLess> index_;
};

class CrdtSyncStateProperty : public testing::SyncFixture {
 protected:
  // Merges `order` in random batch sizes, checking every reported change against the replay
  // of the changes before it; returns the replayed state.
  std::map<std::string, std::optional<Bytes>> merge_in_batches(
      const std::vector<NodeToMerge>& order, std::mt19937_64& rng, std::size_t& merged,
      std::size_t& skipped) {
    std::map<std::string, std::optional<Bytes>> replayed;
    for (std::size_t i = 0; i < order.size();) {
      std::size_t size = std::uniform_int_distribution<std::size_t>(1, 10)(rng);
      size = std::min(size, order.size() - i);
      auto result = state_->merge(std::span(order).subspan(i, size), 1);
      EXPECT_TRUE(result) << result.error().message();
      if (!result) return replayed;
      for (const KeyChange& change : result->changes) {
        EXPECT_EQ(change.before, replayed[change.key]) << change.key;
        EXPECT_NE(change.before, change.after) << change.key;
        replayed[change.key] = change.after;
      }
      merged += result->merged;
      skipped += result->skipped;
      i += size;
    }
    return replayed;
  }

  void expect_final_state(const testing::ReferenceSet& reference,
                          std::map<std::string, std::optional<Bytes>>& replayed,
                          std::size_t node_count, std::uint64_t max_height) {
    for (const std::string& key : keys) {
      EXPECT_EQ(value(key), reference.value(key)) << key;
      EXPECT_EQ(replayed[key], reference.value(key)) << key;
    }
    SyncCounts c = counts();
    EXPECT_EQ(c.processed, node_count);
    EXPECT_EQ(c.blocks, node_count);
    EXPECT_EQ(c.frontier, 0u);
    EXPECT_EQ(c.max_height, max_height);
  }
};

TEST_F(CrdtSyncStateProperty, AnyOrderAndBatchingEndsInTheReferenceState) {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    DagWriter writer(seed, 2 + seed % 3);
    writer.write(50);
    const std::vector<NodeToMerge>& nodes = writer.nodes();
    testing::ReferenceSet reference;
    std::uint64_t max_height = 0;
    for (const NodeToMerge& n : nodes) {
      reference.apply(n);
      max_height = std::max(max_height, n.node.delta.priority);
    }
    std::mt19937_64& rng = writer.rng();
    for (int trial = 0; trial < 12; ++trial) {
      SCOPED_TRACE("trial " + std::to_string(trial));
      fresh();
      std::vector<NodeToMerge> order = nodes;  // trial 0: parents first, as written
      if (trial == 1) std::reverse(order.begin(), order.end());  // heads first
      if (trial >= 2) std::shuffle(order.begin(), order.end(), rng);
      // Some nodes twice, some of those named by their CIDv0.
      std::size_t duplicates = 0;
      for (std::size_t i = 0; i < nodes.size() / 8; ++i) {
        auto pick = [&](std::size_t n) {
          return std::uniform_int_distribution<std::size_t>(0, n)(rng);
        };
        NodeToMerge again = nodes[pick(nodes.size() - 1)];
        if (i % 2 == 0) again.cid = *mf::Cid::v0(again.cid.hash());
        order.insert(order.begin() + static_cast<std::ptrdiff_t>(pick(order.size())),
                     std::move(again));
        ++duplicates;
      }
      std::size_t merged = 0, skipped = 0;
      auto replayed = merge_in_batches(order, rng, merged, skipped);
      EXPECT_EQ(merged, nodes.size());
      EXPECT_EQ(skipped, duplicates);
      expect_final_state(reference, replayed, nodes.size(), max_height);
    }
  }
}

// The way the sync engine walks: from the DAG's tips through the frontier, newest first.
TEST_F(CrdtSyncStateProperty, WalkingFromTheTipsEndsInTheReferenceState) {
  for (std::uint64_t seed = 11; seed <= 16; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    fresh();
    DagWriter writer(seed, 3);
    writer.write(60);
    testing::BlockSource source;
    testing::ReferenceSet reference;
    std::uint64_t max_height = 0;
    for (const NodeToMerge& n : writer.nodes()) {
      testing::add_to(source, n);
      reference.apply(n);
      max_height = std::max(max_height, n.node.delta.priority);
    }
    std::map<std::string, std::optional<Bytes>> replayed;
    auto walked = testing::drive(*state_, source, writer.tips(), 1 + seed % 4, 1,
                                 [&](const MergeResult& result) {
                                   for (const KeyChange& change : result.changes) {
                                     EXPECT_EQ(change.before, replayed[change.key]);
                                     replayed[change.key] = change.after;
                                   }
                                 });
    ASSERT_TRUE(walked) << walked.error().message();
    expect_final_state(reference, replayed, writer.nodes().size(), max_height);
    EXPECT_EQ(counts().heads_processed, writer.tips().size());
  }
}

}  // namespace
}  // namespace cf::crdt
