// What `info`, `status` and `list` show, read from state.db without talking to the daemon
// (DESIGN §2: `list` works whether or not the daemon runs). Read-only: never creates,
// migrates or writes the database.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/cluster/template.hpp"
#include "cf/follower/paths.hpp"
#include "cf/store/store.hpp"

namespace cf::follower {

// How following over libp2p is going (source_kind "crdt"), from the CRDT tables' counters and
// the meta keys the daemon refreshes every few seconds (crdt_follower.hpp).
struct CrdtStatus {
  std::int64_t trusted_connected = 0;              // trusted peers connected at the last refresh
  std::optional<std::int64_t> trusted_seen_at;     // last time one was connected (Unix s)
  std::optional<std::int64_t> last_broadcast_at;   // last head broadcast received
  std::optional<std::int64_t> last_merge_at;       // last DAG node merged
  std::optional<std::int64_t> started_at;          // when the running daemon started following
  std::int64_t heads = 0;                          // heads announced recently
  std::int64_t heads_merged = 0;                   // of those, merged
  std::int64_t frontier = 0;                       // blocks needed and not merged
  std::int64_t failing = 0;                        // of those, blocks whose last attempt failed
  std::int64_t processed = 0;                      // DAG nodes merged
  std::int64_t max_height = 0;
  std::int64_t blocks = 0;                         // DAG blocks kept (served to other followers)
  std::int64_t block_bytes = 0;
  std::string listen;                              // our listen addresses, space separated

  bool in_sync() const { return heads > 0 && heads_merged == heads && frontier == 0; }
};

struct StatusSnapshot {
  std::string source;                          // from service.json
  std::optional<pid_t> daemon_pid;             // the running `run`, if any
  bool has_store = false;                      // state.db exists (run has started once)
  std::optional<std::int64_t> template_fetched_at;  // Unix seconds of the cached template
  std::optional<cluster::Template> cached_template;
  std::int64_t pins = 0;                       // size of the desired pinset
  std::map<std::string, std::int64_t> by_status;  // only statuses with a non-zero count
  std::string source_kind;                     // "rest" once a pinset source has run; "" never
  std::optional<std::int64_t> source_last_sync;   // Unix seconds of the last good sync
  std::string source_last_error;               // why the last sync failed; "" when it did not
  std::optional<CrdtStatus> crdt;              // when source_kind is "crdt"
  // Other clusters under the same config folder whose state.db cannot be read (name → why):
  // the daemon holds unpins while any is (siblings.hpp).
  std::map<std::string, std::string> unreadable_siblings;
  // Bytes an unprivileged writer may still use on the file system holding the cluster folder;
  // nullopt when statvfs fails. Below store_space_low, status is degraded (disk full).
  std::optional<std::int64_t> store_free_bytes;
};

// The daemon cannot record statuses when SQLite cannot grow state.db or its WAL.
inline constexpr std::int64_t store_space_low = 1 << 20;
// Why the store is in trouble ("" when it is not): disk nearly full, unreadable siblings.
std::string store_trouble(const StatusSnapshot& snap);

Result<StatusSnapshot> read_status(const ClusterPaths& paths);

// The O(1) counts state.db keeps by trigger: pinset size and pins per status (non-zero only).
struct PinCounts {
  std::int64_t pins = 0;
  std::map<std::string, std::int64_t> by_status;

  std::int64_t of(const std::string& status) const {
    auto it = by_status.find(status);
    return it == by_status.end() ? 0 : it->second;
  }
};
Result<PinCounts> read_pin_counts(store::Store& db);

struct PinRow {
  std::string status;
  std::string cid;
  std::string name;
  std::string error;
  std::int64_t attempts = 0;
  std::optional<std::int64_t> next_retry_at;
  std::int64_t updated_at = 0;
};

// Streams every pin status row (ordered by CID bytes), keeping only `statuses` when not empty.
// Unknown status names are an error naming them.
Status for_each_pin(const ClusterPaths& paths, const std::vector<std::string>& statuses,
                    const std::function<void(const PinRow&)>& on_row);

// Kubo RPC credentials, as Kubo's AuthSecret ("basic:u:p", "bearer:t" or "t"). From the
// environment only: a secret for the user's Kubo never comes from the cluster's template.
inline constexpr std::string_view kubo_auth_env = "CLUSTER_FOLLOW_KUBO_AUTH";
Result<http::Auth> kubo_auth_from_env(const Getenv& getenv);

// Where Kubo's API is, without fetching anything: the cached template's node_multiaddress,
// else upstream's default; CLUSTER_IPFSHTTP_NODEMULTIADDRESS overrides either.
struct KuboAddress {
  std::string multiaddr;
  http::Endpoint endpoint;
  http::Auth auth;
};
Result<KuboAddress> kubo_address(const StatusSnapshot& snapshot, const Getenv& getenv);

// One quick probe of Kubo's /api/v0/version (5 s), for info, status and doctor.
struct KuboReport {
  std::string address;  // the multiaddr probed ("" when it could not be worked out)
  bool reachable = false;
  std::string version;
  std::string error;
};
KuboReport probe_kubo_version(const StatusSnapshot& snapshot, const Getenv& getenv);

}  // namespace cf::follower
