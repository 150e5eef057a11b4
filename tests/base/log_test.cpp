// The log lines' escaping: remote text in a message never reaches the terminal or the journal raw.
#include "cf/base/log.hpp"

#include <algorithm>

#include <gtest/gtest.h>

namespace cf::log {
namespace {

TEST(Log, ControlCharactersInAMessageAreEscaped) {
  auto logger = get("log-test");
  testing::internal::CaptureStderr();
  logger->warn("pin name {}", "a\x1b[2Jb\n2026-01-01 INFO cluster: fake line");
  logger->flush();
  const auto err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("pin name a\\x1b[2Jb\\n2026-01-01 INFO cluster: fake line"), std::string::npos) << err;
  EXPECT_EQ(err.find('\x1b'), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

}  // namespace
}  // namespace cf::log
