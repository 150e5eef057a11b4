// Yamux session: pings and keepalive (go-yamux session.go Ping, handlePing, startKeepalive,
// extendKeepalive; libp2p-wire.md §5.5). Time is passed in; nothing here reads a clock.
//
// Divergence: go keeps one ping in flight and times it from when the send loop wrote it; we
// allow Config::max_outstanding_pings and time each from the ping() call that queued it.
#include "cf/p2p/yamux/session.hpp"

#include <string>

#include "cf/p2p/yamux/errc.hpp"

namespace cf::p2p::yamux {

void Session::on_ping(const FrameHeader& header, TimePoint now) {
  if (header.has(flag_syn)) {
    queue(FrameType::ping, flag_ack, session_stream_id, header.length);
    events_.push_back(PingReceived{header.length});
    return;
  }
  if (!header.has(flag_ack)) return;
  auto it = pings_.find(header.length);
  if (it == pings_.end()) return;  // not ours, or answered twice: ignored like go
  const auto rtt = std::chrono::duration_cast<std::chrono::nanoseconds>(now - it->second);
  pings_.erase(it);
  rtt_ = rtt;
  events_.push_back(PongReceived{header.length, rtt});
}

Result<std::uint32_t> Session::ping(TimePoint now) {
  if (is_closed()) return errc::session_closed;
  if (pings_.size() >= config_.max_outstanding_pings) return errc::too_many_pings;
  std::uint32_t value = next_ping_value_++;
  while (pings_.contains(value)) value = next_ping_value_++;
  pings_.emplace(value, now);
  queue(FrameType::ping, flag_syn, session_stream_id, value);
  return value;
}

Status Session::on_tick(TimePoint now) {
  if (is_closed()) return ok();
  if (!last_received_) last_received_ = now;
  for (const auto& [value, sent] : pings_) {
    if (now - sent >= config_.keepalive_timeout) {
      Error error(errc::keepalive_timeout, "yamux ping " + std::to_string(value) +
                                               " unanswered for " +
                                               std::to_string(config_.keepalive_timeout.count()) +
                                               " ms");
      events_.push_back(SessionError{error});
      close(error);
      return error;
    }
  }
  const bool keepalive = config_.keepalive_interval.count() > 0;
  if (keepalive && pings_.empty() && now - *last_received_ >= config_.keepalive_interval) {
    (void)ping(now);  // cannot fail: open, and no ping outstanding
  }
  return ok();
}

std::optional<TimePoint> Session::next_deadline() const {
  if (is_closed()) return std::nullopt;
  std::optional<TimePoint> next;
  for (const auto& [value, sent] : pings_) {
    const TimePoint due = sent + config_.keepalive_timeout;
    if (!next || due < *next) next = due;
  }
  if (config_.keepalive_interval.count() > 0 && pings_.empty() && last_received_) {
    const TimePoint due = *last_received_ + config_.keepalive_interval;
    if (!next || due < *next) next = due;
  }
  return next;
}

}  // namespace cf::p2p::yamux
