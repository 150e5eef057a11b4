#include "cf/store/statement.hpp"

#include <string>

#include "connection.hpp"

namespace cf::store {

Statement::Statement(detail::Connection* connection,
                     std::unique_ptr<detail::StatementHandle> handle)
    : connection_(connection), handle_(std::move(handle)) {}
Statement::Statement(Statement&&) noexcept = default;
Statement& Statement::operator=(Statement&&) noexcept = default;
Statement::~Statement() = default;

std::string_view Statement::sql() const { return sqlite3_sql(handle_->stmt); }

Statement& Statement::record_bind(int rc, int index) {
  if (rc != SQLITE_OK && !bind_error_) {
    bind_error_ = detail::sqlite_error(*connection_, rc,
                                       "binding ?" + std::to_string(index) + " of \"" +
                                           std::string(sql()) + "\"");
  }
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  return record_bind(sqlite3_bind_int64(handle_->stmt, index, value), index);
}

Statement& Statement::bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies, so the caller's buffer may die before step().
  return record_bind(sqlite3_bind_text64(handle_->stmt, index, text.data(), text.size(),
                                         SQLITE_TRANSIENT, SQLITE_UTF8),
                     index);
}

Statement& Statement::bind(int index, ByteView blob) {
  // A null data pointer would bind NULL; an empty blob must stay a zero-length blob.
  static const std::uint8_t empty = 0;
  const void* data = blob.empty() ? &empty : blob.data();
  return record_bind(sqlite3_bind_blob64(handle_->stmt, index, data, blob.size(),
                                         SQLITE_TRANSIENT),
                     index);
}

Statement& Statement::bind(int index, std::nullopt_t) {
  return record_bind(sqlite3_bind_null(handle_->stmt, index), index);
}

Result<bool> Statement::step() {
  if (bind_error_) return *std::exchange(bind_error_, std::nullopt);
  int rc = sqlite3_step(handle_->stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error error = detail::sqlite_error(*connection_, rc, "running \"" + std::string(sql()) + "\"");
  sqlite3_reset(handle_->stmt);  // a failed statement must be reset before it can run again
  return error;
}

Status Statement::run() {
  CF_TRY_ASSIGN(row, step());
  // A row here means the caller used run() on a query; finish it anyway, rows are ignored.
  while (row) {
    CF_TRY_ASSIGN(next, step());
    row = next;
  }
  sqlite3_reset(handle_->stmt);
  return ok();
}

void Statement::reset() {
  sqlite3_reset(handle_->stmt);
  sqlite3_clear_bindings(handle_->stmt);
  bind_error_.reset();
}

int Statement::column_count() const { return sqlite3_column_count(handle_->stmt); }

bool Statement::is_null(int column) const {
  return sqlite3_column_type(handle_->stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(handle_->stmt, column);
}

std::string Statement::column_text(int column) const {
  auto text = reinterpret_cast<const char*>(sqlite3_column_text(handle_->stmt, column));
  if (text == nullptr) return {};
  return {text, static_cast<std::size_t>(sqlite3_column_bytes(handle_->stmt, column))};
}

Bytes Statement::column_blob(int column) const {
  auto data = static_cast<const std::uint8_t*>(sqlite3_column_blob(handle_->stmt, column));
  if (data == nullptr) return {};
  return {data, data + sqlite3_column_bytes(handle_->stmt, column)};
}

std::optional<std::int64_t> Statement::column_optional_int(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_int(column);
}

std::optional<std::string> Statement::column_optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_text(column);
}

}  // namespace cf::store
