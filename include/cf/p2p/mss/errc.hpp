// Error codes of the multistream-select sublayer. Category "cf.p2p.mss", pattern of
// cf/base/errc.hpp.
#pragma once

#include <system_error>

namespace cf::p2p::mss {

enum class errc {
  too_large = 1,          // a message longer than 1024 bytes (go-multistream ErrTooLarge)
  missing_newline,        // a message that is empty or does not end in '\n'
  invalid_length,         // a length prefix that is not a minimal unsigned varint
  wrong_header,           // the peer's first message is not /multistream/1.0.0
  unrecognized_response,  // the listener answered neither the proposal's echo nor "na"
  not_supported,          // the listener answered "na" to every proposal
  invalid_protocol,       // a protocol ID we were asked to propose is empty or too long
  no_protocols,           // a dialer was created with nothing to propose
  finished,               // bytes fed after negotiation ended (succeeded or failed)
};

const std::error_category& mss_category();
std::error_code make_error_code(errc e);

}  // namespace cf::p2p::mss

template <>
struct std::is_error_code_enum<cf::p2p::mss::errc> : std::true_type {};
