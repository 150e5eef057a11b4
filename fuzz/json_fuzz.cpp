// libFuzzer target: cf::parse_json, the depth-bounded entry point every JSON document from
// outside goes through (templates, service.json, identity.json, REST API and Kubo answers).
// Checks: a document is refused as too deep exactly when json_depth says it passes the bound; a
// parsed document is no deeper than that (the pre-scan never undercounts); it re-serialises
// (dump() recurses per level, which the bound makes safe) to text that parses back equal.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "cf/base/errc.hpp"
#include "cf/base/json.hpp"

namespace {

// The depth of a built document, without recursion.
std::size_t built_depth(const nlohmann::json& doc) {
  std::size_t deepest = 0;
  std::vector<std::pair<const nlohmann::json*, std::size_t>> todo{{&doc, 0}};
  while (!todo.empty()) {
    auto [value, depth] = todo.back();
    todo.pop_back();
    if (!value->is_structured()) continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    for (const auto& child : *value) todo.emplace_back(&child, depth + 1);
  }
  return deepest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto depth = cf::json_depth(text);
  auto doc = cf::parse_json(text, "fuzz");
  const bool has_nul = text.find('\0') != std::string_view::npos;  // refused before the depth
  if (has_nul && doc) std::abort();
  if (!doc) {
    if (!has_nul && (doc.error() == cf::errc::too_deep) != (depth > cf::max_json_depth)) std::abort();
    return 0;
  }
  // Never deeper than the pre-scan said (it can be shallower: a repeated key keeps only the last
  // of its values).
  if (depth > cf::max_json_depth || built_depth(*doc) > depth) std::abort();
  auto again = cf::parse_json(doc->dump(), "fuzz");
  if (!again || *again != *doc) std::abort();
  return 0;
}
