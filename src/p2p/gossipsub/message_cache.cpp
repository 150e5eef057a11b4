// The message cache (see message_cache.hpp).
#include "cf/p2p/gossipsub/message_cache.hpp"

#include <algorithm>

namespace cf::p2p::gossipsub {

MessageCache::MessageCache(std::size_t history_length, std::size_t history_gossip,
                           std::size_t max_entries)
    : history_gossip_(std::clamp<std::size_t>(history_gossip, 1, std::max<std::size_t>(history_length, 1))),
      max_entries_(max_entries),
      windows_(std::max<std::size_t>(history_length, 1)) {}

bool MessageCache::put(const MessageId& id, const MessageId& alias, Message message) {
  if (entries_.size() >= max_entries_ || find(id) != entries_.end()) return false;
  const bool has_alias = !alias.empty() && alias != id && find(alias) == entries_.end();
  entries_.emplace(id, Entry{std::move(message), has_alias ? alias : MessageId{}, {}});
  if (has_alias) aliases_.emplace(alias, id);
  windows_.front().push_back(id);
  return true;
}

MessageCache::Entries::iterator MessageCache::find(ByteView id) {
  auto it = entries_.find(id);
  if (it != entries_.end()) return it;
  auto alias = aliases_.find(id);
  return alias == aliases_.end() ? entries_.end() : entries_.find(alias->second);
}

const Message* MessageCache::get(ByteView id) const {
  auto it = entries_.find(id);
  if (it == entries_.end()) {
    auto alias = aliases_.find(id);
    if (alias == aliases_.end()) return nullptr;
    it = entries_.find(alias->second);
  }
  return it == entries_.end() ? nullptr : &it->second.message;
}

std::optional<MessageCache::PeerGet> MessageCache::get_for_peer(ByteView id,
                                                                const multiformats::PeerId& peer) {
  auto it = find(id);
  if (it == entries_.end()) return std::nullopt;
  const int count = ++it->second.requests[peer];
  return PeerGet{&it->second.message, count};
}

std::vector<MessageId> MessageCache::gossip_ids(const std::string& topic) const {
  std::vector<MessageId> ids;
  for (std::size_t w = 0; w < history_gossip_ && w < windows_.size(); ++w) {
    for (const auto& id : windows_[w]) {
      auto it = entries_.find(id);
      if (it != entries_.end() && it->second.message.topic == topic) ids.push_back(id);
    }
  }
  return ids;
}

void MessageCache::shift() {
  for (const auto& id : windows_.back()) {
    auto it = entries_.find(id);
    if (it == entries_.end()) continue;
    if (!it->second.alias.empty()) aliases_.erase(it->second.alias);
    entries_.erase(it);
  }
  windows_.pop_back();
  windows_.emplace_front();
}

}  // namespace cf::p2p::gossipsub
