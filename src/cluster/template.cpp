#include "cf/cluster/template.hpp"

#include <algorithm>
#include <iterator>

#include <sodium.h>

#include "cf/base/json.hpp"
#include "cf/cluster/errc.hpp"
#include "template_internal.hpp"

namespace cf::cluster {
namespace detail {
namespace {

// Sections in the order of upstream's service.json, so that problems read top to bottom.
int section_rank(const std::string& line) {
  static constexpr std::string_view order[] = {"source", "cluster", "consensus", "ipfs_connector",
                                               "pin_tracker", "informer", "datastore"};
  std::string_view rest(line);
  rest.remove_prefix(std::min<std::size_t>(10, rest.size()));  // "template: "
  auto section = rest.substr(0, rest.find_first_of(".:[ "));
  for (std::size_t i = 0; i < std::size(order); ++i) {
    if (order[i] == section) return static_cast<int>(i);
  }
  return static_cast<int>(std::size(order));
}

}  // namespace

std::optional<Json> parse_json(std::string_view text, std::string& problem, std::string_view label) {
  auto doc = cf::parse_json(text, label);
  if (doc) return std::move(*doc);
  problem = doc.error().message();
  return std::nullopt;
}

std::vector<std::string> parse_template_into(std::string_view text, Template& t) {
  std::string json_problem_line;
  auto doc = parse_json(text, json_problem_line);
  if (!doc) return {json_problem_line};
  if (!doc->is_object()) return {"template: must be a JSON object, got " + json_type_name(*doc)};
  Problems problems;
  parse_sections(*doc, problems, t);
  t.raw_json = std::string(text);  // the bytes as served (a re-serialisation would reorder keys)
  t.warnings = std::move(problems.warnings);
  auto lines = std::move(problems.lines);
  for (auto& line : validate(t)) {
    // "template: <path>: ..." — skip checks on keys whose value already failed to parse.
    auto path = line.substr(10, line.find(':', 10) - 10);
    if (!problems.failed(path)) lines.push_back(std::move(line));
  }
  std::stable_sort(lines.begin(), lines.end(), [](const std::string& a, const std::string& b) {
    return section_rank(a) < section_rank(b);
  });
  return lines;
}

}  // namespace detail

void wipe_template_text(std::string& text) {
  // Up to the capacity: a shorter text may have replaced a longer one in the same buffer.
  text.resize(text.capacity());
  sodium_memzero(text.data(), text.size());
  text.clear();
}

Template::~Template() {
  wipe_template_text(raw_json);
  sodium_memzero(cluster.secret.data(), cluster.secret.size());
}

Result<Template> parse_template(std::string_view json_text) {
  Template t;
  auto problems = detail::parse_template_into(json_text, t);
  if (problems.empty()) return t;
  std::string detail;
  for (const auto& line : problems) detail += (detail.empty() ? "" : "\n") + line;
  return Error(errc::invalid_template, detail);
}

std::vector<std::string> template_problems(std::string_view json_text) {
  Template t;
  return detail::parse_template_into(json_text, t);
}

}  // namespace cf::cluster
