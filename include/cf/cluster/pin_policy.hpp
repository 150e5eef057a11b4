// What a follower does with one pin of the cluster's pinset: ipfs-cluster v1.1.6
// pintracker/stateless/stateless.go Track and api/types.go IsRemotePin, IsPinEverywhere,
// as described in upstream-follow-cli.md §3.1 and DESIGN §5:
// - meta pins are never pinned (status "sharded");
// - a pin whose replication factors are not -1/-1 and whose allocations do not name this
//   peer is someone else's to keep (status "remote"; a copy in Kubo is unpinned);
// - anything else is pinned: cluster DAG pins direct, shard pins down to depth 1 (or the
//   pin's own max_depth when larger: indirect shard graphs use 2), data pins as their
//   max_depth says (-1 recursive, 0 direct, N limited).
// As upstream, the remote check applies to every type but meta, so a cluster DAG or shard
// pin allocated elsewhere is remote too (cluster DAG pins are normally "everywhere").
//
// Deliberate divergence: a pin whose expire_at has passed (expire_at < now, upstream's
// Pin.ExpiredAt) is "expired": not pinned. Upstream's follower pins it anyway (its stateless
// tracker never reads ExpireAt, and Cluster.StateSync, which unpins expired pins, returns at
// once in follower mode), so it fetches content that the trusted peers are about to unpin.
// Beyond not pinning, followers do not act on expire_at: what they already pinned stays
// pinned until the trusted peers remove the pin from the pinset.
#pragma once

#include <cstdint>
#include <string_view>

#include "cf/cluster/pin.hpp"
#include "cf/multiformats/peer_id.hpp"

namespace cf::cluster {

struct PinAction {
  enum class Kind {
    pin,      // pin it in Kubo with `mode`/`max_depth`
    remote,   // allocated to other peers: do not keep it here (upstream status "remote")
    sharded,  // a meta pin: tracked, never pinned (upstream status "sharded")
    expired,  // expire_at has passed: not pinned now (an existing pin is left alone)
  };
  // How to pin, for Kind::pin (the other kinds carry recursive/-1): Kubo `recursive=true`,
  // `recursive=false`, or `recursive=true&max-depth=N` (ipfshttp.go pinArgs).
  enum class Mode { recursive, direct, limited };

  Kind kind = Kind::pin;
  Mode mode = Mode::recursive;
  int max_depth = -1;  // -1 for recursive, 0 for direct, N > 0 for limited

  friend bool operator==(const PinAction&, const PinAction&) = default;
};

// True when the pin asks every peer to keep it (replication factors -1/-1).
bool is_pin_everywhere(const Pin& pin);
// Upstream's IsRemotePin: not everywhere, and `self` is not among the allocations.
bool is_remote_pin(const Pin& pin, const multiformats::PeerId& self);

// True when the pin has an expire_at and it is before `now` (Unix seconds).
bool is_expired(const Pin& pin, std::int64_t now);

// What this peer does with `pin` at Unix time `now`. Checked in this order: meta pins are
// sharded, pins allocated elsewhere are remote, expired pins are expired, the rest are pinned.
PinAction decide(const Pin& pin, const multiformats::PeerId& self, std::int64_t now);

// "pin", "remote", "sharded", "expired" (remote and sharded are upstream's status names).
std::string_view to_string(PinAction::Kind kind);
// "recursive", "direct", "limited".
std::string_view to_string(PinAction::Mode mode);

}  // namespace cf::cluster
