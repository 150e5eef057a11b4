#include "cf/follower/metrics_server.hpp"

#include <charconv>

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/read_until.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <fmt/format.h>

#include "cf/base/errc.hpp"
#include "cf/base/log.hpp"

namespace cf::follower {
namespace {

using asio::ip::tcp;
constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

constexpr std::string_view prometheus_type = "text/plain; version=0.0.4; charset=utf-8";
constexpr std::string_view text_type = "text/plain; charset=utf-8";

Error bad_address(std::string_view text, std::string_view why) {
  return Error(errc::invalid_input, fmt::format("--metrics \"{}\": {}", text, why));
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
  }
  return "Error";
}

MetricsServer::Response text_response(int status, std::string body) {
  return {status, std::string(text_type), std::move(body), false};
}

std::string endpoint_text(const tcp::endpoint& e) {
  auto host = e.address().to_string();
  return e.address().is_v6() ? fmt::format("[{}]:{}", host, e.port()) : fmt::format("{}:{}", host, e.port());
}

}  // namespace

Result<tcp::endpoint> parse_listen_address(std::string_view text) {
  std::string_view host, port;
  if (text.starts_with('[')) {
    auto close = text.find("]:");
    if (close == std::string_view::npos) return bad_address(text, "expected [IPv6]:PORT");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad_address(text, "expected IP:PORT, e.g. 127.0.0.1:9464");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return bad_address(text, "put an IPv6 address in brackets: [::1]:9464");
  }
  unsigned value = 0;
  auto [end, perr] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || perr != std::errc() || end != port.data() + port.size() || value > 65535) {
    return bad_address(text, "the port must be a number from 0 to 65535");
  }
  std::error_code ec;
  auto address = asio::ip::make_address(std::string(host), ec);
  if (ec) return bad_address(text, "\"" + std::string(host) + "\" is not an IP address (host names are not resolved)");
  return tcp::endpoint(address, static_cast<std::uint16_t>(value));
}

MetricsServer::MetricsServer(const asio::any_io_executor& executor, const Metrics& metrics, HealthCheck health,
                             MetricsServerOptions options)
    : acceptor_(executor),
      metrics_(metrics),
      health_(std::move(health)),
      options_(options),
      slot_freed_(executor, asio::steady_timer::time_point::max()) {}

Result<std::unique_ptr<MetricsServer>> MetricsServer::bind(const asio::any_io_executor& executor,
                                                           const tcp::endpoint& address, const Metrics& metrics,
                                                           HealthCheck health, MetricsServerOptions options) {
  std::unique_ptr<MetricsServer> server(new MetricsServer(executor, metrics, std::move(health), options));
  auto& acceptor = server->acceptor_;
  std::error_code ec;
  acceptor.open(address.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(address, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error(errc::io_failed, "cannot listen for metrics on " + endpoint_text(address) + ": " + ec.message());
  auto log = log::get("cluster");
  auto bound = endpoint_text(server->local_endpoint());
  if (!address.address().is_loopback()) {
    log->warn("metrics server listens on {}, not a loopback address: whoever reaches it can read the metrics", bound);
  }
  log->info("metrics on http://{}/metrics, health on http://{}/health", bound, bound);
  return server;
}

tcp::endpoint MetricsServer::local_endpoint() const {
  std::error_code ec;
  return acceptor_.local_endpoint(ec);
}

MetricsServer::Response MetricsServer::respond(std::string_view head) const {
  auto line = head.substr(0, head.find("\r\n"));
  auto sp1 = line.find(' ');
  auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || !line.substr(sp2 + 1).starts_with("HTTP/1.")) {
    return text_response(400, "bad request\n");
  }
  auto method = line.substr(0, sp1);
  auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  target = target.substr(0, target.find('?'));
  if (method != "GET" && method != "HEAD") return text_response(405, "only GET and HEAD\n");
  Response response = text_response(404, "not found; try /metrics or /health\n");
  if (target == "/metrics") {
    response = {200, std::string(prometheus_type), metrics_.render_prometheus(), false};
  } else if (target == "/health") {
    auto health = health_ ? health_() : Health{};
    response = health.healthy ? text_response(200, "ok\n") : text_response(503, health.reason + "\n");
  }
  response.head = method == "HEAD";
  return response;
}

std::string MetricsServer::serialize(const Response& r) {
  auto out = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n", r.status,
                         reason_phrase(r.status), r.content_type, r.body.size());
  if (r.status == 405) out += "Allow: GET, HEAD\r\n";
  out += "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
  if (!r.head) out += r.body;
  return out;
}

asio::awaitable<void> MetricsServer::serve(tcp::socket& socket) {
  std::string request;
  auto [ec, n] = co_await asio::async_read_until(
      socket, asio::dynamic_buffer(request, options_.max_request_bytes), "\r\n\r\n", use_tuple);
  Response response;
  if (ec == asio::error::not_found) {
    response = text_response(431, "request line and headers must fit in " +
                                      std::to_string(options_.max_request_bytes) + " bytes\n");
  } else if (ec) {
    co_return;  // the client went away, or the deadline cancelled the read
  } else {
    response = respond(std::string_view(request).substr(0, n));
  }
  const std::string bytes = serialize(response);
  auto [wec, written] = co_await asio::async_write(socket, asio::buffer(bytes), use_tuple);
  if (wec) co_return;
  socket.shutdown(tcp::socket::shutdown_send, wec);
  co_await drain(socket);
}

// Closing a socket with unread bytes sends a reset, which can destroy the answer before the
// client reads it (an over-size request leaves bytes unread). So read and drop what the client
// still sends until it closes, at most 64 KiB; the connection's deadline bounds the wait.
asio::awaitable<void> MetricsServer::drain(tcp::socket& socket) {
  char scratch[4096];
  for (std::size_t total = 0; total < 64 * 1024;) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(scratch), use_tuple);
    if (ec) co_return;
    total += n;
  }
}

// One connection: the request and the answer share one deadline, so a client that trickles
// bytes (slowloris) or never reads the answer is dropped after request_timeout.
asio::awaitable<void> MetricsServer::serve_with_deadline(std::list<tcp::socket>::iterator socket) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer deadline(co_await asio::this_coro::executor, options_.request_timeout);
  auto expire = [&deadline]() -> asio::awaitable<void> {
    co_await deadline.async_wait(use_tuple);  // cancelled when serve() finishes first
  };
  co_await (serve(*socket) || expire());
}

void MetricsServer::connection_done(std::list<tcp::socket>::iterator socket) {
  std::error_code ignored;
  socket->close(ignored);
  connections_.erase(socket);
  slot_freed_.cancel();  // wakes wait_for_slot() and the drain in run()
}

asio::awaitable<void> MetricsServer::wait_for_slot() {
  while (!stopped_ && connections_.size() >= options_.max_connections) {
    slot_freed_.expires_at(asio::steady_timer::time_point::max());
    co_await slot_freed_.async_wait(use_tuple);
    // Kept as its own statement: g++ 12 miscompiles `(co_await ...).cancelled()` in a
    // condition here (the coroutine crashed on its first resume).
    asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) stop();
  }
}

asio::awaitable<void> MetricsServer::run() {
  // A cancelled run() must still close and wait for its connections, so cancellation ends
  // the accept loop through error codes instead of exceptions.
  co_await asio::this_coro::throw_if_cancelled(false);
  auto executor = co_await asio::this_coro::executor;
  while (!stopped_) {
    co_await wait_for_slot();
    if (stopped_) break;
    auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
    if (ec == asio::error::operation_aborted || stopped_) break;
    if (ec) {
      // EMFILE and the like: pause instead of spinning, then try again.
      log::get("cluster")->warn("metrics server: accept failed: {}", ec.message());
      asio::steady_timer pause(executor, std::chrono::milliseconds(500));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    auto it = connections_.insert(connections_.end(), std::move(socket));
    asio::co_spawn(executor, serve_with_deadline(it), [this, it](std::exception_ptr e) {
      if (e) log::get("cluster")->error("metrics server: a connection failed unexpectedly");
      connection_done(it);
    });
  }
  stop();
  co_await asio::this_coro::reset_cancellation_state();
  while (!connections_.empty()) {
    slot_freed_.expires_at(asio::steady_timer::time_point::max());
    co_await slot_freed_.async_wait(use_tuple);
  }
}

void MetricsServer::stop() {
  stopped_ = true;
  std::error_code ignored;
  acceptor_.close(ignored);
  // Cancelling the I/O makes each connection's serve() return; its handler then closes it.
  for (auto& socket : connections_) socket.cancel(ignored);
  slot_freed_.cancel();
}

}  // namespace cf::follower
