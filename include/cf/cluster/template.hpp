// The follower template: the service.json a collaborative cluster publishes for its followers.
//
// Ports the follower-relevant parts of ipfs-cluster's component configs (cluster_config.go,
// consensus/crdt/config.go, ipfsconn/ipfshttp/config.go, pintracker/stateless/config.go,
// informer/{disk,tags,pinqueue}/config.go), one typed struct per section with upstream's
// defaults for omitted keys, plus the whole document as text (`raw_json`) for sections we do
// not model (monitor, allocator, datastore options, ...).
//
// Deliberate differences from upstream, all stricter or clearer:
// - every problem is reported (upstream stops at the first), one line each, naming section
//   and key: "template: cluster.secret: must be 64 hex characters (32 bytes), got 10 characters";
// - a malformed duration is an error everywhere (upstream ignores some, e.g. in crdt);
// - omitted keys inside a present sub-object (connection_manager, pubsub) keep their defaults
//   (upstream zeroes them and then fails validation);
// - peer_addresses must end in /p2p/<id>, trusted_peers must not be empty (upstream accepts
//   both and then cannot bootstrap / trusts nobody);
// - a template naming another `source` is rejected without fetching it.
// One section is ours, not upstream's (which ignores unknown sections): "cluster_follow",
// holding "rest_api" (see rest_source.hpp), the REST API pinset source.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/cluster/duration.hpp"
#include "cf/cluster/rest_source.hpp"
#include "cf/http/client.hpp"
#include "cf/multiformats/multiaddr.hpp"
#include "cf/multiformats/peer_id.hpp"

namespace cf::cluster {

using multiformats::Multiaddr;
using multiformats::PeerId;

// "/ip4/127.0.0.1/tcp/5001", upstream's and Kubo's default API address.
Multiaddr default_node_multiaddress();

struct ConnectionManagerConfig {
  int high_water = 400;
  int low_water = 100;
  Duration grace_period = std::chrono::minutes(2);
};

struct PubSubConfig {
  Duration seen_messages_ttl = std::chrono::minutes(30);
  Duration heartbeat_interval = std::chrono::seconds(10);
  int d_factor = 4;
  int history_gossip = 2;
  int history_length = 6;
  bool flood_publish = false;
};

// Section "cluster".
struct ClusterConfig {
  Bytes secret;  // 32-byte pnet PSK; empty = no private network
  std::string peername;  // empty: the caller picks (upstream: the hostname)
  bool leave_on_shutdown = false;  // followers ignore it (it would wipe their state)
  std::vector<Multiaddr> listen_multiaddress;  // required, non-empty
  std::vector<Multiaddr> announce_multiaddress;
  std::vector<Multiaddr> no_announce_multiaddress;
  bool enable_relay_hop = false;  // omitted booleans are false, as in upstream's JSON loading
  ConnectionManagerConfig connection_manager;
  PubSubConfig pubsub;
  Duration dial_peer_timeout = std::chrono::seconds(3);
  Duration state_sync_interval = std::chrono::minutes(5);
  Duration pin_recover_interval = std::chrono::minutes(12);
  int replication_factor_min = -1;
  int replication_factor_max = -1;
  Duration monitor_ping_interval = std::chrono::seconds(15);
  Duration peer_watch_interval = std::chrono::seconds(5);
  Duration mdns_interval = std::chrono::seconds(10);  // 0 disables mDNS
  bool disable_repinning = false;  // upstream's default is true, but omitted in JSON = false
  bool follower_mode = false;  // the follower forces it on anyway
  std::vector<Multiaddr> peer_addresses;  // each ends in /p2p/<id>
};

struct BatchingConfig {
  int max_batch_size = 0;
  Duration max_batch_age = Duration::zero();
  int max_queue_size = 50000;
};

// Section "consensus.crdt".
struct CrdtConfig {
  std::string cluster_name = "ipfs-cluster";
  bool trust_all = false;  // trusted_peers contained "*"
  std::vector<PeerId> trusted_peers;
  BatchingConfig batching;
  Duration rebroadcast_interval = std::chrono::minutes(1);
  Duration repair_interval = std::chrono::hours(1);
  std::string peerset_metric = "ping";
  std::string datastore_namespace = "/c";
};

// Section "ipfs_connector.ipfshttp".
struct IpfsHttpConfig {
  Multiaddr node_multiaddress = default_node_multiaddress();
  http::Endpoint node_endpoint{"http://127.0.0.1:5001", ""};  // kubo_endpoint(node_multiaddress)
  Duration connect_swarms_delay = std::chrono::seconds(30);  // 0 disables the swarm/connect round
  Duration ipfs_request_timeout = std::chrono::minutes(5);
  Duration pin_timeout = std::chrono::minutes(2);  // no-progress timeout of pin/add
  Duration unpin_timeout = std::chrono::hours(3);
  Duration repogc_timeout = std::chrono::hours(24);
  int informer_trigger_interval = 0;
  bool unpin_disable = false;
};

// Section "pin_tracker.stateless".
struct StatelessConfig {
  int concurrent_pins = 10;
  Duration priority_pin_max_age = std::chrono::hours(24);
  int priority_pin_max_retries = 5;
  int max_pin_queue_size = 1'000'000;
};

struct DiskInformerConfig {
  Duration metric_ttl = std::chrono::seconds(30);
  std::string metric_type = "freespace";  // or "reposize"
};
struct TagsInformerConfig {
  Duration metric_ttl = std::chrono::seconds(30);
  std::map<std::string, std::string> tags{{"group", "default"}};
};
struct PinQueueInformerConfig {
  Duration metric_ttl = std::chrono::seconds(30);
  int weight_bucket_size = 100000;
};

// Section "informer": only the informers present in the template run (at least one).
struct InformerConfig {
  std::optional<DiskInformerConfig> disk;
  std::optional<TagsInformerConfig> tags;
  std::optional<PinQueueInformerConfig> pinqueue;
};

// The secret (cluster.secret) and the whole text (raw_json, which holds it in hex) are wiped
// when a Template is destroyed, so a freed copy does not leave the cluster secret in memory.
struct Template {
  Template() = default;
  Template(const Template&) = default;
  Template(Template&&) noexcept = default;
  Template& operator=(const Template&) = default;
  Template& operator=(Template&&) noexcept = default;
  ~Template();

  ClusterConfig cluster;
  CrdtConfig crdt;
  IpfsHttpConfig ipfshttp;
  StatelessConfig stateless;
  InformerConfig informer;
  std::string datastore;  // "badger", "badger3", "leveldb" or "pebble"
  std::optional<RestSourceConfig> rest_api;  // "cluster_follow.rest_api" (ours); none: absent
  std::string raw_json;   // the whole template (after env overrides, when applied)
  // Values that were adjusted rather than refused ("template: <path>: ... using ..."): the
  // daemon logs them at start and on reload.
  std::vector<std::string> warnings;
};

// Overwrites `text` (sodium_memzero over its size and capacity) and empties it: for buffers that
// held a template's text, which carries the cluster secret.
void wipe_template_text(std::string& text);

// Parses and validates a template. On failure: errc::invalid_template, the detail being every
// problem line joined with '\n' (see template_problems).
Result<Template> parse_template(std::string_view json_text);

// The problem lines parse_template would report, section by section in service.json order
// (cluster, consensus, ipfs_connector, pin_tracker, informer, datastore, then our
// cluster_follow); empty when valid.
std::vector<std::string> template_problems(std::string_view json_text);

// Range and consistency checks on a typed template (parse_template runs them too).
std::vector<std::string> validate(const Template& t);

// ipfshttp.node_multiaddress → where to send Kubo RPC requests:
// /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port> → http://host:port (IPv6 in brackets),
// /unix/<path> → that unix socket. errc::unsupported_endpoint otherwise.
Result<http::Endpoint> kubo_endpoint(const Multiaddr& address);

}  // namespace cf::cluster
