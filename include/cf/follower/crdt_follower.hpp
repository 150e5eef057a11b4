// Follows a cluster the way its trusted peers publish it (DESIGN §4, source 1): joins the
// cluster's private libp2p network with the template's secret, keeps the peer_addresses
// connected, subscribes to the CRDT topic (only trusted authors accepted), fetches the DAG over
// bitswap with the sync engine (crdt/sync_engine.hpp), and hands every change of the pinset to
// the reconciler as a PinsetDiff. It also serves the DAG blocks it holds to other followers.
//
// What `status` and `info` need is written to state.db's meta table every few seconds (they
// run in other processes): connected trusted peers, when one was last connected, the last
// broadcast and merge times; heads, frontier and height come from the CRDT tables' counters.
// Pins whose value is not a valid cluster Pin are skipped (a version stored before stays),
// counted in cluster_follow_pins_skipped_total{reason} and logged (the first 10 of a run);
// names and metadata over the caps of cluster/pin.hpp are cut (pinset_diff_of).
//
// Ownership: the daemon owns it; it owns the libp2p host and services and the sync engine.
// Executor: the io_context's single thread (the store is used from it only). stop() stops the
// engine, the services, then the host, each joined.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <asio/io_context.hpp>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/cluster/pinset_diff.hpp"
#include "cf/cluster/template.hpp"
#include "cf/crdt/sync_state.hpp"
#include "cf/follower/metrics.hpp"
#include "cf/follower/reconciler.hpp"
#include "cf/identity/identity.hpp"
#include "cf/store/store.hpp"

namespace cf::follower {

// Meta keys the CRDT follower keeps for `status` (Unix seconds unless said otherwise).
namespace crdt_meta {
inline constexpr std::string_view trusted_connected = "crdt_trusted_connected";  // count, now
inline constexpr std::string_view trusted_seen_at = "crdt_trusted_seen_at";      // last time one was
inline constexpr std::string_view last_broadcast_at = "crdt_last_broadcast_at";
inline constexpr std::string_view last_merge_at = "crdt_last_merge_at";
inline constexpr std::string_view listen = "crdt_listen";  // our listen addresses, space separated
inline constexpr std::string_view started_at = "crdt_started_at";
}  // namespace crdt_meta

struct CrdtFollowerConfig {
  std::chrono::seconds status_interval{5};
  // How long, from the start of a catch-up, pins run one at a time (see pace_pinning).
  std::chrono::seconds catch_up_pin_hold{5 * 60};
};

class CrdtFollower {
 public:
  CrdtFollower(asio::io_context& io, store::Store& db, Reconciler& reconciler, Metrics& metrics,
               const identity::Identity& identity, const cluster::Template& tmpl, CrdtFollowerConfig config = {});
  ~CrdtFollower();
  CrdtFollower(const CrdtFollower&) = delete;
  CrdtFollower& operator=(const CrdtFollower&) = delete;

  // Listens (the template's listen addresses; a free port when those are taken), replays
  // changes a crash cut off, and starts the services, the dials and the sync engine.
  Status start();
  // Writes the status keys every status_interval until stop().
  Task<void> run();
  Task<void> stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The pinset change a batch of CRDT key changes makes. A key that is no pin CID or a value that
// is no valid Pin protobuf is skipped and counted in `metrics` (reason invalid_cid,
// invalid_field or too_large), and logged with its CID, the error escaped, while `logged` <
// `max_logged` (incremented per logged line); a skipped value never becomes a remove. Names and
// metadata are capped (cluster::cap_pin_fields; counted in pin_fields_capped_total).
cluster::PinsetDiff pinset_diff_of(const std::vector<crdt::KeyChange>& changes, Metrics& metrics, std::uint64_t& logged,
                                   std::uint64_t max_logged = 10);

// Whether the template says where and whom to follow over libp2p: trusted peers (or "*") and
// at least one peer address.
bool can_follow_over_libp2p(const cluster::Template& tmpl);

}  // namespace cf::follower
