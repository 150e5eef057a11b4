// The REST API pinset source: configuration checks, the NDJSON stream and the pinset diff.
// See rest_source.hpp for the upstream facts it follows.
#include "cf/cluster/rest_source.hpp"

#include <cctype>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "cf/base/errc.hpp"
#include "cf/base/json.hpp"

namespace cf::cluster {
namespace {

constexpr std::size_t max_error_body = 4096;  // bytes of an error answer kept for the message

// `prefix` is lower case.
bool has_prefix_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

bool equals_ci(std::string_view s, std::string_view lower) {
  return s.size() == lower.size() && has_prefix_ci(s, lower);
}

// What is wrong with "host[:port]" (IPv6 hosts in brackets), or "" when it can be dialled.
std::string authority_problem(std::string_view authority) {
  std::string_view port;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return "has an IPv6 host without its closing ']'";
    if (close == 1) return "has no host";
    auto rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return "has characters after the IPv6 host";
    if (!rest.empty()) port = rest.substr(1);
  } else if (auto colon = authority.find(':'); colon != std::string_view::npos) {
    port = authority.substr(colon + 1);
    if (authority.substr(0, colon).find_first_of("[]") != std::string_view::npos) return "has a malformed host";
    if (port.find(':') != std::string_view::npos) return "has an IPv6 host without brackets";
  } else if (authority.find_first_of("[]") != std::string_view::npos) {
    return "has a malformed host";
  } else {
    return "";
  }
  if (authority.back() == ':') return "has an empty port";
  if (port.empty() && authority.front() == '[') return "";
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) return "has a bad port";
  auto number = std::stoul(std::string(port));
  if (number == 0 || number > 65535) return "has a port outside 1-65535";
  return "";
}

// Problems with the URL; `problems` gets at most one line for it.
void check_url(const std::string& url, std::vector<ConfigProblem>& problems) {
  auto fail = [&](std::string what) { problems.push_back({"url", std::move(what)}); };
  if (url.empty()) return fail("missing; the REST API of a trusted peer, e.g. \"http://127.0.0.1:9094\"");
  std::size_t scheme = has_prefix_ci(url, "http://") ? 7 : has_prefix_ci(url, "https://") ? 8 : 0;
  auto authority = url.substr(scheme, url.find('/', scheme) - scheme);
  // Checked before anything that quotes the URL: credentials must not reach a log line.
  if (authority.find('@') != std::string::npos) {
    return fail("must not contain credentials; use basic_auth_user and basic_auth_password");
  }
  if (scheme == 0) return fail("must start with http:// or https://, got \"" + url + "\"");
  for (char c : url) {
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) {
      return fail("must not contain spaces or control characters");
    }
  }
  if (url.find_first_of("?#") != std::string::npos) {
    return fail("must not have a query or fragment, got \"" + url + "\"");
  }
  if (authority.empty() || authority.front() == ':') return fail("has no host: \"" + url + "\"");
  if (auto problem = authority_problem(authority); !problem.empty()) return fail(problem + ": \"" + url + "\"");
}

// The "message" of upstream's {"code":…,"message":…} error body, else the body itself, on
// one line and cut short.
std::string server_message(const std::string& body) {
  std::string text = body;
  auto doc = cf::parse_json(body, "error body");
  if (doc && doc->is_object()) {
    auto it = doc->find("message");
    if (it != doc->end() && it->is_string()) text = it->get<std::string>();
  }
  for (auto& c : text) {
    if (std::iscntrl(static_cast<unsigned char>(c))) c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text.size() > 300 ? text.substr(0, 297) + "..." : text;
}

std::string source_name(const std::string& url) { return "cluster REST API " + url; }

// Splits the body into lines and hands each non-blank one to the sink. Bounded: a line longer
// than max_line or more than max_pins lines (one pin each) stops the transfer.
class NdjsonLines {
 public:
  NdjsonLines(const RestSourceConfig& config, const LineSink& sink, const OverlongSink& on_overlong,
              const std::string& url)
      : config_(config), sink_(sink), on_overlong_(on_overlong), prefix_(source_name(url) + ": ") {}

  // The chunk handler: false stops the transfer (the reason is in error()).
  bool on_chunk(const http::Response& head, std::string_view chunk) {
    if (head.status != 200) {
      auto room = max_error_body - std::min(max_error_body, error_body_.size());
      error_body_.append(chunk.substr(0, room));
      return true;
    }
    while (!chunk.empty()) {
      auto newline = chunk.find('\n');
      auto piece = chunk.substr(0, newline);
      if (!overlong_ && pending_.size() + piece.size() > config_.max_line) {
        if (!on_overlong_) {
          return fail(Error(pinset_errc::too_large, "line " + std::to_string(line_ + 1) + " is longer than " +
                                                        std::to_string(config_.max_line) + " bytes"));
        }
        overlong_ = true;  // dropped as it arrives, up to its newline
        pending_.clear();
        pending_.shrink_to_fit();
      }
      if (!overlong_) pending_.append(piece);
      if (newline == std::string_view::npos) break;
      chunk.remove_prefix(newline + 1);
      if (!(overlong_ ? take_overlong() : take_line())) return false;
    }
    return true;
  }

  // After a complete 200 answer: the last line when it had no newline.
  Status finish() {
    if (overlong_ && !take_overlong()) return *error_;
    if (!pending_.empty() && !take_line()) return *error_;
    return ok();
  }

  const std::optional<Error>& error() const { return error_; }
  const std::string& error_body() const { return error_body_; }
  const std::string& prefix() const { return prefix_; }
  std::size_t pins() const { return pins_; }

 private:
  bool take_line() {
    ++line_;
    std::string_view line(pending_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
    if (!blank && !deliver(line)) return false;
    pending_.clear();
    return true;
  }

  bool take_overlong() {
    ++line_;
    overlong_ = false;
    return deliver({}, true);
  }

  bool deliver(std::string_view line, bool overlong = false) {
    if (pins_ == config_.max_pins) {
      return fail(Error(pinset_errc::too_large, "the pinset has more than " +
                                                    std::to_string(config_.max_pins) + " pins"));
    }
    ++pins_;
    auto delivered = overlong ? on_overlong_(line_) : sink_(line, line_);
    if (!delivered) {
      error_ = std::move(delivered.error());  // the sink's own error, unchanged
      return false;
    }
    return true;
  }

  bool fail(Error e) {
    error_ = e.wrap(prefix_.substr(0, prefix_.size() - 2));
    return false;
  }

  const RestSourceConfig& config_;
  const LineSink& sink_;
  const OverlongSink& on_overlong_;
  std::string prefix_;
  std::string pending_;
  std::string error_body_;
  std::size_t line_ = 0;
  std::size_t pins_ = 0;
  bool overlong_ = false;  // inside a line over max_line, dropping its bytes
  std::optional<Error> error_;
};

Error status_error(const RestSourceConfig& config, const NdjsonLines& stream, long status) {
  auto message = server_message(stream.error_body());
  auto code = "HTTP " + std::to_string(status) + (message.empty() ? "" : ", \"" + message + "\"");
  if (status != 401) return Error(pinset_errc::rejected, stream.prefix() + code);
  auto hint = config.basic_auth
                  ? "the server refused the credentials of user \"" + config.basic_auth->user + "\""
                  : std::string("no credentials are configured; set cluster_follow.rest_api.basic_auth_user "
                                "and basic_auth_password (or CLUSTER_FOLLOW_RESTAPI_BASICAUTHUSER and "
                                "CLUSTER_FOLLOW_RESTAPI_BASICAUTHPASSWORD)");
  return Error(pinset_errc::auth_failed, stream.prefix() + "authentication failed (" + code + "): " + hint);
}

// Every non-empty X-Stream-Error trailer value, joined.
std::string stream_errors(const http::Response& response) {
  std::string errors;
  for (const auto& t : response.trailers) {
    if (!equals_ci(t.name, "x-stream-error") || t.value.empty()) continue;
    if (!errors.empty()) errors += "; ";
    errors += t.value;
  }
  return errors;
}

}  // namespace

std::vector<ConfigProblem> rest_source_problems(const RestSourceConfig& config) {
  std::vector<ConfigProblem> problems;
  check_url(config.url, problems);
  if (config.basic_auth) {
    const auto& user = config.basic_auth->user;
    if (user.empty()) {
      problems.push_back({"basic_auth_user", "missing while basic_auth_password is set"});
    } else if (user.find(':') != std::string::npos) {
      problems.push_back({"basic_auth_user", "must not contain ':' (basic auth cannot carry it)"});
    }
  }
  if (config.poll_interval < std::chrono::seconds(1)) {
    problems.push_back({"poll_interval", "must be at least 1s, got \"" + format_duration(config.poll_interval) + "\""});
  }
  using std::chrono::milliseconds;
  if (config.connect_timeout <= milliseconds::zero()) problems.push_back({"connect_timeout", "must be positive"});
  if (config.idle_timeout <= milliseconds::zero()) problems.push_back({"idle_timeout", "must be positive"});
  if (config.request_timeout < milliseconds::zero()) problems.push_back({"request_timeout", "must not be negative"});
  if (config.max_pins == 0) problems.push_back({"max_pins", "must be positive"});
  if (config.max_line == 0) problems.push_back({"max_line", "must be positive"});
  return problems;
}

std::string allocations_url(std::string_view base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  return std::string(base_url) + "/allocations?filter=all";
}

Result<RestSource> RestSource::create(RestSourceConfig config, http::ClientOptions client) {
  auto problems = rest_source_problems(config);
  if (!problems.empty()) {
    std::string detail;
    for (const auto& p : problems) {
      if (!detail.empty()) detail += '\n';
      detail += "rest_api." + p.key + ": " + p.what;
    }
    return Error(pinset_errc::invalid_config, detail);
  }
  auto url = allocations_url(config.url);
  return RestSource(std::move(config), http::Client(std::move(client)), std::move(url));
}

Status RestSource::stream_lines(const LineSink& on_line, const OverlongSink& on_overlong) {
  http::Request request;
  request.url = url_;
  request.headers = {{"Accept", "application/json"}};
  if (config_.basic_auth) request.auth = *config_.basic_auth;
  request.timeout = config_.request_timeout;
  request.idle_timeout = config_.idle_timeout;
  request.connect_timeout = config_.connect_timeout;
  request.max_body = 0;  // bounded per line and by max_pins instead
  NdjsonLines stream(config_, on_line, on_overlong, url_);
  auto response = client_.stream(request, [&](const http::Response& head, std::string_view chunk) {
    return stream.on_chunk(head, chunk);
  });
  if (stream.error()) return *stream.error();
  if (!response) {
    // A shutdown, not a fault of the source: the caller discards what was read.
    if (response.error() == http::errc::cancelled) return Error(cf::errc::cancelled, response.error().message());
    return Error(pinset_errc::unreachable, "cluster REST API: " + response.error().message());
  }
  if (response->status == 204) return ok();
  if (response->status != 200) return status_error(config_, stream, response->status);
  if (auto errors = stream_errors(*response); !errors.empty()) {
    return Error(pinset_errc::stream_failed, stream.prefix() + "stream error after " +
                                                 std::to_string(stream.pins()) + " pins: " + errors);
  }
  return stream.finish();
}

Result<Pin> RestSource::parse_line(std::string_view line, std::size_t number) const {
  auto pin = pin_from_json(line);
  if (!pin) return pin.error().wrap("line " + std::to_string(number)).wrap(source_name(url_));
  return pin;
}

Status RestSource::stream_pinset(const PinSink& on_pin) {
  return stream_lines([&](std::string_view line, std::size_t number) -> Status {
    CF_TRY_ASSIGN(pin, parse_line(line, number));
    return on_pin(std::move(pin));
  });
}

Result<std::vector<Pin>> RestSource::fetch_pinset() {
  std::vector<Pin> pins;
  auto status = stream_pinset([&pins](Pin&& pin) {
    pins.push_back(std::move(pin));
    return ok();
  });
  if (!status) return status.error();
  return pins;
}

}  // namespace cf::cluster
