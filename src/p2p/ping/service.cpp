// go-libp2p p2p/protocol/ping/ping.go; libp2p-wire.md §6.3.
#include "cf/p2p/ping/service.hpp"

#include <array>
#include <string>

#include "cf/p2p/conn/errc.hpp"
#include "cf/p2p/ping/ping.hpp"

namespace cf::p2p::ping {
namespace {

using Clock = std::chrono::steady_clock;

Task<void> serve(Stream stream) {
  auto loop = [&]() -> Task<Status> {
    Responder responder;
    std::array<std::uint8_t, payload_size> buf;
    for (;;) {
      CF_CO_TRY_ASSIGN(n, co_await stream.read(buf));
      if (n == 0) co_return stream.close_write();
      auto echo = responder.on_bytes(ByteView(buf.data(), n));
      if (!echo.empty()) CF_CO_TRY(co_await stream.write(echo));
    }
  };
  auto status = co_await with_timeout(loop(), stream_duration, "ping stream");
  if (!status) stream.reset();
}

Task<Result<std::chrono::nanoseconds>> round_trip(Stream& stream) {
  Pinger pinger;
  CF_CO_TRY_ASSIGN(out, pinger.start(random_payload(), Clock::now()));
  CF_CO_TRY(co_await stream.write(out));
  std::array<std::uint8_t, payload_size> buf;
  for (;;) {
    CF_CO_TRY_ASSIGN(n, co_await stream.read(buf));
    if (n == 0) co_return Error(p2p::errc::unexpected_eof, "ping stream closed");
    CF_CO_TRY_ASSIGN(rtt, pinger.on_bytes(ByteView(buf.data(), n), Clock::now()));
    if (rtt) co_return std::chrono::duration_cast<std::chrono::nanoseconds>(*rtt);
  }
}

}  // namespace

Service::Service(Host& host) : host_(host) { host_.set_handler(std::string(protocol_id), serve); }

Service::~Service() { host_.remove_handler(std::string(protocol_id)); }

Task<Result<std::chrono::nanoseconds>> Service::ping(const multiformats::PeerId& peer) {
  CF_CO_TRY_ASSIGN(stream, co_await host_.new_stream(peer, std::string(protocol_id)));
  auto rtt = co_await with_timeout(round_trip(stream), ping_timeout, "ping");
  if (!rtt) {
    stream.reset();
    co_return rtt;
  }
  (void)stream.close_write();
  co_return rtt;
}

}  // namespace cf::p2p::ping
