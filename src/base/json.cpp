#include "cf/base/json.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "cf/base/errc.hpp"

namespace cf {
namespace {

using Json = nlohmann::json;

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
// "invalid JSON at line 3, column 5: syntax error while parsing object key - invalid literal;
// expected string literal". The echoed input is dropped: it is untrusted and may span lines.
std::string describe(const ErrorCapture& capture) {
  if (capture.message.empty()) return "invalid JSON";
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
    return "invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) +
           ": " + reason;
  }
  if (auto bracket = why.find("] "); bracket != std::string::npos) why.erase(0, bracket + 2);
  return "invalid JSON: " + why;
}

}  // namespace

std::size_t json_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped byte cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

Result<nlohmann::json> parse_json(std::string_view text, std::string_view what, std::size_t max_depth) {
  const std::string prefix = what.empty() ? std::string() : std::string(what) + ": ";
  // nlohmann ends the input at a NUL byte and ignores what follows; valid JSON never holds a
  // raw NUL (inside strings it is \u0000), so one means the text is not what it claims to be.
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    return Error(errc::invalid_input, prefix + "invalid JSON: a NUL byte at offset " + std::to_string(nul));
  }
  if (json_depth(text, max_depth) > max_depth) {
    return Error(errc::too_deep,
                 prefix + "JSON nested deeper than " + std::to_string(max_depth) + " levels");
  }
  auto doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded()) return doc;
  ErrorCapture capture;
  Json::sax_parse(text, &capture);
  return Error(errc::invalid_input, prefix + describe(capture));
}

}  // namespace cf
