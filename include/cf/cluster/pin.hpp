// cluster::Pin: one entry of a cluster's pinset, the desired-state value every pinset source
// (CRDT, REST API) produces and the reconciler consumes.
//
// Mirrors ipfs-cluster v1.1.6 api/types.go (Pin, PinOptions, PinType, PinMode, PinDepth) and
// its REST API JSON (what `GET /allocations` streams; facts in crdt-dag-and-pinset.md §4.2).
// Times are whole Unix seconds, as the state stores them (protobuf uint64 seconds).
//
// Deliberate differences from upstream's JSON decoding, all stricter:
// - every malformed field is an error naming the field and the value (Go ignores some, e.g.
//   an unknown "mode" becomes recursive with a warning);
// - "mode" must agree with "max_depth" (Go derives one from the other and never checks);
// - sizes are bounded (max_pin_json_size, max_pin_list_size) and nesting deeper than the
//   format needs is refused before parsing;
// - times before 1970 are refused, except Go's zero time ("0001-01-01T00:00:00Z"), which
//   means "unset" (timestamp 0, no expire_at); fractional seconds are truncated.
// Keys that are absent keep Pin's defaults (upstream always writes every key); "cid" and
// "type" are required; "user_allocations" and unknown keys are ignored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/multiformats/cid.hpp"
#include "cf/multiformats/multiaddr.hpp"
#include "cf/multiformats/peer_id.hpp"

namespace cf::cluster {

// Error codes of pins and pinset sources (category "cf.cluster.pinset"). Kept apart from
// cluster::errc, whose values are about the follower template.
enum class pinset_errc {
  invalid_pin = 1,  // a pin's JSON is malformed; detail names the field and the value
  too_large,        // a pin, a stream line or a whole pinset exceeds its bound
  invalid_config,   // a pinset source's configuration is unusable (bad URL, ...)
  unreachable,      // the source could not be reached or the transfer failed (retry later)
  auth_failed,      // the source refused our credentials (HTTP 401)
  rejected,         // the source answered with an error status
  stream_failed,    // the source reported an error after it started streaming (trailer)
};

const std::error_category& pinset_category();
std::error_code make_error_code(pinset_errc e);

// Bounds of one pin's JSON text and of each of its lists (allocations, origins, metadata).
inline constexpr std::size_t max_pin_json_size = 1024 * 1024;
inline constexpr std::size_t max_pin_list_size = 10'000;

// Upstream's JSON names: "pin", "meta-pin", "clusterdag-pin", "shard-pin".
enum class PinType { data, meta, cluster_dag, shard };

std::string_view to_string(PinType type);
// The exact upstream names only ("all" and "bad-type" are filters, not pin types).
std::optional<PinType> parse_pin_type(std::string_view text);

// "recursive" for max_depth -1 or N > 0, "direct" for 0: upstream's PinDepth.ToPinMode.
std::string_view pin_mode_name(int max_depth);

// An aggregate whose first member is the CID (Cid has no empty state), so both
// `Pin{cid}` and designated initializers work: `Pin{.cid = c, .type = PinType::shard}`.
// Every member but the CID has a default initializer (so partial initializers compile
// warning-free). Equality compares every field; list order counts.
struct Pin {
  multiformats::Cid cid;
  PinType type = PinType::data;
  int max_depth = -1;  // -1 recursive, 0 direct, N > 0 recursive down to depth N
  std::string name{};
  std::vector<multiformats::PeerId> allocations{};
  int replication_factor_min = -1;  // -1/-1: pin everywhere
  int replication_factor_max = -1;
  std::optional<multiformats::Cid> reference{};  // meta ↔ cluster DAG, shard → previous shard
  std::uint64_t shard_size = 0;
  std::vector<multiformats::Multiaddr> origins{};
  std::map<std::string, std::string> metadata{};
  std::optional<multiformats::Cid> pin_update{};  // the CID this pin updates from
  std::optional<std::int64_t> expire_at{};      // Unix seconds; none: never expires
  std::int64_t timestamp = 0;                   // Unix seconds; 0: unset

  friend bool operator==(const Pin&, const Pin&) = default;
};

// The REST API JSON of a pin, key for key in upstream's order and with Go's string escaping,
// one line without a trailing newline. Times are printed in UTC.
std::string to_json(const Pin& pin);

// Bounds a follower keeps on a pin's free-text fields (upstream has none). A pin over them is
// not refused: it is still a pin the cluster wants, and refusing it could unpin a CID that an
// older version of the pin had. The field is cut instead (cap_pin_fields).
inline constexpr std::size_t max_pin_name_size = 4 * 1024;       // bytes of Pin::name
inline constexpr std::size_t max_pin_metadata_size = 64 * 1024;  // bytes of all keys and values

// What cap_pin_fields cut.
struct CappedFields {
  bool name = false;
  bool metadata = false;
  bool any() const { return name || metadata; }
};

// Cuts a name longer than max_pin_name_size to at most that many bytes, at a UTF-8 character
// boundary, and keeps metadata entries in key order while their keys and values together fit
// in max_pin_metadata_size (the rest are dropped). Deterministic, so the same remote pin always
// gives the same stored one.
CappedFields cap_pin_fields(Pin& pin);

// Why a pin's JSON was refused, for counting skipped pins ("malformed", "invalid_cid",
// "invalid_field", "too_large"), and the pin's CID when it could still be read.
enum class BadPinReason { malformed, invalid_cid, invalid_field, too_large };
std::string_view to_string(BadPinReason reason);
struct BadPin {
  BadPinReason reason = BadPinReason::malformed;
  std::optional<multiformats::Cid> cid{};
};
// For a text pin_from_json refused: not JSON, not an object or too deep (malformed), a missing
// or invalid "cid" (invalid_cid), over max_pin_json_size (too_large), else invalid_field with
// the CID.
BadPin inspect_bad_pin_json(std::string_view json_text);

// Parses one pin. pinset_errc::invalid_pin (detail "pin: <field>: <problem>", quoting the
// value) or pinset_errc::too_large.
Result<Pin> pin_from_json(std::string_view json_text);

// Go's time.Time JSON text (RFC 3339, optional fraction, "Z" or ±hh:mm) → Unix seconds,
// rounded down; Go's zero time reads as 0. Errors name the text.
Result<std::int64_t> parse_go_time(std::string_view text);
// Unix seconds → "2006-01-02T15:04:05Z" (UTC); 0 or less → Go's zero time
// "0001-01-01T00:00:00Z" (so an expire_at ≤ 0 reads back as none).
std::string format_go_time(std::int64_t unix_seconds);

}  // namespace cf::cluster

template <>
struct std::is_error_code_enum<cf::cluster::pinset_errc> : std::true_type {};
