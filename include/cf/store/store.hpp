// Store: the follower's state.db (SQLite, WAL), with a versioned schema and a few typed
// accessors; the layers above run their own queries through prepare()/Statement.
//
// One process writes (the daemon, OpenMode::read_write) while any number of others read
// (list/status/info, OpenMode::read_only); WAL gives readers a consistent snapshot without
// blocking the writer. The schema and the reasons for it are in docs/store.md.
//
// Ownership and threads: a Store owns one SQLite connection. It is movable, not copyable, and
// not thread-safe: use it from one thread at a time (the daemon keeps one writer). Statements
// and Transactions it hands out must not outlive it. Nothing here is cancellable; every call
// waits at most the busy timeout for another process's lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cf/base/result.hpp"
#include "cf/store/errc.hpp"
#include "cf/store/migration.hpp"
#include "cf/store/statement.hpp"
#include "cf/store/transaction.hpp"

namespace cf::store {

enum class OpenMode {
  read_write,  // the daemon: creates the file (0600) if missing, checks it, migrates it
  read_only,   // list/status/info: never creates, migrates or writes the database (SQLite
               // may create its -shm/-wal side files, which WAL readers need)
};

struct OpenOptions {
  // How long a call waits for another connection's lock before failing with errc::busy.
  std::chrono::milliseconds busy_timeout{5000};
  // Empty means schema_migrations(). Tests inject their own list to exercise the runner.
  std::span<const Migration> migrations{};
};

// HTTP cache validators of a fetched template, to revalidate it cheaply next time.
struct HttpValidators {
  std::optional<std::string> etag{};
  std::optional<std::string> last_modified{};
};

// The last good follower template fetched from one source.
struct CachedTemplate {
  std::string body{};
  std::int64_t fetched_at = 0;  // Unix seconds
  HttpValidators validators{};
};

// Keys of the `meta` table, so that writers and readers agree on spelling.
namespace meta_key {
inline constexpr std::string_view cluster_name = "cluster_name";
inline constexpr std::string_view peer_id = "peer_id";
inline constexpr std::string_view created_at = "created_at";  // Unix seconds, decimal
inline constexpr std::string_view created_by = "created_by";  // cluster-follow version
}  // namespace meta_key

namespace detail {
struct Connection;
}  // namespace detail

class Store {
 public:
  // Opens `path` (normally <config>/<name>/state.db). read_write: creates it with mode 0600 if
  // missing, refuses a damaged, foreign or too-new file without writing to it (PRAGMA
  // quick_check runs first), switches it to WAL and applies pending migrations. read_only:
  // a missing file is errc::not_found; a schema other than supported_schema_version() is
  // schema_too_new/schema_too_old. Every error names the file.
  static Result<Store> open(const std::filesystem::path& path, OpenMode mode,
                            const OpenOptions& options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  const std::filesystem::path& path() const;
  OpenMode mode() const;

  // The file's schema version (PRAGMA user_version).
  Result<int> schema_version();
  // Full PRAGMA integrity_check plus foreign_key_check, for `doctor`; slow on big files.
  // errc::corrupt with the first problems SQLite reports.
  Status integrity_check();

  Result<Statement> prepare(std::string_view sql);
  // Runs one or more statements without parameters (DDL, PRAGMA, scripts).
  Status exec(std::string_view sql);
  Result<Transaction> begin_write();
  Result<Transaction> begin_read();
  // Whether the path still names the file opened: errc::file_replaced when it was deleted,
  // renamed away or replaced (writes would go to a file nobody will read again), io_failed
  // when it cannot be checked. One stat(2); the daemon calls it every second.
  Status check_file() const;
  // Rows changed by the last INSERT/UPDATE/DELETE on this connection.
  std::int64_t changes() const;

  Result<std::optional<std::string>> get_meta(std::string_view key);
  Status set_meta(std::string_view key, std::string_view value);

  // Replaces the cached template of `source` (the URL or DNSLink name of service.json).
  Status save_template(std::string_view source, std::string_view body, std::int64_t fetched_at,
                       const HttpValidators& validators = {});
  Result<std::optional<CachedTemplate>> load_template(std::string_view source);

 private:
  explicit Store(std::unique_ptr<detail::Connection> connection);

  std::unique_ptr<detail::Connection> connection_;
};

}  // namespace cf::store
