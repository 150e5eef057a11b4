#include "cf/base/time_text.hpp"

#include <gtest/gtest.h>

namespace cf {
namespace {

TEST(TimeText, PicksAReadableUnit) {
  EXPECT_EQ(span_text(0), "0 s");
  EXPECT_EQ(span_text(119), "119 s");
  EXPECT_EQ(span_text(120), "2 min");
  EXPECT_EQ(span_text(7199), "119 min");
  EXPECT_EQ(span_text(7200), "2 h");
  EXPECT_EQ(span_text(172800), "2 days");
  EXPECT_EQ(span_text(-5), "0 s");
}

TEST(TimeText, PastAndFuture) {
  EXPECT_EQ(relative_time_text(1000, 1300), "5 min ago");
  EXPECT_EQ(relative_time_text(1300, 1000), "in 5 min");
}

}  // namespace
}  // namespace cf
