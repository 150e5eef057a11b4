// Polling a whole pinset without re-reading it all (the REST source, DESIGN §4): a tracker
// remembers the lines of the last fetch by their BLAKE2b-128 digest, with the CID each line
// carried, so the next fetch parses only the lines that are new or changed and finds removed
// CIDs without keeping any Pin. A poll of an unchanged pinset parses nothing and allocates
// nothing per line, where building every Pin costs a JSON document per line on every poll.
// The cluster writes a pin the same way each time (Go's encoding/json, sorted map keys), so an
// unchanged pin gives the same bytes (checked against the live API by RestSourceLab). A line
// whose bytes changed while its pin did not is reported as a put, which rewrites the same pin.
// Ownership: a plain value, used by one thread at a time (with its RestSource).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/cluster/pin.hpp"
#include "cf/cluster/rest_source.hpp"
#include "cf/multiformats/cid.hpp"

namespace cf::cluster {

struct PinsetChanges {
  std::vector<Pin> puts;                   // pins of new or changed lines, in the server's order
  std::vector<multiformats::Cid> removes;  // CIDs that no line carries any more, sorted by bytes
  std::size_t pins = 0;                    // lines (pins) in this fetch
  bool first = false;  // the tracker remembered nothing: `puts` is the whole pinset
};

class PinsetTracker {
 public:
  // One fetch through `source`, compared with the last one. On any error the tracker forgets
  // everything, so the next fetch is a first one again.
  Result<PinsetChanges> fetch(RestSource& source);
  // After changes could not be applied: the next fetch is a first one.
  void forget() { lines_.clear(); }
  std::size_t size() const { return lines_.size(); }  // distinct lines remembered

 private:
  using Digest = std::array<std::uint8_t, 16>;
  struct DigestHash {
    std::size_t operator()(const Digest& d) const noexcept;
  };
  struct Line {
    multiformats::Cid cid;
    std::uint64_t fetch = 0;  // the fetch that last saw this line
  };

  Status take(RestSource& source, std::string_view text, std::size_t number, PinsetChanges& changes);
  std::vector<multiformats::Cid> sweep();  // drops lines this fetch did not see; returns removes

  std::unordered_map<Digest, Line, DigestHash> lines_;
  std::uint64_t fetch_ = 0;
};

}  // namespace cf::cluster
