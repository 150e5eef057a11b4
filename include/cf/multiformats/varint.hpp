// Unsigned varint (multiformats/unsigned-varint): 7 bits a byte, least-significant group first,
// high bit = "more follows". Decoding is strict like go-varint: at most 9 bytes (63 bits) and
// minimal encodings only. Protobuf varints use the same byte layout.
#pragma once

#include <cstddef>
#include <cstdint>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"

namespace cf::multiformats {

// The largest value a 9-byte unsigned varint can carry (2^63 - 1).
inline constexpr std::uint64_t max_uvarint = (std::uint64_t{1} << 63) - 1;
inline constexpr std::size_t max_uvarint_size = 9;

struct DecodedUvarint {
  std::uint64_t value = 0;
  std::size_t size = 0;  // bytes consumed from the front of the input
};

// Reads one varint from the front of `in`. Errors: errc::truncated (the input ends while the
// high bit is set, or is empty: more bytes may complete it), errc::varint_overflow (more than
// 9 bytes), errc::varint_not_minimal (a trailing 0x00 group after the first byte).
Result<DecodedUvarint> decode_uvarint(ByteView in);

// Appends the minimal encoding of `value`. Values above max_uvarint get the 10-byte LEB128
// form, which decode_uvarint rejects; multiformats never needs them.
void append_uvarint(Bytes& out, std::uint64_t value);
Bytes encode_uvarint(std::uint64_t value);

// Number of bytes encode_uvarint(value) produces.
std::size_t uvarint_size(std::uint64_t value);

}  // namespace cf::multiformats
