// Our template section cluster_follow.rest_api and its CLUSTER_FOLLOW_RESTAPI_* overrides.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "cf/cluster/env.hpp"
#include "cf/cluster/errc.hpp"
#include "cf/cluster/template.hpp"
#include "cluster/template_fixture.hpp"

namespace cf::cluster {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

Json with_rest_api(Json rest_api) {
  auto doc = test::minimal_template();
  doc["cluster_follow"] = {{"rest_api", std::move(rest_api)}};
  return doc;
}

GetEnv from(const std::map<std::string, std::string>& env) {
  return [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

TEST(TemplateRestApi, AbsentByDefault) {
  auto t = parse_template(test::minimal_template().dump());
  ASSERT_TRUE(t) << t.error().message();
  EXPECT_FALSE(t->rest_api);
}

TEST(TemplateRestApi, ParsesEveryKey) {
  auto t = parse_template(with_rest_api({{"url", "https://cluster.example:9094"},
                                         {"basic_auth_user", "follower"},
                                         {"basic_auth_password", "pw"},
                                         {"poll_interval", "2m"}})
                              .dump());
  ASSERT_TRUE(t) << t.error().message();
  ASSERT_TRUE(t->rest_api);
  EXPECT_EQ(t->rest_api->url, "https://cluster.example:9094");
  ASSERT_TRUE(t->rest_api->basic_auth);
  EXPECT_EQ(t->rest_api->basic_auth->user, "follower");
  EXPECT_EQ(t->rest_api->basic_auth->password, "pw");
  EXPECT_EQ(t->rest_api->poll_interval, 2min);
}

TEST(TemplateRestApi, DefaultsAndNoCredentials) {
  auto t = parse_template(with_rest_api({{"url", "http://127.0.0.1:9094"}}).dump());
  ASSERT_TRUE(t) << t.error().message();
  ASSERT_TRUE(t->rest_api);
  EXPECT_FALSE(t->rest_api->basic_auth);
  EXPECT_EQ(t->rest_api->poll_interval, 30s);
}

TEST(TemplateRestApi, OneLinePerProblemAndNoPassword) {
  auto problems = template_problems(with_rest_api({{"url", "127.0.0.1:9094"},
                                                   {"basic_auth_password", "hunter2"},
                                                   {"poll_interval", "100ms"}})
                                        .dump());
  EXPECT_EQ(problems,
            (std::vector<std::string>{
                "template: cluster_follow.rest_api.url: must start with http:// or https://, got \"127.0.0.1:9094\"",
                "template: cluster_follow.rest_api.basic_auth_user: missing while basic_auth_password is set",
                "template: cluster_follow.rest_api.poll_interval: must be at least 1s, got \"100ms\""}));
  for (const auto& line : problems) EXPECT_EQ(line.find("hunter2"), std::string::npos);
}

TEST(TemplateRestApi, WrongTypesAreOneLineEach) {
  auto problems = template_problems(
      with_rest_api({{"url", 9094}, {"basic_auth_password", 5}, {"poll_interval", "soon"}}).dump());
  EXPECT_EQ(problems, (std::vector<std::string>{
                          "template: cluster_follow.rest_api.url: must be a string, got number",
                          "template: cluster_follow.rest_api.basic_auth_password: must be a string, got number",
                          "template: cluster_follow.rest_api.poll_interval: invalid duration: time: invalid "
                          "duration \"soon\""}));
  auto doc = test::minimal_template();
  doc["cluster_follow"] = {{"rest_api", "http://x"}};
  EXPECT_EQ(template_problems(doc.dump()),
            std::vector<std::string>{"template: cluster_follow.rest_api: must be an object, got string"});
}

TEST(TemplateRestApi, MissingUrl) {
  auto problems = template_problems(with_rest_api(Json::object()).dump());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(problems[0].starts_with("template: cluster_follow.rest_api.url: missing")) << problems[0];
}

TEST(TemplateRestApi, EnvNamesAreOurOwn) {
  auto names = env_variable_names();
  for (const char* want : {"CLUSTER_FOLLOW_RESTAPI_URL", "CLUSTER_FOLLOW_RESTAPI_BASICAUTHUSER",
                           "CLUSTER_FOLLOW_RESTAPI_BASICAUTHPASSWORD", "CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
}

TEST(TemplateRestApi, EnvAddsTheSectionThroughTheUrl) {
  auto t = parse_template(test::minimal_template().dump());
  ASSERT_TRUE(t);
  auto r = apply_env_overrides(*t, from({{"CLUSTER_FOLLOW_RESTAPI_URL", "http://127.0.0.1:9094"},
                                         {"CLUSTER_FOLLOW_RESTAPI_BASICAUTHUSER", "follower"},
                                         {"CLUSTER_FOLLOW_RESTAPI_BASICAUTHPASSWORD", "pw"},
                                         {"CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL", "1m"}}));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->applied.size(), 4u);
  ASSERT_TRUE(t->rest_api);
  EXPECT_EQ(t->rest_api->url, "http://127.0.0.1:9094");
  EXPECT_EQ(t->rest_api->basic_auth->user, "follower");
  EXPECT_EQ(t->rest_api->basic_auth->password, "pw");
  EXPECT_EQ(t->rest_api->poll_interval, 1min);
}

// `run --rest-api URL` stands in for CLUSTER_FOLLOW_RESTAPI_URL: it adds the section, the
// other variables apply to it, and it wins over the variable (issue 11: one order for all).
TEST(TemplateRestApi, FlagStandsInForTheUrlVariable) {
  auto t = parse_template(test::minimal_template().dump());
  ASSERT_TRUE(t);
  FlagOverrides flags{{"CLUSTER_FOLLOW_RESTAPI_URL", "--rest-api", "http://127.0.0.1:9094"}};
  auto r = apply_env_overrides(*t, from({{"CLUSTER_FOLLOW_RESTAPI_URL", "http://10.0.0.1:9094"},
                                         {"CLUSTER_FOLLOW_RESTAPI_BASICAUTHUSER", "follower"},
                                         {"CLUSTER_FOLLOW_RESTAPI_BASICAUTHPASSWORD", "pw"},
                                         {"CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL", "1m"}}),
                               flags);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->applied, (std::vector<std::string>{"--rest-api", "CLUSTER_FOLLOW_RESTAPI_BASICAUTHUSER",
                                                  "CLUSTER_FOLLOW_RESTAPI_BASICAUTHPASSWORD",
                                                  "CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL"}));
  EXPECT_TRUE(r->ignored.empty());
  ASSERT_TRUE(t->rest_api);
  EXPECT_EQ(t->rest_api->url, "http://127.0.0.1:9094");
  ASSERT_TRUE(t->rest_api->basic_auth);
  EXPECT_EQ(t->rest_api->basic_auth->user, "follower");
  EXPECT_EQ(t->rest_api->basic_auth->password, "pw");
  EXPECT_EQ(t->rest_api->poll_interval, 1min);
}

// A bad --rest-api is refused like a bad variable, naming the flag (checked before READY).
TEST(TemplateRestApi, BadFlagUrlIsRefusedNamingTheFlag) {
  auto t = parse_template(test::minimal_template().dump());
  ASSERT_TRUE(t);
  FlagOverrides flags{{"CLUSTER_FOLLOW_RESTAPI_URL", "--rest-api", "ftp://nowhere"}};
  auto r = apply_env_overrides(*t, from({}), flags);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::invalid_template);
  EXPECT_EQ(r.error().message(),
            "template: cluster_follow.rest_api.url: must start with http:// or https://, got \"ftp://nowhere\" "
            "(set by --rest-api)");
  EXPECT_FALSE(t->rest_api);
}

TEST(TemplateRestApi, EnvWithoutUrlOrSectionIsIgnored) {
  auto t = parse_template(test::minimal_template().dump());
  ASSERT_TRUE(t);
  auto r = apply_env_overrides(*t, from({{"CLUSTER_FOLLOW_RESTAPI_BASICAUTHPASSWORD", "pw"},
                                         {"CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL", "1m"}}));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->applied.empty());
  EXPECT_EQ(r->ignored, (std::vector<std::string>{"CLUSTER_FOLLOW_RESTAPI_BASICAUTHPASSWORD",
                                                  "CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL"}));
  EXPECT_FALSE(t->rest_api);
}

TEST(TemplateRestApi, EnvProblemsNameTheVariableButNotThePassword) {
  auto t = parse_template(with_rest_api({{"url", "http://127.0.0.1:9094"}}).dump());
  ASSERT_TRUE(t);
  auto r = apply_env_overrides(*t, from({{"CLUSTER_FOLLOW_RESTAPI_BASICAUTHPASSWORD", "hunter2"},
                                         {"CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL", "0s"}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::invalid_template);
  EXPECT_EQ(r.error().message(),
            "template: cluster_follow.rest_api.basic_auth_user: missing while basic_auth_password is set\n"
            "template: cluster_follow.rest_api.poll_interval: must be at least 1s, got \"0s\" "
            "(set by CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL)");
  EXPECT_EQ(t->rest_api->url, "http://127.0.0.1:9094");  // unchanged on failure
  EXPECT_FALSE(t->rest_api->basic_auth);
}

}  // namespace
}  // namespace cf::cluster
