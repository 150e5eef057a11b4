// Unsigned varint codec (multiformats/unsigned-varint spec; decoding limits as go-varint).
#include "cf/multiformats/varint.hpp"

#include "cf/multiformats/errc.hpp"

namespace cf::multiformats {

Result<DecodedUvarint> decode_uvarint(ByteView in) {
  std::uint64_t value = 0;
  unsigned shift = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const std::uint8_t b = in[i];
    if (i + 1 == max_uvarint_size && (b & 0x80) != 0) {
      return Error(errc::varint_overflow, "varint longer than 9 bytes");
    }
    value |= std::uint64_t{static_cast<std::uint8_t>(b & 0x7f)} << shift;
    if ((b & 0x80) == 0) {
      if (b == 0 && i > 0) {
        return Error(errc::varint_not_minimal,
                     "varint " + to_hex(in.first(i + 1)) + " is not minimally encoded");
      }
      return DecodedUvarint{value, i + 1};
    }
    shift += 7;
  }
  return Error(errc::truncated, in.empty() ? "empty input where a varint was expected"
                                           : "input ends inside a varint");
}

void append_uvarint(Bytes& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(value));
}

Bytes encode_uvarint(std::uint64_t value) {
  Bytes out;
  out.reserve(uvarint_size(value));
  append_uvarint(out, value);
  return out;
}

std::size_t uvarint_size(std::uint64_t value) {
  std::size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

}  // namespace cf::multiformats
