// <config>/<name>/service.json: where the follower's template comes from.
//
// As upstream (config/config.go LoadJSON/ToJSON), the file holds either
//   {"source": "<url>"}      — written by init; the template is fetched at every start, or
//   a full template inline   — used as is (upstream allows swapping the file for one).
// A non-empty "source" wins; the other keys are then ignored, as upstream does.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "cf/base/result.hpp"
#include "cf/cluster/template.hpp"

namespace cf::cluster {

inline constexpr std::string_view service_file_name = "service.json";

// Exactly one of the two is set.
struct LocalConfig {
  std::string source;
  std::optional<Template> inline_template;
};

// errc::invalid_local_config for bad JSON or a "source" that is not a string;
// errc::invalid_template (with its problem lines) for a bad inline template.
Result<LocalConfig> parse_local_config(std::string_view text);

// parse_local_config of the file; errc::io_failed (detail: path and reason) when unreadable.
Result<LocalConfig> load_local_config(const std::filesystem::path& file);

// The file text, byte for byte what upstream's init writes for a source:
// "{\n  \"source\": \"<url>\"\n}" — 2-space indent, no trailing newline, Go's JSON escaping
// (\u0026 \u003c \u003e for & < >). An inline template is written as its raw JSON, indented.
std::string to_json(const LocalConfig& config);

// Writes to_json(config) with mode 0600, replacing the file atomically (temp file + rename).
Status save_local_config(const std::filesystem::path& file, const LocalConfig& config);

// A JSON string literal escaped the way Go's encoding/json does (HTML-safe).
std::string go_json_quote(std::string_view s);

}  // namespace cf::cluster
