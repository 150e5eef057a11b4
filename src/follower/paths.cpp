#include "cf/follower/paths.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "cf/base/errc.hpp"

namespace cf::follower {

namespace fs = std::filesystem;

Getenv process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<fs::path> config_root(const std::string& flag_value, const Getenv& getenv) {
  std::string chosen = flag_value;
  if (chosen.empty()) chosen = getenv("CLUSTER_FOLLOW_PATH").value_or("");
  if (chosen.empty()) {
    auto home = getenv("HOME");
    if (!home || home->empty()) {
      return Error(errc::invalid_input,
                   "cannot find the config folder: HOME is not set; use --config or CLUSTER_FOLLOW_PATH");
    }
    chosen = *home + "/.cluster-follow";
  }
  std::error_code ec;
  auto absolute = fs::absolute(chosen, ec);
  if (ec) return Error(ec, "config folder \"" + chosen + "\": " + ec.message());
  return absolute.lexically_normal();
}

Status validate_cluster_name(std::string_view name) {
  auto bad = [&](const std::string& why) {
    return Error(errc::invalid_input, "invalid cluster name \"" + std::string(name) + "\": " + why);
  };
  if (name.empty()) return bad("it is empty");
  if (name.size() > 128) return bad("it is longer than 128 bytes");
  if (name == "." || name == "..") return bad("it is a relative folder reference");
  if (name.front() == '-') return bad("it starts with '-'");
  for (unsigned char c : name) {
    if (c == '/' || c == '\\') return bad("it contains a path separator");
    if (c < 0x20 || c == 0x7f) return bad("it contains a control character");
  }
  return ok();
}

ClusterPaths ClusterPaths::under(const fs::path& root, const std::string& name) {
  ClusterPaths p;
  p.name = name;
  p.dir = root / name;
  p.service_json = p.dir / "service.json";
  p.identity_json = p.dir / "identity.json";
  p.state_db = p.dir / "state.db";
  return p;
}

bool ClusterPaths::initialized() const {
  std::error_code ec;
  return fs::is_regular_file(service_json, ec) && fs::is_regular_file(identity_json, ec);
}

Status ClusterPaths::check_access() const {
  for (const auto* path : {&dir, &service_json, &identity_json}) {
    struct stat st {};
    const bool seen = ::stat(path->c_str(), &st) == 0;
    const int mode = path == &dir ? R_OK | X_OK : R_OK;
    if ((!seen && errno == EACCES) || (seen && ::faccessat(AT_FDCWD, path->c_str(), mode, AT_EACCESS) != 0 && errno == EACCES)) {
      return Error(errc::io_failed, "cannot read " + path->string() + ": permission denied; run this as the user that " +
                                        "owns the folder (e.g. sudo -u cluster-follow ...) or fix its permissions");
    }
  }
  return ok();
}

std::vector<std::string> configured_clusters(const fs::path& root) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && fs::is_regular_file(it->path() / "service.json", ec)) {
      names.push_back(it->path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace cf::follower
