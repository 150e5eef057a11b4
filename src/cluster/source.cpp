#include "cf/cluster/source.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "cf/base/errc.hpp"

#include "cf/base/log.hpp"
#include "cf/cluster/duration.hpp"
#include "cf/cluster/errc.hpp"
#include "cf/http/client.hpp"

namespace cf::cluster {
namespace {

bool has_http_scheme(std::string_view s) {
  return s.starts_with("http://") || s.starts_with("https://");
}

// A DNSLink name is a domain (or any IPNS name): no spaces, slashes or control characters.
bool plausible_ipns_name(std::string_view name) {
  return std::none_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == '/' || c == '\\' || c == 0x7f;
  });
}

// At most 200 printable characters of a response body, for an error line.
std::string body_excerpt(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, 200)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (body.size() > 200) out += "...";
  return out;
}

// `"` + text + `"`, built by appending (GCC 12 warns falsely on `"\"" + std::string(...)`).
std::string quoted(std::string_view text) {
  std::string out;
  out += '"';
  out += text;
  out += '"';
  return out;
}

constexpr std::string_view credentials_refusal =
    " must not contain credentials (user:password@): they would be stored in service.json, logged at every "
    "start and shown by info. Serve the template without them; a protected REST API source takes "
    "cluster_follow.rest_api.basic_auth_user and basic_auth_password (or CLUSTER_FOLLOW_RESTAPI_BASICAUTHUSER "
    "and CLUSTER_FOLLOW_RESTAPI_BASICAUTHPASSWORD) instead";

bool retryable(const Error& e) {
  return e == http::errc::connect_failed || e == http::errc::timed_out ||
         e == http::errc::resolve_failed || e == http::errc::transport_failed;
}

struct Attempt {
  Result<std::string> result;
  bool retry = false;
};

// One GET; the cause in an error is short, the caller adds the URL and the attempt count.
Attempt fetch_once(http::Client& client, const std::string& url, const FetchOptions& options) {
  http::Request req;
  req.url = url;
  req.timeout = options.timeout;
  req.connect_timeout = options.connect_timeout;
  req.max_body = options.max_body;
  auto response = client.perform(req);
  if (!response) {
    bool retry = retryable(response.error());
    // The http layer's detail starts with "GET <url>: "; the caller names the URL already.
    auto cause = response.error().message();
    auto prefix = "GET " + url + ": ";
    if (cause.starts_with(prefix)) cause.erase(0, prefix.size());
    return {Error(retry ? errc::fetch_failed : errc::fetch_rejected, cause), retry};
  }
  if (response->status >= 200 && response->status < 300) return {std::move(response->body)};
  auto cause = "unsuccessful request (" + std::to_string(response->status) +
               "): " + body_excerpt(response->body);
  bool retry = response->status >= 500;
  return {Error(retry ? errc::fetch_failed : errc::fetch_rejected, cause), retry};
}

// Waits between attempts; false when the wait was cut short by the cancel token.
bool wait_backoff(std::chrono::milliseconds backoff, const FetchOptions& options) {
  if (options.sleep) {
    options.sleep(backoff);
  } else if (options.cancel.stop_possible()) {
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    cv.wait_for(lock, options.cancel, backoff, [] { return false; });
  } else {
    std::this_thread::sleep_for(backoff);
  }
  return !options.cancel.stop_requested();
}

std::chrono::milliseconds next_backoff(std::chrono::milliseconds current,
                                       const FetchOptions& options) {
  return std::min(current * 2, options.max_backoff);
}

// A URL stored in service.json and fetched at every start: usable, and without credentials,
// which would sit in service.json and reach every log line and `info`. `what` names the URL.
Status check_source_url(const std::string& url, std::string_view what) {
  auto check = http::check_url(url);
  if (check.has_credentials) {
    return Error(errc::invalid_source, std::string(what).append(credentials_refusal));
  }
  if (!check.valid) {
    return Error(errc::invalid_source, std::string(what) + " " + quoted(url) + " is not a usable URL: " + check.problem);
  }
  return ok();
}

}  // namespace

Status check_template_url(std::string_view url) { return check_source_url(std::string(url), "the configuration URL"); }

Result<ResolvedSource> resolve_source(std::string_view url_or_dnslink, std::string_view gateway) {
  if (url_or_dnslink.empty()) return Error(errc::invalid_source, "the configuration source is empty");
  if (has_http_scheme(url_or_dnslink)) {
    CF_TRY(check_template_url(url_or_dnslink));
    return ResolvedSource{std::string(url_or_dnslink), false};
  }
  if (!plausible_ipns_name(url_or_dnslink)) {
    return Error(errc::invalid_source,
                 quoted(url_or_dnslink) + " is neither an http(s) URL nor a DNSLink name");
  }
  std::string base(gateway);
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.empty()) return Error(errc::invalid_source, "the IPFS gateway address is empty");
  if (!has_http_scheme(base)) {
    if (base.find("://") != std::string::npos) {
      return Error(errc::invalid_source, "unsupported IPFS gateway " + quoted(base));
    }
    base = "http://" + base;  // upstream forgets this and stores an unusable URL
  }
  CF_TRY(check_source_url(base, "the IPFS gateway (--gateway or IPFS_GATEWAY)"));
  return ResolvedSource{base + "/ipns/" + std::string(url_or_dnslink), true};
}

Result<std::string> fetch_template(std::string_view url_view, const FetchOptions& options) {
  auto logger = log::get("config");
  std::string url(url_view);
  int attempts = std::max(options.attempts, 1);
  auto backoff = options.initial_backoff;
  http::Client client(http::ClientOptions{.cancel = options.cancel});
  Attempt last{Error(errc::fetch_failed, "no attempt made")};
  int made = 0;
  while (made < attempts) {
    ++made;
    logger->info("loading configuration from {} (attempt {}/{})", url, made, attempts);
    last = fetch_once(client, url, options);
    if (last.result) return std::move(*last.result);
    if (options.cancel.stop_requested()) {
      return Error(cf::errc::cancelled, "fetching configuration from " + url + ": cancelled (shutting down)");
    }
    if (!last.retry || made == attempts) break;
    logger->warn("fetching configuration from {} failed: {}; retrying in {}", url,
                 last.result.error().message(), format_duration(backoff));
    if (!wait_backoff(backoff, options)) {
      return Error(cf::errc::cancelled, "fetching configuration from " + url + ": cancelled (shutting down)");
    }
    backoff = next_backoff(backoff, options);
  }
  auto& error = last.result.error();
  return Error(error.code(), "fetching configuration from " + url + " failed after " +
                                 std::to_string(made) + (made == 1 ? " attempt: " : " attempts: ") +
                                 error.message());
}

}  // namespace cf::cluster
