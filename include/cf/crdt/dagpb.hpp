// dag-pb, the block codec of go-ds-crdt's DAG nodes (multicodec 0x70), decoded strictly.
//
// Follows ipld/specs block-layer/codecs/dag-pb.md and ipld/go-codec-dagpb (unmarshal.go,
// marshal.go at ade2d66); facts in crdt-dag-and-pinset.md §2.2:
//   PBNode { repeated PBLink Links = 2; optional bytes Data = 1; }
//   PBLink { optional bytes Hash = 1; optional string Name = 2; optional uint64 Tsize = 3; }
// Decoding accepts what go-codec-dagpb accepts:
// - every top-level field is length-delimited and is Data (1) or Links (2), nothing else;
// - Data appears at most once, before or after the links ("IPFS data exists in both forms");
//   the links form one contiguous run (links, Data, links is "duplicate Links section");
// - inside a link: Hash, Name, Tsize in that order, each at most once, no other field, Hash
//   length-delimited and present, Name length-delimited, Tsize a varint;
// - an empty block is a node without Data and without links.
// Presence is kept: a link's empty Name and zero Tsize differ from absent ones, and so does
// empty Data from none, because each changes the block's bytes and therefore its CID.
// Deliberate divergences, all stricter, none reachable by an honest writer:
// - a link's Hash must be exactly one CID (go-cid CidFromBytes ignores trailing bytes);
// - block size and link count are bounded (DagPbLimits);
// - varints longer than 10 bytes or above 64 bits fail in both; non-minimal varints are
//   accepted, as protowire does in Go.
// Link names are not checked for UTF-8 (Go does not check them either) and links are not
// checked for sorted names (go-codec-dagpb does not check that when decoding).
// Pure functions; no I/O, no allocation beyond the returned values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/multiformats/cid.hpp"

namespace cf::crdt {

struct Link {
  multiformats::Cid cid;
  std::optional<std::string> name{};
  std::optional<std::uint64_t> tsize{};

  friend bool operator==(const Link&, const Link&) = default;
};

struct Node {
  std::vector<Link> links{};
  std::optional<Bytes> data{};

  friend bool operator==(const Node&, const Node&) = default;
};

// Bounds of one block. go-ds-crdt batches deltas up to ~1 MiB (MaxBatchDeltaSize, checked
// after the add, so a node can be a little larger) and bitswap carries at most 4 MiB in one
// message; one link per head of the writing replica, usually one.
struct DagPbLimits {
  std::size_t max_block_size = 4 * 1024 * 1024;
  std::size_t max_links = 65'536;
};

// errc::malformed_node (detail names the field and its byte offset) or errc::too_large.
Result<Node> decode_dagpb(ByteView block, const DagPbLimits& limits = {});

// Canonical dag-pb: the links in the given order (the caller sorts named links; go-ds-crdt's
// are all unnamed, so their order is the writer's), then Data. Present fields are written even
// when empty or zero, as go-codec-dagpb does; decode_dagpb(encode_dagpb(n)) == n.
Bytes encode_dagpb(const Node& node);

// The CID go-ds-crdt gives a node: CIDv1, dag-pb, sha2-256 of the block
// (boxo merkledag V1CidPrefix).
multiformats::Cid node_cid(ByteView block);

// Checks that `block` is the node `cid` names before anything decodes it: the codec must be
// dag-pb (CIDv0 is implicitly dag-pb) and the multihash a 32-byte sha2-256 equal to the
// sha2-256 of the block. errc::unsupported_cid or errc::hash_mismatch. go-ds-crdt makes only
// such CIDs; other hash functions are refused rather than verified.
Status verify_block(const multiformats::Cid& cid, ByteView block);

}  // namespace cf::crdt
