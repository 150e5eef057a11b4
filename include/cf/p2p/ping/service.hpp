// /ipfs/ping/1.0.0 on the host: the responder (echoes 32-byte pings until EOF, at most 30 s per
// stream, as go's handler) and a client round trip. Registered on construction, removed on
// destruction. Logger "host".
// Ownership: lives on the host's executor and must outlive the host's stop(); it owns no
// coroutine of its own (responders run as tasks of their connection, pings in the caller's).
#pragma once

#include <chrono>

#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/multiformats/peer_id.hpp"
#include "cf/p2p/host/host.hpp"

namespace cf::p2p::ping {

class Service {
 public:
  explicit Service(Host& host);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // One round trip on the open connection to `peer`, bounded by ping_timeout. Errors:
  // p2p::errc::not_connected, the stream's error, cf::errc::timed_out.
  Task<Result<std::chrono::nanoseconds>> ping(const multiformats::PeerId& peer);

 private:
  Host& host_;
};

}  // namespace cf::p2p::ping
