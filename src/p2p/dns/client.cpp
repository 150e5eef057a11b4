// UDP and TCP exchanges of the TXT lookup (see cf/p2p/dns/client.hpp).
#include "cf/p2p/dns/client.hpp"

#include <array>
#include <optional>

#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <fmt/format.h>
#include <sodium.h>

#include "cf/p2p/dns/message.hpp"

namespace cf::p2p::dns {
namespace {

using asio::ip::tcp;
using asio::ip::udp;

constexpr std::size_t max_udp_reply = 65535;
constexpr std::size_t max_stray_datagrams = 16;

std::uint16_t next_id(const Config& config) {
  if (config.random_id) return config.random_id();
  return static_cast<std::uint16_t>(randombytes_uniform(65536));
}

// A datagram that answers someone else's query: go keeps waiting for ours.
bool is_stray(const Error& e) {
  return e == errc::id_mismatch || e == errc::question_mismatch || e == errc::not_a_reply;
}

Error socket_error(const char* what, const Nameserver& server, const std::error_code& ec) {
  return Error(ec, std::string(what) + " " + server.to_string() + ": " + ec.message());
}

Task<Result<Reply>> exchange_udp(Nameserver server, Question question, std::uint16_t id) {
  CF_CO_TRY_ASSIGN(query, encode_query(question, id));
  udp::socket socket(co_await asio::this_coro::executor);
  const udp::endpoint endpoint(server.address, server.port);
  std::error_code ec;
  socket.open(endpoint.protocol(), ec);
  if (!ec) socket.connect(endpoint, ec);
  if (ec) co_return socket_error("opening a UDP socket to", server, ec);
  auto [send_ec, sent] = co_await socket.async_send(asio::buffer(query), use_tuple);
  if (send_ec) co_return socket_error("sending to", server, send_ec);
  Bytes buffer(max_udp_reply);
  for (std::size_t stray = 0; stray <= max_stray_datagrams; ++stray) {
    auto [receive_ec, n] = co_await socket.async_receive(asio::buffer(buffer), use_tuple);
    if (receive_ec) co_return socket_error("receiving from", server, receive_ec);
    auto reply = decode_reply(ByteView(buffer.data(), n), question, id);
    if (reply || !is_stray(reply.error())) co_return reply;
  }
  co_return Error(errc::no_answer,
                  server.to_string() + " sent more than 16 datagrams that answer no query of ours");
}

Task<Result<Reply>> exchange_tcp(Nameserver server, Question question, std::uint16_t id) {
  CF_CO_TRY_ASSIGN(query, encode_query(question, id));
  tcp::socket socket(co_await asio::this_coro::executor);
  auto [connect_ec] = co_await socket.async_connect(tcp::endpoint(server.address, server.port), use_tuple);
  if (connect_ec) co_return socket_error("connecting over TCP to", server, connect_ec);
  const std::array<std::uint8_t, 2> length{static_cast<std::uint8_t>(query.size() >> 8),
                                           static_cast<std::uint8_t>(query.size() & 0xff)};
  const std::array<asio::const_buffer, 2> framed{asio::buffer(length), asio::buffer(query)};
  auto [write_ec, written] = co_await asio::async_write(socket, framed, use_tuple);
  if (write_ec) co_return socket_error("sending over TCP to", server, write_ec);
  std::array<std::uint8_t, 2> prefix{};
  auto [prefix_ec, got] = co_await asio::async_read(socket, asio::buffer(prefix), use_tuple);
  if (prefix_ec) co_return socket_error("reading over TCP from", server, prefix_ec);
  Bytes body(std::size_t{prefix[0]} << 8 | prefix[1]);  // at most 65535 bytes
  auto [body_ec, n] = co_await asio::async_read(socket, asio::buffer(body), use_tuple);
  if (body_ec) co_return socket_error("reading over TCP from", server, body_ec);
  auto reply = decode_reply(body, question, id);
  if (reply && reply->truncated) {
    co_return Error(errc::server_failure, server.to_string() + " truncated its reply over TCP too");
  }
  co_return reply;
}

// One server: UDP, then TCP if the UDP reply was truncated; each bounded by try_timeout.
Task<Result<Reply>> ask(const Nameserver& server, const Question& question, const Config& config) {
  const auto what = "asking " + server.to_string() + " for TXT " + question.name;
  const auto limit = config.try_timeout;
  auto reply = co_await with_timeout(exchange_udp(server, question, next_id(config)), limit, what);
  if (!reply || !reply->truncated) co_return reply;
  co_return co_await with_timeout(exchange_tcp(server, question, next_id(config)), limit, what + " over TCP");
}

std::string rcode_name(std::uint8_t rcode) {
  switch (rcode) {
    case rcode::format_error: return "FORMERR";
    case rcode::server_failure: return "SERVFAIL";
    case rcode::refused: return "REFUSED";
    default: return "RCODE " + std::to_string(rcode);
  }
}

}  // namespace

Task<Result<std::vector<std::string>>> lookup_txt(std::string name, Config config) {
  if (config.nameservers.empty()) config.nameservers.push_back(default_nameserver());
  if (auto checked = encode_name(name); !checked) co_return checked.error();
  const Question question{name, rr_type::txt};
  std::string servers;
  for (const auto& server : config.nameservers) servers += (servers.empty() ? "" : ", ") + server.to_string();
  std::optional<Error> last;
  bool server_failed = false;
  for (int round = 0; round < config.attempts; ++round) {
    for (const auto& server : config.nameservers) {
      // Read without awaiting another coroutine: once cancelled, asio throws on that.
      auto state = co_await asio::this_coro::cancellation_state;
      auto cancelled = state.cancelled();  // two statements: g++ 12 (see cf::stop_requested)
      if (cancelled != asio::cancellation_type::none) {
        co_return Error(errc::cancelled, "TXT lookup of " + name + " cancelled");
      }
      auto reply = co_await ask(server, question, config);
      if (!reply) {
        last = reply.error();
        continue;
      }
      if (reply->rcode == rcode::no_error) co_return std::move(reply->txt);
      if (reply->rcode == rcode::name_error) {
        co_return Error(errc::name_not_found, fmt::format("TXT lookup of {}: no such name (NXDOMAIN from {})", name,
                                                          server.to_string()));
      }
      server_failed = true;
      last = Error(errc::server_failure, server.to_string() + " answered " + rcode_name(reply->rcode));
    }
  }
  co_return Error(server_failed ? errc::server_failure : errc::no_answer,
                  fmt::format("TXT lookup of {} (nameservers {}): {}", name, servers,
                              last ? last->message() : "no attempt made"));
}

}  // namespace cf::p2p::dns
