// cluster::Pin ↔ the protobuf ipfs-cluster stores as the value of every CRDT key
// (ipfs-cluster v1.1.6 api/pb/types.proto; api/types.go Pin.ProtoMarshal, ProtoUnmarshal,
// convertPinType; state/dsstate/datastore.go deserializePin; facts in
// crdt-dag-and-pinset.md §4.2).
//
// Field numbers: Pin {1 Cid bytes, 2 Type enum, 3 Allocations repeated bytes, 4 MaxDepth
// sint32, 5 Reference bytes, 6 Options PinOptions, 7 Timestamp uint64}; PinOptions {1 RFMin
// sint32, 2 RFMax sint32, 3 Name string, 4 ShardSize uint64, 5 reserved (UserAllocations),
// 6 Metadata map<string,string> (deprecated), 7 PinUpdate bytes, 8 ExpireAt uint64, 9 Origins
// repeated bytes, 10 SortedMetadata repeated {1 Key, 2 Value}}.
//
// Decoding does what ProtoUnmarshal does on protobuf-go:
// - proto3 parsing: unknown fields and known fields with the wrong wire type are skipped; the
//   last value of a scalar wins; a repeated Options merges into the first; absent fields are
//   zero (so an absent MaxDepth is 0, direct, and absent replication factors are 0/0);
// - enum and sint32 values keep their low 32 bits, as protobuf-go does;
// - Name and metadata keys and values must be UTF-8 (protobuf-go validates proto3 strings);
// - Type is the enum index: 1 DataType, 2 MetaType, 3 ClusterDAGType, 4 ShardType (Go's
//   PinType is 1 << index; convertPinType is the inverse);
// - every allocation must be a peer ID, else the whole pin fails (peer.IDFromBytes);
// - a Reference or PinUpdate that is not exactly one CID reads as absent (CastCid error);
// - Timestamp and ExpireAt 0 mean unset;
// - metadata is the union of the map (field 6) and the list (field 10), the list's value
//   winning for a key in both;
// - with the CRDT key's CID (deserializePin), the pin's CID is the key's and the value's Cid
//   field is not read; without it, Cid must be exactly one CID.
// Deliberate divergences, so that a Pin read here is a Pin pin_from_json accepts (the store
// and the CLI print pins as JSON); honest writers never produce what they refuse:
// - Type BadType (0) or an unknown index is an error (Go would carry a "bad-type" pin);
// - MaxDepth and the replication factors below -1 are errors, as in pin_from_json;
// - Timestamp and ExpireAt after 9999-12-31T23:59:59Z are errors (Go's time.MarshalJSON
//   cannot print them either; Go would reinterpret values above 2^63 as negative times);
// - allocations must be identity or sha2-256/32 multihashes (PeerId; Go takes any multihash);
// - an origin with a multiaddr protocol we do not implement, or an empty origin, is dropped,
//   since a missing connect hint costs less than a lost pin; any other malformed origin fails
//   the pin, as in Go;
// - the protobuf is at most max_pin_protobuf_size bytes and each list at most
//   max_pin_list_size entries (metadata counted over both forms); text fields have no bound of
//   their own here, like pin_from_json (refusing would drop pins Go keeps): the follower cuts
//   names and metadata to its caps after decoding (cap_pin_fields in pin.hpp);
// - groups (wire types 3 and 4) are refused (Go would skip them).
// Errors are pinset_errc::invalid_pin with a detail naming the field ("pin protobuf:
// Options.Origins[2]: ..."), never quoting the bytes, or pinset_errc::too_large.
//
// Encoding is ProtoMarshal's, byte for byte: field-number order, proto3 zero values omitted,
// Options always present (possibly `32 00`), Reference and PinUpdate only when set, ExpireAt
// and Timestamp only when not 0, metadata only as the key-sorted list (field 10).
// Pure functions; no I/O.
#pragma once

#include <cstddef>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/cluster/pin.hpp"
#include "cf/multiformats/cid.hpp"

namespace cf::cluster {

inline constexpr std::size_t max_pin_protobuf_size = 1024 * 1024;

// A pin as a PutHook sees it: the CID comes from the value's Cid field.
Result<Pin> pin_from_protobuf(ByteView bytes);

// A pin as the state lists it: the CID is the one its CRDT key names (crdt::pin_cid_from_key).
Result<Pin> pin_from_protobuf(ByteView bytes, const multiformats::Cid& key_cid);

Bytes pin_to_protobuf(const Pin& pin);

}  // namespace cf::cluster
