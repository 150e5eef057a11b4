#include "cf/follower/crdt_follower.hpp"

#include <algorithm>
#include <ctime>
#include <regex>

#include "cf/base/log.hpp"
#include "cf/base/printable.hpp"
#include "cf/base/task_set.hpp"
#include "cf/cluster/pin_proto.hpp"
#include "cf/cluster/topic.hpp"
#include "cf/crdt/broadcast.hpp"
#include "cf/crdt/keys.hpp"
#include "cf/crdt/sync_engine.hpp"
#include "cf/follower/pubsub_config.hpp"
#include "cf/follower/source_meta.hpp"
#include "cf/p2p/bitswap/service.hpp"
#include "cf/p2p/gossipsub/service.hpp"
#include "cf/p2p/host/host.hpp"
#include "cf/p2p/identify/service.hpp"
#include "cf/p2p/ping/service.hpp"
#include "cf/p2p/transport/tcp.hpp"

namespace cf::follower {
namespace {

namespace mf = cf::multiformats;
namespace gs = cf::p2p::gossipsub;
using SteadyClock = std::chrono::steady_clock;

std::shared_ptr<spdlog::logger> logger() { return log::get("crdt"); }
std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

// The DAG blocks we merged, served to other followers over bitswap.
class DagBlocks final : public p2p::bitswap::BlockStore {
 public:
  explicit DagBlocks(crdt::SyncState& state) : state_(state) {}
  std::optional<Bytes> get(const mf::Multihash& hash) const override {
    auto block = state_.block(hash);
    return block ? *block : std::nullopt;
  }
  bool has(const mf::Multihash& hash) const override {
    auto processed = state_.is_processed(hash);
    return processed && *processed;
  }

 private:
  crdt::SyncState& state_;
};

class BitswapGetter final : public crdt::BlockGetter {
 public:
  explicit BitswapGetter(p2p::bitswap::Service& bitswap) : bitswap_(bitswap) {}
  Task<Result<Bytes>> get(const mf::Cid& cid, const std::optional<mf::PeerId>& hint) override {
    return bitswap_.get(cid, hint);
  }

 private:
  p2p::bitswap::Service& bitswap_;
};

// The template's TCP listen addresses; a port another process holds becomes 0 (any free
// port), so that several clusters, or a follower beside a cluster peer, share one host.
std::vector<mf::Multiaddr> listen_addresses(const asio::any_io_executor& executor, const cluster::Template& tmpl) {
  std::vector<mf::Multiaddr> out;
  for (const auto& address : tmpl.cluster.listen_multiaddress) {
    if (!p2p::transport::tcp_target(address)) continue;
    if (auto probe = p2p::transport::TcpListener::listen(executor, address)) {
      probe->close();
      out.push_back(address);
      continue;
    }
    static const std::regex port("/tcp/[0-9]+");
    auto any = mf::Multiaddr::parse(std::regex_replace(address.to_string(), port, "/tcp/0"));
    if (!any) continue;
    logger()->warn("{} is taken; listening on a free port instead", address.to_string());
    out.push_back(*any);
  }
  return out;
}

}  // namespace

bool can_follow_over_libp2p(const cluster::Template& tmpl) {
  return (tmpl.crdt.trust_all || !tmpl.crdt.trusted_peers.empty()) && !tmpl.cluster.peer_addresses.empty();
}

struct CrdtFollower::Impl {
  Impl(asio::io_context& io, store::Store& db, Reconciler& reconciler, Metrics& metrics,
       const identity::Identity& identity, const cluster::Template& tmpl, CrdtFollowerConfig config)
      : db(db),
        reconciler(reconciler),
        metrics(metrics),
        tmpl(tmpl),
        config(config),
        host(io.get_executor(), p2p::HostConfig{.identity = identity,
                                                .psk = cluster_psk(tmpl),
                                                .listen_addrs = listen_addresses(io.get_executor(), tmpl)}),
        gossipsub(host, identity.keypair(), pubsub_service_config(tmpl)),
        state(db),
        blocks(state),
        bitswap(host, &blocks),
        getter(bitswap),
        engine(io.get_executor(), state, getter, [this](const auto& changes) { return apply(changes); }),
        tick(io.get_executor()) {
    for (const auto& peer : tmpl.crdt.trusted_peers) trusted.insert(peer);
  }

  Status apply(const std::vector<crdt::KeyChange>& changes);
  P2pCounts p2p_counts();
  void pace_pinning(SteadyClock::time_point now);
  void write_status();
  void log_progress(SteadyClock::time_point now);

  store::Store& db;
  Reconciler& reconciler;
  Metrics& metrics;
  cluster::Template tmpl;
  CrdtFollowerConfig config;
  std::set<mf::PeerId> trusted;
  p2p::Host host;
  p2p::identify::Service identify{host};
  p2p::ping::Service ping{host};
  gs::Service gossipsub;
  crdt::SyncState state;
  DagBlocks blocks;
  p2p::bitswap::Service bitswap;
  BitswapGetter getter;
  crdt::SyncEngine engine;
  Signal tick;
  std::uint64_t bad_pins = 0;
  std::uint64_t merged_at_last_log = 0;
  std::optional<SteadyClock::time_point> behind_since;
  SteadyClock::time_point last_log{};
  bool stopping = false;
};

cluster::PinsetDiff pinset_diff_of(const std::vector<crdt::KeyChange>& changes, Metrics& metrics, std::uint64_t& logged,
                                   std::uint64_t max_logged) {
  cluster::PinsetDiff diff;
  for (const auto& change : changes) {
    auto cid = crdt::pin_cid_from_key(change.key);
    if (!cid) {
      metrics.count_skipped_pins(cluster::to_string(cluster::BadPinReason::invalid_cid), 1);
      if (logged++ < max_logged) {
        logger()->warn("skipping a pinset key that is not a CID: {}", printable(cid.error().message(), 512));
      }
      continue;
    }
    if (!change.after) {
      diff.removes.push_back(*cid);
      continue;
    }
    auto pin = cluster::pin_from_protobuf(*change.after, *cid);
    if (!pin) {
      // Skipped, not removed: a version of this pin stored before stays (fail-closed).
      auto reason = pin.error() == cluster::pinset_errc::too_large ? cluster::BadPinReason::too_large
                                                                   : cluster::BadPinReason::invalid_field;
      metrics.count_skipped_pins(cluster::to_string(reason), 1);
      if (logged++ < max_logged) {
        logger()->warn("skipping a bad pin, reason {} ({}, the version stored before is kept): {}",
                       cluster::to_string(reason), cid->to_string(), printable(pin.error().message(), 512));
      }
      continue;
    }
    auto capped = cluster::cap_pin_fields(*pin);
    if (capped.name) metrics.count_capped_pins("name", 1);
    if (capped.metadata) metrics.count_capped_pins("metadata", 1);
    if (capped.any() && logged++ < max_logged) {
      logger()->warn("pin {}: name or metadata over the follower's cap ({} / {} bytes), cut", cid->to_string(),
                     cluster::max_pin_name_size, cluster::max_pin_metadata_size);
    }
    diff.puts.push_back(std::move(*pin));
  }
  return diff;
}

Status CrdtFollower::Impl::apply(const std::vector<crdt::KeyChange>& changes) {
  auto diff = pinset_diff_of(changes, metrics, bad_pins);
  if (diff.puts.empty() && diff.removes.empty()) return ok();
  logger()->debug("pinset: {} new or changed, {} removed", diff.puts.size(), diff.removes.size());
  return reconciler.apply(diff);
}

CrdtFollower::CrdtFollower(asio::io_context& io, store::Store& db, Reconciler& reconciler, Metrics& metrics,
                           const identity::Identity& identity, const cluster::Template& tmpl, CrdtFollowerConfig config)
    : impl_(std::make_unique<Impl>(io, db, reconciler, metrics, identity, tmpl, config)) {}

CrdtFollower::~CrdtFollower() = default;

Status CrdtFollower::start() {
  auto& m = *impl_;
  CF_TRY(m.host.start());
  std::string listen;
  for (const auto& a : m.host.listen_addrs()) {
    if (!listen.empty()) listen += ' ';
    listen += a.with_peer_id(m.host.id()).to_string();
  }
  CF_TRY(m.db.set_meta(crdt_meta::listen, listen));
  CF_TRY(m.db.set_meta(meta_key::source_kind, "crdt"));
  CF_TRY(m.db.set_meta(crdt_meta::started_at, std::to_string(unix_now())));
  CF_TRY(m.engine.replay_pending());
  watch_crdt_topic(m.gossipsub, m.tmpl);
  m.gossipsub.on_delivery([&m](const gs::Delivery& d) {
    auto heads = crdt::decode_broadcast(d.message.data);
    if (!heads) {
      logger()->debug("undecodable broadcast from {}: {}", d.author.to_string(), heads.error().message());
      return;
    }
    m.engine.on_broadcast(std::move(*heads), d.author);
  });
  m.gossipsub.start();
  m.bitswap.start();
  m.host.keep_connected(m.tmpl.cluster.peer_addresses);
  m.engine.start();
  m.metrics.set_p2p_source([&m] { return m.p2p_counts(); });
  logger()->info("following over libp2p: listening on {}; topic {}", listen.empty() ? "nothing (dial only)" : listen,
                 cluster::pubsub_topic(m.tmpl.crdt.cluster_name));
  return ok();
}

Task<void> CrdtFollower::run() {
  auto& m = *impl_;
  int ticks = 0;
  auto next_status = SteadyClock::now();
  while (!m.stopping) {
    const auto now = SteadyClock::now();
    m.pace_pinning(now);
    if (now >= next_status) {
      m.write_status();
      m.log_progress(now);
      next_status = now + m.config.status_interval;
      if (++ticks % 120 == 0) (void)m.state.prune_heads(unix_now() - 3600);
    }
    co_await m.tick.wait_until(now + std::chrono::seconds(1));
  }
  m.reconciler.limit_pins(std::nullopt);
}

// While the DAG is behind (blocks pending, heads not merged), one pin at a time: learning the
// pinset is cheap and bounded by round trips to the trusted peers, pinning is expensive, and on
// a small machine the two compete (bench/crdt_sync_bench.sh, 2 cores: a 10,000-node DAG synced
// in 15 s this way, 27 s with 10 pins at once). Only
// for the first catch_up_pin_hold of a catch-up, so that a long one over a slow link does not
// hold pinning back for long.
void CrdtFollower::Impl::pace_pinning(SteadyClock::time_point now) {
  const auto& stats = engine.stats();
  auto counts = state.counts();
  const bool behind = stats.in_flight + stats.awaiting_merge > 0 ||
                      (counts && (counts->frontier > 0 || counts->heads_processed < counts->heads));
  if (!behind) {
    behind_since.reset();
  } else if (!behind_since) {
    behind_since = now;
  }
  const bool hold = behind_since && now - *behind_since < config.catch_up_pin_hold;
  reconciler.limit_pins(hold ? std::optional<int>(1) : std::nullopt);
}

void CrdtFollower::Impl::write_status() {
  const auto now = unix_now();
  int connected = 0;
  for (const auto& peer : trusted) connected += host.connection(peer) ? 1 : 0;
  auto set = [this](std::string_view key, std::int64_t value) {
    if (auto s = db.set_meta(key, std::to_string(value)); !s) logger()->debug("{}", s.error().message());
  };
  set(crdt_meta::trusted_connected, connected);
  if (connected > 0 || tmpl.crdt.trust_all) set(crdt_meta::trusted_seen_at, now);
  const auto& stats = engine.stats();
  auto unix_of = [now](SteadyClock::time_point t) {
    return now - std::chrono::duration_cast<std::chrono::seconds>(SteadyClock::now() - t).count();
  };
  if (stats.last_broadcast) set(crdt_meta::last_broadcast_at, unix_of(*stats.last_broadcast));
  if (stats.last_merge) set(crdt_meta::last_merge_at, unix_of(*stats.last_merge));
  // "Synced" for status and /health: in sync with every head announced, or making progress.
  auto counts = state.counts();
  const bool in_sync = counts && counts->heads > 0 && counts->heads_processed == counts->heads && counts->frontier == 0;
  const bool progressing = stats.last_merge && SteadyClock::now() - *stats.last_merge < 2 * config.status_interval;
  if (in_sync || progressing) set(meta_key::source_last_sync, now);
}

P2pCounts CrdtFollower::Impl::p2p_counts() {
  const auto& ps = gossipsub.router().counters();
  const auto& bs = bitswap.client().counters();
  const auto& stats = engine.stats();
  auto counts = state.counts();
  auto count = [&](std::uint64_t crdt::SyncCounts::*field) {
    return counts ? static_cast<std::int64_t>((*counts).*field) : std::int64_t{0};
  };
  return P2pCounts{.peers = static_cast<std::int64_t>(host.connections().size()),
                   .delivered = ps.delivered,
                   .duplicates = ps.duplicates,
                   .bad_signature = ps.bad_signature,
                   .untrusted_author = ps.untrusted_author,
                   .malformed_rpc = ps.malformed,
                   .unsubscribed_topic = ps.unsubscribed_topic,
                   .blocks_received = bs.blocks_received,
                   .bad_blocks = bs.bad_blocks,
                   .unwanted_blocks = bs.unwanted_blocks,
                   .dag_fetched = stats.fetched,
                   .dag_merged = stats.merged,
                   .dag_bad_nodes = stats.bad_nodes,
                   .dag_in_flight = static_cast<std::int64_t>(stats.in_flight + stats.awaiting_merge),
                   .frontier = count(&crdt::SyncCounts::frontier),
                   .heads = count(&crdt::SyncCounts::heads),
                   .max_height = count(&crdt::SyncCounts::max_height),
                   .processed = count(&crdt::SyncCounts::processed)};
}

// While the DAG is being caught up: one line every 10 s with the rate and a rough ETA (a
// linear DAG has about one node per height).
void CrdtFollower::Impl::log_progress(SteadyClock::time_point now) {
  const auto& stats = engine.stats();
  auto counts = state.counts();
  if (!counts || (counts->frontier == 0 && stats.in_flight == 0)) return;
  if (now - last_log < std::chrono::seconds(10)) return;
  const double seconds = last_log == SteadyClock::time_point{} ? 0.0 : std::chrono::duration<double>(now - last_log).count();
  const double rate = seconds > 0 ? static_cast<double>(stats.merged - merged_at_last_log) / seconds : 0.0;
  std::string eta;
  if (rate > 0 && counts->max_height > counts->processed) {
    const auto left = static_cast<long>(static_cast<double>(counts->max_height - counts->processed) / rate);
    eta = fmt::format(", about {} s left", left);
  }
  logger()->info("dag sync: {} nodes merged ({:.0f}/s), frontier {}, {} in flight, height {}, heads {}/{} merged{}",
                 counts->processed, rate, counts->frontier, stats.in_flight, counts->max_height, counts->heads_processed,
                 counts->heads, eta);
  last_log = now;
  merged_at_last_log = stats.merged;
}

Task<void> CrdtFollower::stop() {
  auto& m = *impl_;
  m.stopping = true;
  m.metrics.set_p2p_source({});
  m.tick.notify();
  co_await m.engine.stop();
  co_await m.gossipsub.stop();
  co_await m.bitswap.stop();
  co_await m.identify.stop();
  co_await m.host.stop();
}

}  // namespace cf::follower
