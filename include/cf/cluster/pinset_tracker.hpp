// Polling a whole pinset without re-reading it all (the REST source, DESIGN §4): a tracker
// remembers the lines of the last fetch by their BLAKE2b-128 digest, with the CID each line
// carried, so the next fetch parses only the lines that are new or changed and finds removed
// CIDs without keeping any Pin. A poll of an unchanged pinset parses nothing and allocates
// nothing per line, where building every Pin costs a JSON document per line on every poll.
// The cluster writes a pin the same way each time (Go's encoding/json, sorted map keys), so an
// unchanged pin gives the same bytes (checked against the live API by RestSourceLab). A line
// whose bytes changed while its pin did not is reported as a put, which rewrites the same pin.
//
// Memory: per remembered line a digest, the CID's bytes and a fetch number (about 100 bytes
// with the hash table's own); new and changed pins are handed to a sink in batches of
// `batch` pins while the stream goes on, so a fetch never holds more than one batch of Pins,
// whatever the size of the pinset.
//
// Bad lines (issue 11: one bad pin must not stop the follower): a line that is no valid pin
// (not JSON, an invalid CID, an invalid field such as an expire_at before 1970, or longer than
// the source's max_line) is skipped, counted by reason in PinsetChanges::skipped, logged
// (line number and reason, remote text escaped; at most 10 lines a fetch) and remembered, so
// it is counted once, not at every poll (a line over max_line is dropped unread, so it is
// counted at every fetch). Fail-closed: a skipped line whose CID can be read
// keeps that CID in the pinset (the version stored before stays, nothing is unpinned); while a
// line whose CID cannot be read is present, no CID is reported removed (removes_withheld), as
// that line might be any of them. Name and metadata over the caps of pin.hpp are cut
// (cap_pin_fields) and the pin is applied; PinsetChanges counts them.
// Ownership: a plain value, used by one thread at a time (with its RestSource).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/cluster/pin.hpp"
#include "cf/cluster/rest_source.hpp"
#include "cf/multiformats/cid.hpp"

namespace cf::cluster {

// Receives a batch of new or changed pins while the fetch goes on; an error stops the fetch.
using PutsSink = std::function<Status(std::vector<Pin>&& puts)>;

struct PinsetChanges {
  std::vector<Pin> puts;                   // fetch(source) only: new or changed pins, in order
  std::vector<multiformats::Cid> removes;  // CIDs that no line carries any more, sorted by bytes
  std::size_t pins = 0;                    // lines (pins) in this fetch
  std::size_t put_count = 0;               // pins handed over as puts (in `puts` or to the sink)
  bool first = false;  // the tracker remembered nothing: the puts are the whole pinset
  // New bad lines of this fetch, by BadPinReason (index static_cast<size_t>(reason)).
  std::array<std::size_t, 4> skipped{};
  std::size_t capped_names = 0, capped_metadata = 0;  // pins applied with a field cut
  // A line whose CID could not be read is in the pinset: `removes` is empty whatever is gone.
  bool removes_withheld = false;
  std::size_t skipped_total() const { return skipped[0] + skipped[1] + skipped[2] + skipped[3]; }
};

// The CIDs a tracker's lines name, compact (16-byte digests), for comparing a stored pinset
// with a first fetch without holding the remote one as Pins.
class CidSet {
 public:
  bool contains(const multiformats::Cid& cid) const;
  std::size_t size() const { return digests_.size(); }

 private:
  friend class PinsetTracker;
  std::vector<std::array<std::uint8_t, 16>> digests_;  // sorted
};

class PinsetTracker {
 public:
  static constexpr std::size_t default_batch = 5000;

  // One fetch through `source`, compared with the last one; new and changed pins go to
  // `on_puts` in batches of at most `batch` as they are read. On any error the tracker
  // forgets everything, so the next fetch is a first one again (batches already handed over
  // stay handed over).
  Result<PinsetChanges> fetch(RestSource& source, const PutsSink& on_puts, std::size_t batch = default_batch);
  // The same, with every put collected in PinsetChanges::puts.
  Result<PinsetChanges> fetch(RestSource& source);
  // After changes could not be applied: the next fetch is a first one.
  void forget() { lines_.clear(); }
  std::size_t size() const { return lines_.size(); }  // distinct lines remembered
  // The CIDs of the remembered lines (those of skipped lines included).
  CidSet cids() const;

 private:
  using Digest = std::array<std::uint8_t, 16>;
  struct DigestHash {
    std::size_t operator()(const Digest& d) const noexcept;
  };
  struct Line {
    Bytes cid;  // empty: a skipped line whose CID could not be read
    std::uint64_t fetch = 0;  // the fetch that last saw this line
  };
  struct Fetch;  // one fetch's progress (pinset_tracker.cpp)

  Status take(Fetch& f, std::string_view text, std::size_t number);
  Status take_overlong(Fetch& f, std::size_t number);
  void skip(Fetch& f, const Digest& digest, const BadPin& bad, const std::string& why);
  std::vector<multiformats::Cid> sweep(bool withheld);  // drops lines not seen; returns removes

  std::unordered_map<Digest, Line, DigestHash> lines_;
  std::uint64_t fetch_ = 0;
};

}  // namespace cf::cluster
