#include "cf/cluster/duration.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "cf/cluster/errc.hpp"

namespace cf::cluster {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

constexpr auto max_ns = std::numeric_limits<std::int64_t>::max();
constexpr auto min_ns = std::numeric_limits<std::int64_t>::min();

struct Good {
  const char* text;
  Duration want;
};

// The accepted forms of Go's time.ParseDuration, with their values.
TEST(Duration, ParsesLikeGo) {
  const Good cases[] = {
      {"0", Duration::zero()},
      {"5s", seconds(5)},
      {"30s", seconds(30)},
      {"1478s", seconds(1478)},
      {"-5s", seconds(-5)},
      {"+5s", seconds(5)},
      {"-0", Duration::zero()},
      {"+0", Duration::zero()},
      {"0s", Duration::zero()},
      {"5.0s", seconds(5)},
      {"5.6s", milliseconds(5600)},
      {"5.s", seconds(5)},
      {".5s", milliseconds(500)},
      {"1.004s", milliseconds(1004)},
      {"1.0040s", milliseconds(1004)},
      {"100.00100s", milliseconds(100001)},
      {"10ns", nanoseconds(10)},
      {"11us", microseconds(11)},
      {"12\xC2\xB5s", microseconds(12)},  // U+00B5
      {"12\xCE\xBCs", microseconds(12)},  // U+03BC
      {"13ms", milliseconds(13)},
      {"15m", minutes(15)},
      {"16h", hours(16)},
      {"2m0s", minutes(2)},
      {"1h0m0s", hours(1)},
      {"500ms", milliseconds(500)},
      {"3h30m", hours(3) + minutes(30)},
      {"10.5s4m", minutes(4) + milliseconds(10500)},
      {"-2m3.4s", -(minutes(2) + milliseconds(3400))},
      {"1h2m3s4ms5us6ns", hours(1) + minutes(2) + seconds(3) + milliseconds(4) + microseconds(5) + nanoseconds(6)},
      {"39h9m14.425s", hours(39) + minutes(9) + milliseconds(14425)},
      {"52763797000ns", nanoseconds(52763797000)},
      {"0.3333333333333333333h", minutes(20)},
      {"9007199254740993ns", nanoseconds(9007199254740993)},
      {"9223372036854775807ns", nanoseconds(max_ns)},
      {"9223372036854775.807us", nanoseconds(max_ns)},
      {"9223372036s854ms775us807ns", nanoseconds(max_ns)},
      {"-9223372036854775808ns", nanoseconds(min_ns)},
      {"-9223372036854775.808us", nanoseconds(min_ns)},
      {"0.100000000000000000000h", minutes(6)},
      {"0.830103483285477580700h", minutes(49) + seconds(48) + nanoseconds(372539827)},
  };
  for (const auto& c : cases) {
    auto d = parse_duration(c.text);
    ASSERT_TRUE(d) << c.text << ": " << d.error().message();
    EXPECT_EQ(d->count(), c.want.count()) << c.text;
  }
}

TEST(Duration, RejectsLikeGo) {
  const char* cases[] = {"", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "\x85\x85", "\xff" "ff",
                         "hello \xff" "ff world", "9223372036854775808ns", "9223372036854775.808us",
                         "-9223372036854775809ns", "3000000h", "1s 2m", "1.5"};
  for (const char* c : cases) {
    auto d = parse_duration(c);
    ASSERT_FALSE(d) << c;
    EXPECT_EQ(d.error(), errc::invalid_duration) << c;
  }
}

TEST(Duration, GoErrorMessages) {
  EXPECT_EQ(parse_duration("").error().message(), "time: invalid duration \"\"");
  EXPECT_EQ(parse_duration("3").error().message(), "time: missing unit in duration \"3\"");
  EXPECT_EQ(parse_duration("1d").error().message(), "time: unknown unit \"d\" in duration \"1d\"");
  EXPECT_EQ(parse_duration("12x").error().message(),
            "time: unknown unit \"x\" in duration \"12x\"");
  EXPECT_EQ(parse_duration("3000000h").error().message(), "time: invalid duration \"3000000h\"");
}

TEST(Duration, FormatsLikeGo) {
  EXPECT_EQ(format_duration(Duration::zero()), "0s");
  EXPECT_EQ(format_duration(nanoseconds(1)), "1ns");
  EXPECT_EQ(format_duration(nanoseconds(1100)), "1.1\xC2\xB5s");
  EXPECT_EQ(format_duration(microseconds(2200)), "2.2ms");
  EXPECT_EQ(format_duration(milliseconds(3300)), "3.3s");
  EXPECT_EQ(format_duration(minutes(4) + seconds(5)), "4m5s");
  EXPECT_EQ(format_duration(minutes(4) + milliseconds(5001)), "4m5.001s");
  EXPECT_EQ(format_duration(hours(5) + minutes(6) + milliseconds(7001)), "5h6m7.001s");
  EXPECT_EQ(format_duration(minutes(8) + nanoseconds(1)), "8m0.000000001s");
  EXPECT_EQ(format_duration(minutes(2)), "2m0s");
  EXPECT_EQ(format_duration(hours(1)), "1h0m0s");
  EXPECT_EQ(format_duration(milliseconds(500)), "500ms");
  EXPECT_EQ(format_duration(seconds(-90)), "-1m30s");
  EXPECT_EQ(format_duration(nanoseconds(max_ns)), "2562047h47m16.854775807s");
  EXPECT_EQ(format_duration(nanoseconds(min_ns)), "-2562047h47m16.854775808s");
}

TEST(Duration, TemplateClampKeepsBothSignsWithin365Days) {
  EXPECT_EQ(max_template_duration, std::chrono::hours(8760));
  EXPECT_EQ(clamp_template_duration(std::chrono::seconds(30)), std::chrono::seconds(30));
  EXPECT_EQ(clamp_template_duration(max_template_duration), max_template_duration);
  EXPECT_EQ(clamp_template_duration(nanoseconds(max_ns)), max_template_duration);
  EXPECT_EQ(clamp_template_duration(nanoseconds(min_ns)), -max_template_duration);
  EXPECT_EQ(clamp_template_duration(-std::chrono::hours(1)), -std::chrono::hours(1));
}

TEST(Duration, RoundTrips) {
  for (const char* text : {"2m0s", "1h0m0s", "10s", "500ms", "24h0m0s", "1.5s", "0s"}) {
    auto d = parse_duration(text);
    ASSERT_TRUE(d) << text;
    EXPECT_EQ(format_duration(*d), text);
  }
}

}  // namespace
}  // namespace cf::cluster
