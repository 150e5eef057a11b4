// A small blocking HTTP/1.1 client over libcurl, shared by the template fetch (cluster) and the
// Kubo RPC client (kubo).
//
// Blocking on purpose: the daemon runs it on a worker thread, never on the network loop. One
// Client owns one curl handle (so connections are reused between requests) and must be used
// by one thread at a time; make one Client per worker. Destroying the Client closes its
// connections. For many long transfers at once without a thread each (Kubo's pin/add
// streams), TransferRunner (transfer_runner.hpp) runs the same Requests as coroutines.
//
// What it adds over plain libcurl, because callers need it:
// - chunked trailers are returned apart from headers (Kubo reports errors that happen after a
//   200 in an `X-Stream-Error` trailer);
// - a body cap (`max_body`), so a hostile or broken server cannot exhaust memory;
// - our own User-Agent; a UA containing /kubo/ or /go-ipfs/ makes Kubo answer 400, so it is
//   refused here;
// - unix-socket targets (Kubo's `/unix/...` API address);
// - an idle timeout for long streams (Kubo's pin/add progress stream has no natural length).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/http/errc.hpp"

namespace cf::http {

// "cluster-follow/<version>".
std::string default_user_agent();

struct Header {
  std::string name;
  std::string value;
};
using Headers = std::vector<Header>;

// First value of `name` (case-insensitive), if any.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

// Where requests go: a base URL ("http://127.0.0.1:5001"), or a unix socket path with a
// base URL that only supplies the Host header and path prefix ("http://localhost").
struct Endpoint {
  std::string base_url;
  std::string unix_socket;  // empty: plain TCP

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

struct BasicAuth {
  std::string user;
  std::string password;
};
struct BearerAuth {
  std::string token;
};
using Auth = std::variant<std::monostate, BasicAuth, BearerAuth>;

enum class Method { get, post };

struct Request {
  Method method = Method::get;
  std::string url;          // absolute http:// or https:// URL
  std::string unix_socket;  // connect here instead of the URL's host (see Endpoint)
  Headers headers;
  std::string body;  // POST only; sent as is
  Auth auth;
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};  // whole request; 0 = none
  // 0 = off. Otherwise the transfer stops with errc::stalled once no byte (header or body) has
  // arrived for this long, which bounds an endless stream that goes quiet without capping its
  // total length. curl checks about once a second while idle, so the cut can come up to ~1 s
  // late.
  std::chrono::milliseconds idle_timeout{0};
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::size_t max_body = 16 * 1024 * 1024;  // 0 = no limit
  int max_redirects = 5;                    // GET only; POST never follows redirects
  // Proxy variables (http_proxy, ...) are honoured for remote hosts, as Go's default client
  // does for the template fetch; loopback hosts and unix sockets always go direct.
  bool use_env_proxy = true;
};

struct Response {
  long status = 0;
  Headers headers;   // of the final response (after redirects)
  Headers trailers;  // chunked trailers, in arrival order
  std::string body;  // empty for streamed requests
  std::string effective_url;

  std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
  std::optional<std::string_view> trailer(std::string_view name) const {
    return find_header(trailers, name);
  }
};

// Receives body bytes as they arrive, with the status and headers already filled in.
// Returning false stops the transfer (errc::aborted).
using ChunkHandler = std::function<bool(const Response& head, std::string_view chunk)>;

struct ClientOptions {
  std::string user_agent = default_user_agent();
};

class Client {
 public:
  explicit Client(ClientOptions options = {});
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends the request and collects the whole body. Any HTTP status is a value, not an error;
  // errors are transport failures, timeouts and the body cap. Details name method and URL.
  Result<Response> perform(const Request& request);

  // Like perform, but the body goes to `on_chunk` instead of Response::body. The body cap
  // still applies (set max_body = 0 for an endless stream).
  Result<Response> stream(const Request& request, const ChunkHandler& on_chunk);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace cf::http
