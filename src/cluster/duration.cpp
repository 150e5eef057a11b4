// Follows the behaviour of Go's time.ParseDuration and time.Duration.String (package time,
// format.go), checked against Go's documented examples and its overflow rules.
#include "cf/cluster/duration.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <tuple>
#include <utility>

#include "cf/cluster/errc.hpp"

namespace cf::cluster {
namespace {

constexpr std::uint64_t limit = std::uint64_t{1} << 63;  // |math.MinInt64|

// strconv.Quote, close enough for error messages: quotes, escapes quotes, backslashes and
// control bytes.
std::string quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::optional<std::uint64_t> unit_value(std::string_view unit) {
  static constexpr std::array<std::pair<std::string_view, std::uint64_t>, 8> units{{
      {"ns", 1},
      {"us", 1'000},
      {"\xC2\xB5s", 1'000},  // U+00B5 micro sign
      {"\xCE\xBCs", 1'000},  // U+03BC Greek small letter mu
      {"ms", 1'000'000},
      {"s", 1'000'000'000},
      {"m", 60'000'000'000},
      {"h", 3'600'000'000'000},
  }};
  for (const auto& [name, value] : units) {
    if (name == unit) return value;
  }
  return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Leading decimal digits as an integer; nullopt when the value passes 2^63.
std::optional<std::uint64_t> leading_int(std::string_view& s) {
  std::uint64_t x = 0;
  std::size_t i = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    if (x > limit / 10) return std::nullopt;
    x = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (x > limit) return std::nullopt;
  }
  s.remove_prefix(i);
  return x;
}

// Digits after the decimal point: the value and its scale (10^digits kept). Digits that would
// overflow are read and dropped, as Go does.
std::pair<std::uint64_t, double> leading_fraction(std::string_view& s) {
  std::uint64_t x = 0;
  double scale = 1;
  bool overflow = false;
  std::size_t i = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    if (overflow) continue;
    if (x > (limit - 1) / 10) {
      overflow = true;
      continue;
    }
    auto y = x * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (y > limit) {
      overflow = true;
      continue;
    }
    x = y;
    scale *= 10;
  }
  s.remove_prefix(i);
  return {x, scale};
}

// One "<number><unit>" term at the front of s, in nanoseconds; the error is Go's message.
Result<std::uint64_t> read_term(std::string_view& s, std::string_view orig) {
  Error invalid(errc::invalid_duration, "time: invalid duration " + quote(orig));
  if (s[0] != '.' && !is_digit(s[0])) return invalid;
  auto before = s.size();
  auto whole = leading_int(s);
  if (!whole) return invalid;
  bool pre = s.size() != before;
  std::uint64_t frac = 0;
  double scale = 1;
  bool post = false;
  if (!s.empty() && s[0] == '.') {
    s.remove_prefix(1);
    auto at = s.size();
    std::tie(frac, scale) = leading_fraction(s);
    post = s.size() != at;
  }
  if (!pre && !post) return invalid;  // "." alone
  std::size_t i = 0;
  while (i < s.size() && s[i] != '.' && !is_digit(s[i])) ++i;
  if (i == 0) {
    return Error(errc::invalid_duration, "time: missing unit in duration " + quote(orig));
  }
  auto unit_text = s.substr(0, i);
  s.remove_prefix(i);
  auto unit = unit_value(unit_text);
  if (!unit) {
    return Error(errc::invalid_duration,
                 "time: unknown unit " + quote(unit_text) + " in duration " + quote(orig));
  }
  if (*whole > limit / *unit) return invalid;
  auto v = *whole * *unit;
  if (frac > 0) {
    v += static_cast<std::uint64_t>(static_cast<double>(frac) * (static_cast<double>(*unit) / scale));
    if (v > limit) return invalid;
  }
  return v;
}

// The digits of v / 10^prec with trailing zeros (and a lone point) dropped: 1500 (prec 3) →
// "1.5".
std::string with_fraction(std::uint64_t v, int prec) {
  std::string frac;
  bool printing = false;
  for (int i = 0; i < prec; ++i) {
    auto digit = v % 10;
    printing = printing || digit != 0;
    if (printing) frac.insert(frac.begin(), static_cast<char>('0' + digit));
    v /= 10;
  }
  auto out = std::to_string(v);
  if (!frac.empty()) out += "." + frac;
  return out;
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  auto orig = text;
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text == "0") return Duration::zero();
  if (text.empty()) return Error(errc::invalid_duration, "time: invalid duration " + quote(orig));
  std::uint64_t total = 0;
  while (!text.empty()) {
    CF_TRY_ASSIGN(term, read_term(text, orig));
    total += term;
    if (total > limit) return Error(errc::invalid_duration, "time: invalid duration " + quote(orig));
  }
  if (negative) return Duration(static_cast<std::int64_t>(0 - total));  // wraps at exactly 2^63
  if (total > limit - 1) return Error(errc::invalid_duration, "time: invalid duration " + quote(orig));
  return Duration(static_cast<std::int64_t>(total));
}

Duration clamp_template_duration(Duration d) {
  return std::clamp(d, -max_template_duration, max_template_duration);
}

std::string format_duration(Duration d) {
  auto ns = d.count();
  if (ns == 0) return "0s";
  bool negative = ns < 0;
  // Magnitude without overflow for the most negative value.
  auto u = negative ? std::uint64_t(0) - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  std::string out;
  if (u < 1'000'000'000) {
    if (u < 1'000) {
      out = std::to_string(u) + "ns";
    } else if (u < 1'000'000) {
      out = with_fraction(u, 3) + "\xC2\xB5s";  // Go prints U+00B5
    } else {
      out = with_fraction(u, 6) + "ms";
    }
  } else {
    auto seconds_part = with_fraction(u % 60'000'000'000, 9) + "s";
    auto minutes = u / 60'000'000'000;
    if (minutes > 0) {
      out = std::to_string(minutes % 60) + "m" + seconds_part;
      if (minutes >= 60) out = std::to_string(minutes / 60) + "h" + out;
    } else {
      out = seconds_part;
    }
  }
  return negative ? "-" + out : out;
}

}  // namespace cf::cluster
