// Human-readable spans of time for logs and command output ("45 s", "12 min", "3 h", "9 days").
#pragma once

#include <cstdint>
#include <string>

namespace cf {

// A non-negative number of seconds, rounded down to the largest unit that keeps it readable.
std::string span_text(std::int64_t seconds);

// "<span> ago" for a past Unix time, "in <span>" for a future one.
std::string relative_time_text(std::int64_t unix_seconds, std::int64_t now_unix);

}  // namespace cf
