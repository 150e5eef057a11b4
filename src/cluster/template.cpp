#include "cf/cluster/template.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include <sodium.h>

#include "cf/cluster/errc.hpp"
#include "template_internal.hpp"

namespace cf::cluster {
namespace detail {
namespace {

// A SAX consumer that builds nothing and keeps the first parse error: run only after a DOM
// parse failed, to say where and why (the exception-free DOM parse does not).
struct ErrorCapture {
  std::string message;
  std::string last_token;

  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(Json::number_integer_t) { return true; }
  bool number_unsigned(Json::number_unsigned_t) { return true; }
  bool number_float(Json::number_float_t, const Json::string_t&) { return true; }
  bool string(Json::string_t&) { return true; }
  bool binary(Json::binary_t&) { return true; }
  bool start_object(std::size_t) { return true; }
  bool key(Json::string_t&) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t, const std::string& token, const nlohmann::detail::exception& e) {
    message = e.what();
    last_token = token;
    return false;
  }
};

// "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error while parsing
// object key - invalid literal; last read: '...'; expected string literal" →
// "<prefix>invalid JSON at line 3, column 5: syntax error while parsing object key - invalid
// literal; expected string literal". The echoed input is dropped: it may span lines.
std::string json_problem(const ErrorCapture& capture, const std::string& prefix) {
  std::string why = capture.message;
  auto echo = "; last read: '" + capture.last_token + "'";
  if (auto at = why.find(echo); at != std::string::npos) why.erase(at, echo.size());
  std::size_t line = 0;
  std::size_t column = 0;
  auto at = why.find("parse error at line ");
  if (at != std::string::npos &&
      std::sscanf(why.c_str() + at, "parse error at line %zu, column %zu", &line, &column) == 2) {
    auto colon = why.find(": ", at);
    auto reason = colon == std::string::npos ? why : why.substr(colon + 2);
    return prefix + "invalid JSON at line " + std::to_string(line) + ", column " +
           std::to_string(column) + ": " + reason;
  }
  if (auto bracket = why.find("] "); bracket != std::string::npos) why.erase(0, bracket + 2);
  return prefix + "invalid JSON: " + why;
}

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
  auto doc = Json::parse(text, nullptr, false);
  if (!doc.is_discarded()) return doc;
  ErrorCapture capture;
  Json::sax_parse(text, &capture);
  auto prefix = label.empty() ? std::string() : std::string(label) + ": ";
  problem = capture.message.empty() ? prefix + "invalid JSON" : json_problem(capture, prefix);
  return std::nullopt;
}

std::vector<std::string> parse_template_into(std::string_view text, Template& t) {
  std::string json_problem_line;
  auto doc = parse_json(text, json_problem_line);
  if (!doc) return {json_problem_line};
  if (!doc->is_object()) return {"template: must be a JSON object, got " + json_type_name(*doc)};
  Problems problems;
  parse_sections(*doc, problems, t);
  t.raw_json = doc->dump();
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
