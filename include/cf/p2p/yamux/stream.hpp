// Per-stream state of a Yamux Session: half-close flags, the send window the peer granted us
// and the receive buffer with the window we granted the peer. Sans-I/O; the Session owns its
// Streams by value and is the only caller. Follows go-yamux stream.go (states, processFlags)
// and util.go (segmentedBuffer.GrowTo: a WindowUpdate once the application has consumed at
// least half the window); libp2p-wire.md §5.3–§5.4.
//
// Divergences from go-yamux: our receive window stays fixed at Config::receive_window (no
// RTT-based auto-tuning); the part above the initial 256 KiB is granted in the SYN or ACK
// frame. Data after the peer's FIN is refused (the Session resets the stream) where go keeps
// buffering it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/p2p/yamux/frame.hpp"

namespace cf::p2p::yamux {

class Stream {
 public:
  // `receive_window` is the window we keep granting (at least initial_stream_window).
  Stream(StreamId id, bool outbound, std::uint32_t receive_window);

  StreamId id() const { return id_; }
  bool outbound() const { return outbound_; }
  // Inbound streams are ACKed at once; outbound ones are established by the peer's ACK.
  bool established() const { return established_; }
  void mark_established() { established_ = true; }

  // --- receive side ---
  // The credit above the initial window to grant in our SYN or ACK frame; applies it.
  std::uint32_t grant_initial();
  // Buffers a Data payload. Error window_exceeded when it is larger than the credit left.
  Status on_data(ByteView payload);
  // Up to `max` buffered bytes, oldest first.
  Bytes read(std::size_t max);
  std::size_t buffered() const { return recv_.size() - read_pos_; }
  // Bytes the peer may still send before our next WindowUpdate.
  std::uint32_t receive_credit() const { return recv_credit_; }
  // The delta of the WindowUpdate to send now (0: none), once at least half the window has
  // been consumed (go GrowTo); applies it. None after the peer's FIN.
  std::uint32_t take_window_update();

  // --- send side ---
  std::uint32_t send_window() const { return send_window_; }
  // Takes up to `wanted` bytes of send window; remembers a short grant as "blocked".
  std::size_t reserve_send(std::size_t wanted);
  // Adds a WindowUpdate delta. Error send_window_overflow past 2^32-1.
  Status add_send_window(std::uint32_t delta);
  // True once after a blocked writer's window reopened (the Session reports WindowAvailable).
  bool take_unblocked();

  // --- half-close ---
  bool local_fin() const { return local_fin_; }
  bool remote_fin() const { return remote_fin_; }
  void set_local_fin() { local_fin_ = true; }
  void set_remote_fin() { remote_fin_ = true; }
  // Both sides closed and everything read: the Session removes the stream.
  bool finished() const { return local_fin_ && remote_fin_ && buffered() == 0; }

 private:
  StreamId id_;
  bool outbound_;
  bool established_ = false;
  bool local_fin_ = false;
  bool remote_fin_ = false;
  bool blocked_ = false;
  std::uint32_t window_;
  std::uint32_t recv_credit_ = initial_stream_window;
  std::uint32_t send_window_ = initial_stream_window;
  Bytes recv_;
  std::size_t read_pos_ = 0;
};

}  // namespace cf::p2p::yamux
