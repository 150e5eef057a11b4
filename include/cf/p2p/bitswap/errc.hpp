// Error codes of bitswap (category "cf.p2p.bitswap"), following the per-layer pattern of
// cf/base/errc.hpp. boxo returns plain Go errors for these cases (message.go
// newMessageFromProto, go-cid Prefix.Sum); the codes let callers branch without text.
#pragma once

#include <system_error>

namespace cf::p2p::bitswap {

enum class errc {
  malformed = 1,          // not valid protobuf, or a known field with the wrong wire type
  message_too_large,      // a message above Limits::max_message_size
  too_many_entries,       // more want-list entries than Limits::max_entries
  too_many_blocks,        // more blocks (fields 2 and 3 together) than Limits::max_blocks
  too_many_presences,     // more block presences than Limits::max_presences
  missing_cid,            // a want entry or presence without a CID (boxo errCidMissing)
  invalid_cid,            // a want entry or presence whose CID does not parse
  cid_too_large,          // a CID longer than Limits::max_cid_size (boxo MaximumAllowedCid)
  invalid_enum,           // a wantType or presence type outside the proto's enum
  invalid_prefix,         // a block prefix that is not four minimal uvarints or names a bad CID
  unsupported_hash,       // a multihash function we cannot compute; the detail names the code
  invalid_digest_length,  // a prefix digest length the hash function cannot produce
  hash_mismatch,          // data whose hash is not the CID's multihash
  bad_block,              // Client::on_message: some payload blocks failed verification
};

const std::error_category& bitswap_category();
std::error_code make_error_code(errc e);

}  // namespace cf::p2p::bitswap

template <>
struct std::is_error_code_enum<cf::p2p::bitswap::errc> : std::true_type {};
