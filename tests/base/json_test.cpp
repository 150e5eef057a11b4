// cf::parse_json and json_depth: the depth bound holds before any document is built, brackets
// inside strings never count, and no error quotes the input.
#include "cf/base/json.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "cf/base/errc.hpp"

namespace cf {
namespace {

using Json = nlohmann::json;

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string nested_objects(std::size_t depth) {
  std::string text;
  for (std::size_t i = 0; i < depth; ++i) text += "{\"a\":";
  text += "1";
  return text + std::string(depth, '}');
}

// The depth of a built document, without recursion (the thing under test protects recursion).
std::size_t built_depth(const Json& doc) {
  std::size_t deepest = 0;
  std::vector<std::pair<const Json*, std::size_t>> todo{{&doc, 0}};
  while (!todo.empty()) {
    auto [value, depth] = todo.back();
    todo.pop_back();
    if (!value->is_structured()) continue;
    deepest = std::max(deepest, depth + 1);
    for (const auto& child : *value) todo.emplace_back(&child, depth + 1);
  }
  return deepest;
}

TEST(JsonDepth, CountsArraysAndObjectsOutsideStrings) {
  EXPECT_EQ(json_depth("1"), 0u);
  EXPECT_EQ(json_depth("[]"), 1u);
  EXPECT_EQ(json_depth(R"({"a":[1]})"), 2u);
  EXPECT_EQ(json_depth(R"([[1],[[2]],3])"), 3u);
  EXPECT_EQ(json_depth(R"("[[[{{{")"), 0u);
  EXPECT_EQ(json_depth(R"(["\"[[[", "\\", [1]])"), 2u);  // an escaped quote does not end the string
  EXPECT_EQ(json_depth(R"({"k]}}":{"v":"]]"}})"), 2u);
}

TEST(JsonDepth, StopsCountingPastTheLimit) {
  EXPECT_EQ(json_depth(nested_arrays(70'000), 128), 129u);
  EXPECT_EQ(json_depth(nested_arrays(128), 128), 128u);
}

TEST(ParseJson, AcceptsTheBoundAndRefusesOneMore) {
  for (auto make : {nested_arrays, nested_objects}) {
    auto at_bound = parse_json(make(max_json_depth), "test");
    ASSERT_TRUE(at_bound) << at_bound.error().message();
    EXPECT_EQ(built_depth(*at_bound), max_json_depth);
    EXPECT_FALSE(at_bound->dump().empty());  // re-serialising a bounded document is safe

    auto over = parse_json(make(max_json_depth + 1), "test");
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error(), errc::too_deep);
    EXPECT_EQ(over.error().message(), "test: JSON nested deeper than 128 levels");
  }
}

// The document the issue found: ~70,000 levels, far under every size cap, which crashed every
// path that dumped or copied it.
TEST(ParseJson, RefusesSeventyThousandLevelsOfArraysAndObjects) {
  for (const auto& text : {nested_arrays(70'000), nested_objects(70'000),
                           std::string(R"({"cluster":{"secret":"x"},"extra":)") + nested_arrays(70'000) + "}"}) {
    auto r = parse_json(text, "template");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::too_deep);
    EXPECT_EQ(r.error().message(), "template: JSON nested deeper than 128 levels");
  }
}

TEST(ParseJson, TheBoundIsAParameter) {
  EXPECT_TRUE(parse_json(nested_arrays(3), "pin", 3));
  auto r = parse_json(nested_arrays(4), "pin", 3);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "pin: JSON nested deeper than 3 levels");
}

TEST(ParseJson, InvalidJsonSaysWhereWithoutQuotingTheInput) {
  auto r = parse_json("{\n  \"secret\": s3cr3t-value\n}", "template");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::invalid_input);
  EXPECT_TRUE(r.error().message().starts_with("template: invalid JSON at line 2, column ")) << r.error().message();
  EXPECT_EQ(r.error().message().find("s3cr3t"), std::string::npos) << r.error().message();

  auto bare = parse_json("", "");
  ASSERT_FALSE(bare);
  EXPECT_TRUE(bare.error().message().starts_with("invalid JSON at line 1, column 1: ")) << bare.error().message();
}

// Random documents with brackets, quotes and backslashes inside strings: json_depth equals the
// depth nlohmann builds, and parse_json succeeds exactly when that is within the bound.
TEST(ParseJson, PseudoRandomDocumentsAgreeWithTheBuiltDepth) {
  std::mt19937 rng(11);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::string tricky[] = {"[", "]", "{", "}", "\\\"", "\\\\", "\\\\\\\"", "x"};
  for (int round = 0; round < 500; ++round) {
    std::function<Json(int)> make = [&](int budget) -> Json {
      int kind = budget == 0 ? pick(2) : pick(4);
      if (kind == 0) return pick(100);
      if (kind == 1) {
        std::string quoted(1, '"');
        for (int i = pick(6); i > 0; --i) quoted += tricky[pick(8)];
        quoted += '"';
        return Json::parse(quoted);
      }
      Json out = kind == 2 ? Json::array() : Json::object();
      for (int i = pick(3) + 1; i > 0; --i) {
        if (kind == 2) {
          out.push_back(make(budget - 1));
        } else {
          std::string key(1, 'k');
          key += std::to_string(i);
          key += tricky[pick(8)];
          out[key] = make(budget - 1);
        }
      }
      return out;
    };
    auto doc = make(pick(12));
    auto text = doc.dump(pick(2) == 0 ? -1 : 1);
    auto depth = built_depth(doc);
    EXPECT_EQ(json_depth(text, 64), depth) << text;
    auto limit = static_cast<std::size_t>(pick(8));
    auto parsed = parse_json(text, "r", limit);
    EXPECT_EQ(static_cast<bool>(parsed), depth <= limit) << text;
    if (parsed) {
      EXPECT_EQ(*parsed, doc);
    }
  }
}

}  // namespace
}  // namespace cf

namespace cf {
namespace {

// Found by the json fuzz target: nlohmann stopped at the NUL and accepted "0", ignoring the
// rest of the text.
TEST(ParseJson, RefusesANulByteAnywhere) {
  const std::string text("0\0\0{u\r0", 7);
  auto doc = parse_json(text, "input");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message(), "input: invalid JSON: a NUL byte at offset 1");
  EXPECT_FALSE(parse_json(std::string("{\"a\":\"\0\"}", 9), "input"));
  EXPECT_TRUE(parse_json("{\"a\":\"\\u0000\"}", "input"));
}

}  // namespace
}  // namespace cf
