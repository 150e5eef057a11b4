// Template parsing: JSON → typed sections, one problem line per bad key. The range checks
// live in template_validate.cpp; both run in parse_template.
#include <cctype>

#include "cf/cluster/errc.hpp"
#include "cf/cluster/template.hpp"
#include "json_reader.hpp"
#include "template_internal.hpp"

namespace cf::cluster {
namespace {

using detail::Json;
using detail::Problems;
using detail::Reader;

constexpr std::size_t secret_hex_size = 64;

void parse_secret(Reader& r, Bytes& out) {
  std::string hex;
  r.string("secret", hex);
  if (hex.empty()) return;  // no private network; the follower warns about it
  // The secret's characters are never echoed: this line may end up in logs.
  if (hex.size() != secret_hex_size) {
    r.problem("secret", "must be 64 hex characters (32 bytes), got " + std::to_string(hex.size()) +
                            " characters");
    return;
  }
  Bytes bytes;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    auto hi = std::isxdigit(static_cast<unsigned char>(hex[i]));
    auto lo = std::isxdigit(static_cast<unsigned char>(hex[i + 1]));
    if (!hi || !lo) {
      r.problem("secret", "must be hexadecimal; invalid character at position " +
                              std::to_string(hi ? i + 2 : i + 1));
      return;
    }
    bytes.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  out = std::move(bytes);
}

void parse_peer_addresses(Reader& r, std::vector<Multiaddr>& out) {
  std::vector<std::string> texts;
  if (!r.strings("peer_addresses", texts)) return;
  std::vector<Multiaddr> kept;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto key = "peer_addresses[" + std::to_string(i) + "]";
    auto addr = Multiaddr::parse(texts[i]);
    if (!addr) {
      r.problem(key, "invalid multiaddr \"" + texts[i] + "\": " + detail::multiformats_reason(addr.error()));
    } else if (!addr->peer_id()) {
      r.problem(key, "\"" + texts[i] + "\" must end in /p2p/<peer ID>");
    } else {
      kept.push_back(std::move(*addr));
    }
  }
  out = std::move(kept);
}

void parse_cluster(Reader r, ClusterConfig& c) {
  parse_secret(r, c.secret);
  r.string("peername", c.peername);
  r.boolean("leave_on_shutdown", c.leave_on_shutdown);
  r.multiaddrs("listen_multiaddress", c.listen_multiaddress, true);
  r.multiaddrs("announce_multiaddress", c.announce_multiaddress, true);
  r.multiaddrs("no_announce_multiaddress", c.no_announce_multiaddress, true);
  r.boolean("enable_relay_hop", c.enable_relay_hop);
  auto cm = r.child("connection_manager");
  cm.integer("high_water", c.connection_manager.high_water);
  cm.integer("low_water", c.connection_manager.low_water);
  cm.duration("grace_period", c.connection_manager.grace_period);
  auto ps = r.child("pubsub");
  ps.duration("seen_messages_ttl", c.pubsub.seen_messages_ttl);
  ps.duration("heartbeat_interval", c.pubsub.heartbeat_interval);
  ps.integer("d_factor", c.pubsub.d_factor);
  ps.integer("history_gossip", c.pubsub.history_gossip);
  ps.integer("history_length", c.pubsub.history_length);
  ps.boolean("flood_publish", c.pubsub.flood_publish);
  r.duration("dial_peer_timeout", c.dial_peer_timeout);
  r.duration("state_sync_interval", c.state_sync_interval);
  r.duration("pin_recover_interval", c.pin_recover_interval);
  r.integer("replication_factor_min", c.replication_factor_min, true);
  r.integer("replication_factor_max", c.replication_factor_max, true);
  r.duration("monitor_ping_interval", c.monitor_ping_interval);
  r.duration("peer_watch_interval", c.peer_watch_interval);
  r.duration("mdns_interval", c.mdns_interval);
  r.boolean("disable_repinning", c.disable_repinning);
  r.boolean("follower_mode", c.follower_mode);
  parse_peer_addresses(r, c.peer_addresses);
}

void parse_trusted_peers(Reader& r, CrdtConfig& c) {
  // A present crdt section trusts nobody unless trusted_peers says otherwise (upstream
  // applyJSONConfig); "*" anywhere trusts everyone and the other entries do not matter.
  c.trust_all = false;
  c.trusted_peers.clear();
  std::vector<std::string> texts;
  if (!r.strings("trusted_peers", texts)) return;
  for (const auto& t : texts) {
    if (t == "*") {
      c.trust_all = true;
      c.trusted_peers.clear();
      return;
    }
  }
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto id = PeerId::parse(texts[i]);
    if (!id) {
      r.problem("trusted_peers[" + std::to_string(i) + "]",
                "invalid peer ID \"" + texts[i] + "\": " + detail::multiformats_reason(id.error()));
      continue;
    }
    c.trusted_peers.push_back(*id);
  }
}

void parse_crdt(Reader r, CrdtConfig& c) {
  r.string("cluster_name", c.cluster_name, true);
  parse_trusted_peers(r, c);
  auto b = r.child("batching");
  b.integer("max_batch_size", c.batching.max_batch_size);
  b.duration("max_batch_age", c.batching.max_batch_age);
  b.integer("max_queue_size", c.batching.max_queue_size, true);
  r.duration("repair_interval", c.repair_interval);
  r.duration("rebroadcast_interval", c.rebroadcast_interval);
  r.string("peerset_metric", c.peerset_metric, true);
  r.string("datastore_namespace", c.datastore_namespace, true);
}

void parse_ipfshttp(Reader r, IpfsHttpConfig& c) {
  std::vector<Multiaddr> node;
  r.multiaddrs("node_multiaddress", node, true);
  if (!node.empty()) {
    auto endpoint = kubo_endpoint(node.front());
    if (!endpoint) {
      r.problem("node_multiaddress", endpoint.error().message());
    } else {
      c.node_multiaddress = node.front();
      c.node_endpoint = *endpoint;
    }
  }
  r.duration("connect_swarms_delay", c.connect_swarms_delay);
  r.duration("ipfs_request_timeout", c.ipfs_request_timeout);
  r.duration("pin_timeout", c.pin_timeout);
  r.duration("unpin_timeout", c.unpin_timeout);
  r.duration("repogc_timeout", c.repogc_timeout);
  r.integer("informer_trigger_interval", c.informer_trigger_interval);
  r.boolean("unpin_disable", c.unpin_disable);
}

void parse_stateless(Reader r, StatelessConfig& c) {
  r.integer("max_pin_queue_size", c.max_pin_queue_size, true);
  r.integer("concurrent_pins", c.concurrent_pins, true);
  r.duration("priority_pin_max_age", c.priority_pin_max_age);
  r.integer("priority_pin_max_retries", c.priority_pin_max_retries, true);
}

void parse_tags(Reader& r, std::map<std::string, std::string>& out) {
  const Json* tags = r.find("tags");
  if (tags == nullptr) return;
  if (!tags->is_object()) {
    r.problem("tags", "must be an object of strings, got " + detail::json_type_name(*tags));
    return;
  }
  std::map<std::string, std::string> parsed;
  for (const auto& [k, v] : tags->items()) {
    if (!v.is_string()) {
      r.problem("tags." + k, "must be a string, got " + detail::json_type_name(v));
      continue;
    }
    parsed[k] = v.get<std::string>();
  }
  out = std::move(parsed);
}

void parse_informers(Reader r, InformerConfig& c) {
  if (auto disk = r.child("disk"); disk.present()) {
    c.disk.emplace();
    disk.duration("metric_ttl", c.disk->metric_ttl);
    disk.string("metric_type", c.disk->metric_type);
    if (c.disk->metric_type != "freespace" && c.disk->metric_type != "reposize") {
      disk.problem("metric_type",
                   "must be \"freespace\" or \"reposize\", got \"" + c.disk->metric_type + "\"");
    }
  }
  if (auto tags = r.child("tags"); tags.present()) {
    c.tags.emplace();
    tags.duration("metric_ttl", c.tags->metric_ttl);
    parse_tags(tags, c.tags->tags);
  }
  if (auto pq = r.child("pinqueue"); pq.present()) {
    c.pinqueue.emplace();
    pq.duration("metric_ttl", c.pinqueue->metric_ttl);
    pq.integer("weight_bucket_size", c.pinqueue->weight_bucket_size);
  }
}

// Our own section (upstream ignores it). The password is never quoted in a problem line.
void parse_cluster_follow(Reader root, std::optional<RestSourceConfig>& out) {
  auto rest = root.child("cluster_follow").child("rest_api");
  if (!rest.present()) return;
  RestSourceConfig c;
  rest.string("url", c.url);
  std::string user;
  std::string password;
  rest.string("basic_auth_user", user);
  rest.string("basic_auth_password", password);
  if (!user.empty() || !password.empty()) c.basic_auth = http::BasicAuth{user, password};
  rest.duration("poll_interval", c.poll_interval);
  out = std::move(c);
}

}  // namespace

namespace detail {

void parse_consensus(Reader root, Problems& problems, CrdtConfig& crdt) {
  auto consensus = root.child("consensus");
  if (!consensus.present()) {
    if (!problems.failed("consensus")) {
      problems.add_line("consensus", "template: consensus section is missing; a follower needs consensus.crdt");
    }
    return;
  }
  bool has_raft = consensus.find("raft") != nullptr;
  bool has_crdt = consensus.find("crdt") != nullptr;
  if (has_raft) {
    problems.add("consensus", has_crdt ? "both crdt and raft are present; a follower needs crdt only"
                                       : "raft is not supported; a follower needs crdt");
  } else if (!has_crdt) {
    problems.add_line("consensus.crdt", "template: consensus.crdt section is missing");
  }
  parse_crdt(consensus.child("crdt"), crdt);
}

void parse_datastore(Reader root, Problems& problems, std::string& out) {
  static constexpr std::string_view engines[] = {"badger", "badger3", "leveldb", "pebble"};
  auto ds = root.child("datastore");
  if (problems.failed("datastore")) return;
  std::vector<std::string> found;
  for (auto name : engines) {
    if (ds.find(name) != nullptr) found.emplace_back(name);
  }
  if (found.size() == 1) {
    out = found.front();
    return;
  }
  std::string which = found.empty() ? "none" : std::to_string(found.size()) + " (";
  for (std::size_t i = 0; i < found.size(); ++i) which += (i ? ", " : "") + found[i];
  if (!found.empty()) which += ")";
  problems.add("datastore", "exactly one of badger, badger3, leveldb, pebble is required, found " + which);
}

void parse_sections(const Json& doc, Problems& problems, Template& t) {
  Reader root(&doc, "", problems);
  if (const Json* source = root.find("source"); source != nullptr) {
    if (!source->is_string() || !source->get<std::string>().empty()) {
      problems.add_line("source", "template: a sourced configuration cannot point to another source");
    }
  }
  auto cluster = root.child("cluster");
  if (cluster.present()) {
    parse_cluster(cluster, t.cluster);
  } else if (!problems.failed("cluster")) {
    problems.add_line("cluster", "template: cluster section is missing");
  }
  parse_consensus(root, problems, t.crdt);
  parse_ipfshttp(root.child("ipfs_connector").child("ipfshttp"), t.ipfshttp);
  parse_stateless(root.child("pin_tracker").child("stateless"), t.stateless);
  parse_informers(root.child("informer"), t.informer);
  parse_datastore(root, problems, t.datastore);
  parse_cluster_follow(root, t.rest_api);
}

}  // namespace detail
}  // namespace cf::cluster
