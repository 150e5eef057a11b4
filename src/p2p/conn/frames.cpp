#include "cf/p2p/conn/frames.hpp"

#include <string>

#include "cf/multiformats/errc.hpp"
#include "cf/multiformats/varint.hpp"
#include "cf/p2p/conn/errc.hpp"

namespace cf::p2p {

namespace mf = cf::multiformats;

Status FrameReader::feed(ByteView in) {
  if (failed_) return *failed_;
  // Compact once the consumed prefix dominates, so a long stream does not grow the buffer.
  if (pos_ > 0 && pos_ >= buffer_.size() / 2) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(pos_));
    pos_ = 0;
  }
  buffer_.insert(buffer_.end(), in.begin(), in.end());
  return parse_length();
}

Status FrameReader::parse_length() {
  if (length_ || pos_ >= buffer_.size()) return ok();
  auto prefix = mf::decode_uvarint(ByteView(buffer_).subspan(pos_));
  if (!prefix) {
    if (prefix.error() == mf::errc::truncated) return ok();
    failed_ = Error(errc::invalid_length, "message length prefix: " + prefix.error().message());
    return *failed_;
  }
  if (prefix->value > max_size_) {
    failed_ = Error(errc::message_too_large, "message of " + std::to_string(prefix->value) +
                                                 " bytes, above the limit of " + std::to_string(max_size_));
    return *failed_;
  }
  pos_ += prefix->size;
  length_ = static_cast<std::size_t>(prefix->value);
  return ok();
}

std::optional<Bytes> FrameReader::next() {
  if (failed_ || !length_ || buffer_.size() - pos_ < *length_) return std::nullopt;
  auto begin = buffer_.begin() + static_cast<std::ptrdiff_t>(pos_);
  Bytes message(begin, begin + static_cast<std::ptrdiff_t>(*length_));
  pos_ += *length_;
  length_.reset();
  if (pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  }
  (void)parse_length();  // an error here is kept in failed_ and reported by the next feed
  return message;
}

void append_frame(Bytes& out, ByteView message) {
  mf::append_uvarint(out, message.size());
  out.insert(out.end(), message.begin(), message.end());
}

}  // namespace cf::p2p
