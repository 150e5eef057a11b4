// Layer-private: the migration runner used by Store::open in read_write mode.
#pragma once

#include <span>

#include "cf/base/result.hpp"
#include "cf/store/migration.hpp"
#include "connection.hpp"

namespace cf::store::detail {

// errc::bad_migrations unless the list is non-empty and numbered 1, 2, 3, ... in order.
Status check_migration_list(std::span<const Migration> migrations);

// Applies every step above the file's user_version, one transaction per step. A failed step is
// rolled back (errc::migration_failed naming the file, the step and SQLite's message); the
// steps before it stay applied, which is a consistent older version.
Status migrate(Connection& c, std::span<const Migration> migrations);

}  // namespace cf::store::detail
