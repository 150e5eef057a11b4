#include "cf/cluster/local_config.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "cf/cluster/errc.hpp"
#include "cluster/template_fixture.hpp"

namespace cf::cluster {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("cf-cluster-test-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(LocalConfig, SourceFileIsWhatUpstreamInitWrites) {
  LocalConfig c{"https://example.org/a?x=1&y=<2>", {}};
  EXPECT_EQ(to_json(c),
            "{\n  \"source\": \"https://example.org/a?x=1\\u0026y=\\u003c2\\u003e\"\n}");
}

TEST(LocalConfig, GoJsonEscaping) {
  EXPECT_EQ(go_json_quote("plain"), "\"plain\"");
  EXPECT_EQ(go_json_quote("q\"b\\"), "\"q\\\"b\\\\\"");
  EXPECT_EQ(go_json_quote("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(go_json_quote(std::string("\x01\x1f\x7f", 3)), "\"\\u0001\\u001f\x7f\"");
  EXPECT_EQ(go_json_quote("caf\xC3\xA9"), "\"caf\xC3\xA9\"");  // valid UTF-8 passes through
  EXPECT_EQ(go_json_quote("\xE2\x80\xA8\xE2\x80\xA9"), "\"\\u2028\\u2029\"");
  EXPECT_EQ(go_json_quote("a\xFFz"), "\"a\\ufffdz\"");             // invalid byte
  EXPECT_EQ(go_json_quote("\xC0\xAF"), "\"\\ufffd\\ufffd\"");       // overlong
  EXPECT_EQ(go_json_quote("\xED\xA0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // surrogate
}

TEST(LocalConfig, SaveAndLoadSource) {
  TempDir dir;
  auto file = dir.path() / service_file_name;
  ASSERT_TRUE(save_local_config(file, LocalConfig{"http://127.0.0.1:8080/ipns/example.org", {}}));
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(read_file(file), "{\n  \"source\": \"http://127.0.0.1:8080/ipns/example.org\"\n}");
  auto loaded = load_local_config(file);
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_EQ(loaded->source, "http://127.0.0.1:8080/ipns/example.org");
  EXPECT_FALSE(loaded->inline_template);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(LocalConfig, InlineTemplate) {
  auto loaded = parse_local_config(test::minimal_template().dump(2));
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_TRUE(loaded->source.empty());
  ASSERT_TRUE(loaded->inline_template);
  EXPECT_EQ(loaded->inline_template->crdt.cluster_name, "test-cluster");

  TempDir dir;
  auto file = dir.path() / service_file_name;
  ASSERT_TRUE(save_local_config(file, *loaded));
  auto again = load_local_config(file);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->inline_template->crdt.cluster_name, "test-cluster");
}

TEST(LocalConfig, SourceWinsOverOtherKeys) {
  auto j = test::minimal_template();
  j["source"] = "http://127.0.0.1:1/t.json";
  j["cluster"] = 5;  // ignored, as upstream ignores everything but the source
  auto loaded = parse_local_config(j.dump());
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_EQ(loaded->source, "http://127.0.0.1:1/t.json");
}

TEST(LocalConfig, Errors) {
  EXPECT_EQ(parse_local_config("{\"source\": 5}").error(), errc::invalid_local_config);
  EXPECT_EQ(parse_local_config("[1]").error(), errc::invalid_local_config);
  auto bad_json = parse_local_config("{\"source\": ");
  ASSERT_FALSE(bad_json);
  EXPECT_EQ(bad_json.error(), errc::invalid_local_config);
  EXPECT_TRUE(bad_json.error().message().starts_with("invalid JSON at line 1"))
      << bad_json.error().message();
  // An inline template nested ~70,000 levels deep: on main info/status/doctor crashed on it.
  std::string objects;
  for (int i = 0; i < 70'000; ++i) objects += R"({"a":)";
  objects += '0';
  objects.append(70'001, '}');
  auto deep = parse_local_config(R"({"cluster":{},"x":)" + objects);
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error(), errc::invalid_local_config);
  EXPECT_EQ(deep.error().message(), "JSON nested deeper than 128 levels");
  // An empty source means an inline template, which then must be complete.
  EXPECT_EQ(parse_local_config("{\"source\": \"\"}").error(), errc::invalid_template);

  TempDir dir;
  auto missing = load_local_config(dir.path() / "nope.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), errc::io_failed);
  EXPECT_NE(missing.error().message().find("nope.json"), std::string::npos);
  auto unwritable = save_local_config(dir.path() / "no-such-dir" / "service.json", LocalConfig{"http://x", {}});
  ASSERT_FALSE(unwritable);
  EXPECT_EQ(unwritable.error(), errc::io_failed);
}

// A service.json written by hand or by an older version with credentials in its URL is
// refused at load, before run, info or doctor could log or show it.
TEST(LocalConfig, SourceWithCredentialsIsRefusedWithoutQuotingThem) {
  auto loaded = parse_local_config(R"({"source": "http://follower:hunter2@127.0.0.1:9/t.json"})");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error(), errc::invalid_local_config);
  EXPECT_NE(loaded.error().message().find("must not contain credentials"), std::string::npos);
  EXPECT_EQ(loaded.error().message().find("hunter2"), std::string::npos) << loaded.error().message();
}

}  // namespace
}  // namespace cf::cluster
