// A change of the desired pinset, whatever source saw it (the CRDT DAG, a REST API poll): the
// one shape the reconciler applies, so it never knows which source fed it.
#pragma once

#include <vector>

#include "cf/cluster/pin.hpp"
#include "cf/multiformats/cid.hpp"

namespace cf::cluster {

// CIDs compare by their bytes (a CIDv0 and its CIDv1 are different pins, as in the cluster
// state).
struct PinsetDiff {
  std::vector<Pin> puts;                   // new CIDs, or known CIDs whose fields changed
  std::vector<multiformats::Cid> removes;  // CIDs no longer in the pinset
};

// What changes between the stored pinset and a freshly read whole one. Puts follow
// `desired`'s order, removes `current`'s. When a CID appears more than once in `desired`, its
// last entry counts.
PinsetDiff diff(const std::vector<Pin>& current, const std::vector<Pin>& desired);

}  // namespace cf::cluster
