#include <string>

#include "connection.hpp"

namespace cf::store::detail {

errc errc_for(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return errc::busy;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return errc::corrupt;
    case SQLITE_READONLY: return errc::read_only;
    case SQLITE_CONSTRAINT: return errc::constraint_failed;
    case SQLITE_FULL: return errc::disk_full;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM: return errc::io_failed;
    default: return errc::sqlite_failed;
  }
}

Error sqlite_error(const Connection& c, int rc, std::string_view operation) {
  // sqlite3_errmsg describes the latest failed call on this handle; with no handle (open
  // failed to allocate) fall back to the generic text for the code.
  const char* message = c.db != nullptr ? sqlite3_errmsg(c.db) : sqlite3_errstr(rc);
  std::string detail(operation);
  detail += " on ";
  detail += c.path.string();
  detail += ": ";
  detail += message;
  return Error(errc_for(rc), std::move(detail));
}

Status exec(Connection& c, std::string_view sql, std::string_view operation) {
  std::string text(sql);  // sqlite3_exec needs a terminated string
  int rc = sqlite3_exec(c.db, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqlite_error(c, rc, operation);
  return ok();
}

Result<std::int64_t> query_int(Connection& c, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(c.db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  StatementHandle handle(raw);
  std::string operation = "reading \"" + std::string(sql) + "\"";
  if (rc != SQLITE_OK) return sqlite_error(c, rc, operation);
  rc = sqlite3_step(handle.stmt);
  if (rc == SQLITE_ROW) return static_cast<std::int64_t>(sqlite3_column_int64(handle.stmt, 0));
  if (rc == SQLITE_DONE) return Error(errc::sqlite_failed, operation + " on " + c.path.string() +
                                                               ": no row returned");
  return sqlite_error(c, rc, operation);
}

}  // namespace cf::store::detail
