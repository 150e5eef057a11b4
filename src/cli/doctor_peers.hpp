// doctor's libp2p checks of the template's trusted peers. Layer-private.
#pragma once

#include <string>
#include <vector>

#include "cf/cluster/template.hpp"
#include "cf/identity/identity.hpp"

namespace cf::cli {

struct PeerCheck {
  std::string address;
  bool ok = false;
  std::string detail;  // what worked, or the first step that failed and why
};

// Dials every cluster.peer_addresses entry with our identity and the template's secret, one
// after the other, each bounded (20 s). Blocks the calling thread.
std::vector<PeerCheck> check_trusted_peers(const identity::Identity& identity, const cluster::Template& tmpl);

}  // namespace cf::cli
