// Error codes of the kubo layer (category "cf.kubo").
#pragma once

#include <system_error>

namespace cf::kubo {

enum class errc {
  unreachable = 1,   // no connection to the Kubo RPC API (refused, unresolvable, no socket)
  timed_out,         // the call ran past its timeout
  api_error,         // Kubo answered with its JSON error {Message, Code, Type}, or a stream
                     // error trailer; the detail carries Kubo's Message
  http_error,        // a non-JSON error answer (403 auth/origin, 404 no such command, 405)
  bad_response,      // a success status whose body is not the expected JSON
  transport_failed,  // any other HTTP failure (reset, oversize body, ...)
};

const std::error_category& kubo_category();
std::error_code make_error_code(errc e);

}  // namespace cf::kubo

template <>
struct std::is_error_code_enum<cf::kubo::errc> : std::true_type {};
