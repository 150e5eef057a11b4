#include "cf/base/result.hpp"

#include <gtest/gtest.h>

#include "cf/base/errc.hpp"

namespace cf {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return Error(errc::invalid_input, "value " + std::to_string(v) + " is not positive");
  return v;
}

Result<int> doubled(int v) {
  CF_TRY_ASSIGN(p, parse_positive(v));
  return p * 2;
}

Status check(int v) {
  CF_TRY(parse_positive(v));
  return ok();
}

TEST(Result, CarriesValueOrError) {
  auto good = parse_positive(3);
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, 3);
  auto bad = parse_positive(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), errc::invalid_input);
  EXPECT_EQ(bad.error().message(), "value -1 is not positive");
}

TEST(Result, TryPropagatesErrors) {
  EXPECT_EQ(*doubled(4), 8);
  EXPECT_EQ(doubled(0).error(), errc::invalid_input);
  EXPECT_TRUE(check(1));
  EXPECT_FALSE(check(0));
}

TEST(Result, WrapAddsContext) {
  Error e(errc::not_found);
  e.wrap("reading identity.json");
  EXPECT_EQ(e.message(), "reading identity.json: not found");
}

TEST(Result, ValueOrAndTransform) {
  EXPECT_EQ(parse_positive(-5).value_or(7), 7);
  auto r = parse_positive(2);
  auto t = r.transform([](int v) { return v + 1; });
  EXPECT_EQ(*t, 3);
}

}  // namespace
}  // namespace cf
