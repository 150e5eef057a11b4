// The sync engine over a real state.db and a block getter that serves a generated DAG from
// memory (with a delay, failures, wrong bytes, or blocks that appear late): catch-up of a
// linear DAG and of a wide one with many fetches in flight; a missing block retried with
// backoff without blocking other branches; a corrupt block counted, never merged; a restart
// resuming from the frontier without refetching what was merged; changes the handler failed
// to take handed over again after a restart.
#include "cf/crdt/sync_engine.hpp"

#include <map>
#include <random>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cf/crdt/keys.hpp"
#include "crdt/sync_support.hpp"

namespace cf::crdt {
namespace {

namespace mf = cf::multiformats;
using namespace std::chrono_literals;
using testing::b;

// Serves blocks by multihash after a short delay; counts fetches and the most in flight.
class MapGetter final : public BlockGetter {
 public:
  explicit MapGetter(asio::any_io_executor ex) : ex_(std::move(ex)) {}
  std::map<Bytes, Bytes, testing::BytesLess> blocks;
  std::set<Bytes, testing::BytesLess> missing;  // answered with an error
  std::map<Bytes, int, testing::BytesLess> fetches;
  std::size_t in_flight = 0;
  std::size_t max_in_flight = 0;
  std::size_t total = 0;

  Task<Result<Bytes>> get(const mf::Cid& cid, const std::optional<mf::PeerId>&) override {
    ++in_flight;
    ++total;
    max_in_flight = std::max(max_in_flight, in_flight);
    ++fetches[cid.hash().bytes()];
    asio::steady_timer timer(ex_, 1ms);
    co_await timer.async_wait(use_tuple);
    --in_flight;
    if (missing.count(cid.hash().bytes())) co_return Error(cf::errc::not_found, "not found");
    auto it = blocks.find(cid.hash().bytes());
    if (it == blocks.end()) co_return Error(cf::errc::not_found, "not found");
    co_return it->second;
  }

 private:
  asio::any_io_executor ex_;
};

// A pin-like key and value per index.
std::string key_of(int i) { return fmt::format("/K{}", i); }
Bytes value_of(int i, int version) { return b(fmt::format("v{}.{}", i, version)); }

struct Dag {
  std::vector<NodeToMerge> nodes;  // in creation order; the last ones are the heads
  std::vector<mf::Cid> heads;
  testing::ReferenceSet reference;
};

// A linear DAG of `n` nodes, each putting one key (every 10th node deletes an earlier key).
Dag linear_dag(int n) {
  Dag dag;
  std::map<std::string, std::vector<std::string>> ids;  // key -> live element ids
  std::optional<mf::Cid> last;
  for (int i = 1; i <= n; ++i) {
    Delta delta;
    delta.priority = static_cast<std::uint64_t>(i);
    if (i % 10 == 0) {
      auto key = key_of(i - 5);
      for (const auto& id : ids[key]) delta.tombstones.push_back(Element{key, id, {}});
      ids[key].clear();
    } else {
      delta.elements.push_back(Element{key_of(i), "", value_of(i, 1)});
    }
    auto node = testing::make_node(last ? std::vector<mf::Cid>{*last} : std::vector<mf::Cid>{}, delta);
    for (const auto& e : node.node.delta.elements) ids[e.key].push_back(element_id(node.cid.hash()));
    last = node.cid;
    dag.reference.apply(node);
    dag.nodes.push_back(std::move(node));
  }
  dag.heads = {*last};
  return dag;
}

// A wide DAG: `writers` independent chains of `length` nodes joined by one merge node.
Dag wide_dag(int writers, int length) {
  Dag dag;
  std::vector<mf::Cid> tips;
  int k = 0;
  for (int w = 0; w < writers; ++w) {
    std::optional<mf::Cid> last;
    for (int i = 1; i <= length; ++i) {
      Delta delta;
      delta.priority = static_cast<std::uint64_t>(i);
      delta.elements.push_back(Element{key_of(k), "", value_of(k, 1)});
      ++k;
      auto node = testing::make_node(last ? std::vector<mf::Cid>{*last} : std::vector<mf::Cid>{}, delta);
      last = node.cid;
      dag.reference.apply(node);
      dag.nodes.push_back(std::move(node));
    }
    tips.push_back(*last);
  }
  Delta top;
  top.priority = static_cast<std::uint64_t>(length + 1);
  top.elements.push_back(Element{key_of(0), "", value_of(0, 2)});
  auto node = testing::make_node(tips, top);
  dag.reference.apply(node);
  dag.heads = {node.cid};
  dag.nodes.push_back(std::move(node));
  return dag;
}

class SyncEngineTest : public testing::SyncFixture {
 protected:
  asio::io_context io;
  MapGetter getter{io.get_executor()};
  std::map<std::string, std::optional<Bytes>> applied;  // what the handler received, last wins
  bool fail_changes = false;
  SyncConfig config;

  void serve(const Dag& dag) {
    for (const auto& n : dag.nodes) getter.blocks[n.cid.hash().bytes()] = n.block;
  }

  SyncEngine::ChangesHandler handler() {
    return [this](const std::vector<KeyChange>& changes) -> Status {
      if (fail_changes) return Error(cf::errc::io_failed, "the pinset refused");
      for (const auto& c : changes) applied[c.key] = c.after;
      return ok();
    };
  }

  // Runs the engine until `done()` or 20 s, then stops it.
  void run(SyncEngine& engine, const std::vector<mf::Cid>& heads, std::function<bool()> done) {
    asio::co_spawn(io, [&]() -> Task<void> {
      engine.start();
      engine.on_broadcast(heads, *mf::PeerId::parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq"));
      for (int i = 0; i < 4000 && !done(); ++i) co_await cf::detail::sleep_for(5ms);
      co_await engine.stop();
    }, asio::detached);
    io.run_for(30s);
    io.restart();
  }

  bool synced() {
    auto c = counts();
    return c.frontier == 0 && c.heads > 0 && c.heads_processed == c.heads;
  }

  void expect_state(const Dag& dag, int keys) {
    for (int i = 0; i < keys; ++i) {
      auto want = dag.reference.value(key_of(i));
      auto have = state_->value(key_of(i));
      ASSERT_TRUE(have);
      EXPECT_EQ(*have, want) << key_of(i);
      auto it = applied.find(key_of(i));
      EXPECT_EQ(it == applied.end() ? std::nullopt : it->second, want) << "handed over: " << key_of(i);
    }
  }
};

TEST_F(SyncEngineTest, CatchesUpALinearDagFetchingEveryBlockOnce) {
  auto dag = linear_dag(500);
  serve(dag);
  SyncEngine engine(io.get_executor(), *state_, getter, handler(), config);
  run(engine, dag.heads, [&] { return synced(); });
  EXPECT_TRUE(synced());
  EXPECT_EQ(counts().processed, 500u);
  EXPECT_EQ(getter.total, 500u) << "no block fetched twice";
  EXPECT_EQ(engine.stats().merged, 500u);
  expect_state(dag, 501);
}

TEST_F(SyncEngineTest, AWideDagHasManyFetchesInFlight) {
  auto dag = wide_dag(64, 20);
  serve(dag);
  config.max_in_flight = 32;
  SyncEngine engine(io.get_executor(), *state_, getter, handler(), config);
  run(engine, dag.heads, [&] { return synced(); });
  EXPECT_TRUE(synced());
  EXPECT_EQ(getter.max_in_flight, 32u) << "the window is used, and never exceeded";
  EXPECT_EQ(getter.total, dag.nodes.size());
  expect_state(dag, 64 * 20);
}

TEST_F(SyncEngineTest, AMissingBlockIsRetriedWithoutBlockingOtherBranches) {
  auto dag = wide_dag(4, 10);
  serve(dag);
  const auto gone = dag.nodes[5].cid.hash().bytes();  // inside the first chain
  getter.missing.insert(gone);
  std::int64_t now = 1000;
  SyncEngine engine(io.get_executor(), *state_, getter, handler(), config, [&] { return now; });
  run(engine, dag.heads, [&] { return counts().processed == dag.nodes.size() - 6; });
  auto c = counts();
  EXPECT_EQ(c.processed, dag.nodes.size() - 6) << "everything but the missing block and what is below it";
  EXPECT_EQ(c.failing, 1u);
  EXPECT_GE(engine.stats().fetch_failures, 1u);
  // It appears; once its backoff passed it is fetched and the rest follows.
  getter.missing.clear();
  now += 3600;
  SyncEngine again(io.get_executor(), *state_, getter, handler(), config, [&] { return now; });
  run(again, {}, [&] { return synced(); });
  EXPECT_TRUE(synced());
  expect_state(dag, 40);
}

TEST_F(SyncEngineTest, ACorruptBlockIsCountedAndNeverMerged) {
  auto dag = wide_dag(3, 5);
  serve(dag);
  auto& bad = getter.blocks[dag.nodes[7].cid.hash().bytes()];  // second chain, third node
  bad.back() ^= 0x01;
  SyncEngine engine(io.get_executor(), *state_, getter, handler(), config);
  const auto expected = dag.nodes.size() - 3;  // the bad node and the two below it
  run(engine, dag.heads, [&] { return counts().processed == expected; });
  EXPECT_EQ(counts().processed, expected);
  EXPECT_EQ(engine.stats().bad_nodes, 1u);
  auto merged = state_->is_processed(dag.nodes[7].cid.hash());
  EXPECT_TRUE(merged && !*merged);
}

TEST_F(SyncEngineTest, ARestartResumesWithoutRefetchingMergedBlocks) {
  auto dag = linear_dag(300);
  serve(dag);
  config.max_batch = 16;
  {
    SyncEngine engine(io.get_executor(), *state_, getter, handler(), config);
    run(engine, dag.heads, [&] { return counts().processed >= 100; });
  }
  const auto merged_before = counts().processed;
  const auto fetched_before = getter.total;
  ASSERT_GE(merged_before, 100u);
  ASSERT_LT(merged_before, 300u);
  reopen();  // as after a kill: only what state.db holds survives
  SyncEngine engine(io.get_executor(), *state_, getter, handler(), config);
  run(engine, {}, [&] { return synced(); });
  EXPECT_TRUE(synced());
  EXPECT_EQ(getter.total - fetched_before, 300 - merged_before)
      << "after the restart exactly the unmerged blocks are fetched, each once";
  EXPECT_LE(fetched_before - merged_before, config.max_in_flight + config.max_batch)
      << "what the first run fetched but did not merge: at most the blocks in flight";
  expect_state(dag, 301);
}

TEST_F(SyncEngineTest, ChangesTheHandlerRefusedAreHandedOverAfterARestart) {
  auto dag = linear_dag(20);
  serve(dag);
  fail_changes = true;
  {
    SyncEngine engine(io.get_executor(), *state_, getter, handler(), config);
    run(engine, dag.heads, [&] { return synced(); });
  }
  EXPECT_TRUE(applied.empty());
  reopen();
  fail_changes = false;
  SyncEngine engine(io.get_executor(), *state_, getter, handler(), config);
  ASSERT_TRUE(engine.replay_pending());
  expect_state(dag, 21);
  auto pending = state_->pending_changes();
  ASSERT_TRUE(pending);
  EXPECT_TRUE(pending->empty()) << "the journal is cleared once taken";
}

}  // namespace
}  // namespace cf::crdt
