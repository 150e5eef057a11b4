// Ping client and responder (go-libp2p p2p/protocol/ping/ping.go PingHandler, ping).
#include "cf/p2p/ping/ping.hpp"

#include <sodium.h>

#include <algorithm>

#include "cf/p2p/ping/errc.hpp"

namespace cf::p2p::ping {

Payload random_payload() {
  [[maybe_unused]] static const int sodium_ready = sodium_init();
  Payload payload;
  randombytes_buf(payload.data(), payload.size());
  return payload;
}

Result<Bytes> Pinger::start(const Payload& payload, TimePoint now) {
  if (outstanding_) return Error(errc::busy);
  payload_ = payload;
  echoed_.clear();
  sent_ = now;
  outstanding_ = true;
  return Bytes(payload.begin(), payload.end());
}

Result<std::optional<Duration>> Pinger::on_bytes(ByteView in, TimePoint now) {
  if (in.empty()) return std::optional<Duration>{};
  if (!outstanding_ || echoed_.size() + in.size() > payload_size) {
    outstanding_ = false;
    return Error(errc::unexpected_bytes,
                 std::to_string(in.size()) + " bytes on the ping stream beyond the echo");
  }
  echoed_.insert(echoed_.end(), in.begin(), in.end());
  if (echoed_.size() < payload_size) return std::optional<Duration>{};
  outstanding_ = false;
  if (!std::equal(echoed_.begin(), echoed_.end(), payload_.begin())) return Error(errc::mismatch);
  return std::optional<Duration>{now - sent_};
}

Status Pinger::check(TimePoint now) const {
  if (outstanding_ && now - sent_ >= ping_timeout) return Error(errc::timed_out);
  return ok();
}

Bytes Responder::on_bytes(ByteView in) {
  partial_.insert(partial_.end(), in.begin(), in.end());
  const std::size_t whole = partial_.size() / payload_size * payload_size;
  Bytes echo(partial_.begin(), partial_.begin() + static_cast<std::ptrdiff_t>(whole));
  partial_.erase(partial_.begin(), partial_.begin() + static_cast<std::ptrdiff_t>(whole));
  return echo;
}

}  // namespace cf::p2p::ping
