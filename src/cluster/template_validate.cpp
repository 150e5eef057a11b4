// Range and consistency checks of a typed template: upstream's Validate() rules of each
// component config (cluster_config.go, consensus/crdt/config.go, ipfsconn/ipfshttp/config.go,
// pintracker/stateless/config.go, informer/*/config.go) plus the follower's own
// (upstream-follow-cli.md §1.9) and those of our cluster_follow section, one line per problem.
#include <cstdlib>

#include "cf/cluster/errc.hpp"
#include "cf/cluster/template.hpp"

namespace cf::cluster {
namespace {

class Checker {
 public:
  explicit Checker(std::vector<std::string>& lines) : lines_(lines) {}

  void fail(const std::string& path, const std::string& what) {
    lines_.push_back("template: " + path + ": " + what);
  }
  void positive(const std::string& path, Duration d) {
    if (d <= Duration::zero()) fail(path, "must be positive, got \"" + format_duration(d) + "\"");
  }
  void not_negative(const std::string& path, Duration d) {
    if (d < Duration::zero()) fail(path, "must not be negative, got \"" + format_duration(d) + "\"");
  }
  void at_least(const std::string& path, int value, int minimum) {
    if (value < minimum) {
      fail(path, "must be at least " + std::to_string(minimum) + ", got " + std::to_string(value));
    }
  }

 private:
  std::vector<std::string>& lines_;
};

void check_replication(Checker& c, int min, int max) {
  const std::string p = "cluster.replication_factor_";
  if (min < -1) c.fail(p + "min", "must be -1 or at least 1, got " + std::to_string(min));
  if (max < -1) c.fail(p + "max", "must be -1 or at least 1, got " + std::to_string(max));
  if (min < -1 || max < -1) return;
  if ((min == -1) != (max == -1)) {
    c.fail(p + "min", "must be -1 together with replication_factor_max (" + std::to_string(min) +
                          " and " + std::to_string(max) + ")");
  } else if (min > max) {
    c.fail(p + "min", "is larger than replication_factor_max (" + std::to_string(min) + " > " +
                          std::to_string(max) + ")");
  }
}

void check_cluster(Checker& c, const ClusterConfig& cl) {
  if (cl.listen_multiaddress.empty()) {
    c.fail("cluster.listen_multiaddress", "missing or empty; at least one listen address is required");
  }
  const auto& cm = cl.connection_manager;
  c.at_least("cluster.connection_manager.high_water", cm.high_water, 1);
  c.at_least("cluster.connection_manager.low_water", cm.low_water, 1);
  if (cm.low_water > 0 && cm.high_water > 0 && cm.low_water > cm.high_water) {
    c.fail("cluster.connection_manager.low_water",
           "is greater than high_water (" + std::to_string(cm.low_water) + " > " +
               std::to_string(cm.high_water) + ")");
  }
  c.positive("cluster.connection_manager.grace_period", cm.grace_period);
  c.positive("cluster.pubsub.seen_messages_ttl", cl.pubsub.seen_messages_ttl);
  c.positive("cluster.pubsub.heartbeat_interval", cl.pubsub.heartbeat_interval);
  c.at_least("cluster.pubsub.d_factor", cl.pubsub.d_factor, 1);
  c.at_least("cluster.pubsub.history_gossip", cl.pubsub.history_gossip, 1);
  c.at_least("cluster.pubsub.history_length", cl.pubsub.history_length, 1);
  c.positive("cluster.dial_peer_timeout", cl.dial_peer_timeout);
  c.positive("cluster.state_sync_interval", cl.state_sync_interval);
  c.positive("cluster.pin_recover_interval", cl.pin_recover_interval);
  c.positive("cluster.monitor_ping_interval", cl.monitor_ping_interval);
  c.positive("cluster.peer_watch_interval", cl.peer_watch_interval);
  c.not_negative("cluster.mdns_interval", cl.mdns_interval);
  check_replication(c, cl.replication_factor_min, cl.replication_factor_max);
}

void check_crdt(Checker& c, const CrdtConfig& crdt) {
  if (crdt.cluster_name.empty()) c.fail("consensus.crdt.cluster_name", "must not be empty");
  if (!crdt.trust_all && crdt.trusted_peers.empty()) {
    c.fail("consensus.crdt.trusted_peers", "missing or empty; the follower would trust nobody");
  }
  c.at_least("consensus.crdt.batching.max_queue_size", crdt.batching.max_queue_size, 1);
  c.positive("consensus.crdt.rebroadcast_interval", crdt.rebroadcast_interval);
  c.not_negative("consensus.crdt.repair_interval", crdt.repair_interval);
  if (crdt.peerset_metric.empty()) c.fail("consensus.crdt.peerset_metric", "must not be empty");
}

void check_ipfshttp(Checker& c, const IpfsHttpConfig& h) {
  const std::string p = "ipfs_connector.ipfshttp.";
  c.not_negative(p + "connect_swarms_delay", h.connect_swarms_delay);
  c.not_negative(p + "ipfs_request_timeout", h.ipfs_request_timeout);
  c.not_negative(p + "pin_timeout", h.pin_timeout);
  c.not_negative(p + "unpin_timeout", h.unpin_timeout);
  c.not_negative(p + "repogc_timeout", h.repogc_timeout);
  c.at_least(p + "informer_trigger_interval", h.informer_trigger_interval, 0);
}

void check_stateless(Checker& c, const StatelessConfig& s) {
  const std::string p = "pin_tracker.stateless.";
  c.at_least(p + "concurrent_pins", s.concurrent_pins, 1);
  c.at_least(p + "max_pin_queue_size", s.max_pin_queue_size, 1);
  c.positive(p + "priority_pin_max_age", s.priority_pin_max_age);
  c.at_least(p + "priority_pin_max_retries", s.priority_pin_max_retries, 1);
}

void check_informers(Checker& c, const InformerConfig& i) {
  if (!i.disk && !i.tags && !i.pinqueue) {
    c.fail("informer", "at least one of disk, tags, pinqueue is required");
  }
  if (i.disk) c.positive("informer.disk.metric_ttl", i.disk->metric_ttl);
  if (i.tags) c.positive("informer.tags.metric_ttl", i.tags->metric_ttl);
  if (i.pinqueue) {
    c.positive("informer.pinqueue.metric_ttl", i.pinqueue->metric_ttl);
    c.at_least("informer.pinqueue.weight_bucket_size", i.pinqueue->weight_bucket_size, 0);
  }
}

void check_rest_api(Checker& c, const std::optional<RestSourceConfig>& rest) {
  if (!rest) return;
  for (const auto& p : rest_source_problems(*rest)) c.fail("cluster_follow.rest_api." + p.key, p.what);
}

}  // namespace

Multiaddr default_node_multiaddress() {
  static const auto address = Multiaddr::parse("/ip4/127.0.0.1/tcp/5001");
  if (!address) std::abort();  // a constant; cannot fail unless the multiaddr code is broken
  return *address;
}

std::vector<std::string> validate(const Template& t) {
  std::vector<std::string> lines;
  Checker c(lines);
  check_cluster(c, t.cluster);
  check_crdt(c, t.crdt);
  check_ipfshttp(c, t.ipfshttp);
  check_stateless(c, t.stateless);
  check_informers(c, t.informer);
  if (!t.datastore.empty() && t.datastore != "badger" && t.datastore != "badger3" &&
      t.datastore != "leveldb" && t.datastore != "pebble") {
    c.fail("datastore", "unknown engine \"" + t.datastore + "\"");
  }
  check_rest_api(c, t.rest_api);
  return lines;
}

Result<http::Endpoint> kubo_endpoint(const Multiaddr& address) {
  namespace code = multiformats::protocol_code;
  auto parts = address.components();
  if (parts.size() == 1 && parts[0].code == code::unix_socket) {
    return http::Endpoint{"http://localhost", parts[0].value};
  }
  if (parts.size() == 2 && parts[1].code == code::tcp) {
    switch (parts[0].code) {
      case code::ip4:
      case code::dns:
      case code::dns4:
      case code::dns6: return http::Endpoint{"http://" + parts[0].value + ":" + parts[1].value, ""};
      case code::ip6: return http::Endpoint{"http://[" + parts[0].value + "]:" + parts[1].value, ""};
      default: break;
    }
  }
  return Error(errc::unsupported_endpoint,
               "cannot reach an IPFS API at \"" + address.to_string() +
                   "\": expected /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port> or /unix/<path>");
}

}  // namespace cf::cluster
