// The seen-messages cache (see seen_cache.hpp).
#include "cf/p2p/gossipsub/seen_cache.hpp"

#include <algorithm>

namespace cf::p2p::gossipsub {

SeenCache::SeenCache(std::chrono::nanoseconds ttl, std::size_t max_entries)
    : ttl_(ttl), max_entries_(std::max<std::size_t>(max_entries, 1)) {}

bool SeenCache::insert(const MessageId& id, TimePoint now) {
  auto [it, inserted] = entries_.emplace(id, now);
  if (!inserted) return false;
  order_.push_back(it);
  while (entries_.size() > max_entries_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
  return true;
}

void SeenCache::expire(TimePoint now) {
  while (!order_.empty() && now - order_.front()->second >= ttl_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace cf::p2p::gossipsub
