// Identify on a stream, sans-I/O (go-libp2p v0.48 p2p/protocol/identify/id.go
// readAllIDMessages, writeChunkedIdentifyMsg; go-msgio pbio uvarint framing).
// The responder (or pusher) writes uvarint(len) + Identify frames and closes its write side;
// the reader collects frames until EOF and merges them. Like go: each frame at most 8 KiB
// (signedIDSize) and at most 10 reads, one of which must see EOF, so 10 frames fail.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/multiformats/peer_id.hpp"
#include "cf/p2p/identify/identify.hpp"

namespace cf::p2p::identify {

inline constexpr std::size_t max_message_size = 8 * 1024;  // go signedIDSize
inline constexpr std::size_t max_messages = 10;            // go maxMessages (reads)

// The bytes to write before closing: one frame, or two when a signed record pushes the
// message over legacy_message_size (the second frame holds only the record), as go does.
Bytes encode_identify_frames(const IdentifyInfo& info);

// Collects the frames of one identify or push stream. Owned by the stream's driver.
class MessageReader {
 public:
  // `remote`: the connection's peer, checked against publicKey at the end.
  explicit MessageReader(std::optional<multiformats::PeerId> remote = std::nullopt)
      : remote_(std::move(remote)) {}

  // Bytes read from the stream. Errors: errc::invalid_length, errc::message_too_large,
  // errc::too_many_messages, errc::invalid_message (a frame that does not parse).
  Status on_bytes(ByteView in);

  // The peer closed its side: the merged message (decode_identify of all frames).
  // errc::truncated when a frame is incomplete.
  Result<DecodedIdentify> on_eof() const;

  std::size_t messages() const { return messages_; }

 private:
  std::optional<multiformats::PeerId> remote_;
  Bytes pending_;  // the incomplete frame at the end of what was read
  Bytes merged_;   // the frames' bodies, concatenated: protobuf merges them on decode
  std::size_t messages_ = 0;
};

}  // namespace cf::p2p::identify
