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

void drive(Session& session, const Config& config, TimePoint now) {
  while (auto event = session.next_event()) {
    if (const auto* data = std::get_if<DataAvailable>(&*event)) {
      auto bytes = session.read(data->stream, data->buffered);
      if (bytes && session.stream_info(data->stream)) {
        const auto info = *session.stream_info(data->stream);
        if (info.buffered + info.receive_credit > config.receive_window) std::abort();
      }
    } else if (const auto* opened = std::get_if<StreamOpened>(&*event)) {
      static const std::uint8_t hello[] = {'h', 'i'};
      (void)session.write(opened->stream, ByteView(hello, sizeof hello));
      if (opened->stream % 3 == 0) (void)session.close_write(opened->stream);
    }
  }
  (void)session.on_tick(now);
  check_output(session.take_output(), config);
}

void run(Role role, ByteView input) {
  Config config;
  config.max_inbound_streams = 8;
  Session session(role, config);
  auto now = TimePoint{} + std::chrono::seconds(1);
  (void)session.open_stream();
  (void)session.ping(now);
  std::size_t i = 0;
  while (i < input.size()) {
    // The first byte of each round picks the chunk size (1..64) and the time step.
    const std::size_t chunk = (input[i] & 0x3f) + 1;
    now += std::chrono::milliseconds(input[i] >> 6);
    ++i;
    const std::size_t n = std::min(chunk, input.size() - i);
    (void)session.feed(input.subspan(i, n), now);
    i += n;
    drive(session, config, now);
  }
}

}  // namespace

int fuzz_yamux_frames(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  run(Role::client, input);
  run(Role::server, input);
  return 0;
}

}  // namespace cf::p2p::yamux
