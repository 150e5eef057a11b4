// Layer-private: the SQLite connection behind a Store, and the helpers that turn SQLite
// return codes into Errors. The only place besides the .cpp files where sqlite3 appears.
#pragma once

#include <sqlite3.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "cf/base/result.hpp"
#include "cf/store/errc.hpp"
#include "cf/store/store.hpp"

namespace cf::store::detail {

// Owns one sqlite3 handle. Heap-allocated so that Statements and Transactions can point at it
// while the Store that owns it is moved.
struct Connection {
  sqlite3* db = nullptr;
  std::filesystem::path path;
  OpenMode mode = OpenMode::read_only;
  // The file's identity when it was opened (stat of the path), for Store::check_file().
  dev_t device = 0;
  ino_t inode = 0;

  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  // close_v2: if a Statement outlives the Store by mistake, SQLite defers the close instead of
  // leaking or crashing.
  ~Connection() { sqlite3_close_v2(db); }
};

struct StatementHandle {
  sqlite3_stmt* stmt = nullptr;
  explicit StatementHandle(sqlite3_stmt* s) : stmt(s) {}
  StatementHandle(const StatementHandle&) = delete;
  StatementHandle& operator=(const StatementHandle&) = delete;
  ~StatementHandle() { sqlite3_finalize(stmt); }
};

// The store errc for a SQLite result code (primary or extended).
errc errc_for(int rc);

// An Error for a failed SQLite call on `c`: "<operation> on <path>: <SQLite's message>".
// Call it right after the failing call, before anything else touches the connection.
Error sqlite_error(const Connection& c, int rc, std::string_view operation);

// Runs SQL without parameters (may hold several statements).
Status exec(Connection& c, std::string_view sql, std::string_view operation);

// Runs a query whose first row's first column is an integer (PRAGMA user_version, count(*)).
Result<std::int64_t> query_int(Connection& c, std::string_view sql);

}  // namespace cf::store::detail
