// The concurrency settings a template can ask for are brought into bounds, loudly, without
// overflow (issue 11: concurrent_pins = INT_MAX became INT_MAX + 5 threads, computed in int).
#include "cf/follower/concurrency.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace cf::follower {
namespace {

constexpr const char* setting = "pin_tracker.stateless.concurrent_pins";

TEST(Concurrency, SensibleValuesPassUnchangedAndQuietly) {
  for (std::int64_t v : {1, 10, 100, max_concurrent_pins}) {
    auto c = clamp_concurrency(setting, v, max_concurrent_pins);
    EXPECT_EQ(c.value, v);
    EXPECT_TRUE(c.warning.empty()) << c.warning;
  }
}

TEST(Concurrency, IntMaxIsClampedWithAWarningNamingSettingValueAndClamp) {
  auto c = clamp_concurrency(setting, std::numeric_limits<int>::max(), max_concurrent_pins);
  EXPECT_EQ(c.value, max_concurrent_pins);
  EXPECT_NE(c.warning.find(setting), std::string::npos) << c.warning;
  EXPECT_NE(c.warning.find("2147483647"), std::string::npos) << c.warning;
  EXPECT_NE(c.warning.find("using 1024"), std::string::npos) << c.warning;
}

TEST(Concurrency, ExtremesOfTheWiderTypeDoNotOverflow) {
  auto huge = clamp_concurrency(setting, std::numeric_limits<std::int64_t>::max(), max_concurrent_pins);
  EXPECT_EQ(huge.value, max_concurrent_pins);
  auto just_over = clamp_concurrency(setting, std::int64_t{max_concurrent_pins} + 1, max_concurrent_pins);
  EXPECT_EQ(just_over.value, max_concurrent_pins);
  EXPECT_FALSE(just_over.warning.empty());
  for (std::int64_t v : {std::int64_t{0}, std::int64_t{-1}, std::numeric_limits<std::int64_t>::min()}) {
    auto c = clamp_concurrency(setting, v, max_concurrent_pins);
    EXPECT_EQ(c.value, 1) << v;
    EXPECT_NE(c.warning.find("using 1"), std::string::npos) << c.warning;
  }
}

}  // namespace
}  // namespace cf::follower
