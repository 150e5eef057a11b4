// The go-ds-crdt Delta, the payload of a DAG node's Data (go-ds-crdt v0.6.8 pb/delta.proto;
// facts in crdt-dag-and-pinset.md §2.3):
//   Delta   { repeated Element elements = 1; repeated Element tombstones = 2; uint64 priority = 3; }
//   Element { string key = 1; string id = 2; bytes value = 3; }
// Decoding follows what protobuf-go's proto3 Unmarshal does with these messages, so that we
// accept and reject exactly the deltas go-ds-crdt does:
// - unknown fields are skipped (Go keeps them as unknown fields; HEAD's Delta field 4
//   `dagName` is one of them for v0.6.8), and so is a known field with the wrong wire type
//   (protobuf-go treats it as unknown);
// - a scalar that appears twice keeps its last value; each repeated element appends;
// - key and id must be valid UTF-8 (protobuf-go validates proto3 strings), value need not.
// Divergences: groups (wire types 3 and 4) are refused, where Go would skip them as unknown
// fields (nothing writes groups in proto3); counts and sizes are bounded (DeltaLimits).
// Encoding is Go's: field-number order, proto3 zero values omitted (an added element has no id
// on the wire; a tombstone has no value; priority 0 is absent).
// Pure functions; no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"

namespace cf::crdt {

struct Element {
  std::string key{};
  std::string id{};  // empty in an added element: the receiver sets it to the node's id
  Bytes value{};     // empty in a tombstone

  friend bool operator==(const Element&, const Element&) = default;
};

struct Delta {
  std::vector<Element> elements{};
  std::vector<Element> tombstones{};
  std::uint64_t priority = 0;  // the node's height: 1 + the highest head it was written on

  friend bool operator==(const Delta&, const Delta&) = default;
};

// Bounds of one delta. Go sets none (a batch delta is ~1 MiB; the block bound is the
// caller's), so the size bound matches DagPbLimits::max_block_size and the count bound leaves
// room for a full block of entries of 16 bytes or more (a cluster element is ~150 bytes).
struct DeltaLimits {
  std::size_t max_delta_size = 4 * 1024 * 1024;
  std::size_t max_entries = 262'144;  // elements and tombstones together
};

// errc::malformed_delta (detail names the entry and the field) or errc::too_large.
Result<Delta> decode_delta(ByteView bytes, const DeltaLimits& limits = {});

Bytes encode_delta(const Delta& delta);

}  // namespace cf::crdt
