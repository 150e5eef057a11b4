// The Router's heartbeat: mesh and fanout upkeep, IHAVE gossip, cache and counter upkeep (see
// router.hpp; go-libp2p-pubsub v0.16 gossipsub.go heartbeat, emitGossip, clearBackoff,
// clearIHaveCounters, clearIDontWantCounters).
#include <algorithm>
#include <limits>

#include "cf/p2p/gossipsub/router.hpp"

namespace cf::p2p::gossipsub {

template <typename T>
void Router::shuffle(std::vector<T>& items) {
  for (std::size_t i = items.size(); i > 1; --i) {
    std::swap(items[i - 1], items[random() % i]);
  }
}

void Router::heartbeat(TimePoint now) {
  reset_heartbeat_state(now);
  for (const auto& topic : subscriptions_) {
    maintain_mesh(topic, now);
    emit_gossip(topic, mesh_.at(topic));
  }
  maintain_fanout(now);
  mcache_.shift();
  seen_.expire(now);
}

std::vector<PeerId> Router::pick_peers(
    const std::string& topic, std::size_t count,
    const std::function<bool(const PeerId&, const PeerState&)>& ok) {
  std::vector<PeerId> candidates;
  for (const auto& [id, peer] : peers_) {
    if (peer.version && peer.topics.count(topic) && ok(id, peer)) candidates.push_back(id);
  }
  shuffle(candidates);
  if (candidates.size() > count) candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(count), candidates.end());
  return candidates;
}

void Router::maintain_mesh(const std::string& topic, TimePoint now) {
  std::set<PeerId>& mesh = mesh_.at(topic);
  // Peers whose hello or a later SubOpts says they are not in the topic.
  std::erase_if(mesh, [&](const PeerId& id) {
    auto it = peers_.find(id);
    return it == peers_.end() || (it->second.hello_seen && !it->second.topics.count(topic));
  });
  for (const auto& id : priority_) {
    auto it = peers_.find(id);
    if (it != peers_.end() && may_graft(id, it->second, topic, now)) graft(id, it->second, topic);
  }
  if (mesh.size() < config_.d_lo) {
    auto more = pick_peers(topic, config_.d - mesh.size(), [&](const PeerId& id, const PeerState& peer) {
      return may_graft(id, peer, topic, now);
    });
    for (const auto& id : more) graft(id, state_of(id), topic);
  }
  if (mesh.size() >= config_.d_hi) {
    std::vector<PeerId> others;
    std::size_t kept_priority = 0;
    for (const auto& id : mesh) {
      if (priority_.count(id)) {
        ++kept_priority;
      } else {
        others.push_back(id);
      }
    }
    shuffle(others);
    const std::size_t keep = config_.d > kept_priority ? config_.d - kept_priority : 0;
    for (std::size_t i = keep; i < others.size(); ++i) {
      prune(others[i], state_of(others[i]), topic, config_.prune_backoff, false, now);
    }
  }
}

void Router::maintain_fanout(TimePoint now) {
  for (auto it = last_publish_.begin(); it != last_publish_.end();) {
    if (now - it->second >= config_.fanout_ttl) {
      fanout_.erase(it->first);
      it = last_publish_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& entry : fanout_) {
    const std::string& topic = entry.first;
    std::set<PeerId>& members = entry.second;
    std::erase_if(members, [&](const PeerId& id) {
      auto it = peers_.find(id);
      return it == peers_.end() || !it->second.topics.count(topic);
    });
    if (members.size() < config_.d) {
      auto more = pick_peers(topic, config_.d - members.size(),
                             [&](const PeerId& id, const PeerState&) { return !members.count(id); });
      members.insert(more.begin(), more.end());
    }
    emit_gossip(topic, members);
  }
}

void Router::emit_gossip(const std::string& topic, const std::set<PeerId>& exclude) {
  std::vector<MessageId> ids = mcache_.gossip_ids(topic);
  if (ids.empty()) return;
  auto peers = pick_peers(topic, std::numeric_limits<std::size_t>::max(),
                          [&](const PeerId& id, const PeerState&) { return !exclude.count(id); });
  const auto factor = static_cast<std::size_t>(config_.gossip_factor * static_cast<double>(peers.size()));
  const std::size_t target = std::min(peers.size(), std::max(config_.d_lazy, factor));
  peers.erase(peers.begin() + static_cast<std::ptrdiff_t>(target), peers.end());
  for (const auto& id : peers) {
    std::vector<MessageId> sent = ids;
    if (sent.size() > config_.max_ihave_length) {
      // A different random subset per peer, as go does, to spread coverage.
      shuffle(sent);
      sent.resize(config_.max_ihave_length);
    }
    if (peers_.at(id).outbox.add_ihave(ControlIHave{topic, std::move(sent)})) {
      ++counters_.ihave_sent;
    } else {
      ++counters_.output_dropped;
    }
  }
}

void Router::reset_heartbeat_state(TimePoint now) {
  for (auto& [id, peer] : peers_) {
    peer.ihave_messages = peer.iasked = peer.idontwant_messages = 0;
    for (auto it = peer.unwanted.begin(); it != peer.unwanted.end();) {
      it = --it->second <= 0 ? peer.unwanted.erase(it) : std::next(it);
    }
  }
  // Expired backoffs, with one heartbeat of slack as in may_graft.
  for (auto topic = backoff_.begin(); topic != backoff_.end();) {
    std::erase_if(topic->second, [&](const auto& entry) {
      return now >= entry.second + config_.heartbeat_interval;
    });
    topic = topic->second.empty() ? backoff_.erase(topic) : std::next(topic);
  }
  std::erase_if(asked_, [&](const auto& entry) { return now >= entry.second + config_.iwant_followup; });
}

}  // namespace cf::p2p::gossipsub
