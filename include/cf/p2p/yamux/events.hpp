// What a Yamux Session reports to its owner, drained with Session::next_event(). Events are
// data (style-anchors §2.6): one struct per kind, held in a std::variant.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <variant>

#include "cf/base/result.hpp"
#include "cf/p2p/yamux/frame.hpp"

namespace cf::p2p::yamux {

// The peer opened a stream (SYN). The Session has already queued the ACK.
struct StreamOpened {
  StreamId stream = 0;
};

// The peer ACKed a stream we opened.
struct StreamAccepted {
  StreamId stream = 0;
};

// A Data frame added bytes to the stream's receive buffer; read them with Session::read.
struct DataAvailable {
  StreamId stream = 0;
  std::size_t buffered = 0;  // bytes now waiting in the buffer
};

// The peer half-closed the stream (FIN): after the buffered bytes, the read side is at EOF.
struct StreamFinished {
  StreamId stream = 0;
};

// The stream is gone. `by_peer`: the peer sent RST with `code` (go-yamux v5 puts a stream error
// code in a WindowUpdate+RST; a Data+RST carries none, code 0). Otherwise we reset it because
// the peer broke the stream's rules and `error` says how (errc::data_after_fin).
struct StreamReset {
  StreamId stream = 0;
  bool by_peer = true;
  std::uint32_t code = 0;
  Error error;
};

// A write that was cut short by the send window can continue: the peer granted more window.
struct WindowAvailable {
  StreamId stream = 0;
  std::uint32_t send_window = 0;
};

// The peer pinged us; the Session has already queued the ACK with the same value.
struct PingReceived {
  std::uint32_t value = 0;
};

// The peer answered one of our pings; `rtt` is from ping(now) to the feed(now) that held it.
struct PongReceived {
  std::uint32_t value = 0;
  std::chrono::nanoseconds rtt{0};
};

// Terminal: the peer sent GoAway (go treats any GoAway as the end of the session).
struct GoAwayReceived {
  std::uint32_t code = go_away_normal;
};

// Terminal: the session ended on an error: a protocol error of the peer (we queued
// GoAway(protocol error)) or errc::keepalive_timeout (nothing queued: the link is dead).
struct SessionError {
  Error error;
};

using Event = std::variant<StreamOpened, StreamAccepted, DataAvailable, StreamFinished,
                           StreamReset, WindowAvailable, PingReceived, PongReceived,
                           GoAwayReceived, SessionError>;

}  // namespace cf::p2p::yamux
