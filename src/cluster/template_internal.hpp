// Pieces of template parsing shared between the cluster layer's source files.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cf/cluster/template.hpp"
#include "json_reader.hpp"

namespace cf::cluster::detail {

// Reads every section of a parsed JSON document into `t`, adding problem lines.
void parse_sections(const Json& doc, Problems& problems, Template& t);

// Parses JSON text; on failure returns nullopt with the one problem line describing where,
// starting with "<label>: " ("template: invalid JSON at line 3, column 5: ...").
std::optional<Json> parse_json(std::string_view text, std::string& problem,
                               std::string_view label = "template");

// Parses a template document into `t`; returns every problem line (parse, then validate,
// skipping checks on keys that already failed).
std::vector<std::string> parse_template_into(std::string_view text, Template& t);

}  // namespace cf::cluster::detail
