// Transaction: RAII over BEGIN ... COMMIT on one Store.
//
// Made by Store::begin_write (BEGIN IMMEDIATE: takes the write lock at once, so a second writer
// waits up to the busy timeout and then fails cleanly instead of deadlocking mid-transaction) or
// Store::begin_read (BEGIN DEFERRED: one consistent snapshot across several queries; WAL readers
// never block the writer). Destroying an uncommitted Transaction rolls it back, so an early
// `return` on error leaves the file as it was. Transactions do not nest. Must not outlive its
// Store; used on the Store's thread only.
#pragma once

#include "cf/base/result.hpp"

namespace cf::store {

namespace detail {
struct Connection;
}  // namespace detail

class Transaction {
 public:
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  // Makes the changes durable (synchronous=NORMAL: durable once the WAL is checkpointed or
  // the OS flushes; never torn). On failure the transaction is rolled back.
  Status commit();
  // Discards the changes; also what the destructor does if neither was called.
  Status rollback();
  // True until commit() or rollback() has been called.
  bool active() const { return connection_ != nullptr; }

 private:
  friend class Store;
  explicit Transaction(detail::Connection* connection) : connection_(connection) {}

  detail::Connection* connection_;
};

}  // namespace cf::store
