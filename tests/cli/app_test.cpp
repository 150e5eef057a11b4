// The argument handling of run_cli: exit codes and the first-stage parse. Commands that touch
// files are covered end to end in tests/e2e/.
#include "cf/cli/app.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cf/base/bytes.hpp"
#include "cf/multiformats/cid.hpp"
#include "cf/store/store.hpp"

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

// A pin name (and an error) from the cluster with escape sequences and a newline: `list` shows
// them escaped on one line; --json stays JSON with the control characters \u-escaped.
TEST(App, ListEscapesControlCharactersFromTheCluster) {
  auto root = std::filesystem::path(testing::TempDir()) / "cf-app-test-list";
  std::filesystem::remove_all(root);
  ASSERT_EQ(run({"--config", root.string(), "esc", "init", "http://127.0.0.1:9/t.json"}), 0);
  {
    auto db = store::Store::open(root / "esc" / "state.db", store::OpenMode::read_write);
    ASSERT_TRUE(db) << db.error().message();
    auto cid = multiformats::Cid::parse("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
    ASSERT_TRUE(cid);
    auto pin = db->prepare("INSERT INTO pins (cid, cid_text, type, name, updated_at) VALUES (?, ?, 'pin', ?, 0)");
    ASSERT_TRUE(pin);
    pin->bind(1, ByteView(cid->bytes())).bind(2, cid->to_string()).bind(3, "evil\x1b[2J\x1b[1;1H\nerror: fake line");
    ASSERT_TRUE(pin->step());
    auto status = db->prepare("INSERT INTO pin_status (cid, status, error, updated_at) VALUES (?, 'pin_error', ?, 0)");
    ASSERT_TRUE(status);
    status->bind(1, ByteView(cid->bytes())).bind(2, "kubo says \x1b]0;title\x07");
    ASSERT_TRUE(status->step());
  }
  std::string out;
  ASSERT_EQ(run({"--config", root.string(), "esc", "list"}, &out), 0);
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find('\x07'), std::string::npos) << out;
  EXPECT_NE(out.find("evil\\x1b[2J\\x1b[1;1H\\nerror: fake line (kubo says \\x1b]0;title\\x07)"), std::string::npos)
      << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  ASSERT_EQ(run({"--config", root.string(), "esc", "list", "--json"}, &out), 0);
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_NE(out.find("evil\\u001b[2J"), std::string::npos) << out;
  std::filesystem::remove_all(root);
}

// URLs that cannot work, or that carry credentials, are refused before anything is written;
// the credentials are not echoed.
TEST(App, InitRefusesUnusableUrlsAndCredentialsWithoutCreatingTheFolder) {
  auto root = std::filesystem::path(testing::TempDir()) / "cf-app-test-init";
  std::filesystem::remove_all(root);
  for (const char* url : {"http://", "http://[::1", "https://example.org:99999/t.json"}) {
    std::string err;
    EXPECT_EQ(run({"--config", root.string(), "bad", "init", url}, nullptr, &err), 1) << url;
    EXPECT_NE(err.find("is not a usable URL"), std::string::npos) << url << ": " << err;
    EXPECT_FALSE(std::filesystem::exists(root / "bad")) << url;
  }
  std::string err;
  EXPECT_EQ(run({"--config", root.string(), "bad", "init", "https://follower:hunter2@example.org/t.json"}, nullptr, &err),
            1);
  EXPECT_NE(err.find("must not contain credentials"), std::string::npos) << err;
  EXPECT_NE(err.find("basic_auth_user"), std::string::npos) << err;
  EXPECT_EQ(err.find("hunter2"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(root / "bad"));
  std::filesystem::remove_all(root);
}

// A service.json written before the rule (or by hand) with credentials in its URL: every
// command refuses it without quoting the password.
TEST(App, CredentialsInAStoredSourceAreRefusedNotShown) {
  auto root = std::filesystem::path(testing::TempDir()) / "cf-app-test-creds";
  std::filesystem::remove_all(root);
  ASSERT_EQ(run({"--config", root.string(), "c", "init", "http://127.0.0.1:9/t.json"}), 0);
  std::ofstream(root / "c" / "service.json") << R"({"source": "http://u:hunter2@127.0.0.1:9/t.json"})";
  for (const char* command : {"info", "status", "doctor"}) {
    std::string out;
    std::string err;
    EXPECT_EQ(run({"--config", root.string(), "c", command}, &out, &err), 1) << command;
    EXPECT_EQ((out + err).find("hunter2"), std::string::npos) << command << ": " << out << err;
    EXPECT_NE((out + err).find("must not contain credentials"), std::string::npos) << command << ": " << out << err;
  }
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace cf::cli
