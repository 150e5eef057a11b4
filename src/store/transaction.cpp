#include "cf/store/transaction.hpp"

#include "cf/base/log.hpp"
#include "connection.hpp"

namespace cf::store {

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

Transaction::~Transaction() {
  if (!active()) return;
  if (auto rolled_back = rollback(); !rolled_back) {
    log::get("store")->warn("{}", rolled_back.error().message());
  }
}

Status Transaction::commit() {
  if (!active()) return Error(errc::sqlite_failed, "commit of a finished transaction");
  auto* c = std::exchange(connection_, nullptr);
  Status committed = detail::exec(*c, "COMMIT", "committing");
  // A failed COMMIT (disk full, I/O error) may leave the transaction open: end it, so the
  // connection is usable and nothing half-done is left pending.
  if (!committed && sqlite3_get_autocommit(c->db) == 0) {
    (void)detail::exec(*c, "ROLLBACK", "rolling back after a failed commit");
  }
  return committed;
}

Status Transaction::rollback() {
  if (!active()) return ok();
  auto* c = std::exchange(connection_, nullptr);
  // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL).
  if (sqlite3_get_autocommit(c->db) != 0) return ok();
  return detail::exec(*c, "ROLLBACK", "rolling back");
}

}  // namespace cf::store
