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

// One streamed answer, fed chunk by chunk (on whichever thread the transport calls it), then
// judged: the status, the trailer and the last line. Shared by the blocking and the async call.
class Client::LineStream {
 public:
  LineStream(const Client& client, std::string_view command, const StreamLimits& limits, const LineHandler& on_line)
      : client_(client), command_(command), limits_(limits), on_line_(on_line) {}

  bool on_chunk(const http::Response& head, std::string_view chunk) {
    if (head.status != 200) {
      error_body_.append(chunk.substr(0, max_error_body - std::min(max_error_body, error_body_.size())));
      return true;
    }
    stopped_ = splitter_.feed(chunk, on_line_);
    return stopped_.has_value();
  }

  Status finish(const Result<http::Response>& response) {
    if (!stopped_) return in_context(stopped_.error());
    if (!response && response.error() == http::errc::stalled) {
      return client_.failure(command_, limits_.idle_code,
                             "nothing received for " + std::to_string(limits_.idle.count()) + " ms");
    }
    if (!response && response.error() == http::errc::cancelled) {
      return Error(cf::errc::cancelled, prefix() + "stopped: shutting down");
    }
    if (!response) return client_.transport_error(command_, response.error());
    if (response->status != 200) return client_.answer_error(command_, response->status, error_body_);
    if (auto trailer = response->trailer("X-Stream-Error"); trailer && !trailer->empty()) {
      return client_.failure(command_, errc::stream_error, std::string(*trailer));
    }
    if (auto last = splitter_.finish(on_line_); !last) return in_context(last.error());
    return ok();
  }

 private:
  std::string prefix() const { return "kubo " + client_.endpoint_text() + " /api/v0/" + std::string(command_) + ": "; }

  // on_line and the splitter speak without context: a kubo code (pin_timeout) is kept, a
  // cancellation by the caller stays one, anything else is a malformed answer.
  Error in_context(const Error& e) const {
    if (e == cf::errc::cancelled) return Error(e.code(), prefix() + e.message());
    bool ours = e.code().category() == kubo_category();
    return client_.failure(command_, ours ? static_cast<errc>(e.code().value()) : errc::bad_response, e.message());
  }

  const Client& client_;
  std::string_view command_;
  const StreamLimits& limits_;
  const LineHandler& on_line_;
  detail::LineSplitter splitter_;
  std::string error_body_;  // of a non-200 answer
  Status stopped_;          // why on_line stopped the stream
};

http::Request Client::stream_request(std::string_view command, std::string_view query,
                                     const StreamLimits& limits) const {
  auto req = request(command, query, limits.timeout);
  req.max_body = 0;  // endless by nature; each line is bounded by the splitter instead
  req.idle_timeout = limits.idle;
  return req;
}

Status Client::stream_lines(std::string_view command, std::string_view query,
                            const StreamLimits& limits, const LineHandler& on_line) {
  LineStream stream(*this, command, limits, on_line);
  auto response = http_.stream(stream_request(command, query, limits),
                               [&](const http::Response& head, std::string_view chunk) {
                                 return stream.on_chunk(head, chunk);
                               });
  return stream.finish(response);
}

Task<Status> Client::stream_lines(http::TransferRunner& runner, std::string command, std::string query,
                                  StreamLimits limits, LineHandler on_line, std::stop_token stop) const {
  LineStream stream(*this, command, limits, on_line);
  // on_chunk runs on the runner's thread while this frame is suspended: it touches only `stream`.
  auto response = co_await runner.stream(
      stream_request(command, query, limits),
      [&stream](const http::Response& head, std::string_view chunk) { return stream.on_chunk(head, chunk); },
      std::move(stop));
  co_return stream.finish(response);
}

}  // namespace cf::kubo
