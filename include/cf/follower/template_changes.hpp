// What a SIGHUP reload changed, setting by setting, and whether the running daemon applies it
// (issue 11: "template reloaded" must not hide that the old settings are still in use).
//
// Applied at once: the REST API source's url, credentials and poll_interval (the source is
// re-made between polls). Everything else the daemon reads at start-up (Kubo address and
// timeouts, concurrency, the verify interval, every libp2p/CRDT setting, the pinset source
// kind) takes effect after a restart, and the reload says so, naming the setting. Secrets
// (cluster.secret, the REST password) are reported as changed, never quoted.
#pragma once

#include <string>
#include <vector>

#include "cf/cluster/template.hpp"

namespace cf::follower {

struct TemplateChange {
  std::string setting;  // template key, e.g. "ipfs_connector.ipfshttp.node_multiaddress"
  std::string before;   // display text; empty for secrets
  std::string after;
  bool secret = false;
  bool applied = false;  // false: takes effect after a restart
};

// The settings the daemon uses that differ between the running and the reloaded template.
std::vector<TemplateChange> template_changes(const cluster::Template& before, const cluster::Template& after);

// "poll_interval changed from 30s to 1m0s: applied" or
// "ipfs_connector.ipfshttp.node_multiaddress changed from A to B: takes effect after a restart".
std::string describe(const TemplateChange& change);

}  // namespace cf::follower
