// The socket side of the test servers: a listening socket on 127.0.0.1 (ephemeral port) or a
// unix path, whose connections one background thread hands to a handler one after another
// until the destructor stops it. The stop pipe cuts short any wait a handler makes through
// wait_readable() or pause(), so a stalling test server never blocks a test's end.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace cf::test {

class TestListener {
 public:
  using ConnectionHandler = std::function<void(int fd)>;  // the listener closes fd afterwards

  explicit TestListener(ConnectionHandler handler);                      // TCP on 127.0.0.1
  TestListener(const std::string& unix_path, ConnectionHandler handler);  // unix socket
  ~TestListener();
  TestListener(const TestListener&) = delete;
  TestListener& operator=(const TestListener&) = delete;

  std::uint16_t port() const { return port_; }  // 0 for a unix socket
  // Until fd is readable or hung up: false on stop or after timeout_ms (-1: no timeout).
  bool wait_readable(int fd, int timeout_ms) const;
  // Sleeps `d`; false if the listener is stopping.
  bool pause(std::chrono::milliseconds d) const;

 private:
  void start();
  void serve();

  ConnectionHandler handler_;
  std::string unix_path_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// Writes all of `bytes`; false once the peer is gone.
bool send_all(int fd, std::string_view bytes);

}  // namespace cf::test
