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
  bool warn = false;  // ok, but something a follower needs was not seen (e.g. no head yet)
  std::string detail;  // what worked, or the first step that failed and why
};

// Dials every cluster.peer_addresses entry with our identity and the template's secret, all at
// once, subscribes to the cluster topic and waits for a head from each (bounded: 20 s to connect,
// then 1.3 rebroadcast intervals + 10 s, at most 100 s). Blocks the calling thread.
std::vector<PeerCheck> check_trusted_peers(const identity::Identity& identity, const cluster::Template& tmpl);

}  // namespace cf::cli
