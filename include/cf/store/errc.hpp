// Error codes of the store layer (state.db and the run lock), category "cf.store".
//
// Every Error built from these codes carries a detail that names the file and, for SQLite
// failures, the operation and SQLite's own message; callers branch on the code only.
#pragma once

#include <system_error>

namespace cf::store {

enum class errc {
  not_found = 1,      // read_only open of a state.db that does not exist
  io_failed,          // a file system call failed (open, stat, fcntl, write); detail names the path
  corrupt,            // not a SQLite file, or SQLite/quick_check/integrity_check found damage;
                      // the file is never modified, the user must move it away
  foreign_database,   // a valid SQLite file that is not a cluster-follow state.db
  schema_too_new,     // written by a newer cluster-follow; refuse rather than misread it
  schema_too_old,     // read_only open of a file the daemon has not migrated yet
  migration_failed,   // a migration step failed and was rolled back; the file is unchanged
  busy,               // another connection holds the lock past the busy timeout
  read_only,          // a write was attempted through a read_only store
  constraint_failed,  // a UNIQUE, CHECK, NOT NULL or FOREIGN KEY constraint rejected a write
  disk_full,          // SQLite could not grow the file or its WAL
  sqlite_failed,      // any other SQLite error; detail has SQLite's message
  lock_held,          // RunLock: another process already follows this cluster
  bad_migrations,     // a migration list is not numbered 1, 2, 3, ... (a programming error)
  file_replaced,      // the open state.db was deleted or replaced under its path; writes would be lost
};

const std::error_category& store_category();
std::error_code make_error_code(errc e);

}  // namespace cf::store

template <>
struct std::is_error_code_enum<cf::store::errc> : std::true_type {};
