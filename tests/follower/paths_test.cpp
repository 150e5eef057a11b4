#include "cf/follower/paths.hpp"

#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "support/fake_env.hpp"

#include "cf/base/errc.hpp"

namespace cf::follower {
namespace {

namespace fs = std::filesystem;


TEST(ConfigRoot, FlagThenEnvThenHome) {
  EXPECT_EQ(*config_root("/a/b", test::fake_env({{"CLUSTER_FOLLOW_PATH", "/c"}, {"HOME", "/h"}})), "/a/b");
  EXPECT_EQ(*config_root("", test::fake_env({{"CLUSTER_FOLLOW_PATH", "/c"}, {"HOME", "/h"}})), "/c");
  EXPECT_EQ(*config_root("", test::fake_env({{"HOME", "/h"}})), "/h/.cluster-follow");
  EXPECT_FALSE(config_root("", test::fake_env({})));
}

TEST(ClusterName, RejectsPathsAndControlCharacters) {
  EXPECT_TRUE(validate_cluster_name("filecoin"));
  EXPECT_TRUE(validate_cluster_name("my.cluster-2"));
  for (const std::string& bad : std::vector<std::string>{"", ".", "..", "a/b", "../x", "-x", "a\nb", std::string(129, 'a')}) {
    auto r = validate_cluster_name(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error(), errc::invalid_input);
    EXPECT_NE(r.error().message().find("invalid cluster name"), std::string::npos);
  }
}

TEST(ConfiguredClusters, SortedAndOnlyWithServiceJson) {
  auto root = fs::path(testing::TempDir()) / "cf-paths-test";
  fs::remove_all(root);
  for (auto name : {"zeta", "alpha", "mid"}) {
    fs::create_directories(root / name);
    std::ofstream(root / name / "service.json") << "{}";
  }
  fs::create_directories(root / "empty");
  EXPECT_EQ(configured_clusters(root), (std::vector<std::string>{"alpha", "mid", "zeta"}));
  EXPECT_TRUE(configured_clusters(root / "missing").empty());
  fs::remove_all(root);
}

}  // namespace
}  // namespace cf::follower
