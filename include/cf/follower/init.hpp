// `init`: creates <config>/<name>/ (0700) with identity.json and service.json (0600), in
// upstream's exact formats, so that folders move both ways between cluster-follow and
// ipfs-cluster-follow. Never overwrites: an existing folder is cf::errc::already_exists.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "cf/base/result.hpp"
#include "cf/follower/paths.hpp"

namespace cf::follower {

struct InitOptions {
  std::string source;   // template URL, or a DNSLink name
  std::string gateway;  // for DNSLink names; empty: IPFS_GATEWAY, else 127.0.0.1:8080
  std::optional<std::filesystem::path> identity_file;  // import instead of generating
};

struct InitReport {
  std::string peer_id;
  std::string source_url;  // what service.json now holds
  bool dnslink = false;    // the source was a DNSLink name resolved through the gateway
  std::string gateway;     // the gateway used, when dnslink
};

// Validates everything first (source, identity to import, CLUSTER_ID/CLUSTER_PRIVATEKEY), then
// writes; on a failure after the folder was made, removes what it created.
Result<InitReport> init_cluster(const ClusterPaths& paths, const InitOptions& options,
                                const Getenv& getenv);

}  // namespace cf::follower
