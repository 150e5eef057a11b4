// Go duration strings, as ipfs-cluster writes them in service.json ("2m0s", "1h0m0s", "500ms").
//
// parse_duration accepts exactly what Go's time.ParseDuration accepts (sign, decimal fractions,
// units ns us µs μs ms s m h, the bare "0") and fails where it fails, with Go's messages, so a
// template that upstream rejects is rejected here too. format_duration prints what Go's
// Duration.String prints, for logs and for writing values back.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "cf/base/result.hpp"

namespace cf::cluster {

// Go's time.Duration: signed nanoseconds.
using Duration = std::chrono::nanoseconds;

// The longest duration a template setting may hold (365 days); longer ones are clamped to it
// with a warning (Template::warnings). Go accepts up to ~292 years, but the daemon multiplies
// intervals (ten poll intervals of silence, 1.3 rebroadcast intervals) and adds them to clock
// readings: bounded like this, no such product (up to 20x) plus a clock reading can overflow
// the signed 64-bit nanosecond count, which would be undefined behaviour.
inline constexpr Duration max_template_duration = std::chrono::hours(24 * 365);

// `d` limited to [-max_template_duration, max_template_duration].
Duration clamp_template_duration(Duration d);

// errc::invalid_duration on failure; the detail is Go's message, e.g.
// `time: unknown unit "d" in duration "1d"`.
Result<Duration> parse_duration(std::string_view text);

std::string format_duration(Duration d);

}  // namespace cf::cluster
