// The per-CID status names stored in pin_status.status, spelled as upstream's tracker statuses
// (ipfs-cluster api/types.go trackerStatusString) so `list` output and scripts carry over, and
// the ownership values stored in pin_status.ownership. The schema's CHECK constraints accept
// exactly these strings (tests/store/pin_status_test.cpp keeps the two in step).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace cf::store {

enum class PinStatus : std::uint8_t {
  undefined,              // no information (upstream's zero value)
  cluster_error,          // upstream only: the cluster peer itself failed
  pin_error,              // the last pin attempt failed; see error, next_retry_at
  unpin_error,            // the last unpin attempt failed
  pinned,                 // Kubo has it pinned
  pinning,                // a pin/add is in flight
  unpinning,              // a pin/rm is in flight
  unpinned,               // removed from Kubo (kept until the row is dropped)
  remote,                 // in the pinset but allocated to other peers; not pinned here
  pin_queued,             // waiting for a pin worker
  unpin_queued,           // waiting for the unpin worker
  sharded,                // a meta pin of a sharded DAG; never pinned itself
  unexpectedly_unpinned,  // in the pinset and once pinned, but Kubo no longer has it
};

std::string_view to_string(PinStatus status);
std::optional<PinStatus> parse_pin_status(std::string_view text);
std::span<const PinStatus> all_pin_statuses();

// Who owns a CID's pin in Kubo, which decides whether the follower may ever unpin it.
enum class Ownership : std::uint8_t {
  none,         // not pinned by the follower (yet): queued, remote, failed
  ours,         // the follower's pin/add made it pinned: unpin it when the pinset drops it
  preexisting,  // Kubo already had it pinned before the follower looked: never unpin it
};

std::string_view to_string(Ownership ownership);
std::optional<Ownership> parse_ownership(std::string_view text);

}  // namespace cf::store
