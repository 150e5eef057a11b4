// The Router's RPC handling, one handler per message kind (see router.hpp; go-libp2p-pubsub
// v0.16 pubsub.go handleIncomingRPC/shouldPush/pushMsg, validation.go validate, gossipsub.go
// Preprocess/HandleRPC and the handle* functions).
#include <algorithm>

#include "cf/p2p/gossipsub/router.hpp"

namespace cf::p2p::gossipsub {

Status Router::on_rpc(const PeerId& from, ByteView bytes, TimePoint now) {
  ++counters_.rpcs_received;
  auto rpc = decode_rpc(bytes, config_.rpc_limits);
  if (!rpc) {
    ++counters_.malformed;
    return rpc.error();
  }
  PeerState& peer = state_of(from);
  peer.hello_seen = true;
  for (const auto& sub : rpc->subscriptions) on_subscription(from, peer, sub, now);
  for (auto& message : rpc->publish) on_message(from, peer, std::move(message), now);
  const ControlMessage& control = rpc->control;
  if (!control.ihave.empty()) on_ihave(peer, control.ihave, now);
  if (!control.iwant.empty()) on_iwant(from, peer, control.iwant);
  if (!control.graft.empty()) on_graft(from, peer, control.graft, now);
  if (!control.prune.empty()) on_prune(from, peer, control.prune, now);
  if (!control.idontwant.empty()) on_idontwant(peer, control.idontwant);
  return ok();
}

void Router::on_subscription(const PeerId& from, PeerState& peer, const SubOpts& sub,
                             TimePoint now) {
  if (!sub.subscribe) {
    peer.topics.erase(sub.topic);
    // A peer that left a topic gets nothing more of it from us (go waits for its PRUNE).
    if (auto mesh = mesh_.find(sub.topic); mesh != mesh_.end()) mesh->second.erase(from);
    if (auto fanout = fanout_.find(sub.topic); fanout != fanout_.end()) fanout->second.erase(from);
    return;
  }
  if (peer.topics.size() >= config_.max_peer_topics && !peer.topics.count(sub.topic)) return;
  peer.topics.insert(sub.topic);
  if (priority_.count(from) && may_graft(from, peer, sub.topic, now)) graft(from, peer, sub.topic);
}

void Router::on_message(const PeerId& from, PeerState& peer, Message message, TimePoint now) {
  ++counters_.messages_received;
  if (!subscriptions_.count(message.topic)) {
    ++counters_.unsubscribed_topic;
    return;
  }
  link(peer, message.topic).last_message = now;
  if (message.from == self_.bytes()) {
    ++counters_.self_origin;
    return;
  }
  const MessageId id = message_id(message, config_.id_form);
  const MessageId alias =
      message_id(message, config_.id_form == IdForm::cluster ? IdForm::full : IdForm::cluster);
  // Both ID forms are marked seen together, so one lookup is enough here; IHAVE IDs in either
  // form match in on_ihave.
  if (seen_.contains(id)) {
    ++counters_.duplicates;
    return;
  }
  auto author = verify_message(message);
  if (!author) {
    ++counters_.bad_signature;
    return;
  }
  seen_.insert(id, now);
  seen_.insert(alias, now);
  asked_.erase(id);
  asked_.erase(alias);
  switch (validate(message.topic, *author, message)) {
    case Verdict::reject: ++counters_.untrusted_author; return;
    case Verdict::ignore: ++counters_.ignored; return;
    case Verdict::accept: break;
  }
  accept(from, *author, std::move(message), id, alias);
}

Verdict Router::validate(const std::string& topic, const PeerId& author,
                         const Message& message) const {
  auto it = validators_.find(topic);
  return it == validators_.end() ? Verdict::accept : it->second(author, message);
}

void Router::accept(const PeerId& from, const PeerId& author, Message message,
                    const MessageId& id, const MessageId& alias) {
  const std::string topic = message.topic;
  const auto raw = std::make_shared<const Bytes>(message.raw);
  const bool large = message.data.size() >= config_.idontwant_threshold;
  for (const auto& to : mesh_.at(topic)) {
    if (to == from || to == author) continue;
    auto it = peers_.find(to);
    if (it == peers_.end()) continue;
    PeerState& peer = it->second;
    if (large && peer.version == Version::v12) {
      if (peer.outbox.add_idontwant(ControlIDontWant{{id}})) {
        ++counters_.idontwant_sent;
      } else {
        ++counters_.output_dropped;
      }
    }
    send_message(to, peer, raw, id, alias, &counters_.forwarded);
  }
  ++counters_.delivered;
  if (deliveries_.size() < config_.max_pending_deliveries) {
    deliveries_.push_back(Delivery{topic, id, author, from, message});
  } else {
    ++counters_.deliveries_dropped;
  }
  (void)mcache_.put(id, alias, std::move(message));
}

void Router::on_ihave(PeerState& peer, const std::vector<ControlIHave>& list, TimePoint now) {
  counters_.ihave_received += list.size();
  // go handleIHave's flood protection, per heartbeat.
  if (++peer.ihave_messages > config_.max_ihave_messages) return;
  if (peer.iasked >= config_.max_ihave_length) return;
  std::vector<MessageId> want;
  std::set<ByteView, IdLess> wanted;
  for (const auto& ihave : list) {
    if (!joined(ihave.topic)) continue;
    link(peer, ihave.topic).last_ihave = now;
    const std::size_t n = std::min(ihave.ids.size(), config_.max_ihave_length);
    for (std::size_t i = 0; i < n; ++i) {
      const MessageId& id = ihave.ids[i];
      if (seen_.contains(id) || wanted.count(id)) continue;
      if (auto asked = asked_.find(id); asked != asked_.end() && now < asked->second + config_.iwant_followup) {
        continue;
      }
      wanted.insert(id);
      want.push_back(id);
    }
  }
  const std::size_t pending_room =
      config_.max_pending_iwants - std::min(asked_.size(), config_.max_pending_iwants);
  want.resize(std::min({want.size(), config_.max_ihave_length - peer.iasked, pending_room}));
  if (want.empty() || !peer.version) return;
  for (const auto& id : want) asked_[id] = now;
  peer.iasked += want.size();
  if (peer.outbox.add_iwant(ControlIWant{std::move(want)})) {
    ++counters_.iwant_sent;
  } else {
    ++counters_.output_dropped;
  }
}

void Router::on_iwant(const PeerId& from, PeerState& peer, const std::vector<ControlIWant>& list) {
  counters_.iwant_received += list.size();
  std::set<const Message*> served;
  for (const auto& iwant : list) {
    for (const auto& id : iwant.ids) {
      if (peer.unwanted.count(id)) continue;
      auto got = mcache_.get_for_peer(id, from);
      if (!got || got->count > config_.gossip_retransmission) continue;
      if (!served.insert(got->message).second || !peer.version) continue;
      if (peer.outbox.add_message(std::make_shared<const Bytes>(got->message->raw))) {
        ++counters_.iwant_served;
      } else {
        ++counters_.output_dropped;
      }
    }
  }
}

void Router::on_graft(const PeerId& from, PeerState& peer, const std::vector<ControlGraft>& list,
                      TimePoint now) {
  counters_.grafts_received += list.size();
  for (const auto& graft : list) {
    const std::string& topic = graft.topic;
    if (!joined(topic)) {
      prune(from, peer, topic, config_.prune_backoff, true, now);
      continue;
    }
    std::set<PeerId>& mesh = mesh_.at(topic);
    link(peer, topic).their_mesh = RemoteMesh::they_grafted;
    if (mesh.count(from)) continue;
    // go handleGraft: strictly before the expiry; a refused GRAFT renews the backoff.
    const bool backed_off = in_backoff(topic, from, now, std::chrono::nanoseconds(0));
    if (backed_off || (mesh.size() >= config_.d_hi && !priority_.count(from))) {
      prune(from, peer, topic, config_.prune_backoff, true, now);
      continue;
    }
    mesh.insert(from);
  }
}

void Router::on_prune(const PeerId& from, PeerState& peer, const std::vector<ControlPrune>& list,
                      TimePoint now) {
  counters_.prunes_received += list.size();
  for (const auto& p : list) {
    if (!joined(p.topic)) continue;
    mesh_.at(p.topic).erase(from);
    link(peer, p.topic).their_mesh = RemoteMesh::they_pruned;
    std::chrono::seconds backoff = config_.prune_backoff;
    if (p.backoff && *p.backoff > 0) {
      const auto cap = static_cast<std::uint64_t>(config_.max_remote_backoff.count());
      backoff = std::chrono::seconds(static_cast<std::int64_t>(std::min(*p.backoff, cap)));
    }
    add_backoff(p.topic, from, now + backoff);
  }
}

void Router::on_idontwant(PeerState& peer, const std::vector<ControlIDontWant>& list) {
  counters_.idontwant_received += list.size();
  // go handleIDontWant's flood protection: messages per heartbeat, IDs per message.
  if (peer.idontwant_messages >= config_.max_idontwant_messages) return;
  ++peer.idontwant_messages;
  std::size_t taken = 0;
  for (const auto& entry : list) {
    for (const auto& id : entry.ids) {
      if (taken++ >= config_.max_idontwant_length) return;
      if (peer.unwanted.size() >= config_.max_unwanted_per_peer && !peer.unwanted.count(id)) return;
      peer.unwanted[id] = config_.idontwant_ttl_heartbeats;
    }
  }
}

}  // namespace cf::p2p::gossipsub
