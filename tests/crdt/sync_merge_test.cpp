// SyncState::merge: the §6.2 extensions of the golden DAG (tests/crdt/golden.hpp), go-ds-crdt's
// TestCRDTPutPutDelete, refused priorities, crash safety (a failing batch leaves the file as it
// was; kill -9 at any moment loses nothing but the batch in flight) and merge throughput.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "cf/crdt/errc.hpp"
#include "golden.hpp"
#include "sync_support.hpp"

namespace cf::crdt {
namespace {

namespace mf = cf::multiformats;
using golden::hex;
using testing::b;
using testing::dump;
using testing::make_node;
using testing::node_from;
using testing::query_int;

class CrdtSyncStateMerge : public testing::SyncFixture {
 protected:
  const NodeToMerge a = node_from(hex(golden::node_a_hex), golden::node_a_cid);
  const NodeToMerge c = node_from(hex(golden::node_c_hex), golden::node_c_cid);
  const NodeToMerge d = node_from(hex(golden::node_d_hex), golden::node_d_cid);
  const NodeToMerge e = node_from(hex(golden::node_e_hex), golden::node_e_cid, 7);
  const NodeToMerge f = node_from(hex(golden::node_f_hex), golden::node_f_cid);
  const NodeToMerge g = node_from(hex(golden::node_g_hex), golden::node_g_cid);
  const std::string key{golden::pin_key};
};

TEST_F(CrdtSyncStateMerge, ConcurrentChildrenAtEqualPriorityTieOnTheGreaterValue) {
  merge({a});
  MergeResult with_c = merge({c});
  ASSERT_EQ(with_c.changes.size(), 1u);
  EXPECT_EQ(with_c.changes[0], (KeyChange{key, hex(golden::pin_hex), b("value-c")}));
  MergeResult with_d = merge({d});
  ASSERT_EQ(with_d.changes.size(), 1u);
  EXPECT_EQ(with_d.changes[0], (KeyChange{key, b("value-c"), b("value-d")}));
  EXPECT_EQ(value(key), b("value-d"));
}

TEST_F(CrdtSyncStateMerge, TheLesserValueArrivingLastChangesNothing) {
  merge({d, a});
  EXPECT_EQ(value(key), b("value-d"));
  EXPECT_TRUE(merge({c}).changes.empty());
  EXPECT_EQ(value(key), b("value-d"));
}

TEST_F(CrdtSyncStateMerge, MergeNodeFromTheTopDown) {
  // E (depth 7) links C and D; its batch delta puts "/other" twice: the greater value stays.
  MergeResult top = merge({e});
  EXPECT_EQ(top.new_frontier, (std::vector<mf::Cid>{c.cid, d.cid}));
  ASSERT_EQ(top.changes.size(), 1u);
  EXPECT_EQ(top.changes[0], (KeyChange{"/other", std::nullopt, b("y")}));
  EXPECT_EQ(query_int(*db_, "SELECT count(*) FROM crdt_elements WHERE key = '/other'"), 1);
  auto due = state_->due(5, 1);
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].priority, 3u);
  EXPECT_EQ((*due)[0].depth, 8u);

  MergeResult middle = merge({c, d});
  // A is linked by both: one frontier row.
  EXPECT_EQ(middle.new_frontier, std::vector<mf::Cid>{a.cid});
  EXPECT_EQ(middle.changes.size(), 1u);
  EXPECT_EQ(counts().frontier, 1u);
  MergeResult bottom = merge({a});
  EXPECT_TRUE(bottom.changes.empty());  // A's value loses to D's
  EXPECT_EQ(value(key), b("value-d"));
  EXPECT_EQ(value("/other"), b("y"));
  EXPECT_EQ(counts().max_height, 3u);
  EXPECT_EQ(counts().frontier, 0u);
}

TEST_F(CrdtSyncStateMerge, TheSameKeyTwiceInOneDeltaKeepsTheGreatestWhateverItsPlace) {
  MergeResult result =
      merge({make_node({}, Delta{{{"/k", "", b("b")}, {"/k", "", b("ab")}, {"/k", "", b("a")}},
                                 {},
                                 4})});
  ASSERT_EQ(result.changes.size(), 1u);
  EXPECT_EQ(result.changes[0].after, b("b"));
  // bytes.Compare: a prefix sorts first.
  merge({make_node({}, Delta{{{"/p", "", b("ab")}, {"/p", "", b("abc")}}, {}, 1})});
  EXPECT_EQ(value("/p"), b("abc"));
}

TEST_F(CrdtSyncStateMerge, CidV0LinkIsTheSameNodeAsItsV1) {
  MergeResult with_f = merge({f});
  const mf::Cid a_v0 = *mf::Cid::v0(a.cid.hash());
  ASSERT_EQ(with_f.new_frontier, std::vector<mf::Cid>{a_v0});
  EXPECT_EQ(value("/f"), b("v"));
  auto due = state_->due(1, 1);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].cid, a_v0);  // fetched as linked
  merge({a});                      // arrives as its CIDv1
  EXPECT_EQ(counts().frontier, 0u);
  EXPECT_EQ(counts().processed, 2u);
}

TEST_F(CrdtSyncStateMerge, CidV0LinkToAMergedNodeIsNotFollowed) {
  merge({a});
  EXPECT_TRUE(merge({f}).new_frontier.empty());
  EXPECT_EQ(counts().frontier, 0u);
}

TEST_F(CrdtSyncStateMerge, DataBeforeLinksIsIdentifiedByTheReceivedBytes) {
  EXPECT_EQ(node_cid(hex(golden::node_g_hex)).to_string(), golden::node_g_cid);
  merge({g});
  EXPECT_EQ(value("/g"), b("w"));
  EXPECT_EQ(*state_->block(g.cid.hash()), hex(golden::node_g_hex));
  // A tombstone naming the canonical (Links-first) re-encoding does not match ...
  const mf::Cid canonical = node_cid(encode_node(g.node.links, g.node.delta));
  ASSERT_NE(canonical, g.cid);
  EXPECT_TRUE(merge({make_node({g.cid}, Delta{{}, {{"/g", element_id(canonical.hash()), {}}}, 3})})
                  .changes.empty());
  EXPECT_EQ(value("/g"), b("w"));
  // ... the id of the received block does.
  MergeResult removed =
      merge({make_node({g.cid}, Delta{{}, {{"/g", element_id(g.cid.hash()), {}}}, 3})});
  ASSERT_EQ(removed.changes.size(), 1u);
  EXPECT_EQ(removed.changes[0], (KeyChange{"/g", b("w"), std::nullopt}));
}

TEST_F(CrdtSyncStateMerge, TombstonesWithIdsThatAreNotMultihashesAreIgnored) {
  merge({a});
  MergeResult result = merge({make_node(
      {a.cid}, Delta{{}, {{key, "not an id", {}}, {key, "/CIQ", {}}, {key, "", {}}}, 2})});
  EXPECT_TRUE(result.changes.empty());
  EXPECT_EQ(result.merged, 1u);
  EXPECT_EQ(query_int(*db_, "SELECT count(*) FROM crdt_tombstones"), 0);
  EXPECT_EQ(value(key), hex(golden::pin_hex));
}

// go-ds-crdt crdt_test.go TestCRDTPutPutDelete (issue #238): r0 puts twice then deletes, r1
// puts concurrently; every merge order converges to r1's value.
TEST_F(CrdtSyncStateMerge, PutPutDeleteAgainstAConcurrentPut) {
  const NodeToMerge p1 = make_node({}, Delta{{{"/k", "", b("r0-1")}}, {}, 1});
  const NodeToMerge p2 = make_node({p1.cid}, Delta{{{"/k", "", b("r0-2")}}, {}, 2});
  const NodeToMerge del = make_node(
      {p2.cid},
      Delta{{}, {{"/k", element_id(p1.cid.hash()), {}}, {"/k", element_id(p2.cid.hash()), {}}}, 3});
  const NodeToMerge other = make_node({}, Delta{{{"/k", "", b("r1")}}, {}, 1});
  std::vector<NodeToMerge> order{p1, p2, del, other};
  std::sort(order.begin(), order.end(),
            [](const NodeToMerge& x, const NodeToMerge& y) { return x.cid < y.cid; });
  int orders = 0;
  do {
    fresh();
    std::optional<Bytes> replayed;
    for (const NodeToMerge& n : order) {
      for (const KeyChange& change : merge({n}).changes) {
        EXPECT_EQ(change.before, replayed);
        replayed = change.after;
      }
    }
    EXPECT_EQ(value("/k"), b("r1"));
    EXPECT_EQ(replayed, b("r1"));
    ++orders;
  } while (std::next_permutation(order.begin(), order.end(),
                                 [](const NodeToMerge& x, const NodeToMerge& y) {
                                   return x.cid < y.cid;
                                 }));
  EXPECT_EQ(orders, 24);
}

TEST_F(CrdtSyncStateMerge, PrioritiesAbove63BitsAreRefusedOneNodeAtATime) {
  const NodeToMerge too_high =
      make_node({a.cid}, Delta{{{"/x", "", b("1")}}, {}, std::uint64_t{1} << 63});
  const NodeToMerge highest = make_node({}, Delta{{{"/y", "", b("2")}}, {}, max_priority});
  ASSERT_TRUE(state_->add_heads(std::vector<mf::Cid>{too_high.cid}, 1));
  MergeResult result = merge({too_high, highest});
  EXPECT_EQ(result.merged, 1u);
  ASSERT_EQ(result.refused.size(), 1u);
  EXPECT_EQ(result.refused[0].cid, too_high.cid);
  EXPECT_EQ(result.refused[0].error, errc::priority_too_large);
  EXPECT_NE(result.refused[0].error.message().find("9223372036854775808"), std::string::npos);
  // Nothing of the refused node was written; it waits in the frontier to be deferred.
  EXPECT_EQ(value("/x"), std::nullopt);
  EXPECT_FALSE(*state_->in_frontier(a.cid.hash()));
  EXPECT_TRUE(*state_->in_frontier(too_high.cid.hash()));
  EXPECT_FALSE(*state_->is_processed(too_high.cid.hash()));
  EXPECT_EQ(value("/y"), b("2"));
  EXPECT_EQ(counts().max_height, max_priority);
}

TEST_F(CrdtSyncStateMerge, AFailureMidBatchLeavesTheFileAsItWas) {
  merge({a});
  ASSERT_TRUE(state_->add_heads(std::vector<mf::Cid>{e.cid}, 1));
  const std::string before = dump(*db_);
  // C and D go in, then E fails while being marked processed.
  ASSERT_TRUE(db_->exec("CREATE TEMP TRIGGER inject BEFORE INSERT ON main.crdt_processed "
                        "WHEN NEW.priority = 3 BEGIN SELECT RAISE(ABORT, 'injected'); END"));
  auto failed = state_->merge(std::vector<NodeToMerge>{c, d, e}, 2);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), store::errc::constraint_failed);
  EXPECT_NE(failed.error().message().find("merging " + e.cid.to_string()), std::string::npos)
      << failed.error().message();
  EXPECT_EQ(dump(*db_), before);
  EXPECT_EQ(value(key), hex(golden::pin_hex));

  ASSERT_TRUE(db_->exec("DROP TRIGGER inject"));
  MergeResult retried = merge({c, d, e});
  EXPECT_EQ(retried.merged, 3u);
  reopen();
  EXPECT_EQ(value(key), b("value-d"));
  EXPECT_EQ(value("/other"), b("y"));
  EXPECT_EQ(counts(), (SyncCounts{.heads = 1, .heads_processed = 1, .processed = 4,
                                  .max_height = 3, .blocks = 4,
                                  .block_bytes = a.block.size() + c.block.size() +
                                                 d.block.size() + e.block.size()}));
}

TEST_F(CrdtSyncStateMerge, TheBeforeCommitHookWritesInTheSameTransaction) {
  auto record_pins = [&](const MergeResult& result) -> Status {
    for (const KeyChange& change : result.changes) {
      if (!change.after) continue;
      CF_TRY(db_->exec("INSERT INTO pins (cid, cid_text, type, updated_at) VALUES "
                       "(x'01', '" + change.key + "', 'pin', 1)"));
    }
    return ok();
  };
  ASSERT_TRUE(state_->merge(std::vector<NodeToMerge>{a}, 1, record_pins));
  EXPECT_EQ(query_int(*db_, "SELECT count(*) FROM pins"), 1);

  const std::string before = dump(*db_);
  auto refuse = [](const MergeResult& result) -> Status {
    EXPECT_EQ(result.changes.size(), 1u);
    return Error(store::errc::disk_full, "pins table is full");
  };
  auto failed = state_->merge(std::vector<NodeToMerge>{c}, 2, refuse);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), store::errc::disk_full);
  EXPECT_EQ(dump(*db_), before);
  EXPECT_FALSE(*state_->is_processed(c.cid.hash()));
}

// A linear DAG of `length` nodes, each putting `per_node` keys of a rotating set and
// tombstoning the previous node's first key.
std::vector<NodeToMerge> chain(std::size_t length, std::size_t per_node) {
  std::vector<NodeToMerge> nodes;
  for (std::size_t i = 0; i < length; ++i) {
    Delta delta;
    delta.priority = i + 1;
    for (std::size_t k = 0; k < per_node; ++k) {
      delta.elements.push_back(
          {"/key" + std::to_string((i * 7 + k) % 97), "", b("value " + std::to_string(i))});
    }
    std::vector<mf::Cid> links;
    if (i > 0) {
      links.push_back(nodes.back().cid);
      delta.tombstones.push_back({nodes.back().node.delta.elements[0].key,
                                  element_id(nodes.back().cid.hash()), {}});
    }
    nodes.push_back(make_node(links, delta));
  }
  return nodes;
}

// The child walks the DAG and reports each merged batch on a pipe; the parent kills it with
// SIGKILL after a few batches (wherever it is), resumes in a new child, kills again, and
// finally walks to the end itself: the result is as if nothing had happened.
TEST_F(CrdtSyncStateMerge, KillNineAnywhereLosesNothingButTheBatchInFlight) {
  const std::vector<NodeToMerge> nodes = chain(600, 20);
  testing::BlockSource source;
  testing::ReferenceSet reference;
  for (const NodeToMerge& n : nodes) {
    testing::add_to(source, n);
    reference.apply(n);
  }
  const std::vector<mf::Cid> heads{nodes.back().cid};
  state_.reset();
  db_.reset();
  for (int round : {3, 17, 41}) {
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(pipe_fds[0]);
      auto db = store::Store::open(path(), store::OpenMode::read_write);
      if (!db) ::_exit(2);
      SyncState state(*db);
      auto walked = testing::drive(state, source, heads, 4, 1, [&](const MergeResult&) {
        char one = 1;
        if (::write(pipe_fds[1], &one, 1) != 1) ::_exit(3);
      });
      ::_exit(walked ? 0 : 4);
    }
    ::close(pipe_fds[1]);
    char byte = 0;
    for (int i = 0; i < round; ++i) ASSERT_EQ(::read(pipe_fds[0], &byte, 1), 1);
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    // A child that outran the parent and finished is possible on a loaded machine; the
    // result must be right either way.
    EXPECT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
    ::close(pipe_fds[0]);
  }
  reopen();
  EXPECT_GE(counts().processed, 41u);
  ASSERT_TRUE(testing::drive(*state_, source, heads, 4, 2, [](const MergeResult&) {}));
  EXPECT_EQ(counts().processed, nodes.size());
  EXPECT_EQ(counts().frontier, 0u);
  EXPECT_EQ(counts().max_height, nodes.size());
  for (std::size_t k = 0; k < 97; ++k) {
    const std::string key_k = "/key" + std::to_string(k);
    EXPECT_EQ(value(key_k), reference.value(key_k)) << key_k;
  }
}

// Not a timing assertion: prints elements merged per second for the record.
TEST_F(CrdtSyncStateMerge, ThroughputOfLargeBatches) {
  constexpr std::size_t node_count = 100, per_node = 1000, batch = 10;
  std::mt19937_64 rng(42);
  std::vector<NodeToMerge> puts, removes;
  Bytes pin = hex(golden::pin_hex);
  for (std::size_t i = 0; i < node_count; ++i) {
    Delta delta{{}, {}, i + 1};
    for (std::size_t k = 0; k < per_node; ++k) {
      auto cid = mf::Cid::v1(0x70, mf::Multihash::sha2_256(b(std::to_string(rng()))));
      pin[20] = static_cast<std::uint8_t>(rng());
      delta.elements.push_back({pin_key(cid), "", pin});
    }
    puts.push_back(make_node(i ? std::vector<mf::Cid>{puts.back().cid} : std::vector<mf::Cid>{},
                             delta));
  }
  for (std::size_t i = 0; i < node_count; ++i) {
    Delta delta{{}, {}, node_count + i + 1};
    for (const Element& element : puts[i].node.delta.elements) {
      delta.tombstones.push_back({element.key, element_id(puts[i].cid.hash()), {}});
    }
    removes.push_back(make_node({puts.back().cid}, delta));
  }
  auto run = [&](const std::vector<NodeToMerge>& nodes, const char* what) {
    std::size_t changes = 0;
    auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < nodes.size(); i += batch) {
      auto merged = state_->merge(std::span(nodes).subspan(i, batch), 1);
      EXPECT_TRUE(merged);
      if (merged) changes += merged->changes.size();
    }
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
    std::printf("[ throughput ] %zu %s in %.3f s: %.0f per second (batches: %zu nodes of %zu)\n",
                node_count * per_node, what, seconds.count(),
                double(node_count * per_node) / seconds.count(),
                batch, per_node);
    std::fflush(stdout);
    return changes;
  };
  EXPECT_EQ(run(puts, "elements (new keys)"), node_count * per_node);
  EXPECT_EQ(run(removes, "tombstones (each removes a key)"), node_count * per_node);
  EXPECT_EQ(counts().processed, 2 * node_count);
}

}  // namespace
}  // namespace cf::crdt
