// The upgrade pipeline (see cf/p2p/conn/upgrader.hpp). One coroutine per step, each reading
// through RawIo, which applies pnet when it is on.
#include "cf/p2p/conn/upgrader.hpp"

#include <array>
#include <string>
#include <utility>

#include <asio/write.hpp>

#include "cf/base/log.hpp"
#include "cf/p2p/conn/errc.hpp"
#include "cf/p2p/mss/dialer.hpp"
#include "cf/p2p/mss/listener.hpp"
#include "cf/p2p/noise/handshake.hpp"

namespace cf::p2p {
namespace {

namespace mf = cf::multiformats;

// The raw byte stream under the security layer: the socket, with pnet when it is on.
struct RawIo {
  Upgraded& up;

  Task<Status> write(ByteView plain) {
    Bytes wire;
    if (up.pnet_out) {
      up.pnet_out->seal(plain, wire);
    } else {
      wire.assign(plain.begin(), plain.end());
    }
    auto [ec, n] = co_await asio::async_write(up.socket, asio::buffer(wire), use_tuple);
    if (ec) co_return Error(errc::upgrade_failed, "write: " + ec.message());
    co_return ok();
  }

  // Some plaintext bytes (never empty).
  Task<Result<Bytes>> read() {
    std::array<std::uint8_t, 16 * 1024> buf;
    for (;;) {
      auto [ec, n] = co_await up.socket.async_read_some(asio::buffer(buf), use_tuple);
      if (ec) co_return Error(errc::upgrade_failed, "read: " + ec.message());
      ByteView wire(buf.data(), n);
      Bytes out = up.pnet_in ? up.pnet_in->open(wire) : Bytes(wire.begin(), wire.end());
      if (!out.empty()) co_return out;
    }
  }
};

// `first`: the first bytes from the peer, the only step a PSK mismatch can fail: with
// different keys the peer's multistream answer decrypts to garbage, and a private-network peer
// talking to us without a PSK sends a nonce and ciphertext that do not read as multistream.
// Once multistream agreed on /noise, the PSKs match, so later steps (a peer ID mismatch, a bad
// Noise signature) get no PSK hint that would send the user after the secret.
Error step_error(const Error& e, const char* step, bool psk, bool first = false) {
  std::string detail = step;
  if (psk && first) detail += " (private network: is the PSK right?)";
  else if (first) detail += " (no PSK here: is the peer in a private network?)";
  detail += ": ";
  detail += e.message();
  return Error(e.code(), detail);
}

// multistream-select "/noise" on the raw stream; returns the bytes after the answer.
Task<Result<Bytes>> negotiate_security(RawIo& io, bool dialer) {
  std::vector<std::string> ids{std::string(noise::protocol_id)};
  if (dialer) {
    CF_CO_TRY_ASSIGN(d, mss::Dialer::create(ids));
    CF_CO_TRY(co_await io.write(d.start()));
    for (;;) {
      CF_CO_TRY_ASSIGN(in, co_await io.read());
      CF_CO_TRY_ASSIGN(step, d.on_bytes(in));
      if (!step.to_send.empty()) CF_CO_TRY(co_await io.write(step.to_send));
      if (step.selected) co_return std::move(step.selected->leftover);
    }
  }
  mss::Listener l(ids);
  CF_CO_TRY(co_await io.write(l.start()));
  for (;;) {
    CF_CO_TRY_ASSIGN(in, co_await io.read());
    CF_CO_TRY_ASSIGN(step, l.on_bytes(in));
    if (!step.to_send.empty()) CF_CO_TRY(co_await io.write(step.to_send));
    if (step.selected) co_return std::move(step.selected->leftover);
  }
}

// Noise XX; returns the session and the wire bytes received after the last handshake message.
Task<Result<noise::Established>> run_noise(RawIo& io, const UpgradeConfig& config, bool dialer,
                                           std::optional<mf::PeerId> expected, Bytes& wire_leftover) {
  auto hs = dialer ? noise::Handshake::initiator(config.identity, std::move(expected))
                   : noise::Handshake::responder(config.identity);
  noise::FrameReader frames;
  CF_CO_TRY(frames.append(wire_leftover));
  if (dialer) {
    CF_CO_TRY_ASSIGN(first, hs.start());
    CF_CO_TRY(co_await io.write(first));
  }
  while (!hs.done()) {
    auto frame = frames.next();
    if (!frame) {
      CF_CO_TRY_ASSIGN(in, co_await io.read());
      CF_CO_TRY(frames.append(in));
      continue;
    }
    CF_CO_TRY_ASSIGN(reply, hs.on_frame(*frame));
    if (reply) CF_CO_TRY(co_await io.write(*reply));
  }
  wire_leftover = frames.take_buffered();
  co_return hs.finish();
}

// multistream-select "/yamux/1.0.0" over the channel, when early negotiation agreed nothing.
Task<Result<Bytes>> negotiate_muxer(RawIo& io, noise::SecureChannel& channel, bool dialer, Bytes plain) {
  std::vector<std::string> ids{std::string(noise::yamux_muxer)};
  auto send = [&](ByteView bytes) -> Task<Status> {
    CF_CO_TRY_ASSIGN(wire, channel.encrypt(bytes));
    co_return co_await io.write(wire);
  };
  std::optional<mss::Dialer> d;
  std::optional<mss::Listener> l;
  if (dialer) {
    CF_CO_TRY_ASSIGN(made, mss::Dialer::create(ids));
    d.emplace(std::move(made));
    CF_CO_TRY(co_await send(d->start()));
  } else {
    l.emplace(ids);
    CF_CO_TRY(co_await send(l->start()));
  }
  for (;;) {
    if (!plain.empty()) {
      CF_CO_TRY_ASSIGN(step, d ? d->on_bytes(plain) : l->on_bytes(plain));
      if (!step.to_send.empty()) CF_CO_TRY(co_await send(step.to_send));
      if (step.selected) co_return std::move(step.selected->leftover);
    }
    CF_CO_TRY_ASSIGN(in, co_await io.read());
    CF_CO_TRY_ASSIGN(opened, channel.feed(in));
    plain = std::move(opened);
  }
}

// `secured`: set once /noise is agreed, which proves the PSKs match (see step_error).
Task<Status> upgrade_steps(Upgraded& up, const UpgradeConfig& config, std::optional<mf::PeerId> expected,
                           bool& secured) {
  RawIo io{up};
  bool psk = config.psk.has_value();
  if (psk) {
    up.pnet_out.emplace(*config.psk, pnet::random_nonce());
    up.pnet_in.emplace(*config.psk);
    CF_CO_TRY(co_await io.write({}));  // our nonce, at once
  }
  auto leftover = co_await negotiate_security(io, up.outbound);
  if (!leftover) co_return step_error(leftover.error(), "multistream /noise", psk, true);
  secured = true;
  auto established = co_await run_noise(io, config, up.outbound, std::move(expected), *leftover);
  if (!established) co_return step_error(established.error(), "noise handshake", psk);
  up.remote = established->remote;
  up.channel.emplace(std::move(established->channel));
  auto plain = up.channel->feed(*leftover);
  if (!plain) co_return step_error(plain.error(), "noise channel", psk);
  if (established->muxer == noise::yamux_muxer) {
    up.plaintext = std::move(*plain);
    co_return ok();
  }
  auto rest = co_await negotiate_muxer(io, *up.channel, up.outbound, std::move(*plain));
  if (!rest) co_return step_error(rest.error(), "multistream /yamux/1.0.0", psk);
  up.plaintext = std::move(*rest);
  co_return ok();
}

Task<Result<Upgraded>> upgrade(transport::Socket socket, const UpgradeConfig& config, bool outbound,
                               std::optional<mf::PeerId> expected) {
  asio::error_code ec;
  auto remote = socket.remote_endpoint(ec);
  auto local = socket.local_endpoint(ec);
  Upgraded up{.socket = std::move(socket),
              .pnet_out = std::nullopt,
              .pnet_in = std::nullopt,
              .channel = std::nullopt,
              .plaintext = {},
              .remote = std::nullopt,
              .outbound = outbound,
              .remote_addr = transport::to_multiaddr(remote),
              .local_addr = transport::to_multiaddr(local)};
  bool secured = false;
  auto status = co_await with_timeout(upgrade_steps(up, config, std::move(expected), secured), config.timeout,
                                      "upgrade");
  if (!status) {
    up.socket.close(ec);
    auto error = status.error();
    // A peer with another PSK, or one in a private network when we have no PSK, may just wait
    // for bytes it can parse: say so on a timeout too.
    if (error == cf::errc::timed_out && !secured)
      error.wrap(config.psk ? "private network (is the PSK right?)"
                            : "no answer (a peer in a private network waits for a PSK we do not have)");
    co_return error.wrap(up.remote_addr.to_string());
  }
  co_return std::move(up);
}

}  // namespace

Task<Result<Upgraded>> upgrade_outbound(transport::Socket socket, const UpgradeConfig& config,
                                        std::optional<mf::PeerId> expected) {
  return upgrade(std::move(socket), config, true, std::move(expected));
}

Task<Result<Upgraded>> upgrade_inbound(transport::Socket socket, const UpgradeConfig& config) {
  return upgrade(std::move(socket), config, false, std::nullopt);
}

}  // namespace cf::p2p
