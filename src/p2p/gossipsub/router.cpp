// The Router's public API, peers, publishing, output and introspection (see router.hpp). The
// per-message handlers are in router_handlers.cpp, the heartbeat in router_heartbeat.cpp.
#include "cf/p2p/gossipsub/router.hpp"

#include <algorithm>

#include "cf/p2p/gossipsub/errc.hpp"

namespace cf::p2p::gossipsub {

Router::Router(PeerId self, RouterConfig config)
    : self_(std::move(self)),
      config_(std::move(config)),
      seen_(config_.seen_ttl, config_.max_seen_entries),
      mcache_(config_.history_length, config_.history_gossip, config_.max_cached_messages),
      next_seqno_(config_.first_seqno),
      random_state_(config_.random_seed) {}

void Router::set_validator(const std::string& topic, Validator validator) {
  if (validator) {
    validators_[topic] = std::move(validator);
  } else {
    validators_.erase(topic);
  }
}

void Router::set_priority_peers(std::set<PeerId> peers, TimePoint now) {
  priority_ = std::move(peers);
  for (const auto& id : priority_) {
    auto it = peers_.find(id);
    if (it != peers_.end()) graft_priority(id, it->second, now);
  }
}

void Router::subscribe(const std::string& topic, TimePoint now) {
  if (!subscriptions_.insert(topic).second) return;
  for (auto& [id, peer] : peers_) {
    if (peer.version) peer.outbox.add_subscription(SubOpts{true, topic});
  }
  // Join (go gossipsub.go Join): start from the fanout peers that are not backed off.
  std::set<PeerId> mesh;
  if (auto fanout = fanout_.find(topic); fanout != fanout_.end()) {
    for (const auto& id : fanout->second) {
      if (!in_backoff(topic, id, now, config_.heartbeat_interval)) mesh.insert(id);
    }
    fanout_.erase(fanout);
    last_publish_.erase(topic);
  }
  mesh_[topic];
  for (const auto& id : mesh) graft(id, state_of(id), topic);
  for (const auto& id : priority_) {
    auto it = peers_.find(id);
    if (it != peers_.end() && may_graft(id, it->second, topic, now)) graft(id, it->second, topic);
  }
  const std::size_t have = mesh_[topic].size();
  if (have >= config_.d) return;
  auto more = pick_peers(topic, config_.d - have, [&](const PeerId& id, const PeerState& peer) {
    return may_graft(id, peer, topic, now);
  });
  for (const auto& id : more) graft(id, state_of(id), topic);
}

void Router::unsubscribe(const std::string& topic, TimePoint now) {
  if (subscriptions_.erase(topic) == 0) return;
  for (auto& [id, peer] : peers_) {
    if (peer.version) peer.outbox.add_subscription(SubOpts{false, topic});
  }
  // Leave (go gossipsub.go Leave).
  auto mesh = mesh_.find(topic);
  const std::set<PeerId> members = mesh == mesh_.end() ? std::set<PeerId>{} : mesh->second;
  for (const auto& id : members) prune(id, state_of(id), topic, config_.unsubscribe_backoff, false, now);
  mesh_.erase(topic);
  for (auto& [id, peer] : peers_) peer.links.erase(topic);
}

Status Router::add_peer(const PeerId& id, std::string_view protocol, TimePoint now) {
  Version version;
  if (protocol == protocol_v12) {
    version = Version::v12;
  } else if (protocol == protocol_v11) {
    version = Version::v11;
  } else if (protocol == protocol_v10) {
    version = Version::v10;
  } else {
    return Error(errc::unsupported_protocol,
                 "gossipsub stream protocol of " + std::to_string(protocol.size()) + " bytes");
  }
  PeerState& peer = state_of(id);
  peer.version = version;
  for (const auto& topic : subscriptions_) peer.outbox.add_subscription(SubOpts{true, topic});
  graft_priority(id, peer, now);
  return ok();
}

void Router::remove_peer(const PeerId& id) {
  for (auto& [topic, members] : mesh_) members.erase(id);
  for (auto& [topic, members] : fanout_) members.erase(id);
  peers_.erase(id);
}

Result<MessageId> Router::publish(const identity::Ed25519Keypair& key, const std::string& topic,
                                  Bytes data, TimePoint now) {
  if (key.public_key().peer_id() != self_) {
    return Error(errc::wrong_key, "gossipsub publish with a key that is not " + self_.to_string());
  }
  CF_TRY_ASSIGN(message, sign_message(key, topic, std::move(data), next_seqno_));
  ++next_seqno_;
  const MessageId id = message_id(message, config_.id_form);
  const MessageId alias =
      message_id(message, config_.id_form == IdForm::cluster ? IdForm::full : IdForm::cluster);
  seen_.insert(id, now);
  seen_.insert(alias, now);
  ++counters_.published;

  std::set<PeerId> targets;
  if (auto mesh = mesh_.find(topic); mesh != mesh_.end()) {
    targets = mesh->second;
  } else {
    auto& fanout = fanout_[topic];
    if (fanout.empty()) {
      for (const auto& p : pick_peers(topic, config_.d, [](const PeerId&, const PeerState&) {
             return true;
           })) {
        fanout.insert(p);
      }
    }
    last_publish_[topic] = now;
    targets = fanout;
  }
  const auto raw = std::make_shared<const Bytes>(message.raw);
  for (const auto& to : targets) {
    auto it = peers_.find(to);
    if (it != peers_.end()) send_message(to, it->second, raw, id, alias, nullptr);
  }
  (void)mcache_.put(id, alias, std::move(message));
  return id;
}

std::vector<Outgoing> Router::take_output() {
  std::vector<Outgoing> out;
  for (auto& [id, peer] : peers_) {
    if (peer.outbox.empty()) continue;
    std::size_t dropped = 0;
    for (auto& rpc : peer.outbox.take(max_rpc_size, dropped)) out.push_back({id, std::move(rpc)});
    counters_.output_dropped += dropped;
  }
  return out;
}

std::vector<Bytes> Router::take_output(const PeerId& id) {
  auto it = peers_.find(id);
  if (it == peers_.end() || it->second.outbox.empty()) return {};
  std::size_t dropped = 0;
  auto out = it->second.outbox.take(max_rpc_size, dropped);
  counters_.output_dropped += dropped;
  return out;
}

bool Router::has_output() const {
  return std::any_of(peers_.begin(), peers_.end(),
                     [](const auto& entry) { return !entry.second.outbox.empty(); });
}

std::optional<Delivery> Router::next_delivery() {
  if (deliveries_.empty()) return std::nullopt;
  Delivery d = std::move(deliveries_.front());
  deliveries_.pop_front();
  return d;
}

std::vector<PeerId> Router::mesh_peers(const std::string& topic) const {
  auto it = mesh_.find(topic);
  if (it == mesh_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::optional<PeerInfo> Router::peer_info(const PeerId& id) const {
  auto it = peers_.find(id);
  if (it == peers_.end()) return std::nullopt;
  const PeerState& peer = it->second;
  static constexpr std::string_view names[] = {protocol_v10, protocol_v11, protocol_v12};
  PeerInfo info{id, peer.version ? std::string(names[static_cast<int>(*peer.version)]) : "",
                priority_.count(id) != 0, peer.hello_seen, peer.outbox.queued_bytes(), {}};
  std::set<std::string> topics = peer.topics;
  for (const auto& [topic, link] : peer.links) topics.insert(topic);
  for (const auto& [topic, entries] : backoff_) {
    if (entries.count(id)) topics.insert(topic);
  }
  for (const auto& topic : topics) {
    PeerTopicInfo t{topic, peer.topics.count(topic) != 0, false, RemoteMesh::unknown, {}, {}, {}};
    if (auto mesh = mesh_.find(topic); mesh != mesh_.end()) t.in_our_mesh = mesh->second.count(id) != 0;
    if (auto l = peer.links.find(topic); l != peer.links.end()) {
      t.their_mesh = l->second.their_mesh;
      t.last_ihave = l->second.last_ihave;
      t.last_message = l->second.last_message;
    }
    if (auto b = backoff_.find(topic); b != backoff_.end()) {
      if (auto e = b->second.find(id); e != b->second.end()) t.backoff_until = e->second;
    }
    info.topics.push_back(std::move(t));
  }
  return info;
}

std::vector<PeerInfo> Router::peers() const {
  std::vector<PeerInfo> out;
  for (const auto& [id, peer] : peers_) out.push_back(*peer_info(id));
  return out;
}

// ---- shared helpers ----

Router::PeerState& Router::state_of(const PeerId& id) {
  auto it = peers_.find(id);
  if (it == peers_.end()) it = peers_.emplace(id, PeerState(config_.max_queued_bytes_per_peer)).first;
  return it->second;
}

bool Router::in_backoff(const std::string& topic, const PeerId& peer, TimePoint now,
                        std::chrono::nanoseconds slack) const {
  auto t = backoff_.find(topic);
  if (t == backoff_.end()) return false;
  auto e = t->second.find(peer);
  return e != t->second.end() && now < e->second + slack;
}

void Router::add_backoff(const std::string& topic, const PeerId& peer, TimePoint until) {
  auto& expiry = backoff_[topic][peer];
  expiry = std::max(expiry, until);
}

bool Router::may_graft(const PeerId& id, const PeerState& peer, const std::string& topic,
                       TimePoint now) const {
  if (!peer.version || !joined(topic) || mesh_.at(topic).count(id)) return false;
  if (in_backoff(topic, id, now, config_.heartbeat_interval)) return false;
  // Only peers known to have joined the topic: go PRUNEs (with a 60 s backoff) a GRAFT for a
  // topic it has not joined yet, which is what a peer that is just starting sees from a
  // follower that grafts in its first RPC.
  return peer.topics.count(topic) != 0;
}

void Router::graft(const PeerId& id, PeerState& peer, const std::string& topic) {
  mesh_[topic].insert(id);
  link(peer, topic).their_mesh = RemoteMesh::we_grafted;
  if (!peer.version) return;
  peer.outbox.add_graft(ControlGraft{topic});
  ++counters_.grafts_sent;
}

void Router::prune(const PeerId& id, PeerState& peer, const std::string& topic,
                   std::chrono::seconds backoff, bool reply, TimePoint now) {
  if (auto mesh = mesh_.find(topic); mesh != mesh_.end()) mesh->second.erase(id);
  if (joined(topic)) {
    add_backoff(topic, id, now + backoff);
    link(peer, topic).their_mesh = RemoteMesh::we_pruned;
  }
  if (!peer.version) return;
  ControlPrune p{topic, std::nullopt, 0};
  // go makePrune: 1.0 peers get the topic only.
  if (*peer.version != Version::v10) p.backoff = static_cast<std::uint64_t>(backoff.count());
  if (peer.outbox.add_prune(std::move(p), reply)) {
    ++counters_.prunes_sent;
  } else {
    ++counters_.output_dropped;
  }
}

void Router::graft_priority(const PeerId& id, PeerState& peer, TimePoint now) {
  if (!priority_.count(id)) return;
  for (const auto& [topic, members] : mesh_) {
    if (may_graft(id, peer, topic, now)) graft(id, peer, topic);
  }
}

void Router::send_message(const PeerId& to, PeerState& peer, const SharedBytes& raw,
                          const MessageId& id, const MessageId& alias, std::uint64_t* sent) {
  if (!peer.version || peer.unwanted.count(id) || peer.unwanted.count(alias)) return;
  if (to == self_) return;
  if (peer.outbox.add_message(raw)) {
    if (sent) ++*sent;
  } else {
    ++counters_.output_dropped;
  }
}

std::uint64_t Router::random() {
  // splitmix64: small, fast and good enough to pick peers.
  std::uint64_t z = (random_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace cf::p2p::gossipsub
