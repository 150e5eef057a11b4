// The datastore-key forms of go-ds-crdt and of ipfs-cluster's CRDT state (boxo
// datastore/dshelp/key.go: "/" + RFC 4648 base32, upper-case, no padding, no multibase prefix;
// facts in crdt-dag-and-pinset.md §3.1, §3.5, §4.1).
//
// - Element id: when a node is merged, each element of its delta gets the id
//   "/" + base32(the node's multihash bytes) (go-ds-crdt processNode → dshelp
//   MultihashToDsKey), e.g. "/CIQ…" for sha2-256. Tombstones name these ids, so they must be
//   reproduced byte for byte. A CIDv0 and a CIDv1 of one node give the same id.
// - Pin key: ipfs-cluster's dsstate is created with namespace "" by consensus/crdt, so the
//   CRDT key of a pin is "/" + base32(the FULL binary CID of the pinned content)
//   (dsstate cidToDsKey = dshelp.NewKeyFromBinary(c.Bytes())). A CIDv0 and its CIDv1 are two
//   different keys, hence two different pins.
// - In go-ds-crdt's own datastore (cluster namespace "/c", §3.5) the same text without its
//   slash appears as a path segment: /c/h/<MHKEY> (heads), /c/b/<MHKEY> (processed),
//   /c/b/blocks/<MHKEY> (blocks), /c/s/k/<K>/v (values, K = pin key without its slash).
//
// Parsing accepts only the canonical text, the exact output of the encoder: Go's base32
// decoder rejects lower-case too but ignores non-zero trailing bits, so in Go two keys can
// name one CID; we refuse the non-canonical one, which keeps keys and CIDs one to one.
// Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "cf/base/result.hpp"
#include "cf/multiformats/cid.hpp"
#include "cf/multiformats/multihash.hpp"

namespace cf::crdt {

// Longest key text the parsers look at (a sha2-512 CIDv1 key is 114 characters).
inline constexpr std::size_t max_key_text = 1024;

// "/" + base32 upper-case without padding of the multihash bytes.
std::string element_id(const multiformats::Multihash& node_hash);

// The inverse: exactly one multihash. errc::invalid_key.
Result<multiformats::Multihash> parse_element_id(std::string_view id);

// "/" + base32 upper-case without padding of cid.bytes().
std::string pin_key(const multiformats::Cid& cid);

// The inverse (dsstate dsKeyToCid: exactly one binary CID, as go-cid Cast). errc::invalid_key;
// the detail never quotes the key.
Result<multiformats::Cid> pin_cid_from_key(std::string_view key);

}  // namespace cf::crdt
