// Error codes of the pnet sublayer (PSK v1 private networks). Category "cf.p2p.pnet", pattern
// of cf/base/errc.hpp.
#pragma once

#include <system_error>

namespace cf::p2p::pnet {

enum class errc {
  invalid_psk = 1,        // a cluster secret that is not 64 hex characters
  invalid_swarm_key,      // a swarm.key without the /key/swarm/psk/1.0.0/ header or a bad key
  unknown_key_encoding,   // a swarm.key whose second line is not /base16/, /base64/ or /bin/
};

const std::error_category& pnet_category();
std::error_code make_error_code(errc e);

}  // namespace cf::p2p::pnet

template <>
struct std::is_error_code_enum<cf::p2p::pnet::errc> : std::true_type {};
