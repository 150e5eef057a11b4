// TCP dial and listen for multiaddrs (libp2p-wire.md §0.1, §1.3): /ip4, /ip6, /dns, /dns4,
// /dns6 followed by /tcp/<port>, optionally ending in /p2p/<id> (which the security layer
// checks; it is ignored here). DNS names are resolved asynchronously (A for dns4, AAAA for
// dns6, both for dns) and each address is tried in turn within the one dial timeout.
// Coroutines run on the caller's executor; cancelling the awaiting task cancels the dial.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <system_error>

#include <asio/ip/tcp.hpp>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/multiformats/multiaddr.hpp"

namespace cf::p2p::transport {

enum class errc {
  unsupported_address = 1,  // not ip4/ip6/dns/dns4/dns6 + tcp (quic, ws, relay, ...)
  resolve_failed,           // the DNS name did not resolve (to the wanted family)
  connect_failed,           // every resolved address refused or failed
  listen_failed,            // bind/listen failed (address in use, permission)
};
const std::error_category& transport_category();
std::error_code make_error_code(errc e);

using Socket = asio::ip::tcp::socket;

// What a dial needs from a multiaddr.
struct TcpTarget {
  enum class Family { any, v4, v6 };
  std::string host;  // an IP literal or a DNS name
  std::uint16_t port = 0;
  Family family = Family::any;
  bool is_dns = false;
};
Result<TcpTarget> tcp_target(const multiformats::Multiaddr& address);

// "/ip4/a.b.c.d/tcp/p" or "/ip6/.../tcp/p" for a connected or bound endpoint.
multiformats::Multiaddr to_multiaddr(const asio::ip::tcp::endpoint& endpoint);

// Resolves and connects within `timeout`; errors name the address.
Task<Result<Socket>> dial(const multiformats::Multiaddr& address, std::chrono::milliseconds timeout);

class TcpListener {
 public:
  // Binds an /ip4 or /ip6 + /tcp address (port 0 picks one); no DNS.
  static Result<TcpListener> listen(const asio::any_io_executor& executor, const multiformats::Multiaddr& address);

  Task<Result<Socket>> accept();
  multiformats::Multiaddr local_address() const;
  void close();

 private:
  explicit TcpListener(asio::ip::tcp::acceptor acceptor) : acceptor_(std::move(acceptor)) {}
  asio::ip::tcp::acceptor acceptor_;
};

}  // namespace cf::p2p::transport

template <>
struct std::is_error_code_enum<cf::p2p::transport::errc> : std::true_type {};
