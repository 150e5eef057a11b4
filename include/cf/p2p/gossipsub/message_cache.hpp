// The message cache (go-libp2p-pubsub v0.16 mcache.go): the messages we accepted or published
// in the last `history_length` heartbeats, to serve IWANT, and the IDs of the last
// `history_gossip` heartbeats, to advertise in IHAVE. The router calls shift() once per
// heartbeat. Each entry also counts how often each peer asked for it (GetForPeer), so IWANT
// retransmissions can be limited.
// Divergences from go: an entry is found by either of its message IDs (ours and the other
// IdForm), and the cache holds at most `max_entries` messages (put refuses more), so memory
// stays bounded whatever the publish rate.
// A plain value owned by the Router; not thread-safe.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/multiformats/peer_id.hpp"
#include "cf/p2p/gossipsub/rpc.hpp"

namespace cf::p2p::gossipsub {

class MessageCache {
 public:
  // history_gossip is clamped to [1, history_length], history_length to at least 1.
  MessageCache(std::size_t history_length, std::size_t history_gossip, std::size_t max_entries);

  // Stores `message` in the newest window under `id`, also findable by `alias` (ignored when
  // equal to id or empty). False when `id` is already held or the cache is full.
  bool put(const MessageId& id, const MessageId& alias, Message message);
  // The message under `id` or its alias.
  const Message* get(ByteView id) const;

  struct PeerGet {
    const Message* message;
    int count;  // requests from this peer so far, this one included
  };
  // get() for an IWANT from `peer`, counting the request.
  std::optional<PeerGet> get_for_peer(ByteView id, const multiformats::PeerId& peer);

  // The primary IDs of `topic`'s messages in the newest history_gossip windows, newest first.
  std::vector<MessageId> gossip_ids(const std::string& topic) const;

  // Opens a new window and forgets the messages of the oldest one.
  void shift();

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Message message;
    MessageId alias;
    std::map<multiformats::PeerId, int> requests;
  };
  using Entries = std::map<MessageId, Entry, IdLess>;

  Entries::iterator find(ByteView id);

  std::size_t history_gossip_;
  std::size_t max_entries_;
  Entries entries_;
  std::map<MessageId, MessageId, IdLess> aliases_;  // alias -> primary ID
  std::deque<std::vector<MessageId>> windows_;      // [0] is the newest
};

}  // namespace cf::p2p::gossipsub
