// The "cf.p2p.yamux" error category.
#include "cf/p2p/yamux/errc.hpp"

#include <gtest/gtest.h>

#include "cf/base/result.hpp"

namespace cf::p2p::yamux {
namespace {

TEST(YamuxErrc, CategoryNamesAndMessages) {
  const std::error_code ec = errc::window_exceeded;
  EXPECT_STREQ(ec.category().name(), "cf.p2p.yamux");
  EXPECT_EQ(ec.message(), "yamux receive window exceeded");
  for (int v = static_cast<int>(errc::truncated); v <= static_cast<int>(errc::session_closed);
       ++v) {
    EXPECT_NE(make_error_code(static_cast<errc>(v)).message(), "unknown yamux error") << v;
  }
  EXPECT_EQ(make_error_code(static_cast<errc>(999)).message(), "unknown yamux error");
}

TEST(YamuxErrc, ErrorsCompareByCode) {
  const Error e(errc::duplicate_stream, "yamux SYN for open stream 3");
  EXPECT_EQ(e, errc::duplicate_stream);
  EXPECT_EQ(e.message(), "yamux SYN for open stream 3");
}

}  // namespace
}  // namespace cf::p2p::yamux
