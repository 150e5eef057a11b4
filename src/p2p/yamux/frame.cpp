// Yamux frame header codec and FrameReader (libp2p/specs yamux/README.md; go-yamux const.go).
#include "cf/p2p/yamux/frame.hpp"

#include <string>

#include "cf/p2p/yamux/errc.hpp"

namespace cf::p2p::yamux {
namespace {

void put_u16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

void put_u32(Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

std::uint16_t get_u16(ByteView b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

std::uint32_t get_u32(ByteView b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
         (std::uint32_t{b[at + 2]} << 8) | std::uint32_t{b[at + 3]};
}

}  // namespace

void append_header(Bytes& out, const FrameHeader& header) {
  out.push_back(header.version);
  out.push_back(static_cast<std::uint8_t>(header.type));
  put_u16(out, header.flags);
  put_u32(out, header.stream);
  put_u32(out, header.length);
}

Bytes encode_header(const FrameHeader& header) {
  Bytes out;
  out.reserve(header_size);
  append_header(out, header);
  return out;
}

Result<FrameHeader> decode_header(ByteView bytes) {
  if (bytes.size() < header_size) return errc::truncated;
  if (bytes[0] != protocol_version) {
    return Error(errc::invalid_version, "yamux version " + std::to_string(bytes[0]));
  }
  if (bytes[1] > static_cast<std::uint8_t>(FrameType::go_away)) {
    return Error(errc::invalid_type, "yamux message type " + std::to_string(bytes[1]));
  }
  FrameHeader h;
  h.version = bytes[0];
  h.type = static_cast<FrameType>(bytes[1]);
  h.flags = get_u16(bytes, 2);
  h.stream = get_u32(bytes, 4);
  h.length = get_u32(bytes, 8);
  return h;
}

void FrameReader::feed(ByteView bytes) {
  if (failed_) return;
  if (pos_ > 0) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

Result<std::optional<FrameView>> FrameReader::next() {
  if (failed_) return *failed_;
  const ByteView rest = ByteView(buf_).subspan(pos_);
  if (rest.size() < header_size) return std::optional<FrameView>{};
  auto header = decode_header(rest);
  if (!header) {
    failed_ = header.error();
    return *failed_;
  }
  std::size_t payload = 0;
  if (header->type == FrameType::data) {
    if (header->length > max_data_payload_) {
      std::string detail = "yamux data frame of ";
      detail += std::to_string(header->length);
      detail += " bytes on stream ";
      detail += std::to_string(header->stream);
      failed_ = Error(errc::frame_too_large, std::move(detail));
      return *failed_;
    }
    payload = header->length;
  }
  if (rest.size() < header_size + payload) return std::optional<FrameView>{};
  pos_ += header_size + payload;
  return std::optional<FrameView>{FrameView{*header, rest.subspan(header_size, payload)}};
}

}  // namespace cf::p2p::yamux
