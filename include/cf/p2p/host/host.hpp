// The libp2p host of cluster-follow: our identity, an optional PSK, TCP listeners, one
// connection per peer, the protocol handler registry, a peer book, connection lifecycle events,
// and keep_connected for trusted peers (redial with backoff 1 s doubling to 1 min, trying every
// known address of the peer). Logger "host".
// The host knows no protocol above yamux: identify, ping, gossipsub and bitswap are services
// that register handlers and subscribe to events (p2p/identify/service.hpp, ...). Identify
// reports back through notify_identified(), which fills the peer book and emits `identified`.
// Ownership: the caller owns the Host and must co_await stop() before destroying it; services
// are stopped before the host and destroyed after its stop() returned (a service's handler
// may still run until then). The host owns its listeners, its connections (shared with
// Streams and callers) and every coroutine it spawns (a TaskSet joined by stop()).
// Executor: one single-threaded executor for the host, its connections and its services.
#pragma once

#include <chrono>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <asio/any_io_executor.hpp>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/base/task_set.hpp"
#include "cf/identity/identity.hpp"
#include "cf/multiformats/multiaddr.hpp"
#include "cf/multiformats/peer_id.hpp"
#include "cf/p2p/conn/connection.hpp"
#include "cf/p2p/dns/config.hpp"
#include "cf/p2p/host/events.hpp"
#include "cf/p2p/host/peer_book.hpp"
#include "cf/p2p/pnet/psk.hpp"
#include "cf/p2p/transport/tcp.hpp"

namespace cf::p2p {

struct HostConfig {
  identity::Identity identity;
  std::optional<pnet::Psk> psk;
  std::vector<multiformats::Multiaddr> listen_addrs;  // /ip4|ip6/.../tcp/<port>; none: dial only
  std::chrono::milliseconds dial_timeout{15'000};
  // Bounds each connection's upgrade (pnet, Noise, muxer), both directions; go's is 15 s too.
  std::chrono::milliseconds upgrade_timeout{p2p::upgrade_timeout};
  // keep_connected's redial backoff: first delay, doubled after every failed round, capped.
  std::chrono::milliseconds redial_min{1'000};
  std::chrono::milliseconds redial_max{60'000};
  // Resolver settings for /dnsaddr/ peer addresses; empty: /etc/resolv.conf, read at each dial.
  std::optional<dns::Config> dns{};
};

class Host {
 public:
  Host(asio::any_io_executor executor, HostConfig config);
  ~Host();
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  // Binds the listen addresses and starts accepting. Errors name the address.
  Status start();
  // Closes listeners and connections, cancels keep_connected, and waits for every task, at
  // most `bound`. Idempotent.
  Task<void> stop(std::chrono::milliseconds bound = std::chrono::seconds(5));
  bool stopping() const { return stopping_; }

  const asio::any_io_executor& executor() const { return executor_; }
  const multiformats::PeerId& id() const { return config_.identity.id(); }
  // Our serialized PublicKey protobuf (what identify sends).
  Bytes public_key_proto() const;
  // The bound listen addresses (ports resolved), without /p2p.
  std::vector<multiformats::Multiaddr> listen_addrs() const;

  // Inbound streams negotiating `protocol` go to `handler`, as a task of their connection.
  void set_handler(std::string protocol, StreamHandler handler);
  void remove_handler(const std::string& protocol);
  // The protocols we answer, sorted (what identify lists).
  std::vector<std::string> protocols() const { return router_->protocols(); }

  PeerBook& peers() { return peers_; }
  const PeerBook& peers() const { return peers_; }
  [[nodiscard]] Subscription subscribe(EventBus::Handler handler) { return events_.subscribe(std::move(handler)); }
  // Called by the identify service: records the facts and emits `identified`.
  void notify_identified(const std::shared_ptr<Connection>& connection, IdentifyFacts facts);

  // Dials `address` (which must end in /p2p/<id>) and upgrades; an open connection to that
  // peer is reused, and concurrent dials to one peer share one attempt. Errors:
  // errc::missing_peer_id, errc::host_stopped, the transport/upgrade error.
  Task<Result<std::shared_ptr<Connection>>> connect(const multiformats::Multiaddr& address);
  // Dials the peer's known addresses (peer book) in order until one connects; a /dnsaddr/
  // address is resolved first (TXT _dnsaddr.<host>, p2p/dns/dnsaddr.hpp) and its results tried
  // in turn. The error is the last address's; errc::not_connected when none is known.
  Task<Result<std::shared_ptr<Connection>>> connect(const multiformats::PeerId& peer);
  std::shared_ptr<Connection> connection(const multiformats::PeerId& peer) const;
  std::vector<std::shared_ptr<Connection>> connections() const;
  Task<Result<Stream>> new_stream(const multiformats::PeerId& peer, std::string protocol);

  // Adds each address (ending in /p2p/<id>) to the peer book as configured and keeps one
  // connection to each of those peers until stop(), redialing with backoff.
  void keep_connected(const std::vector<multiformats::Multiaddr>& addresses);

 private:
  Task<void> accept_loop(transport::TcpListener& listener);
  Task<void> serve_accepted(transport::Socket socket);
  std::shared_ptr<Connection> adopt(Upgraded upgraded);
  Task<void> watch(std::shared_ptr<Connection> connection);
  Task<Result<std::shared_ptr<Connection>>> dial_upgrade(const multiformats::Multiaddr& address,
                                                          const multiformats::PeerId& peer);
  Task<void> keep_peer(multiformats::PeerId peer);
  Task<std::vector<multiformats::Multiaddr>> expand(const multiformats::Multiaddr& address);
  UpgradeConfig upgrade_config() const;

  asio::any_io_executor executor_;
  HostConfig config_;
  std::shared_ptr<ProtocolRouter> router_;
  // A list, not a vector: each accept loop holds a reference to its listener.
  std::list<transport::TcpListener> listeners_;
  std::map<multiformats::PeerId, std::shared_ptr<Connection>> connections_;  // one per peer
  std::vector<std::weak_ptr<Connection>> all_;  // every live connection, for stop()
  std::map<multiformats::PeerId, std::shared_ptr<Signal>> dialing_;
  std::set<multiformats::PeerId> kept_;  // peers keep_connected already watches
  PeerBook peers_;
  EventBus events_;
  TaskSet tasks_;
  bool stopping_ = false;
};

}  // namespace cf::p2p
