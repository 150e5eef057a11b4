// The host: listeners, dials, the connection table, events and keep_connected (see host.hpp).
#include "cf/p2p/host/host.hpp"

#include <algorithm>
#include <utility>

#include "cf/base/log.hpp"
#include "cf/p2p/conn/errc.hpp"
#include "cf/p2p/dns/dnsaddr.hpp"

namespace cf::p2p {
namespace {

namespace mf = cf::multiformats;
using namespace std::chrono_literals;

std::shared_ptr<spdlog::logger> logger() { return log::get("host"); }

}  // namespace

Host::Host(asio::any_io_executor executor, HostConfig config)
    : executor_(std::move(executor)),
      config_(std::move(config)),
      router_(std::make_shared<ProtocolRouter>()),
      tasks_(executor_, logger()) {}

Host::~Host() = default;

UpgradeConfig Host::upgrade_config() const {
  return UpgradeConfig{.identity = config_.identity.keypair(), .psk = config_.psk, .timeout = config_.upgrade_timeout};
}

Bytes Host::public_key_proto() const { return config_.identity.keypair().public_key().to_proto(); }

Status Host::start() {
  for (const auto& address : config_.listen_addrs) {
    auto listener = transport::TcpListener::listen(executor_, address);
    if (!listener) return listener.error();
    logger()->info("listening on {}/p2p/{}", listener->local_address().to_string(), id().to_string());
    listeners_.push_back(std::move(*listener));
    tasks_.spawn(accept_loop(listeners_.back()), "accept");
  }
  return ok();
}

std::vector<mf::Multiaddr> Host::listen_addrs() const {
  std::vector<mf::Multiaddr> out;
  for (const auto& l : listeners_) out.push_back(l.local_address());
  return out;
}

void Host::set_handler(std::string protocol, StreamHandler handler) {
  router_->handlers[std::move(protocol)] = std::move(handler);
}

void Host::remove_handler(const std::string& protocol) { router_->handlers.erase(protocol); }

void Host::notify_identified(const std::shared_ptr<Connection>& connection, IdentifyFacts facts) {
  if (connection->is_closed()) return;
  peers_.set_identified(connection->remote_peer(), std::move(facts));
  events_.publish({ConnectionEventKind::identified, connection});
}

Task<void> Host::accept_loop(transport::TcpListener& listener) {
  while (!stopping_) {
    auto socket = co_await listener.accept();
    if (stopping_ || co_await stop_requested()) break;
    if (!socket) {
      logger()->warn("accept: {}", socket.error().message());
      co_await cf::detail::sleep_for(100ms);
      continue;
    }
    tasks_.spawn(serve_accepted(std::move(*socket)), "upgrade inbound");
  }
}

Task<void> Host::serve_accepted(transport::Socket socket) {
  auto config = upgrade_config();
  auto upgraded = co_await upgrade_inbound(std::move(socket), config);
  if (!upgraded) {
    logger()->warn("inbound connection failed: {}", upgraded.error().message());
    co_return;
  }
  if (stopping_) co_return;
  adopt(std::move(*upgraded));
}

std::shared_ptr<Connection> Host::adopt(Upgraded upgraded) {
  auto connection = Connection::create(std::move(upgraded), router_);
  connection->start();
  std::erase_if(all_, [](const auto& weak) { return weak.expired(); });
  all_.push_back(connection);
  auto& slot = connections_[connection->remote_peer()];
  if (!slot || slot->is_closed()) slot = connection;
  logger()->info("connected to {} at {} ({})", connection->remote_peer().to_string(),
                 connection->remote_addr().to_string(), connection->outbound() ? "outbound" : "inbound");
  tasks_.spawn(watch(connection), "watch connection", TaskSet::Cancel::no);
  events_.publish({ConnectionEventKind::connected, connection});
  return connection;
}

Task<void> Host::watch(std::shared_ptr<Connection> connection) {
  co_await connection->wait_closed();
  const auto& peer = connection->remote_peer();
  auto it = connections_.find(peer);
  if (it != connections_.end() && it->second == connection) connections_.erase(it);
  events_.publish({ConnectionEventKind::disconnected, connection});
  if (!connections_.count(peer)) peers_.forget_unless_configured(peer);
}

Task<Result<std::shared_ptr<Connection>>> Host::connect(const mf::Multiaddr& address) {
  auto peer = address.peer_id();
  if (!peer) co_return Error(errc::missing_peer_id, address.to_string());
  if (stopping_) co_return Error(errc::host_stopped);
  while (dialing_.count(*peer)) {
    auto signal = dialing_[*peer];
    co_await signal->wait();
  }
  if (auto existing = connection(*peer)) co_return existing;
  auto signal = std::make_shared<Signal>(executor_);
  dialing_[*peer] = signal;
  auto result = co_await dial_upgrade(address, *peer);
  dialing_.erase(*peer);
  signal->notify();
  co_return result;
}

Task<Result<std::shared_ptr<Connection>>> Host::dial_upgrade(const mf::Multiaddr& address, const mf::PeerId& peer) {
  CF_CO_TRY_ASSIGN(socket, co_await transport::dial(address, config_.dial_timeout));
  auto config = upgrade_config();
  CF_CO_TRY_ASSIGN(upgraded, co_await upgrade_outbound(std::move(socket), config, peer));
  if (stopping_) co_return Error(errc::host_stopped);
  co_return adopt(std::move(upgraded));
}

Task<Result<std::shared_ptr<Connection>>> Host::connect(const mf::PeerId& peer) {
  if (auto existing = connection(peer)) co_return existing;
  const auto* record = peers_.find(peer);
  auto addresses = record ? record->dial_addresses() : std::vector<mf::Multiaddr>{};
  if (addresses.empty()) co_return Error(errc::not_connected, "no known address for " + peer.to_string());
  Error last(errc::not_connected, "no dialable address for " + peer.to_string());
  for (const auto& configured : addresses) {
    for (const auto& address : co_await expand(configured)) {
      auto connected = co_await connect(address);
      if (connected || stopping_) co_return connected;
      logger()->debug("dial {}: {}", address.to_string(), connected.error().message());
      last = connected.error();
    }
  }
  co_return last;
}

Task<std::vector<mf::Multiaddr>> Host::expand(const mf::Multiaddr& address) {
  auto components = address.components();
  if (components.empty() || components.front().code != mf::protocol_code::dnsaddr) co_return std::vector{address};
  auto resolved = co_await dns::resolve_dnsaddr(address, config_.dns.value_or(dns::system_config()));
  if (!resolved) {
    logger()->warn("resolving {}: {}", address.to_string(), resolved.error().message());
    co_return std::vector<mf::Multiaddr>{};
  }
  logger()->debug("{} resolved to {} addresses", address.to_string(), resolved->size());
  co_return std::move(*resolved);
}

std::shared_ptr<Connection> Host::connection(const mf::PeerId& peer) const {
  auto it = connections_.find(peer);
  if (it == connections_.end() || it->second->is_closed()) return nullptr;
  return it->second;
}

std::vector<std::shared_ptr<Connection>> Host::connections() const {
  std::vector<std::shared_ptr<Connection>> out;
  for (const auto& [peer, connection] : connections_) {
    if (!connection->is_closed()) out.push_back(connection);
  }
  return out;
}

Task<Result<Stream>> Host::new_stream(const mf::PeerId& peer, std::string protocol) {
  auto connection = this->connection(peer);
  if (!connection) co_return Error(errc::not_connected, peer.to_string());
  co_return co_await connection->open_stream(std::move(protocol));
}

void Host::keep_connected(const std::vector<mf::Multiaddr>& addresses) {
  for (const auto& address : addresses) {
    auto peer = address.peer_id();
    if (!peer) {
      logger()->warn("not keeping {} connected: no /p2p/ peer ID", address.to_string());
      continue;
    }
    peers_.add_configured(*peer, address);
    if (kept_.insert(*peer).second) tasks_.spawn(keep_peer(*peer), "keep connected");
  }
}

Task<void> Host::keep_peer(mf::PeerId peer) {
  auto backoff = config_.redial_min;
  while (!stopping_) {
    if (auto existing = connection(peer)) {
      co_await existing->wait_closed();
      backoff = config_.redial_min;
      continue;
    }
    auto connected = co_await connect(peer);
    if (co_await stop_requested() || stopping_) break;
    if (connected) continue;
    logger()->warn("dial {} failed: {}; retrying in {} ms", peer.to_string(), connected.error().message(),
                   backoff.count());
    co_await cf::detail::sleep_for(backoff);
    if (co_await stop_requested()) break;
    backoff = std::min(backoff * 2, config_.redial_max);
  }
}

Task<void> Host::stop(std::chrono::milliseconds bound) {
  stopping_ = true;
  for (auto& l : listeners_) l.close();
  for (auto& weak : all_) {
    if (auto connection = weak.lock()) connection->close();
  }
  tasks_.cancel();
  auto waited = co_await with_timeout(
      [this]() -> Task<Status> {
        co_await tasks_.wait_idle();
        co_return ok();
      }(),
      bound, "host stop");
  if (!waited) logger()->warn("{} ({} tasks left)", waited.error().message(), tasks_.size());
  connections_.clear();
}

}  // namespace cf::p2p
