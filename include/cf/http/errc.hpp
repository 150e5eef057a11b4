// Error codes of the http layer (category "cf.http").
#pragma once

#include <system_error>

namespace cf::http {

enum class errc {
  invalid_request = 1,  // the request itself is unusable (bad URL, forbidden User-Agent, ...)
  resolve_failed,       // the host name did not resolve
  connect_failed,       // TCP or unix-socket connect failed (refused, unreachable)
  timed_out,            // the connect or total timeout ran out
  too_large,            // the body exceeded the request's max_body
  too_many_redirects,   // a GET followed more redirects than allowed
  tls_failed,           // TLS handshake or certificate verification failed
  aborted,              // the streaming callback asked to stop
  transport_failed,     // any other transfer failure (reset, malformed response, ...)
  stalled,              // no byte arrived for the request's idle_timeout
  cancelled,            // the caller cancelled it (a cancel/stop token, asio cancellation, shutdown): the transfer was cut
};

const std::error_category& http_category();
std::error_code make_error_code(errc e);

}  // namespace cf::http

template <>
struct std::is_error_code_enum<cf::http::errc> : std::true_type {};
