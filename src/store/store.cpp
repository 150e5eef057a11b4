#include "cf/store/store.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "connection.hpp"

namespace cf::store {

Store::Store(std::unique_ptr<detail::Connection> connection) : connection_(std::move(connection)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

const std::filesystem::path& Store::path() const { return connection_->path; }
OpenMode Store::mode() const { return connection_->mode; }

Result<int> Store::schema_version() {
  CF_TRY_ASSIGN(version, detail::query_int(*connection_, "PRAGMA user_version"));
  return static_cast<int>(version);
}

namespace {

// Collects the rows of a checking pragma; "ok" alone (or no row at all) means healthy.
Result<std::vector<std::string>> problems_of(Store& store, std::string_view pragma) {
  CF_TRY_ASSIGN(st, store.prepare(pragma));
  std::vector<std::string> problems;
  while (true) {
    CF_TRY_ASSIGN(row, st.step());
    if (!row) break;
    // foreign_key_check rows are (table, rowid, parent, fkid); name the tables involved.
    std::string line = st.column_text(0);
    if (st.column_count() > 2) line += " references missing row in " + st.column_text(2);
    if (line != "ok") problems.push_back(std::move(line));
  }
  return problems;
}

}  // namespace

Status Store::integrity_check() {
  CF_TRY_ASSIGN(damage, problems_of(*this, "PRAGMA integrity_check(20)"));
  CF_TRY_ASSIGN(dangling, problems_of(*this, "PRAGMA foreign_key_check"));
  damage.insert(damage.end(), dangling.begin(), dangling.end());
  if (damage.empty()) return ok();
  std::string detail = path().string() + " failed integrity_check:";
  for (const auto& line : damage) detail += " " + line + ";";
  detail.pop_back();
  return Error(errc::corrupt, std::move(detail));
}

Result<Statement> Store::prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(connection_->db, sql.data(), static_cast<int>(sql.size()), &raw,
                              &tail);
  auto handle = std::make_unique<detail::StatementHandle>(raw);
  std::string operation = "preparing \"" + std::string(sql) + "\"";
  if (rc != SQLITE_OK) return detail::sqlite_error(*connection_, rc, operation);
  // One statement per Statement: silently ignoring the rest of a script would lose writes.
  std::string_view rest(tail, sql.data() + sql.size() - tail);
  bool only_blanks = rest.find_first_not_of(" \t\r\n;") == std::string_view::npos;
  if (raw == nullptr || !only_blanks) {
    return Error(errc::sqlite_failed, operation + " on " + path().string() +
                                          ": expected exactly one SQL statement");
  }
  return Statement(connection_.get(), std::move(handle));
}

Status Store::exec(std::string_view sql) {
  return detail::exec(*connection_, sql, "running \"" + std::string(sql) + "\"");
}

Result<Transaction> Store::begin_write() {
  CF_TRY(detail::exec(*connection_, "BEGIN IMMEDIATE", "starting a write transaction"));
  return Transaction(connection_.get());
}

Result<Transaction> Store::begin_read() {
  CF_TRY(detail::exec(*connection_, "BEGIN DEFERRED", "starting a read transaction"));
  return Transaction(connection_.get());
}

Status Store::check_file() const {
  const auto& c = *connection_;
  struct stat st {};
  if (::stat(c.path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Error(errc::file_replaced, c.path.string() + " was deleted while open");
    return Error(errc::io_failed, "checking " + c.path.string() + ": " + std::strerror(errno));
  }
  if (st.st_dev != c.device || st.st_ino != c.inode) {
    return Error(errc::file_replaced, c.path.string() + " was replaced by another file while open");
  }
  return ok();
}

std::int64_t Store::changes() const { return sqlite3_changes64(connection_->db); }

}  // namespace cf::store
