#include "cf/store/errc.hpp"

#include <gtest/gtest.h>

#include "cf/base/result.hpp"

namespace cf::store {
namespace {

TEST(StoreErrc, CategoryAndMessages) {
  std::error_code ec = errc::schema_too_new;
  EXPECT_STREQ(ec.category().name(), "cf.store");
  EXPECT_EQ(ec.message(), "state database schema is newer than supported");
  const int last = static_cast<int>(errc::file_replaced);
  for (int v = static_cast<int>(errc::not_found); v <= last; ++v) {
    EXPECT_NE(make_error_code(static_cast<errc>(v)).message(), "unknown store error") << v;
  }
  Error e(errc::lock_held);
  EXPECT_EQ(e, errc::lock_held);
  EXPECT_FALSE(e == errc::busy);
}

}  // namespace
}  // namespace cf::store
