// Other clusters followed from the same config folder (<config>/<other>/state.db). Before the
// reconciler unpins a CID it asks whether a sibling still wants it: one Kubo serves them all,
// and an unpin for one cluster must not take a pin another cluster still needs.
//
// Fail closed: a sibling whose state.db exists but cannot be read (damaged, a schema newer or
// older than ours, a folder in its place, a permission error, locked past the busy timeout)
// might want any CID, so the answer is `unknown` and the caller holds the unpin. A sibling
// folder without a state.db has never run and holds no pins: it wants nothing.
//
// Logging: once per change of a sibling's readability (an error naming the folder and why
// when it becomes unreadable or the reason changes, an info line when it is readable again),
// not once per CID.
//
// Threads: one thread at a time (the reconciler's); check() updates what it remembers.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "cf/multiformats/cid.hpp"

namespace cf::follower {

enum class SiblingVerdict {
  not_wanted,  // every sibling was read and none wants it
  wanted,      // a readable sibling wants it
  unknown,     // none of the readable ones wants it, but a sibling could not be read
};

// Sibling folder name → why its state.db cannot be read.
using UnreadableSiblings = std::map<std::string, std::string>;

class Siblings {
 public:
  Siblings(std::filesystem::path config_root, std::string self_name)
      : root_(std::move(config_root)), self_(std::move(self_name)) {}

  // wanted when another cluster's state.db has the CID in its pinset and has not marked it
  // remote or sharded; unknown when none does but one could not be read (see above).
  SiblingVerdict check(const multiformats::Cid& cid);

  // The siblings found unreadable by the last check() (those it reached: it stops at the
  // first sibling that wants the CID).
  const UnreadableSiblings& unreadable() const { return unreadable_; }

  // Opens every sibling's state.db once and returns those that cannot be read; for `status`.
  static UnreadableSiblings find_unreadable(const std::filesystem::path& config_root, const std::string& self_name);

 private:
  void note_readable(const std::string& name);
  void note_unreadable(const std::string& name, const std::string& why);

  std::filesystem::path root_;
  std::string self_;
  UnreadableSiblings unreadable_;
};

}  // namespace cf::follower
