// A tiny HTTP/1.1 server for tests: listens on 127.0.0.1 (ephemeral port) or a unix socket,
// answers each request with whatever bytes the handler returns, then closes the connection.
//
// Replies are raw bytes on purpose, so tests can send what real servers rarely do on demand:
// chunked trailers, plain-text 405s, garbage JSON, stalls. One background thread serves
// connections one after another; the destructor stops it, cutting short any delay or stall.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/test_listener.hpp"

namespace cf::test {

struct HttpRequest {
  std::string method;
  std::string target;  // path and query, as sent
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // First value of a header (case-insensitive), or "".
  std::string header(std::string_view name) const;
};

struct HttpReply {
  std::string raw;                     // bytes sent as the whole response
  std::chrono::milliseconds delay{0};  // wait this long before sending
  bool hang = false;                   // never answer; hold the connection until shutdown
  // After `raw`, send this again and again (every few ms) until the client goes away or the
  // server stops: a stream that never ends. `raw` should then be a head without a length.
  std::string repeat{};
};

using HttpHandler = std::function<HttpReply(const HttpRequest&)>;

using ExtraHeaders = std::vector<std::pair<std::string, std::string>>;

// A complete response with Content-Length.
HttpReply make_reply(int status, std::string_view body,
                     std::string_view content_type = "text/plain; charset=utf-8",
                     const ExtraHeaders& headers = {});

// A chunked response, one chunk per element, then the given trailers.
HttpReply make_chunked_reply(int status, const std::vector<std::string>& chunks,
                             const ExtraHeaders& trailers,
                             std::string_view content_type = "application/json");

// A chunked 200 whose every chunk is `chunk`, sent forever (see HttpReply::repeat).
HttpReply make_endless_reply(std::string_view chunk, std::string_view content_type = "application/json");

class HttpTestServer {
 public:
  explicit HttpTestServer(HttpHandler handler);                  // TCP on 127.0.0.1
  HttpTestServer(std::string unix_path, HttpHandler handler);  // unix socket
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  std::uint16_t port() const { return listener_.port(); }
  // "http://127.0.0.1:<port><path>"
  std::string url(std::string_view path = "/") const;
  int request_count() const { return requests_.load(); }

 private:
  void handle(int fd);

  HttpHandler handler_;
  std::atomic<int> requests_{0};
  TestListener listener_;  // last: its thread may call handle() as soon as it exists
};

// A TCP port on 127.0.0.1 that refuses connections (bound, never listening).
class ClosedPort {
 public:
  ClosedPort();
  ~ClosedPort();
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace cf::test
