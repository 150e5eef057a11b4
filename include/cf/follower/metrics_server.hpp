// `run --metrics HOST:PORT`: a minimal HTTP/1.1 server for Prometheus and health checks.
//
//   GET /metrics  200, text/plain; version=0.0.4 (Metrics::render_prometheus)
//   GET /health   200 "ok\n" when the health callback says healthy, else 503 "<reason>\n"
//   other paths   404;  methods other than GET and HEAD: 405
//
// It is off unless the user asks, and binds exactly the address given: an IP literal, never a
// host name (no DNS, no surprise from /etc/hosts). Hostile or broken clients are bounded: the
// request line and headers must fit in 8 KiB (else 431), the whole exchange must finish within
// the read timeout (5 s; a slowloris is closed), one request per connection (Connection:
// close), and at most 16 connections at once (further ones wait in the kernel's backlog).
//
// Ownership and threads: the server owns its acceptor and its connections. run() is the
// accept loop; the caller spawns it on the daemon's io_context and keeps the server alive
// until run() has returned. All members must be called on that io_context's thread (the
// daemon runs one). stop() closes the acceptor and every open connection; run() then returns
// once every connection coroutine has finished. Cancelling run() (a cancellation slot bound
// to its co_spawn) does the same as stop().
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "cf/base/result.hpp"
#include "cf/follower/metrics.hpp"

namespace cf::follower {

// Parses "127.0.0.1:9464" or "[::1]:9464": an IP literal and a port (0 picks a free one).
// errc::invalid_input naming the text for anything else, host names included.
Result<asio::ip::tcp::endpoint> parse_listen_address(std::string_view text);

struct Health {
  bool healthy = true;
  std::string reason;  // why not, shown in the 503 body
};
using HealthCheck = std::function<Health()>;

struct MetricsServerOptions {
  std::chrono::milliseconds request_timeout{std::chrono::seconds(5)};  // whole exchange
  std::size_t max_request_bytes = 8 * 1024;  // request line + headers
  std::size_t max_connections = 16;
};

class MetricsServer {
 public:
  // Opens and binds the listening socket now, so that a busy port fails `run` at start.
  // errc::io_failed naming the address. `metrics` and `health` must outlive the server;
  // `health` is called on the io_context's thread, once per /health request.
  static Result<std::unique_ptr<MetricsServer>> bind(const asio::any_io_executor& executor,
                                                     const asio::ip::tcp::endpoint& address,
                                                     const Metrics& metrics, HealthCheck health,
                                                     MetricsServerOptions options = {});

  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // The bound address (the real port when 0 was asked).
  asio::ip::tcp::endpoint local_endpoint() const;

  // Accepts and serves until stop() or cancellation; returns after every connection ended.
  asio::awaitable<void> run();
  void stop();

  // The answer to one request head (request line and headers), without I/O; run() uses it,
  // and tests call it directly.
  struct Response {
    int status = 200;
    std::string content_type;
    std::string body;
    bool head = false;  // HEAD: headers only
  };
  Response respond(std::string_view request_head) const;
  static std::string serialize(const Response& response);

 private:
  MetricsServer(const asio::any_io_executor& executor, const Metrics& metrics, HealthCheck health,
                MetricsServerOptions options);

  asio::awaitable<void> serve(asio::ip::tcp::socket& socket);
  static asio::awaitable<void> drain(asio::ip::tcp::socket& socket);
  asio::awaitable<void> serve_with_deadline(std::list<asio::ip::tcp::socket>::iterator socket);
  asio::awaitable<void> wait_for_slot();
  void connection_done(std::list<asio::ip::tcp::socket>::iterator socket);

  asio::ip::tcp::acceptor acceptor_;
  const Metrics& metrics_;
  HealthCheck health_;
  MetricsServerOptions options_;
  std::list<asio::ip::tcp::socket> connections_;  // open ones, so stop() can close them
  asio::steady_timer slot_freed_;  // cancelled when a connection ends: a wake-up signal
  bool stopped_ = false;
};

}  // namespace cf::follower
