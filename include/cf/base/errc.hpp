// Error codes of the base layer and a helper to declare one category per layer.
#pragma once

#include <string>
#include <system_error>

namespace cf {

enum class errc {
  invalid_input = 1,  // input was malformed; the Error's detail names it
  io_failed,          // a file or system call failed; detail names the path
  not_found,          // a required file or entry does not exist
  already_exists,     // refusing to overwrite an existing file or folder
  timed_out,          // a wait ran past its deadline
  cancelled,          // the operation was stopped on request (shutdown)
  too_deep,           // input nested deeper than its bound (JSON: max_json_depth)
};

const std::error_category& base_category();
std::error_code make_error_code(errc e);

// Builds an Error for a failed system call, keeping errno as the code.
std::error_code last_system_error();

}  // namespace cf

template <>
struct std::is_error_code_enum<cf::errc> : std::true_type {};
