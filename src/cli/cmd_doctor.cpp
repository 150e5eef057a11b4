// `doctor`: checks every dependency of a follower, one line each, so that a user (or a support
// thread) sees at once what is wrong: the folder and identity, the template, Kubo, disk space,
// the state database and the daemon. Exit 0 when every check is ok, 1 otherwise.
//
// Read-only: it never writes service.json, identity.json or state.db (the store is opened
// read_only; a fresh template is validated, not cached). Every network wait is short, so the
// whole run takes seconds even when everything is down.
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cf/base/log.hpp"
#include "cf/base/time_text.hpp"
#include "cf/cli/commands.hpp"
#include "cf/cluster/env.hpp"
#include "cf/cluster/local_config.hpp"
#include "cf/cluster/source.hpp"
#include "cf/follower/paths.hpp"
#include "cf/follower/progress.hpp"
#include "cf/follower/status_view.hpp"
#include "cf/identity/identity.hpp"
#include "cf/kubo/client.hpp"
#include "cf/store/run_lock.hpp"
#include "cf/store/store.hpp"
#include "doctor_peers.hpp"
#include "output.hpp"

namespace cf::cli {
namespace {

namespace fs = std::filesystem;

// skip: not checked (a check it depends on failed); not a failure.
enum class Mark { ok, warn, fail, skip };

struct Check {
  Mark mark = Mark::ok;
  std::string name;
  std::string detail;
  std::vector<std::string> more;  // extra lines, e.g. one per template problem
};

// What the checks learn and pass on to later ones.
struct Context {
  follower::ClusterPaths paths;
  follower::Getenv env;
  std::optional<cluster::LocalConfig> local;
  std::optional<cluster::Template> tmpl;  // fetched, cached or inline; overrides applied
};

constexpr std::int64_t low_disk_bytes = std::int64_t{1} << 30;  // 1 GiB

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::string::size_type start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// A failure whose message may have several lines: the first on the check line, the rest below.
Check failed(Mark mark, std::string name, const std::string& prefix, const Error& error) {
  auto lines = lines_of(error.message());
  Check check{mark, std::move(name), prefix + (lines.empty() ? std::string() : lines.front()), {}};
  if (lines.size() > 1) check.more.assign(lines.begin() + 1, lines.end());
  return check;
}

Check check_initialized(Context& ctx) {
  const auto& p = ctx.paths;
  if (auto readable = p.check_access(); !readable) return failed(Mark::fail, "initialized", "", readable.error());
  std::error_code ec;
  if (!fs::exists(p.dir, ec)) {
    return {Mark::fail, "initialized", "no folder " + p.dir.string() + "; run \"cluster-follow " + p.name +
                                           " init <url>\" first", {}};
  }
  auto local = cluster::load_local_config(p.service_json);
  if (!local) return failed(Mark::fail, "initialized", "service.json: ", local.error());
  ctx.local = std::move(*local);
  identity::EnvLookup id_env = [env = ctx.env](std::string_view n) { return env(n); };
  auto id = identity::Identity::load_file(p.identity_json, id_env);
  if (!id) return failed(Mark::fail, "initialized", "identity.json: ", id.error());
  return {Mark::ok, "initialized", "service.json and identity.json load; peer ID " + id->id().to_string(), {}};
}

Status apply_overrides(cluster::Template& t, const follower::Getenv& env) {
  cluster::GetEnv lookup = [env](const std::string& name) { return env(name); };
  CF_TRY(cluster::apply_env_overrides(t, lookup));
  return ok();
}

// The cached copy `run` would fall back to, if state.db has one for `url`.
std::optional<store::CachedTemplate> cached_copy(const Context& ctx, const std::string& url) {
  std::error_code ec;
  if (!fs::exists(ctx.paths.state_db, ec)) return std::nullopt;
  auto db = store::Store::open(ctx.paths.state_db, store::OpenMode::read_only);
  if (!db) return std::nullopt;
  auto cached = db->load_template(url);
  if (!cached) return std::nullopt;
  return *cached;
}

Check template_unreachable(Context& ctx, const std::string& url, const Error& error) {
  auto cached = cached_copy(ctx, url);
  if (!cached) {
    return failed(Mark::fail, "template", "",
                  Error(error.code(), error.message() + "\nno cached copy in state.db: run cannot start"));
  }
  auto parsed = cluster::parse_template(cached->body);
  if (parsed && apply_overrides(*parsed, ctx.env)) ctx.tmpl = std::move(*parsed);
  return failed(Mark::warn, "template", "",
                Error(error.code(), error.message() + "\nrun would start from the cached copy fetched " +
                                        relative_time_text(cached->fetched_at, unix_now())));
}

Check check_template(Context& ctx) {
  if (!ctx.local) return {Mark::skip, "template", "not checked: service.json is not readable", {}};
  if (ctx.local->inline_template) {
    auto t = *ctx.local->inline_template;
    if (auto applied = apply_overrides(t, ctx.env); !applied) {
      return failed(Mark::fail, "template", "CLUSTER_* overrides: ", applied.error());
    }
    ctx.tmpl = std::move(t);
    return {Mark::ok, "template", "inline in service.json, valid", {}};
  }
  const auto& url = ctx.local->source;
  cluster::FetchOptions fetch;
  fetch.timeout = std::chrono::seconds(10);  // doctor answers in seconds; run retries for longer
  fetch.connect_timeout = std::chrono::seconds(5);
  fetch.attempts = 1;
  auto body = cluster::fetch_template(url, fetch);
  if (!body) return template_unreachable(ctx, url, body.error());
  auto parsed = cluster::parse_template(*body);
  if (!parsed) return failed(Mark::fail, "template", "fetched from " + url + " but invalid: ", parsed.error());
  if (auto applied = apply_overrides(*parsed, ctx.env); !applied) {
    return failed(Mark::fail, "template", "CLUSTER_* overrides: ", applied.error());
  }
  auto detail = fmt::format("fetched from {} and valid (cluster \"{}\")", url, parsed->crdt.cluster_name);
  ctx.tmpl = std::move(*parsed);
  return {Mark::ok, "template", detail, {}};
}

Check check_kubo(const Context& ctx) {
  follower::StatusSnapshot snapshot;
  snapshot.cached_template = ctx.tmpl;
  auto kubo = follower::probe_kubo_version(snapshot, ctx.env);
  if (kubo.address.empty()) return {Mark::fail, "kubo", kubo.error, {}};
  if (!kubo.reachable) return {Mark::fail, "kubo", "no answer at " + kubo.address + ": " + kubo.error, {}};
  return {Mark::ok, "kubo", "Kubo " + kubo.version + " answers at " + kubo.address, {}};
}

Check check_disk(const Context& ctx) {
  // The folder may not exist yet; the file system that would hold it is what matters.
  fs::path where = ctx.paths.dir;
  std::error_code ec;
  while (!fs::exists(where, ec) && where.has_parent_path() && where != where.parent_path()) where = where.parent_path();
  struct statvfs st {};
  if (::statvfs(where.c_str(), &st) != 0) {
    return {Mark::fail, "disk", "cannot read free space of " + where.string() + ": " + std::strerror(errno), {}};
  }
  const auto free_bytes = static_cast<std::int64_t>(st.f_bavail) * static_cast<std::int64_t>(st.f_frsize);
  auto detail = follower::bytes_text(free_bytes) + " free on " + where.string();
  if (free_bytes < low_disk_bytes) return {Mark::warn, "disk", detail + " (under 1 GiB: state.db and Kubo need room)", {}};
  return {Mark::ok, "disk", detail, {}};
}

Check check_store(const Context& ctx) {
  const auto& path = ctx.paths.state_db;
  std::error_code ec;
  if (!fs::exists(path, ec)) return {Mark::ok, "store", "no state.db yet (the first run creates it)", {}};
  auto db = store::Store::open(path, store::OpenMode::read_only);
  if (!db) return failed(Mark::fail, "store", "", db.error());
  if (auto checked = db->integrity_check(); !checked) return failed(Mark::fail, "store", "", checked.error());
  auto schema = db->schema_version();
  auto size = fs::file_size(path, ec);
  return {Mark::ok, "store",
          fmt::format("{} passes integrity_check (schema v{}, {})", path.string(), schema ? *schema : 0,
                      follower::bytes_text(ec ? 0 : static_cast<std::int64_t>(size))),
          {}};
}

Check check_daemon(const Context& ctx) {
  if (auto pid = store::RunLock::holder(ctx.paths.dir)) {
    return {Mark::ok, "daemon", "running (pid " + std::to_string(*pid) + ")", {}};
  }
  return {Mark::warn, "daemon",
          "not running; start it with \"cluster-follow " + ctx.paths.name + " run\" or \"systemctl start cluster-follow@" +
              ctx.paths.name + "\"",
          {}};
}

// One line per template peer address: TCP, private network, Noise, peer ID, protocols, ping,
// the cluster topic in its hello, its mesh or gossip, and one CRDT head fetched from it.
std::vector<Check> check_peers(const Context& ctx) {
  if (!ctx.tmpl) return {{Mark::skip, "peers", "not checked: no usable template", {}}};
  if (ctx.tmpl->cluster.peer_addresses.empty()) {
    return {{Mark::warn, "peers", "the template lists no peer_addresses: nothing to dial", {}}};
  }
  // A throwaway identity, not identity.json: the daemon may be running with that peer ID, and a
  // second connection under it makes go-libp2p-pubsub reset the daemon's pubsub stream and keep
  // ours, so the doctor would both disturb the daemon and see no hello. Followers are not
  // authorized by peer ID, so what the doctor proves holds for the daemon's identity too.
  const auto probe = identity::Identity::generate();
  std::vector<Check> checks;
  for (auto& peer : check_trusted_peers(probe, *ctx.tmpl)) {
    const auto mark = !peer.ok ? Mark::fail : peer.warn ? Mark::warn : Mark::ok;
    checks.push_back({mark, "peer", peer.address, {peer.detail}});
  }
  return checks;
}

std::string_view mark_text(Mark mark) {
  switch (mark) {
    case Mark::ok: return "ok";
    case Mark::warn: return "warn";
    case Mark::fail: return "FAIL";
    case Mark::skip: return "skip";
  }
  return "?";
}

// Details quote remote text (agent versions, protocol names, peers' and servers' errors):
// escaped here, at the one place every line goes out.
void print(const Check& check) {
  std::cout << fmt::format("{:<4}  {:<11} {}\n", mark_text(check.mark), check.name, shown(check.detail));
  for (const auto& line : check.more) std::cout << std::string(18, ' ') << shown(line) << "\n";
  std::cout.flush();  // each line as soon as its check ends: some take seconds
}

}  // namespace

int doctor_command(const ClusterArgs& args) {
  auto env = follower::process_env();
  auto root = follower::config_root(args.config_flag, env);
  if (!root) return print_error(root.error());
  // The template fetch logs each attempt at info; the template line already says it all.
  if (auto config_log = log::get("config"); config_log->level() == spdlog::level::info) {
    config_log->set_level(spdlog::level::warn);
  }
  Context ctx{follower::ClusterPaths::under(*root, args.name), env, std::nullopt, std::nullopt};
  bool all_ok = true;
  auto report = [&all_ok](const Check& check) {
    print(check);
    if (check.mark == Mark::warn || check.mark == Mark::fail) all_ok = false;
  };
  report(check_initialized(ctx));
  report(check_template(ctx));
  report(check_kubo(ctx));
  report(check_disk(ctx));
  report(check_store(ctx));
  report(check_daemon(ctx));
  for (const auto& check : check_peers(ctx)) report(check);
  return all_ok ? 0 : 1;
}

}  // namespace cf::cli
