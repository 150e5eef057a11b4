// Yamux frame codec, sans-I/O: the 12-byte header and a reader that cuts a byte stream into
// frames. Follows libp2p/specs yamux/README.md (framing) and go-yamux const.go (constants,
// header layout); see docs/reference/libp2p-wire.md §5.1.
//
// Header, big-endian: version u8 (= 0), type u8, flags u16, stream ID u32, length u32. Only
// Data frames carry a payload (length bytes); for WindowUpdate the length is a window delta
// (or, with RST, go-yamux v5's stream error code), for Ping an opaque value, for GoAway an
// error code.
//
// Divergence from go-yamux: FrameReader rejects a Data frame longer than its configured bound
// (our largest receive window) before buffering it. go reads the header first and fails only
// on a known stream (or drains unknown ones); no conforming peer can send such a frame, since
// it would exceed any window we granted, so rejecting it early bounds our memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"

namespace cf::p2p::yamux {

// The multistream-select protocol ID of this muxer.
inline constexpr const char* protocol_id = "/yamux/1.0.0";

inline constexpr std::uint8_t protocol_version = 0;
inline constexpr std::size_t header_size = 12;
// Every stream starts with this window in each direction (spec; go initialStreamWindow).
inline constexpr std::uint32_t initial_stream_window = 256 * 1024;
// The largest window go-libp2p lets a go receiver grow to (go maxStreamWindow).
inline constexpr std::uint32_t max_stream_window = 16 * 1024 * 1024;

// Stream 0 is the session; the client (dialer) uses odd IDs, the server even ones.
using StreamId = std::uint32_t;
inline constexpr StreamId session_stream_id = 0;

enum class FrameType : std::uint8_t {
  data = 0,           // payload of `length` bytes follows
  window_update = 1,  // length = window delta (RST: stream error code)
  ping = 2,           // length = opaque value, echoed in the ACK
  go_away = 3,        // length = GoAway code
};

// Flag bits of the header (spec "Flag Field").
using Flags = std::uint16_t;
inline constexpr Flags flag_syn = 0x1;  // open a stream / ping request
inline constexpr Flags flag_ack = 0x2;  // accept a stream / ping response
inline constexpr Flags flag_fin = 0x4;  // half-close
inline constexpr Flags flag_rst = 0x8;  // reset

// GoAway codes (go goAwayNormal/goAwayProtoErr/goAwayInternalErr). go-libp2p also sends its
// connection error codes (0x1000..) here; any u32 is carried through.
inline constexpr std::uint32_t go_away_normal = 0;
inline constexpr std::uint32_t go_away_protocol_error = 1;
inline constexpr std::uint32_t go_away_internal_error = 2;

struct FrameHeader {
  std::uint8_t version = protocol_version;
  FrameType type = FrameType::data;
  Flags flags = 0;
  StreamId stream = 0;
  std::uint32_t length = 0;

  bool has(Flags f) const { return (flags & f) == f; }
  friend bool operator==(const FrameHeader&, const FrameHeader&) = default;
};

// Appends the 12 header bytes to `out`.
void append_header(Bytes& out, const FrameHeader& header);
Bytes encode_header(const FrameHeader& header);

// Decodes the first 12 bytes of `bytes`. Errors: truncated, invalid_version, invalid_type.
Result<FrameHeader> decode_header(ByteView bytes);

// A decoded frame. `payload` is empty except for Data frames, and points into the reader's
// buffer: it stays valid until the next FrameReader::feed.
struct FrameView {
  FrameHeader header;
  ByteView payload;
};

// Cuts a byte stream into frames; bytes may arrive split at any offset. Single-threaded.
// Memory is bounded by header_size + max_data_payload plus whatever one feed() hands over.
class FrameReader {
 public:
  explicit FrameReader(std::uint32_t max_data_payload) : max_data_payload_(max_data_payload) {}

  // Appends bytes; invalidates payload views of earlier frames.
  void feed(ByteView bytes);

  // The next complete frame, std::nullopt when more bytes are needed, or an error
  // (invalid_version, invalid_type, frame_too_large) after which the reader stays failed.
  Result<std::optional<FrameView>> next();

  // Bytes received but not yet returned as frames.
  std::size_t buffered() const { return buf_.size() - pos_; }

 private:
  std::uint32_t max_data_payload_;
  Bytes buf_;
  std::size_t pos_ = 0;
  std::optional<Error> failed_;
};

}  // namespace cf::p2p::yamux
