// Where a follower keeps its files: <config>/<name>/{service.json, identity.json, state.db}.
//
// The config root is --config, else CLUSTER_FOLLOW_PATH, else ~/.cluster-follow (DESIGN §2-§3).
// Cluster names become folder names, so they are validated (upstream path-joins anything).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cf/base/result.hpp"

namespace cf::follower {

using Getenv = std::function<std::optional<std::string>(std::string_view)>;

// The process environment, as a Getenv.
Getenv process_env();

// Resolves the config root from the flag value (may be empty) and the environment.
Result<std::filesystem::path> config_root(const std::string& flag_value, const Getenv& getenv);

// A name is valid when it is non-empty, at most 128 bytes, not "." or "..", and has no '/',
// no '\\', no control characters and no leading '-' (it would read as a flag).
Status validate_cluster_name(std::string_view name);

struct ClusterPaths {
  std::string name;
  std::filesystem::path dir;
  std::filesystem::path service_json;
  std::filesystem::path identity_json;
  std::filesystem::path state_db;

  static ClusterPaths under(const std::filesystem::path& root, const std::string& name);

  // Initialized means the folder holds both service.json and identity.json.
  bool initialized() const;

  // cf::errc::io_failed naming the path when the folder, service.json or identity.json exists
  // but this user may not read it (a permission problem would otherwise look like a folder that
  // was never initialized); ok otherwise, missing files included. Callers check it first.
  Status check_access() const;
};

// Names of the folders under root that hold a service.json, sorted.
std::vector<std::string> configured_clusters(const std::filesystem::path& root);

}  // namespace cf::follower
