// A loopback HTTP server that holds any number of chunked 200 streams open at once, all on one
// thread (for tests of many concurrent transfers, which TestListener's one-connection-at-a-time
// servers cannot play). Each connection gets the head and `first` chunk at once, then waits
// until release() (then `last` and the end of the body) or until the client goes away. It counts
// connections, so a test can wait until N are open at the same time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace cf::test {

class SlowStreamServer {
 public:
  SlowStreamServer(std::string first, std::string last);
  ~SlowStreamServer();
  SlowStreamServer(const SlowStreamServer&) = delete;
  SlowStreamServer& operator=(const SlowStreamServer&) = delete;

  std::uint16_t port() const;
  // Lets every stream, open or still to come, finish.
  void release();

  std::size_t open() const;      // connections open now
  std::size_t max_open() const;  // the most open at once so far
  std::size_t accepted() const;  // connections so far
  // Until `open() >= n` (at_least) or `open() <= n` (!at_least); false after `timeout`.
  bool wait_open(std::size_t n, std::chrono::milliseconds timeout, bool at_least = true) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cf::test
