// The cluster REST API as a pinset source (DESIGN §4, source 2): the whole pinset is read
// from a trusted peer's `GET /allocations?filter=all` (ipfs-cluster v1.1.6
// api/rest/restapi.go allocationsHandler, api/common/api.go StreamResponse):
// - newline-delimited JSON pins (api/types.go Pin), chunked, one pin per line;
// - `filter=all`, not `pin`: cluster DAG, shard and meta pins must reach the follower policy;
// - 204 No Content for an empty pinset;
// - errors after the 200 arrive in the `X-Stream-Error` trailer (always sent, empty when
//   all went well; more than one may be added);
// - basic auth (or JWT) when the peer's restapi sets basic_auth_credentials; 401 otherwise.
// Upstream's follower has no such source; it and its template section
// ("cluster_follow.rest_api", which upstream ignores) are ours.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/cluster/duration.hpp"
#include "cf/cluster/pin.hpp"
#include "cf/cluster/pinset_diff.hpp"
#include "cf/http/client.hpp"

namespace cf::cluster {

// Template section "cluster_follow.rest_api", keys url, basic_auth_user,
// basic_auth_password, poll_interval (env CLUSTER_FOLLOW_RESTAPI_URL, ..._BASICAUTHUSER,
// ..._BASICAUTHPASSWORD, ..._POLLINTERVAL). The other members have no template key.
struct RestSourceConfig {
  // http:// or https:// base URL of the REST API, e.g. "http://127.0.0.1:9094", optionally
  // with a path prefix (behind a proxy); no credentials, query or fragment.
  std::string url;
  std::optional<http::BasicAuth> basic_auth;  // the password is never logged or echoed
  Duration poll_interval = std::chrono::seconds(30);  // between fetches; at least 1 s
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};  // no byte for this long: fail
  std::chrono::milliseconds request_timeout{std::chrono::hours(1)};  // the whole pinset; 0 = none
  std::size_t max_pins = 10'000'000;
  std::size_t max_line = max_pin_json_size;  // bytes of one NDJSON line
};

// One problem with a configuration: the template key it is about ("url", "basic_auth_user",
// "poll_interval", ...) and what is wrong, never quoting the password.
struct ConfigProblem {
  std::string key;
  std::string what;
};
std::vector<ConfigProblem> rest_source_problems(const RestSourceConfig& config);

// "<base url without trailing '/'>/allocations?filter=all".
std::string allocations_url(std::string_view base_url);

// Receives each pin as it is parsed; a failed Status stops the fetch with that error.
using PinSink = std::function<Status(Pin&& pin)>;
// Receives each non-blank NDJSON line (without its line end) and its 1-based line number.
using LineSink = std::function<Status(std::string_view line, std::size_t number)>;
// Receives the 1-based number of a line longer than max_line; its bytes were dropped as they
// arrived, so the transfer goes on with the next line.
using OverlongSink = std::function<Status(std::size_t number)>;

// Fetches the pinset from one trusted peer. Blocking; owns one http::Client (connections are
// reused between fetches), so it must be used by one thread at a time: make one per thread.
// Nothing runs in the background; destroying it closes its connections.
class RestSource {
 public:
  // pinset_errc::invalid_config, detail one line per problem ("rest_api.url: ...").
  // `client.cancel` ends a fetch in progress (a shutdown or a reconfiguration).
  static Result<RestSource> create(RestSourceConfig config, http::ClientOptions client = {});

  const RestSourceConfig& config() const { return config_; }
  const std::string& url() const { return url_; }  // the allocations URL

  // Streams the pinset into `on_pin`, line by line, without holding it in memory. On error
  // some pins may already have been delivered; the caller must not treat them as the whole
  // pinset. Errors (every detail names url()):
  //   unreachable   transport failure or timeout;
  //   auth_failed   HTTP 401 (says whether credentials were configured);
  //   rejected      any other status but 200/204 (with the server's message);
  //   stream_failed a non-empty X-Stream-Error trailer;
  //   invalid_pin   a line that is not a valid pin ("line <n>: pin: <field>: ...");
  //   too_large     a line over max_line bytes or more than max_pins pins;
  //   cf::errc::cancelled  the client's cancel token stopped it (within about a second);
  //   or the error `on_pin` returned.
  Status stream_pinset(const PinSink& on_pin);
  // The same stream, unparsed: each line goes to `on_line` as it arrives (the same errors,
  // but no invalid_pin: see parse_line). With `on_overlong`, a line over max_line goes there
  // instead of failing the transfer with too_large (it still counts towards max_pins).
  Status stream_lines(const LineSink& on_line, const OverlongSink& on_overlong = {});
  // One line of that stream as a pin; invalid_pin names this source and the line number.
  Result<Pin> parse_line(std::string_view line, std::size_t number) const;

  // The whole pinset, in the server's order.
  Result<std::vector<Pin>> fetch_pinset();

 private:
  RestSource(RestSourceConfig config, http::Client client, std::string url)
      : config_(std::move(config)), client_(std::move(client)), url_(std::move(url)) {}

  RestSourceConfig config_;
  http::Client client_;
  std::string url_;
};

}  // namespace cf::cluster
