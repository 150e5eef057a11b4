// Error codes of the crdt layer (category "cf.crdt"): the codecs of go-ds-crdt's Merkle-CRDT
// DAG (dag-pb nodes, deltas, pubsub broadcasts, datastore keys) and its sync state. Follows
// the per-layer pattern of cf/base/errc.hpp. Details name the field and the offset or index, never the input bytes.
#pragma once

#include <system_error>

namespace cf::crdt {

enum class errc {
  malformed_node = 1,   // a block breaks the strict dag-pb rules (field order, duplicates,
                        // unknown fields, a link without a valid CID, truncation)
  malformed_delta,      // a node's Data is not a go-ds-crdt Delta protobuf (truncation, a
                        // key or id that is not UTF-8)
  malformed_broadcast,  // a pubsub message is neither a CRDTBroadcast nor one legacy raw CID
  invalid_key,          // a datastore key or element id not in boxo dshelp's form
                        // ("/" + base32 upper-case without padding of a multihash or CID)
  too_large,            // an input, or a count inside it, exceeds its configured bound
  hash_mismatch,        // a block's bytes do not hash to the digest of the CID it was asked for
  unsupported_cid,      // a CID that cannot name a go-ds-crdt node (codec not dag-pb, or a
                        // hash function other than sha2-256)
  priority_too_large,   // a node's priority is 2^63 or more, which state.db's INTEGER cannot
                        // hold (go-ds-crdt heights are 1 + the parents' height: never honest)
};

const std::error_category& crdt_category();
std::error_code make_error_code(errc e);

}  // namespace cf::crdt

template <>
struct std::is_error_code_enum<cf::crdt::errc> : std::true_type {};
