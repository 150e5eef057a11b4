// Pin types, the pinset error category and Go's time.Time JSON text (api/types.go; Go's
// time.RFC3339Nano, which time.Time.MarshalJSON writes).
#include <array>
#include <cstdio>

#include "cf/cluster/pin.hpp"

namespace cf::cluster {
namespace {

class PinsetCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.cluster.pinset"; }
  std::string message(int value) const override {
    switch (static_cast<pinset_errc>(value)) {
      case pinset_errc::invalid_pin: return "invalid pin";
      case pinset_errc::too_large: return "pin or pinset too large";
      case pinset_errc::invalid_config: return "invalid pinset source configuration";
      case pinset_errc::unreachable: return "pinset source unreachable";
      case pinset_errc::auth_failed: return "pinset source authentication failed";
      case pinset_errc::rejected: return "pinset source answered with an error";
      case pinset_errc::stream_failed: return "pinset source reported a stream error";
    }
    return "unknown pinset error";
  }
};

struct TypeName {
  PinType type;
  std::string_view name;
};
constexpr std::array<TypeName, 4> type_names{{{PinType::data, "pin"},
                                              {PinType::meta, "meta-pin"},
                                              {PinType::cluster_dag, "clusterdag-pin"},
                                              {PinType::shard, "shard-pin"}}};

// Go's zero time.Time, 0001-01-01T00:00:00Z, in Unix seconds.
constexpr std::int64_t go_zero_time = -62135596800;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

unsigned days_in_month(std::int64_t year, unsigned month) {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

// Reads exactly `width` digits at `pos`; false if any is not a digit.
bool digits(std::string_view s, std::size_t pos, std::size_t width, int& out) {
  if (pos + width > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// The UTC offset at `pos` ("Z" or ±hh:mm) in seconds, if it is exactly the rest of `s`.
std::optional<std::int64_t> read_offset(std::string_view s, std::size_t pos) {
  if (pos + 1 == s.size() && s[pos] == 'Z') return 0;
  int hh = 0;
  int mm = 0;
  if (pos + 6 != s.size() || (s[pos] != '+' && s[pos] != '-') || s[pos + 3] != ':' ||
      !digits(s, pos + 1, 2, hh) || !digits(s, pos + 4, 2, mm) || hh > 23 || mm > 59) {
    return std::nullopt;
  }
  std::int64_t offset = hh * 3600 + mm * 60;
  return s[pos] == '-' ? -offset : offset;
}

}  // namespace

const std::error_category& pinset_category() {
  static const PinsetCategory category;
  return category;
}

std::error_code make_error_code(pinset_errc e) { return {static_cast<int>(e), pinset_category()}; }

std::string_view to_string(PinType type) {
  for (const auto& t : type_names) {
    if (t.type == type) return t.name;
  }
  return "bad-type";
}

std::optional<PinType> parse_pin_type(std::string_view text) {
  for (const auto& t : type_names) {
    if (t.name == text) return t.type;
  }
  return std::nullopt;
}

std::string_view pin_mode_name(int max_depth) { return max_depth == 0 ? "direct" : "recursive"; }

Result<std::int64_t> parse_go_time(std::string_view s) {
  auto bad = [&](std::string_view why) {
    return Error(pinset_errc::invalid_pin,
                 "invalid time \"" + std::string(s.substr(0, 64)) + "\": " + std::string(why));
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (s.size() < 20 || !digits(s, 0, 4, year) || s[4] != '-' || !digits(s, 5, 2, month) ||
      s[7] != '-' || !digits(s, 8, 2, day) || s[10] != 'T' || !digits(s, 11, 2, hour) ||
      s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second)) {
    return bad("expected RFC 3339, e.g. \"2006-01-02T15:04:05Z\"");
  }
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month)) ||
      hour > 23 || minute > 59 || second > 59) {
    return bad("date or time out of range");
  }
  std::size_t pos = 19;
  if (s[pos] == '.') {
    std::size_t end = pos + 1;
    while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
    if (end == pos + 1 || end - pos - 1 > 9) return bad("fraction must have 1 to 9 digits");
    pos = end;  // rounded down to whole seconds: the fraction is dropped
  }
  auto offset = read_offset(s, pos);
  if (!offset) return bad("expected \"Z\" or a ±hh:mm offset at the end");
  std::int64_t seconds =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
      hour * 3600 + minute * 60 + second - *offset;
  if (seconds == go_zero_time) return std::int64_t{0};
  if (seconds < 0) return bad("before 1970 (only Go's zero time 0001-01-01T00:00:00Z may be)");
  return seconds;
}

std::string format_go_time(std::int64_t unix_seconds) {
  if (unix_seconds <= 0) return "0001-01-01T00:00:00Z";
  auto days = unix_seconds / 86400;
  auto rest = unix_seconds % 86400;
  auto date = civil_from_days(days);
  char text[64];
  std::snprintf(text, sizeof text, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60),
                static_cast<long long>(rest % 60));
  return text;
}

}  // namespace cf::cluster

namespace cf::cluster {

CappedFields cap_pin_fields(Pin& pin) {
  CappedFields capped;
  if (pin.name.size() > max_pin_name_size) {
    std::size_t end = max_pin_name_size;
    // Back to the start of the character that straddles the cut (names are valid UTF-8).
    while (end > 0 && (static_cast<unsigned char>(pin.name[end]) & 0xC0) == 0x80) --end;
    pin.name.resize(end);
    pin.name.shrink_to_fit();
    capped.name = true;
  }
  std::size_t total = 0;
  for (auto it = pin.metadata.begin(); it != pin.metadata.end();) {
    total += it->first.size() + it->second.size();
    if (total <= max_pin_metadata_size) {
      ++it;
      continue;
    }
    pin.metadata.erase(it, pin.metadata.end());
    capped.metadata = true;
    break;
  }
  return capped;
}

}  // namespace cf::cluster
