// Error codes of the ping sublayer (/ipfs/ping/1.0.0). Category "cf.p2p.ping", pattern of
// cf/base/errc.hpp.
#pragma once

#include <system_error>

namespace cf::p2p::ping {

enum class errc {
  mismatch = 1,      // the echoed 32 bytes differ from what we sent
  unexpected_bytes,  // the peer sent bytes while no ping was outstanding
  busy,              // a ping was started while the previous one is still outstanding
  timed_out,         // the outstanding ping is older than ping_timeout
};

const std::error_category& ping_category();
std::error_code make_error_code(errc e);

}  // namespace cf::p2p::ping

template <>
struct std::is_error_code_enum<cf::p2p::ping::errc> : std::true_type {};
