#include "cf/base/printable.hpp"

#include <cstdint>

namespace cf {
namespace {

void append_hex(std::string& out, std::uint8_t byte) {
  static constexpr char digits[] = "0123456789abcdef";
  out += "\\x";
  out += digits[byte >> 4];
  out += digits[byte & 0xf];
}

// Length of the valid UTF-8 sequence at the front of `s` (1-4), or 0 when it is not valid.
std::size_t utf8_length(std::string_view s) {
  const auto b0 = static_cast<std::uint8_t>(s[0]);
  std::size_t n = 0;
  std::uint32_t min = 0;
  std::uint32_t cp = 0;
  if (b0 < 0x80) return 1;
  if ((b0 & 0xe0) == 0xc0) { n = 2; min = 0x80; cp = b0 & 0x1f; }
  else if ((b0 & 0xf0) == 0xe0) { n = 3; min = 0x800; cp = b0 & 0x0f; }
  else if ((b0 & 0xf8) == 0xf0) { n = 4; min = 0x10000; cp = b0 & 0x07; }
  else return 0;
  if (s.size() < n) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    const auto b = static_cast<std::uint8_t>(s[i]);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  if (cp >= 0x80 && cp <= 0x9f) return 0;  // C1 controls: escaped like invalid bytes
  return n;
}

}  // namespace

std::string printable(std::string_view text, std::size_t max_bytes) {
  const bool cut = text.size() > max_bytes;
  if (cut) text = text.substr(0, max_bytes);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<std::uint8_t>(text[i]);
    if (c == '\\') { out += "\\\\"; ++i; continue; }
    if (c == '\n') { out += "\\n"; ++i; continue; }
    if (c == '\t') { out += "\\t"; ++i; continue; }
    if (c == '\r') { out += "\\r"; ++i; continue; }
    if (c < 0x20 || c == 0x7f) { append_hex(out, c); ++i; continue; }
    const auto n = utf8_length(text.substr(i));
    if (n == 0) {
      append_hex(out, c);
      ++i;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  if (cut) out += "...";
  return out;
}

}  // namespace cf
