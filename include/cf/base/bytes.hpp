// Byte buffers and views used across layers.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cf {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

inline std::string to_string(ByteView b) { return {b.begin(), b.end()}; }

// Lower-case hex, for logs, tests and the few formats that use it (the cluster secret).
std::string to_hex(ByteView bytes);

}  // namespace cf
