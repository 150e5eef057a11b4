// The libp2p host of cluster-follow: our identity, an optional PSK, TCP listeners, one
// connection per peer, a protocol handler registry, identify (responder, and a request on
// every new connection) and ping (responder and client), and keep_connected for trusted peers
// (redial with backoff 1 s doubling to 1 min). Logger "host".
// Ownership: the caller owns the Host and must co_await stop() before destroying it; the host
// owns its listeners, its connections (shared with Streams and callers) and every coroutine it
// spawns (a TaskSet). Executor: one single-threaded executor for the host and all its
// connections. stop() closes everything, cancels the tasks and waits for them, bounded.
#pragma once

#include <chrono>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio/any_io_executor.hpp>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/identity/identity.hpp"
#include "cf/multiformats/multiaddr.hpp"
#include "cf/multiformats/peer_id.hpp"
#include "cf/p2p/conn/connection.hpp"
#include "cf/base/task_set.hpp"
#include "cf/p2p/pnet/psk.hpp"
#include "cf/p2p/transport/tcp.hpp"

namespace cf::p2p {

struct HostConfig {
  identity::Identity identity;
  std::optional<pnet::Psk> psk;
  std::vector<multiformats::Multiaddr> listen_addrs;  // /ip4|ip6/.../tcp/<port>; none: dial only
  std::chrono::milliseconds dial_timeout{15'000};
  std::chrono::milliseconds identify_timeout{10'000};
  // Bounds each connection's upgrade (pnet, Noise, muxer), both directions; go's is 15 s too.
  std::chrono::milliseconds upgrade_timeout{p2p::upgrade_timeout};
};

class Host {
 public:
  using ConnectionObserver = std::function<void(const std::shared_ptr<Connection>&)>;

  Host(asio::any_io_executor executor, HostConfig config);
  ~Host();
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  // Binds the listen addresses and starts accepting. Errors name the address.
  Status start();
  Task<void> stop(std::chrono::milliseconds bound = std::chrono::seconds(5));

  const multiformats::PeerId& id() const { return config_.identity.id(); }
  // The bound listen addresses (ports resolved), without /p2p.
  std::vector<multiformats::Multiaddr> listen_addrs() const;

  void set_handler(std::string protocol, StreamHandler handler);
  // Called for every new connection (either direction) once identify finished or failed.
  void set_connection_observer(ConnectionObserver observer) { observer_ = std::move(observer); }

  // Dials `address` (which must end in /p2p/<id>), upgrades and identifies; an open connection
  // to that peer is reused. Errors: errc::missing_peer_id, the transport/upgrade error.
  Task<Result<std::shared_ptr<Connection>>> connect(const multiformats::Multiaddr& address);
  std::shared_ptr<Connection> connection(const multiformats::PeerId& peer) const;
  Task<Result<Stream>> new_stream(const multiformats::PeerId& peer, std::string protocol);
  // One /ipfs/ping/1.0.0 round trip on a connected peer.
  Task<Result<std::chrono::nanoseconds>> ping(const multiformats::PeerId& peer);
  // Keeps a connection to each address's peer, redialing with backoff until stop().
  void keep_connected(std::vector<multiformats::Multiaddr> peers);

 private:
  Task<void> accept_loop(transport::TcpListener& listener);
  Task<void> serve_accepted(transport::Socket socket);
  std::shared_ptr<Connection> adopt(Upgraded upgraded);
  Task<void> watch(std::shared_ptr<Connection> connection);
  Task<Status> identify_remote(std::shared_ptr<Connection> connection);
  Task<void> keep_one(multiformats::Multiaddr address);
  Task<void> serve_identify(Stream stream);
  UpgradeConfig upgrade_config() const;

  asio::any_io_executor executor_;
  HostConfig config_;
  std::shared_ptr<ProtocolRouter> router_;
  // A list, not a vector: each accept loop holds a reference to its listener.
  std::list<transport::TcpListener> listeners_;
  std::map<multiformats::PeerId, std::shared_ptr<Connection>> connections_;  // one per peer
  std::vector<std::weak_ptr<Connection>> all_;  // every live connection, for stop()
  std::map<multiformats::PeerId, std::shared_ptr<Signal>> dialing_;
  ConnectionObserver observer_;
  TaskSet tasks_;
  bool stopping_ = false;
};

// The responder of /ipfs/ping/1.0.0: echoes 32-byte pings until EOF, at most 30 s.
Task<void> serve_ping(Stream stream);

}  // namespace cf::p2p
