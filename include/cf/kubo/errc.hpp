// Error codes of the kubo layer (category "cf.kubo").
#pragma once

#include <system_error>

#include "cf/base/result.hpp"

namespace cf::kubo {

enum class errc {
  unreachable = 1,   // no connection to the Kubo RPC API (refused, unresolvable, no socket)
  timed_out,         // the call ran past its timeout
  api_error,         // Kubo answered with its JSON error {Message, Code, Type}; the detail
                     // carries Kubo's Message
  http_error,        // a non-JSON error answer (403 auth/origin, 404 no such command, 405)
  bad_response,      // a success status whose body is not the expected JSON
  transport_failed,  // any other HTTP failure (reset, oversize body, ...)
  stream_error,      // Kubo failed after its 200: a non-empty X-Stream-Error trailer (the detail
                     // carries it); upstream cluster ignores this and calls such a pin pinned
  pin_timeout,       // pin/add: the progress count did not grow (or nothing arrived at all)
                     // for pin_timeout; cluster's "no-progress" timeout
  not_pinned,        // Kubo says the CID is not pinned: "not pinned or pinned indirectly"
                     // (pin/rm) or "path '<cid>' is not pinned" (pin/ls with an arg)
};

const std::error_category& kubo_category();
std::error_code make_error_code(errc e);

// True for errc::not_pinned. Kubo reports "not pinned" only as text; the client turns that
// text into the code once, so callers branch on the code (as upstream's Unpin does on text).
bool is_not_pinned(const Error& e);

}  // namespace cf::kubo

template <>
struct std::is_error_code_enum<cf::kubo::errc> : std::true_type {};
