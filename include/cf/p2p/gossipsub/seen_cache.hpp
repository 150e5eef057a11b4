// The seen-messages cache: which message IDs we have already handled, for dedup and for
// deciding what to IWANT (go-libp2p-pubsub pubsub.go seenMessages, a timecache with the
// FirstSeen strategy: an entry lives `ttl` from its first insertion). Unlike go's it also has a
// hard cap on entries: at the cap the oldest entry is dropped, so a flood of distinct valid
// messages costs memory up to the cap, not up to the TTL.
// A plain value owned by the Router; not thread-safe. Time is passed in.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>

#include "cf/base/bytes.hpp"
#include "cf/p2p/gossipsub/rpc.hpp"

namespace cf::p2p::gossipsub {

class SeenCache {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  SeenCache(std::chrono::nanoseconds ttl, std::size_t max_entries);

  // True when `id` was inserted and has not been expired or evicted yet.
  bool contains(ByteView id) const { return entries_.find(id) != entries_.end(); }
  // Adds `id` first seen at `now`; false (and nothing changes) when it is already there.
  bool insert(const MessageId& id, TimePoint now);
  // Drops the entries first seen `ttl` or longer before `now`.
  void expire(TimePoint now);

  std::size_t size() const { return entries_.size(); }

 private:
  using Entries = std::map<MessageId, TimePoint, IdLess>;

  std::chrono::nanoseconds ttl_;
  std::size_t max_entries_;
  Entries entries_;
  std::deque<Entries::iterator> order_;  // insertion order; time order while `now` is monotonic
};

}  // namespace cf::p2p::gossipsub
