// Length-prefixed messages on a stream: uvarint(len) + message, several per stream (go-msgio's
// varint framing, used by gossipsub RPCs and bitswap messages; libp2p-wire.md §7.2, §8.2).
// Sans-I/O: feed() what the stream gave, then take whole messages with next(). The length is
// checked before any byte of the body is buffered, so memory stays within `max_size` plus one
// read. A zero-length message is returned as an empty one (gossipsub skips those itself).
// Owned by one stream's reader; not thread-safe.
#pragma once

#include <cstddef>
#include <optional>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"

namespace cf::p2p {

class FrameReader {
 public:
  explicit FrameReader(std::size_t max_size) : max_size_(max_size) {}

  // Buffers `in`. Errors (the stream should be dropped): errc::message_too_large when a length
  // prefix is above max_size, errc::invalid_length for a malformed or non-minimal prefix.
  // After an error every later call fails the same way.
  Status feed(ByteView in);
  // The next complete message, if one is buffered.
  std::optional<Bytes> next();
  // True when bytes of an incomplete message are buffered (EOF now would cut a message).
  bool mid_message() const { return pos_ < buffer_.size(); }

 private:
  Status parse_length();

  std::size_t max_size_;
  Bytes buffer_;
  std::size_t pos_ = 0;                 // start of the unread part of buffer_
  std::optional<std::size_t> length_;   // the current message's length, once its prefix is read
  std::optional<Error> failed_;
};

// Appends uvarint(message.size()) + message.
void append_frame(Bytes& out, ByteView message);

}  // namespace cf::p2p
