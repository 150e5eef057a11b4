#include "cf/follower/siblings.hpp"

#include "cf/base/log.hpp"
#include "cf/follower/paths.hpp"
#include "cf/store/store.hpp"

namespace cf::follower {
namespace {

// One sibling's answer; errors are logged by the caller.
Result<bool> sibling_wants(const std::filesystem::path& db_path, const multiformats::Cid& cid) {
  CF_TRY_ASSIGN(db, store::Store::open(db_path, store::OpenMode::read_only));
  CF_TRY_ASSIGN(stmt, db.prepare("SELECT 1 FROM pins p LEFT JOIN pin_status s ON s.cid = p.cid "
                                 "WHERE p.cid = ?1 AND coalesce(s.status, '') NOT IN ('remote', 'sharded')"));
  stmt.bind(1, ByteView(cid.bytes()));
  return stmt.step();
}

}  // namespace

bool Siblings::wants(const multiformats::Cid& cid) const {
  for (const auto& name : configured_clusters(root_)) {
    if (name == self_) continue;
    auto paths = ClusterPaths::under(root_, name);
    std::error_code ec;
    if (!std::filesystem::exists(paths.state_db, ec)) continue;
    auto wanted = sibling_wants(paths.state_db, cid);
    if (!wanted) {
      log::get("pintracker")->warn("cannot read sibling cluster {}: {}", name, wanted.error().message());
      continue;
    }
    if (*wanted) return true;
  }
  return false;
}

}  // namespace cf::follower
