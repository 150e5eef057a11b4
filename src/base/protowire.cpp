#include "cf/base/protowire.hpp"

#include <string>

#include "cf/base/errc.hpp"

namespace cf::protowire {
namespace {

constexpr std::size_t max_varint_size = 10;
constexpr std::uint64_t max_field_number = (std::uint64_t{1} << 29) - 1;

Error malformed(const std::string& what, std::size_t offset) {
  return Error(errc::invalid_input, "protobuf: " + what + " at byte " + std::to_string(offset));
}

}  // namespace

Result<std::uint64_t> read_varint(ByteView in, std::size_t& size) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < in.size() && i < max_varint_size; ++i) {
    const std::uint64_t group = in[i] & 0x7f;
    // The tenth byte may carry only the top bit of a 64-bit value.
    if (i == max_varint_size - 1 && in[i] > 1) return Error(errc::invalid_input, "protobuf: varint overflows 64 bits");
    value |= group << (7 * i);
    if ((in[i] & 0x80) == 0) {
      size = i + 1;
      return value;
    }
  }
  if (in.size() >= max_varint_size) return Error(errc::invalid_input, "protobuf: varint longer than 10 bytes");
  return Error(errc::invalid_input, "protobuf: truncated varint");
}

Result<std::optional<Field>> Reader::next() {
  if (at_end()) return std::optional<Field>{};
  const std::size_t start = pos_;
  std::size_t n = 0;
  auto tag = read_varint(in_.subspan(pos_), n);
  if (!tag) return malformed("bad tag", start);
  const std::uint64_t number = *tag >> 3;
  if (number == 0 || number > max_field_number) return malformed("field number " + std::to_string(number), start);
  Field field;
  field.number = static_cast<std::uint32_t>(number);
  std::size_t pos = pos_ + n;
  switch (*tag & 7) {
    case 0: {
      auto v = read_varint(in_.subspan(pos), n);
      if (!v) return malformed("bad varint", pos);
      field.type = WireType::varint;
      field.value = *v;
      pos += n;
      break;
    }
    case 1:
    case 5: {
      const std::size_t width = (*tag & 7) == 1 ? 8 : 4;
      if (in_.size() - pos < width) return malformed("truncated fixed field", pos);
      for (std::size_t i = 0; i < width; ++i) field.value |= std::uint64_t{in_[pos + i]} << (8 * i);
      field.type = width == 8 ? WireType::fixed64 : WireType::fixed32;
      pos += width;
      break;
    }
    case 2: {
      auto len = read_varint(in_.subspan(pos), n);
      if (!len) return malformed("bad length", pos);
      pos += n;
      if (*len > in_.size() - pos) return malformed("length " + std::to_string(*len) + " past the end", pos);
      field.type = WireType::length_delimited;
      field.bytes = in_.subspan(pos, static_cast<std::size_t>(*len));
      pos += static_cast<std::size_t>(*len);
      break;
    }
    default:
      return malformed("wire type " + std::to_string(*tag & 7), start);
  }
  field.raw = in_.subspan(start, pos - start);
  pos_ = pos;
  return std::optional<Field>{field};
}

void append_varint(Bytes& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(value));
}

std::size_t varint_size(std::uint64_t value) {
  std::size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

void append_tag(Bytes& out, std::uint32_t number, WireType type) {
  append_varint(out, (std::uint64_t{number} << 3) | static_cast<std::uint8_t>(type));
}

void append_varint_field(Bytes& out, std::uint32_t number, std::uint64_t value) {
  append_tag(out, number, WireType::varint);
  append_varint(out, value);
}

void append_bytes_field(Bytes& out, std::uint32_t number, ByteView payload) {
  append_tag(out, number, WireType::length_delimited);
  append_varint(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
}

}  // namespace cf::protowire
