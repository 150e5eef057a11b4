#include "cf/follower/status_view.hpp"

#include <sys/statvfs.h>

#include <algorithm>

#include <cstdlib>

#include "cf/base/errc.hpp"
#include "cf/cluster/local_config.hpp"
#include "cf/follower/crdt_follower.hpp"
#include "cf/follower/siblings.hpp"
#include "cf/follower/source_meta.hpp"
#include "cf/kubo/auth.hpp"
#include "cf/kubo/client.hpp"
#include "cf/multiformats/cid.hpp"
#include "cf/store/pin_status.hpp"
#include "cf/store/run_lock.hpp"
#include "cf/store/store.hpp"

namespace cf::follower {
namespace {

std::optional<std::int64_t> meta_int(store::Store& db, std::string_view key) {
  auto value = db.get_meta(key);
  if (!value || !*value || (*value)->empty()) return std::nullopt;
  char* end = nullptr;
  auto n = std::strtoll((*value)->c_str(), &end, 10);
  if (!end || *end != '\0') return std::nullopt;
  return n;
}

Result<std::int64_t> counter(store::Store& db, std::string_view name) {
  CF_TRY_ASSIGN(stmt, db.prepare("SELECT value FROM counters WHERE name = ?1"));
  stmt.bind(1, name);
  CF_TRY_ASSIGN(row, stmt.step());
  return row ? stmt.column_int(0) : 0;
}

Result<CrdtStatus> read_crdt_status(store::Store& db) {
  CrdtStatus s;
  s.trusted_connected = meta_int(db, crdt_meta::trusted_connected).value_or(0);
  s.trusted_seen_at = meta_int(db, crdt_meta::trusted_seen_at);
  s.last_broadcast_at = meta_int(db, crdt_meta::last_broadcast_at);
  s.last_merge_at = meta_int(db, crdt_meta::last_merge_at);
  s.started_at = meta_int(db, crdt_meta::started_at);
  CF_TRY_ASSIGN(listen, db.get_meta(crdt_meta::listen));
  s.listen = listen.value_or("");
  CF_TRY_ASSIGN(heads, counter(db, "crdt_heads"));
  CF_TRY_ASSIGN(frontier, counter(db, "crdt_frontier"));
  CF_TRY_ASSIGN(processed, counter(db, "crdt_processed"));
  CF_TRY_ASSIGN(height, counter(db, "crdt_max_height"));
  CF_TRY_ASSIGN(blocks, counter(db, "crdt_blocks"));
  CF_TRY_ASSIGN(bytes, counter(db, "crdt_block_bytes"));
  s.heads = heads;
  s.frontier = frontier;
  s.processed = processed;
  s.max_height = height;
  s.blocks = blocks;
  s.block_bytes = bytes;
  // Both small: heads are pruned once merged and old; failing rows are the frontier's.
  CF_TRY_ASSIGN(merged, db.prepare("SELECT count(*) FROM crdt_heads h JOIN crdt_processed p ON p.block = h.block"));
  CF_TRY_ASSIGN(merged_row, merged.step());
  if (merged_row) s.heads_merged = merged.column_int(0);
  CF_TRY_ASSIGN(failing, db.prepare("SELECT count(*) FROM crdt_frontier WHERE attempts > 0"));
  CF_TRY_ASSIGN(failing_row, failing.step());
  if (failing_row) s.failing = failing.column_int(0);
  return s;
}

Status read_source_state(store::Store& db, StatusSnapshot& snap) {
  CF_TRY_ASSIGN(kind, db.get_meta(meta_key::source_kind));
  CF_TRY_ASSIGN(last_sync, db.get_meta(meta_key::source_last_sync));
  CF_TRY_ASSIGN(last_error, db.get_meta(meta_key::source_last_error));
  snap.source_kind = kind.value_or("");
  snap.source_last_error = last_error.value_or("");
  if (last_sync && !last_sync->empty()) {
    char* end = nullptr;
    auto value = std::strtoll(last_sync->c_str(), &end, 10);
    if (end && *end == '\0') snap.source_last_sync = value;
  }
  if (snap.source_kind == "crdt") {
    CF_TRY_ASSIGN(crdt, read_crdt_status(db));
    snap.crdt = std::move(crdt);
  }
  return ok();
}

Status read_cached_template(store::Store& db, StatusSnapshot& snap) {
  if (snap.source.empty()) return ok();
  CF_TRY_ASSIGN(cached, db.load_template(snap.source));
  if (!cached) return ok();
  snap.template_fetched_at = cached->fetched_at;
  if (auto parsed = cluster::parse_template(cached->body)) snap.cached_template = std::move(*parsed);
  return ok();
}

std::string cid_text(ByteView bytes) {
  auto cid = multiformats::Cid::from_bytes(bytes);
  return cid ? cid->to_string() : "invalid-cid:" + to_hex(bytes);
}

Status check_statuses(const std::vector<std::string>& statuses) {
  for (const auto& s : statuses) {
    if (!store::parse_pin_status(s)) {
      std::string known;
      for (auto k : store::all_pin_statuses()) known += std::string(known.empty() ? "" : ", ") + std::string(store::to_string(k));
      return Error(errc::invalid_input, "unknown status \"" + s + "\"; known statuses: " + known);
    }
  }
  return ok();
}

}  // namespace

Result<PinCounts> read_pin_counts(store::Store& db) {
  PinCounts counts;
  CF_TRY_ASSIGN(stmt, db.prepare("SELECT name, value FROM counters WHERE value <> 0"));
  constexpr std::string_view prefix = "pin_status:";
  for (;;) {
    CF_TRY_ASSIGN(row, stmt.step());
    if (!row) return counts;
    std::string name(stmt.column_text(0));
    if (name == "pins") counts.pins = stmt.column_int(1);
    if (name.starts_with(prefix)) counts.by_status[name.substr(prefix.size())] = stmt.column_int(1);
  }
}

Result<StatusSnapshot> read_status(const ClusterPaths& paths) {
  StatusSnapshot snap;
  CF_TRY_ASSIGN(local, cluster::load_local_config(paths.service_json));
  snap.source = local.source;
  if (local.inline_template) snap.cached_template = *local.inline_template;
  snap.daemon_pid = store::RunLock::holder(paths.dir);
  snap.unreadable_siblings = Siblings::find_unreadable(paths.dir.parent_path(), paths.name);
  if (struct statvfs fs {}; ::statvfs(paths.dir.c_str(), &fs) == 0) {
    snap.store_free_bytes = static_cast<std::int64_t>(fs.f_bavail) * static_cast<std::int64_t>(fs.f_frsize);
  }
  std::error_code ec;
  snap.has_store = std::filesystem::exists(paths.state_db, ec);
  if (!snap.has_store) return snap;
  CF_TRY_ASSIGN(db, store::Store::open(paths.state_db, store::OpenMode::read_only));
  CF_TRY_ASSIGN(counts, read_pin_counts(db));
  snap.pins = counts.pins;
  snap.by_status = std::move(counts.by_status);
  CF_TRY(read_cached_template(db, snap));
  CF_TRY(read_source_state(db, snap));
  return snap;
}

std::string store_trouble(const StatusSnapshot& snap) {
  std::string text;
  if (snap.store_free_bytes && *snap.store_free_bytes < store_space_low) {
    text = "disk full: " + std::to_string(*snap.store_free_bytes) +
           " bytes free where state.db is, statuses cannot be recorded";
  }
  for (const auto& [name, why] : snap.unreadable_siblings) {
    text += (text.empty() ? "" : "; ") + std::string("sibling cluster ") + name + " cannot be read (" + why +
            "), unpins it might object to are held";
  }
  return text;
}

Status for_each_pin(const ClusterPaths& paths, const std::vector<std::string>& statuses,
                    const std::function<void(const PinRow&)>& on_row) {
  CF_TRY(check_statuses(statuses));
  std::error_code ec;
  if (!std::filesystem::exists(paths.state_db, ec)) return ok();  // never run: nothing to list
  CF_TRY_ASSIGN(db, store::Store::open(paths.state_db, store::OpenMode::read_only));
  CF_TRY_ASSIGN(stmt, db.prepare(
      "SELECT s.cid, s.status, coalesce(p.name, ''), coalesce(s.error, ''), s.attempts, s.next_retry_at, "
      "s.updated_at FROM pin_status s LEFT JOIN pins p ON p.cid = s.cid ORDER BY s.cid"));
  for (;;) {
    CF_TRY_ASSIGN(more, stmt.step());
    if (!more) return ok();
    PinRow row;
    row.status = std::string(stmt.column_text(1));
    if (!statuses.empty() && std::find(statuses.begin(), statuses.end(), row.status) == statuses.end()) continue;
    row.cid = cid_text(stmt.column_blob(0));
    row.name = std::string(stmt.column_text(2));
    row.error = std::string(stmt.column_text(3));
    row.attempts = stmt.column_int(4);
    row.next_retry_at = stmt.column_optional_int(5);
    row.updated_at = stmt.column_int(6);
    on_row(row);
  }
}

Result<KuboAddress> kubo_address(const StatusSnapshot& snapshot, const Getenv& getenv) {
  auto text = getenv("CLUSTER_IPFSHTTP_NODEMULTIADDRESS");
  multiformats::Multiaddr address = snapshot.cached_template ? snapshot.cached_template->ipfshttp.node_multiaddress
                                                             : cluster::default_node_multiaddress();
  if (text && !text->empty()) {
    CF_TRY_ASSIGN(parsed, multiformats::Multiaddr::parse(*text));
    address = parsed;
  }
  CF_TRY_ASSIGN(endpoint, cluster::kubo_endpoint(address));
  CF_TRY_ASSIGN(auth, kubo_auth_from_env(getenv));
  return KuboAddress{address.to_string(), endpoint, auth};
}

Result<http::Auth> kubo_auth_from_env(const Getenv& getenv) {
  auto secret = getenv(kubo_auth_env);
  if (!secret) return http::Auth{};
  auto auth = kubo::parse_auth_secret(*secret);
  if (!auth) return auth.error().wrap(std::string(kubo_auth_env));
  return auth;
}

KuboReport probe_kubo_version(const StatusSnapshot& snapshot, const Getenv& getenv) {
  KuboReport report;
  auto address = kubo_address(snapshot, getenv);
  if (!address) {
    report.error = address.error().message();
    return report;
  }
  report.address = address->multiaddr;
  kubo::ClientOptions options;
  options.endpoint = address->endpoint;
  options.auth = address->auth;
  options.timeout = std::chrono::seconds(5);  // info/status/doctor must answer quickly, Kubo or not
  auto version = kubo::Client(options).version();
  report.reachable = version.has_value();
  if (version) report.version = version->version;
  else report.error = version.error().message();
  return report;
}

}  // namespace cf::follower
