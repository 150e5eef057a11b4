// Kubo RPC client: the calls a follower makes (ipfs-cluster's ipfshttp connector, A5), plus
// id and version.
//
// Follows Kubo's RPC rules (kubo-rpc-and-lab.md A1–A4): POST only, arguments and options in the
// query string (URL-escaped), our own User-Agent, no Origin/Referer. Errors come in three
// shapes, all mapped to kubo::errc: command errors as JSON {"Message","Code","Type"} (400/500),
// early rejections as plain text (403 auth/origin, 404 unknown command, 405 wrong method), and
// errors after a 200 in the X-Stream-Error trailer (errc::stream_error).
//
// Deliberate divergences from upstream's connector:
// - pin_add fails on a non-empty X-Stream-Error trailer and needs Kubo's final {"Pins":[...]};
//   upstream treats any clean end of the body as pinned.
// - pin_add's no-progress cut is exact (checked on every tick), where upstream's watcher ticks
//   every pin_timeout and cuts between 1× and 2× pin_timeout; a stream that sends nothing at
//   all is cut after pin_timeout too.
// - pin_add can send a pin name; pin_ls asks for names=true and can list any type, where
//   upstream reads recursive pins only (a `break` where `continue` was meant).
// - CIDs are compared as decoded bytes, never as strings (Kubo prints v0 as Qm…, v1 as base32).
//
// Threading: the plain calls are blocking, like http::Client, which it owns. Use one Client per
// worker thread; a Client must not be used by two threads at once for them. Those cannot be
// cancelled from another thread: every call is bounded by its timeout instead.
// The pin_add overload that takes an http::TransferRunner is a coroutine instead: it costs no
// thread while Kubo streams (the runner's one thread drives every such stream), it can be
// cancelled by its stop_token within a second, and any number of them may run at once on one
// Client (it only reads the options). Its progress and keep_going callbacks run on the runner's
// thread.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/http/client.hpp"
#include "cf/http/transfer_runner.hpp"
#include "cf/kubo/errc.hpp"
#include "cf/kubo/pins.hpp"
#include "cf/multiformats/cid.hpp"
#include "cf/multiformats/multiaddr.hpp"
#include "cf/multiformats/peer_id.hpp"

namespace cf::kubo {

struct ClientOptions {
  http::Endpoint endpoint{"http://127.0.0.1:5001", ""};
  http::Auth auth;  // Kubo API.Authorizations (≥ 0.25); upstream cluster sends none
  // ipfs_request_timeout: id, version, pin_ls, pin_ls_one, repo_stat.
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};
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

// Receives pin_ls entries in Kubo's order, on the calling thread.
using PinHandler = std::function<void(const PinEntry&)>;

class Client {
 public:
  explicit Client(ClientOptions options);

  // The node's identity; also the liveness probe (upstream's WaitForIPFS uses it).
  Result<NodeInfo> id();
  Result<VersionInfo> version();

  // pin/add?arg=<cid>&recursive=..&progress=true[&max-depth=N][&name=..], read as NDJSON.
  // Succeeds only on Kubo's final {"Pins":[...]} with no X-Stream-Error trailer. Fails with
  // pin_timeout (no progress for options.pin_timeout), stream_error, api_error/http_error,
  // unreachable, bad_response or transport_failed.
  Result<PinAddResult> pin_add(const multiformats::Cid& cid, const PinAddOptions& options);
  // The same call through `runner`, awaited on the caller's executor. A stop request ends it
  // with cf::errc::cancelled within a second (the transfer is taken off the runner), as does
  // asio cancellation of the awaiting operation. `runner` and this Client must outlive it.
  Task<Result<PinAddResult>> pin_add(http::TransferRunner& runner, multiformats::Cid cid, PinAddOptions options,
                                     std::stop_token stop = {}) const;

  // pin/rm?arg=<cid> (recursive). "not pinned or pinned indirectly" is a success with
  // was_pinned = false, as in upstream's Unpin.
  Result<PinRmResult> pin_rm(const multiformats::Cid& cid, std::chrono::milliseconds timeout);

  // pin/ls?stream=true&type=<type>&names=true; each line goes to on_pin. Returns how many
  // pins were listed. A trailer error or any malformed line fails the whole listing (a listing
  // with a hole would make pins look lost). Bounded by options().timeout.
  Result<std::size_t> pin_ls(PinLsType type, const PinHandler& on_pin);

  // pin/ls?arg=<cid>&type=all&names=true: how `cid` is pinned, or nullopt when it is not
  // ("path '<cid>' is not pinned"). Bounded by options().timeout.
  // `type` matters for speed: Kubo answers recursive and direct lookups from its pin index,
  // while `all` (which can say "indirect through <cid>") walks every recursive pin's DAG when
  // the CID is not pinned itself, so its cost grows with the pinset (measured: 0.4 s at 10,000
  // pins against 0.7 ms for `recursive`). Upstream's connector asks with the wanted type too.
  Result<std::optional<PinLookup>> pin_ls_one(const multiformats::Cid& cid, PinLsType type = PinLsType::all);

  // pin/update?arg=<from>&arg=<to>&unpin=false: pins `to` by diffing against the recursive pin
  // `from`, which stays pinned (upstream's PinUpdate).
  Status pin_update(const multiformats::Cid& from, const multiformats::Cid& to,
                    std::chrono::milliseconds timeout);

  // swarm/connect?arg=<maddr> (a multiaddr ending in /p2p/<id>). On failure the Error carries
  // Kubo's message ("connect <id> failure: ...").
  Status swarm_connect(const multiformats::Multiaddr& address, std::chrono::milliseconds timeout);

  // repo/stat?size-only=true. Bounded by options().timeout.
  Result<RepoStat> repo_stat();

  const ClientOptions& options() const { return options_; }

  // "http://127.0.0.1:5001" or "unix:/run/kubo.sock", for messages.
  std::string endpoint_text() const;

 private:
  // Limits of a streamed call.
  struct StreamLimits {
    std::chrono::milliseconds timeout{0};    // whole request; 0 = none
    std::chrono::milliseconds idle{0};       // nothing received for this long; 0 = none
    errc idle_code = errc::timed_out;        // how a quiet stream is reported
  };
  // Receives one NDJSON line (without its newline; may be empty); an error stops the stream.
  using LineHandler = std::function<Status(std::string_view line)>;

  http::Request request(std::string_view command, std::string_view query,
                        std::chrono::milliseconds timeout) const;
  // POSTs /api/v0/<command>?<query> and returns the body of a successful answer.
  Result<std::string> call(std::string_view command, std::string_view query,
                           std::chrono::milliseconds timeout);
  Result<std::string> call(std::string_view command, std::string_view query = {}) {
    return call(command, query, options_.timeout);
  }
  class LineStream;  // one streamed answer: line splitting and the verdict (client.cpp)

  http::Request stream_request(std::string_view command, std::string_view query, const StreamLimits& limits) const;
  // POSTs and feeds the 200 body to on_line line by line; then checks the trailer.
  Status stream_lines(std::string_view command, std::string_view query,
                      const StreamLimits& limits, const LineHandler& on_line);
  // The same through a TransferRunner; on_line runs on the runner's thread.
  Task<Status> stream_lines(http::TransferRunner& runner, std::string command, std::string query, StreamLimits limits,
                            LineHandler on_line, std::stop_token stop) const;

  Error failure(std::string_view command, errc code, const std::string& why) const;
  // A non-200 answer: Kubo's JSON error or a plain-text rejection.
  Error answer_error(std::string_view command, long status, std::string_view body) const;
  Error transport_error(std::string_view command, const Error& e) const;

  ClientOptions options_;
  http::Client http_;
};

}  // namespace cf::kubo
