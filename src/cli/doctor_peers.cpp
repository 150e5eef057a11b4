// doctor's trusted-peer checks over libp2p: for each template peer address, one line saying
// whether the peer is reachable over TCP, the private network (PSK) and Noise succeed, the
// peer ID matches, which protocols it speaks, and its ping round trip.
#include "doctor_peers.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <fmt/format.h>

#include "cf/base/printable.hpp"
#include "cf/p2p/host/host.hpp"
#include "cf/p2p/identify/service.hpp"
#include "cf/p2p/ping/service.hpp"
#include "cf/p2p/pnet/psk.hpp"

namespace cf::cli {
namespace {

constexpr auto peer_timeout = std::chrono::seconds(20);

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
  Node(asio::io_context& io, p2p::HostConfig config) : host(io.get_executor(), std::move(config)) {}
  p2p::Host host;
  p2p::identify::Service identify{host};
  p2p::ping::Service ping{host};
};

Task<PeerCheck> check_one(Node& node, multiformats::Multiaddr address, bool private_network) {
  PeerCheck check{address.to_string(), false, {}};
  auto connection = co_await node.host.connect(address);
  if (!connection) {
    check.detail = connection.error().message();
    co_return check;
  }
  std::string protocols = "identify failed";
  if (auto identified = co_await node.identify.wait_identified(*connection); !identified) {
    protocols += ": " + identified.error().message();
  } else if (const auto* record = node.host.peers().find((*connection)->remote_peer())) {
    protocols = printable(protocols_text(record->identify->protocols));
  }
  auto rtt = co_await node.ping.ping((*connection)->remote_peer());
  std::string ping = rtt ? fmt::format("ping {:.2f} ms", std::chrono::duration<double, std::milli>(*rtt).count())
                         : "ping failed: " + rtt.error().message();
  check.ok = rtt.has_value();
  check.detail = fmt::format("reachable, {}, Noise ok, peer ID matches; protocols: {}; {}",
                             private_network ? "private network ok" : "no private network (no secret)", protocols,
                             ping);
  co_return check;
}

}  // namespace

std::vector<PeerCheck> check_trusted_peers(const identity::Identity& identity, const cluster::Template& tmpl) {
  std::vector<PeerCheck> checks;
  p2p::HostConfig config{identity, std::nullopt, {}};
  config.dial_timeout = std::chrono::milliseconds(peer_timeout);
  if (!tmpl.cluster.secret.empty()) {
    p2p::pnet::Psk psk{};
    std::copy(tmpl.cluster.secret.begin(), tmpl.cluster.secret.end(), psk.key.begin());
    config.psk = psk;
  }
  asio::io_context io;
  Node node(io, std::move(config));
  asio::co_spawn(io, [&]() -> Task<void> {
    for (const auto& address : tmpl.cluster.peer_addresses) {
      checks.push_back(co_await check_one(node, address, !tmpl.cluster.secret.empty()));
    }
    co_await node.identify.stop();
    co_await node.host.stop();
  }, asio::detached);
  io.run();
  return checks;
}

}  // namespace cf::cli
