// Helpers for the SyncState tests: a state.db in a temporary folder, nodes built with this
// layer's encoders, a table dump to compare database contents, and the in-memory reference
// model of the OR-set (crdt-dag-and-pinset.md §3.3) that merges are checked against.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cf/crdt/keys.hpp"
#include "cf/crdt/node.hpp"
#include "cf/crdt/sync_state.hpp"
#include "cf/store/store.hpp"
#include "store/temp_dir.hpp"

namespace cf::crdt::testing {

namespace mf = cf::multiformats;

inline Bytes b(std::string_view s) { return Bytes(s.begin(), s.end()); }

// Byte-string order for maps and sets, out of line (g++ 12 -O3 warns falsely about
// std::vector's own operator<=> on bytes).
struct BytesLess {
  bool operator()(const Bytes& x, const Bytes& y) const { return mf::compare_bytes(x, y) < 0; }
};
using BytesSet = std::set<Bytes, BytesLess>;

// A node as the sync engine hands it over: encoded, its CID computed, decoded back.
inline NodeToMerge make_node(const std::vector<mf::Cid>& links, const Delta& delta,
                             std::uint64_t depth = 0) {
  Bytes block = encode_node(links, delta);
  mf::Cid cid = node_cid(block);
  auto node = decode_node(cid, block);
  EXPECT_TRUE(node) << node.error().message();
  return NodeToMerge{cid, node ? *node : CrdtNode{}, std::move(block), depth};
}

// A node from its block bytes and CID text (the golden fixtures).
inline NodeToMerge node_from(const Bytes& block, std::string_view cid_text,
                             std::uint64_t depth = 0) {
  mf::Cid cid = *mf::Cid::parse(cid_text);
  auto node = decode_node(cid, block);
  EXPECT_TRUE(node) << node.error().message();
  return NodeToMerge{cid, node ? *node : CrdtNode{}, block, depth};
}

// Every row of the CRDT tables and the counters, as text, to compare a database before and
// after something that must not change it.
inline std::string dump(store::Store& db) {
  std::string out;
  for (const char* table : {"crdt_heads", "crdt_frontier", "crdt_processed", "crdt_elements",
                            "crdt_tombstones", "crdt_blocks", "counters"}) {
    auto query = db.prepare(std::string("SELECT * FROM ") + table + " ORDER BY 1, 2");
    EXPECT_TRUE(query) << query.error().message();
    out += std::string(table) + ":\n";
    while (true) {
      auto row = query->step();
      EXPECT_TRUE(row);
      if (!row || !*row) break;
      for (int c = 0; c < query->column_count(); ++c) {
        if (query->is_null(c)) {
          out += "NULL";
        } else {
          for (std::uint8_t byte : query->column_blob(c)) out += std::to_string(byte) + ".";
        }
        out += "|";
      }
      out += "\n";
    }
  }
  return out;
}

// One integer from a query (a column of one row).
inline std::int64_t query_int(store::Store& db, const std::string& sql) {
  auto query = db.prepare(sql);
  EXPECT_TRUE(query) << query.error().message();
  auto row = query->step();
  EXPECT_TRUE(row && *row) << sql;
  return query->column_int(0);
}

// The OR-set of §3.3 over a set of nodes, computed from scratch: E(K) = one entry per node
// that put K (its greatest value), T(K) = tombstoned ids; the value is the live entry of
// highest priority, ties to the greater value.
class ReferenceSet {
 public:
  void apply(const NodeToMerge& n) {
    const Bytes& block = n.cid.hash().bytes();
    if (!merged_.insert(block).second) return;
    for (const Element& t : n.node.delta.tombstones) {
      if (auto id = parse_element_id(t.id)) tombstones_[t.key].insert(id->bytes());
    }
    for (const Element& e : n.node.delta.elements) {
      auto [it, inserted] =
          elements_[e.key].try_emplace(block, Entry{n.node.delta.priority, e.value});
      if (!inserted && mf::compare_bytes(it->second.value, e.value) < 0) {
        it->second.value = e.value;
      }
    }
  }

  std::optional<Bytes> value(const std::string& key) const {
    auto it = elements_.find(key);
    if (it == elements_.end()) return std::nullopt;
    auto tombs = tombstones_.find(key);
    const Entry* best = nullptr;
    for (const auto& [block, entry] : it->second) {
      if (tombs != tombstones_.end() && tombs->second.contains(block)) continue;
      if (best == nullptr || best->priority < entry.priority ||
          (best->priority == entry.priority && mf::compare_bytes(best->value, entry.value) < 0)) {
        best = &entry;
      }
    }
    if (best == nullptr) return std::nullopt;
    return best->value;
  }

 private:
  struct Entry {
    std::uint64_t priority;
    Bytes value;
  };
  BytesSet merged_;
  std::map<std::string, std::map<Bytes, Entry, BytesLess>> elements_;
  std::map<std::string, BytesSet> tombstones_;
};

// Nodes by multihash: the block source of drive().
using BlockSource = std::map<Bytes, NodeToMerge, BytesLess>;

inline void add_to(BlockSource& source, const NodeToMerge& node) {
  source.emplace(node.cid.hash().bytes(), node);
}

// Walks a DAG the way the sync engine will: `heads` into the frontier, then the due frontier
// rows in batches of `batch`, fetched from `source`, until the frontier is empty. Calls
// `after_batch` after every merge. A frontier row missing from `source` is an error.
template <typename AfterBatch>
Status drive(SyncState& state, const BlockSource& source, const std::vector<mf::Cid>& heads,
             std::size_t batch, std::int64_t now, AfterBatch&& after_batch) {
  CF_TRY(state.add_heads(heads, now));
  while (true) {
    CF_TRY_ASSIGN(due, state.due(batch, now));
    if (due.empty()) return ok();
    std::vector<NodeToMerge> nodes;
    for (const FrontierEntry& entry : due) {
      auto it = source.find(entry.block.bytes());
      if (it == source.end()) return Error(std::make_error_code(std::errc::io_error), "missing");
      nodes.push_back(NodeToMerge{entry.cid, it->second.node, it->second.block, entry.depth});
    }
    CF_TRY_ASSIGN(result, state.merge(nodes, now));
    after_batch(result);
  }
}

// A state.db in a fresh folder and a SyncState on it; reopen() closes both and opens the
// same file again, fresh() starts over in a new folder.
class SyncFixture : public ::testing::Test {
 protected:
  void SetUp() override { fresh(); }

  void fresh() {
    state_.reset();
    db_.reset();
    dir_ = std::make_unique<store::testing::TempDir>();
    reopen();
  }

  void reopen() {
    state_.reset();
    db_.reset();
    auto opened = store::Store::open(path(), store::OpenMode::read_write);
    ASSERT_TRUE(opened) << opened.error().message();
    db_.emplace(std::move(opened).value());
    state_.emplace(*db_);
  }

  std::filesystem::path path() const { return *dir_ / "state.db"; }

  MergeResult merge(const std::vector<NodeToMerge>& nodes, std::int64_t now = 1) {
    auto result = state_->merge(nodes, now);
    EXPECT_TRUE(result) << result.error().message();
    return result ? std::move(*result) : MergeResult{};
  }

  SyncCounts counts() {
    auto c = state_->counts();
    EXPECT_TRUE(c) << c.error().message();
    return c ? *c : SyncCounts{};
  }

  std::optional<Bytes> value(std::string_view key) {
    auto v = state_->value(key);
    EXPECT_TRUE(v) << v.error().message();
    return v ? *v : std::nullopt;
  }

  std::unique_ptr<store::testing::TempDir> dir_;
  std::optional<store::Store> db_;
  std::optional<SyncState> state_;
};

}  // namespace cf::crdt::testing
