#include "cf/follower/pubsub_config.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <set>

#include "cf/cluster/topic.hpp"

namespace cf::follower {

namespace gs = cf::p2p::gossipsub;

gs::ServiceConfig pubsub_service_config(const cluster::Template& tmpl) {
  const auto& pubsub = tmpl.cluster.pubsub;
  // d_factor comes from the network: keep the mesh sizes sane whatever it says.
  const auto factor = static_cast<std::size_t>(std::clamp(pubsub.d_factor, 1, 16));
  gs::ServiceConfig config;
  auto& router = config.router;
  router.d = 6 * factor;
  router.d_lo = 5 * factor;
  router.d_hi = 12 * factor;
  router.d_lazy = 6 * factor;
  router.heartbeat_interval = std::clamp<std::chrono::nanoseconds>(pubsub.heartbeat_interval, std::chrono::milliseconds(100),
                                                                 std::chrono::minutes(1));
  router.history_length = static_cast<std::size_t>(std::clamp(pubsub.history_length, 1, 100));
  router.history_gossip = std::min(router.history_length, static_cast<std::size_t>(std::clamp(pubsub.history_gossip, 1, 100)));
  router.seen_ttl = std::clamp<std::chrono::nanoseconds>(pubsub.seen_messages_ttl, std::chrono::minutes(2), std::chrono::hours(24));
  router.id_form = gs::IdForm::cluster;
  // go seeds its seqno counter with the wall clock in nanoseconds, so a restart never reuses one.
  router.first_seqno = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  router.random_seed = std::random_device{}();
  return config;
}

std::optional<p2p::pnet::Psk> cluster_psk(const cluster::Template& tmpl) {
  if (tmpl.cluster.secret.size() != p2p::pnet::Psk{}.key.size()) return std::nullopt;
  p2p::pnet::Psk psk{};
  std::copy(tmpl.cluster.secret.begin(), tmpl.cluster.secret.end(), psk.key.begin());
  return psk;
}

void watch_crdt_topic(gs::Service& service, const cluster::Template& tmpl) {
  const auto topic = cluster::pubsub_topic(tmpl.crdt.cluster_name);
  std::set<multiformats::PeerId> trusted(tmpl.crdt.trusted_peers.begin(), tmpl.crdt.trusted_peers.end());
  const bool trust_all = tmpl.crdt.trust_all;
  service.set_validator(topic, [trusted, trust_all](const multiformats::PeerId& author, const gs::Message&) {
    return trust_all || trusted.count(author) ? gs::Verdict::accept : gs::Verdict::reject;
  });
  service.set_priority_peers(std::move(trusted));
  service.subscribe(topic);
}

}  // namespace cf::follower
