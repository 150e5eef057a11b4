// The call path every command shares: request shape (A1), answer and error mapping (A3), and
// the streamed variant for NDJSON outputs.
#include "cf/base/errc.hpp"
#include "cf/kubo/client.hpp"

#include <algorithm>

#include "answer.hpp"
#include "ndjson.hpp"

namespace cf::kubo {
namespace {

constexpr std::size_t max_answer = 4 * 1024 * 1024;   // single-value answers are a few KiB
constexpr std::size_t max_error_body = 64 * 1024;     // of a non-200 answer to a stream

errc from_http(const Error& e) {
  if (e == http::errc::connect_failed || e == http::errc::resolve_failed) return errc::unreachable;
  if (e == http::errc::timed_out) return errc::timed_out;
  return errc::transport_failed;
}

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)) {}

std::string Client::endpoint_text() const {
  if (!options_.endpoint.unix_socket.empty()) return "unix:" + options_.endpoint.unix_socket;
  return options_.endpoint.base_url;
}

Error Client::failure(std::string_view command, errc code, const std::string& why) const {
  return Error(code, "kubo " + endpoint_text() + " /api/v0/" + std::string(command) + ": " + why);
}

http::Request Client::request(std::string_view command, std::string_view query,
                              std::chrono::milliseconds timeout) const {
  http::Request req;
  req.method = http::Method::post;
  req.url = options_.endpoint.base_url + "/api/v0/" + std::string(command);
  if (!query.empty()) {
    req.url += '?';
    req.url += query;
  }
  req.unix_socket = options_.endpoint.unix_socket;
  req.auth = options_.auth;
  req.timeout = timeout;
  req.connect_timeout = options_.connect_timeout;
  req.max_body = max_answer;
  req.use_env_proxy = false;  // Kubo is local; a proxy would only get in the way
  return req;
}

Error Client::answer_error(std::string_view command, long status, std::string_view body) const {
  auto suffix = " (HTTP " + std::to_string(status) + ")";
  if (auto message = detail::kubo_error_message(body)) {
    auto code = detail::says_not_pinned(*message) ? errc::not_pinned : errc::api_error;
    return failure(command, code, *message + suffix);
  }
  auto text = detail::one_line(body);
  return failure(command, errc::http_error, (text.empty() ? "empty answer" : text) + suffix);
}

Error Client::transport_error(std::string_view command, const Error& e) const {
  return failure(command, from_http(e), e.message());
}

Result<std::string> Client::call(std::string_view command, std::string_view query,
                                 std::chrono::milliseconds timeout) {
  auto response = http_.perform(request(command, query, timeout));
  if (!response) return transport_error(command, response.error());
  if (response->status != 200) return answer_error(command, response->status, response->body);
  // A command that fails after the 200 was sent reports it in the trailer.
  if (auto trailer = response->trailer("X-Stream-Error"); trailer && !trailer->empty()) {
    return failure(command, errc::stream_error, std::string(*trailer));
  }
  return std::move(response->body);
}

Status Client::stream_lines(std::string_view command, std::string_view query,
                            const StreamLimits& limits, const LineHandler& on_line) {
  auto req = request(command, query, limits.timeout);
  req.max_body = 0;  // endless by nature; each line is bounded by the splitter instead
  req.idle_timeout = limits.idle;
  detail::LineSplitter splitter;
  std::string error_body;  // of a non-200 answer
  Status stopped;          // why on_line stopped the stream
  auto on_chunk = [&](const http::Response& head, std::string_view chunk) {
    if (head.status != 200) {
      error_body.append(chunk.substr(0, max_error_body - std::min(max_error_body, error_body.size())));
      return true;
    }
    stopped = splitter.feed(chunk, on_line);
    return stopped.has_value();
  };
  // on_line and the splitter speak without context: a kubo code (pin_timeout) is kept, a
  // cancellation by the caller stays one, anything else is a malformed answer.
  auto in_context = [&](const Error& e) -> Error {
    if (e == cf::errc::cancelled) return Error(e.code(), "kubo " + endpoint_text() + " /api/v0/" +
                                                             std::string(command) + ": " + e.message());
    bool ours = e.code().category() == kubo_category();
    return failure(command, ours ? static_cast<errc>(e.code().value()) : errc::bad_response,
                   e.message());
  };
  auto response = http_.stream(req, on_chunk);
  if (!stopped) return in_context(stopped.error());
  if (!response && response.error() == http::errc::stalled) {
    return failure(command, limits.idle_code,
                   "nothing received for " + std::to_string(limits.idle.count()) + " ms");
  }
  if (!response) return transport_error(command, response.error());
  if (response->status != 200) return answer_error(command, response->status, error_body);
  if (auto trailer = response->trailer("X-Stream-Error"); trailer && !trailer->empty()) {
    return failure(command, errc::stream_error, std::string(*trailer));
  }
  if (auto last = splitter.finish(on_line); !last) return in_context(last.error());
  return ok();
}

}  // namespace cf::kubo
