// The argument handling of run_cli: exit codes and the first-stage parse. Commands that touch
// files are covered end to end in tests/e2e/.
#include "cf/cli/app.hpp"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace cf::cli {
namespace {

int run(std::vector<std::string> args, std::string* out = nullptr, std::string* err = nullptr) {
  args.insert(args.begin(), "cluster-follow");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  int code = run_cli(static_cast<int>(argv.size()), argv.data());
  auto o = testing::internal::GetCapturedStdout();
  auto e = testing::internal::GetCapturedStderr();
  if (out) *out = o;
  if (err) *err = e;
  return code;
}

TEST(App, VersionAndHelpExitZero) {
  std::string out;
  EXPECT_EQ(run({"--version"}, &out), 0);
  EXPECT_EQ(out.rfind("cluster-follow ", 0), 0u) << out;
  EXPECT_EQ(run({"--help"}, &out), 0);
  EXPECT_NE(out.find("--config"), std::string::npos);
}

TEST(App, UsageErrorsExit64) {
  std::string err;
  EXPECT_EQ(run({"--no-such-flag"}, nullptr, &err), 64);
  EXPECT_EQ(run({"somecluster", "frobnicate"}, nullptr, &err), 64);
  EXPECT_NE(err.find("frobnicate"), std::string::npos) << err;
  EXPECT_EQ(run({"somecluster", "status", "--bogus"}), 64);
}

TEST(App, BadLogLevelAndBadNamesExit1) {
  std::string err;
  EXPECT_EQ(run({"--log-level", "loud", "x", "info"}, nullptr, &err), 1);
  EXPECT_NE(err.find("--log-level \"loud\""), std::string::npos) << err;
  EXPECT_EQ(run({"..", "info"}, nullptr, &err), 1);
  EXPECT_NE(err.find("invalid cluster name \"..\""), std::string::npos) << err;
}

TEST(App, StatusOfAMissingClusterExits3) {
  auto root = std::filesystem::path(testing::TempDir()) / "cf-app-test-empty";
  std::filesystem::remove_all(root);
  std::string out;
  EXPECT_EQ(run({"--config", root.string(), "nothere", "status"}, &out), 3);
  EXPECT_NE(out.find("not initialized"), std::string::npos) << out;
  EXPECT_EQ(run({"--config", root.string(), "nothere", "status", "--quiet"}, &out), 3);
  EXPECT_TRUE(out.empty()) << out;
}

}  // namespace
}  // namespace cf::cli
