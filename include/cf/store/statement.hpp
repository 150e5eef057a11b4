// Statement: one prepared SQL statement of a Store, for the queries of the layers above
// (reconciler, CRDT sync) as well as the store's own.
//
// Ownership: created by Store::prepare and owned by the caller. It points at the Store's
// connection (which stays put when the Store object is moved), so it must be destroyed before
// the Store is. Not thread-safe: use it on the Store's thread.
// Keep a Statement and reset() it to run the same query many times without preparing it again.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"

namespace cf::store {

namespace detail {
struct Connection;
struct StatementHandle;
}  // namespace detail

class Statement {
 public:
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;
  ~Statement();

  // Binds parameter `index` (1-based, as SQLite's ?1, ?2 ...). Chainable: the first failure is
  // kept and returned by the next step() or run(), so a chain needs no check per call.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, ByteView blob);
  Statement& bind(int index, std::nullopt_t);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
  }
  // Binds the arguments to ?1, ?2, ... in order.
  template <typename... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Advances to the next row: true when a row is ready to read, false when the statement is
  // done. Errors name the statement's SQL and carry SQLite's message.
  Result<bool> step();
  // Runs a statement that returns no rows (INSERT, UPDATE, DELETE, DDL) to completion and
  // resets it, so it can be bound and run again.
  Status run();
  // Rewinds the statement and clears its bindings.
  void reset();

  // Columns of the current row, 0-based (as SQLite counts them). Reading a NULL column gives 0,
  // "" or {} respectively; use the optional forms where NULL means something.
  int column_count() const;
  bool is_null(int column) const;
  std::int64_t column_int(int column) const;
  std::string column_text(int column) const;
  Bytes column_blob(int column) const;
  std::optional<std::int64_t> column_optional_int(int column) const;
  std::optional<std::string> column_optional_text(int column) const;

  // The SQL this statement was prepared from.
  std::string_view sql() const;

 private:
  friend class Store;
  Statement(detail::Connection* connection, std::unique_ptr<detail::StatementHandle> handle);

  Statement& record_bind(int rc, int index);

  detail::Connection* connection_;
  std::unique_ptr<detail::StatementHandle> handle_;
  std::optional<Error> bind_error_;
};

}  // namespace cf::store
