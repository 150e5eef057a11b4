// Query strings for Kubo RPC calls (private to the kubo layer). Kubo reads positional
// arguments as repeated `arg=` values in order and every flag as `name=value` (A1).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cf::kubo::detail {

// Percent-encodes everything but RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~), so a
// value can carry &, =, spaces, slashes (multiaddrs) or UTF-8 safely. Go's query parser
// decodes %20 as a space like url.QueryEscape's "+".
std::string query_escape(std::string_view value);

// At most `max` bytes of `text`, cut back to a UTF-8 character boundary.
std::string truncate_utf8(std::string_view text, std::size_t max);

// Builds "a=1&b=x%20y".
class Query {
 public:
  Query& add(std::string_view key, std::string_view value);
  Query& add(std::string_view key, bool value) { return add(key, value ? "true" : "false"); }
  Query& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

}  // namespace cf::kubo::detail
