// A go-ds-crdt DAG node as the sync engine sees it: the CIDs it links to (the heads its
// writer had) and its delta. go-ds-crdt v0.6.8 ipld.go: makeNode builds a dag-pb node whose
// Data is the marshalled Delta and which has one unnamed link per head, then gives it a
// CIDv1 (dag-pb, sha2-256); extractDelta requires a dag-pb node and unmarshals its Data
// (absent Data reads as an empty delta, priority 0). Facts in crdt-dag-and-pinset.md §2.
// Pure functions; no I/O.
#pragma once

#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/crdt/dagpb.hpp"
#include "cf/crdt/delta.hpp"
#include "cf/multiformats/cid.hpp"

namespace cf::crdt {

struct CrdtNode {
  // In block order, which is the writer's head-list order (Go map order): never rely on it.
  // CIDv0 links appear in DAGs written before go-ds-crdt v0.1.19; key nodes on the multihash.
  std::vector<multiformats::Cid> links{};
  Delta delta{};

  friend bool operator==(const CrdtNode&, const CrdtNode&) = default;
};

struct NodeLimits {
  DagPbLimits dagpb{};
  DeltaLimits delta{};
};

// verify_block(cid, block), then strict dag-pb, then the delta. Errors are those of the three
// steps (errc::unsupported_cid, hash_mismatch, malformed_node, malformed_delta, too_large).
Result<CrdtNode> decode_node(const multiformats::Cid& cid, ByteView block, const NodeLimits& limits = {});

// What go-ds-crdt writes: one link per entry of `links` with Name "" and Tsize 0 present
// (boxo always sets both), then Data = encode_delta(delta). Its CID is node_cid(result).
Bytes encode_node(const std::vector<multiformats::Cid>& links, const Delta& delta);

}  // namespace cf::crdt
