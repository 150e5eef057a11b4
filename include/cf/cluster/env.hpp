// CLUSTER_* environment overrides of the template, with upstream's names and value syntax
// (each component's ApplyEnvVars runs kelseyhightower/envconfig over its JSON struct):
// - cluster section: CLUSTER_<FIELD> (CLUSTER_SECRET, CLUSTER_PEERNAME, CLUSTER_PEERADDRESSES,
//   CLUSTER_CONNECTIONMANAGER_HIGHWATER for nested objects);
// - other components: CLUSTER_<COMPONENT>_<FIELD> (CLUSTER_CRDT_TRUSTEDPEERS,
//   CLUSTER_IPFSHTTP_NODEMULTIADDRESS, CLUSTER_STATELESS_CONCURRENTPINS, CLUSTER_DISK_METRICTTL);
// where FIELD is the JSON key upper-cased without underscores. Our own section has our own
// names: CLUSTER_FOLLOW_RESTAPI_URL (which alone may add the section), ..._BASICAUTHUSER,
// ..._BASICAUTHPASSWORD, ..._POLLINTERVAL for cluster_follow.rest_api. Lists are comma-separated (an
// empty value is an empty list), maps are "k1:v1,k2:v2", booleans use Go's strconv.ParseBool
// spellings, integers are decimal. Durations are Go duration strings.
//
// As upstream, overrides apply after the template was parsed and validated, and the result is
// validated again. Informer variables apply only to informers the template enables (upstream
// runs only those). CLUSTER_ID / CLUSTER_PRIVATEKEY belong to the identity, not here.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/cluster/template.hpp"

namespace cf::cluster {

// Looks a variable up; nullopt when unset (set-but-empty is a value, as in envconfig).
using GetEnv = std::function<std::optional<std::string>(const std::string& name)>;

// std::getenv.
GetEnv process_env();

struct EnvOverrides {
  std::vector<std::string> applied;  // variable names only: values may be secrets
  std::vector<std::string> ignored;  // set, but for a section the template does not enable
};

// Applies every set CLUSTER_* variable this module knows to `t` (also to t.raw_json), then
// re-validates. On failure `t` is unchanged and the error (errc::invalid_env or
// errc::invalid_template) has one line per problem, naming the variable.
Result<EnvOverrides> apply_env_overrides(Template& t, const GetEnv& getenv);

// Every variable name apply_env_overrides reads, for help texts and tests.
std::vector<std::string> env_variable_names();

}  // namespace cf::cluster
