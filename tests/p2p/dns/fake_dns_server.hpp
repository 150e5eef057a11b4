// A fake DNS server for the dns tests: UDP and TCP on 127.0.0.1, one ephemeral port for both,
// run as coroutines on the test's io_context. A handler turns each query into the replies to
// send (none: stay silent). Also a reply builder for the handlers.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include "cf/base/bytes.hpp"
#include "cf/base/task.hpp"
#include "cf/p2p/dns/config.hpp"

namespace cf::p2p::dns::test {

enum class Transport { udp, tcp };

// The question of a query we sent: the name as lower-case dotted text, and its type.
struct SeenQuery {
  std::uint16_t id = 0;
  std::uint16_t flags = 0;
  std::string name;
  std::uint16_t type = 0;
  std::uint16_t arcount = 0;
  Transport transport = Transport::udp;
  std::size_t question_end = 0;  // offset after the question section
};

inline SeenQuery read_query(ByteView q, Transport transport) {
  SeenQuery seen;
  seen.transport = transport;
  if (q.size() < 12) return seen;
  seen.id = static_cast<std::uint16_t>(q[0] << 8 | q[1]);
  seen.flags = static_cast<std::uint16_t>(q[2] << 8 | q[3]);
  seen.arcount = static_cast<std::uint16_t>(q[10] << 8 | q[11]);
  std::size_t at = 12;
  while (at < q.size() && q[at] != 0) {
    if (!seen.name.empty()) seen.name += '.';
    seen.name.append(reinterpret_cast<const char*>(q.data() + at + 1), q[at]);
    at += 1 + q[at];
  }
  at += 1;
  if (at + 4 <= q.size()) seen.type = static_cast<std::uint16_t>(q[at] << 8 | q[at + 1]);
  seen.question_end = at + 4;
  return seen;
}

// A reply to `query`: its ID and question, the given RCODE and TC bit, and one TXT answer per
// element of `records` (each a list of character-strings), owner names compressed to the
// question (pointer 0xc00c).
inline Bytes make_reply(ByteView query, const std::vector<std::vector<std::string>>& records,
                        std::uint8_t rcode = 0, bool truncated = false) {
  const auto seen = read_query(query, Transport::udp);
  Bytes out(query.begin(), query.begin() + static_cast<std::ptrdiff_t>(seen.question_end));
  const std::uint16_t flags = 0x8180 | (truncated ? 0x0200 : 0) | rcode;
  out[2] = static_cast<std::uint8_t>(flags >> 8);
  out[3] = static_cast<std::uint8_t>(flags);
  out[6] = static_cast<std::uint8_t>(records.size() >> 8);
  out[7] = static_cast<std::uint8_t>(records.size());
  out[8] = out[9] = out[10] = out[11] = 0;
  for (const auto& strings : records) {
    Bytes rdata;
    for (const auto& s : strings) {
      rdata.push_back(static_cast<std::uint8_t>(s.size()));
      rdata.insert(rdata.end(), s.begin(), s.end());
    }
    const Bytes fixed{0xc0, 0x0c, 0, 16, 0, 1, 0, 0, 0, 60,
                      static_cast<std::uint8_t>(rdata.size() >> 8), static_cast<std::uint8_t>(rdata.size())};
    out.insert(out.end(), fixed.begin(), fixed.end());
    out.insert(out.end(), rdata.begin(), rdata.end());
  }
  return out;
}

// One TXT record of a single string (at most 255 bytes).
inline std::vector<std::string> txt(std::string s) { return {std::move(s)}; }

class FakeDnsServer {
 public:
  // Replies to send for one query, in order; empty: none.
  using Handler = std::function<std::vector<Bytes>(ByteView query, const SeenQuery& seen)>;

  FakeDnsServer(asio::io_context& io, Handler handler)
      : udp_(io), tcp_(io), state_(std::make_shared<State>(std::move(handler))) {
    // UDP picks the port; TCP takes the same one (retrying if it happens to be in use).
    for (int tries = 0; tries < 20; ++tries) {
      udp_ = asio::ip::udp::socket(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
      port_ = udp_.local_endpoint().port();
      std::error_code ec;
      tcp_ = asio::ip::tcp::acceptor(io);
      tcp_.open(asio::ip::tcp::v4(), ec);
      if (!ec) tcp_.bind(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
      if (!ec) tcp_.listen(asio::socket_base::max_listen_connections, ec);
      if (!ec) break;
    }
    asio::co_spawn(io, serve_udp(udp_, state_), asio::detached);
    asio::co_spawn(io, serve_tcp(tcp_, state_), asio::detached);
  }

  Nameserver nameserver() const { return Nameserver{asio::ip::make_address("127.0.0.1"), port_}; }
  const std::vector<SeenQuery>& queries() const { return state_->queries; }
  std::size_t count(Transport t) const {
    std::size_t n = 0;
    for (const auto& q : state_->queries) n += q.transport == t ? 1 : 0;
    return n;
  }
  // Ends both loops, so that io_context::run() can return.
  void stop() {
    std::error_code ec;
    udp_.close(ec);
    tcp_.close(ec);
    for (auto& s : state_->connections) s->close(ec);
  }

 private:
  struct State {
    explicit State(Handler h) : handler(std::move(h)) {}
    Handler handler;
    std::vector<SeenQuery> queries;
    std::vector<std::shared_ptr<asio::ip::tcp::socket>> connections;
  };

  static Task<void> serve_udp(asio::ip::udp::socket& socket, std::shared_ptr<State> state) {
    Bytes buffer(65535);
    for (;;) {
      asio::ip::udp::endpoint from;
      auto [ec, n] = co_await socket.async_receive_from(asio::buffer(buffer), from, use_tuple);
      if (ec) co_return;
      const ByteView query(buffer.data(), n);
      state->queries.push_back(read_query(query, Transport::udp));
      for (const auto& reply : state->handler(query, state->queries.back())) {
        co_await socket.async_send_to(asio::buffer(reply), from, use_tuple);
      }
    }
  }

  static Task<void> serve_tcp(asio::ip::tcp::acceptor& acceptor, std::shared_ptr<State> state) {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
      if (ec) co_return;
      auto conn = std::make_shared<asio::ip::tcp::socket>(std::move(socket));
      state->connections.push_back(conn);
      asio::co_spawn(acceptor.get_executor(), serve_connection(conn, state), asio::detached);
    }
  }

  static Task<void> serve_connection(std::shared_ptr<asio::ip::tcp::socket> socket, std::shared_ptr<State> state) {
    std::array<std::uint8_t, 2> prefix{};
    auto [ec, n] = co_await asio::async_read(*socket, asio::buffer(prefix), use_tuple);
    if (ec) co_return;
    Bytes query(std::size_t{prefix[0]} << 8 | prefix[1]);
    auto [body_ec, m] = co_await asio::async_read(*socket, asio::buffer(query), use_tuple);
    if (body_ec) co_return;
    state->queries.push_back(read_query(query, Transport::tcp));
    for (const auto& reply : state->handler(query, state->queries.back())) {
      const std::array<std::uint8_t, 2> length{static_cast<std::uint8_t>(reply.size() >> 8),
                                               static_cast<std::uint8_t>(reply.size())};
      const std::array<asio::const_buffer, 2> framed{asio::buffer(length), asio::buffer(reply)};
      co_await asio::async_write(*socket, framed, use_tuple);
    }
    std::error_code close_ec;
    socket->close(close_ec);
  }

  asio::ip::udp::socket udp_;
  asio::ip::tcp::acceptor tcp_;
  std::shared_ptr<State> state_;
  std::uint16_t port_ = 0;
};

// Runs `task` on `io` to completion, then stops the servers so run() returns.
template <typename T>
T run_with(asio::io_context& io, std::vector<FakeDnsServer*> servers, Task<T> task) {
  std::optional<T> result;
  asio::co_spawn(io, [&]() -> Task<void> {
    result.emplace(co_await std::move(task));
    for (auto* s : servers) s->stop();
  }, asio::detached);
  io.run();
  return std::move(*result);
}

}  // namespace cf::p2p::dns::test
