// A loopback HTTP server that writes a chunked 200 step by step, for the timing cases of Kubo's
// streamed answers that tests/support's HttpTestServer (whole replies at once) cannot play:
// ticks with pauses between them, a tick repeated until the client gives up, headers followed
// by silence. One connection at a time on a background thread; the destructor stops it.
// (Lives here, not in tests/support, while only the kubo tests need it; its socket side is
// support's TestListener.)
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "support/test_listener.hpp"

namespace cf::kubo::test {

struct StreamScript {
  std::vector<std::string> chunks;           // sent one per HTTP chunk, in order
  std::chrono::milliseconds interval{0};     // pause before each chunk
  enum class End {
    finish,       // the last chunk, then `trailers`
    repeat_last,  // send the last chunk every `interval` until the client goes away
    hold,         // send nothing more; keep the connection open until the client goes away
  } end = End::finish;
  std::vector<std::pair<std::string, std::string>> trailers;
};

class FakeStreamServer {
 public:
  explicit FakeStreamServer(StreamScript script);
  ~FakeStreamServer();
  FakeStreamServer(const FakeStreamServer&) = delete;
  FakeStreamServer& operator=(const FakeStreamServer&) = delete;

  std::uint16_t port() const { return listener_.port(); }
  std::string last_target() const;  // path and query of the last request

 private:
  void handle(int fd);
  bool send_chunk(int fd, const std::string& data) const;  // false when the client is gone

  StreamScript script_;
  mutable std::mutex mutex_;
  std::string last_target_;
  cf::test::TestListener listener_;  // last: its thread may call handle() as soon as it exists
};

}  // namespace cf::kubo::test
