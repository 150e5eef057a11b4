// Env overrides work on the template's JSON, like upstream's ApplyEnvVars (config → JSON
// struct → envconfig → applyJSONConfig): each set variable writes its JSON key, then the whole
// document goes through parse + validate again, so an override gets exactly the checks and
// messages a template value would.
#include "cf/cluster/env.hpp"

#include <cctype>
#include <cstdlib>
#include <limits>

#include "cf/cluster/errc.hpp"
#include "json_reader.hpp"
#include "template_internal.hpp"

namespace cf::cluster {
namespace {

using detail::Json;

enum class Kind { string, boolean, integer, list, map };

struct EnvField {
  const char* path;  // JSON key path; the section is its first two parts ("cluster": one)
  Kind kind;
  const char* name = nullptr;  // our own (non-upstream) keys: the variable's explicit name
};

// The keys of the sections the template models (see template.hpp), in upstream's order.
constexpr EnvField fields[] = {
    {"cluster.peername", Kind::string},
    {"cluster.secret", Kind::string},
    {"cluster.leave_on_shutdown", Kind::boolean},
    {"cluster.listen_multiaddress", Kind::list},
    {"cluster.announce_multiaddress", Kind::list},
    {"cluster.no_announce_multiaddress", Kind::list},
    {"cluster.enable_relay_hop", Kind::boolean},
    {"cluster.connection_manager.high_water", Kind::integer},
    {"cluster.connection_manager.low_water", Kind::integer},
    {"cluster.connection_manager.grace_period", Kind::string},
    {"cluster.pubsub.seen_messages_ttl", Kind::string},
    {"cluster.pubsub.heartbeat_interval", Kind::string},
    {"cluster.pubsub.d_factor", Kind::integer},
    {"cluster.pubsub.history_gossip", Kind::integer},
    {"cluster.pubsub.history_length", Kind::integer},
    {"cluster.pubsub.flood_publish", Kind::boolean},
    {"cluster.dial_peer_timeout", Kind::string},
    {"cluster.state_sync_interval", Kind::string},
    {"cluster.pin_recover_interval", Kind::string},
    {"cluster.replication_factor_min", Kind::integer},
    {"cluster.replication_factor_max", Kind::integer},
    {"cluster.monitor_ping_interval", Kind::string},
    {"cluster.peer_watch_interval", Kind::string},
    {"cluster.mdns_interval", Kind::string},
    {"cluster.disable_repinning", Kind::boolean},
    {"cluster.follower_mode", Kind::boolean},
    {"cluster.peer_addresses", Kind::list},
    {"consensus.crdt.cluster_name", Kind::string},
    {"consensus.crdt.trusted_peers", Kind::list},
    {"consensus.crdt.batching.max_batch_size", Kind::integer},
    {"consensus.crdt.batching.max_batch_age", Kind::string},
    {"consensus.crdt.batching.max_queue_size", Kind::integer},
    {"consensus.crdt.repair_interval", Kind::string},
    {"consensus.crdt.rebroadcast_interval", Kind::string},
    {"consensus.crdt.peerset_metric", Kind::string},
    {"consensus.crdt.datastore_namespace", Kind::string},
    {"ipfs_connector.ipfshttp.node_multiaddress", Kind::string},
    {"ipfs_connector.ipfshttp.connect_swarms_delay", Kind::string},
    {"ipfs_connector.ipfshttp.ipfs_request_timeout", Kind::string},
    {"ipfs_connector.ipfshttp.pin_timeout", Kind::string},
    {"ipfs_connector.ipfshttp.unpin_timeout", Kind::string},
    {"ipfs_connector.ipfshttp.repogc_timeout", Kind::string},
    {"ipfs_connector.ipfshttp.informer_trigger_interval", Kind::integer},
    {"ipfs_connector.ipfshttp.unpin_disable", Kind::boolean},
    {"pin_tracker.stateless.max_pin_queue_size", Kind::integer},
    {"pin_tracker.stateless.concurrent_pins", Kind::integer},
    {"pin_tracker.stateless.priority_pin_max_age", Kind::string},
    {"pin_tracker.stateless.priority_pin_max_retries", Kind::integer},
    {"informer.disk.metric_ttl", Kind::string},
    {"informer.disk.metric_type", Kind::string},
    {"informer.tags.metric_ttl", Kind::string},
    {"informer.tags.tags", Kind::map},
    {"informer.pinqueue.metric_ttl", Kind::string},
    {"informer.pinqueue.weight_bucket_size", Kind::integer},
    // cluster-follow's own section, in our own CLUSTER_FOLLOW_ namespace. The URL comes first:
    // it alone can add the section, the others only change a section that exists.
    {"cluster_follow.rest_api.url", Kind::string, "CLUSTER_FOLLOW_RESTAPI_URL"},
    {"cluster_follow.rest_api.basic_auth_user", Kind::string, "CLUSTER_FOLLOW_RESTAPI_BASICAUTHUSER"},
    {"cluster_follow.rest_api.basic_auth_password", Kind::string,
     "CLUSTER_FOLLOW_RESTAPI_BASICAUTHPASSWORD"},
    {"cluster_follow.rest_api.poll_interval", Kind::string, "CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL"},
};

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

std::size_t section_parts(std::string_view path) { return path.starts_with("cluster.") ? 1 : 2; }

std::string upper_without_underscores(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c != '_') out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// "consensus.crdt.batching.max_batch_size" → "CLUSTER_CRDT_BATCHING_MAXBATCHSIZE": the
// envconfig prefix of the component, then one upper-cased field name per nesting level.
std::string env_name(std::string_view path) {
  auto parts = split(path, '.');
  auto skip = section_parts(path);
  std::string name = "CLUSTER";
  // Appending in two steps avoids a GCC 12 -Wrestrict false positive on `"_" + string`.
  auto add = [&](std::string_view key) {
    name += '_';
    name += upper_without_underscores(key);
  };
  if (skip == 2) add(parts[1]);
  for (std::size_t i = skip; i < parts.size(); ++i) add(parts[i]);
  return name;
}

std::string variable_name(const EnvField& f) { return f.name != nullptr ? f.name : env_name(f.path); }

// Go's strconv.ParseBool spellings.
std::optional<bool> parse_go_bool(std::string_view v) {
  for (auto t : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (v == t) return true;
  }
  for (auto f : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (v == f) return false;
  }
  return std::nullopt;
}

std::optional<int> parse_int(std::string_view v) {
  std::size_t i = (!v.empty() && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
  if (i == v.size()) return std::nullopt;
  long long n = 0;
  for (std::size_t k = i; k < v.size(); ++k) {
    if (v[k] < '0' || v[k] > '9') return std::nullopt;
    n = n * 10 + (v[k] - '0');
    if (n > std::numeric_limits<int>::max() + 1LL) return std::nullopt;
  }
  if (v[0] == '-') n = -n;
  if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max()) return std::nullopt;
  return static_cast<int>(n);
}

bool blank(std::string_view v) {
  for (char c : v) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The JSON value a variable stands for; a problem line when the text does not fit the kind.
Result<Json> to_json(const std::string& name, const std::string& value, Kind kind) {
  auto bad = [&](const std::string& what) {
    return Error(errc::invalid_env, "env " + name + ": " + what + ": \"" + value + "\"");
  };
  switch (kind) {
    case Kind::string: return Json(value);
    case Kind::boolean: {
      auto b = parse_go_bool(value);
      if (!b) return bad("not a boolean (true, false, 1, 0, t, f)");
      return Json(*b);
    }
    case Kind::integer: {
      auto n = parse_int(value);
      if (!n) return bad("not an integer");
      return Json(*n);
    }
    case Kind::list: {
      auto list = Json::array();
      if (!blank(value)) {
        for (auto& item : split(value, ',')) list.push_back(item);
      }
      return list;
    }
    case Kind::map: {
      auto map = Json::object();
      if (blank(value)) return map;
      for (auto& pair : split(value, ',')) {
        auto kv = split(pair, ':');
        if (kv.size() != 2) return bad("map items must be key:value, comma-separated");
        map[kv[0]] = kv[1];
      }
      return map;
    }
  }
  return bad("unsupported");
}

// The object holding the field's key, creating missing objects on the way. nullptr when the
// field belongs to an informer the template does not enable, or to a REST API section the
// template (or CLUSTER_FOLLOW_RESTAPI_URL) does not add.
Json* container_for(Json& doc, const std::vector<std::string>& parts) {
  bool may_create = parts[0] != "informer" && (parts[0] != "cluster_follow" || parts.back() == "url");
  Json* node = &doc;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    auto it = node->find(parts[i]);
    if (it == node->end() || it->is_null()) {
      if (!may_create) return nullptr;
      (*node)[parts[i]] = Json::object();
      it = node->find(parts[i]);
    }
    if (!it->is_object()) return nullptr;
    node = &*it;
  }
  return node;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

// Adds " (set by CLUSTER_X)" to each problem line about a key an override wrote.
void attribute(std::vector<std::string>& lines, const std::vector<std::pair<std::string, std::string>>& set) {
  for (auto& line : lines) {
    for (const auto& [path, name] : set) {
      auto head = "template: " + path;
      if (line.size() > head.size() && line.starts_with(head) &&
          (line[head.size()] == ':' || line[head.size()] == '[' || line[head.size()] == '.')) {
        line += " (set by " + name + ")";
        break;
      }
    }
  }
}

}  // namespace

GetEnv process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

std::vector<std::string> env_variable_names() {
  std::vector<std::string> names;
  for (const auto& f : fields) names.push_back(variable_name(f));
  return names;
}

Result<EnvOverrides> apply_env_overrides(Template& t, const GetEnv& getenv, const FlagOverrides& flags) {
  std::string json_problem;
  auto doc = detail::parse_json(t.raw_json, json_problem);
  if (!doc) return Error(errc::invalid_template, json_problem);
  if (!doc->is_object()) {
    return Error(errc::invalid_template, "template: no JSON document to apply overrides to");
  }
  EnvOverrides result;
  std::vector<std::string> problems;
  std::vector<std::pair<std::string, std::string>> set;  // path, variable
  for (const auto& f : fields) {
    auto name = variable_name(f);
    auto value = getenv(name);
    // A flag wins over its variable (flag > env > template).
    for (const auto& flag : flags) {
      if (flag.variable != name) continue;
      name = flag.flag;
      value = flag.value;
    }
    if (!value) continue;
    auto parts = split(f.path, '.');
    Json* container = container_for(*doc, parts);
    if (container == nullptr) {
      result.ignored.push_back(name);
      continue;
    }
    auto json = to_json(name, *value, f.kind);
    if (!json) {
      problems.push_back(json.error().message());
      continue;
    }
    (*container)[parts.back()] = std::move(*json);
    result.applied.push_back(name);
    set.emplace_back(f.path, name);
  }
  if (!problems.empty()) return Error(errc::invalid_env, join_lines(problems));
  Template updated;
  // Re-serialising is safe: parse_json bounded the depth (cf::max_json_depth).
  auto lines = detail::parse_template_into(doc->dump(), updated);
  if (!lines.empty()) {
    attribute(lines, set);
    return Error(errc::invalid_template, join_lines(lines));
  }
  t = std::move(updated);
  return result;
}

}  // namespace cf::cluster
