// Noise length-prefixed framing (libp2p/specs noise/README.md "Wire Format"; see framing.hpp).
#include "cf/p2p/noise/framing.hpp"

#include <string>

#include "cf/p2p/noise/errc.hpp"

namespace cf::p2p::noise {

Status append_frame(ByteView message, Bytes& out) {
  if (message.size() > max_message_size) {
    return Error(errc::message_too_large,
                 "a noise frame holds at most 65535 bytes, not " + std::to_string(message.size()));
  }
  out.push_back(static_cast<std::uint8_t>(message.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(message.size() & 0xff));
  out.insert(out.end(), message.begin(), message.end());
  return ok();
}

Result<Bytes> encode_frame(ByteView message) {
  Bytes out;
  CF_TRY(append_frame(message, out));
  return out;
}

Status FrameReader::append(ByteView wire) {
  if (wire.size() > max_buffered_ || buffered() > max_buffered_ - wire.size()) {
    return Error(errc::buffer_overflow, "noise reader would hold " +
                                            std::to_string(buffered() + wire.size()) +
                                            " bytes (limit " + std::to_string(max_buffered_) + ")");
  }
  if (start_ > 0 && start_ >= buffer_.size() / 2) {  // compact before growing
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buffer_.insert(buffer_.end(), wire.begin(), wire.end());
  return ok();
}

std::optional<Bytes> FrameReader::next() {
  if (buffered() < length_prefix_size) return std::nullopt;
  const std::size_t len =
      (static_cast<std::size_t>(buffer_[start_]) << 8) | buffer_[start_ + 1];
  if (buffered() < length_prefix_size + len) return std::nullopt;
  const auto first = buffer_.begin() + static_cast<std::ptrdiff_t>(start_ + length_prefix_size);
  Bytes message(first, first + static_cast<std::ptrdiff_t>(len));
  start_ += length_prefix_size + len;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  }
  return message;
}

Bytes FrameReader::take_buffered() {
  Bytes rest(buffer_.begin() + static_cast<std::ptrdiff_t>(start_), buffer_.end());
  buffer_.clear();
  start_ = 0;
  return rest;
}

}  // namespace cf::p2p::noise
