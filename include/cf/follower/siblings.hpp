// Other clusters followed from the same config folder (<config>/<other>/state.db). Before the
// reconciler unpins a CID it asks whether a sibling still wants it: one Kubo serves them all,
// and an unpin for one cluster must not take a pin another cluster still needs.
#pragma once

#include <filesystem>
#include <string>

#include "cf/multiformats/cid.hpp"

namespace cf::follower {

class Siblings {
 public:
  Siblings(std::filesystem::path config_root, std::string self_name)
      : root_(std::move(config_root)), self_(std::move(self_name)) {}

  // True when another cluster's state.db has the CID in its pinset and has not marked it
  // remote or sharded. Unreadable sibling databases count as wanting nothing (logged).
  bool wants(const multiformats::Cid& cid) const;

 private:
  std::filesystem::path root_;
  std::string self_;
};

}  // namespace cf::follower
