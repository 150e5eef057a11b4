// Bounded JSON parsing: the one way text from outside the process (templates and service.json,
// identity.json, REST API and Kubo answers, JSON kept in state.db) becomes an nlohmann::json.
//
// Why a depth bound: nlohmann's parser and destructor are iterative, but dump(), copies and
// comparisons recurse once per nesting level, so a document of ~70,000 nested arrays (a few
// hundred KiB) overflows the stack on its first re-serialisation. parse_json refuses a document
// nested deeper than the bound before any DOM is built, so every later walk is bounded too.
//
// Behaviour:
//   - depth counts open arrays and objects: `1` is 0, `[]` is 1, `{"a":[1]}` is 2;
//   - the pre-scan reads every byte once, skipping string contents (with their escapes), so a
//     bracket inside a string never counts; on text that is not JSON it may count wrongly, but
//     never below what the parser would build before it fails;
//   - errors never quote the input: errc::too_deep "<what>: JSON nested deeper than 128
//     levels", errc::invalid_input "<what>: invalid JSON at line 3, column 5: <reason>".
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cf/base/result.hpp"

namespace cf {

// Deep enough for every format we read (templates nest 4 levels, pins 3, Kubo answers 4).
inline constexpr std::size_t max_json_depth = 128;

// The deepest nesting of arrays and objects in `text`; counting stops once it passes `limit`
// (the result is then limit + 1).
std::size_t json_depth(std::string_view text, std::size_t limit = max_json_depth);

// Parses one JSON document. `what` names the input in errors ("template", "pin/add answer");
// empty gives messages without a prefix.
Result<nlohmann::json> parse_json(std::string_view text, std::string_view what,
                                  std::size_t max_depth = max_json_depth);

}  // namespace cf
