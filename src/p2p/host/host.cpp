// The host: listeners, dials, the connection table and keep_connected (see host.hpp).
#include "cf/p2p/host/host.hpp"

#include <algorithm>
#include <utility>

#include "cf/base/log.hpp"
#include "cf/p2p/conn/errc.hpp"
#include "cf/p2p/identify/identify.hpp"
#include "cf/p2p/ping/ping.hpp"

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
      tasks_(executor_, logger()) {
  set_handler(std::string(identify::protocol_id), [this](Stream s) { return serve_identify(std::move(s)); });
  set_handler(std::string(ping::protocol_id), serve_ping);
}

Host::~Host() = default;

UpgradeConfig Host::upgrade_config() const {
  return UpgradeConfig{.identity = config_.identity.keypair(), .psk = config_.psk, .timeout = config_.upgrade_timeout};
}

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
  auto connection = adopt(std::move(*upgraded));
  co_await identify_remote(connection);
  if (observer_ && !connection->is_closed()) observer_(connection);
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
  return connection;
}

Task<void> Host::watch(std::shared_ptr<Connection> connection) {
  co_await connection->wait_closed();
  auto it = connections_.find(connection->remote_peer());
  if (it != connections_.end() && it->second == connection) connections_.erase(it);
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
  auto result = co_await [&]() -> Task<Result<std::shared_ptr<Connection>>> {
    CF_CO_TRY_ASSIGN(socket, co_await transport::dial(address, config_.dial_timeout));
    auto config = upgrade_config();
    CF_CO_TRY_ASSIGN(upgraded, co_await upgrade_outbound(std::move(socket), config, *peer));
    if (stopping_) co_return Error(errc::host_stopped);
    co_return adopt(std::move(upgraded));
  }();
  dialing_.erase(*peer);
  signal->notify();
  if (!result) co_return result;
  auto connection = *result;
  co_await identify_remote(connection);
  if (observer_ && !connection->is_closed()) observer_(connection);
  co_return connection;
}

std::shared_ptr<Connection> Host::connection(const mf::PeerId& peer) const {
  auto it = connections_.find(peer);
  if (it == connections_.end() || it->second->is_closed()) return nullptr;
  return it->second;
}

Task<Result<Stream>> Host::new_stream(const mf::PeerId& peer, std::string protocol) {
  auto connection = this->connection(peer);
  if (!connection) co_return Error(errc::not_connected, peer.to_string());
  co_return co_await connection->open_stream(std::move(protocol));
}

void Host::keep_connected(std::vector<mf::Multiaddr> peers) {
  for (auto& address : peers) tasks_.spawn(keep_one(std::move(address)), "keep connected");
}

Task<void> Host::keep_one(mf::Multiaddr address) {
  auto backoff = std::chrono::milliseconds(1s);
  auto peer = address.peer_id();
  while (!stopping_ && peer) {
    if (auto existing = connection(*peer)) {
      co_await existing->wait_closed();
      backoff = 1s;
      continue;
    }
    auto connected = co_await connect(address);
    if (co_await stop_requested()) break;
    if (connected) continue;
    logger()->warn("dial {} failed: {}; retrying in {} ms", address.to_string(), connected.error().message(),
                   backoff.count());
    co_await cf::detail::sleep_for(backoff);
    if (co_await stop_requested()) break;
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, 60s);
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
