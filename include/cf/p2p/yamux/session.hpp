// A Yamux session (/yamux/1.0.0), sans-I/O: no sockets, no timers, time is passed in.
// Follows libp2p/specs yamux/README.md and go-yamux v5 session.go/stream.go, as summarised in
// docs/reference/libp2p-wire.md §5; §7.6 is why reads must keep granting window.
//
// Use: feed() the plaintext read from the secure channel, then drain next_event() and write
// take_output() to the channel. The stream calls (open_stream, write, read, close_write,
// reset, go_away, ping) only queue frames; they too leave bytes in the outbox. Call
// on_tick(now) when next_deadline() passes.
//
// Ownership and threading: a Session is a plain value owned by its connection; it owns its
// streams and buffers. It is not thread-safe: call it only from the connection's strand.
// Memory: the inbound side is bounded by one frame (Config::receive_window + 12) plus
// max_inbound_streams * receive_window of stream buffers; the outbox grows until the caller
// takes it, by at most what the caller writes plus the control frames the peer provokes.
//
// Behaviour, as in go-yamux unless noted:
// - Client (dialer) streams are odd, server streams even, growing by 2, never reused.
// - Opening sends WindowUpdate(SYN); an inbound SYN is ACKed at once (WindowUpdate(ACK)),
//   because go blocks after 256 un-ACKed SYNs. Above max_inbound_streams it is refused with
//   WindowUpdate(RST), like go's MaxIncomingStreams.
// - Frames for unknown or removed streams are dropped (go handleStreamMessage).
// - Fatal to the session, with GoAway(protocol error) queued: a bad version or type, a Data
//   frame over the receive window, a SYN with our parity or stream 0, a SYN for an open
//   stream, and window updates past 2^32-1. go sends no GoAway for a bad version or type;
//   we do, which the peer ignores once it has failed the session anyway.
// - Pings are answered at once; pongs go out ahead of stream frames in the outbox.
// - A received GoAway (any code) ends the session (go handleGoAway). go_away() ends it too:
//   go closes its side on any GoAway, so there is no half-open draining state.
// - A stream is removed when both sides have sent FIN and its buffer has been read, or at
//   once on RST. The peer's RST discards unread data (go).
//
// On a closed session (after GoAwayReceived, SessionError, go_away or keepalive timeout):
// feed, open_stream, write, read, close_write, reset and ping return errc::session_closed
// and do nothing; go_away and on_tick do nothing; take_output still hands over what was
// queued (e.g. the GoAway), and next_event drains what is left. Streams are dropped without
// per-stream events: the terminal event stands for all of them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/p2p/yamux/events.hpp"
#include "cf/p2p/yamux/frame.hpp"
#include "cf/p2p/yamux/stream.hpp"

namespace cf::p2p::yamux {

using TimePoint = std::chrono::steady_clock::time_point;

// The connection dialer is the client (odd stream IDs), the listener the server (even).
enum class Role : std::uint8_t { client, server };

// Session() clamps receive_window to [256 KiB, 16 MiB] and turns a zero max_frame_payload or
// max_outstanding_pings into the default or 1.
struct Config {
  // The receive window we grant every stream.
  std::uint32_t receive_window = initial_stream_window;
  // Largest Data payload we send in one frame (go MaxMessageSize 64 KiB minus the header).
  std::uint32_t max_frame_payload = 64 * 1024 - header_size;
  // Open streams the peer may have at once; more SYNs are refused with RST.
  std::size_t max_inbound_streams = 256;
  // Open streams we may have at once (go's AcceptBacklog is 256 un-ACKed SYNs).
  std::size_t max_outbound_streams = 256;
  // on_tick sends a keepalive ping after this long without receiving a frame (0: never).
  std::chrono::milliseconds keepalive_interval{30'000};
  // A ping of ours unanswered this long ends the session (go ConnectionWriteTimeout).
  std::chrono::milliseconds keepalive_timeout{10'000};
  // Pings of ours that may be unanswered at once.
  std::size_t max_outstanding_pings = 32;
};

// A snapshot of one stream, for callers and tests.
struct StreamInfo {
  bool outbound = false;
  bool established = false;
  bool local_fin = false;
  bool remote_fin = false;
  std::size_t buffered = 0;
  std::uint32_t send_window = 0;
  std::uint32_t receive_credit = 0;
};

class Session {
 public:
  Session(Role role, Config config = {});

  Role role() const { return role_; }
  bool is_closed() const { return close_reason_.has_value(); }
  // Why the session ended (errc::remote_go_away, local_go_away, keepalive_timeout, or the
  // protocol error); empty while it is open.
  const std::optional<Error>& close_reason() const { return close_reason_; }

  // Parses `bytes` (any split is fine) and applies every complete frame. `now` times pong RTTs
  // and the keepalive. Returns the error if this call ended the session, session_closed if it
  // was already over, else ok (including a GoAway received: see the events).
  Status feed(ByteView bytes, TimePoint now);

  std::optional<Event> next_event();
  // Everything queued for the peer, pongs first, moved into `out` (its old contents dropped);
  // the caller writes it in order. out's buffer becomes the queue's, so a caller passing the
  // same buffer every time allocates nothing once both have grown.
  void take_output(Bytes& out);
  Bytes take_output();
  bool has_output() const { return !control_out_.empty() || !out_.empty(); }

  // Opens a stream (queues WindowUpdate(SYN)). Errors: session_closed, too_many_streams,
  // streams_exhausted.
  Result<StreamId> open_stream();
  // Queues up to data.size() bytes, never more than the peer's window for this stream, and
  // returns how many were taken (possibly 0). Keep the rest and retry after WindowAvailable.
  // Errors: session_closed, unknown_stream, write_closed.
  Result<std::size_t> write(StreamId stream, ByteView data);
  // Up to `max` buffered bytes (empty when none); queues a WindowUpdate once half the window
  // has been read. Errors: session_closed, unknown_stream (never opened, reset, or finished
  // and fully read).
  Result<Bytes> read(StreamId stream, std::size_t max);
  // Half-closes our side (queues WindowUpdate(FIN)). Errors: session_closed, unknown_stream,
  // write_closed (already closed).
  Status close_write(StreamId stream);
  // Resets the stream (queues WindowUpdate(RST) carrying `code`) and removes it.
  // Errors: session_closed, unknown_stream.
  Status reset(StreamId stream, std::uint32_t code = 0);
  // Queues GoAway(code) and ends the session (close_reason: local_go_away).
  void go_away(std::uint32_t code = go_away_normal);

  // Queues Ping(SYN) with a fresh value, timed from `now`. Errors: session_closed,
  // too_many_pings.
  Result<std::uint32_t> ping(TimePoint now);
  // Ends the session (errc::keepalive_timeout, also as a SessionError event) when a ping of
  // ours has been unanswered for keepalive_timeout; sends a keepalive ping when nothing has
  // been received for keepalive_interval. Returns the timeout error when it fires.
  Status on_tick(TimePoint now);
  // When on_tick should next run; empty when nothing is pending (or closed).
  std::optional<TimePoint> next_deadline() const;
  // The last measured round-trip time, if any.
  std::optional<std::chrono::nanoseconds> rtt() const { return rtt_; }

  std::optional<StreamInfo> stream_info(StreamId stream) const;
  std::size_t stream_count() const { return streams_.size(); }

 private:
  // Frame handlers, one per message type (style-anchors §2.5).
  Status on_frame(const FrameView& frame, TimePoint now);
  Status on_data(const FrameHeader& header, ByteView payload);
  Status on_window_update(const FrameHeader& header);
  void on_ping(const FrameHeader& header, TimePoint now);
  void on_go_away(const FrameHeader& header);

  // Stream bookkeeping shared by the handlers.
  Status on_syn(StreamId id);
  // Applies ACK and RST; returns false when RST removed the stream.
  bool apply_ack_rst(Stream& stream, const FrameHeader& header);
  void apply_remote_fin(Stream& stream);
  Stream* find(StreamId id);
  void remove(StreamId id);
  bool is_inbound_id(StreamId id) const;
  void queue(FrameType type, Flags flags, StreamId stream, std::uint32_t length);
  Status fail(Error error);
  void close(Error reason);

  Role role_;
  Config config_;
  FrameReader reader_;
  std::map<StreamId, Stream> streams_;
  std::size_t inbound_count_ = 0;
  std::size_t outbound_count_ = 0;
  std::uint64_t next_stream_id_;
  std::deque<Event> events_;
  Bytes control_out_;  // pongs and pings, sent ahead of out_
  Bytes out_;
  std::uint32_t next_ping_value_ = 0;
  std::map<std::uint32_t, TimePoint> pings_;  // value -> when we queued it
  std::optional<TimePoint> last_received_;  // keepalive baseline: last frame, or first tick
  std::optional<std::chrono::nanoseconds> rtt_;
  std::optional<Error> close_reason_;
};

}  // namespace cf::p2p::yamux
