// The protobuf wire format at the field level (protobuf.dev/programming-guides/encoding), for
// messages whose exact bytes matter or whose every length must be bounded by us: gossipsub
// RPCs (a signature covers the received bytes of a Message minus two fields), bitswap
// messages, dag-pb nodes and go-ds-crdt deltas. Generated classes stay the tool for small
// trusted shapes (keys, identify); this is for hostile input that feeds our own limits.
//
// Reader walks one message level: it never recurses, so nesting depth is the caller's loop.
// Varints follow protobuf, not multiformats: up to 10 bytes, non-minimal forms accepted (go's
// protowire accepts them too). Groups (wire types 3 and 4) and field number 0 are errors.
// Stateless apart from the read position; no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"

namespace cf::protowire {

enum class WireType : std::uint8_t { varint = 0, fixed64 = 1, length_delimited = 2, fixed32 = 5 };

struct Field {
  std::uint32_t number = 0;
  WireType type = WireType::varint;
  std::uint64_t value = 0;  // varint, fixed64 and fixed32 fields
  ByteView bytes;           // length-delimited fields: the payload
  ByteView raw;             // the whole field as received: tag, length and payload
};

class Reader {
 public:
  explicit Reader(ByteView message) : in_(message) {}

  // The next field, or nullopt at the end. errc::invalid_input (detail "protobuf: ...") for a
  // truncated or overlong varint, a length past the end, field number 0 or above 2^29-1, or a
  // group/unknown wire type. After an error the reader stays at the bad field.
  Result<std::optional<Field>> next();

  std::size_t offset() const { return pos_; }
  bool at_end() const { return pos_ >= in_.size(); }

 private:
  ByteView in_;
  std::size_t pos_ = 0;
};

// One protobuf varint at the front of `in`; `size` receives its length.
Result<std::uint64_t> read_varint(ByteView in, std::size_t& size);

void append_varint(Bytes& out, std::uint64_t value);
void append_tag(Bytes& out, std::uint32_t number, WireType type);
void append_varint_field(Bytes& out, std::uint32_t number, std::uint64_t value);
void append_bytes_field(Bytes& out, std::uint32_t number, ByteView payload);
inline void append_string_field(Bytes& out, std::uint32_t number, std::string_view text) {
  append_bytes_field(out, number, as_bytes(text));
}
std::size_t varint_size(std::uint64_t value);

}  // namespace cf::protowire
