// What is queued for one peer, coalesced into as few RPCs as fit under max_rpc_size when taken
// (go-libp2p-pubsub sends one RPC per event and splits oversized ones, gossipsub.go sendRPC and
// rpc split; coalescing is ours: the peer sees the same entries in fewer RPCs).
//
// Bounded parts (messages, IHAVE, IWANT, IDONTWANT, and PRUNEs answering a peer's GRAFT) are
// refused once the queue holds `max_bytes`, like go dropping RPCs when its 128-RPC outbound
// queue is full; the caller counts the refusal. Our own subscription announcements, GRAFTs and
// PRUNEs are always queued: they are bounded by the number of topics we join. A later
// announcement for a topic replaces a pending one, and a GRAFT cancels a pending PRUNE for the
// same topic and vice versa (go's piggybackControl drops such stale control).
// Messages are held as shared buffers: one forwarded message is queued to many peers.
// A plain value owned by the Router's per-peer state; not thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/p2p/gossipsub/rpc.hpp"

namespace cf::p2p::gossipsub {

using SharedBytes = std::shared_ptr<const Bytes>;

class Outbox {
 public:
  explicit Outbox(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  void add_subscription(SubOpts sub);
  void add_graft(ControlGraft graft);
  // `bounded`: a reply to the peer (refused when full) rather than our own mesh change.
  bool add_prune(ControlPrune prune, bool bounded);
  bool add_message(SharedBytes raw);
  bool add_ihave(ControlIHave ihave);
  bool add_iwant(ControlIWant iwant);
  bool add_idontwant(ControlIDontWant idontwant);

  // Everything queued, as encoded RPCs of at most `max_size` bytes each (subscriptions and
  // control first, then messages), emptying the queue. A single part too large for any RPC is
  // dropped and counted in `dropped`.
  std::vector<Bytes> take(std::size_t max_size, std::size_t& dropped);

  bool empty() const { return queued_bytes_ == 0; }
  // Sum of the queued parts' encoded sizes.
  std::size_t queued_bytes() const { return queued_bytes_; }

 private:
  bool reserve(std::size_t size, bool bounded);
  void remove_graft(const std::string& topic);
  void remove_prune(const std::string& topic);

  std::size_t max_bytes_;
  std::size_t queued_bytes_ = 0;
  std::vector<SubOpts> subscriptions_;
  std::vector<ControlGraft> grafts_;
  std::vector<ControlPrune> prunes_;
  std::vector<ControlIHave> ihave_;
  std::vector<ControlIWant> iwant_;
  std::vector<ControlIDontWant> idontwant_;
  std::vector<SharedBytes> messages_;
};

}  // namespace cf::p2p::gossipsub
