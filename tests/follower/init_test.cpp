#include "cf/follower/init.hpp"

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "support/fake_env.hpp"

#include "cf/base/errc.hpp"
#include "cf/identity/identity.hpp"

namespace cf::follower {
namespace {

namespace fs = std::filesystem;


std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mode & 0777;
}

class InitTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) / ("cf-init-" + std::to_string(::getpid()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(InitTest, WritesPrivateFilesInUpstreamFormat) {
  auto paths = ClusterPaths::under(root_, "c1");
  auto report = init_cluster(paths, {"http://127.0.0.1:9/t.json", "", std::nullopt}, test::fake_env({}));
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_FALSE(report->dnslink);
  EXPECT_EQ(mode_of(paths.dir), 0700u);
  EXPECT_EQ(mode_of(paths.identity_json), 0600u);
  EXPECT_EQ(mode_of(paths.service_json), 0600u);
  EXPECT_EQ(read(paths.service_json), "{\n  \"source\": \"http://127.0.0.1:9/t.json\"\n}");
  auto id = identity::Identity::load_file(paths.identity_json);
  ASSERT_TRUE(id);
  EXPECT_EQ(id->id().to_string(), report->peer_id);
  EXPECT_TRUE(paths.initialized());
}

TEST_F(InitTest, RefusesAnExistingFolderAndChangesNothing) {
  auto paths = ClusterPaths::under(root_, "c1");
  ASSERT_TRUE(init_cluster(paths, {"http://127.0.0.1:9/a", "", std::nullopt}, test::fake_env({})));
  auto before = read(paths.identity_json);
  auto again = init_cluster(paths, {"http://127.0.0.1:9/b", "", std::nullopt}, test::fake_env({}));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), errc::already_exists);
  EXPECT_NE(again.error().message().find(paths.dir.string()), std::string::npos);
  EXPECT_EQ(read(paths.identity_json), before);
  EXPECT_NE(read(paths.service_json).find("/a"), std::string::npos);
}

TEST_F(InitTest, DnslinkNameGoesThroughTheGatewayWithAScheme) {
  auto paths = ClusterPaths::under(root_, "c2");
  auto report = init_cluster(paths, {"filecoin.collab.ipfscluster.io", "", std::nullopt},
                             test::fake_env({{"IPFS_GATEWAY", "127.0.0.1:8181"}}));
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_TRUE(report->dnslink);
  EXPECT_EQ(report->source_url, "http://127.0.0.1:8181/ipns/filecoin.collab.ipfscluster.io");
}

TEST_F(InitTest, ImportsAnIdentityByteForByte) {
  auto source = ClusterPaths::under(root_, "src");
  ASSERT_TRUE(init_cluster(source, {"http://127.0.0.1:9/a", "", std::nullopt}, test::fake_env({})));
  auto paths = ClusterPaths::under(root_, "copy");
  auto report = init_cluster(paths, {"http://127.0.0.1:9/a", "", source.identity_json}, test::fake_env({}));
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_EQ(read(paths.identity_json), read(source.identity_json));
}

TEST_F(InitTest, BadInputCreatesNoFolder) {
  auto paths = ClusterPaths::under(root_, "bad");
  EXPECT_FALSE(init_cluster(paths, {"", "", std::nullopt}, test::fake_env({})));
  EXPECT_FALSE(init_cluster(paths, {"http://127.0.0.1:9/a", "", root_ / "missing.json"}, test::fake_env({})));
  auto mismatch = init_cluster(paths, {"http://127.0.0.1:9/a", "", std::nullopt},
                               test::fake_env({{"CLUSTER_ID", "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq"}}));
  EXPECT_FALSE(mismatch);
  EXPECT_FALSE(fs::exists(paths.dir));
}

}  // namespace
}  // namespace cf::follower
