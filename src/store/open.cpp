// Store::open: the checks that decide whether a file may be used, in an order that never writes
// to a file before it is known to be ours, sound and not too new.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "cf/store/store.hpp"
#include "connection.hpp"
#include "migrate.hpp"

namespace cf::store {
namespace {

using detail::Connection;

std::string errno_text() { return std::strerror(errno); }

// Creates an empty file with mode 0600 so SQLite never creates it with its default 0644; the
// -wal and -shm files SQLite makes later copy the database file's mode. An empty file is a
// valid empty database.
Status create_if_missing(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return ok();
    return Error(errc::io_failed, "creating " + path.string() + ": " + errno_text());
  }
  ::close(fd);
  return ok();
}

Status require_existing(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return ok();
  if (ec) return Error(errc::io_failed, "checking " + path.string() + ": " + ec.message());
  return Error(errc::not_found, path.string() + " does not exist");
}

// SQLite's own message for a folder is a vague "disk I/O error".
Status require_not_folder(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) return ok();
  return Error(errc::io_failed, path.string() + " is a folder, not a state database file");
}

// Right after SQLite opened the file: the path names the file SQLite has open unless it was
// swapped in between, a window too small to matter for a fault that is about operators.
Status remember_identity(Connection& c) {
  struct stat st {};
  if (::stat(c.path.c_str(), &st) != 0) return Error(errc::io_failed, "checking " + c.path.string() + ": " + errno_text());
  c.device = st.st_dev;
  c.inode = st.st_ino;
  return ok();
}

Result<std::unique_ptr<Connection>> connect(const std::filesystem::path& path, OpenMode mode,
                                            std::chrono::milliseconds busy_timeout) {
  auto c = std::make_unique<Connection>();
  c->path = path;
  c->mode = mode;
  // NOMUTEX: a Store is used by one thread at a time, so SQLite's own mutexes buy nothing.
  // No SQLITE_OPEN_CREATE: read_write files were created above with the right mode.
  int flags = (mode == OpenMode::read_write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) |
              SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &c->db, flags, nullptr);
  if (rc != SQLITE_OK) return detail::sqlite_error(*c, rc, "opening the database");
  // SQLite silently falls back to read-only when the file is write-protected; the daemon
  // would then fail later at its first write, far from the cause.
  if (mode == OpenMode::read_write && sqlite3_db_readonly(c->db, "main") == 1) {
    return Error(errc::io_failed, path.string() + " is not writable");
  }
  sqlite3_extended_result_codes(c->db, 1);
  // Until the file has passed every check, closing must not checkpoint: a refused file (too
  // new, damaged) keeps its WAL exactly as it was instead of having it folded in.
  sqlite3_db_config(c->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_busy_timeout(c->db, static_cast<int>(busy_timeout.count()));
  // recursive_triggers: makes INSERT OR REPLACE fire the DELETE triggers that keep `counters`
  // right. These pragmas only set connection flags; they never touch the file.
  std::string pragmas = "PRAGMA foreign_keys = ON; PRAGMA recursive_triggers = ON;";
  if (mode == OpenMode::read_only) pragmas += " PRAGMA query_only = ON;";
  CF_TRY(detail::exec(*c, pragmas, "setting connection options"));
  return c;
}

struct Header {
  std::int64_t application_id = 0;
  std::int64_t user_version = 0;
  bool has_tables = false;
};

Error damaged(const Connection& c, const std::string& why) {
  return Error(errc::corrupt, c.path.string() + " is not a usable state database (" + why +
                                  "); it was left untouched: move it away to start afresh");
}

// Reads the header fields: the first reads of the file, so a non-SQLite file fails here.
Result<Header> read_header(Connection& c) {
  Header h;
  auto app = detail::query_int(c, "PRAGMA application_id");
  if (!app) {
    if (app.error() == errc::corrupt) return damaged(c, sqlite3_errmsg(c.db));
    return app.error();
  }
  h.application_id = *app;
  CF_TRY_ASSIGN(version, detail::query_int(c, "PRAGMA user_version"));
  h.user_version = version;
  CF_TRY_ASSIGN(tables, detail::query_int(c, "SELECT count(*) FROM sqlite_schema"));
  h.has_tables = tables > 0;
  return h;
}

Status check_header(const Connection& c, const Header& h, int supported) {
  bool fresh = h.application_id == 0 && h.user_version == 0 && !h.has_tables;
  if (!fresh && h.application_id != application_id) {
    return Error(errc::foreign_database,
                 c.path.string() + " is a SQLite database of another program (application_id " +
                     std::to_string(h.application_id) + ", user_version " +
                     std::to_string(h.user_version) + "); it was left untouched");
  }
  std::string version = std::to_string(h.user_version);
  std::string ours = std::to_string(supported);
  if (h.user_version > supported) {
    return Error(errc::schema_too_new, c.path.string() + " schema version " + version +
                                           " is newer than this cluster-follow supports (" +
                                           ours + "); upgrade cluster-follow");
  }
  if (c.mode == OpenMode::read_only && h.user_version < supported) {
    return Error(errc::schema_too_old, c.path.string() + " schema version " + version +
                                           " is older than this cluster-follow expects (" + ours +
                                           "); start `run` once to upgrade it");
  }
  return ok();
}

// PRAGMA quick_check: O(file size) but skips index cross-checks; catches torn or overwritten
// pages before the daemon builds on them.
Status quick_check(Connection& c) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(c.db, "PRAGMA quick_check(10)", -1, &raw, nullptr);
  detail::StatementHandle handle(raw);
  if (rc != SQLITE_OK) return detail::sqlite_error(c, rc, "quick_check");
  std::vector<std::string> problems;
  while ((rc = sqlite3_step(handle.stmt)) == SQLITE_ROW) {
    auto text = reinterpret_cast<const char*>(sqlite3_column_text(handle.stmt, 0));
    problems.emplace_back(text != nullptr ? text : "");
  }
  if (rc != SQLITE_DONE) {
    if (detail::errc_for(rc) == errc::corrupt) return damaged(c, sqlite3_errmsg(c.db));
    return detail::sqlite_error(c, rc, "quick_check");
  }
  if (problems.size() == 1 && problems[0] == "ok") return ok();
  std::string joined = "quick_check:";
  for (const auto& p : problems) joined += " " + p + ";";
  joined.pop_back();
  return damaged(c, joined);
}

// Settings of the writer. journal_mode is stored in the file, so readers inherit WAL.
Status configure_writer(Connection& c) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(c.db, "PRAGMA journal_mode = WAL", -1, &raw, nullptr);
  detail::StatementHandle handle(raw);
  if (rc != SQLITE_OK) return detail::sqlite_error(c, rc, "setting journal_mode");
  rc = sqlite3_step(handle.stmt);
  if (rc != SQLITE_ROW) return detail::sqlite_error(c, rc, "setting journal_mode");
  auto mode = reinterpret_cast<const char*>(sqlite3_column_text(handle.stmt, 0));
  if (mode == nullptr || std::string(mode) != "wal") {
    return Error(errc::sqlite_failed, "switching " + c.path.string() +
                                          " to WAL failed (journal_mode is " +
                                          (mode ? mode : "unknown") + ")");
  }
  // synchronous=NORMAL: in WAL mode a crash never corrupts, it can only lose the last commits
  // since the previous fsync, which the follower re-derives. journal_size_limit keeps a WAL that
  // grew during a long catch-up from staying large. cache_size: CRDT keys are CIDs, so a
  // merge batch touches B-tree pages all over crdt_elements; with SQLite's default 2 MiB cache
  // those pages are re-read and spilled to the WAL mid-transaction (3x the system time of a
  // 32 MiB cache in tests/crdt's throughput test). A bound, not an allocation.
  return detail::exec(c,
                      "PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = 67108864; "
                      "PRAGMA cache_size = -32768;",
                      "setting writer options");
}

}  // namespace

Result<Store> Store::open(const std::filesystem::path& path, OpenMode mode,
                          const OpenOptions& options) {
  auto migrations = options.migrations.empty() ? schema_migrations() : options.migrations;
  CF_TRY(detail::check_migration_list(migrations));
  if (mode == OpenMode::read_write) {
    CF_TRY(create_if_missing(path));
  } else {
    CF_TRY(require_existing(path));
  }
  CF_TRY(require_not_folder(path));
  CF_TRY_ASSIGN(c, connect(path, mode, options.busy_timeout));
  CF_TRY(remember_identity(*c));
  CF_TRY_ASSIGN(header, read_header(*c));
  CF_TRY(check_header(*c, header, migrations.back().version));
  if (mode == OpenMode::read_write) {
    CF_TRY(quick_check(*c));
    CF_TRY(configure_writer(*c));
    CF_TRY(detail::migrate(*c, migrations));
    // Accepted: the writer's last close may checkpoint the WAL into the file again.
    sqlite3_db_config(c->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, nullptr);
  }
  return Store(std::move(c));
}

}  // namespace cf::store
