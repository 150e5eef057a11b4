#include "cf/base/time_text.hpp"

namespace cf {

std::string span_text(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 120) return std::to_string(seconds) + " s";
  if (seconds < 7200) return std::to_string(seconds / 60) + " min";
  if (seconds < 172800) return std::to_string(seconds / 3600) + " h";
  return std::to_string(seconds / 86400) + " days";
}

std::string relative_time_text(std::int64_t unix_seconds, std::int64_t now_unix) {
  auto delta = now_unix - unix_seconds;
  return delta < 0 ? "in " + span_text(-delta) : span_text(delta) + " ago";
}

}  // namespace cf
