#include "cf/kubo/auth.hpp"

#include <gtest/gtest.h>

#include "cf/base/errc.hpp"

namespace cf::kubo {
namespace {

TEST(KuboAuth, ParsesKubosAuthSecretForms) {
  auto basic = parse_auth_secret("basic:alice:pa:ss");
  ASSERT_TRUE(basic);
  auto* b = std::get_if<http::BasicAuth>(&*basic);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->user, "alice");
  EXPECT_EQ(b->password, "pa:ss");
  auto bearer = parse_auth_secret("bearer:tok");
  ASSERT_TRUE(bearer);
  EXPECT_EQ(std::get<http::BearerAuth>(*bearer).token, "tok");
  auto bare = parse_auth_secret("tok2");
  ASSERT_TRUE(bare);
  EXPECT_EQ(std::get<http::BearerAuth>(*bare).token, "tok2");
  auto none = parse_auth_secret("");
  ASSERT_TRUE(none);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(*none));
}

TEST(KuboAuth, RejectsMalformedSecretsWithoutEchoingThem) {
  for (auto bad : {"basic:nopassword", "basic::x", "bearer:"}) {
    auto r = parse_auth_secret(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error(), cf::errc::invalid_input);
    EXPECT_EQ(r.error().message().find("nopassword"), std::string::npos);
  }
}

}  // namespace
}  // namespace cf::kubo
