// Layer-private: the prepared statements of SyncState (sync_state.cpp prepares them, the merge
// in sync_merge.cpp uses them) and small helpers to run them.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/store/statement.hpp"
#include "cf/store/store.hpp"

namespace cf::crdt::detail {

// One member per query; all prepared together on first use and reset after every use, so
// none holds a read cursor open across calls.
struct SyncStatements {
  using Slot = std::optional<store::Statement>;
  Slot is_processed, in_frontier, upsert_head, add_frontier, due, next_due, defer, prune_heads,
      counts, block, best_value, add_tombstone, add_element, mark_processed, remove_frontier,
      keep_block, set_head_height, raise_max_height, add_pending, list_pending, clear_pending;

  static Result<std::unique_ptr<SyncStatements>> prepare(store::Store& db);
};

// Resets a statement when the scope ends, whatever path leaves it.
class ResetOnExit {
 public:
  explicit ResetOnExit(store::Statement& statement) : statement_(statement) {}
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;
  ~ResetOnExit() { statement_.reset(); }

 private:
  store::Statement& statement_;
};

// Whether `query` (one parameter, ?1 = blob) returns a row.
Result<bool> exists(store::Statement& query, ByteView key);

// The best live value of `key`: the highest priority among its elements not tombstoned,
// ties broken by the greater value byte-wise (SQLite compares BLOBs with memcmp, then by
// length, as Go's bytes.Compare does), into `out`; nullopt when no element is live. (An out
// parameter: g++ 12 -O3 warns falsely about a moved Result<optional<vector>>.)
Status best_value(store::Statement& query, std::string_view key, std::optional<Bytes>& out);

}  // namespace cf::crdt::detail
