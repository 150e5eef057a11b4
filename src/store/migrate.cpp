#include "migrate.hpp"

#include <string>

#include "cf/base/log.hpp"

namespace cf::store::detail {
namespace {

std::string step_label(const Migration& m) {
  return "schema version " + std::to_string(m.version) + " (" + std::string(m.name) + ")";
}

// Body of one step, inside its transaction. Re-reads the version under the write lock, because
// another process may have migrated the file between our first read and BEGIN IMMEDIATE.
Status apply_in_transaction(Connection& c, const Migration& m) {
  CF_TRY_ASSIGN(version, query_int(c, "PRAGMA user_version"));
  if (version >= m.version) return ok();
  if (version != m.version - 1) {
    return Error(errc::migration_failed, c.path.string() + " is at schema version " +
                                             std::to_string(version) + ", cannot apply " +
                                             step_label(m));
  }
  CF_TRY(exec(c, m.sql, "applying " + step_label(m)));
  if (version == 0) {
    CF_TRY(exec(c, "PRAGMA application_id = " + std::to_string(application_id),
                "marking the file as a cluster-follow state.db"));
  }
  return exec(c, "PRAGMA user_version = " + std::to_string(m.version), "setting user_version");
}

Status apply(Connection& c, const Migration& m) {
  CF_TRY(exec(c, "BEGIN IMMEDIATE", "starting migration to " + step_label(m)));
  Status result = apply_in_transaction(c, m);
  if (result) result = exec(c, "COMMIT", "committing migration to " + step_label(m));
  if (!result) {
    // The error text was captured above; rolling back cannot lose it.
    if (sqlite3_get_autocommit(c.db) == 0) (void)exec(c, "ROLLBACK", "rolling back");
    return Error(errc::migration_failed,
                 "migrating " + c.path.string() + " to " + step_label(m) +
                     " failed and was rolled back, the file stays at schema version " +
                     std::to_string(m.version - 1) + ": " +
                     result.error().message());
  }
  return ok();
}

}  // namespace

Status check_migration_list(std::span<const Migration> migrations) {
  if (migrations.empty()) return Error(errc::bad_migrations, "the migration list is empty");
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return Error(errc::bad_migrations, "migration " + std::to_string(i) + " has version " +
                                             std::to_string(migrations[i].version) +
                                             ", expected " + std::to_string(i + 1));
    }
  }
  return ok();
}

Status migrate(Connection& c, std::span<const Migration> migrations) {
  CF_TRY_ASSIGN(version, query_int(c, "PRAGMA user_version"));
  for (const Migration& m : migrations) {
    if (m.version <= version) continue;
    log::get("store")->info("migrating {} to {}", c.path.string(), step_label(m));
    CF_TRY(apply(c, m));
  }
  return ok();
}

}  // namespace cf::store::detail
