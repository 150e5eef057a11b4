// An in-memory BlockStore for the bitswap tests: a map from multihash to bytes, counting
// lookups so tests can see when the Server reads blocks.
#pragma once

#include <cstddef>
#include <optional>
#include <unordered_map>

#include "cf/multiformats/cid.hpp"
#include "cf/p2p/bitswap/block_store.hpp"

namespace cf::p2p::bitswap {

class MemoryBlockStore : public BlockStore {
 public:
  void put(const multiformats::Cid& cid, Bytes data) { blocks_[cid.hash()] = std::move(data); }
  void erase(const multiformats::Cid& cid) { blocks_.erase(cid.hash()); }

  std::optional<Bytes> get(const multiformats::Multihash& hash) const override {
    ++gets_;
    const auto found = blocks_.find(hash);
    if (found == blocks_.end()) return std::nullopt;
    return found->second;
  }
  bool has(const multiformats::Multihash& hash) const override {
    ++hases_;
    return blocks_.contains(hash);
  }

  std::size_t gets() const { return gets_; }
  std::size_t hases() const { return hases_; }

 private:
  std::unordered_map<multiformats::Multihash, Bytes> blocks_;
  mutable std::size_t gets_ = 0;
  mutable std::size_t hases_ = 0;
};

}  // namespace cf::p2p::bitswap
