#include "cf/follower/progress.hpp"

#include <gtest/gtest.h>

namespace cf::follower {
namespace {

using namespace std::chrono_literals;
using Clock = ProgressReporter::Clock;

TEST(BytesText, UsesBinaryUnits) {
  EXPECT_EQ(bytes_text(0), "0 B");
  EXPECT_EQ(bytes_text(1023), "1023 B");
  EXPECT_EQ(bytes_text(1024), "1.0 KiB");
  EXPECT_EQ(bytes_text(1536), "1.5 KiB");
  EXPECT_EQ(bytes_text(3 * 1024 * 1024), "3.0 MiB");
  EXPECT_EQ(bytes_text(std::int64_t{1288490189}), "1.2 GiB");
  EXPECT_EQ(bytes_text(std::int64_t{5} << 50), "5.0 PiB");
  EXPECT_EQ(bytes_text(std::int64_t{3} << 60), "3072.0 PiB");
}

TEST(ProgressText, ShowsCountsRateAndEta) {
  ProgressSnapshot s{1200, 5000, 1288490189, 10, 3};
  EXPECT_EQ(progress_text(s, 35.24, 108s),
            "pins 1200/5000 (24.0%), 35.2 pins/s, 1.2 GiB, 10 in flight, 3 errors, about 108 s left");
  EXPECT_EQ(progress_text(s, std::nullopt, std::nullopt), "pins 1200/5000 (24.0%), 1.2 GiB, 10 in flight, 3 errors");
  EXPECT_EQ(progress_text({0, 0, 0, 0, 1}, std::nullopt, std::nullopt), "pins 0/0, 0 B, 0 in flight, 1 error");
}

TEST(ProgressText, TerminalLineRewritesInPlace) {
  EXPECT_EQ(terminal_line("pins 1/2"), "\r\033[Kpins 1/2");
}

struct Recorder {
  std::vector<std::string> terminal;
  std::vector<std::string> log;
  ProgressReporter::Options options(bool is_terminal) {
    ProgressReporter::Options o;
    o.terminal = is_terminal;
    o.write_terminal = [this](std::string_view s) { terminal.emplace_back(s); };
    o.write_log = [this](std::string_view s) { log.emplace_back(s); };
    return o;
  }
};

TEST(ProgressReporter, TerminalRedrawsAtMostFourTimesASecond) {
  Recorder out;
  ProgressReporter reporter(out.options(true));
  const Clock::time_point t0{};
  reporter.update({0, 100, 0, 5, 0}, t0);
  reporter.update({1, 100, 0, 5, 0}, t0 + 100ms);  // too soon: not drawn
  reporter.update({2, 100, 0, 5, 0}, t0 + 250ms);
  ASSERT_EQ(out.terminal.size(), 2u);
  EXPECT_EQ(out.terminal[0], "\r\033[Kpins 0/100 (0.0%), 0 B, 5 in flight, 0 errors");
  EXPECT_EQ(out.terminal[1], "\r\033[Kpins 2/100 (2.0%), 0 B, 5 in flight, 0 errors");
  EXPECT_TRUE(out.log.empty());
  reporter.update({50, 100, 2048, 5, 0}, t0 + 10s);  // 50 pins in 10 s: 5/s, 50 left: 10 s
  EXPECT_EQ(out.terminal.back(),
            "\r\033[Kpins 50/100 (50.0%), 5.0 pins/s, 2.0 KiB, 5 in flight, 0 errors, about 10 s left");
  reporter.finish(t0 + 20s);
  EXPECT_TRUE(out.terminal.back().ends_with("\n")) << "finish ends the line";
  EXPECT_TRUE(out.log.empty());
}

TEST(ProgressReporter, NonTerminalLogsASummaryPerInterval) {
  Recorder out;
  auto options = out.options(false);
  options.summary_interval = 60s;
  ProgressReporter reporter(options);
  const Clock::time_point t0{};
  for (int second = 0; second <= 150; ++second) {
    reporter.update({second * 10, 3000, 0, 10, 0}, t0 + std::chrono::seconds(second));
  }
  ASSERT_EQ(out.log.size(), 3u);  // at 0, 60 and 120 s
  EXPECT_EQ(out.log[0], "pins 0/3000 (0.0%), 0 B, 10 in flight, 0 errors");
  EXPECT_EQ(out.log[1], "pins 600/3000 (20.0%), 10.0 pins/s, 0 B, 10 in flight, 0 errors, about 4 min left");
  EXPECT_EQ(out.log[2], "pins 1200/3000 (40.0%), 10.0 pins/s, 0 B, 10 in flight, 0 errors, about 3 min left");
  EXPECT_TRUE(out.terminal.empty());
  reporter.finish(t0 + 151s);
  ASSERT_EQ(out.log.size(), 4u);
  EXPECT_TRUE(out.log[3].starts_with("pins 1500/3000 (50.0%)"));
}

TEST(ProgressReporter, FinishWithoutUpdatesWritesNothingAndRestartsCleanly) {
  Recorder out;
  ProgressReporter reporter(out.options(false));
  reporter.finish(Clock::time_point{});
  EXPECT_TRUE(out.log.empty());
  reporter.update({5, 10, 0, 0, 0}, Clock::time_point{} + 1h);
  reporter.finish(Clock::time_point{} + 1h + 1s);
  reporter.update({7, 10, 0, 0, 0}, Clock::time_point{} + 2h);  // a new run starts over: no stale rate
  ASSERT_EQ(out.log.size(), 3u);
  EXPECT_EQ(out.log[2], "pins 7/10 (70.0%), 0 B, 0 in flight, 0 errors");
}

}  // namespace
}  // namespace cf::follower
