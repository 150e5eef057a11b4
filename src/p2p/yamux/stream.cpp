// Per-stream windows and buffers (go-yamux stream.go, util.go segmentedBuffer).
#include "cf/p2p/yamux/stream.hpp"

#include <algorithm>
#include <string>

#include "cf/p2p/yamux/errc.hpp"

namespace cf::p2p::yamux {

Stream::Stream(StreamId id, bool outbound, std::uint32_t receive_window)
    : id_(id),
      outbound_(outbound),
      established_(!outbound),
      window_(std::max(receive_window, initial_stream_window)) {}

std::uint32_t Stream::grant_initial() {
  const std::uint32_t extra = window_ - initial_stream_window;
  recv_credit_ += extra;
  return extra;
}

Status Stream::on_data(ByteView payload) {
  if (payload.size() > recv_credit_) {
    return Error(errc::window_exceeded,
                 "yamux stream " + std::to_string(id_) + ": " + std::to_string(payload.size()) +
                     " bytes with a window of " + std::to_string(recv_credit_));
  }
  recv_credit_ -= static_cast<std::uint32_t>(payload.size());
  recv_.insert(recv_.end(), payload.begin(), payload.end());
  return ok();
}

Bytes Stream::read(std::size_t max) {
  const std::size_t n = std::min(max, buffered());
  const auto first = recv_.begin() + static_cast<std::ptrdiff_t>(read_pos_);
  Bytes out(first, first + static_cast<std::ptrdiff_t>(n));
  read_pos_ += n;
  if (read_pos_ == recv_.size()) {
    recv_.clear();
    read_pos_ = 0;
  } else if (read_pos_ >= recv_.size() / 2) {
    recv_.erase(recv_.begin(), recv_.begin() + static_cast<std::ptrdiff_t>(read_pos_));
    read_pos_ = 0;
  }
  return out;
}

std::uint32_t Stream::take_window_update() {
  if (remote_fin_) return 0;
  // buffered() <= window_: the credit we grant never exceeds the window minus what is held.
  const std::uint64_t current = std::uint64_t{recv_credit_} + buffered();
  if (current >= window_) return 0;
  const auto delta = static_cast<std::uint32_t>(window_ - current);
  if (delta < window_ / 2) return 0;
  recv_credit_ += delta;
  return delta;
}

std::size_t Stream::reserve_send(std::size_t wanted) {
  const std::size_t n = std::min<std::size_t>(wanted, send_window_);
  send_window_ -= static_cast<std::uint32_t>(n);
  if (n < wanted) blocked_ = true;
  return n;
}

Status Stream::add_send_window(std::uint32_t delta) {
  const std::uint64_t grown = std::uint64_t{send_window_} + delta;
  if (grown > UINT32_MAX) {
    return Error(errc::send_window_overflow,
                 "yamux stream " + std::to_string(id_) + ": window update of " +
                     std::to_string(delta) + " over a window of " + std::to_string(send_window_));
  }
  send_window_ = static_cast<std::uint32_t>(grown);
  return ok();
}

bool Stream::take_unblocked() {
  if (!blocked_ || send_window_ == 0) return false;
  blocked_ = false;
  return true;
}

}  // namespace cf::p2p::yamux
