#include "cf/follower/siblings.hpp"

#include <functional>

#include "cf/base/log.hpp"
#include "cf/follower/paths.hpp"
#include "cf/store/store.hpp"

namespace cf::follower {
namespace {

namespace fs = std::filesystem;

// The name under which a config folder that cannot be listed is reported.
constexpr const char* root_name = "(config folder)";

// One sibling's answer: nullopt when it has no state.db (never ran), else whether it wants
// the CID; an error when the file exists but cannot be read.
Result<std::optional<bool>> sibling_wants(const fs::path& db_path, const multiformats::Cid* cid) {
  std::error_code ec;
  auto st = fs::symlink_status(db_path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return Error(store::errc::io_failed, "checking " + db_path.string() + ": " + ec.message());
  }
  if (st.type() == fs::file_type::not_found) return std::optional<bool>{};
  CF_TRY_ASSIGN(db, store::Store::open(db_path, store::OpenMode::read_only));
  CF_TRY_ASSIGN(stmt, db.prepare("SELECT 1 FROM pins p LEFT JOIN pin_status s ON s.cid = p.cid "
                                 "WHERE p.cid = ?1 AND coalesce(s.status, '') NOT IN ('remote', 'sharded')"));
  // Without a CID (find_unreadable) any CID does: the query still reads the tables.
  Bytes none;
  stmt.bind(1, cid ? ByteView(cid->bytes()) : ByteView(none));
  CF_TRY_ASSIGN(row, stmt.step());
  return std::optional<bool>(row);
}

// Calls `visit(name, error)` for every sibling cluster folder, with the error that kept it from
// being examined ("" when none); stops when visit returns false. A config folder that cannot
// be listed is one unreadable sibling named root_name.
void for_each_sibling(const fs::path& root, const std::string& self,
                      const std::function<bool(const std::string&, const std::string&)>& visit) {
  std::error_code ec;
  fs::directory_iterator it(root, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::error_code entry_ec;
    if (!it->is_directory(entry_ec)) continue;
    auto name = it->path().filename().string();
    if (name == self) continue;
    bool cluster = fs::is_regular_file(it->path() / "service.json", entry_ec);
    if (entry_ec && entry_ec != std::errc::no_such_file_or_directory) {
      if (!visit(name, "checking its service.json: " + entry_ec.message())) return;
      continue;
    }
    if (cluster && !visit(name, "")) return;
  }
  if (ec) visit(root_name, "listing " + root.string() + ": " + ec.message());
}

}  // namespace

SiblingVerdict Siblings::check(const multiformats::Cid& cid) {
  bool unknown = false, wanted = false;
  for_each_sibling(root_, self_, [&](const std::string& name, const std::string& why) {
    if (!why.empty()) {
      note_unreadable(name, why);
      unknown = true;
      return true;
    }
    auto answer = sibling_wants(ClusterPaths::under(root_, name).state_db, &cid);
    if (!answer) {
      note_unreadable(name, answer.error().message());
      unknown = true;
      return true;
    }
    note_readable(name);
    wanted = answer->value_or(false);
    return !wanted;
  });
  if (wanted) return SiblingVerdict::wanted;
  return unknown ? SiblingVerdict::unknown : SiblingVerdict::not_wanted;
}

UnreadableSiblings Siblings::find_unreadable(const fs::path& config_root, const std::string& self_name) {
  UnreadableSiblings found;
  for_each_sibling(config_root, self_name, [&](const std::string& name, const std::string& why) {
    if (!why.empty()) {
      found[name] = why;
    } else if (auto answer = sibling_wants(ClusterPaths::under(config_root, name).state_db, nullptr); !answer) {
      found[name] = answer.error().message();
    }
    return true;
  });
  return found;
}

void Siblings::note_readable(const std::string& name) {
  if (unreadable_.erase(name) == 0) return;
  log::get("pintracker")->info("sibling cluster {} under {} is readable again; unpins it held resume", name,
                               root_.string());
}

void Siblings::note_unreadable(const std::string& name, const std::string& why) {
  auto [it, added] = unreadable_.try_emplace(name, why);
  if (!added && it->second == why) return;
  it->second = why;
  log::get("pintracker")->error(
      "cannot read sibling cluster {} ({}): {}; holding unpins of CIDs it might want until it can be read", name,
      (root_ / name).string(), why);
}

}  // namespace cf::follower
