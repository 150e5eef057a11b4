// Error codes of the cluster layer (category "cf.cluster").
#pragma once

#include <system_error>

#include "cf/base/result.hpp"

namespace cf::cluster {

enum class errc {
  invalid_template = 1,  // the follower template is not usable; detail: one line per problem
  invalid_duration,      // a Go duration string did not parse; detail: Go's own message
  invalid_env,           // a CLUSTER_* variable held an unusable value; detail names it
  invalid_local_config,  // <config>/<name>/service.json is malformed
  invalid_source,        // a template source (URL or DNSLink name) is empty or malformed
  fetch_failed,          // the template could not be fetched (transport errors, 5xx) in time
  fetch_rejected,        // the template server answered with a non-retryable status (4xx)
  unsupported_endpoint,  // node_multiaddress cannot be dialled as an HTTP API
  io_failed,             // reading or writing a config file failed; detail names the path
};

const std::error_category& cluster_category();
std::error_code make_error_code(errc e);

// The template could not be obtained from its source (upstream's IsErrFetchingSource): the
// caller may fall back to a cached copy.
bool is_fetch_error(const Error& e);

}  // namespace cf::cluster

template <>
struct std::is_error_code_enum<cf::cluster::errc> : std::true_type {};
