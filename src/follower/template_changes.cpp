#include "cf/follower/template_changes.hpp"

#include <functional>

namespace cf::follower {
namespace {

using cluster::Template;

std::string text(const cluster::Duration& d) { return cluster::format_duration(d); }
std::string text(int n) { return std::to_string(n); }
std::string text(bool b) { return b ? "true" : "false"; }
std::string text(const std::string& s) { return s.empty() ? "(none)" : s; }
std::string text(const multiformats::Multiaddr& a) { return a.to_string(); }

template <typename T>
std::string list_text(const std::vector<T>& items, bool any = false) {
  std::string out;
  // Appended piece by piece: `"," + string` trips a GCC 12 -Wrestrict false positive.
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item.to_string();
  }
  if (any) out += out.empty() ? "*" : ",*";
  return out.empty() ? "(none)" : out;
}

class Collector {
 public:
  void compare(std::string setting, const std::string& before, const std::string& after, bool applied) {
    if (before != after) changes_.push_back({std::move(setting), before, after, false, applied});
  }
  void compare_secret(std::string setting, bool differ, bool applied) {
    if (differ) changes_.push_back({std::move(setting), {}, {}, true, applied});
  }
  std::vector<TemplateChange> take() { return std::move(changes_); }

 private:
  std::vector<TemplateChange> changes_;
};

const char* source_kind(const Template& t) { return t.rest_api ? "REST API" : "libp2p (CRDT)"; }

void compare_rest(Collector& c, const Template& a, const Template& b) {
  if (!a.rest_api || !b.rest_api) {
    c.compare("pinset source", source_kind(a), source_kind(b), false);
    return;
  }
  const auto& x = *a.rest_api;
  const auto& y = *b.rest_api;
  const std::string p = "cluster_follow.rest_api.";
  auto user = [](const cluster::RestSourceConfig& r) { return r.basic_auth ? r.basic_auth->user : std::string(); };
  auto password = [](const cluster::RestSourceConfig& r) {
    return r.basic_auth ? r.basic_auth->password : std::string();
  };
  c.compare(p + "url", x.url, y.url, true);
  c.compare(p + "basic_auth_user", text(user(x)), text(user(y)), true);
  c.compare_secret(p + "basic_auth_password", password(x) != password(y), true);
  c.compare(p + "poll_interval", text(x.poll_interval), text(y.poll_interval), true);
}

void compare_kubo(Collector& c, const Template& a, const Template& b) {
  const std::string p = "ipfs_connector.ipfshttp.";
  c.compare(p + "node_multiaddress", text(a.ipfshttp.node_multiaddress), text(b.ipfshttp.node_multiaddress), false);
  c.compare(p + "ipfs_request_timeout", text(a.ipfshttp.ipfs_request_timeout), text(b.ipfshttp.ipfs_request_timeout),
            false);
  c.compare(p + "pin_timeout", text(a.ipfshttp.pin_timeout), text(b.ipfshttp.pin_timeout), false);
  c.compare(p + "unpin_timeout", text(a.ipfshttp.unpin_timeout), text(b.ipfshttp.unpin_timeout), false);
  c.compare(p + "unpin_disable", text(a.ipfshttp.unpin_disable), text(b.ipfshttp.unpin_disable), false);
  c.compare("pin_tracker.stateless.concurrent_pins", text(a.stateless.concurrent_pins),
            text(b.stateless.concurrent_pins), false);
  c.compare("cluster.pin_recover_interval", text(a.cluster.pin_recover_interval), text(b.cluster.pin_recover_interval),
            false);
}

void compare_libp2p(Collector& c, const Template& a, const Template& b) {
  c.compare("cluster.peer_addresses", list_text(a.cluster.peer_addresses), list_text(b.cluster.peer_addresses), false);
  c.compare("consensus.crdt.trusted_peers", list_text(a.crdt.trusted_peers, a.crdt.trust_all),
            list_text(b.crdt.trusted_peers, b.crdt.trust_all), false);
  c.compare_secret("cluster.secret", a.cluster.secret != b.cluster.secret, false);
  c.compare("cluster.listen_multiaddress", list_text(a.cluster.listen_multiaddress),
            list_text(b.cluster.listen_multiaddress), false);
  c.compare("consensus.crdt.cluster_name", a.crdt.cluster_name, b.crdt.cluster_name, false);
  c.compare("consensus.crdt.rebroadcast_interval", text(a.crdt.rebroadcast_interval),
            text(b.crdt.rebroadcast_interval), false);
}

}  // namespace

std::vector<TemplateChange> template_changes(const Template& before, const Template& after) {
  Collector c;
  compare_rest(c, before, after);
  compare_kubo(c, before, after);
  compare_libp2p(c, before, after);
  return c.take();
}

std::string describe(const TemplateChange& change) {
  std::string out = change.setting + " changed";
  if (!change.secret) out += " from " + change.before + " to " + change.after;
  out += change.applied ? ": applied" : ": takes effect after a restart";
  return out;
}

}  // namespace cf::follower
