// The "cf.p2p.gossipsub" error category.
#include "cf/p2p/gossipsub/errc.hpp"

#include <gtest/gtest.h>

#include "cf/base/result.hpp"

namespace cf::p2p::gossipsub {
namespace {

TEST(GossipsubErrc, CategoryNamesAndMessages) {
  const std::error_code ec = errc::key_mismatch;
  EXPECT_STREQ(ec.category().name(), "cf.p2p.gossipsub");
  EXPECT_EQ(ec.message(), "gossipsub message key does not match its author");
  for (int v = static_cast<int>(errc::malformed_rpc); v <= static_cast<int>(errc::message_too_large);
       ++v) {
    EXPECT_NE(make_error_code(static_cast<errc>(v)).message(), "unknown gossipsub error") << v;
  }
  EXPECT_EQ(make_error_code(static_cast<errc>(999)).message(), "unknown gossipsub error");
}

TEST(GossipsubErrc, ErrorsCompareByCode) {
  const Error e(errc::limit_exceeded, "gossipsub: 10001 subscriptions (limit 10000)");
  EXPECT_EQ(e, errc::limit_exceeded);
  EXPECT_NE(e, errc::malformed_rpc);
}

}  // namespace
}  // namespace cf::p2p::gossipsub
