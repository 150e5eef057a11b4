#include "cf/follower/concurrency.hpp"

#include <fmt/format.h>

namespace cf::follower {

Clamped clamp_concurrency(std::string_view setting, std::int64_t requested, int max) {
  if (requested >= 1 && requested <= max) return {static_cast<int>(requested), {}};
  int used = requested < 1 ? 1 : max;
  auto why = requested < 1 ? "at least 1 is needed" : "more would cost file descriptors and Kubo's attention for no gain";
  return {used, fmt::format("{} is {}; using {} ({})", setting, requested, used, why)};
}

}  // namespace cf::follower
