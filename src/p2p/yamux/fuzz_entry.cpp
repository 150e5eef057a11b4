// fuzz_yamux_frames: arbitrary bytes into a Session, with invariant checks (see the header).
#include "cf/p2p/yamux/fuzz_entry.hpp"

#include <chrono>
#include <cstdlib>
#include <variant>

#include "cf/p2p/yamux/session.hpp"

namespace cf::p2p::yamux {
namespace {

// Our own output must always parse, and never carry a Data frame above the peer's window.
void check_output(const Bytes& out, const Config& config) {
  FrameReader reader(config.max_frame_payload);
  reader.feed(out);
  for (;;) {
    auto frame = reader.next();
    if (!frame) std::abort();
    if (!*frame) break;
  }
  if (reader.buffered() != 0) std::abort();
}

// Input layout: byte 0 picks the chunk size (1..256), byte 1 the driving mode, the rest is
// the wire as the peer would send it.
enum Mode : std::uint8_t {
  mode_read = 0x1,      // read what arrives
  mode_answer = 0x2,    // write to streams the peer opens
  mode_close = 0x4,     // half-close streams the peer opens
  mode_reset = 0x8,     // reset streams the peer finishes
  mode_open = 0x10,     // open a stream and ping before the input
  mode_go_away = 0x20,  // go away after the input
};

void on_event(Session& session, const Config& config, std::uint8_t mode, const Event& event) {
  if (const auto* data = std::get_if<DataAvailable>(&event)) {
    if ((mode & mode_read) == 0) return;
    (void)session.read(data->stream, data->buffered / 2 + 1);
    if (const auto info = session.stream_info(data->stream)) {
      if (info->buffered + info->receive_credit > config.receive_window) std::abort();
    }
  } else if (const auto* opened = std::get_if<StreamOpened>(&event)) {
    static const std::uint8_t hello[] = {'h', 'i'};
    if ((mode & mode_answer) != 0) (void)session.write(opened->stream, ByteView(hello, 2));
    if ((mode & mode_close) != 0) (void)session.close_write(opened->stream);
  } else if (const auto* fin = std::get_if<StreamFinished>(&event)) {
    if ((mode & mode_reset) != 0) (void)session.reset(fin->stream, 1);
  }
}

void run(Role role, std::size_t chunk, std::uint8_t mode, ByteView wire) {
  Config config;
  config.max_inbound_streams = 8;
  Session session(role, config);
  auto now = TimePoint{} + std::chrono::seconds(1);
  (void)session.on_tick(now);
  if ((mode & mode_open) != 0) {
    (void)session.open_stream();
    (void)session.ping(now);
  }
  for (std::size_t i = 0; i < wire.size(); i += chunk) {
    now += std::chrono::seconds(1);
    (void)session.feed(wire.subspan(i, std::min(chunk, wire.size() - i)), now);
    while (auto event = session.next_event()) on_event(session, config, mode, *event);
    (void)session.on_tick(now);
    check_output(session.take_output(), config);
  }
  if ((mode & mode_go_away) != 0) session.go_away(go_away_normal);
  check_output(session.take_output(), config);
}

}  // namespace

int fuzz_yamux_frames(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const ByteView wire(data + 2, size - 2);
  const std::size_t chunk = std::size_t{data[0]} + 1;
  run(Role::client, chunk, data[1], wire);
  run(Role::server, chunk, data[1], wire);
  return 0;
}

}  // namespace cf::p2p::yamux
