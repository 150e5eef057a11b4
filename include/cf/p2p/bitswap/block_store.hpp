// The blocks a bitswap Server may hand out, keyed by multihash: a CIDv0 and the CIDv1s of the
// same hash name the same bytes (as in go's blockstores, which key by multihash too).
// Implementations decide what they hold; Server only reads. Calls happen on the caller's
// strand, inside Server::take_output, so they should be quick (a memory map, an indexed
// SQLite row). Blocks returned are trusted to hash to the key (the store verified them).
#pragma once

#include <optional>

#include "cf/base/bytes.hpp"
#include "cf/multiformats/multihash.hpp"

namespace cf::p2p::bitswap {

struct BlockStore {
  virtual ~BlockStore() = default;
  // The block's bytes, or nullopt when it is not held.
  virtual std::optional<Bytes> get(const multiformats::Multihash& hash) const = 0;
  virtual bool has(const multiformats::Multihash& hash) const = 0;
};

}  // namespace cf::p2p::bitswap
