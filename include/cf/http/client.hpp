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
// - an idle timeout for long streams (Kubo's pin/add progress stream has no natural length);
// - cancellation: a Client made with a stop token ends any transfer (connect, wait or stream)
//   with errc::cancelled within about a second of the token's stop request, so a shutdown
//   never waits for a request's own timeout.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
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

// What curl makes of an absolute URL, checked before it is stored or used.
struct UrlCheck {
  bool valid = false;            // an http:// or https:// URL with a host curl accepts
  std::string problem;           // why not, when !valid ("no host name in the URL", ...)
  bool has_credentials = false;  // "user:password@" (or just "user@") in the authority
};
// Never quotes the URL: it may hold credentials.
UrlCheck check_url(std::string_view url);

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
  // GET only; POST never follows redirects. From an https URL only https redirects are followed
  // (errc::invalid_request "refused to follow a redirect from https to ..." otherwise).
  int max_redirects = 5;
  // Proxy variables (http_proxy, ...) are honoured for remote hosts, as Go's default client
  // does for the template fetch; loopback hosts and unix sockets always go direct.
  bool use_env_proxy = true;
  // PEM file of the certificate authorities to trust instead of the system's; empty = the
  // system's. For tests and private CAs.
  std::string ca_file;
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
  // Once stop is requested, every transfer of this Client ends with errc::cancelled: curl
  // looks at it on every pass of its loop (at least about once a second while idle), and a
  // request made after the stop fails at once. Default: never cancelled.
  std::stop_token cancel{};
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
