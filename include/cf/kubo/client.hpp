// Kubo RPC client: the calls the foundation needs (id, version). The pin connector builds on
// the same call path later.
//
// Follows Kubo's RPC rules (kubo-rpc-and-lab.md A1–A3): POST only, arguments in the query
// string, our own User-Agent, no Origin/Referer. Errors come in three shapes, all mapped to
// kubo::errc: command errors as JSON {"Message","Code","Type"} (400/500), early rejections as
// plain text (403 auth/origin, 404 unknown command, 405 wrong method), and errors after a 200
// in the X-Stream-Error trailer.
//
// Blocking, like http::Client: one Client per worker thread.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/http/client.hpp"
#include "cf/kubo/errc.hpp"
#include "cf/multiformats/multiaddr.hpp"
#include "cf/multiformats/peer_id.hpp"

namespace cf::kubo {

struct ClientOptions {
  http::Endpoint endpoint{"http://127.0.0.1:5001", ""};
  http::Auth auth;  // Kubo API.Authorizations (≥ 0.25); upstream cluster sends none
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};  // ipfs_request_timeout
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
};

// /api/v0/id
struct NodeInfo {
  multiformats::PeerId id;
  std::string agent_version;
  std::vector<multiformats::Multiaddr> addresses;  // those our multiaddr parser understands
};

// /api/v0/version
struct VersionInfo {
  std::string version;
  std::string commit;
  std::string repo;
  std::string system;
  std::string golang;
};

class Client {
 public:
  explicit Client(ClientOptions options);

  // The node's identity; also the liveness probe (upstream's WaitForIPFS uses it).
  Result<NodeInfo> id();
  Result<VersionInfo> version();

  const ClientOptions& options() const { return options_; }

  // "http://127.0.0.1:5001" or "unix:/run/kubo.sock", for messages.
  std::string endpoint_text() const;

 private:
  // POSTs /api/v0/<command>?<query> and returns the body of a successful answer.
  Result<std::string> call(std::string_view command, std::string_view query = {});
  Error failure(std::string_view command, errc code, const std::string& why) const;

  ClientOptions options_;
  http::Client http_;
};

}  // namespace cf::kubo
