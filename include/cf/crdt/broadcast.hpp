// The pubsub message go-ds-crdt publishes to announce its heads (go-ds-crdt v0.6.8
// pb/bcast.proto, crdt.go encodeBroadcast/decodeBroadcast; facts in crdt-dag-and-pinset.md
// §1.2):
//   CRDTBroadcast { repeated Head Heads = 1; }   Head { bytes Cid = 1; }
// (go-ds-crdt HEAD adds Head field 2 DagName; cluster v1.1.x never sets it, and like v0.6.8 we
// skip it as an unknown field.)
// Decoding mirrors decodeBroadcast on protobuf-go:
// - the message is parsed as proto3: a field other than Heads, or Heads with a wire type other
//   than length-delimited, is an unknown field; inside a Head, the last Cid wins and anything
//   else is skipped;
// - legacy form: if the top level left unknown fields, their bytes, concatenated in order, are
//   read as exactly one binary CID and that CID is the whole announcement (very old peers sent
//   the raw CID; only a CIDv0, `12 20 …`, parses as a protobuf this way);
// - otherwise every Head's Cid must be exactly one binary CID (go-cid Cast), or the whole
//   message is refused, as Go drops it.
// Divergences: groups are refused (Go would skip them); the head count is bounded.
// No priority travels in a broadcast: the receiver reads it from each head's delta.
// Pure functions; no I/O.
#pragma once

#include <cstddef>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/multiformats/cid.hpp"

namespace cf::crdt {

// go-libp2p-pubsub's default message limit is 1 MiB, room for ~26,000 CIDv1 heads; a replica
// normally has a handful.
struct BroadcastLimits {
  std::size_t max_message_size = 1024 * 1024;
  std::size_t max_heads = 10'000;
};

// The announced heads in message order (the sender's Go map order; duplicates are kept).
// errc::malformed_broadcast (detail names the head) or errc::too_large.
Result<std::vector<multiformats::Cid>> decode_broadcast(ByteView message, const BroadcastLimits& limits = {});

// One Head per CID, in the given order (what encodeBroadcast writes).
Bytes encode_broadcast(const std::vector<multiformats::Cid>& heads);

}  // namespace cf::crdt
