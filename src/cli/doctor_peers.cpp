// doctor's trusted-peer checks over libp2p, all peers at once in one host session: for each
// template peer address, whether the peer is reachable over TCP, the private network (PSK) and
// Noise succeed, the peer ID matches, which protocols it speaks, its ping round trip, and then
// what following needs: its gossipsub hello lists the cluster topic, we are in its mesh or it
// gossips to us, and one CRDT head it announced is fetched from it over bitswap (verified,
// decoded as dag-pb).
#include "doctor_peers.hpp"

#include <algorithm>
#include <set>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <fmt/format.h>

#include "cf/base/log.hpp"
#include "cf/cluster/topic.hpp"
#include "cf/crdt/broadcast.hpp"
#include "cf/crdt/dagpb.hpp"
#include "cf/crdt/delta.hpp"
#include "cf/follower/pubsub_config.hpp"
#include "cf/p2p/bitswap/service.hpp"
#include "cf/p2p/gossipsub/service.hpp"
#include "cf/p2p/host/host.hpp"
#include "cf/p2p/identify/service.hpp"
#include "cf/p2p/ping/service.hpp"
#include "cf/p2p/pnet/psk.hpp"

namespace cf::cli {
namespace {

namespace mf = cf::multiformats;
namespace gs = cf::p2p::gossipsub;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto connect_timeout = std::chrono::seconds(20);

std::string protocols_text(const std::vector<std::string>& protocols) {
  std::string text;
  for (const auto& p : protocols) {
    if (p.starts_with("/meshsub/") || p.starts_with("/ipfs/bitswap") || p == "/ipfs/ping/1.0.0") {
      text += (text.empty() ? "" : " ") + p;
    }
  }
  return text.empty() ? "none of meshsub/bitswap/ping" : text;
}

struct Node {
  Node(asio::io_context& io, const identity::Identity& me, p2p::HostConfig config, gs::ServiceConfig pubsub)
      : host(io.get_executor(), std::move(config)), gossipsub(host, me.keypair(), std::move(pubsub)), bitswap(host, nullptr) {}
  p2p::Host host;
  p2p::identify::Service identify{host};
  p2p::ping::Service ping{host};
  gs::Service gossipsub;
  p2p::bitswap::Service bitswap;
  TaskSet tasks{host.executor(), log::get("doctor")};
};

// One peer's check as it goes.
struct Probe {
  PeerCheck check;
  std::optional<mf::PeerId> peer;
  bool connected = false;
  std::string connection_text;
  std::optional<mf::Cid> head;        // the first head announced to us through this peer
  std::optional<std::string> fetched;  // the head as fetched, or why it failed
  bool finished = false;
};

Task<void> connect_and_ping(Node& node, Probe& probe, mf::Multiaddr address, bool private_network) {
  auto connection = co_await with_timeout(node.host.connect(address), connect_timeout, "connecting");
  if (!connection) {
    probe.check.detail = connection.error().message();
    probe.finished = true;
    co_return;
  }
  std::string protocols = "identify failed";
  if (auto identified = co_await node.identify.wait_identified(*connection); !identified) {
    protocols += ": " + identified.error().message();
  } else if (const auto* record = node.host.peers().find((*connection)->remote_peer())) {
    // Escaped where the line is printed (doctor's print); only cut here.
    protocols = protocols_text(record->identify->protocols);
    if (protocols.size() > 256) protocols = protocols.substr(0, 256) + "...";
  }
  auto rtt = co_await node.ping.ping((*connection)->remote_peer());
  std::string ping = rtt ? fmt::format("ping {:.2f} ms", std::chrono::duration<double, std::milli>(*rtt).count())
                         : "ping failed: " + rtt.error().message();
  probe.connected = rtt.has_value();
  probe.connection_text = fmt::format("reachable, {}, Noise ok, peer ID matches; protocols: {}; {}",
                                      private_network ? "private network ok" : "no private network (no secret)",
                                      protocols, ping);
  if (!probe.connected) {
    probe.check.detail = probe.connection_text;
    probe.finished = true;
  }
}

Task<void> fetch_head(Node& node, Probe& probe, mf::Cid head, mf::PeerId from) {
  auto block = co_await with_timeout(node.bitswap.get(head, from), 30s, "fetching the head");
  if (!block) {
    probe.fetched = "head " + head.to_string() + " announced but not fetched: " + block.error().message();
    co_return;
  }
  auto decoded = crdt::decode_dagpb(*block);
  if (!decoded) {
    probe.fetched = "head " + head.to_string() + " fetched but not dag-pb: " + decoded.error().message();
    co_return;
  }
  auto delta = decoded->data ? crdt::decode_delta(*decoded->data) : Result<crdt::Delta>(crdt::Delta{});
  probe.fetched = fmt::format("head {} fetched ({} bytes, height {})", head.to_string(), block->size(),
                              delta ? std::to_string(delta->priority) : "unreadable");
}

// What we know of the peer's pubsub side, for the line.
std::string pubsub_text(const Node& node, const Probe& probe, const std::string& topic, bool& ok) {
  auto info = node.gossipsub.router().peer_info(*probe.peer);
  const gs::PeerTopicInfo* t = nullptr;
  if (info) {
    for (const auto& entry : info->topics) t = entry.topic == topic ? &entry : t;
  }
  if (!info || !info->hello_seen) {
    ok = false;
    return "no pubsub hello from it";
  }
  if (!t || !t->subscribed) {
    ok = false;
    return "not subscribed to the cluster topic " + topic;
  }
  std::string mesh = "subscribed to " + topic;
  switch (t->their_mesh) {
    case gs::RemoteMesh::they_pruned:
      mesh += t->last_ihave ? ", pruned us from its mesh but gossips to us" : ", pruned us from its mesh";
      break;
    case gs::RemoteMesh::unknown:
    case gs::RemoteMesh::we_pruned:
      mesh += t->last_ihave ? ", gossips to us" : ", not in its mesh";
      break;
    default:
      mesh += ", in its mesh";
  }
  return mesh;
}

void finish(const Node& node, Probe& probe, const std::string& topic) {
  if (probe.finished) return;
  bool pubsub_ok = true;
  auto pubsub = pubsub_text(node, probe, topic, pubsub_ok);
  std::string head = probe.fetched.value_or("no head announced through it yet (an empty or quiet cluster?)");
  probe.check.ok = pubsub_ok;
  probe.check.warn = pubsub_ok && (!probe.fetched || !probe.fetched->starts_with("head") ||
                                   probe.fetched->find("fetched (") == std::string::npos);
  probe.check.detail = probe.connection_text + "; " + pubsub + "; " + head;
  probe.finished = true;
}

}  // namespace

std::vector<PeerCheck> check_trusted_peers(const identity::Identity& identity, const cluster::Template& tmpl) {
  p2p::HostConfig config{.identity = identity, .psk = std::nullopt, .listen_addrs = {}};
  config.dial_timeout = std::chrono::milliseconds(connect_timeout);
  config.psk = follower::cluster_psk(tmpl);
  const auto topic = cluster::pubsub_topic(tmpl.crdt.cluster_name);
  // A head reaches a new subscriber at the next rebroadcast (every rebroadcast_interval ±30%).
  const auto head_wait = std::min<Clock::duration>(tmpl.crdt.rebroadcast_interval * 13 / 10 + 10s, 100s);
  asio::io_context io;
  Node node(io, identity, std::move(config), follower::pubsub_service_config(tmpl));
  std::vector<Probe> probes(tmpl.cluster.peer_addresses.size());
  follower::watch_crdt_topic(node.gossipsub, tmpl);
  node.gossipsub.on_delivery([&](const gs::Delivery& d) {
    auto heads = crdt::decode_broadcast(d.message.data);
    if (!heads || heads->empty()) return;
    for (auto& probe : probes) {
      if (probe.peer != d.received_from || probe.head) continue;
      probe.head = heads->front();
      node.tasks.spawn(fetch_head(node, probe, heads->front(), d.received_from), "fetch head");
    }
  });
  node.gossipsub.start();
  node.bitswap.start();
  asio::co_spawn(io, [&]() -> Task<void> {
    for (std::size_t i = 0; i < probes.size(); ++i) {
      const auto& address = tmpl.cluster.peer_addresses[i];
      probes[i].check.address = address.to_string();
      probes[i].peer = address.peer_id();
      node.tasks.spawn(connect_and_ping(node, probes[i], address, !tmpl.cluster.secret.empty()), "check peer");
    }
    const auto deadline = Clock::now() + connect_timeout + head_wait;
    auto all_done = [&] {
      return std::all_of(probes.begin(), probes.end(), [](const Probe& p) { return p.finished || p.fetched; });
    };
    while (Clock::now() < deadline && !all_done()) co_await cf::detail::sleep_for(200ms);
    for (auto& probe : probes) finish(node, probe, topic);
    node.tasks.cancel();
    co_await node.tasks.wait_idle();
    co_await node.gossipsub.stop();
    co_await node.bitswap.stop();
    co_await node.identify.stop();
    co_await node.host.stop();
  }, asio::detached);
  io.run();
  std::vector<PeerCheck> checks;
  for (auto& probe : probes) checks.push_back(std::move(probe.check));
  return checks;
}

}  // namespace cf::cli
