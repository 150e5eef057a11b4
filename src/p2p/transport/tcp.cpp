#include "cf/p2p/transport/tcp.hpp"

#include <asio/connect.hpp>
#include <asio/ip/address.hpp>

namespace cf::p2p::transport {
namespace {

namespace mf = cf::multiformats;
namespace pc = mf::protocol_code;
using asio::ip::tcp;

class TransportCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.p2p.transport"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::unsupported_address: return "unsupported address";
      case errc::resolve_failed: return "DNS resolution failed";
      case errc::connect_failed: return "connection failed";
      case errc::listen_failed: return "listen failed";
    }
    return "unknown transport error";
  }
};

Error bad_address(const mf::Multiaddr& address, const std::string& why) {
  return Error(errc::unsupported_address, "address " + address.to_string() + ": " + why);
}

bool family_matches(const tcp::endpoint& e, TcpTarget::Family family) {
  if (family == TcpTarget::Family::v4) return e.address().is_v4();
  if (family == TcpTarget::Family::v6) return e.address().is_v6();
  return true;
}

Task<Result<std::vector<tcp::endpoint>>> resolve(const TcpTarget& target, const mf::Multiaddr& address) {
  std::vector<tcp::endpoint> out;
  if (!target.is_dns) {
    std::error_code ec;
    auto ip = asio::ip::make_address(target.host, ec);
    if (ec) co_return bad_address(address, "bad IP " + target.host);
    out.emplace_back(ip, target.port);
    co_return out;
  }
  tcp::resolver resolver(co_await asio::this_coro::executor);
  auto [ec, results] = co_await resolver.async_resolve(target.host, std::to_string(target.port), use_tuple);
  if (ec) co_return Error(errc::resolve_failed, "resolving " + target.host + " for " + address.to_string() + ": " + ec.message());
  for (const auto& entry : results) {
    if (family_matches(entry.endpoint(), target.family)) out.push_back(entry.endpoint());
  }
  if (out.empty()) co_return Error(errc::resolve_failed, target.host + " has no address of the wanted family");
  co_return out;
}

Task<Result<Socket>> connect_any(std::vector<tcp::endpoint> endpoints, const mf::Multiaddr& address) {
  Socket socket(co_await asio::this_coro::executor);
  auto [ec, chosen] = co_await asio::async_connect(socket, endpoints, use_tuple);
  if (ec) co_return Error(errc::connect_failed, "connecting to " + address.to_string() + ": " + ec.message());
  socket.set_option(tcp::no_delay(true));
  co_return std::move(socket);
}

Task<Result<Socket>> dial_once(mf::Multiaddr address) {
  CF_CO_TRY_ASSIGN(target, tcp_target(address));
  CF_CO_TRY_ASSIGN(endpoints, co_await resolve(target, address));
  co_return co_await connect_any(std::move(endpoints), address);
}

}  // namespace

const std::error_category& transport_category() {
  static const TransportCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), transport_category()}; }

Result<TcpTarget> tcp_target(const mf::Multiaddr& address) {
  auto parts = address.without_peer_id().components();
  if (parts.size() != 2 || parts[1].code != pc::tcp) return bad_address(address, "not <ip or dns>/tcp/<port>");
  TcpTarget target;
  target.host = parts[0].value;
  target.port = static_cast<std::uint16_t>(std::stoul(parts[1].value));  // validated by the parser
  switch (parts[0].code) {
    case pc::ip4: target.family = TcpTarget::Family::v4; break;
    case pc::ip6: target.family = TcpTarget::Family::v6; break;
    case pc::dns: target.is_dns = true; break;
    case pc::dns4: target.is_dns = true, target.family = TcpTarget::Family::v4; break;
    case pc::dns6: target.is_dns = true, target.family = TcpTarget::Family::v6; break;
    default: return bad_address(address, "not <ip or dns>/tcp/<port>");
  }
  return target;
}

mf::Multiaddr to_multiaddr(const tcp::endpoint& endpoint) {
  auto ip = endpoint.address();
  std::string text = (ip.is_v4() ? "/ip4/" : "/ip6/") + ip.to_string() + "/tcp/" + std::to_string(endpoint.port());
  return *mf::Multiaddr::parse(text);
}

Task<Result<Socket>> dial(const mf::Multiaddr& address, std::chrono::milliseconds timeout) {
  co_return co_await with_timeout(dial_once(address), timeout, "dialing " + address.to_string());
}

Result<TcpListener> TcpListener::listen(const asio::any_io_executor& executor, const mf::Multiaddr& address) {
  CF_TRY_ASSIGN(target, tcp_target(address));
  if (target.is_dns) return bad_address(address, "cannot listen on a DNS name");
  std::error_code ec;
  tcp::endpoint endpoint(asio::ip::make_address(target.host, ec), target.port);
  if (ec) return bad_address(address, "bad IP " + target.host);
  tcp::acceptor acceptor(executor);
  if (acceptor.open(endpoint.protocol(), ec); !ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error(errc::listen_failed, "listening on " + address.to_string() + ": " + ec.message());
  return TcpListener(std::move(acceptor));
}

Task<Result<Socket>> TcpListener::accept() {
  auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
  if (ec) co_return Error(ec, "accepting on " + local_address().to_string() + ": " + ec.message());
  socket.set_option(tcp::no_delay(true));
  co_return std::move(socket);
}

mf::Multiaddr TcpListener::local_address() const {
  std::error_code ec;
  return to_multiaddr(acceptor_.local_endpoint(ec));
}

void TcpListener::close() {
  std::error_code ec;
  acceptor_.close(ec);
}

}  // namespace cf::p2p::transport
