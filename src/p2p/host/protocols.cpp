// Identify and ping over streams (go-libp2p p2p/protocol/identify/id.go, ping/ping.go;
// libp2p-wire.md §6).
#include <array>
#include <utility>

#include "cf/base/log.hpp"
#include "cf/p2p/conn/errc.hpp"
#include "cf/p2p/host/host.hpp"
#include "cf/p2p/identify/stream.hpp"
#include "cf/p2p/ping/ping.hpp"

namespace cf::p2p {
namespace {

using Clock = std::chrono::steady_clock;
std::shared_ptr<spdlog::logger> logger() { return log::get("host"); }

}  // namespace

Task<void> Host::serve_identify(Stream stream) {
  auto& connection = stream.connection();
  auto info = identify::own_identify(config_.identity.keypair().public_key().to_proto(), router_->protocols(),
                                     listen_addrs(), connection.remote_addr());
  auto written = co_await with_timeout(stream.write(identify::encode_identify_frames(info)),
                                       config_.identify_timeout, "identify reply");
  if (written) written = stream.close_write();
  if (!written) logger()->debug("identify reply to {}: {}", connection.remote_peer().to_string(),
                                written.error().message());
}

Task<Status> Host::identify_remote(std::shared_ptr<Connection> connection) {
  auto exchange = [&]() -> Task<Status> {
    CF_CO_TRY_ASSIGN(stream, co_await connection->open_stream(std::string(identify::protocol_id)));
    CF_CO_TRY(stream.close_write());
    identify::MessageReader reader(connection->remote_peer());
    std::array<std::uint8_t, 8 * 1024> buf;
    for (;;) {
      CF_CO_TRY_ASSIGN(n, co_await stream.read(buf));
      if (n == 0) break;
      CF_CO_TRY(reader.on_bytes(ByteView(buf.data(), n)));
    }
    CF_CO_TRY_ASSIGN(decoded, reader.on_eof());
    connection->set_remote_info(std::move(decoded.info));
    co_return ok();
  };
  auto status = co_await with_timeout(exchange(), config_.identify_timeout, "identify");
  if (!status) {
    logger()->warn("identify {}: {}", connection->remote_peer().to_string(), status.error().message());
  } else {
    const auto& info = *connection->remote_info();
    logger()->info("identified {}: agent {}, {} protocols", connection->remote_peer().to_string(),
                   info.agent_version.value_or("?"), info.protocols.size());
  }
  co_return status;
}

Task<void> serve_ping(Stream stream) {
  auto loop = [&]() -> Task<Status> {
    ping::Responder responder;
    std::array<std::uint8_t, ping::payload_size> buf;
    for (;;) {
      CF_CO_TRY_ASSIGN(n, co_await stream.read(buf));
      if (n == 0) co_return stream.close_write();
      auto echo = responder.on_bytes(ByteView(buf.data(), n));
      if (!echo.empty()) CF_CO_TRY(co_await stream.write(echo));
    }
  };
  auto status = co_await with_timeout(loop(), ping::stream_duration, "ping stream");
  if (!status) stream.reset();
}

Task<Result<std::chrono::nanoseconds>> Host::ping(const multiformats::PeerId& peer) {
  CF_CO_TRY_ASSIGN(stream, co_await new_stream(peer, std::string(ping::protocol_id)));
  auto round_trip = [&]() -> Task<Result<std::chrono::nanoseconds>> {
    ping::Pinger pinger;
    CF_CO_TRY_ASSIGN(out, pinger.start(ping::random_payload(), Clock::now()));
    CF_CO_TRY(co_await stream.write(out));
    std::array<std::uint8_t, ping::payload_size> buf;
    for (;;) {
      CF_CO_TRY_ASSIGN(n, co_await stream.read(buf));
      if (n == 0) co_return Error(errc::unexpected_eof, "ping stream closed");
      CF_CO_TRY_ASSIGN(rtt, pinger.on_bytes(ByteView(buf.data(), n), Clock::now()));
      if (rtt) co_return std::chrono::duration_cast<std::chrono::nanoseconds>(*rtt);
    }
  };
  auto rtt = co_await with_timeout(round_trip(), ping::ping_timeout, "ping");
  if (!rtt) {
    stream.reset();
    co_return rtt;
  }
  (void)stream.close_write();
  co_return rtt;
}

}  // namespace cf::p2p
