// Schema migrations of state.db: an ordered list of forward steps, version 1, 2, 3, ...
//
// The schema version lives in SQLite's header field `PRAGMA user_version` (see docs/store.md
// for why not a table). Store::open in read_write mode runs every step whose version is above
// the file's, each in its own BEGIN IMMEDIATE transaction that also sets user_version, so a
// failed step rolls back completely and a crash between steps leaves a consistent older version.
#pragma once

#include <span>
#include <string_view>

namespace cf::store {

struct Migration {
  int version;            // the schema version this step produces
  std::string_view name;  // a few words, for logs and error messages
  std::string_view sql;   // one or more statements; no BEGIN/COMMIT (the runner owns those)
};

// The migrations of this build, in order. Never edit a released step: add a new one.
std::span<const Migration> schema_migrations();

// The highest schema version this build knows (the last step's version).
int supported_schema_version();

// Marks a SQLite file as a cluster-follow state.db (PRAGMA application_id, ASCII "CFol"), set in
// the transaction that creates schema version 1, so a foreign SQLite file is never migrated.
inline constexpr int application_id = 0x43466f6c;

}  // namespace cf::store
