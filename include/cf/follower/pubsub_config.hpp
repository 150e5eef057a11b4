// How a follower joins the cluster's gossipsub: the router parameters from the template's
// cluster.pubsub section (as ipfs-cluster >= 1.1.2 sets them: D, Dlo, Dhi and Dlazy are go's
// defaults 6/5/12/6 times d_factor; heartbeat, history windows and seen-messages TTL as given),
// and the CRDT topic with the cluster's validator: only messages authored by a trusted peer
// (or anyone, with "*") are accepted, and the trusted peers are the router's priority peers.
#pragma once

#include <optional>

#include "cf/cluster/template.hpp"
#include "cf/p2p/gossipsub/service.hpp"
#include "cf/p2p/pnet/psk.hpp"

namespace cf::follower {

p2p::gossipsub::ServiceConfig pubsub_service_config(const cluster::Template& tmpl);

// The private network's key from cluster.secret (32 bytes, validated with the template); none
// when the secret is empty (a public network).
std::optional<p2p::pnet::Psk> cluster_psk(const cluster::Template& tmpl);

// Subscribes `service` to the template's CRDT topic (base58(md5-multihash(cluster_name))) with
// the trusted-author validator, and makes the trusted peers priority peers.
void watch_crdt_topic(p2p::gossipsub::Service& service, const cluster::Template& tmpl);

}  // namespace cf::follower
