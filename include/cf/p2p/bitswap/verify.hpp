// Block verification for bitswap: CID prefixes and hashing received data.
// Follows go-cid Prefix.Bytes / PrefixFromBytes / Prefix.Sum and go-multihash Sum, which boxo's
// message.go (newMessageFromProto, NewWantlistBlock) uses to rebuild every received block's
// CID (docs/reference/libp2p-wire.md §8.2, §8.3 step 4).
//
// A prefix is uvarint(version) uvarint(codec) uvarint(multihash code) uvarint(digest length),
// e.g. 01 70 12 20 for the CIDv1 dag-pb sha2-256 nodes of go-ds-crdt. Rules:
// - Four minimal uvarints (go-varint's rule) and nothing after them: go ignores trailing bytes;
//   no go peer writes any, so we refuse them.
// - Version 0 needs dag-pb, sha2-256 and 32 (go checks the hash only; v0 implies dag-pb).
//   Version 1 takes any codec. Other versions are refused.
// - Hash functions: sha2-256, sha2-512, blake2b-256 (libsodium) and identity. Others are
//   errc::unsupported_hash with the code in the detail. For identity the digest is the data
//   and the length field is ignored, as go-cid does.
// - A digest length below the function's size truncates, as go-multihash Sum does, down to
//   20 bytes (boxo verifcid's DefaultMinDigestSize); outside [20, size] is
//   errc::invalid_digest_length.
// Stateless; thread-safe.
#pragma once

#include <cstdint>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/multiformats/cid.hpp"

namespace cf::p2p::bitswap {

// Multihash function codes verify_block computes (multiformats table.csv).
namespace hash_code {
inline constexpr std::uint64_t identity = 0x00;
inline constexpr std::uint64_t sha2_256 = 0x12;
inline constexpr std::uint64_t sha2_512 = 0x13;
inline constexpr std::uint64_t blake2b_256 = 0xb220;
}  // namespace hash_code

struct CidPrefix {
  std::uint64_t version = 1;
  std::uint64_t codec = 0;
  std::uint64_t hash_code = 0;
  std::uint64_t digest_length = 0;
};

// Ok when verify_block can compute this multihash function at this digest length. Errors:
// unsupported_hash, invalid_digest_length.
Status check_hash(std::uint64_t code, std::uint64_t digest_length);

// The wire prefix of `cid` (00 70 12 20 for any CIDv0).
Bytes cid_prefix(const multiformats::Cid& cid);

// Parses a prefix (errc::invalid_prefix), without checking the hash function.
Result<CidPrefix> parse_prefix(ByteView prefix);

// The CID of `data` under `prefix`: hashes it with the prefix's function. Errors:
// invalid_prefix, unsupported_hash, invalid_digest_length.
Result<multiformats::Cid> verify_block(ByteView prefix, ByteView data);

// Ok when `data` hashes to `cid`'s multihash. Errors: unsupported_hash, invalid_digest_length,
// hash_mismatch.
Status verify_block(const multiformats::Cid& cid, ByteView data);

}  // namespace cf::p2p::bitswap
