// libp2p Noise wire framing (libp2p/specs noise/README.md "Wire Format"; go-libp2p
// p2p/security/noise/rw.go; libp2p-wire.md §4.5): every Noise message, handshake or transport,
// is a 2-byte big-endian length followed by that many bytes, at most 65535. Frames do not line
// up with the frames of the protocols above.
// FrameReader is a plain value owned by one connection; not thread-safe.
#pragma once

#include <cstddef>
#include <optional>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/p2p/noise/cipher_state.hpp"
#include "cf/p2p/noise/handshake_state.hpp"

namespace cf::p2p::noise {

inline constexpr std::size_t length_prefix_size = 2;
// go's MaxPlaintextLength: the most plaintext one transport message can carry.
inline constexpr std::size_t max_plaintext_size = max_message_size - tag_size;

// Appends 2-byte big-endian length || message to `out`; errc::message_too_large above 65535.
Status append_frame(ByteView message, Bytes& out);
Result<Bytes> encode_frame(ByteView message);

// Accumulates wire bytes and yields whole frames (their messages, without the prefix). Keeps a
// partial frame until the rest arrives. The bound caps the bytes held at once: a caller that
// drains next() after every append() needs at most one frame (65537 bytes) plus one read.
class FrameReader {
 public:
  static constexpr std::size_t default_max_buffered = 256 * 1024;

  explicit FrameReader(std::size_t max_buffered = default_max_buffered)
      : max_buffered_(max_buffered) {}

  // errc::buffer_overflow (and nothing appended) when the buffer would pass the bound.
  Status append(ByteView wire);
  // The next complete message, if one is buffered.
  std::optional<Bytes> next();
  // Bytes received but not yet returned by next() (a partial frame, or frames that follow the
  // handshake); the reader is empty afterwards. Used to hand leftovers to a SecureChannel.
  Bytes take_buffered();
  std::size_t buffered() const { return buffer_.size() - start_; }
  std::size_t max_buffered() const { return max_buffered_; }

 private:
  Bytes buffer_;
  std::size_t start_ = 0;  // bytes of buffer_ already consumed
  std::size_t max_buffered_;
};

}  // namespace cf::p2p::noise
