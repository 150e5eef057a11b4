// Node-level calls: id, version, swarm/connect, repo/stat (A4).
#include "answer.hpp"
#include "cf/base/log.hpp"
#include "cf/kubo/client.hpp"
#include "query.hpp"

namespace cf::kubo {

using detail::one_line;
using detail::parse_object;
using detail::string_field;

Result<NodeInfo> Client::id() {
  CF_TRY_ASSIGN(body, call("id"));
  auto doc = parse_object(body);
  if (!doc) return failure("id", errc::bad_response, doc.error().message());
  auto peer = multiformats::PeerId::parse(string_field(*doc, "ID"));
  if (!peer) return failure("id", errc::bad_response, "bad ID: " + peer.error().message());
  NodeInfo info{*peer, string_field(*doc, "AgentVersion"), {}};
  if (auto it = doc->find("Addresses"); it != doc->end() && it->is_array()) {
    for (const auto& a : *it) {
      if (!a.is_string()) continue;
      auto addr = multiformats::Multiaddr::parse(a.get<std::string>());
      if (addr) {
        info.addresses.push_back(std::move(*addr));
      } else {
        // Newer transports than we know of: not a reason to fail the probe.
        log::get("ipfshttp")->debug("ignoring Kubo address: {}", addr.error().message());
      }
    }
  }
  return info;
}

Result<VersionInfo> Client::version() {
  CF_TRY_ASSIGN(body, call("version"));
  auto doc = parse_object(body);
  if (!doc || !doc->contains("Version")) {
    return failure("version", errc::bad_response, "not a version object: " + one_line(body));
  }
  return VersionInfo{string_field(*doc, "Version"), string_field(*doc, "Commit"),
                     string_field(*doc, "Repo"), string_field(*doc, "System"),
                     string_field(*doc, "Golang")};
}

Status Client::swarm_connect(const multiformats::Multiaddr& address,
                             std::chrono::milliseconds timeout) {
  // Success is {"Strings":["connect <id> success"]}; failure a 500 whose Message says why.
  CF_TRY(call("swarm/connect", detail::Query().add("arg", address.to_string()).str(), timeout));
  return ok();
}

Result<RepoStat> Client::repo_stat() {
  CF_TRY_ASSIGN(body, call("repo/stat", "size-only=true"));
  // The wire shape is flat {"RepoSize":N,"StorageMax":N,...}; Kubo's docs wrongly nest it.
  auto doc = parse_object(body);
  if (!doc || !doc->contains("RepoSize")) {
    return failure("repo/stat", errc::bad_response, "not a repo/stat object: " + one_line(body));
  }
  auto size = detail::unsigned_field(*doc, "RepoSize");
  auto max = detail::unsigned_field(*doc, "StorageMax");
  if (!size || !max) {
    return failure("repo/stat", errc::bad_response, "sizes are not byte counts: " + one_line(body));
  }
  return RepoStat{*size, *max};
}

}  // namespace cf::kubo
