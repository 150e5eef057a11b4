#include "cf/base/utf8.hpp"

#include <cstdint>

namespace cf {
namespace {

// The length of the sequence a lead byte starts and the allowed range of its second byte
// (the table of RFC 3629 §4, which is what excludes overlong forms and surrogates).
struct Lead {
  std::size_t size;
  std::uint8_t second_min;
  std::uint8_t second_max;
};

Lead classify(std::uint8_t b) {
  if (b >= 0xc2 && b <= 0xdf) return {2, 0x80, 0xbf};
  if (b == 0xe0) return {3, 0xa0, 0xbf};
  if (b == 0xed) return {3, 0x80, 0x9f};
  if (b >= 0xe1 && b <= 0xef) return {3, 0x80, 0xbf};
  if (b == 0xf0) return {4, 0x90, 0xbf};
  if (b >= 0xf1 && b <= 0xf3) return {4, 0x80, 0xbf};
  if (b == 0xf4) return {4, 0x80, 0x8f};
  return {0, 0, 0};  // 0x80..0xc1 and 0xf5..0xff never start a sequence
}

}  // namespace

bool is_valid_utf8(ByteView bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (bytes[i] < 0x80) {
      ++i;
      continue;
    }
    const Lead lead = classify(bytes[i]);
    if (lead.size == 0 || bytes.size() - i < lead.size) return false;
    if (bytes[i + 1] < lead.second_min || bytes[i + 1] > lead.second_max) return false;
    for (std::size_t k = 2; k < lead.size; ++k) {
      if ((bytes[i + k] & 0xc0) != 0x80) return false;
    }
    i += lead.size;
  }
  return true;
}

}  // namespace cf
