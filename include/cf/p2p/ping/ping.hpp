// Ping (/ipfs/ping/1.0.0; libp2p/specs ping/ping.md; go-libp2p p2p/protocol/ping/ping.go),
// sans-I/O. The dialer writes 32 random bytes and the listener echoes them, in a loop on one
// stream until the dialer closes its write side. Time is passed in, never read here.
// Pinger and Responder are plain values owned by one stream's driver; not thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"

namespace cf::p2p::ping {

inline constexpr std::string_view protocol_id = "/ipfs/ping/1.0.0";
inline constexpr std::size_t payload_size = 32;            // go PingSize
inline constexpr std::chrono::seconds ping_timeout{10};     // go pingTimeout, per ping
inline constexpr std::chrono::seconds stream_duration{30};  // go pingDuration, per stream

using Payload = std::array<std::uint8_t, payload_size>;
using TimePoint = std::chrono::steady_clock::time_point;
using Duration = std::chrono::steady_clock::duration;

// 32 bytes from libsodium's CSPRNG. Pinger takes a Payload so tests can inject one.
Payload random_payload();

// Our side of a ping stream: one ping outstanding at a time, RTT from the injected times.
class Pinger {
 public:
  // The bytes to write; records `now` as the send time. errc::busy while a ping is
  // outstanding.
  Result<Bytes> start(const Payload& payload, TimePoint now);

  // Bytes read from the peer. nullopt until all 32 bytes are back, then the round-trip time
  // (and the Pinger is ready for the next ping). Errors: errc::mismatch,
  // errc::unexpected_bytes (bytes beyond the echo, or with no ping outstanding).
  Result<std::optional<Duration>> on_bytes(ByteView in, TimePoint now);

  // errc::timed_out when the outstanding ping was sent ping_timeout or more before `now`.
  Status check(TimePoint now) const;

  bool outstanding() const { return outstanding_; }

 private:
  Payload payload_{};
  Bytes echoed_;
  TimePoint sent_{};
  bool outstanding_ = false;
};

// The peer's pings on a stream it opened: every complete 32 bytes are echoed. The driver
// closes the stream at the peer's EOF or after stream_duration.
class Responder {
 public:
  // The echo of every complete 32-byte ping in what has arrived so far.
  Bytes on_bytes(ByteView in);
  // Bytes of an incomplete ping (0..31).
  std::size_t pending() const { return partial_.size(); }

 private:
  Bytes partial_;
};

}  // namespace cf::p2p::ping
