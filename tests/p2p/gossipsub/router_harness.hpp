// Test harness for the gossipsub Router: Routers wired back to back through take_output/on_rpc
// under a manual clock, and "scripted" peers (a PeerId plus a key) whose RPCs the test writes
// by hand and whose received RPCs it reads decoded.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cf/identity/ed25519.hpp"
#include "cf/p2p/gossipsub/router.hpp"
#include "cf/p2p/gossipsub/signature.hpp"

namespace cf::p2p::gossipsub::test {

using std::chrono::seconds;

inline const TimePoint t0 = TimePoint{} + std::chrono::hours(1);
inline const std::string topic = "fzhnp2UwTBkgNabrJi1VanzwgN";
inline const std::string metrics = "monitor.metrics";

inline identity::Ed25519Keypair key_of(std::uint8_t seed) {
  return *identity::Ed25519Keypair::from_seed(Bytes(32, seed));
}

inline PeerId id_of(std::uint8_t seed) { return key_of(seed).public_key().peer_id(); }

// Small mesh degrees so that "full" and "below Dlo" are reachable with a few peers.
inline RouterConfig small_config() {
  RouterConfig c;
  c.d = 3;
  c.d_lo = 2;
  c.d_hi = 5;
  c.d_lazy = 3;
  return c;
}

inline Bytes encode(const Rpc& rpc) { return encode_rpc(rpc); }

inline Rpc graft_rpc(const std::string& t) {
  Rpc rpc;
  rpc.control.graft = {{t}};
  return rpc;
}

inline Rpc prune_rpc(const std::string& t, std::optional<std::uint64_t> backoff) {
  Rpc rpc;
  rpc.control.prune = {{t, backoff, 0}};
  return rpc;
}

inline Rpc sub_rpc(const std::string& t, bool subscribe = true) {
  Rpc rpc;
  rpc.subscriptions = {{subscribe, t}};
  return rpc;
}

inline Rpc publish_rpc(Message m) {
  Rpc rpc;
  rpc.publish = {std::move(m)};
  return rpc;
}

inline Message signed_message(std::uint8_t author_seed, const std::string& t, Bytes data,
                              std::uint64_t seqno) {
  return *sign_message(key_of(author_seed), t, std::move(data), seqno);
}

// Everything one Router queued, decoded, per destination.
inline std::map<PeerId, std::vector<Rpc>> drain(Router& router) {
  std::map<PeerId, std::vector<Rpc>> out;
  for (auto& o : router.take_output()) {
    EXPECT_LE(o.rpc.size(), max_rpc_size);
    auto rpc = decode_rpc(o.rpc);
    EXPECT_TRUE(rpc) << (rpc ? "" : rpc.error().message());
    if (rpc) out[o.peer].push_back(std::move(*rpc));
  }
  return out;
}

// All entries of one kind sent to `peer`, over several RPCs.
inline std::vector<ControlGraft> grafts(const std::vector<Rpc>& rpcs) {
  std::vector<ControlGraft> out;
  for (const auto& r : rpcs) out.insert(out.end(), r.control.graft.begin(), r.control.graft.end());
  return out;
}
inline std::vector<ControlPrune> prunes(const std::vector<Rpc>& rpcs) {
  std::vector<ControlPrune> out;
  for (const auto& r : rpcs) out.insert(out.end(), r.control.prune.begin(), r.control.prune.end());
  return out;
}
inline std::vector<Message> messages(const std::vector<Rpc>& rpcs) {
  std::vector<Message> out;
  for (const auto& r : rpcs) out.insert(out.end(), r.publish.begin(), r.publish.end());
  return out;
}
inline std::vector<MessageId> iwant_ids(const std::vector<Rpc>& rpcs) {
  std::vector<MessageId> out;
  for (const auto& r : rpcs) {
    for (const auto& e : r.control.iwant) out.insert(out.end(), e.ids.begin(), e.ids.end());
  }
  return out;
}
inline std::vector<MessageId> idontwant_ids(const std::vector<Rpc>& rpcs) {
  std::vector<MessageId> out;
  for (const auto& r : rpcs) {
    for (const auto& e : r.control.idontwant) out.insert(out.end(), e.ids.begin(), e.ids.end());
  }
  return out;
}
inline std::vector<ControlIHave> ihaves(const std::vector<Rpc>& rpcs) {
  std::vector<ControlIHave> out;
  for (const auto& r : rpcs) out.insert(out.end(), r.control.ihave.begin(), r.control.ihave.end());
  return out;
}

// Routers joined by in-memory streams. Output for a peer that is not a Router in the net is
// kept in `stray` for the test to read.
class Net {
 public:
  TimePoint now = t0;

  Router& add(std::uint8_t seed, RouterConfig config = small_config()) {
    config.random_seed = seed;
    auto node = std::make_unique<Node>(Node{key_of(seed), Router(id_of(seed), config), {}});
    Router& r = node->router;
    nodes_[id_of(seed)] = std::move(node);
    return r;
  }

  Router& router(std::uint8_t seed) { return nodes_.at(id_of(seed))->router; }
  const identity::Ed25519Keypair& key(std::uint8_t seed) { return nodes_.at(id_of(seed))->key; }
  std::vector<Delivery>& deliveries(std::uint8_t seed) { return nodes_.at(id_of(seed))->deliveries; }

  // Both outbound streams open (each side's add_peer).
  void connect(std::uint8_t a, std::uint8_t b, std::string_view a_to_b = protocol_v12,
               std::string_view b_to_a = protocol_v12) {
    ASSERT_TRUE(router(a).add_peer(id_of(b), a_to_b, now));
    ASSERT_TRUE(router(b).add_peer(id_of(a), b_to_a, now));
  }

  // Moves RPCs between routers until all are quiet; returns how many RPCs moved.
  std::size_t pump() {
    std::size_t moved = 0;
    for (int round = 0; round < 100; ++round) {
      bool any = false;
      for (auto& [id, node] : nodes_) {
        for (auto& o : node->router.take_output()) {
          any = true;
          ++moved;
          EXPECT_LE(o.rpc.size(), max_rpc_size);
          log.push_back({id, o.peer, o.rpc});
          auto to = nodes_.find(o.peer);
          if (to == nodes_.end()) continue;
          EXPECT_TRUE(to->second->router.on_rpc(id, o.rpc, now));
        }
      }
      for (auto& [id, node] : nodes_) {
        while (auto d = node->router.next_delivery()) node->deliveries.push_back(std::move(*d));
      }
      if (!any) break;
    }
    return moved;
  }

  void heartbeat_all() {
    for (auto& [id, node] : nodes_) node->router.heartbeat(now);
  }

  // RPCs sent from `from` to `to` (decoded), in order.
  std::vector<Rpc> sent(std::uint8_t from, std::uint8_t to) const {
    std::vector<Rpc> out;
    for (const auto& l : log) {
      if (l.from == id_of(from) && l.to == id_of(to)) out.push_back(*decode_rpc(l.rpc));
    }
    return out;
  }

  struct Logged {
    PeerId from;
    PeerId to;
    Bytes rpc;
  };
  std::vector<Logged> log;

 private:
  struct Node {
    identity::Ed25519Keypair key;
    Router router;
    std::vector<Delivery> deliveries;
  };
  std::map<PeerId, std::unique_ptr<Node>> nodes_;
};

}  // namespace cf::p2p::gossipsub::test
