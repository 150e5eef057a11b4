#include "cf/follower/kubo_wait.hpp"

#include <gtest/gtest.h>

#include "cf/base/errc.hpp"

namespace cf::follower {
namespace {

using namespace std::chrono_literals;

// A manual clock: sleeping advances it, so the test never waits.
struct ManualClock {
  std::chrono::steady_clock::time_point t{};
  KuboWaitOptions options(std::chrono::seconds timeout) {
    KuboWaitOptions o;
    o.timeout = timeout;
    o.now = [this] { return t; };
    o.sleep = [this](std::chrono::milliseconds d) { t += d; };
    return o;
  }
};

TEST(WaitForKubo, ReturnsOnceKuboAnswers) {
  ManualClock clock;
  int calls = 0;
  std::vector<long> ticks;
  auto probe = [&]() -> Result<std::string> {
    if (++calls < 4) return Error(errc::io_failed, "connection refused");
    return std::string("12D3KooWkubo");
  };
  auto id = wait_for_kubo("/ip4/127.0.0.1/tcp/5001", probe, clock.options(10s),
                          [&](std::chrono::seconds left, const Error&) { ticks.push_back(left.count()); });
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, "12D3KooWkubo");
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(ticks, (std::vector<long>{10, 9, 8}));
}

TEST(WaitForKubo, TimesOutNamingAddressAndLastError) {
  ManualClock clock;
  int calls = 0;
  auto probe = [&]() -> Result<std::string> {
    ++calls;
    return Error(errc::io_failed, "connection refused");
  };
  auto id = wait_for_kubo("/ip4/127.0.0.1/tcp/5001", probe, clock.options(5s), nullptr);
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error(), errc::timed_out);
  EXPECT_NE(id.error().message().find("/ip4/127.0.0.1/tcp/5001"), std::string::npos);
  EXPECT_NE(id.error().message().find("within 5 s"), std::string::npos);
  EXPECT_NE(id.error().message().find("connection refused"), std::string::npos);
  EXPECT_EQ(calls, 6);  // at 0..5 s
}

}  // namespace
}  // namespace cf::follower
