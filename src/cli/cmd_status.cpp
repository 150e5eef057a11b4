// `info` (for people) and `status` (for scripts): both read state.db and probe Kubo; neither
// needs the daemon, and neither fetches the template. Text from Kubo and the pinset source
// (versions, errors) goes through shown(): a terminal never gets its control characters.
#include <ctime>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cf/base/time_text.hpp"
#include "cf/cli/commands.hpp"
#include "cf/cluster/duration.hpp"
#include "cf/follower/progress.hpp"
#include "cf/follower/status_view.hpp"
#include "cf/identity/identity.hpp"
#include "cf/kubo/client.hpp"
#include "output.hpp"

namespace cf::cli {
namespace {

using KuboCheck = follower::KuboReport;

KuboCheck check_kubo(const follower::StatusSnapshot& snap) {
  return follower::probe_kubo_version(snap, follower::process_env());
}

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::string counts_text(const follower::StatusSnapshot& snap) {
  if (snap.by_status.empty()) return "none yet";
  std::string text;
  for (const auto& [status, count] : snap.by_status) {
    text += (text.empty() ? "" : ", ") + status + " " + std::to_string(count);
  }
  return text;
}

std::int64_t errors_of(const follower::StatusSnapshot& snap) {
  std::int64_t n = 0;
  for (auto status : {"pin_error", "unpin_error", "cluster_error", "unexpectedly_unpinned"}) {
    if (auto it = snap.by_status.find(status); it != snap.by_status.end()) n += it->second;
  }
  return n;
}

Result<follower::ClusterPaths> initialized_paths(const ClusterArgs& args) {
  CF_TRY_ASSIGN(root, follower::config_root(args.config_flag, follower::process_env()));
  return follower::ClusterPaths::under(root, args.name);
}

// The sync lag: seconds since the pinset source last succeeded; nullopt when none has run.
std::optional<std::int64_t> lag_of(const follower::StatusSnapshot& snap) {
  if (snap.source_kind.empty() || !snap.source_last_sync) return std::nullopt;
  return std::max<std::int64_t>(0, unix_now() - *snap.source_last_sync);
}

// Following over libp2p: how long without a trusted peer, or without progress, is degraded.
constexpr std::int64_t max_without_trusted_peer = 5 * 60;
constexpr std::int64_t max_stall = 10 * 60;

// Why following over libp2p is degraded, or "" when it is not (only while the daemon runs).
std::string crdt_trouble(const follower::StatusSnapshot& snap) {
  if (!snap.crdt || !snap.daemon_pid) return "";
  const auto& c = *snap.crdt;
  const auto now = unix_now();
  const auto since = c.started_at.value_or(now);
  const auto seen = c.trusted_seen_at.value_or(since);
  if (c.trusted_connected == 0 && now - seen > max_without_trusted_peer) {
    return "no trusted peer connected for " + span_text(now - seen);
  }
  if (!c.in_sync() && c.frontier > 0 && now - c.last_merge_at.value_or(since) > max_stall) {
    return "sync stalled: nothing merged for " + span_text(now - c.last_merge_at.value_or(since)) + ", " +
           std::to_string(c.frontier) + " blocks pending (" + std::to_string(c.failing) + " failing)";
  }
  return "";
}

std::string crdt_text(const follower::CrdtStatus& c) {
  std::string text = std::to_string(c.trusted_connected) + " trusted peers connected; DAG height " +
                     std::to_string(c.max_height) + ", " + std::to_string(c.processed) + " nodes merged, ";
  if (c.in_sync()) {
    text += "in sync";
  } else if (c.heads == 0 && c.frontier == 0) {
    text += "no heads announced yet (an empty cluster announces none)";
  } else {
    text += "catching up (" + std::to_string(c.frontier) + " blocks pending, heads " + std::to_string(c.heads_merged) + "/" +
            std::to_string(c.heads) + " merged)";
  }
  if (c.last_broadcast_at) text += "; last broadcast " + relative_time_text(*c.last_broadcast_at, unix_now());
  return text;
}

std::string source_text(const follower::StatusSnapshot& snap) {
  if (snap.source_kind.empty()) return "no pinset source has run yet";
  std::string text = "source " + snap.source_kind;
  if (snap.crdt) text += " (libp2p): " + crdt_text(*snap.crdt);
  text += snap.source_last_sync ? ", last sync " + relative_time_text(*snap.source_last_sync, unix_now())
                                : ", never synced";
  if (!snap.source_last_error.empty()) text += ", last error: " + shown(snap.source_last_error);
  return text;
}

nlohmann::json source_json(const follower::StatusSnapshot& snap, const std::optional<std::int64_t>& lag) {
  auto optional_int = [](const std::optional<std::int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  nlohmann::json source{{"kind", snap.source_kind}, {"last_sync", optional_int(snap.source_last_sync)},
                        {"lag_seconds", optional_int(lag)}, {"last_error", snap.source_last_error}};
  if (snap.crdt) {
    const auto& c = *snap.crdt;
    auto age = [](const std::optional<std::int64_t>& at) {
      return at ? nlohmann::json(std::max<std::int64_t>(0, unix_now() - *at)) : nlohmann::json();
    };
    source["crdt"] = {{"trusted_peers_connected", c.trusted_connected},
                      {"trusted_peer_seen_at", optional_int(c.trusted_seen_at)},
                      {"known_heads", c.heads},
                      {"heads_merged", c.heads_merged},
                      {"frontier", c.frontier},
                      {"failing_blocks", c.failing},
                      {"merged_nodes", c.processed},
                      {"max_height", c.max_height},
                      {"last_broadcast_age_seconds", age(c.last_broadcast_at)},
                      {"last_merge_age_seconds", age(c.last_merge_at)},
                      {"in_sync", c.in_sync()},
                      {"blocks_kept", c.blocks},
                      {"block_bytes", c.block_bytes},
                      {"listen", c.listen},
                      {"trouble", crdt_trouble(snap)}};
  }
  return source;
}

nlohmann::json status_json(const ClusterArgs& args, const follower::StatusSnapshot& snap, const KuboCheck& kubo,
                           const char* state, std::int64_t errors) {
  auto lag = lag_of(snap);
  auto optional_int = [](const std::optional<std::int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  return nlohmann::json{
      {"cluster", args.name},
      {"state", state},
      {"running", snap.daemon_pid.has_value()},
      {"pid", snap.daemon_pid ? nlohmann::json(*snap.daemon_pid) : nlohmann::json()},
      {"kubo", {{"address", kubo.address}, {"reachable", kubo.reachable}, {"version", kubo.version}, {"error", kubo.error}}},
      {"pins", snap.pins},
      {"statuses", snap.by_status},
      {"errors", errors},
      {"following", snap.daemon_pid.has_value() && !snap.source_kind.empty()},
      {"source", source_json(snap, lag)},
      {"template_fetched_at", optional_int(snap.template_fetched_at)},
      {"store", {{"free_bytes", optional_int(snap.store_free_bytes)},
                 {"unreadable_siblings", snap.unreadable_siblings},
                 {"trouble", follower::store_trouble(snap)}}}};
}

}  // namespace

int info_command(const ClusterArgs& args) {
  auto paths = initialized_paths(args);
  if (!paths) return print_error(paths.error());
  // Exit 1, not 3: the folder is there, this user cannot read it (status's table in
  // docs/operations.md).
  if (auto readable = paths->check_access(); !readable) return print_error(readable.error());
  if (!paths->initialized()) {
    print_not_initialized(args.name);
    return 1;
  }
  auto id = identity::Identity::load_file(paths->identity_json);
  if (!id) return print_error(id.error());
  auto snap = follower::read_status(*paths);
  if (!snap) return print_error(snap.error());
  auto kubo = check_kubo(*snap);
  std::cout << "Information about follower peer for Cluster \"" << args.name << "\":\n\n"
            << "Config folder: " << paths->dir.string() << "\n"
            << "Config source URL: " << (snap->source.empty() ? "(template inline in service.json)" : shown(snap->source)) << "\n"
            << "Peer ID: " << id->id().to_string() << "\n"
            << "Cached template: "
            << (snap->template_fetched_at ? "fetched " + relative_time_text(*snap->template_fetched_at, unix_now()) : "none yet")
            << "\n"
            << "Cluster Peer online: "
            << (snap->daemon_pid ? "true (pid " + std::to_string(*snap->daemon_pid) + ")" : "false") << "\n"
            << "IPFS peer online: "
            << (kubo.reachable ? "true (Kubo " + shown(kubo.version) + " at " + kubo.address + ")"
                               : "false (" + shown(kubo.error) + ")")
            << "\n"
            << "Pins: " << snap->pins << " in the pinset; statuses: " << counts_text(*snap) << "\n"
            << "Pinset: " << source_text(*snap) << "\n";
  if (snap->crdt) {
    std::cout << "Listening on: " << (snap->crdt->listen.empty() ? "(not listening)" : snap->crdt->listen) << "\n"
              << "DAG blocks kept (served to other followers): " << snap->crdt->blocks << ", "
              << follower::bytes_text(snap->crdt->block_bytes) << "\n";
  }
  if (!args.show_help_after_info.empty()) {
    std::cout << "\nAdditional help:\n\n" << std::string(49, '-') << "\n\n" << args.show_help_after_info;
  }
  return 0;
}


int status_command(const ClusterArgs& args) {
  auto paths = initialized_paths(args);
  if (!paths) return print_error(paths.error());
  // Exit 1, not 3: the folder is there, this user cannot read it (status's table in
  // docs/operations.md).
  if (auto readable = paths->check_access(); !readable) return print_error(readable.error());
  if (!paths->initialized()) {
    if (!args.quiet) std::cout << args.name << ": not initialized\n";
    return 3;
  }
  std::optional<std::chrono::nanoseconds> max_lag;
  if (!args.max_lag.empty()) {
    auto parsed = cluster::parse_duration(args.max_lag);
    if (!parsed) return print_error(parsed.error().wrap("--max-lag"));
    max_lag = *parsed;
  }
  auto snap = follower::read_status(*paths);
  if (!snap) return print_error(snap.error());
  auto kubo = check_kubo(*snap);
  const bool running = snap->daemon_pid.has_value();
  const auto errors = errors_of(*snap);
  auto lag = lag_of(*snap);
  // Lagging: the source failed its last sync, or (with --max-lag) synced too long ago or never.
  bool lagging = !snap->source_last_error.empty() || !crdt_trouble(*snap).empty() ||
                 (max_lag && (!lag || std::chrono::seconds(*lag) > *max_lag));
  const auto store_trouble = follower::store_trouble(*snap);
  int code = !running || !kubo.reachable ? 2 : (errors > 0 || lagging || !store_trouble.empty() ? 1 : 0);
  const char* state = code == 0 ? "healthy" : code == 1 ? "degraded" : "down";
  if (args.quiet) return code;
  if (args.json) {
    const auto json = status_json(args, *snap, kubo, state, errors);
    std::cout << json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return code;
  }
  std::cout << args.name << ": " << state << "; daemon "
            << (running ? "running (pid " + std::to_string(*snap->daemon_pid) + ")" : "not running") << "; Kubo "
            << (kubo.reachable ? "reachable (" + shown(kubo.version) + ")" : "unreachable: " + shown(kubo.error)) << "; pins "
            << snap->pins << " (" << counts_text(*snap) << "); " << source_text(*snap);
  if (auto trouble = crdt_trouble(*snap); !trouble.empty()) std::cout << "; " << trouble;
  if (!store_trouble.empty()) std::cout << "; " << store_trouble;
  std::cout << "\n";
  return code;
}

}  // namespace cf::cli
