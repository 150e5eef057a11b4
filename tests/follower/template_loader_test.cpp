#include "cf/follower/template_loader.hpp"

#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "support/fake_env.hpp"

#include "cf/cluster/errc.hpp"
#include "cf/cluster/local_config.hpp"
#include "support/http_test_server.hpp"
#include "../cluster/template_fixture.hpp"

namespace cf::follower {
namespace {

namespace fs = std::filesystem;


cluster::FetchOptions quick_fetch() {
  cluster::FetchOptions o;
  o.attempts = 2;
  o.timeout = std::chrono::seconds(5);
  o.sleep = [](std::chrono::milliseconds) {};
  return o;
}

class TemplateLoaderTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) / ("cf-tl-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    paths_ = ClusterPaths::under(root_, "c");
    fs::create_directories(paths_.dir);
    auto db = store::Store::open(paths_.state_db, store::OpenMode::read_write);
    ASSERT_TRUE(db) << db.error().message();
    store_.emplace(std::move(*db));
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(root_);
  }
  void set_source(const std::string& url) {
    ASSERT_TRUE(cluster::save_local_config(paths_.service_json, cluster::LocalConfig{url, {}}));
  }
  fs::path root_;
  ClusterPaths paths_;
  std::optional<store::Store> store_;
  std::string good_ = cluster::test::minimal_template().dump();
};

TEST_F(TemplateLoaderTest, FetchesValidatesAndCaches) {
  test::HttpTestServer server([&](const test::HttpRequest&) { return test::make_reply(200, good_, "application/json"); });
  set_source(server.url("/service.json"));
  auto loaded = load_template(paths_, *store_, quick_fetch(), test::fake_env({}), 1000);
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_FALSE(loaded->from_cache);
  EXPECT_EQ(loaded->tmpl.crdt.cluster_name, "test-cluster");
  auto cached = store_->load_template(server.url("/service.json"));
  ASSERT_TRUE(cached && *cached);
  EXPECT_EQ((*cached)->fetched_at, 1000);
}

TEST_F(TemplateLoaderTest, FallsBackToTheCacheWhenTheFetchFails) {
  const std::string url = "http://127.0.0.1:1/gone";
  set_source(url);
  ASSERT_TRUE(store_->save_template(url, good_, 500));
  auto loaded = load_template(paths_, *store_, quick_fetch(), test::fake_env({}), 1000);
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_TRUE(loaded->from_cache);
  EXPECT_EQ(loaded->fetched_at, 500);
  EXPECT_NE(loaded->fetch_error.find(url), std::string::npos);
}

TEST_F(TemplateLoaderTest, FailsNamingTheUrlWithoutACache) {
  const std::string url = "http://127.0.0.1:1/nope";
  set_source(url);
  auto loaded = load_template(paths_, *store_, quick_fetch(), test::fake_env({}), 1000);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message().find(url), std::string::npos);
}

TEST_F(TemplateLoaderTest, AnInvalidFetchedTemplateIsAnErrorEvenWithACache) {
  test::HttpTestServer server([](const test::HttpRequest&) { return test::make_reply(200, "{\"cluster\": {}}"); });
  set_source(server.url("/service.json"));
  ASSERT_TRUE(store_->save_template(server.url("/service.json"), good_, 500));
  auto loaded = load_template(paths_, *store_, quick_fetch(), test::fake_env({}), 1000);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error(), cluster::errc::invalid_template);
  auto cached = store_->load_template(server.url("/service.json"));
  EXPECT_EQ((*cached)->body, good_);  // the bad copy never replaces the good one
}

TEST_F(TemplateLoaderTest, InlineTemplateAndEnvOverrides) {
  std::ofstream(paths_.service_json) << good_;
  auto loaded = load_template(paths_, *store_, quick_fetch(), test::fake_env({{"CLUSTER_CRDT_CLUSTERNAME", "renamed"}}), 1);
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_EQ(loaded->tmpl.crdt.cluster_name, "renamed");
  EXPECT_EQ(loaded->env_applied, std::vector<std::string>{"CLUSTER_CRDT_CLUSTERNAME"});
}

}  // namespace
}  // namespace cf::follower
