// SyncState's bookkeeping: heads, the frontier, counters, and reads. The merge is in
// sync_merge.cpp. Contract and divergences from go-ds-crdt: include/cf/crdt/sync_state.hpp.
#include "cf/crdt/sync_state.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "cf/base/printable.hpp"
#include "sync_statements.hpp"

namespace cf::crdt {
namespace mf = cf::multiformats;

namespace detail {
namespace {

using Member = SyncStatements::Slot SyncStatements::*;

struct Query {
  Member member;
  std::string_view sql;
};

// Every SQL statement of SyncState. The tables are explained in docs/store.md.
constexpr std::array queries{
    Query{&SyncStatements::is_processed, "SELECT 1 FROM crdt_processed WHERE block = ?1"},
    Query{&SyncStatements::in_frontier, "SELECT 1 FROM crdt_frontier WHERE block = ?1"},
    // A head seen again keeps its row (and height), only seen_at moves; a processed head
    // seen again after prune_heads gets its height back from crdt_processed.
    Query{&SyncStatements::upsert_head,
          "INSERT INTO crdt_heads (block, cid, height, seen_at) VALUES (?1, ?2, "
          "coalesce((SELECT priority FROM crdt_processed WHERE block = ?1), 0), ?3) "
          "ON CONFLICT (block) DO UPDATE SET seen_at = excluded.seen_at"},
    // Inserts nothing when the block is processed or already in the frontier; changes()
    // tells which happened.
    Query{&SyncStatements::add_frontier,
          "INSERT INTO crdt_frontier (block, cid, priority, depth, added_at) "
          "SELECT ?1, ?2, ?3, ?4, ?5 "
          "WHERE NOT EXISTS (SELECT 1 FROM crdt_processed WHERE block = ?1) "
          "ON CONFLICT (block) DO NOTHING"},
    Query{&SyncStatements::due,
          "SELECT block, cid, priority, depth, attempts, last_error FROM crdt_frontier "
          "WHERE next_attempt_at <= ?1 ORDER BY priority DESC, depth ASC, block LIMIT ?2"},
    Query{&SyncStatements::next_due,
          "SELECT min(next_attempt_at) FROM crdt_frontier WHERE next_attempt_at > ?1"},
    Query{&SyncStatements::defer,
          "UPDATE crdt_frontier SET attempts = attempts + 1, next_attempt_at = ?2, "
          "last_error = ?3 WHERE block = ?1"},
    Query{&SyncStatements::prune_heads,
          "DELETE FROM crdt_heads WHERE seen_at < ?1 AND EXISTS "
          "(SELECT 1 FROM crdt_processed p WHERE p.block = crdt_heads.block)"},
    // One statement, so one snapshot.
    Query{&SyncStatements::counts,
          "SELECT (SELECT value FROM counters WHERE name = 'crdt_heads'), "
          "(SELECT count(*) FROM crdt_heads h WHERE EXISTS "
          "  (SELECT 1 FROM crdt_processed p WHERE p.block = h.block)), "
          "(SELECT value FROM counters WHERE name = 'crdt_frontier'), "
          "(SELECT value FROM counters WHERE name = 'crdt_frontier_failing'), "
          "(SELECT value FROM counters WHERE name = 'crdt_processed'), "
          "(SELECT value FROM counters WHERE name = 'crdt_max_height'), "
          "(SELECT value FROM counters WHERE name = 'crdt_blocks'), "
          "(SELECT value FROM counters WHERE name = 'crdt_block_bytes')"},
    Query{&SyncStatements::block, "SELECT data FROM crdt_blocks WHERE block = ?1"},
    Query{&SyncStatements::best_value,
          "SELECT value FROM crdt_elements e WHERE key = ?1 AND NOT EXISTS "
          "(SELECT 1 FROM crdt_tombstones t WHERE t.key = e.key AND t.block = e.block) "
          "ORDER BY priority DESC, value DESC LIMIT 1"},
    // Upserts, not INSERT OR IGNORE: OR IGNORE would also swallow CHECK failures.
    Query{&SyncStatements::add_tombstone,
          "INSERT INTO crdt_tombstones (key, block) VALUES (?1, ?2) "
          "ON CONFLICT (key, block) DO NOTHING"},
    Query{&SyncStatements::add_element,
          "INSERT INTO crdt_elements (key, block, priority, value) VALUES (?1, ?2, ?3, ?4) "
          "ON CONFLICT (key, block) DO NOTHING"},
    Query{&SyncStatements::mark_processed,
          "INSERT INTO crdt_processed (block, priority) VALUES (?1, ?2)"},
    Query{&SyncStatements::remove_frontier, "DELETE FROM crdt_frontier WHERE block = ?1"},
    Query{&SyncStatements::keep_block,
          "INSERT INTO crdt_blocks (block, data) VALUES (?1, ?2) ON CONFLICT (block) DO NOTHING"},
    Query{&SyncStatements::set_head_height,
          "UPDATE crdt_heads SET height = ?2 WHERE block = ?1"},
    Query{&SyncStatements::raise_max_height,
          "UPDATE counters SET value = max(value, ?1) WHERE name = 'crdt_max_height'"},
    Query{&SyncStatements::add_pending, "INSERT INTO crdt_pending (key) VALUES (?1) ON CONFLICT (key) DO NOTHING"},
    Query{&SyncStatements::list_pending, "SELECT key FROM crdt_pending"},
    Query{&SyncStatements::clear_pending, "DELETE FROM crdt_pending WHERE key = ?1"},
};

// SQLite INTEGERs are signed; the values bound here (counts, limits) are far below 2^63.
std::int64_t as_int(std::uint64_t v) {
  return static_cast<std::int64_t>(std::min<std::uint64_t>(v, max_priority));
}

std::uint64_t as_count(std::int64_t v) { return v < 0 ? 0 : static_cast<std::uint64_t>(v); }

// printable(), then cut at a character boundary so that the text is at most `max` bytes.
std::string error_text(std::string_view error, std::size_t max) {
  std::string text = printable(error, max);
  if (text.size() <= max) return text;
  std::size_t cut = max - 3;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "...";
}

Error corrupt_row(std::string_view what) {
  return Error(store::errc::corrupt, std::string("crdt_frontier holds ") + std::string(what));
}

}  // namespace

Result<std::unique_ptr<SyncStatements>> SyncStatements::prepare(store::Store& db) {
  auto statements = std::make_unique<SyncStatements>();
  for (const Query& q : queries) {
    CF_TRY_ASSIGN(statement, db.prepare(q.sql));
    ((*statements).*(q.member)).emplace(std::move(statement));
  }
  return statements;
}

Result<bool> exists(store::Statement& query, ByteView key) {
  ResetOnExit reset(query);
  query.bind(1, key);
  return query.step();
}

Status best_value(store::Statement& query, std::string_view key, std::optional<Bytes>& out) {
  ResetOnExit reset(query);
  out.reset();
  query.bind(1, key);
  CF_TRY_ASSIGN(row, query.step());
  if (row) out.emplace(query.column_blob(0));
  return ok();
}

}  // namespace detail

SyncState::SyncState(store::Store& db) : db_(db) {}
SyncState::~SyncState() = default;

Result<detail::SyncStatements*> SyncState::statements() {
  if (!statements_) {
    CF_TRY_ASSIGN(prepared, detail::SyncStatements::prepare(db_));
    statements_ = std::move(prepared);
  }
  return statements_.get();
}

Result<std::vector<mf::Cid>> SyncState::add_heads(std::span<const mf::Cid> heads,
                                                  std::int64_t now) {
  CF_TRY_ASSIGN(st, statements());
  CF_TRY_ASSIGN(transaction, db_.begin_write());
  std::vector<mf::Cid> added;
  for (const mf::Cid& head : heads) {
    const Bytes& block = head.hash().bytes();
    CF_TRY(st->upsert_head->bind_all(ByteView(block), ByteView(head.bytes()), now).run());
    CF_TRY(st->add_frontier
               ->bind_all(ByteView(block), ByteView(head.bytes()), detail::as_int(head_priority),
                          std::int64_t{0}, now)
               .run());
    if (db_.changes() > 0) added.push_back(head);
  }
  CF_TRY(transaction.commit());
  return added;
}

Result<bool> SyncState::is_processed(const mf::Multihash& block) {
  CF_TRY_ASSIGN(st, statements());
  return detail::exists(*st->is_processed, block.bytes());
}

Result<bool> SyncState::in_frontier(const mf::Multihash& block) {
  CF_TRY_ASSIGN(st, statements());
  return detail::exists(*st->in_frontier, block.bytes());
}

Result<std::vector<FrontierEntry>> SyncState::due(
    std::size_t max, std::int64_t now, const std::unordered_set<mf::Multihash>& skip) {
  std::vector<FrontierEntry> entries;
  if (max == 0) return entries;
  CF_TRY_ASSIGN(st, statements());
  store::Statement& query = *st->due;
  detail::ResetOnExit reset(query);
  // At most skip.size() of the rows read are left out, so this many always suffice.
  query.bind_all(now, detail::as_int(std::uint64_t{max} + skip.size()));
  while (entries.size() < max) {
    CF_TRY_ASSIGN(row, query.step());
    if (!row) break;
    auto block = mf::Multihash::from_bytes(query.column_blob(0));
    if (!block) return detail::corrupt_row("a block that is not a multihash");
    if (skip.contains(*block)) continue;
    auto cid = mf::Cid::from_bytes(query.column_blob(1));
    if (!cid) return detail::corrupt_row("a CID that does not parse");
    entries.push_back(FrontierEntry{
        .block = std::move(*block),
        .cid = std::move(*cid),
        .priority = detail::as_count(query.column_int(2)),
        .depth = detail::as_count(query.column_int(3)),
        .attempts = static_cast<std::uint32_t>(
            std::min<std::uint64_t>(detail::as_count(query.column_int(4)), UINT32_MAX)),
        .last_error = query.column_text(5),
    });
  }
  return entries;
}

Result<std::optional<std::int64_t>> SyncState::next_due(std::int64_t now) {
  CF_TRY_ASSIGN(st, statements());
  store::Statement& query = *st->next_due;
  detail::ResetOnExit reset(query);
  query.bind(1, now);
  CF_TRY_ASSIGN(row, query.step());
  if (!row) return std::optional<std::int64_t>();
  return query.column_optional_int(0);
}

Status SyncState::defer(const mf::Multihash& block, std::string_view error,
                        std::int64_t next_attempt_at) {
  CF_TRY_ASSIGN(st, statements());
  std::string text = detail::error_text(error, max_error_text);
  return st->defer->bind_all(ByteView(block.bytes()), next_attempt_at, std::string_view(text))
      .run();
}

Status SyncState::prune_heads(std::int64_t before) {
  CF_TRY_ASSIGN(st, statements());
  return st->prune_heads->bind(1, before).run();
}

Result<SyncCounts> SyncState::counts() {
  CF_TRY_ASSIGN(st, statements());
  store::Statement& query = *st->counts;
  detail::ResetOnExit reset(query);
  CF_TRY_ASSIGN(row, query.step());
  if (!row) return Error(store::errc::corrupt, "the counters query returned no row");
  auto at = [&](int column) { return detail::as_count(query.column_int(column)); };
  return SyncCounts{
      .heads = at(0),
      .heads_processed = at(1),
      .frontier = at(2),
      .failing = at(3),
      .processed = at(4),
      .max_height = at(5),
      .blocks = at(6),
      .block_bytes = at(7),
  };
}

Result<std::optional<Bytes>> SyncState::block(const mf::Multihash& block) {
  CF_TRY_ASSIGN(st, statements());
  store::Statement& query = *st->block;
  detail::ResetOnExit reset(query);
  query.bind(1, ByteView(block.bytes()));
  CF_TRY_ASSIGN(row, query.step());
  if (!row) return std::optional<Bytes>();
  return std::optional<Bytes>(query.column_blob(0));
}

Result<std::vector<KeyChange>> SyncState::pending_changes() {
  CF_TRY_ASSIGN(st, statements());
  std::vector<std::string> keys;
  {
    detail::ResetOnExit reset(*st->list_pending);
    for (;;) {
      CF_TRY_ASSIGN(row, st->list_pending->step());
      if (!row) break;
      keys.push_back(st->list_pending->column_text(0));
    }
  }
  std::vector<KeyChange> changes;
  changes.reserve(keys.size());
  for (auto& key : keys) {
    KeyChange change{std::move(key), std::nullopt, std::nullopt};
    CF_TRY(detail::best_value(*st->best_value, change.key, change.after));
    changes.push_back(std::move(change));
  }
  return changes;
}

Status SyncState::clear_pending(std::span<const std::string> keys) {
  if (keys.empty()) return ok();
  CF_TRY_ASSIGN(st, statements());
  CF_TRY_ASSIGN(transaction, db_.begin_write());
  for (const auto& key : keys) {
    detail::ResetOnExit reset(*st->clear_pending);
    CF_TRY(st->clear_pending->bind(1, std::string_view(key)).run());
  }
  return transaction.commit();
}

Result<std::optional<Bytes>> SyncState::value(std::string_view key) {
  CF_TRY_ASSIGN(st, statements());
  std::optional<Bytes> best;
  CF_TRY(detail::best_value(*st->best_value, key, best));
  return best;
}

}  // namespace cf::crdt
