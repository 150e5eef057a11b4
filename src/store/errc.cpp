#include "cf/store/errc.hpp"

#include <string>

namespace cf::store {
namespace {

class StoreCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.store"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::not_found: return "state database not found";
      case errc::io_failed: return "i/o failed";
      case errc::corrupt: return "state database is corrupt";
      case errc::foreign_database: return "not a cluster-follow state database";
      case errc::schema_too_new: return "state database schema is newer than supported";
      case errc::schema_too_old: return "state database schema is older than expected";
      case errc::migration_failed: return "schema migration failed";
      case errc::busy: return "state database is busy";
      case errc::read_only: return "state database is open read-only";
      case errc::constraint_failed: return "constraint failed";
      case errc::disk_full: return "disk full";
      case errc::sqlite_failed: return "sqlite error";
      case errc::lock_held: return "cluster is already being followed";
      case errc::bad_migrations: return "migration list is malformed";
      case errc::file_replaced: return "state database was deleted or replaced while open";
    }
    return "unknown store error";
  }
};

}  // namespace

const std::error_category& store_category() {
  static const StoreCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), store_category()}; }

}  // namespace cf::store
