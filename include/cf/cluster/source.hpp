// Where a follower's template comes from, and fetching it.
//
// Mirrors ipfs-cluster-follow's init/run (cmd/ipfs-cluster-follow/commands.go) and
// config.Manager.LoadJSONFromHTTPSource, with these deliberate differences (DESIGN §5):
// - a scheme-less gateway gets "http://" (upstream since v1.1.5 stores "127.0.0.1:8080/ipns/..",
//   which Go's HTTP client then refuses);
// - the fetch has a timeout, a body cap and retries with backoff (upstream: one plain GET).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <stop_token>
#include <string_view>

#include "cf/base/result.hpp"

namespace cf::cluster {

// Upstream's default gateway (env IPFS_GATEWAY overrides it; the caller reads the env).
inline constexpr std::string_view default_gateway = "127.0.0.1:8080";

struct ResolvedSource {
  std::string url;
  bool dnslink = false;  // true when `url` was built from a DNSLink name through the gateway
};

// Whether a template URL can be stored and fetched: http:// or https:// with a host that curl
// accepts ("http://" and "http://[::1" are refused), and no credentials (user:password@), which
// would end up in service.json, the logs and `info` (the REST API URL refuses them too; see
// docs/configuration.md). errc::invalid_source; the detail never quotes a URL with credentials.
Status check_template_url(std::string_view url);

// An http:// or https:// URL is used as is (after check_template_url); anything else is a
// DNSLink name and becomes "<gateway>/ipns/<name>". errc::invalid_source for an empty input, a
// name with spaces or slashes, an unusable URL or gateway, or credentials in either.
Result<ResolvedSource> resolve_source(std::string_view url_or_dnslink,
                                      std::string_view gateway = default_gateway);

struct FetchOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};  // per attempt
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  int attempts = 5;
  std::chrono::milliseconds initial_backoff{std::chrono::seconds(1)};  // doubles each retry
  std::chrono::milliseconds max_backoff{std::chrono::seconds(30)};
  // How to wait between attempts; empty means std::this_thread::sleep_for. Tests inject one.
  std::function<void(std::chrono::milliseconds)> sleep;
  std::size_t max_body = 4 * 1024 * 1024;
  // Stop requested: the attempt in progress and any backoff wait end within about a second,
  // and the fetch fails with cf::errc::cancelled (a shutdown during a SIGHUP reload).
  std::stop_token cancel;
};

// GETs the template text (following redirects). Transport failures and 5xx answers are retried
// up to `attempts` times; other non-2xx answers (4xx) and an over-size body are not.
// Errors: errc::fetch_failed or errc::fetch_rejected (see is_fetch_error), detail
// "fetching configuration from <url> failed after <n> attempt(s): <last cause>".
// Each attempt is logged on the "config" logger.
Result<std::string> fetch_template(std::string_view url, const FetchOptions& options = {});

}  // namespace cf::cluster
