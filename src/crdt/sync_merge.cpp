// SyncState::merge: go-ds-crdt v0.6.8 set.go Merge (tombstones, then elements) and crdt.go
// processNode (mark processed, follow links), as one SQLite transaction per batch.
// Contract and divergences: include/cf/crdt/sync_state.hpp; tables: docs/store.md.
//
// The state per key is never stored as "the current value": it is computed from
// crdt_elements minus crdt_tombstones by one indexed query (detail::best_value), which is
// what makes the result independent of merge order and lets a tombstone resolve without old
// blocks. Keys touched by a batch are queried before their first change and once at the end.
#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "cf/crdt/errc.hpp"
#include "cf/crdt/keys.hpp"
#include "cf/crdt/sync_state.hpp"
#include "sync_statements.hpp"

namespace cf::crdt {
namespace mf = cf::multiformats;

namespace {

// One element per key of a delta, the greatest value when a batch delta puts a key more than
// once (go-ds-crdt findBestValue's greatestValueInDelta; Go's bytes.Compare is the
// lexicographic order of unsigned bytes, shorter prefix first, as std::vector's operator<).
// First-appearance order.
std::vector<const Element*> greatest_per_key(const std::vector<Element>& elements) {
  std::vector<const Element*> chosen;
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(elements.size());
  for (const Element& element : elements) {
    auto [it, inserted] = index.try_emplace(element.key, chosen.size());
    if (inserted) {
      chosen.push_back(&element);
    } else if (chosen[it->second]->value < element.value) {
      chosen[it->second] = &element;
    }
  }
  return chosen;
}

// The writes of one merge() call, inside its transaction.
class Batch {
 public:
  Batch(detail::SyncStatements& st, store::Store& db, std::int64_t now)
      : st_(st), db_(db), now_(now) {}

  Status add(const NodeToMerge& node);
  Result<MergeResult> finish();

 private:
  Status touch(const std::string& key);
  Status apply_delta(ByteView block, const Delta& delta, std::int64_t priority);
  Status mark_merged(const NodeToMerge& node, std::int64_t priority);
  Status follow_links(const NodeToMerge& node, std::int64_t priority);

  detail::SyncStatements& st_;
  store::Store& db_;
  std::int64_t now_;
  MergeResult result_{};
  // Best value of every touched key before the batch touched it; order_ points at its keys
  // (unordered_map keys never move).
  std::unordered_map<std::string, std::optional<Bytes>> before_{};
  std::vector<const std::string*> order_{};
  std::unordered_set<mf::Multihash> merged_{};
  std::int64_t max_height_ = -1;
};

Status Batch::add(const NodeToMerge& node) {
  const Bytes& block = node.cid.hash().bytes();
  CF_TRY_ASSIGN(processed, detail::exists(*st_.is_processed, block));
  if (processed) {
    ++result_.skipped;
    return ok();
  }
  const std::uint64_t priority = node.node.delta.priority;
  if (priority > max_priority) {
    result_.refused.push_back(RefusedNode{
        node.cid, Error(errc::priority_too_large, "node " + node.cid.to_string() +
                                                      " has priority " + std::to_string(priority) +
                                                      ", above 2^63 - 1")});
    return ok();
  }
  const auto signed_priority = static_cast<std::int64_t>(priority);
  CF_TRY(apply_delta(block, node.node.delta, signed_priority));
  CF_TRY(mark_merged(node, signed_priority));
  return follow_links(node, signed_priority);
}

Status Batch::touch(const std::string& key) {
  auto [it, inserted] = before_.try_emplace(key);
  if (!inserted) return ok();
  order_.push_back(&it->first);
  return detail::best_value(*st_.best_value, key, it->second);
}

// Tombstones first, then elements (set.go Merge). Go's putElems skips a (key, id) already
// tombstoned; here the element row is kept anyway and the tombstone hides it, which gives the
// same value and lets a tombstone arrive before or after its element.
Status Batch::apply_delta(ByteView block, const Delta& delta, std::int64_t priority) {
  for (const Element& tombstone : delta.tombstones) {
    // An id that is not a multihash key names no node, so it can never match an element.
    auto id = parse_element_id(tombstone.id);
    if (!id) continue;
    CF_TRY(touch(tombstone.key));
    CF_TRY(st_.add_tombstone->bind_all(std::string_view(tombstone.key), ByteView(id->bytes()))
               .run());
  }
  for (const Element* element : greatest_per_key(delta.elements)) {
    CF_TRY(touch(element->key));
    CF_TRY(st_.add_element
               ->bind_all(std::string_view(element->key), block, priority,
                          ByteView(element->value))
               .run());
  }
  return ok();
}

Status Batch::mark_merged(const NodeToMerge& node, std::int64_t priority) {
  ByteView block = node.cid.hash().bytes();
  CF_TRY(st_.mark_processed->bind_all(block, priority).run());
  CF_TRY(st_.remove_frontier->bind(1, block).run());
  CF_TRY(st_.keep_block->bind_all(block, ByteView(node.block)).run());
  CF_TRY(st_.set_head_height->bind_all(block, priority).run());
  merged_.insert(node.cid.hash());
  max_height_ = std::max(max_height_, priority);
  ++result_.merged;
  return ok();
}

// Links are kept as linked (a CIDv0 stays v0, to be fetched as such) but keyed on their
// multihash, so v0 and v1 links to one node are one frontier row.
Status Batch::follow_links(const NodeToMerge& node, std::int64_t priority) {
  const auto depth = static_cast<std::int64_t>(std::min(node.depth, max_priority - 1) + 1);
  for (const mf::Cid& link : node.node.links) {
    CF_TRY(st_.add_frontier
               ->bind_all(ByteView(link.hash().bytes()), ByteView(link.bytes()), priority,
                          depth, now_)
               .run());
    if (db_.changes() > 0) result_.new_frontier.push_back(link);
  }
  return ok();
}

Result<MergeResult> Batch::finish() {
  std::optional<Bytes> after;
  for (const std::string* key : order_) {
    CF_TRY(detail::best_value(*st_.best_value, *key, after));
    std::optional<Bytes>& before = before_.at(*key);
    if (after != before) {
      result_.changes.push_back(KeyChange{*key, std::move(before), std::move(after)});
    }
  }
  // A link merged later in the same batch left the frontier again.
  std::erase_if(result_.new_frontier,
                [&](const mf::Cid& cid) { return merged_.contains(cid.hash()); });
  if (max_height_ >= 0) CF_TRY(st_.raise_max_height->bind(1, max_height_).run());
  return std::move(result_);
}

}  // namespace

Result<MergeResult> SyncState::merge(std::span<const NodeToMerge> nodes, std::int64_t now,
                                     const BeforeCommit& before_commit) {
  if (nodes.empty()) return MergeResult{};
  CF_TRY_ASSIGN(st, statements());
  CF_TRY_ASSIGN(transaction, db_.begin_write());
  Batch batch(*st, db_, now);
  for (const NodeToMerge& node : nodes) {
    if (auto added = batch.add(node); !added) {
      return Unexpected{std::move(added.error().wrap("merging " + node.cid.to_string()))};
    }
  }
  CF_TRY_ASSIGN(result, batch.finish());
  // The journal: changes the caller has not taken yet survive a crash between this commit and
  // its own (pending_changes, clear_pending).
  for (const auto& change : result.changes) {
    detail::ResetOnExit reset(*st->add_pending);
    CF_TRY(st->add_pending->bind(1, std::string_view(change.key)).run());
  }
  if (before_commit) CF_TRY(before_commit(result));
  CF_TRY(transaction.commit());
  return result;
}

}  // namespace cf::crdt
