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
// One order for every setting: command-line flag > environment variable > template > built-in
// default. A flag stands in for its variable (FlagOverride), so it takes exactly the same path:
// `run --rest-api URL` adds the REST API section as CLUSTER_FOLLOW_RESTAPI_URL would, and the
// other CLUSTER_FOLLOW_RESTAPI_* variables then apply to it.
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

// A command-line value that takes the place of one variable (and wins over it).
struct FlagOverride {
  std::string variable;  // the variable it stands for, e.g. "CLUSTER_FOLLOW_RESTAPI_URL"
  std::string flag;      // what the user typed, e.g. "--rest-api"; names it in messages
  std::string value;
};
using FlagOverrides = std::vector<FlagOverride>;

struct EnvOverrides {
  std::vector<std::string> applied;  // variable (or flag) names only: values may be secrets
  // Set, but for a section that is not there: an informer the template does not enable, or
  // a CLUSTER_FOLLOW_RESTAPI_* detail while no REST API URL is configured anywhere.
  std::vector<std::string> ignored;
};

// Applies every set CLUSTER_* variable this module knows, and every flag in `flags` in place
// of its variable, to `t` (also to t.raw_json), then re-validates. On failure `t` is unchanged
// and the error (errc::invalid_env or errc::invalid_template) has one line per problem, naming
// the variable or flag.
Result<EnvOverrides> apply_env_overrides(Template& t, const GetEnv& getenv, const FlagOverrides& flags = {});

// Every variable name apply_env_overrides reads, for help texts and tests.
std::vector<std::string> env_variable_names();

}  // namespace cf::cluster
