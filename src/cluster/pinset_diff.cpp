#include "cf/cluster/pinset_diff.hpp"

#include <unordered_map>

namespace cf::cluster {

PinsetDiff diff(const std::vector<Pin>& current, const std::vector<Pin>& desired) {
  std::unordered_map<multiformats::Cid, const Pin*> want;
  want.reserve(desired.size());
  for (const auto& pin : desired) want[pin.cid] = &pin;
  std::unordered_map<multiformats::Cid, const Pin*> have;
  have.reserve(current.size());
  for (const auto& pin : current) have[pin.cid] = &pin;

  PinsetDiff out;
  for (const auto& pin : desired) {
    if (want[pin.cid] != &pin) continue;  // a later entry for the same CID counts
    auto known = have.find(pin.cid);
    if (known == have.end() || !(*known->second == pin)) out.puts.push_back(pin);
  }
  for (const auto& pin : current) {
    auto it = have.find(pin.cid);
    if (it == have.end() || it->second != &pin) continue;  // listed twice: remove once
    if (!want.contains(pin.cid)) out.removes.push_back(pin.cid);
  }
  return out;
}

}  // namespace cf::cluster
